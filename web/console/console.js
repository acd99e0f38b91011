// The business console: agents sign in (or accept an invite), then work the shared inbox —
// list with filters and unread counts, the chat with replies and quick replies, and the
// customer panel with claim / transfer / state, labels and internal notes — or manage QR codes.
// The inbox, the open chat and the agents' presence follow the agent's live stream (slow poll as fallback).
import { api, session, h, stream } from './api.js';
import { renderMessages, composer } from './chat.js';
import { catalogView } from './catalog.js';
import { ordersView } from './orders.js';
import { failedView } from './failed.js';
import { alertsView, alertBanner } from './alerts.js';
import { auditView } from './audit.js';

const app = document.getElementById('app');
const state = { me: null, numbers: [], agents: [], labels: [], chat: null, filters: { state: '', assignee: '', label: '', q: '' }, timer: null, live: {}, stream: null };

function signIn(inviteToken) {
  const email = h('input', { type: 'email', placeholder: 'Email', testid: 'console-email', hidden: !!inviteToken });
  const password = h('input', { type: 'password', placeholder: inviteToken ? 'Choose a password (8+ characters)' : 'Password', testid: 'console-password' });
  const err = h('p.error', { role: 'alert', testid: 'console-error' });
  const form = h('form.card.signin', {
    onsubmit: async (e) => {
      e.preventDefault();
      err.textContent = '';
      try {
        const body = inviteToken ? { invite_token: inviteToken, password: password.value } : { email: email.value, password: password.value };
        const s = await api.signIn(body);
        session.token = s.token;
        history.replaceState(null, '', '/console/');
        start();
      } catch (ex) { err.textContent = ex.message; }
    },
  }, h('h2', {}, inviteToken ? 'Join your team' : 'Business console'), email, password, err,
  h('button.btn', { type: 'submit', testid: 'console-sign-in' }, inviteToken ? 'Set password and sign in' : 'Sign in'));
  app.replaceChildren(form);
}

const agentName = (id) => state.agents.find((a) => a.id === id)?.name || '—';
const labelChip = (id) => {
  const l = state.labels.find((x) => x.id === id);
  return l ? h('span.chip', { style: `background:${l.color}`, testid: 'label-chip' }, l.name) : null;
};

function top(active) {
  const presence = h('div.presence', { testid: 'presence' }, state.agents.map((a) => h('span', { 'data-agent': a.id }, h(`span.dot${(state.live[a.id] ?? a.online) ? '.on' : ''}`), a.name)));
  return h('div.top', {},
    h('strong', {}, 'Wasla console'),
    h('a', { href: '#/inbox', class: active === 'inbox' ? 'on' : '', testid: 'nav-inbox' }, 'Inbox'),
    h('a', { href: '#/qr', class: active === 'qr' ? 'on' : '', testid: 'nav-qr' }, 'QR codes & links'),
    h('a', { href: '#/catalog', class: active === 'catalog' ? 'on' : '', testid: 'nav-catalog' }, 'Catalog'),
    h('a', { href: '#/orders', class: active === 'orders' ? 'on' : '', testid: 'nav-orders' }, 'Orders'),
    h('a', { href: '#/failed', class: active === 'failed' ? 'on' : '', testid: 'nav-failed' }, 'Failed sends'),
    state.me.role === 'admin' ? h('a', { href: '#/audit', class: active === 'audit' ? 'on' : '', testid: 'nav-audit' }, 'Activity') : null,
    state.me.role === 'admin' ? h('a', { href: '#/alerts', class: active === 'alerts' ? 'on' : '', testid: 'nav-alerts' }, 'Sign-in alerts') : null,
    h('span.grow'), presence,
    h('span', { testid: 'console-me' }, `${state.me.name} (${state.me.role})`),
    h('button.btn.ghost', { onclick: async () => { state.stream?.abort(); await api.signOut().catch(() => {}); session.token = null; signIn(); } }, 'Sign out'));
}

