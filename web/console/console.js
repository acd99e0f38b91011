// The business console: agents sign in (or accept an invite), then work in the pages of
// `pages.js` (the shared inbox first) under one top bar with the agents' presence, whose page
// links fold into a menu on a phone. The shell keeps the live stream open across pages and
// hands its items on: presence, sign-in alerts, notifications, then the current page's own
// handler (`state.pageLive`).
import { api, session, h } from './api.js';
import { pages } from './pages.js';
import { state, refreshAgents, presence, redrawPresence } from './state.js';
import { startLive } from './offline.js';
import { notify, refreshUnread } from './notify.js';
import { alertBanner } from './alerts.js';
import { billingBanner } from './billing-banner.js';

const app = document.getElementById('app');

function signIn(inviteToken) {
  const email = h('input', { type: 'email', id: 'signin-email', autocomplete: 'username', required: !inviteToken, testid: 'console-email' });
  const password = h('input', { type: 'password', id: 'signin-password', autocomplete: inviteToken ? 'new-password' : 'current-password', testid: 'console-password' });
  const emailField = h('label.field', { for: 'signin-email', hidden: !!inviteToken }, h('span', {}, 'Email'), email);
  const passwordField = h('label.field', { for: 'signin-password' }, h('span', {}, inviteToken ? 'Choose a password (8+ characters)' : 'Password'), password);
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
  }, h('h2', {}, inviteToken ? 'Join your team' : 'Business console'), emailField, passwordField, err,
  h('button.btn', { type: 'submit', testid: 'console-sign-in' }, inviteToken ? 'Set password and sign in' : 'Sign in'));
  app.replaceChildren(form);
}

function top(active) {
  const visible = pages.filter((p) => !p.admin || state.me.role === 'admin');
  const current = visible.find((p) => p.id === active);
  const bar = h('header.top', {});
  const toggle = h('button.menu-btn', { type: 'button', testid: 'nav-menu', 'aria-label': 'Menu', 'aria-expanded': 'false', 'aria-controls': 'console-nav',
    onclick: () => { const open = bar.classList.toggle('open'); toggle.setAttribute('aria-expanded', String(open)); } }, h('span.burger'));
  bar.append(
    h('strong.brand', {}, 'Wasla console'),
    h('span.here', {}, current?.label || ''),
    toggle,
    h('nav.links', { id: 'console-nav', onclick: (e) => { if (e.target.closest('a')) bar.classList.remove('open'); } },
      visible.map((p) => h('a', { href: `#/${p.id}`, class: active === p.id ? 'on' : '', 'aria-current': active === p.id ? 'page' : null, testid: `nav-${p.id}` }, p.label)),
      h('span.grow'), presence(),
      h('span.me', { testid: 'console-me' }, h('bdi', { dir: 'auto' }, state.me.name), ` (${state.me.role})`),
      h('button.btn.ghost', { onclick: async () => { state.stream?.abort(); await api.signOut().catch(() => {}); session.token = null; signIn(); } }, 'Sign out')));
  billingBanner(bar);
  return bar;
}

/** Show a chat in the inbox (from a notification). */
function openChat(chatId) {
  state.chat = chatId;
  if (state.openChat && document.querySelector('[data-testid="inbox-page"]')) state.openChat(chatId);
  else location.hash = '#/inbox';
}

/** Every live item: presence, alerts and notifications here, the rest to the page. */
function onLive(item) {
  if (item.type === 'agent_presence') { state.live[item.agent_id] = item.online; redrawPresence(); }
  if (item.type === 'sign_in_alert' && state.me.role === 'admin') {
    document.body.append(alertBanner(item, state.agents.find((a) => a.id === item.agent_id)?.name || '—'));
  }
  if (item.type === 'notify') notify(item, openChat);
  if (['event', 'chat', 'notify', 'resync'].includes(item.type) && !state.pageLive) refreshUnread();
  state.pageLive?.(item);
}

function route() {
  const visible = pages.filter((p) => !p.admin || state.me.role === 'admin');
  const page = visible.find((p) => p.id !== 'inbox' && location.hash.startsWith(`#/${p.id}`)) || pages[0];
  // The live stream stays open; only the inbox polls, and each page handles live items anew.
  clearInterval(state.timer);
  state.pageLive = null;
  state.openChat = null;
  app.replaceChildren(h('div.shell', {}, top(page.id), page.view()));
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
  route();
  refreshUnread();
  startLive(onLive, () => { if (state.pageLive) state.pageLive({ type: 'resync' }); else refreshUnread(); });
}

// Every hash change: an invite link opened in a tab that already shows the console (signed in
// or not) shows the invite form; anything else is a page of the signed-in console.
window.addEventListener('hashchange', () => {
  const token = /^#\/invite\/(.+)$/.exec(location.hash);
  if (token) {
    clearInterval(state.timer);
    state.stream?.abort();
    signIn(token[1]);
  } else if (state.me && session.token) route();
});

const invite = /^#\/invite\/(.+)$/.exec(location.hash);
if (invite) signIn(invite[1]);
else if (session.token) start();
else signIn();
