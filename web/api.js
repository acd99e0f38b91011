// Talking to the server: the session token, REST calls under /client/v1, media upload and a
// blob-URL cache for media, and the realtime WebSocket (hello/after, reconnect with backoff,
// ping, in-order event delivery with the last processed seq kept in localStorage).
import { Emitter } from './util.js';

const BASE = '/client/v1';
const TOKEN_KEY = 'wasla.token';
const ACCOUNT_KEY = 'wasla.account';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  get account() {
    try { return JSON.parse(localStorage.getItem(ACCOUNT_KEY) || 'null'); } catch { return null; }
  },
  save(token, account) {
    localStorage.setItem(TOKEN_KEY, token);
    if (account) localStorage.setItem(ACCOUNT_KEY, JSON.stringify(account));
  },
  setAccount(account) { localStorage.setItem(ACCOUNT_KEY, JSON.stringify(account)); },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(ACCOUNT_KEY);
  },
};

function cursorKey(waId) { return `wasla.after.${waId}`; }

export function getCursor(waId) {
  return Number(localStorage.getItem(cursorKey(waId)) || 0);
}

/** Only ever moves forward, so tabs sharing storage never rewind each other. */
export function setCursor(waId, seq) {
  if (seq > getCursor(waId)) localStorage.setItem(cursorKey(waId), String(seq));
}

export async function request(method, path, body) {
  const headers = {};
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body: payload });
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the server');
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = data && data.error;
    const e = new ApiError(res.status, err && err.code, (err && err.message) || res.statusText);
    if (res.status === 401 && token) api.emit('unauthorized');
    throw e;
  }
  return data;
}

const enc = encodeURIComponent;

export const api = Object.assign(new Emitter(), {
  requestCode: (phone) => request('POST', '/auth/code', { phone }),
  verify: (phone, code, device) => request('POST', '/auth/verify', { phone, code, device }),
  logout: () => request('POST', '/auth/logout', {}),
  me: () => request('GET', '/me'),
  updateMe: (patch) => request('PATCH', '/me', patch),
  privacy: () => request('GET', '/me/privacy'),
  setPrivacy: (patch) => request('PUT', '/me/privacy', patch),
  lookup: (phone) => request('GET', `/accounts/lookup?phone=${enc(phone)}`),
  account: (waId) => request('GET', `/accounts/${enc(waId)}`),
  businessTools: (waId) => request('GET', `/businesses/${enc(waId)}/tools`),
  chats: () => request('GET', '/chats'),
  chat: (id) => request('GET', `/chats/${enc(id)}`),
  openDirect: (waId) => request('POST', '/chats', { wa_id: waId }),
  createGroup: (body) => request('POST', '/groups', body),
  updateChat: (id, patch) => request('PATCH', `/chats/${enc(id)}`, patch),
  addMembers: (id, waIds) => request('POST', `/chats/${enc(id)}/members`, { wa_ids: waIds }),
  removeMember: (id, waId) => request('DELETE', `/chats/${enc(id)}/members/${enc(waId)}`),
  makeAdmin: (id, waId) => request('POST', `/chats/${enc(id)}/admins`, { wa_id: waId }),
  revokeAdmin: (id, waId) => request('DELETE', `/chats/${enc(id)}/admins/${enc(waId)}`),
  leave: (id) => request('POST', `/chats/${enc(id)}/leave`, {}),
  messages: (id, beforeSeq, limit = 50) => request('GET',
    `/chats/${enc(id)}/messages?limit=${limit}${beforeSeq ? `&before_seq=${beforeSeq}` : ''}`),
  send: (id, body) => request('POST', `/chats/${enc(id)}/messages`, body),
  read: (id, upToSeq) => request('POST', `/chats/${enc(id)}/read`, { up_to_seq: upToSeq }),
  receipts: (id, msgId) => request('GET', `/chats/${enc(id)}/messages/${enc(msgId)}/receipts`),
  upload(file) {
    const fd = new FormData();
    fd.append('file', file, file.name || 'file');
    return request('POST', '/media', fd);
  },
});

// ---- media blobs ----------------------------------------------------------------------------

const blobCache = new Map();

/** Fetch a media id with the session header; resolves to a cached blob URL. */
export function mediaUrl(id) {
  if (!id) return Promise.resolve(null);
  if (!blobCache.has(id)) {
    const p = fetch(`${BASE}/media/${enc(id)}`, { headers: { Authorization: `Bearer ${session.token}` } })
      .then((r) => {
        if (!r.ok) throw new ApiError(r.status, 'media', 'media unavailable');
        return r.blob();
      })
      .then((b) => URL.createObjectURL(b));
    p.catch(() => blobCache.delete(id));
    blobCache.set(id, p);
  }
  return blobCache.get(id);
}

