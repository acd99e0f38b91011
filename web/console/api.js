// Console API client: the agent's session token in localStorage, JSON requests with errors
// carrying the server's message.
const KEY = 'wasla.console.token';

export const session = {
  get token() { return localStorage.getItem(KEY); },
  set token(t) { if (t) localStorage.setItem(KEY, t); else localStorage.removeItem(KEY); },
};

export async function call(method, path, body) {
  const r = await fetch(`/console/v1${path}`, {
    method,
    headers: { ...(session.token ? { Authorization: `Bearer ${session.token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => null);
  if (!r.ok) {
    const e = new Error(data?.error?.message || `HTTP ${r.status}`);
    e.status = r.status;
    throw e;
  }
  return data;
}

/** Read the agent's live stream (Server-Sent Events over fetch, so the session header goes
 * along); `onItem` gets each JSON item, `onOpen` (optional) is called once it is open.
 * Resolves when the server closes the stream. */
export async function stream(onItem, signal, onOpen) {
  const r = await fetch('/console/v1/stream', { headers: { Authorization: `Bearer ${session.token}` }, signal });
  if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
  onOpen?.();
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith('data: ')) { try { onItem(JSON.parse(line.slice(6))); } catch { /* skip */ } }
      }
    }
  }
}

export const api = {
  signIn: (body) => call('POST', '/auth/sign-in', body),
  signOut: () => call('POST', '/auth/sign-out', {}),
  me: () => call('GET', '/me'),
  agents: () => call('GET', '/agents'),
  inbox: (q) => call('GET', `/inbox?${new URLSearchParams(q)}`),
  history: (chat) => call('GET', `/chats/${chat}/messages`),
  reply: (chat, body) => call('POST', `/chats/${chat}/messages`, body),
  read: (chat) => call('POST', `/chats/${chat}/read`, {}),
  update: (chat, body) => call('PATCH', `/chats/${chat}`, body),
  notes: (chat) => call('GET', `/chats/${chat}/notes`),
  addNote: (chat, body) => call('POST', `/chats/${chat}/notes`, { body }),
  customer: (chat) => call('GET', `/chats/${chat}/customer`),
  label: (chat, id, on) => call(on ? 'PUT' : 'DELETE', `/chats/${chat}/labels/${id}`),
  contactLabel: (chat, id, on) => call(on ? 'PUT' : 'DELETE', `/chats/${chat}/contact-labels/${id}`),
  labels: () => call('GET', '/labels'),
  createLabel: (name, color) => call('POST', '/labels', { name, color }),
  quickReplies: () => call('GET', '/quick-replies'),
  createQuickReply: (shortcut, body) => call('POST', '/quick-replies', { shortcut, body }),
  inboxSettings: () => call('GET', '/inbox/settings'),
  setInboxSettings: (body) => call('PUT', '/inbox/settings', body),
  qrs: (number) => call('GET', `/numbers/${number}/qr`),
  createQr: (number, text) => call('POST', `/numbers/${number}/qr`, { prefilled_message: text }),
  deleteQr: (number, code) => call('DELETE', `/numbers/${number}/qr/${code}`),
};

/** Create an element: h('div.a.b', {attrs}, ...children). `testid` sets data-testid. */
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'testid') el.dataset.testid = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') el.style.cssText = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
