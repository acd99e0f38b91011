// Calls in the web client, put together: the engine on the realtime connection, the in-call
// window and the incoming-call popup over the app, voice and video buttons in the header of a
// direct chat with a person, "Call back" on call notes, and the Calls tab's view (registered
// by app.js with one line). Call buttons follow the open chat: the conversation's `open` is
// wrapped here so the conversation component needs no change of its own.
import { h } from '../util.js';
import { icon } from '../icons.js';
import { store } from '../store.js';
import { toast } from './dialog.js';
import { CallEngine } from './call-engine.js';
import { CallWindow } from './call-window.js';
import { IncomingCalls } from './call-incoming.js';
import { setCallBack } from './call-note.js';
import { CallsTab } from './calls-tab.js';

/** Whether a chat can be called: a direct chat with a person, not left. */
function callable(c) {
  return !!c && c.kind === 'direct' && !c.left && !!c.peer && c.peer.kind === 'person';
}

/** Start calls for the signed-in person; returns {engine, start, tab(ctx, handle)}. */
export function startCalls({ rt, conv, openChat }) {
  const engine = new CallEngine(rt);
  const win = new CallWindow(engine);
  const incoming = new IncomingCalls(engine);
  document.body.append(win.el, incoming.el);
  let tabView = null;

  const start = async (chatId, media, peer) => {
    const c = store.chats.get(chatId);
    const who = peer || (c && c.peer && { wa_id: c.peer.wa_id, name: store.chatName(c), photo: c.peer.photo });
    if (!who) throw new Error('That chat cannot be called');
    await engine.start(chatId, media, who);
  };
  const startOrToast = (chatId, media) => start(chatId, media).catch((e) => toast(e.message, 'error'));
  setCallBack(startOrToast);
  engine.on('error', (e) => toast(e && e.message ? e.message : 'The call failed', 'error'));

  // Voice and video buttons in the conversation header.
  const voiceBtn = h('button.icon-btn.call-head-btn', {
    type: 'button', title: 'Voice call', 'aria-label': 'Voice call', testid: 'call-voice-button', hidden: true,
    onclick: () => startOrToast(conv.chatId, 'voice'),
  }, icon('call'));
  const videoBtn = h('button.icon-btn.call-head-btn', {
    type: 'button', title: 'Video call', 'aria-label': 'Video call', testid: 'call-video-button', hidden: true,
    onclick: () => startOrToast(conv.chatId, 'video'),
  }, icon('video'));
  const actions = conv.header.querySelector('.head-actions');
  if (actions) actions.prepend(voiceBtn, videoBtn);
  const sync = () => {
    const ok = callable(conv.chatId && store.chats.get(conv.chatId));
    voiceBtn.hidden = !ok;
    videoBtn.hidden = !ok;
    const busy = !!engine.call;
    voiceBtn.disabled = busy;
    videoBtn.disabled = busy;
  };
  const open = conv.open.bind(conv);
  conv.open = async (...args) => {
    const r = await open(...args);
    sync();
    return r;
  };
  store.on('chat', sync);
  store.on('chats', sync);
  engine.on('change', sync);

  // The Calls tab hears of new history.
  engine.on('history', () => tabView && tabView.changed(false));
  rt.on('event', (ev) => {
    const m = ev.kind === 'message' && ev.message;
    if (!m || m.type !== 'system' || !m.system || !m.system.call) return;
    const missedByMe = m.system.call.outcome === 'missed' && store.me && m.system.call.from !== store.me.wa_id;
    if (tabView) tabView.changed(missedByMe);
  });

  return {
    engine,
    start,
    tab(ctx, handle) {
      tabView = new CallsTab({ ...ctx, calls: { start } }, handle);
      return tabView;
    },
  };
}
