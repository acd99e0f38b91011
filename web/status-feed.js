// Status on the client: the calls under /client/v1/status and /client/v1/contacts, and the feed
// state the Updates tab and the viewer share: my updates, contacts' updates grouped by author
// (muted ones apart), sponsored placements, my views, live frames (new, deleted, viewed) and
// expiry by each update's expires_at, so an update drops out without a reload or a frame.
import { Emitter } from './util.js';
import { request, session } from './api.js';

const enc = encodeURIComponent;

/** REST calls of the Status feature (errors are the client API's ApiError). */
export const statusApi = {
  feed: () => request('GET', '/status'),
  post: (body) => request('POST', '/status', body),
  remove: (id) => request('DELETE', `/status/${enc(id)}`),
  view: (id) => request('POST', `/status/${enc(id)}/view`, {}),
  viewers: (id) => request('GET', `/status/${enc(id)}/viewers`),
  reply: (id, text) => request('POST', `/status/${enc(id)}/reply`, { text }),
  react: (id, emoji) => request('POST', `/status/${enc(id)}/react`, { emoji }),
  mute: (waId, on) => request(on ? 'PUT' : 'DELETE', `/status/mutes/${enc(waId)}`),
  audience: () => request('GET', '/status/audience'),
  setAudience: (a) => request('PUT', '/status/audience', a),
  contacts: () => request('GET', '/contacts'),
  addContact: (waId) => request('PUT', `/contacts/${enc(waId)}`),
  removeContact: (waId) => request('DELETE', `/contacts/${enc(waId)}`),
};

const blobs = new Map();

/** A Status media or thumbnail URL (it needs the session header) as a cached blob URL. */
export function statusBlob(url) {
  if (!url) return Promise.reject(new Error('no media'));
  if (!blobs.has(url)) {
    const p = fetch(url, { headers: { Authorization: `Bearer ${session.token}` } })
      .then((r) => { if (!r.ok) throw new Error(`media ${r.status}`); return r.blob(); })
      .then((b) => URL.createObjectURL(b));
    p.catch(() => blobs.delete(url));
    blobs.set(url, p);
  }
  return blobs.get(url);
}

/** An update's media payload ({url, thumbnail_url, caption, mime_type}) or null for text. */
export function mediaOf(u) {
  return (u && (u.type === 'image' || u.type === 'video') && u[u.type]) || null;
}

/**
 * The feed. Emits 'change' whenever what the Updates tab shows changed, 'viewers' (update id)
 * when someone viewed one of mine, and 'removed' (update id) when an update went away.
 */
class StatusFeed extends Emitter {
  constructor() {
    super();
    this.reset();
  }

  reset() {
    clearTimeout(this.expiryTimer);
    this.me = '';
    this.mine = [];
    this.authors = new Map();
    this.ads = [];
    this.loaded = false;
  }

  /** Load the feed from the server (on start, on reconnect, after posting elsewhere). */
  async load() {
    const f = await statusApi.feed();
    this.mine = (f.mine || []).slice();
    this.authors = new Map();
    const put = (group, muted) => this.authors.set(group.author.wa_id, { author: group.author, updates: group.updates.slice(), muted });
    for (const g of f.contacts || []) put(g, false);
    for (const g of f.muted || []) put(g, true);
    this.ads = f.ads || [];
    this.loaded = true;
    this.changed();
  }

  /** Contacts' groups, newest first: {contacts: [...], muted: [...]} with unseen counts. */
  groups() {
    const now = Date.now();
    const out = { contacts: [], muted: [] };
    for (const g of this.authors.values()) {
      const updates = g.updates.filter((u) => u.expires_at > now);
      if (!updates.length) continue;
      const view = {
        author: g.author, updates, muted: g.muted,
        unseen: updates.filter((u) => !u.viewed).length,
        latest_at: updates[updates.length - 1].posted_at,
      };
      (g.muted ? out.muted : out.contacts).push(view);
    }
    // Newest first, as the server orders them (ad placements index into this order).
    const order = (a, b) => b.latest_at - a.latest_at;
    out.contacts.sort(order);
    out.muted.sort(order);
    return out;
  }

