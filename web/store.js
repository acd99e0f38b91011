// Client-side state: me, chats, loaded message pages, pending (optimistic) messages, folded
// reactions, typing and presence. Applies server events idempotently and emits change
// notifications that the views listen to.
import { Emitter, accountName } from './util.js';
import { api } from './api.js';

const RANK = { pending: 0, sent: 1, delivered: 2, read: 3 };

export function betterStatus(cur, next) {
  if (!next) return cur;
  if (next === 'failed') return cur === 'read' || cur === 'delivered' ? cur : 'failed';
  if (!cur || cur === 'failed') return next;
  return (RANK[next] ?? 0) > (RANK[cur] ?? 0) ? next : cur;
}

class Store extends Emitter {
  constructor() {
    super();
    this.reset();
  }

  reset() {
    this.me = null;
    this.chats = new Map();
    this.threads = new Map();
    this.reactions = new Map();
    this.typing = new Map();
    this.presence = new Map();
    this.accounts = new Map();
    this.chatsLoaded = false;
  }

  setMe(acc) {
    this.me = acc;
    this.emit('me', acc);
  }

  isMine(m) { return !!this.me && m.from === this.me.wa_id; }

  // ---- chats ----------------------------------------------------------------------------

  async loadChats() {
    const res = await api.chats();
    for (const c of res.data || []) this.putChat(c, true);
    this.chatsLoaded = true;
    this.emit('chats');
  }

  putChat(c, quiet) {
    const old = this.chats.get(c.chat_id);
    if (old) {
      // Keep whatever is newer: events and REST can race.
      if ((old.last_seq || 0) > (c.last_seq || 0)) {
        c.last_seq = old.last_seq;
        c.last_message = old.last_message;
        c.unread = old.unread;
      }
      if ((old.last_read_seq || 0) > (c.last_read_seq || 0)) {
        c.last_read_seq = old.last_read_seq;
        c.unread = Math.min(c.unread || 0, old.unread || 0);
      }
    }
    this.chats.set(c.chat_id, c);
    for (const m of c.members || []) this.rememberAccount(m.account);
    if (c.peer) this.rememberAccount(c.peer);
    if (!quiet) {
      this.emit('chats');
      this.emit('chat', c.chat_id);
    }
    return c;
  }

  async ensureChat(chatId) {
    if (this.chats.has(chatId)) return this.chats.get(chatId);
    const c = await api.chat(chatId);
    return this.putChat(c);
  }

  rememberAccount(a) { if (a && a.wa_id) this.accounts.set(a.wa_id, a); }

  sortedChats() {
    const act = (c) => (c.last_message ? c.last_message.timestamp : 0) || c.created_at || 0;
    return [...this.chats.values()].sort((a, b) => act(b) - act(a));
  }

  chatName(c) {
    if (!c) return '';
    if (c.kind === 'group') return c.subject || 'Group';
    return accountName(c.peer);
  }

  senderName(chatId, waId) {
    if (this.me && waId === this.me.wa_id) return 'You';
    const c = this.chats.get(chatId);
    const mem = c && (c.members || []).find((x) => x.account.wa_id === waId);
    if (mem) return accountName(mem.account);
    if (c && c.peer && c.peer.wa_id === waId) return accountName(c.peer);
    const a = this.accounts.get(waId);
    return a ? accountName(a) : `+${waId}`;
  }

  // ---- messages -------------------------------------------------------------------------

  thread(chatId) {
    if (!this.threads.has(chatId)) {
      this.threads.set(chatId, { list: [], byId: new Map(), pending: [], hasMore: true, loaded: false, loading: null });
    }
    return this.threads.get(chatId);
  }

  /** Load the newest page, or the page before the oldest loaded message. */
  loadPage(chatId, older) {
    const t = this.thread(chatId);
    if (t.loading) return t.loading;
    if (older && (!t.hasMore || !t.list.length)) return Promise.resolve(0);
    const before = older ? t.list[0].seq : undefined;
    t.loading = api.messages(chatId, before).then((res) => {
      const data = res.data || [];
      for (const m of data) this.insertMessage(t, m);
      if (older || !t.loaded) t.hasMore = !!res.has_more;
      t.loaded = true;
      return data.length;
    }).finally(() => { t.loading = null; });
    return t.loading.then((n) => {
      this.emit('messages', chatId, older ? 'older' : 'newest');
      return n;
    });
  }

