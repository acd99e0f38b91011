// The right pane: conversation header (name, typing / online / last seen, members), the
// message list (day separators, keyed rendering, backwards paging that keeps the scroll
// position, jump-to-message, new-message button) and read marking while visible and focused.
import { h, dayKey, dayLabel, lastSeenText, accountName } from '../util.js';
import { icon, verifiedBadge } from '../icons.js';
import { store } from '../store.js';
import { avatar } from './avatar.js';
import { renderMessage } from './message-view.js';
import { Composer } from './composer.js';
import { loadShop, openShop, setAskHandler, shopIcon } from './shop.js';
import { businessTools, openText, renderBar } from './business-tools.js';
import { chatMenuButton } from './block-report.js';

export class Conversation {
  /** actions: reply/react/forward/info/retry/messagePhone, plus onBack, onInfo, rt, send. */
  constructor(actions) {
    this.actions = actions;
    this.chatId = null;
    this.nodes = new Map();
    this.stick = true;
    this.unseen = 0;

    this.titleEl = h('div.conv-title', { testid: 'conv-title' });
    this.statusEl = h('div.conv-status', { testid: 'conv-status', 'aria-live': 'polite' });
    this.avatarSlot = h('span.conv-avatar');
    this.header = h('header.conv-head', { testid: 'conv-header' },
      h('button.icon-btn.back-btn', { type: 'button', title: 'Back', 'aria-label': 'Back to chats', testid: 'back-button', onclick: () => actions.onBack() }, icon('back')),
      h('button.conv-who', { type: 'button', title: 'Chat info', testid: 'conv-info-button', onclick: () => actions.onInfo(this.chatId) },
        this.avatarSlot, h('span.conv-names', this.titleEl, this.statusEl)),
      h('div.head-actions',
        this.shopBtn = h('button.icon-btn', { type: 'button', title: 'Shop', 'aria-label': 'Shop', testid: 'shop-button', hidden: true,
          onclick: () => this.openShop() }, shopIcon()),
        h('button.icon-btn', { type: 'button', title: 'Chat info', 'aria-label': 'Chat info', testid: 'conv-menu-button', onclick: () => actions.onInfo(this.chatId) }, icon('info')),
        chatMenuButton(() => this.chatId, (id) => actions.onInfo(id))));

    this.loader = h('div.history-loader', { hidden: true, testid: 'history-loader' }, h('span.spinner'));
    this.inner = h('div.messages-inner');
    this.list = h('div.messages', { testid: 'message-list', role: 'log', 'aria-label': 'Messages', tabindex: 0 }, this.loader, this.inner);
    this.downBtn = h('button.down-btn', {
      type: 'button', title: 'Scroll to latest', 'aria-label': 'Scroll to latest', testid: 'scroll-down', hidden: true,
      onclick: () => this.scrollToBottom(true),
    }, icon('down'), h('span.down-count'));
    this.composer = new Composer({
      send: (content, opts) => actions.send(this.chatId, content, opts),
      typing: (state) => actions.rt.typing(this.chatId, state),
      chatId: () => this.chatId,
      shareContact: () => actions.shareContact(this.chatId),
      shareLocation: () => actions.shareLocation(this.chatId),
    });
    // "Ask about this product" in a shop opened from this chat attaches the product here.
    setAskHandler((ref) => this.composer.setProduct(ref));
    this.leftNote = h('div.left-note', { testid: 'left-note', hidden: true }, "You can't send messages to this group because you're no longer a member.");
    this.placeholder = h('div.conv-empty', { testid: 'conv-empty' },
      h('div.logo.big', icon('chat', 56)),
      h('h2', 'Wasla for the web'),
      h('p.muted', 'Pick a chat on the left, or start a new one. Messages sync across all your open tabs.'),
      h('p.muted.small', icon('lock', 12), ' Hosted on your own server'));
    this.bizBar = h('div.biz-bar', { testid: 'biz-bar', hidden: true });
    this.composer.input.addEventListener('input', () => this.renderBizBar());
    this.body = h('div.conv-body', { hidden: true }, this.header, h('div.messages-wrap', this.list, this.downBtn), this.bizBar, this.composer.el, this.leftNote);
    this.el = h('section.conversation', { testid: 'conversation' }, this.placeholder, this.body);

    this.list.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => { if (this.stick) this.scrollToBottom(); }).observe(this.inner);
    store.on('messages', (id, why) => { if (id === this.chatId) this.onMessages(why); });
    store.on('messages', (id) => { if (id === this.chatId) this.renderBizBar(); });
    store.on('status', (id) => { if (id === this.chatId) this.render(); });
    store.on('chat', (id) => { if (id === this.chatId) { this.renderHeader(); this.render(); this.checkShop(); } });
    store.on('chats', () => { if (this.chatId) this.renderHeader(); });
    store.on('typing', (id) => { if (id === this.chatId) this.renderHeader(); });
    store.on('presence', () => { if (this.chatId) this.renderHeader(); });
    const tryRead = () => this.markRead();
    window.addEventListener('focus', tryRead);
    document.addEventListener('visibilitychange', tryRead);
    setInterval(() => { if (this.chatId) this.renderHeader(); }, 30000);
  }

  get chat() { return store.chats.get(this.chatId); }

  /** The shop of the business in this chat. */
  openShop(retailerId) {
    const c = this.chat;
    if (c && c.peer) openShop({ waId: c.peer.wa_id, chatId: this.chatId, send: this.actions.send, retailerId });
  }

  /** Show the shop button when the chat is with a business whose catalog is visible. */
  async checkShop() {
    const id = this.chatId;
    const c = this.chat;
    const wa = c && c.kind === 'direct' && c.peer && c.peer.kind === 'business' ? c.peer.wa_id : null;
    if (!wa) { this.shopBtn.hidden = true; return; }
    const shop = await loadShop(wa);
    if (this.chatId === id) this.shopBtn.hidden = !shop;
  }

  async open(chatId) {
    if (this.chatId === chatId) return;
    this.chatId = chatId;
    this.nodes.clear();
    this.inner.replaceChildren();
    this.placeholder.hidden = true;
    this.body.hidden = false;
    this.stick = true;
    this.unseen = 0;
    this.composer.reset();
    this.shopBtn.hidden = true;
    this.renderHeader();
    this.checkShop();
    const c = this.chat;
    this.actions.rt.presence(c && c.kind === 'direct' && c.peer ? [c.peer.wa_id] : []);
    const t = store.thread(chatId);
    this.render();
    this.scrollToBottom();
    if (!t.loaded) {
      this.loader.hidden = false;
      try { await store.loadPage(chatId, false); } catch (e) { console.warn(e); }
      if (this.chatId === chatId) this.loader.hidden = true;
    }
    if (this.chatId !== chatId) return;
    this.render();
    this.scrollToBottom();
    this.markRead();
    this.fillViewport();
    if (window.matchMedia('(min-width: 769px)').matches) this.composer.focus();
    this.loadBizTools(chatId);
  }

  /** A business's hours, prompts and commands for this chat. */
  async loadBizTools(chatId) {
    this.bizTools = null;
    this.bizBar.hidden = true;
    const c = this.chat;
    if (!c || c.kind !== 'direct' || !c.peer || c.peer.kind !== 'business') return;
    try {
      const tools = await businessTools(c.peer.wa_id);
      if (this.chatId !== chatId) return;
      this.bizTools = tools;
      this.renderHeader();
      this.renderBizBar();
    } catch (e) { console.warn(e); }
  }

  renderBizBar() {
    if (!this.bizTools) return;
    const input = this.composer.input;
    renderBar(this.bizBar, this.bizTools, {
      empty: store.thread(this.chatId).list.length === 0 && !store.thread(this.chatId).pending.length,
      input,
      submit: (text) => {
        input.value = text;
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        this.bizBar.hidden = true;
      },
    });
  }

  close() {
    this.chatId = null;
    this.body.hidden = true;
    this.placeholder.hidden = false;
    this.actions.rt.presence([]);
  }

  renderHeader() {
    const c = this.chat;
    if (!c) return;
    const name = store.chatName(c);
    const photo = c.kind === 'group' ? c.photo : c.peer && c.peer.photo;
    const key = `${name}|${photo}`;
    if (this.avatarSlot._key !== key) {
      this.avatarSlot._key = key;
      this.avatarSlot.replaceChildren(avatar(name, photo, 40, c.kind === 'group'));
    }
    const biz = c.kind === 'direct' && c.peer && c.peer.kind === 'business' && c.peer.verified_name;
    this.titleEl.replaceChildren(...[h('span.name-text', name), biz ? verifiedBadge() : null].filter(Boolean));
    const typers = store.typingIn(c.chat_id);
    let status = '';
    let cls = '';
    if (typers.length) {
      status = c.kind === 'group' ? `${store.senderName(c.chat_id, typers[0])} is typing…` : 'typing…';
      cls = 'typing';
    } else if (c.kind === 'group') {
      const names = (c.members || []).map((m) => (store.me && m.account.wa_id === store.me.wa_id ? 'You' : accountName(m.account)));
      status = names.sort((a, b) => (a === 'You') - (b === 'You')).join(', ');
    } else if (c.peer) {
      const p = store.presence.get(c.peer.wa_id);
      if (p && p.online) status = 'online';
      else if (p && p.last_seen) status = lastSeenText(p.last_seen);
      else if (!p && c.peer.last_seen) status = lastSeenText(c.peer.last_seen);
      else if (c.peer.kind === 'business') status = openText(this.bizTools) || 'Business account';
    }
    this.statusEl.textContent = status;
    this.statusEl.className = `conv-status ${cls}`;
    this.statusEl.hidden = !status;
    this.composer.el.hidden = !!c.left;
    this.leftNote.hidden = !c.left;
  }

  /** Keyed render: reuse nodes whose message did not change, create/replace the rest. */
  render() {
    const c = this.chat;
    if (!c) return;
    const msgs = store.visibleMessages(this.chatId);
    const want = [];
    let prevDay = null;
    let prev = null;
    for (const m of msgs) {
      const ts = m.timestamp || Date.now();
      const day = dayKey(ts);
      if (day !== prevDay) {
        const key = `day-${day}`;
        let node = this.nodes.get(key);
        if (!node) {
          node = h('div.day-sep', { testid: 'day-separator' }, h('span', dayLabel(ts)));
          this.nodes.set(key, node);
        }
        want.push(node);
        prevDay = day;
        prev = null;
      }
      if (m.type === 'reaction') continue;
      const first = !prev || prev.from !== m.from || prev.type === 'system' || m.type === 'system';
      const key = m.client_id ? `c-${m.client_id}` : m.id;
      const sig = JSON.stringify([m.id, m.status, !!m.pending, first, store.reactionsFor(m.id), c.kind === 'group' && (c.members || []).length]);
      let node = this.nodes.get(key);
      if (!node || node._sig !== sig) {
        const fresh = renderMessage(m, { chat: c, first, actions: this.actions });
        fresh._sig = sig;
        if (node && node.parentNode) node.replaceWith(fresh);
        node = fresh;
        this.nodes.set(key, node);
      }
      want.push(node);
      prev = m;
    }
    const keep = new Set(want);
    for (const child of [...this.inner.children]) if (!keep.has(child)) child.remove();
    let cur = this.inner.firstChild;
    for (const node of want) {
      if (cur === node) { cur = cur.nextSibling; continue; }
      this.inner.insertBefore(node, cur);
    }
    for (const [k, n] of this.nodes) if (!n.isConnected) this.nodes.delete(k);
  }

  onMessages(why) {
    if (why === 'older') {
      this.renderKeepingPosition();
      return;
    }
    const wasAtBottom = this.stick;
    const before = this.inner.children.length;
    this.render();
    if (why === 'mine' || why === 'newest' || wasAtBottom) this.scrollToBottom();
    else if (why === 'incoming' && this.inner.children.length > before) {
      this.unseen++;
      this.updateDownBtn();
    }
    this.markRead();
  }

  /** Prepend older messages without moving what the reader is looking at. */
  renderKeepingPosition() {
    const top = this.list.getBoundingClientRect().top;
    const anchor = [...this.inner.querySelectorAll(':scope > .msg-row, :scope > .system-row')]
      .find((n) => n.getBoundingClientRect().bottom > top);
    const offset = anchor ? anchor.getBoundingClientRect().top - top : 0;
    let key = null;
    for (const [k, n] of this.nodes) if (n === anchor) key = k;
    this.render();
    // The anchor's node may have been re-rendered (e.g. it no longer starts a run): look it up.
    const now = key && this.nodes.get(key);
    if (now && now.isConnected) {
      this.list.scrollTop += now.getBoundingClientRect().top - top - offset;
    }
  }

  onScroll() {
    const l = this.list;
    this.stick = l.scrollHeight - l.scrollTop - l.clientHeight < 60;
    if (this.stick) { this.unseen = 0; this.markRead(); }
    this.updateDownBtn();
    if (l.scrollTop < 400) this.loadOlder();
  }

  updateDownBtn() {
    this.downBtn.hidden = this.stick;
    const count = this.downBtn.querySelector('.down-count');
    count.textContent = this.unseen ? String(this.unseen) : '';
    count.hidden = !this.unseen;
  }

  async loadOlder() {
    const id = this.chatId;
    const t = store.thread(id);
    if (!t.loaded || !t.hasMore || t.loading) return 0;
    this.loader.hidden = false;
    let n = 0;
    try { n = await store.loadPage(id, true); } catch (e) { console.warn(e); }
    if (this.chatId === id) this.loader.hidden = !t.loading;
    return n;
  }

  /** Load older pages until the list overflows (so there is something to scroll). */
  async fillViewport() {
    const id = this.chatId;
    for (let i = 0; i < 5 && this.chatId === id; i++) {
      if (this.list.scrollHeight > this.list.clientHeight + 50) break;
      if (!(await this.loadOlder())) break;
      this.scrollToBottom();
    }
  }

  scrollToBottom(smooth) {
    this.list.scrollTo({ top: this.list.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
    this.stick = true;
    this.unseen = 0;
    this.updateDownBtn();
  }

  /** Scroll to a message (loading older pages if needed) and flash it. */
  async jumpTo(messageId) {
    const id = this.chatId;
    const find = () => this.inner.querySelector(`[data-testid="message"][data-id="${CSS.escape(messageId)}"]`);
    let node = find();
    for (let i = 0; !node && i < 10 && this.chatId === id; i++) {
      if (!(await this.loadOlder())) break;
      node = find();
    }
    if (!node) return false;
    this.stick = false;
    node.scrollIntoView({ block: 'center', behavior: 'smooth' });
    node.classList.remove('flash');
    void node.offsetWidth;
    node.classList.add('flash');
    return true;
  }

  /** Send a read receipt when this chat is visible, focused and has something unread. */
  markRead() {
    const c = this.chat;
    if (!c || this.body.hidden || document.visibilityState !== 'visible' || !document.hasFocus()) return;
    const upTo = store.markReadLocally(this.chatId);
    if (upTo) this.actions.rt.read(this.chatId, upTo);
  }
}
