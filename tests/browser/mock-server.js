// A small in-memory stand-in for the Wasla client API (docs/client-api.md), used to develop
// and test the web client without the Rust server: `node mock-server.js --port 8090 --web-dir ../../web`.
// The browser tests use it only when WASLA_MOCK=1; by default they run the real binary.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';

export function createMockServer({ webDir, webhookUrl, log = () => {} }) {
  const accounts = new Map(); const codes = new Map(); const sessions = new Map();
  const chats = new Map(); const media = new Map(); const events = new Map();
  const sockets = new Map(); const subs = new Map();
  let nextId = 7400; let mediaId = 100;
  const now = () => Date.now();
  const err = (res, status, code, message) => json(res, status, { error: { code, message } });
  const json = (res, status, body) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };

  const normalize = (p) => { const d = String(p || '').replace(/[^\d]/g, ''); return /^\+?[\d\s().-]+$/.test(String(p).trim()) && d.length >= 8 && d.length <= 15 ? d : null; };
  const acc = (w) => { const a = accounts.get(w); return { ...a, last_seen: online(w) ? null : a.last_seen }; };
  const online = (w) => (sockets.get(w) || new Set()).size > 0;
  const chatView = (c, me) => {
    const msgs = c.msgs;
    const readSeq = c.readSeq.get(me) || 0;
    const visible = c.members.has(me) ? msgs : msgs.filter((m) => m.seq <= (c.leftAt.get(me) || 0));
    const last = visible[visible.length - 1];
    const peer = c.kind === 'direct' ? [...c.members.keys()].find((w) => w !== me) : null;
    return {
      chat_id: c.chat_id, kind: c.kind, subject: c.subject || null, photo: c.photo || null,
      peer: peer ? acc(peer) : undefined,
      members: [...c.members].map(([w, role]) => ({ account: acc(w), role })),
      me_role: c.members.get(me) || 'member', left: !c.members.has(me),
      last_seq: last ? last.seq : 0, last_read_seq: readSeq,
      unread: visible.filter((m) => m.seq > readSeq && m.from !== me && m.type !== 'reaction').length,
      last_message: last ? msgView(last, me) : null, created_at: c.created_at,
    };
  };
  const agg = (m) => {
    const s = [...m.statuses.values()];
    if (!s.length) return 'sent';
    if (s.every((x) => x === 'read')) return 'read';
    if (s.every((x) => x === 'read' || x === 'delivered')) return 'delivered';
    return 'sent';
  };
  const msgView = (m, me) => {
    const { statuses, ...rest } = m;
    return { ...rest, status: m.from === me ? agg(m) : 'delivered' };
  };
  const push = (w, frame) => { for (const s of sockets.get(w) || []) if (s.ready) s.send(JSON.stringify(frame)); };
  const event = (w, ev) => {
    if (!events.has(w)) events.set(w, []);
    const list = events.get(w);
    const seq = list.length + 1;
    list.push({ seq, event: ev });
    push(w, { type: 'event', seq, event: ev });
  };
  const chatEvent = (c, extra = []) => { for (const w of new Set([...c.members.keys(), ...extra])) event(w, { kind: 'chat', chat: chatView(c, w) }); };
  const system = (c, body, by) => commit(c, by, { type: 'system', system: { body } });

  function commit(c, from, body) {
    if (body.client_id) {
      const dup = c.msgs.find((m) => m.client_id === body.client_id && m.from === from);
      if (dup) return dup;
    }
    const m = {
      id: `wamid.${crypto.randomBytes(12).toString('hex')}`, chat_id: c.chat_id, seq: c.msgs.length + 1, from, timestamp: now(),
      type: body.type, forwarded: !!body.forwarded, client_id: body.client_id || null, statuses: new Map(),
    };
    if (['image', 'video', 'audio', 'document', 'sticker'].includes(body.type)) {
      const md = media.get(body[body.type].id);
      m[body.type] = { ...body[body.type], mime_type: md && md.mime, file_size: md && md.buf.length, sha256: md && md.sha };
    } else if (body.type === 'contacts') m.contacts = body.contacts;
    else m[body.type] = body[body.type];
    if (body.context && body.context.message_id) {
      const q = c.msgs.find((x) => x.id === body.context.message_id);
      if (q) m.context = { message_id: q.id, from: q.from, type: q.type, preview: q.text ? q.text.body : q.type };
    }
    if (body.type !== 'system') for (const w of c.members.keys()) if (w !== from) m.statuses.set(w, 'sent');
    c.msgs.push(m);
    for (const w of c.members.keys()) event(w, { kind: 'message', message: msgView(m, w) });
    return m;
  }

  function setStatus(c, id, w, status) {
    const m = c.msgs.find((x) => x.id === id);
    if (!m || !m.statuses.has(w)) return;
    const rank = { sent: 0, delivered: 1, read: 2 };
    if (rank[status] <= rank[m.statuses.get(w)]) return;
    m.statuses.set(w, status);
    event(m.from, { kind: 'status', chat_id: c.chat_id, id, status, wa_id: w, aggregate: agg(m), timestamp: now() });
  }
  function read(c, w, upTo) {
    c.readSeq.set(w, Math.max(c.readSeq.get(w) || 0, upTo));
    for (const m of c.msgs) if (m.seq <= upTo && m.from !== w) setStatus(c, m.id, w, 'read');
    event(w, { kind: 'read', chat_id: c.chat_id, up_to_seq: upTo });
  }
  const newChat = (kind, extra) => {
    const c = { chat_id: String(nextId++), kind, msgs: [], members: new Map(), readSeq: new Map(), leftAt: new Map(), created_at: now(), ...extra };
    chats.set(c.chat_id, c);
    return c;
  };

  function sendCode(phone, wa_id, code) {
    log(`verification code for +${wa_id}: ${code}`);
    if (!webhookUrl) return;
    const r = http.request(webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    r.on('error', () => {});
    r.end(JSON.stringify({ phone, wa_id, code }));
  }

  async function body(req) {
    const chunks = [];
    for await (const ch of req) chunks.push(ch);
    return Buffer.concat(chunks);
  }

  function parseMultipart(buf, ctype) {
    const b = /boundary=(?:"([^"]+)"|([^;]+))/.exec(ctype);
    const sep = Buffer.from(`--${b[1] || b[2]}`);
    let i = buf.indexOf(sep);
    while (i >= 0) {
      const start = i + sep.length + 2;
      const next = buf.indexOf(sep, start);
      if (next < 0) break;
      const part = buf.subarray(start, next - 2);
      const he = part.indexOf('\r\n\r\n');
      const head = part.subarray(0, he).toString();
      if (/name="file"/.test(head)) {
        return { head, data: part.subarray(he + 4), filename: (/filename="([^"]*)"/.exec(head) || [])[1], type: (/content-type:\s*(\S+)/i.exec(head) || [])[1] };
      }
      i = next;
    }
    return null;
  }

  async function api(req, res, url) {
    const p = url.pathname.replace('/client/v1', '');
    const m = req.method;
    const raw = m === 'GET' || m === 'DELETE' ? Buffer.alloc(0) : await body(req);
    let b = {};
    if ((req.headers['content-type'] || '').includes('json') && raw.length) b = JSON.parse(raw.toString());
    if (m === 'POST' && p === '/auth/code') {
      const w = normalize(b.phone);
      if (!w) return err(res, 400, 'bad_request', 'invalid phone number');
      const code = String(crypto.randomInt(0, 1e6)).padStart(6, '0');
      codes.set(w, code);
      sendCode(`+${w}`, w, code);
      return json(res, 200, { phone: `+${w}`, wa_id: w, expires_in: 600 });
    }
    if (m === 'POST' && p === '/auth/verify') {
      const w = normalize(b.phone);
      if (!w || codes.get(w) !== b.code) return err(res, 400, 'bad_request', 'wrong code');
      codes.delete(w);
      const isNew = !accounts.has(w);
      if (isNew) accounts.set(w, { wa_id: w, phone: `+${w}`, kind: 'person', display_name: '', about: '', photo: null, verified_name: null, last_seen: null });
      const token = crypto.randomBytes(32).toString('hex');
      sessions.set(token, w);
      return json(res, 200, { token, account: acc(w), new_account: isNew });
    }
    const me = sessions.get((req.headers.authorization || '').replace(/^Bearer /, ''));
    if (!me) return err(res, 401, 'unauthorized', 'no session');
    if (m === 'POST' && p === '/auth/logout') { sessions.delete(req.headers.authorization.slice(7)); return json(res, 200, { success: true }); }
    if (p === '/me') {
      if (m === 'PATCH') {
        const a = accounts.get(me);
        for (const k of ['display_name', 'about', 'photo']) if (k in b) a[k] = b[k];
        event(me, { kind: 'profile', account: acc(me) });
      }
      return json(res, 200, acc(me));
    }
    if (p === '/accounts/lookup') {
      const w = normalize(url.searchParams.get('phone'));
      return w && accounts.has(w) ? json(res, 200, acc(w)) : err(res, 404, 'not_found', 'no account');
    }
    let r;
    if ((r = /^\/accounts\/(\d+)$/.exec(p))) return accounts.has(r[1]) ? json(res, 200, acc(r[1])) : err(res, 404, 'not_found', 'no account');
    if (p === '/chats' && m === 'GET') {
      const list = [...chats.values()].filter((c) => c.members.has(me) || c.leftAt.has(me)).map((c) => chatView(c, me));
      list.sort((x, y) => ((y.last_message || {}).timestamp || y.created_at) - ((x.last_message || {}).timestamp || x.created_at));
      return json(res, 200, { data: list });
    }
    if (p === '/chats' && m === 'POST') {
      if (!accounts.has(b.wa_id) || b.wa_id === me) return err(res, 404, 'not_found', 'no account');
      let c = [...chats.values()].find((x) => x.kind === 'direct' && x.members.has(me) && x.members.has(b.wa_id));
      if (!c) { c = newChat('direct'); c.members.set(me, 'member'); c.members.set(b.wa_id, 'member'); chatEvent(c); }
      return json(res, 200, chatView(c, me));
    }
    if (p === '/groups' && m === 'POST') {
      const c = newChat('group', { subject: b.subject, photo: b.photo || null });
      c.members.set(me, 'admin');
      for (const w of b.members || []) if (accounts.has(w)) c.members.set(w, 'member');
      system(c, `${acc(me).display_name} created group "${b.subject}"`, me);
      chatEvent(c);
      return json(res, 200, chatView(c, me));
    }
    if (p === '/media' && m === 'POST') {
      const part = parseMultipart(raw, req.headers['content-type'] || '');
      if (!part) return err(res, 400, 'bad_request', 'no file part');
      const d = part.data;
      const mime = d[0] === 0x89 && d[1] === 0x50 ? 'image/png' : d[0] === 0xff && d[1] === 0xd8 ? 'image/jpeg' : part.type || 'application/octet-stream';
      const id = String(mediaId++);
      media.set(id, { buf: Buffer.from(d), mime, sha: crypto.createHash('sha256').update(d).digest('hex'), filename: part.filename });
      return json(res, 200, { id, mime_type: mime, file_size: d.length, sha256: media.get(id).sha, filename: part.filename });
    }
    if ((r = /^\/media\/(\d+)$/.exec(p))) {
      const md = media.get(r[1]);
      if (!md) return err(res, 404, 'not_found', 'no media');
      res.writeHead(200, { 'Content-Type': md.mime });
      return res.end(md.buf);
    }
    if (!(r = /^\/chats\/(\d+)(\/.*)?$/.exec(p))) return err(res, 404, 'not_found', 'no route');
    const c = chats.get(r[1]);
    if (!c || !(c.members.has(me) || c.leftAt.has(me))) return err(res, 404, 'not_found', 'chat not found');
    const sub = r[2] || '';
    const isAdmin = c.members.get(me) === 'admin';
    if (!sub) {
      if (m === 'PATCH') {
        if (!isAdmin) return err(res, 403, 'forbidden', 'admins only');
        if (b.subject && b.subject !== c.subject) { c.subject = b.subject; system(c, `${acc(me).display_name} changed the subject to "${b.subject}"`, me); }
        if ('photo' in b) c.photo = b.photo;
        chatEvent(c);
      }
      return json(res, 200, chatView(c, me));
    }
    if (sub === '/members' && m === 'POST') {
      if (!isAdmin) return err(res, 403, 'forbidden', 'admins only');
      for (const w of b.wa_ids || []) if (accounts.has(w) && !c.members.has(w)) { c.members.set(w, 'member'); c.leftAt.delete(w); system(c, `${acc(me).display_name} added ${acc(w).display_name}`, me); }
      chatEvent(c);
      return json(res, 200, chatView(c, me));
    }
    if ((r = /^\/(members|admins)\/(\d+)$/.exec(sub)) && m === 'DELETE' || sub === '/admins' && m === 'POST') {
      if (!isAdmin) return err(res, 403, 'forbidden', 'admins only');
      const w = r ? r[2] : b.wa_id;
      if (!c.members.has(w)) return err(res, 404, 'not_found', 'not a member');
      if (r && r[1] === 'members') {
        system(c, `${acc(me).display_name} removed ${acc(w).display_name}`, me);
        c.members.delete(w); c.leftAt.set(w, c.msgs.length);
        chatEvent(c, [w]);
      } else { c.members.set(w, m === 'POST' ? 'admin' : 'member'); chatEvent(c); }
      return json(res, 200, chatView(c, me));
    }
    if (sub === '/leave' && m === 'POST') {
      system(c, `${acc(me).display_name} left`, me);
      c.members.delete(me); c.leftAt.set(me, c.msgs.length);
      chatEvent(c, [me]);
      return json(res, 200, { success: true });
    }
    if (sub === '/messages' && m === 'GET') {
      const before = Number(url.searchParams.get('before_seq') || Infinity);
      const limit = Number(url.searchParams.get('limit') || 50);
      const max = c.members.has(me) ? Infinity : c.leftAt.get(me);
      const all = c.msgs.filter((x) => x.seq < before && x.seq <= max);
      const page = all.slice(-limit);
      return json(res, 200, { data: page.map((x) => msgView(x, me)), has_more: all.length > page.length });
    }
    if (sub === '/messages' && m === 'POST') {
      if (!c.members.has(me)) return err(res, 403, 'forbidden', 'not a member');
      return json(res, 200, msgView(commit(c, me, b), me));
    }
    if (sub === '/read' && m === 'POST') { read(c, me, b.up_to_seq); return json(res, 200, { success: true }); }
    if ((r = /^\/messages\/([^/]+)\/receipts$/.exec(sub))) {
      const msg = c.msgs.find((x) => x.id === decodeURIComponent(r[1]));
      if (!msg) return err(res, 404, 'not_found', 'no message');
      return json(res, 200, { data: [...msg.statuses].map(([wa_id, status]) => ({ wa_id, status, timestamp: now() })) });
    }
    return err(res, 404, 'not_found', 'no route');
  }

  function serveStatic(req, res, url) {
    let f = path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    if (f === '/' || f === '') f = '/index.html';
    const full = path.join(webDir, f);
    if (!full.startsWith(webDir) || !fs.existsSync(full) || fs.statSync(full).isDirectory()) { res.writeHead(404); return res.end('not found'); }
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
    res.writeHead(200, { 'Content-Type': types[path.extname(full)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    fs.createReadStream(full).pipe(res);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (url.pathname.startsWith('/client/v1/')) return api(req, res, url).catch((e) => { log(e.stack); err(res, 500, 'internal', e.message); });
    return serveStatic(req, res, url);
  });

  const wss = new WebSocketServer({ server, path: '/client/v1/ws' });
  const setPresence = (w) => {
    const a = accounts.get(w);
    if (!online(w)) a.last_seen = now();
    for (const [s, set] of subs) if (set.includes(w) && s.ready) s.send(JSON.stringify({ type: 'presence', wa_id: w, online: online(w), last_seen: online(w) ? null : a.last_seen }));
  };
  wss.on('connection', (ws) => {
    let me = null;
    ws.on('message', (data) => {
      let f;
      try { f = JSON.parse(data.toString()); } catch { return; }
      if (!me) {
        if (f.op !== 'hello' || !sessions.has(f.token)) { ws.send(JSON.stringify({ type: 'error', error: { code: 'unauthorized', message: 'hello first' } })); ws.close(4001); return; }
        me = sessions.get(f.token);
        if (!sockets.has(me)) sockets.set(me, new Set());
        sockets.get(me).add(ws);
        const list = events.get(me) || [];
        ws.send(JSON.stringify({ type: 'ready', account: acc(me), last_seq: list.length }));
        for (const e of list) if (e.seq > (f.after || 0)) ws.send(JSON.stringify({ type: 'event', seq: e.seq, event: e.event }));
        ws.ready = true;
        setPresence(me);
        return;
      }
      const c = f.chat_id && chats.get(f.chat_id);
      if (f.op === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
      else if (f.op === 'send') {
        if (!c || !c.members.has(me)) { ws.send(JSON.stringify({ type: 'ack', ref: f.ref, error: { code: 'forbidden', message: 'not a member' } })); return; }
        const { op, ref, chat_id: _c, ...b } = f;
        const msg = commit(c, me, b);
        ws.send(JSON.stringify({ type: 'ack', ref, message: msgView(msg, me) }));
      } else if (f.op === 'receipt' && c) for (const id of f.ids || []) setStatus(c, id, me, 'delivered');
      else if (f.op === 'read' && c) read(c, me, f.up_to_seq);
      else if (f.op === 'typing' && c) for (const w of c.members.keys()) { if (w !== me) push(w, { type: 'typing', chat_id: c.chat_id, wa_id: me, state: f.state }); }
      else if (f.op === 'presence') {
        subs.set(ws, f.wa_ids || []);
        for (const w of f.wa_ids || []) if (accounts.has(w)) ws.send(JSON.stringify({ type: 'presence', wa_id: w, online: online(w), last_seen: online(w) ? null : accounts.get(w).last_seen }));
      }
    });
    ws.on('close', () => { subs.delete(ws); if (me) { sockets.get(me).delete(ws); setPresence(me); } });
  });
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n, d) => { const i = process.argv.indexOf(n); return i > 0 ? process.argv[i + 1] : d; };
  const port = Number(arg('--port', 8090));
  const webDir = path.resolve(arg('--web-dir', new URL('../../web', import.meta.url).pathname));
  createMockServer({ webDir, webhookUrl: process.env.WASLA_VERIFICATION__WEBHOOK_URL, log: console.log })
    .listen(port, '127.0.0.1', () => console.log(`mock listening on http://127.0.0.1:${port}`));
}