/** Seed the cache with a local file (our own upload) so it shows without a round trip. */
export function seedMedia(id, blob) {
  if (id && blob && !blobCache.has(id)) blobCache.set(id, Promise.resolve(URL.createObjectURL(blob)));
}

// ---- realtime -------------------------------------------------------------------------------

/**
 * One WebSocket per tab. Emits: 'ready' (frame), 'event' (event, seq), 'typing', 'presence',
 * 'state' ('connecting'|'online'|'offline'). Events are delivered strictly in seq order and
 * each at most once; the highest processed seq is persisted per account.
 */
export class Realtime extends Emitter {
  constructor() {
    super();
    this.ws = null;
    this.state = 'offline';
    this.attempt = 0;
    this.pending = new Map();
    this.refCounter = 0;
    this.presenceSet = [];
    this.stopped = true;
    this.lastSeq = 0;
    this.waId = null;
  }

  start(waId) {
    this.waId = waId;
    this.stopped = false;
    this.lastSeq = getCursor(waId);
    this.connect();
    window.addEventListener('online', () => this.kick());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.kick();
    });
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.ws) this.ws.close();
    this.ws = null;
  }

  kick() {
    if (!this.stopped && this.state === 'offline') {
      clearTimeout(this.retryTimer);
      this.attempt = 0;
      this.connect();
    }
  }

  setState(s) {
    if (this.state !== s) {
      this.state = s;
      this.emit('state', s);
    }
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${BASE}/ws`);
    this.ws = ws;
    this.setState('connecting');
    ws.onopen = () => {
      // Each tab resumes from what it processed itself; the stored cursor seeds a fresh tab.
      ws.send(JSON.stringify({ op: 'hello', token: session.token, after: this.lastSeq }));
    };
    ws.onmessage = (e) => {
      let f;
      try { f = JSON.parse(e.data); } catch { return; }
      this.onFrame(f);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      clearInterval(this.pingTimer);
      this.ws = null;
      this.setState('offline');
      for (const [, p] of this.pending) p.reject(new ApiError(0, 'network', 'connection lost'));
      this.pending.clear();
      if (e.code === 4001 || e.code === 1008) this.emit('unauthorized');
      this.scheduleRetry();
    };
    ws.onerror = () => {};
  }

  scheduleRetry() {
    if (this.stopped) return;
    const delay = Math.min(30000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  onFrame(f) {
    switch (f.type) {
      case 'ready':
        this.attempt = 0;
        this.setState('online');
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.raw({ op: 'ping' }), 25000);
        if (this.presenceSet.length) this.raw({ op: 'presence', wa_ids: this.presenceSet });
        this.emit('ready', f);
        break;
      case 'event':
        // Never process an event twice, never out of order.
        if (typeof f.seq === 'number' && f.seq <= this.lastSeq) return;
        this.lastSeq = f.seq;
        this.emit('event', f.event, f.seq);
        setCursor(this.waId, f.seq);
        break;
      case 'ack': {
        const p = this.pending.get(f.ref);
        if (!p) return;
        this.pending.delete(f.ref);
        if (f.error) p.reject(new ApiError(400, f.error.code, f.error.message));
        else p.resolve(f.message);
        break;
      }
      case 'typing': this.emit('typing', f); break;
      case 'presence': this.emit('presence', f); break;
      case 'error':
        if (f.error && f.error.code === 'unauthorized') this.emit('unauthorized');
        break;
      // Other live frames (status_update, status_deleted, status_viewed, …) go to whoever
      // listens for their type.
      default: if (f.type) this.emit(f.type, f); break;
    }
  }

  raw(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.state === 'online') {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  /** Send a message over the socket (acked), or fall back to REST when offline. */
  sendMessage(chatId, body) {
    if (this.state === 'online') {
      const ref = `r${++this.refCounter}`;
      return new Promise((resolve, reject) => {
        this.pending.set(ref, { resolve, reject });
        this.raw({ op: 'send', ref, chat_id: chatId, ...body });
        setTimeout(() => {
          if (this.pending.has(ref)) {
            this.pending.delete(ref);
            api.send(chatId, body).then(resolve, reject);
          }
        }, 15000);
      }).catch((e) => (e.code === 'network' ? api.send(chatId, body) : Promise.reject(e)));
    }
    return api.send(chatId, body);
  }

  receipt(chatId, ids) {
    if (ids.length) this.raw({ op: 'receipt', chat_id: chatId, status: 'delivered', ids });
  }

  read(chatId, upToSeq) {
    if (!this.raw({ op: 'read', chat_id: chatId, up_to_seq: upToSeq })) {
      api.read(chatId, upToSeq).catch(() => {});
    }
  }

  typing(chatId, state) { this.raw({ op: 'typing', chat_id: chatId, state }); }

  presence(waIds) {
    this.presenceSet = waIds;
    this.raw({ op: 'presence', wa_ids: waIds });
  }
}