  /** My live updates, oldest to newest. */
  myUpdates() {
    const now = Date.now();
    return this.mine.filter((u) => u.expires_at > now);
  }

  /** Where an update is: its author's list (mine included). */
  find(id) {
    const m = this.mine.find((u) => u.id === id);
    if (m) return m;
    for (const g of this.authors.values()) {
      const u = g.updates.find((x) => x.id === id);
      if (u) return u;
    }
    return null;
  }

  isMine(u) { return !!u && (u.author.wa_id === this.me || this.mine.some((x) => x.id === u.id)); }

  /** A new update from a live frame or my own post: added in posting order, once. */
  add(u) {
    if (!u || this.find(u.id)) return;
    if (u.author.wa_id === this.me) {
      this.mine.push(u);
      this.mine.sort((a, b) => a.posted_at - b.posted_at);
    } else {
      let g = this.authors.get(u.author.wa_id);
      if (!g) {
        g = { author: u.author, updates: [], muted: false };
        this.authors.set(u.author.wa_id, g);
      }
      g.updates.push(u);
      g.updates.sort((a, b) => a.posted_at - b.posted_at);
    }
    this.changed();
  }

  /** An update was deleted (by its author, here or on another device). */
  remove(id) {
    const before = this.mine.length;
    this.mine = this.mine.filter((u) => u.id !== id);
    let gone = before !== this.mine.length;
    for (const g of this.authors.values()) {
      const n = g.updates.length;
      g.updates = g.updates.filter((u) => u.id !== id);
      if (n !== g.updates.length) gone = true;
    }
    if (gone) {
      this.emit('removed', id);
      this.changed();
    }
  }

  /** Mark an update viewed here (at once) and on the server (idempotent). */
  markViewed(u) {
    if (!u || u.viewed || this.isMine(u)) return;
    u.viewed = true;
    statusApi.view(u.id).catch(() => { /* the next load tells the truth */ });
    this.changed();
  }

  /** Mute or unmute an author; the feed moves them between sections. */
  async setMuted(waId, on) {
    await statusApi.mute(waId, on);
    const g = this.authors.get(waId);
    if (g) g.muted = on;
    this.changed();
  }

  /** Wire the live frames of one realtime connection. */
  attach(rt, meWaId) {
    this.me = meWaId;
    rt.on('status_update', (f) => this.add(f.update));
    rt.on('status_deleted', (f) => this.remove(f.deleted && f.deleted.id));
    rt.on('status_viewed', (f) => { if (f.viewed) this.emit('viewers', f.viewed.id, f.viewed.viewer); });
    // After a reconnect, frames sent while offline are not replayed: read the feed again.
    rt.on('ready', () => { if (this.loaded) this.load().catch(() => {}); });
  }

  changed() {
    this.scheduleExpiry();
    this.emit('change');
  }

  /** Re-render when the next update expires, so it drops out by its expires_at. */
  scheduleExpiry() {
    clearTimeout(this.expiryTimer);
    const now = Date.now();
    let next = Infinity;
    for (const u of this.mine) if (u.expires_at > now) next = Math.min(next, u.expires_at);
    for (const g of this.authors.values()) for (const u of g.updates) if (u.expires_at > now) next = Math.min(next, u.expires_at);
    if (next === Infinity) return;
    // Timers cannot wait longer than ~24.8 days; updates live 24 hours.
    this.expiryTimer = setTimeout(() => this.expire(), Math.min(next - now + 50, 2 ** 31 - 1));
  }

  expire() {
    const now = Date.now();
    const gone = [];
    this.mine = this.mine.filter((u) => u.expires_at > now || (gone.push(u.id), false));
    for (const g of this.authors.values()) g.updates = g.updates.filter((u) => u.expires_at > now || (gone.push(u.id), false));
    for (const id of gone) this.emit('removed', id);
    this.changed();
  }
}

/** The one feed of this tab. */
export const statusFeed = new StatusFeed();