async function refreshAgents() {
  state.agents = (await api.agents()).data;
  state.labels = (await api.labels()).data;
}

function inboxView() {
  const list = h('div');
  const chatCol = h('div.chat', {}, h('p.empty', {}, 'Pick a chat'));
  const side = h('div.side');
  const f = state.filters;
  const sel = (key, options, testid) => h('select', { testid, onchange: (e) => { f[key] = e.target.value; loadList(); } },
    options.map(([v, t]) => { const o = h('option', { value: v }, t); if (f[key] === v) o.selected = true; return o; }));
  const filters = h('div.filters', {},
    h('input', { placeholder: 'Search name or number', value: f.q, testid: 'inbox-search', oninput: (e) => { f.q = e.target.value; loadList(); } }),
    sel('state', [['', 'All states'], ['open', 'Open'], ['pending', 'Pending'], ['resolved', 'Resolved']], 'filter-state'),
    sel('assignee', [['', 'Anyone'], ['me', 'Mine'], ['none', 'Unassigned'], ...state.agents.map((a) => [a.id, a.name])], 'filter-assignee'),
    sel('label', [['', 'Any label'], ...state.labels.map((l) => [l.id, l.name])], 'filter-label'));

  async function loadList() {
    const q = Object.fromEntries(Object.entries(f).filter(([, v]) => v));
    const rows = (await api.inbox(q)).data;
    list.replaceChildren(...rows.map((r) => h(`div.item${state.chat === r.chat_id ? '.active' : ''}`, { testid: 'inbox-item', 'data-chat-id': r.chat_id, 'data-wa-id': r.wa_id, 'data-name': r.name, 'data-state': r.state, onclick: () => openChat(r.chat_id) },
      h('span.name', {}, r.name), r.unread ? h('span.badge', { testid: 'unread' }, r.unread) : h('span'),
      h('span.last', {}, r.last_message || ''), h('span.state', { testid: 'item-state' }, r.state),
      h('span', {}, [...new Set([...r.labels, ...r.contact_labels])].map(labelChip), r.assignee_id ? h('small', {}, ` · ${agentName(r.assignee_id)}`) : ''))));
    if (!rows.length) list.replaceChildren(h('p.empty', { style: 'padding:16px' }, 'No chats match.'));
  }

  let current = null;
  async function openChat(chatId) {
    state.chat = chatId;
    const c = await api.customer(chatId);
    const number = state.numbers.find((n) => n.id === c.phone_number_id);
    const box = h('div.messages', { testid: 'console-messages' });
    const send = async (body) => {
      try { await api.reply(chatId, body); } catch (e) { alert(e.message); }
      await loadChat();
    };
    const comp = composer(send);
    current = { chatId, box, number, quote: comp.quote };
    chatCol.replaceChildren(
      h('header', {}, h('div.grow', {}, h('strong', { testid: 'chat-name' }, c.name), h('div', { style: 'font-size:.8rem;color:#667781' }, `+${c.wa_id} → ${number?.name || ''}`))),
      box, comp.el);
    await Promise.all([loadChat(), loadSide()]);
    await api.read(chatId).catch(() => {});
    loadList();
    comp.input.focus();
  }

  async function loadChat() {
    if (!current) return;
    const page = await api.history(current.chatId);
    const last = page.data[page.data.length - 1]?.id;
    renderMessages(current.box, page, current.number?.wa_id, current.quote);
    // The open chat is being read: new customer messages are marked read as they show.
    if (last && last !== current.lastSeen && document.visibilityState === 'visible') {
      current.lastSeen = last;
      await api.read(current.chatId).catch(() => {});
    }
  }

  async function loadSide() {
    const chatId = state.chat;
    const c = await api.customer(chatId);
    const notes = (await api.notes(chatId)).data;
    const mine = c.assignee_id === state.me.id;
    const act = async (body) => { try { await api.update(chatId, body); } catch (e) { alert(e.message); } await Promise.all([loadSide(), loadList()]); };
    const noteInput = h('textarea', { placeholder: 'Internal note (agents only)', testid: 'note-input' });
    // The panel is redrawn on every change; a note being typed survives the redraw.
    const draft = side.dataset.chat === chatId ? side.querySelector('[data-testid="note-input"]') : null;
    if (draft) noteInput.value = draft.value;
    const typing = draft !== null && draft === document.activeElement;
    side.dataset.chat = chatId;
    const transfer = h('select', { testid: 'transfer-select', onchange: (e) => e.target.value && act({ assignee_id: e.target.value }) },
      h('option', { value: '' }, 'Transfer to…'), state.agents.filter((a) => a.id !== c.assignee_id).map((a) => h('option', { value: a.id }, a.name)));
    const labelToggles = (title, current, testid, set) => h('div', {}, h('h3', {}, title), h('div.row', {}, state.labels.map((l) => {
      const on = current.includes(l.id);
      return h('button.chip', { style: `background:${on ? l.color : '#bbb'};border:0;cursor:pointer`, testid, 'data-label': l.name, 'data-on': String(on), onclick: async () => { await set(l.id, !on); loadSide(); loadList(); } }, l.name);
    })));
    side.replaceChildren(
      h('div', {}, h('h3', {}, 'Customer'), h('div', { testid: 'customer-name' }, h('strong', {}, c.name)), h('div', {}, `+${c.wa_id}`), c.about ? h('div', { style: 'color:#667781' }, c.about) : null),
      h('div', {}, h('h3', {}, 'Handling'),
        h('div', { testid: 'chat-state' }, `State: ${c.state}`), h('div', { testid: 'chat-assignee' }, `Agent: ${c.assignee_id ? agentName(c.assignee_id) : 'nobody'}`),
        h('div.row', { style: 'margin-top:6px' },
          !c.assignee_id ? h('button.btn', { testid: 'claim', onclick: () => act({ assignee_id: state.me.id }) }, 'Claim') : null,
          ['open', 'pending', 'resolved'].filter((s) => s !== c.state).map((s) => h('button.btn.ghost', { testid: `state-${s}`, onclick: () => act({ state: s }) }, s[0].toUpperCase() + s.slice(1))),
          (mine || state.me.role === 'admin') ? transfer : null)),
      labelToggles('Chat labels', c.labels, 'label-toggle', (id, on) => api.label(chatId, id, on)),
      labelToggles('Contact labels (every number)', c.contact_labels, 'contact-label-toggle', (id, on) => api.contactLabel(chatId, id, on)),
      h('div', {}, h('h3', {}, 'Previous orders'), c.orders.length
        ? c.orders.map((o) => h('div.note', { testid: 'order' }, h('strong', {}, o.reference_id), h('div', {}, `${o.total_text} · ${o.status} · ${o.payment_status}`), h('small', {}, new Date(o.created_at).toLocaleDateString())))
        : h('div', { style: 'color:#667781;font-size:.9rem' }, 'No orders yet.')),
      h('div', {}, h('h3', {}, 'Notes'), notes.map((n) => h('div.note', { testid: 'note' }, h('small', {}, agentName(n.agent_id)), h('div', {}, n.body))), noteInput,
        h('button.btn.ghost', { testid: 'note-add', onclick: async () => {
          const input = side.querySelector('[data-testid="note-input"]');
          const body = input.value;
          if (!body.trim()) return;
          await api.addNote(chatId, body);
          // The panel may have been redrawn meanwhile: clear the input showing now.
          side.querySelector('[data-testid="note-input"]').value = '';
          loadSide();
        } }, 'Add note')));
    if (typing) noteInput.focus();
  }

  // Live: the agent's stream (messages, statuses, chat changes, presence) triggers a refresh;
  // a slow poll stays as a fallback, and a dropped stream reconnects.
  const refresh = async () => {
    try { await refreshAgents(); app.querySelector('[data-testid="presence"]')?.replaceWith(top('inbox').querySelector('[data-testid="presence"]')); await loadList(); await loadChat(); } catch { /* next time */ }
  };
  clearInterval(state.timer);
  state.timer = setInterval(refresh, 15000);
  state.stream?.abort();
  const ctl = new AbortController();
  state.stream = ctl;
  let queued = null;
  const soon = () => { if (!queued) queued = setTimeout(() => { queued = null; refresh(); }, 150); };
  const connect = () => stream((item) => {
    if (item.type === 'agent_presence') state.live[item.agent_id] = item.online;
    if (item.type === 'sign_in_alert' && state.me.role === 'admin') document.body.append(alertBanner(item, agentName(item.agent_id)));
    soon();
  }, ctl.signal).catch(() => {}).finally(() => { if (!ctl.signal.aborted) setTimeout(connect, 2000); });
  connect();
  loadList();
  if (state.chat) openChat(state.chat);
  return h('div.inbox', {}, h('div.list', {}, filters, list), chatCol, side);
}

