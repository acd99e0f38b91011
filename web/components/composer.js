// The composer: auto-growing text box (Enter sends, Shift+Enter newline), reply quote above
// it (or the product a question is about, sent as Meta's `referred_product`), emoji picker,
// sticker picker (sticker-picker.js), attachment menu (photo/video, audio, document, location, contact) with a caption preview
// before sending, and typing notifications.
import { h, fileSize } from '../util.js';
import { icon } from '../icons.js';
import { store, preview } from '../store.js';
import { modal, popupMenu } from './dialog.js';
import { referredProductCard } from './shop.js';
import { openStickerPicker } from './sticker-picker.js';

const EMOJI = '😀 😂 🥲 😊 😍 😘 😎 🤔 😅 😭 😡 👍 👎 👏 🙏 💪 🎉 🔥 ❤️ 💔 ✅ ❌ ⭐ ☕ 🍕 🎂 🚀 📎 📍 👋 🙌 🤝'.split(' ');

export class Composer {
  constructor({ send, typing, chatId, shareContact, shareLocation }) {
    this.sendFn = send;
    this.typingFn = typing;
    this.chatId = chatId;
    this.replyTo = null;
    this.product = null;
    this.typingSent = 0;

    this.input = h('textarea.composer-input', {
      rows: 1, placeholder: 'Type a message', 'aria-label': 'Type a message', testid: 'composer-input', dir: 'auto',
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      } else if (e.key === 'Escape' && this.replyTo) this.setReply(null);
      else if (e.key === 'Escape' && this.product) this.setProduct(null);
    });
    this.input.addEventListener('input', () => { this.autosize(); this.onTyping(); });
    this.input.addEventListener('blur', () => this.stopTyping());

    this.mediaInput = h('input', { type: 'file', accept: 'image/*,video/*', hidden: true, testid: 'attach-media-input', multiple: true });
    this.audioInput = h('input', { type: 'file', accept: 'audio/*', hidden: true, testid: 'attach-audio-input' });
    this.docInput = h('input', { type: 'file', hidden: true, testid: 'attach-document-input' });
    this.mediaInput.addEventListener('change', () => this.pickFiles(this.mediaInput, 'media'));
    this.audioInput.addEventListener('change', () => this.pickFiles(this.audioInput, 'audio'));
    this.docInput.addEventListener('change', () => this.pickFiles(this.docInput, 'document'));

    const attachBtn = h('button.icon-btn', {
      type: 'button', title: 'Attach', 'aria-label': 'Attach', testid: 'attach-button',
      onclick: () => popupMenu(attachBtn, [
        { label: 'Photos & videos', icon: 'image', onClick: () => this.mediaInput.click(), testid: 'attach-media' },
        { label: 'Document', icon: 'doc', onClick: () => this.docInput.click(), testid: 'attach-document' },
        { label: 'Audio', icon: 'audio', onClick: () => this.audioInput.click(), testid: 'attach-audio' },
        { label: 'Location', icon: 'location', onClick: shareLocation, testid: 'attach-location' },
        { label: 'Contact', icon: 'contact', onClick: shareContact, testid: 'attach-contact' },
      ], { align: 'left' }),
    }, icon('attach'));
    const emojiBtn = h('button.icon-btn', {
      type: 'button', title: 'Emoji', 'aria-label': 'Emoji', testid: 'emoji-button',
      onclick: () => this.emojiPicker(emojiBtn),
    }, icon('smile'));
    const stickerBtn = h('button.icon-btn', {
      type: 'button', title: 'Stickers', 'aria-label': 'Stickers', testid: 'sticker-button',
      onclick: () => openStickerPicker(stickerBtn, this.chatId()),
    }, icon('sticker'));
    this.sendBtn = h('button.send-btn', { type: 'button', title: 'Send', 'aria-label': 'Send', testid: 'send-button', onclick: () => this.submit() }, icon('send'));

