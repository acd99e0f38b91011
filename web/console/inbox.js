// The shared inbox: the list of customer chats (filters, unread counts, "waiting since", sorted
// by latest activity or longest waiting), the open chat (history and composer) and the
// customer panel (claim / transfer / state, labels, orders, internal notes with @mentions of
// colleagues). On a desktop the three stand side by side; on a phone they are screens (list,
// then chat, then customer) with back buttons. The header menu holds the sound switch and,
// for admins, where a resolved chat goes when its customer writes again. Everything follows
// the live stream the shell keeps open (slow poll as fallback); the tab title counts unread.
import { api, h } from './api.js';
import { renderMessages, composer } from './chat.js';
import { state, agentName, labelChip, refreshAgents, redrawPresence, bdi, fmtTime, fmtDateTime } from './state.js';
import { setUnread, unreadOf, permissionPrompt, soundOn, setSound, canAsk, askPermission } from './notify.js';
import { reportFailure } from './offline.js';
import { adOriginSlot, noteAdOrigin, rememberAdOrigins } from './ads-marker.js';

const REOPEN_RULES = [
  ['agent_if_online', 'To its agent if online, else the queue'],
  ['agent', 'To its agent, even if offline'],
  ['unassigned', 'To the unassigned queue'],
];

/** The header menu: sound, notifications and (admins) the reopen rule. */
function inboxMenu() {
  const err = h('p.error', { role: 'alert', testid: 'reopen-error' });
  const pop = h('div.menu-pop', { hidden: true, testid: 'inbox-menu-pop', role: 'menu' });
  const fill = async () => {
    const sound = h('input', { type: 'checkbox', id: 'sound-toggle', testid: 'sound-toggle', onchange: (e) => setSound(e.target.checked) });
    sound.checked = soundOn();
    const parts = [h('label.check', { for: 'sound-toggle' }, sound, 'Sound for new chats and my chats')];
    if (canAsk()) parts.push(h('button.btn.ghost', { testid: 'menu-notify-enable', onclick: async () => { await askPermission(); fill(); } }, 'Turn on notifications'));
    if (state.me.role === 'admin') {
      const rule = h('select', { id: 'reopen-rule', testid: 'reopen-rule', onchange: async (e) => {
        err.textContent = '';
        try { await api.setInboxSettings({ reopen_to: e.target.value }); } catch (ex) { err.textContent = ex.message; reportFailure(ex); }
      } }, REOPEN_RULES.map(([v, t]) => h('option', { value: v }, t)));
      try { rule.value = (await api.inboxSettings()).reopen_to; } catch (ex) { reportFailure(ex); }
      parts.push(h('label.field', { for: 'reopen-rule' }, h('span', {}, 'When a customer writes in a resolved or pending chat, it goes'), rule), err);
    }
    pop.replaceChildren(...parts);
  };
  const btn = h('button.icon-btn', { type: 'button', testid: 'inbox-menu', 'aria-label': 'Inbox settings', 'aria-haspopup': 'menu',
    onclick: async (e) => { e.stopPropagation(); if (pop.hidden) await fill(); pop.hidden = !pop.hidden; } }, '⋮');
  const away = (e) => {
    if (!pop.isConnected) document.removeEventListener('click', away);
    else if (!pop.contains(e.target) && e.target !== btn) pop.hidden = true;
  };
  document.addEventListener('click', away);
  return h('div.menu-wrap', {}, btn, pop);
}

