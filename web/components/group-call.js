// Group calls in the web client, put together: the engine on the realtime connection, the
// call window, voice and video buttons in the header of a group chat, and the ring that asks
// to join when a call starts in one of my groups. The conversation's `open` is wrapped here so
// the conversation component needs no change of its own.
import { h } from '../util.js';
import { icon } from '../icons.js';
import { store } from '../store.js';
import { toast } from './dialog.js';
import { GroupCallEngine } from './group-call-engine.js';
import { GroupCallWindow } from './group-call-window.js';

/** Whether a chat can have a group call: a group I am still in. */
function groupCallable(c) {
  return !!c && c.kind === 'group' && !c.left;
}

/** The name of the chat a call is in. */
function groupName(chatId) {
  const c = store.chats.get(chatId);
  return c ? store.chatName(c) : 'Group call';
}

/** Start group calls for the signed-in person; returns the engine. */
export function startGroupCalls({ rt, conv }) {
  const engine = new GroupCallEngine(rt);
  const win = new GroupCallWindow(engine);
  const rings = h('div.gcall-rings', { testid: 'gcall-rings' });
  document.body.append(win.el, rings);

  const start = (media) => {
    const chatId = conv.chatId;
    win.setTitle(groupName(chatId));
    engine.start(chatId, media).catch((e) => toast(e.message, 'error'));
  };
  const voiceBtn = h('button.icon-btn.call-head-btn', {
    type: 'button', title: 'Group voice call', 'aria-label': 'Group voice call', testid: 'gcall-voice-button', hidden: true,
    onclick: () => start('voice'),
  }, icon('call'));
  const videoBtn = h('button.icon-btn.call-head-btn', {
    type: 'button', title: 'Group video call', 'aria-label': 'Group video call', testid: 'gcall-video-button', hidden: true,
    onclick: () => start('video'),
  }, icon('video'));
  const actions = conv.header.querySelector('.head-actions');
  if (actions) actions.prepend(voiceBtn, videoBtn);
  const sync = () => {
    const ok = groupCallable(conv.chatId && store.chats.get(conv.chatId));
    voiceBtn.hidden = !ok;
    videoBtn.hidden = !ok;
    voiceBtn.disabled = !!engine.call;
    videoBtn.disabled = !!engine.call;
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
  engine.on('error', (e) => toast(e.message, 'error'));

  // A call starting in one of my groups rings with Join and Decline.
  engine.on('ring', (f) => {
    const id = f.call.call_id;
    if (rings.querySelector(`[data-call="${id}"]`) || (engine.call && engine.call.id === id)) return;
    const who = f.participants[0];
    const by = who ? (who.name || `+${who.wa_id}`) : 'Someone';
    const kind = f.call.media === 'video' ? 'Group video call' : 'Group voice call';
    const card = h('div.gcall-ring', { testid: 'gcall-ring', 'data-call': id, 'data-media': f.call.media, role: 'alertdialog', 'aria-label': kind },
      h('div.gcall-ring-text', h('strong', groupName(f.call.chat_id)), h('span.muted', `${kind} · ${by}`)),
      h('button.call-round.call-decline', { type: 'button', title: 'Decline', 'aria-label': 'Decline', testid: 'gcall-decline', onclick: () => { engine.decline(id); card.remove(); } }, h('span.hang', icon('call', 20))),
      h('button.call-round.call-accept', { type: 'button', title: 'Join', 'aria-label': 'Join', testid: 'gcall-join', onclick: () => {
        card.remove();
        win.setTitle(groupName(f.call.chat_id));
        engine.join(id).catch((e) => toast(e.message, 'error'));
      } }, icon(f.call.media === 'video' ? 'video' : 'call', 20)));
    rings.append(card);
  });
  engine.on('stop-ring', (id) => { const card = rings.querySelector(`[data-call="${id}"]`); if (card) card.remove(); });
  return engine;
}