function qrView() {
  const number = state.numbers[0];
  const grid = h('div.qrs', { testid: 'qr-grid' });
  const text = h('input', { placeholder: 'Prefilled message', maxlength: 140, testid: 'qr-text', style: 'padding:8px;width:320px' });
  const pick = h('select', { testid: 'qr-number' }, state.numbers.map((n) => h('option', { value: n.id }, `${n.name} (+${n.wa_id})`)));
  const load = async () => {
    const id = pick.value || number?.id;
    if (!id) return;
    const rows = (await api.qrs(id)).data;
    grid.replaceChildren(...rows.map((q) => h('div.card.qr', { testid: 'qr-card', 'data-code': q.code },
      h('img', { src: q.qr_image_url, alt: `QR code ${q.code}` }),
      h('div', {}, h('strong', {}, q.prefilled_message)),
      h('div', {}, h('a', { href: q.deep_link_url, target: '_blank', testid: 'qr-link' }, q.deep_link_url)),
      h('div.stats', { testid: 'qr-stats' }, `${q.scans} scans · ${q.opens} chats opened`),
      h('div.row.no-print', {}, h('a.btn.ghost', { href: q.qr_image_url, download: `${q.code}.png` }, 'PNG'), h('a.btn.ghost', { href: q.svg_url, download: `${q.code}.svg` }, 'SVG'),
        state.me.role === 'admin' ? h('button.btn.ghost', { onclick: async () => { await api.deleteQr(id, q.code); load(); } }, 'Delete') : null))));
  };
  pick.onchange = load;
  load();
  return h('div.page', {},
    h('div.row.no-print', {}, pick, text,
      h('button.btn', { testid: 'qr-create', onclick: async () => { try { await api.createQr(pick.value, text.value); text.value = ''; load(); } catch (e) { alert(e.message); } } }, 'Create QR code'),
      h('button.btn.ghost', { onclick: () => window.print() }, 'Print')),
    grid);
}

function route() {
  const which = ['qr', 'catalog', 'orders', 'failed', 'audit', 'alerts'].find((p) => location.hash.startsWith(`#/${p}`)) || 'inbox';
  // Only the inbox polls and streams.
  clearInterval(state.timer);
  state.stream?.abort();
  const views = { qr: qrView, catalog: () => catalogView(state.me), orders: ordersView, failed: () => failedView(state.numbers), audit: auditView, alerts: alertsView, inbox: inboxView };
  app.replaceChildren(h('div.shell', {}, top(which), views[which]()));
}

async function start() {
  try {
    const me = await api.me();
    state.me = me.agent;
    state.numbers = me.numbers;
    await refreshAgents();
  } catch (e) {
    session.token = null;
    return signIn();
  }
  window.onhashchange = route;
  route();
}

const invite = /^#\/invite\/(.+)$/.exec(location.hash);
if (invite) signIn(invite[1]);
else if (session.token) start();
else signIn();
