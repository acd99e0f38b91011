// Small helpers shared by every module: DOM building, formatting of times, sizes and names,
// ids, and a tiny event emitter.

/** Build an element: h('div.cls#id', {attrs}, children...). */
export function h(tag, attrs, ...children) {
  const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(tag) || [];
  const node = document.createElement(m[1] || 'div');
  for (const part of (m[2] || '').match(/[.#][\w-]+/g) || []) {
    if (part[0] === '.') node.classList.add(part.slice(1));
    else node.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'html') node.innerHTML = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'testid') node.dataset.testid = v;
    else if (k in node && typeof v !== 'string' && k !== 'list') node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Parse an SVG/HTML string into a node. */
export function frag(html) {
  const t = document.createElement('template');
  t.innerHTML = html.trim();
  return t.content.firstElementChild;
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return uuidText(b, 0x40);
}

/** A UUIDv7: 48 bits of Unix milliseconds, then random bits. Messages' client_ids use it, so
 *  the server's dedupe index grows at its end (a random v4 id lands anywhere in it). */
export function uuidv7() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  return uuidText(b, 0x70);
}

/** 16 bytes as a UUID's text, with the given version nibble and the RFC 9562 variant. */
function uuidText(b, version) {
  b[6] = (b[6] & 0x0f) | version;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export class Emitter {
  #handlers = new Map();
  on(name, fn) {
    if (!this.#handlers.has(name)) this.#handlers.set(name, new Set());
    this.#handlers.get(name).add(fn);
    return () => this.#handlers.get(name).delete(fn);
  }
  emit(name, ...args) {
    for (const fn of this.#handlers.get(name) || []) {
      try { fn(...args); } catch (e) { console.error(e); }
    }
  }
}


// Times in the browser's own 12- or 24-hour style, as the business console shows them.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** A time of day ("9:41 PM" or "21:41", by the browser's locale). */
export function clock(ms) {
  return timeFormat.format(new Date(ms));
}

function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function dayKey(ms) {
  return startOfDay(ms);
}

/** "Today", "Yesterday", weekday within a week, else a date. */
export function dayLabel(ms) {
  const today = startOfDay(Date.now());
  const day = startOfDay(ms);
  const diff = Math.round((today - day) / 86400000);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Yesterday';
  const d = new Date(ms);
  if (diff > 1 && diff < 7) return d.toLocaleDateString(undefined, { weekday: 'long' });
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}

/** Chat list time: clock today, "Yesterday", weekday, or a short date. */
export function listTime(ms) {
  if (!ms) return '';
  const today = startOfDay(Date.now());
  const diff = Math.round((today - startOfDay(ms)) / 86400000);
  if (diff === 0) return clock(ms);
  if (diff === 1) return 'Yesterday';
  const d = new Date(ms);
  if (diff > 1 && diff < 7) return d.toLocaleDateString(undefined, { weekday: 'short' });
  return d.toLocaleDateString(undefined, { day: '2-digit', month: '2-digit', year: '2-digit' });
}

export function lastSeenText(ms) {
  if (!ms) return '';
  const diff = Math.round((startOfDay(Date.now()) - startOfDay(ms)) / 86400000);
  if (diff === 0) return `last seen today at ${clock(ms)}`;
  if (diff === 1) return `last seen yesterday at ${clock(ms)}`;
  return `last seen ${new Date(ms).toLocaleDateString()} at ${clock(ms)}`;
}

export function fileSize(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function initials(name) {
  const words = String(name || '?').replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/);
  const s = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || '?').slice(0, 2);
  return (s || '?').toUpperCase();
}

const PALETTE = ['#e17076', '#7bc862', '#e5ca77', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];
export function colorFor(key) {
  let x = 0;
  for (const ch of String(key || '')) x = (x * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[x % PALETTE.length];
}

/** Pretty-print an E.164 number loosely: +1 555 123 4567. */
export function prettyPhone(phone) {
  const p = String(phone || '');
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(p);
  if (m) return `+1 ${m[1]} ${m[2]} ${m[3]}`;
  return p.replace(/^(\+\d{2})(\d{3})(\d{3})(\d+)$/, '$1 $2 $3 $4');
}

/** The name a person sees for an account. */
export function accountName(acc) {
  if (!acc) return 'Unknown';
  if (acc.kind === 'business' && acc.verified_name) return acc.verified_name;
  return acc.display_name || prettyPhone(acc.phone || (acc.wa_id ? `+${acc.wa_id}` : ''));
}

export function deviceName() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS'
    : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'web';
  return `${browser} on ${os}`;
}

export function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

/** Turn URLs in text into links; returns nodes. */
export function linkify(text) {
  const out = [];
  const re = /\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)\]'"]/g;
  let last = 0;
  for (const m of String(text).matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(h('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer' }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function osmLink(lat, lon) {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}
