// Entry point: decides between sign-in and the messenger, builds the two-pane layout, wires
// the realtime connection to the store (events, delivered receipts, typing, presence), and
// handles navigation (open chat, back on phones via history), panels and logout.
import { h } from './util.js';
import { api, session, Realtime } from './api.js';
import { store, quoteOf } from './store.js';
import { Sender } from './sender.js';
import { authView } from './components/auth-view.js';
import { ChatList } from './components/chat-list.js';
import { Conversation } from './components/conversation.js';
import { Panel } from './components/panels.js';
import { newChatDialog, newGroupDialog, forwardDialog, locationDialog, contactDialog } from './components/flows.js';
import { confirmDialog, toast } from './components/dialog.js';
import { openPackLink } from './components/sticker-picker.js';
import { adWelcome, openAdLink } from './components/ad-chat.js';
import { TabBar, registerTab } from './components/tabs.js';
import { UpdatesTab } from './components/status-tab.js';
import { startCalls } from './components/call-buttons.js';
import { startGroupCalls } from './components/group-call.js';

const root = document.getElementById('app');
let rt = null;

function showAuth() {
  document.body.className = 'auth-mode';
  root.replaceChildren(authView((acc) => startMessenger(acc)));
}

async function logout(ask = true) {
  if (ask && !(await confirmDialog('Log out?', 'You will need a new code to sign in on this browser again.', 'Log out', true))) return;
  try { await api.logout(); } catch { /* the session may already be gone */ }
  endSession();
}

function endSession() {
  if (rt) rt.stop();
  rt = null;
  session.clear();
  store.reset();
  history.replaceState(null, '', '/');
  showAuth();
}