  insertMessage(t, m) {
    if (m.type === 'reaction') {
      this.foldReaction(m);
      return false;
    }
    if (t.byId.has(m.id)) {
      const cur = t.byId.get(m.id);
      cur.status = betterStatus(cur.status, m.status);
      return false;
    }
    if (m.client_id) t.pending = t.pending.filter((p) => p.client_id !== m.client_id);
    t.byId.set(m.id, m);
    const list = t.list;
    let i = list.length;
    while (i > 0 && list[i - 1].seq > m.seq) i--;
    list.splice(i, 0, m);
    return true;
  }

  foldReaction(m) {
    const r = m.reaction || {};
    if (!r.message_id) return;
    if (!this.reactions.has(r.message_id)) this.reactions.set(r.message_id, new Map());
    const per = this.reactions.get(r.message_id);
    const cur = per.get(m.from);
    if (cur && cur.seq >= m.seq) return;
    per.set(m.from, { emoji: r.emoji || '', seq: m.seq, mine: this.isMine(m) });
  }

  /** [{emoji, count, mine, from:[wa_id]}] for a target message. */
  reactionsFor(id) {
    const per = this.reactions.get(id);
    if (!per) return [];
    const groups = new Map();
    for (const [from, r] of per) {
      if (!r.emoji) continue;
      if (!groups.has(r.emoji)) groups.set(r.emoji, { emoji: r.emoji, count: 0, mine: false, from: [] });
      const g = groups.get(r.emoji);
      g.count++;
      g.from.push(from);
      if (r.mine) g.mine = true;
    }
    return [...groups.values()];
  }

  myReaction(id) {
    const per = this.reactions.get(id);
    const r = per && this.me && per.get(this.me.wa_id);
    return r ? r.emoji : '';
  }

  findMessage(chatId, id) {
    const t = this.threads.get(chatId);
    return (t && t.byId.get(id)) || null;
  }

  /** Messages to render: committed by seq, then pending in creation order. */
  visibleMessages(chatId) {
    const t = this.thread(chatId);
    return t.list.concat(t.pending);
  }

  addPending(chatId, msg) {
    const t = this.thread(chatId);
    t.pending.push(msg);
    this.emit('messages', chatId, 'mine');
  }

  updatePending(chatId, clientId, patch) {
    const t = this.thread(chatId);
    const p = t.pending.find((x) => x.client_id === clientId);
    if (p) Object.assign(p, patch);
    this.emit('messages', chatId, 'update');
  }

  /**
   * A committed message arrived (ack, REST answer or event). `sentHere` is true only for
   * this device's own sends: those scroll the conversation to the bottom, while events
   * (including this account's messages from its other devices, or a catch-up replay after
   * reopening) never move a reader who scrolled up.
   */
  async onMessage(m, sentHere) {
    let c = this.chats.get(m.chat_id);
    if (!c) {
      try { c = await this.ensureChat(m.chat_id); } catch { return; }
    }
    const mine = this.isMine(m);
    if ((m.seq || 0) > (c.last_seq || 0)) {
      c.last_seq = m.seq;
      c.last_message = m;
      if (!mine && m.type !== 'reaction' && m.seq > (c.last_read_seq || 0)) c.unread = (c.unread || 0) + 1;
      if (mine) {
        c.last_read_seq = Math.max(c.last_read_seq || 0, m.seq);
      }
    }
    if (c.last_message && c.last_message.client_id && c.last_message.client_id === m.client_id) {
      c.last_message = m.seq >= (c.last_message.seq || 0) ? m : c.last_message;
    }
    this.stopTyping(m.chat_id, m.from);
    // Threads exist once a conversation was opened (even while its first page loads).
    if (this.threads.has(m.chat_id) || m.type === 'reaction') this.insertMessage(this.thread(m.chat_id), m);
    this.emit('chats');
    this.emit('messages', m.chat_id, sentHere ? 'mine' : 'incoming');
  }

  onStatus(ev) {
    const t = this.threads.get(ev.chat_id);
    const m = t && t.byId.get(ev.id);
    const status = ev.aggregate || ev.status;
    if (m) m.status = betterStatus(m.status, status);
    const c = this.chats.get(ev.chat_id);
    if (c && c.last_message && c.last_message.id === ev.id) {
      c.last_message.status = betterStatus(c.last_message.status, status);
      this.emit('chats');
    }
    if (m) this.emit('status', ev.chat_id, ev.id);
  }

