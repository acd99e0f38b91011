// The agent's composer: text with quick replies listed when it starts with "/", emoji,
// attachments (photo, video, audio, document, with the text as caption; uploaded as the
// business number and checked as the Cloud API checks uploads), products (products-picker.js),
// payment requests (payment-request.js) and, when the 24-hour window is closed, a notice that
// offers the approved templates (template-picker.js) instead of free text.
import { api, call, h, session } from './api.js';
import { state } from './state.js';
import { productsPicker } from './products-picker.js';
import { paymentPanel } from './payment-request.js';
import { templatePicker } from './template-picker.js';

const EMOJI = ['😀', '😂', '😊', '😍', '🙏', '👍', '👌', '👏', '🎉', '❤️', '🔥', '✅', '❌', '⭐', '🚚', '📦', '💳', '🛍️', '🕒', '📍', '📞', '✉️', '🙂', '😉', '🤝', '💚', '😢', '😮', '🤔', '👋'];
// The Cloud API's limits per kind (bytes): checked here for a quick answer, and on the server.
const LIMITS = { image: 5 << 20, video: 16 << 20, audio: 16 << 20, document: 100 << 20 };
const kindOf = (file) => (/^image\/(jpeg|png)$/.test(file.type) ? 'image' : /^video\/(mp4|3gpp)$/.test(file.type) ? 'video' : /^audio\//.test(file.type) ? 'audio' : 'document');

/** The composer of the open chat; `send(body)` posts a reply. Returns {el, input, quote}. */
export function composer(send, opts = {}) {
  const chatId = opts.chatId || state.chat;
  let info = { window_open: true, templates: [], providers: [] };
  const input = h('textarea', { placeholder: 'Message · type / for quick replies', testid: 'console-composer', rows: 1, dir: 'auto', 'aria-label': 'Message' });
  const refresh = () => { loadInfo(); };

  // Quick replies with "/".
  let replies = [];
  let sel = 0;
  const list = h('div.quick', { testid: 'quick-list', hidden: true });
  const matches = () => replies.filter((r) => r.shortcut.startsWith(input.value.slice(1).toLowerCase()));
  const close = () => { list.hidden = true; };
  const pick = async (r) => { close(); input.value = ''; await send({ quick_reply_id: r.id }); };
  const show = () => {
    const found = matches();
    if (!input.value.startsWith('/') || !found.length) return close();
    sel = Math.min(sel, found.length - 1);
    list.replaceChildren(...found.map((r, i) => h(`div${i === sel ? '.sel' : ''}`, { testid: 'quick-item', onmousedown: (e) => { e.preventDefault(); pick(r); } }, h('b', {}, `/${r.shortcut}`), r.body)));
    list.hidden = false;
  };
  input.addEventListener('input', async () => {
    if (input.value === '/') { replies = (await api.quickReplies()).data; sel = 0; }
    show();
  });

  // Attachments.
  const err = h('p.error.cb-composer-error', { role: 'alert', testid: 'composer-error' });
  let file = null;
  const fileInput = h('input', { type: 'file', hidden: true, testid: 'attach-input', accept: 'image/jpeg,image/png,video/mp4,video/3gpp,audio/*,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.csv,.zip' });
  const attachBar = h('div.cb-attach', { testid: 'attach-preview', hidden: true });
  const setFile = (f) => {
    file = f;
    err.textContent = '';
    attachBar.hidden = !f;
    if (!f) { attachBar.replaceChildren(); return; }
    const kind = kindOf(f);
    if (f.size > LIMITS[kind]) err.textContent = `${f.name} is too large: a ${kind} may be at most ${LIMITS[kind] >> 20} MB.`;
    const thumb = kind === 'image' ? h('img', { alt: '' }) : h('span.cb-file-icon', {}, kind === 'video' ? '🎬' : kind === 'audio' ? '🎵' : '📄');
    if (kind === 'image') thumb.src = URL.createObjectURL(f);
    attachBar.replaceChildren(thumb, h('div.grow', {}, h('strong', {}, f.name), h('small', {}, `${kind} · ${Math.max(1, Math.round(f.size / 1024))} KB · the text becomes its caption`)),
      h('button.btn.ghost', { title: 'Remove attachment', testid: 'attach-remove', onclick: () => setFile(null) }, '×'));
    input.placeholder = 'Add a caption';
    input.focus();
  };
  fileInput.addEventListener('change', () => setFile(fileInput.files[0] || null));
  async function sendFile(caption) {
    const kind = kindOf(file);
    const form = new FormData();
    form.append('file', file, file.name);
    const r = await fetch(`/console/v1/chats/${chatId}/media`, { method: 'POST', headers: { Authorization: `Bearer ${session.token}` }, body: form });
    const data = await r.json().catch(() => null);
    if (!r.ok) throw new Error(data?.error?.message || `HTTP ${r.status}`);
    const media = { id: data.id, ...(caption && kind !== 'audio' ? { caption } : {}), ...(kind === 'document' ? { filename: file.name } : {}) };
    await send({ type: kind, [kind]: media });
  }

  // Emoji.
  const emoji = h('div.cb-emoji', { testid: 'emoji-panel', hidden: true }, EMOJI.map((e) => h('button', {
    testid: 'emoji', title: e, onclick: () => {
      const at = input.selectionStart ?? input.value.length;
      input.value = input.value.slice(0, at) + e + input.value.slice(input.selectionEnd ?? at);
      input.focus();
      input.selectionStart = input.selectionEnd = at + e.length;
    },
  }, e)));

  // Sending text (or the attachment with its caption).
  async function submit() {
    if (!list.hidden) { const found = matches(); if (found[sel]) await pick(found[sel]); return; }
    const text = input.value.trim();
    err.textContent = '';
    emoji.hidden = true;
    if (file) {
      try { await sendFile(text); setFile(null); input.value = ''; input.placeholder = 'Message · type / for quick replies'; } catch (e) { err.textContent = e.message; }
      return;
    }
    if (!text) return;
    input.value = '';
    await send({ type: 'text', text: { body: text } });
  }
  input.addEventListener('keydown', async (e) => {
    if (!list.hidden && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      sel = Math.max(0, sel + (e.key === 'ArrowDown' ? 1 : -1));
      show();
      return;
    }
    if (e.key === 'Escape') return close();
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); await submit(); }
  });

  // Quoting.
  const quoteBar = h('div.quote.cb-quote-bar', { testid: 'console-quote', hidden: true });
  let quoted = null;
  const quote = (m) => {
    quoted = m ? m.id : null;
    quoteBar.hidden = !m;
    if (m) quoteBar.replaceChildren(h('span.grow', { dir: 'auto' }, `Replying to: ${m.text?.body || m[m.type]?.caption || `[${m.type}]`}`), h('button.btn.ghost', { title: 'Cancel reply', onclick: () => quote(null) }, '×'));
    input.focus();
  };
  const plain = send;
  send = async (b) => { const q = quoted; quote(null); await plain(q ? { ...b, reply_to: q } : b); };

  // Panels: products, payment request, templates; one open at a time.
  const products = productsPicker((b) => send(b));
  const payment = paymentPanel(chatId, () => info.providers, refresh);
  const templates = templatePicker(chatId, () => info.templates, refresh);
  const panels = [products.panel, payment.panel, templates.panel, emoji];
  const only = (p) => { for (const x of panels) if (x !== p) x.hidden = true; };
  products.button.addEventListener('click', () => only(products.panel));
  const tool = (label, title, testid, onclick) => h('button.btn.ghost.cb-tool', { title, 'aria-label': title, testid, onclick }, label);
  const tools = h('div.cb-tools', {},
    tool('📎', 'Attach a photo, video or document', 'attach', () => fileInput.click()),
    tool('😊', 'Emoji', 'emoji-button', () => { only(emoji); emoji.hidden = !emoji.hidden; }),
    products.button,
    tool('💳', 'Request payment', 'request-payment', () => { only(payment.panel); payment.open(); }),
    tool('📝', 'Send a template', 'open-templates', () => { only(templates.panel); templates.open(); }));

  // The 24-hour window: closed means templates only.
  const windowBar = h('div.cb-window', { testid: 'window-closed', hidden: true },
    h('span.grow', {}, 'The 24-hour window is closed: only an approved template can reach this customer until they write again.'),
    h('button.btn', { testid: 'window-templates', onclick: () => { only(templates.panel); templates.open(); } }, 'Choose a template'));
  const sendBtn = h('button.btn', { testid: 'console-send', onclick: submit }, 'Send');
  async function loadInfo() {
    if (!chatId) return;
    try { info = await call('GET', `/chats/${chatId}/compose`); } catch { return; }
    windowBar.hidden = info.window_open;
    input.disabled = !info.window_open;
    sendBtn.disabled = !info.window_open;
    el.classList.toggle('cb-closed', !info.window_open);
  }

  const el = h('div.composer.cb-composer', {}, quoteBar, list, products.panel, payment.panel, templates.panel, emoji, windowBar, attachBar, err,
    h('div.cb-compose-row', {}, tools, fileInput, input, sendBtn));
  // A cart's "Request payment" (in its bubble) opens the panel for that cart.
  const onCart = (e) => {
    if (!el.isConnected) { document.removeEventListener('wasla:request-payment', onCart); return; }
    only(payment.panel);
    payment.open(e.detail.cart);
  };
  document.addEventListener('wasla:request-payment', onCart);
  // A new message may open (or show the end of) the window: check again when the list changes.
  let lastSeen = '';
  const onRendered = (e) => {
    if (!el.isConnected) { document.removeEventListener('wasla:rendered', onRendered); return; }
    if (e.detail.chatId === chatId && e.detail.lastId !== lastSeen) { lastSeen = e.detail.lastId; loadInfo(); }
  };
  document.addEventListener('wasla:rendered', onRendered);
  loadInfo();
  return { el, input, quote };
}