async function startMessenger(cachedAccount) {
  document.body.className = 'app-mode';
  store.reset();
  store.setMe(cachedAccount);
  rt = new Realtime();
  const sender = new Sender(rt);

  let conv;
  const openChat = async (chatId, push = true) => {
    try { await store.ensureChat(chatId); } catch (e) { toast(e.message, 'error'); return; }
    list.setActive(chatId);
    tabs.select('chats');
    document.body.classList.add('chat-open');
    if (panel.view && panel.view.chatId !== chatId) panel.close();
    if (push && history.state?.chat !== chatId) history.pushState({ chat: chatId }, '', `#/chat/${chatId}`);
    conv.open(chatId);
  };
  const closeChat = () => {
    document.body.classList.remove('chat-open');
    list.setActive(null);
    conv.close();
    panel.close();
  };
  const messagePhone = (phone) => newChatDialog(openChat, phone);

  const panel = new Panel({
    onOpenChat: openChat,
    onOpenShop: async (chatId) => { panel.close(); await openChat(chatId); conv.openShop(); },
  });
  const list = new ChatList({
    onOpen: openChat,
    onNewChat: () => newChatDialog(openChat),
    onNewGroup: () => newGroupDialog(openChat),
    onProfile: () => panel.show('me', 'Profile', {}),
    onLogout: () => logout(true),
  });
  conv = new Conversation({
    rt,
    send: (chatId, content, opts) => sender.send(chatId, content, opts),
    reply: (m) => conv.composer.setReply(m),
    react: (m, emoji) => sender.react(m, emoji),
    forward: (m) => forwardDialog(m, (msg, id) => sender.forward(msg, id), openChat),
    info: (m) => panel.show('info', 'Message info', { chatId: m.chat_id, message: m }),
    retry: (m) => sender.retry(m),
    jumpTo: (id) => conv.jumpTo(id),
    messagePhone,
    shareLocation: (chatId) => locationDialog((content) => sender.send(chatId, content)),
    // Answers to business messages quote the message they answer.
    answer: (m, content) => sender.send(m.chat_id, content, { context: quoteOf(m) }),
    requestLocation: (m) => {
      const context = quoteOf(m);
      locationDialog((content) => sender.send(m.chat_id, content, { context }), { quote: context.preview });
    },
    shareContact: (chatId) => contactDialog((content) => sender.send(chatId, content)),
    onBack: () => {
      if (history.state?.chat && !history.state.root) history.back();
      else { history.replaceState(null, '', '/'); closeChat(); }
    },
    onInfo: (chatId) => panel.chatInfo(chatId),
  });

  // The sidebar's tabs, one registerTab line each (components/tabs.js); only registered ones show.
  registerTab({ id: 'chats', label: 'Chats', icon: 'chat', order: 10, create: () => list });
  registerTab({ id: 'updates', label: 'Updates', icon: UpdatesTab.icon, order: 20, create: (ctx, tab) => new UpdatesTab(ctx, tab) });
  const calls = startCalls({ rt, conv, openChat });
  startGroupCalls({ rt, conv });
  registerTab({ id: 'calls', label: 'Calls', icon: 'call', order: 30, create: (ctx, tab) => calls.tab(ctx, tab) });
  const tabs = new TabBar({ rt, openChat, sender, panel });

  root.replaceChildren(h('div.layout', { testid: 'app' }, tabs.el, conv.el, panel.el));

  // A chat opened from an ad shows the ad's welcome message (components/ad-chat.js).
  adWelcome(conv);

  window.onpopstate = (e) => {
    const id = e.state && e.state.chat;
    if (id) openChat(id, false); else closeChat();
  };

  // Realtime wiring.
  rt.on('state', (s) => list.setConnection(s));
  rt.on('unauthorized', () => { toast('Your session has ended. Please sign in again.', 'error'); endSession(); });
  rt.on('ready', (f) => {
    if (f.account) { store.setMe(f.account); session.setAccount(f.account); }
  });
  rt.on('event', (ev) => {
    // Delivered receipts for messages from others as they reach this device.
    if (ev.kind === 'message') {
      const m = ev.message;
      if (!store.isMine(m) && m.type !== 'system' && m.type !== 'reaction') rt.receipt(m.chat_id, [m.id]);
    }
    store.applyEvent(ev);
  });
  rt.on('typing', (f) => store.onTyping(f));
  rt.on('presence', (f) => store.onPresence(f));
  api.on('unauthorized', () => endSession());

  try {
    store.setMe(await api.me());
    session.setAccount(store.me);
  } catch (e) {
    if (e.status === 401) { endSession(); return; }
  }
  rt.start(store.me.wa_id);
  try { await store.loadChats(); } catch (e) { toast(`Could not load chats: ${e.message}`, 'error'); }
  list.render();

  // A click-to-chat ad's public page (/ad/{code}) lands on #/ad/{code}: open the chat with
  // the business, its welcome message, and the referral for the first message.
  const adLink = /^#\/ad\/([\w-]+)$/.exec(location.hash);
  if (adLink) {
    await openAdLink(adLink[1], openChat);
    return;
  }
  // A shared catalog link ("order in chat"): open the chat with the business and its shop.
  const shopLink = /^#\/shop\/(\d+)(?:\/(.+))?$/.exec(location.hash);
  if (shopLink) {
    try {
      const chat = await api.openDirect(shopLink[1]);
      await openChat(chat.chat_id);
      conv.openShop(shopLink[2] && decodeURIComponent(shopLink[2]));
    } catch (e) { toast(`Could not open the shop: ${e.message}`, 'error'); }
    return;
  }
  // A shared sticker pack link (/stickers/{pack_id} → "Add to Wasla") lands on #/stickers/{id}.
  const packLink = /^#\/stickers\/([\w-]+)$/.exec(location.hash);
  if (packLink) {
    history.replaceState(null, '', '/');
    openPackLink(packLink[1]);
    return;
  }
  // Click-to-chat and short links land on #/send/{wa_id}?text=…: open the chat, prefill.
  const send = /^#\/send\/(\d+)(?:\?text=(.*))?$/.exec(location.hash);
  if (send) {
    try {
      const chat = store.putChat(await api.openDirect(send[1]));
      await openChat(chat.chat_id, false);
      history.replaceState({ chat: chat.chat_id, root: true }, '', `#/chat/${chat.chat_id}`);
      const input = document.querySelector('[data-testid="composer-input"]');
      if (input && send[2]) {
        input.value = decodeURIComponent(send[2]);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.focus();
      }
    } catch (e) { toast(`Could not open that chat: ${e.message}`, 'error'); }
    return;
  }
  const m = /^#\/chat\/(.+)$/.exec(location.hash);
  if (m && store.chats.has(m[1])) {
    history.replaceState({ chat: m[1], root: true }, '', location.hash);
    openChat(m[1], false);
  } else history.replaceState(null, '', '/');
}

if (session.token) startMessenger(session.account || { wa_id: '', display_name: '' });
else showAuth();