/** A note's text with its mentions of colleagues highlighted. */
function noteText(n) {
  const names = (n.mentions || []).map(agentName).filter((x) => x !== '—').sort((a, b) => b.length - a.length);
  const el = h('div.note-body', { dir: 'auto' });
  if (!names.length) { el.textContent = n.body; return el; }
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(@(?:${names.map(esc).join('|')}))`, 'giu');
  for (const part of n.body.split(re)) {
    if (!part) continue;
    el.append(re.test(part) ? h('span.mention', { testid: 'mention' }, part) : part);
    re.lastIndex = 0;
  }
  return el;
}

/** Suggest colleagues while "@" is being typed in a note; picking one writes "@Name ". */
function mentionPicker(input) {
  const list = h('div.mentions', { hidden: true, testid: 'mention-list', role: 'listbox' });
  let found = [];
  const query = () => /(^|\s)@([^\s@]*)$/u.exec(input.value.slice(0, input.selectionStart));
  const pick = (a) => {
    const m = query();
    if (!m) return;
    const start = input.selectionStart - m[2].length - 1;
    input.value = `${input.value.slice(0, start)}@${a.name} ${input.value.slice(input.selectionStart)}`;
    const at = start + a.name.length + 2;
    input.setSelectionRange(at, at);
    list.hidden = true;
    input.focus();
  };
  const show = () => {
    const m = query();
    found = m ? state.agents.filter((a) => a.id !== state.me.id && a.name.toLowerCase().startsWith(m[2].toLowerCase())) : [];
    list.hidden = !found.length;
    list.replaceChildren(...found.map((a) => h('div.mention-item', { testid: 'mention-item', role: 'option', 'data-agent': a.id,
      onmousedown: (e) => { e.preventDefault(); pick(a); } }, '@', bdi(a.name))));
  };
  input.addEventListener('input', show);
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); pick(found[0]); }
    if (e.key === 'Escape') list.hidden = true;
  });
  return list;
}

/** The inbox page. */
export function inboxView() {
  const page = h('div.inbox', { testid: 'inbox-page', 'data-screen': 'list' });
  const screen = (s) => { page.dataset.screen = s; };
  const list = h('div.items', { role: 'list' });
  const chatCol = h('section.chat', { 'aria-label': 'Chat' }, h('div.empty-state', {}, h('strong', {}, 'No chat open'), h('span', {}, 'Pick a chat from the list to read it and reply.')));
  const sideBody = h('div.side-body', {}, h('div.empty-state', {}, h('span', {}, 'The customer’s details, labels, orders and your team’s notes show here.')));
  const side = h('aside.side', { 'aria-label': 'Customer' },
    h('header.side-head', {}, h('button.icon-btn.back', { type: 'button', testid: 'back-to-chat', 'aria-label': 'Back to the chat', onclick: () => screen('chat') }, '←'), h('strong', {}, 'Customer')),
    sideBody);
  const f = state.filters;
  const sel = (key, label, options, testid) => h('label.select', {}, h('span.sr-only', {}, label), h('select', { testid, 'aria-label': label, onchange: (e) => { f[key] = e.target.value; loadList(); } },
    options.map(([v, t]) => { const o = h('option', { value: v }, t); if (f[key] === v) o.selected = true; return o; })));
  const filters = h('div.filters', {},
    h('label.search', { for: 'inbox-search' }, h('span.sr-only', {}, 'Search chats'),
      h('input', { id: 'inbox-search', type: 'search', placeholder: 'Search name or number', value: f.q, testid: 'inbox-search', oninput: (e) => { f.q = e.target.value; loadList(); } })),
    sel('state', 'State', [['', 'All states'], ['open', 'Open'], ['pending', 'Pending'], ['resolved', 'Resolved']], 'filter-state'),
    sel('assignee', 'Agent', [['', 'Anyone'], ['me', 'Mine'], ['none', 'Unassigned'], ...state.agents.map((a) => [a.id, a.name])], 'filter-assignee'),
    sel('label', 'Label', [['', 'Any label'], ...state.labels.map((l) => [l.id, l.name])], 'filter-label'),
    sel('sort', 'Sort', [['', 'Latest activity'], ['waiting', 'Waiting longest']], 'inbox-sort'));
  const head = h('header.list-head', {}, h('h2', {}, 'Inbox'), inboxMenu());

  async function loadList() {
    const q = Object.fromEntries(Object.entries(f).filter(([, v]) => v));
    let rows;
    try { rows = (await api.inbox(q)).data; } catch (e) { reportFailure(e); return; }
    rememberAdOrigins(rows);
    const filtered = Object.keys(q).some((k) => k !== 'sort');
    setUnread(unreadOf(filtered ? (await api.inbox({}).catch(() => ({ data: rows }))).data : rows));
    const now = Date.now();
    list.replaceChildren(...rows.map((r) => h(`div.item${state.chat === r.chat_id ? '.active' : ''}${r.unread ? '.unread' : ''}`, {
      testid: 'inbox-item', role: 'listitem', tabindex: 0, 'data-chat-id': r.chat_id, 'data-wa-id': r.wa_id, 'data-name': r.name, 'data-state': r.state,
      'data-waiting-since': r.waiting_since ?? '', onclick: () => openChat(r.chat_id), onkeydown: (e) => { if (e.key === 'Enter') openChat(r.chat_id); },
    },
    h('div.line', {}, bdi(r.name, { class: 'name' }), h('time.when', { datetime: new Date(r.updated_at).toISOString(), title: fmtDateTime(r.updated_at) }, fmtTime(r.updated_at))),
    h('div.line', {}, h('span.last', { dir: 'auto' }, r.last_message || ''), r.unread ? h('span.badge', { testid: 'unread', 'aria-label': `${r.unread} unread` }, r.unread) : null),
    h('div.line.meta', {},
      h(`span.state.s-${r.state}`, { testid: 'item-state' }, r.state),
      r.waiting_since ? h(`span.waiting${now - r.waiting_since > 3600e3 ? '.long' : ''}`, { testid: 'waiting', title: `Waiting for a reply since ${fmtDateTime(r.waiting_since)}` }, `Waiting since ${fmtTime(r.waiting_since)}`) : null,
      h('span.tags', {}, [...new Set([...r.labels, ...r.contact_labels])].map(labelChip)),
      r.assignee_id ? h('span.who', {}, bdi(agentName(r.assignee_id))) : null))));
    if (!rows.length) {
      const any = Object.keys(q).some((k) => k !== 'sort');
      list.replaceChildren(h('div.empty-state', { testid: 'inbox-empty' }, h('strong', {}, any ? 'No chats match' : 'No customer chats yet'),
        h('span', {}, any ? 'Try other filters or clear the search.' : 'When a customer writes to one of your numbers, the chat shows up here.')));
    }
  }

  let current = null;
  async function openChat(chatId) {
    state.chat = chatId;
    screen('chat');
    let c;
    try { c = await api.customer(chatId); } catch (e) { reportFailure(e); return; }
    const number = state.numbers.find((n) => n.id === c.phone_number_id);
    const box = h('div.messages', { testid: 'console-messages' });
    const send = async (body) => {
      try { await api.reply(chatId, body); } catch (e) { reportFailure(e); alert(e.message); }
      await loadChat();
    };
    const comp = composer(send);
    current = { chatId, box, number, quote: comp.quote, adSlot: adOriginSlot(chatId, c) };
    chatCol.replaceChildren(
      h('header.chat-head', {},
        h('button.icon-btn.back', { type: 'button', testid: 'back-to-list', 'aria-label': 'Back to the list', onclick: () => { screen('list'); loadList(); } }, '←'),
        h('div.grow', {}, h('strong', { testid: 'chat-name' }, bdi(c.name)), h('div.sub', {}, h('bdi', { dir: 'ltr' }, `+${c.wa_id}`), ' → ', bdi(number?.name || '')), current.adSlot),
        h('button.btn.ghost.customer-btn', { type: 'button', testid: 'open-customer', onclick: () => screen('side') }, 'Customer')),
      box, comp.el);
    await Promise.all([loadChat(), loadSide()]);
    await api.read(chatId).catch(() => {});
    loadList();
    if (matchMedia('(min-width: 761px)').matches) comp.input.focus();
  }
  state.openChat = openChat;

  async function loadChat() {
    if (!current) return;
    const page = await api.history(current.chatId);
    const last = page.data[page.data.length - 1]?.id;
    renderMessages(current.box, page, current.number?.wa_id, current.quote);
    noteAdOrigin(current.adSlot, page.data);
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
    const act = async (body) => { try { await api.update(chatId, body); } catch (e) { reportFailure(e); alert(e.message); } await Promise.all([loadSide(), loadList()]); };
    const noteInput = h('textarea', { id: 'note-input', placeholder: 'Type @ to mention a colleague', testid: 'note-input', dir: 'auto' });
    // The panel is redrawn on every change; a note being typed survives the redraw.
    const draft = sideBody.dataset.chat === chatId ? sideBody.querySelector('[data-testid="note-input"]') : null;
    if (draft) noteInput.value = draft.value;
    const typing = draft !== null && draft === document.activeElement;
    sideBody.dataset.chat = chatId;
    const transfer = h('select', { testid: 'transfer-select', 'aria-label': 'Transfer to', onchange: (e) => e.target.value && act({ assignee_id: e.target.value }) },
      h('option', { value: '' }, 'Transfer to…'), state.agents.filter((a) => a.id !== c.assignee_id).map((a) => h('option', { value: a.id }, a.name)));
    const labelToggles = (title, on, testid, set) => h('section', {}, h('h3', {}, title), h('div.row', {}, state.labels.length ? state.labels.map((l) => {
      const has = on.includes(l.id);
      return h(`button.chip.toggle${has ? '.on' : ''}`, { type: 'button', style: has ? `background:${l.color}` : '', 'aria-pressed': String(has), testid, 'data-label': l.name, 'data-on': String(has), onclick: async () => { await set(l.id, !has); loadSide(); loadList(); } }, bdi(l.name));
    }) : h('span.hint', {}, 'No labels yet.')));
    const mentions = mentionPicker(noteInput);
    sideBody.replaceChildren(
      h('section', {}, h('h3', {}, 'Customer'), h('div.customer-name', { testid: 'customer-name' }, h('strong', {}, bdi(c.name))), h('div', {}, h('bdi', { dir: 'ltr' }, `+${c.wa_id}`)), c.about ? h('div.hint', { dir: 'auto' }, c.about) : null),
      h('section', {}, h('h3', {}, 'Handling'),
        h('div', { testid: 'chat-state' }, 'State: ', h(`span.state.s-${c.state}`, {}, c.state)), h('div', { testid: 'chat-assignee' }, 'Agent: ', c.assignee_id ? bdi(agentName(c.assignee_id)) : 'nobody'),
        h('div.row', { style: 'margin-top:8px' },
          !c.assignee_id ? h('button.btn', { testid: 'claim', onclick: () => act({ assignee_id: state.me.id }) }, 'Claim') : null,
          ['open', 'pending', 'resolved'].filter((s) => s !== c.state).map((s) => h('button.btn.ghost', { testid: `state-${s}`, onclick: () => act({ state: s }) }, s[0].toUpperCase() + s.slice(1))),
          (mine || state.me.role === 'admin') ? transfer : null)),
      labelToggles('Chat labels', c.labels, 'label-toggle', (id, on) => api.label(chatId, id, on)),
      labelToggles('Contact labels (every number)', c.contact_labels, 'contact-label-toggle', (id, on) => api.contactLabel(chatId, id, on)),
      h('section', {}, h('h3', {}, 'Previous orders'), c.orders.length
        ? c.orders.map((o) => h('div.note', { testid: 'order' }, h('strong', {}, bdi(o.reference_id)), h('div', {}, h('bdi', {}, o.total_text), ` · ${o.status} · ${o.payment_status}`), h('small', {}, fmtDateTime(o.created_at))))
        : h('div.hint', {}, 'No orders yet.')),
      h('section', {}, h('h3', {}, 'Notes'),
        notes.length ? notes.map((n) => h('div.note', { testid: 'note', 'data-mentions': (n.mentions || []).join(' ') }, h('small', {}, bdi(agentName(n.agent_id)), ' · ', fmtTime(n.created_at)), noteText(n)))
          : h('div.hint', {}, 'No notes yet. Notes are for agents only; the customer never sees them.'),
        h('label.sr-only', { for: 'note-input' }, 'Internal note'),
        h('div.note-compose', {}, noteInput, mentions),
        h('button.btn.ghost', { testid: 'note-add', onclick: async () => {
          const input = sideBody.querySelector('[data-testid="note-input"]');
          const body = input.value;
          if (!body.trim()) return;
          try { await api.addNote(chatId, body); } catch (e) { reportFailure(e); alert(e.message); return; }
          // The panel may have been redrawn meanwhile: clear the input showing now.
          sideBody.querySelector('[data-testid="note-input"]').value = '';
          loadSide();
        } }, 'Add note')));
    if (typing) noteInput.focus();
  }

  // Live: the shell's stream (messages, statuses, chat changes, notifications) triggers a
  // refresh; a slow poll stays as a fallback.
  const refresh = async () => {
    try { await refreshAgents(); redrawPresence(); await loadList(); await loadChat(); } catch (e) { reportFailure(e); }
  };
  clearInterval(state.timer);
  state.timer = setInterval(refresh, 15000);
  let queued = null;
  state.pageLive = () => { if (!queued) queued = setTimeout(() => { queued = null; refresh(); }, 150); };
  loadList();
  if (state.chat) openChat(state.chat);
  page.append(h('section.list', { 'aria-label': 'Chats' }, head, permissionPrompt(), filters, list), chatCol, side);
  return page;
}