    this.replyBox = h('div.reply-preview', { hidden: true, testid: 'reply-preview' });
    this.productBox = h('div.product-preview', { hidden: true, testid: 'product-preview' });
    this.el = h('footer.composer', { testid: 'composer' },
      this.replyBox, this.productBox,
      h('div.composer-row', emojiBtn, stickerBtn, attachBtn,
        h('div.input-wrap', this.input), this.sendBtn,
        this.mediaInput, this.audioInput, this.docInput));
  }

  reset() {
    this.stopTyping();
    this.input.value = '';
    this.autosize();
    this.setReply(null);
    this.setProduct(null);
  }

  focus() { this.input.focus(); }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 140)}px`;
    this.el.classList.toggle('has-text', !!this.input.value.trim());
  }

  /**
   * Attach the product a question is about ({catalog_id, product_retailer_id, business}), or
   * remove it with null; a reply quote and a product do not go together.
   */
  setProduct(ref) {
    this.product = ref;
    this.productBox.hidden = !ref;
    this.input.placeholder = ref ? 'Ask your question about this product' : 'Type a message';
    if (!ref) { this.productBox.replaceChildren(); return; }
    this.setReply(null);
    this.productBox.replaceChildren(referredProductCard(ref, ref.business),
      h('button.icon-btn', { type: 'button', title: 'Remove the product', 'aria-label': 'Remove the product', testid: 'product-cancel', onclick: () => this.setProduct(null) }, icon('close', 20)));
    this.focus();
  }

  setReply(m) {
    if (m && this.product) this.setProduct(null);
    this.replyTo = m;
    this.replyBox.hidden = !m;
    if (!m) { this.replyBox.replaceChildren(); return; }
    const who = store.senderName(m.chat_id, m.from);
    this.replyBox.replaceChildren(
      h('div.quote.static', h('span.quote-name', who), h('span.quote-text', { testid: 'reply-preview-text' }, preview(m))),
      h('button.icon-btn', { type: 'button', title: 'Cancel reply', 'aria-label': 'Cancel reply', testid: 'reply-cancel', onclick: () => this.setReply(null) }, icon('close', 20)));
    this.focus();
  }

  context() {
    if (this.product) return { referred_product: { catalog_id: this.product.catalog_id, product_retailer_id: this.product.product_retailer_id } };
    if (!this.replyTo) return null;
    const m = this.replyTo;
    return { message_id: m.id, from: m.from, type: m.type, preview: preview(m) };
  }

  submit() {
    const body = this.input.value.replace(/^\s+|\s+$/g, '');
    if (!body) return;
    this.sendFn({ type: 'text', text: { body } }, { context: this.context() });
    this.input.value = '';
    this.autosize();
    this.setReply(null);
    this.setProduct(null);
    this.stopTyping();
    this.focus();
  }

  onTyping() {
    const now = Date.now();
    if (!this.input.value) { this.stopTyping(); return; }
    if (now - this.typingSent > 4000) {
      this.typingSent = now;
      this.typingFn('composing');
    }
    clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.stopTyping(), 5000);
  }

  stopTyping() {
    clearTimeout(this.pauseTimer);
    if (this.typingSent && this.chatId()) this.typingFn('paused');
    this.typingSent = 0;
  }

  emojiPicker(anchor) {
    const grid = h('div.popup-menu.emoji-grid', { role: 'menu', testid: 'emoji-picker' },
      EMOJI.map((e) => h('button.emoji-choice', {
        type: 'button', title: e, 'aria-label': e,
        onclick: () => {
          const i = this.input.selectionStart ?? this.input.value.length;
          const v = this.input.value;
          this.input.value = v.slice(0, i) + e + v.slice(this.input.selectionEnd ?? i);
          this.input.selectionStart = this.input.selectionEnd = i + e.length;
          this.autosize();
          this.focus();
        },
      }, e)));
    for (const old of document.querySelectorAll('.popup-menu')) old.remove();
    document.body.append(grid);
    const r = anchor.getBoundingClientRect();
    grid.style.left = `${Math.max(8, r.left)}px`;
    grid.style.top = `${Math.max(8, r.top - grid.offsetHeight - 8)}px`;
    const off = (ev) => { if (!grid.contains(ev.target)) { grid.remove(); document.removeEventListener('mousedown', off, true); } };
    setTimeout(() => document.addEventListener('mousedown', off, true));
  }

  /** Show the chosen files with a caption box, then hand each one to send(). */
  pickFiles(input, kind) {
    const files = [...input.files];
    input.value = '';
    if (!files.length) return;
    const caption = h('input.text-input', { placeholder: 'Add a caption', 'aria-label': 'Caption', testid: 'media-caption' });
    const thumbs = h('div.media-previews', files.map((f) => {
      const url = URL.createObjectURL(f);
      if (f.type.startsWith('image/')) return h('img.media-preview', { src: url, alt: f.name });
      if (f.type.startsWith('video/')) return h('video.media-preview', { src: url, controls: true });
      if (f.type.startsWith('audio/')) return h('audio', { src: url, controls: true });
      return h('div.doc-card.static', h('span.doc-icon', icon('doc', 30)), h('span.doc-info', h('span.doc-name', f.name), h('span.muted', fileSize(f.size))));
    }));
    const sendBtn = h('button.send-btn', {
      type: 'button', title: 'Send', 'aria-label': 'Send', testid: 'media-send',
      onclick: () => {
        const ctx = this.context();
        files.forEach((f, i) => {
          const type = kind === 'document' ? 'document'
            : f.type.startsWith('image/') && !/svg/.test(f.type) ? 'image'
              : f.type.startsWith('video/') ? 'video' : f.type.startsWith('audio/') ? 'audio' : 'document';
          const content = {};
          if (i === 0 && caption.value.trim() && type !== 'audio') content.caption = caption.value.trim();
          if (type === 'document') content.filename = f.name;
          this.sendFn({ type, [type]: content }, { file: f, context: i === 0 ? ctx : null });
        });
        this.setReply(null);
        m.close();
      },
    }, icon('send'));
    const m = modal({
      title: files.length > 1 ? `Send ${files.length} files` : `Send ${kind === 'document' ? 'document' : files[0].type.split('/')[0] || 'file'}`,
      body: h('div.media-dialog', thumbs, h('div.caption-row', caption, sendBtn)),
      testid: 'media-dialog',
      wide: true,
    });
    caption.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); sendBtn.click(); } });
    caption.focus();
  }
}