  onRead(chatId, upTo) {
    const c = this.chats.get(chatId);
    if (!c) return;
    c.last_read_seq = Math.max(c.last_read_seq || 0, upTo);
    if (upTo >= (c.last_seq || 0)) c.unread = 0;
    else {
      const t = this.threads.get(chatId);
      if (t && t.loaded) {
        c.unread = t.list.filter((m) => m.seq > upTo && !this.isMine(m) && m.type !== 'system').length;
      }
    }
    this.emit('chats');
  }

  markReadLocally(chatId) {
    const c = this.chats.get(chatId);
    if (!c) return 0;
    const upTo = c.last_seq || 0;
    const need = (c.unread || 0) > 0 || (c.last_read_seq || 0) < upTo;
    c.unread = 0;
    c.last_read_seq = Math.max(c.last_read_seq || 0, upTo);
    if (need) this.emit('chats');
    return need ? upTo : 0;
  }

  async applyEvent(ev) {
    switch (ev.kind) {
      case 'message': await this.onMessage(ev.message, false); break;
      case 'status': this.onStatus(ev); break;
      case 'read': this.onRead(ev.chat_id, ev.up_to_seq); break;
      case 'chat': this.putChat(ev.chat); break;
      case 'profile': this.setMe(ev.account); break;
      default: break;
    }
  }

  // ---- typing and presence --------------------------------------------------------------

  onTyping(f) {
    if (this.me && f.wa_id === this.me.wa_id) return;
    if (!this.typing.has(f.chat_id)) this.typing.set(f.chat_id, new Map());
    const per = this.typing.get(f.chat_id);
    clearTimeout(per.get(f.wa_id));
    if (f.state === 'composing') {
      per.set(f.wa_id, setTimeout(() => this.stopTyping(f.chat_id, f.wa_id), 25000));
    } else per.delete(f.wa_id);
    this.emit('typing', f.chat_id);
  }

  stopTyping(chatId, waId) {
    const per = this.typing.get(chatId);
    if (per && per.has(waId)) {
      clearTimeout(per.get(waId));
      per.delete(waId);
      this.emit('typing', chatId);
    }
  }

  typingIn(chatId) {
    const per = this.typing.get(chatId);
    return per ? [...per.keys()] : [];
  }

  onPresence(f) {
    this.presence.set(f.wa_id, { online: !!f.online, last_seen: f.last_seen });
    this.emit('presence', f.wa_id);
  }
}

export const store = new Store();

/** One-line preview of a message for the chat list and quotes. */
export function preview(m) {
  if (!m) return '';
  switch (m.type) {
    case 'text': return (m.text && m.text.body) || '';
    case 'image': return `📷 ${(m.image && m.image.caption) || 'Photo'}`;
    case 'video': return `🎥 ${(m.video && m.video.caption) || 'Video'}`;
    case 'audio': return '🎵 Audio';
    case 'sticker': return 'Sticker';
    case 'document': return `📄 ${(m.document && (m.document.filename || m.document.caption)) || 'Document'}`;
    case 'location': return `📍 ${(m.location && m.location.name) || 'Location'}`;
    case 'contacts': return `👤 ${((m.contacts || [])[0] || {}).name?.formatted_name || 'Contact'}`;
    case 'reaction': return m.reaction && m.reaction.emoji ? `Reacted ${m.reaction.emoji}` : 'Removed a reaction';
    case 'system': return (m.system && m.system.body) || '';
    case 'interactive': case 'template': case 'button': return messageText(m) || 'Message';
    default: return m.type;
  }
}

/** The plain text a business message or an answer to one shows (for previews and copying). */
export function messageText(m) {
  switch (m.type) {
    case 'text': return (m.text && m.text.body) || '';
    case 'interactive': {
      const i = m.interactive || {};
      const choice = i.button_reply || i.list_reply;
      if (choice) return choice.title || '';
      return (i.body && i.body.text) || (i.header && i.header.text) || '';
    }
    case 'template': {
      const t = m.template || {};
      return (t.rendered && t.rendered.body) || t.name || '';
    }
    case 'button': return (m.button && m.button.text) || '';
    default: return '';
  }
}

/** The context of a reply quoting m (only message_id is sent; the rest shows the quote). */
export function quoteOf(m) {
  return { message_id: m.id, from: m.from, type: m.type, preview: preview(m) };
}
