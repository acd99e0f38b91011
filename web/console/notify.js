// Telling the agent what needs them: browser notifications for the stream's `notify` items
// (a new chat, a chat reopened by its customer, a message in a chat assigned to me, a mention
// in a note), asked for only after the agent taps "Turn on notifications"; a short sound
// (which the agent can turn off); and the unread count in the tab title.
import { api, h } from './api.js';
import { state } from './state.js';

const BASE_TITLE = 'Wasla console';
const SOUND_KEY = 'wasla.console.sound';
let audio = null;

/** The tab title with the unread count: "(3) Wasla console". */
export function setUnread(n) {
  document.title = n > 0 ? `(${n}) ${BASE_TITLE}` : BASE_TITLE;
}

/** Unread customer messages in my chats and unassigned ones. */
export const unreadOf = (rows) => rows.filter((r) => !r.assignee_id || r.assignee_id === state.me.id).reduce((n, r) => n + r.unread, 0);

let pending = null;
/** Recount the tab title's unread soon (on any page; one request for a burst of items). */
export function refreshUnread() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try { setUnread(unreadOf((await api.inbox({})).data)); } catch { /* offline: keep it */ }
  }, 300);
}

/** Whether the sound is on (the default). */
export const soundOn = () => localStorage.getItem(SOUND_KEY) !== 'off';

/** Turn the sound on or off. */
export const setSound = (on) => localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');

/** Whether the browser can still be asked for permission to notify. */
export const canAsk = () => 'Notification' in window && Notification.permission === 'default';

/** Ask for permission (call from a click: browsers ignore requests without one). */
export async function askPermission() {
  if (!('Notification' in window)) return 'unsupported';
  try { return await Notification.requestPermission(); } catch { return Notification.permission; }
}

/** The inbox's prompt to turn notifications on; nothing once the agent has answered. */
export function permissionPrompt() {
  if (!canAsk() || localStorage.getItem('wasla.console.notify-later')) return null;
  const bar = h('div.notify-prompt', { testid: 'notify-prompt' },
    h('span', {}, 'Get told about new chats and replies to your chats, even in another tab.'),
    h('div.row', {},
      h('button.btn', { testid: 'notify-enable', onclick: async () => { await askPermission(); beep(); bar.remove(); } }, 'Turn on notifications'),
      h('button.btn.ghost', { testid: 'notify-later', onclick: () => { localStorage.setItem('wasla.console.notify-later', '1'); bar.remove(); } }, 'Not now')));
  return bar;
}

/** A short two-note chime (Web Audio; nothing when the browser does not allow it yet). */
function beep() {
  if (!soundOn()) return;
  try {
    audio = audio || new AudioContext();
    const t = audio.currentTime;
    for (const [i, f] of [[0, 880], [1, 1320]]) {
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = f;
      g.gain.setValueAtTime(0.0001, t + i * 0.12);
      g.gain.exponentialRampToValueAtTime(0.15, t + i * 0.12 + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.18);
      o.connect(g).connect(audio.destination);
      o.start(t + i * 0.12);
      o.stop(t + i * 0.12 + 0.2);
    }
    document.documentElement.dataset.chimes = String(Number(document.documentElement.dataset.chimes || 0) + 1);
  } catch { /* no audio */ }
}

const titles = {
  new_chat: (i) => `New chat: ${i.name}`,
  reopened: (i) => `${i.name} wrote again`,
  message: (i) => `${i.name} (your chat)`,
  mention: (i) => `${i.by} mentioned you (${i.name})`,
};

/** Handle a `notify` item: sound, and a notification unless the agent is looking at that
 * chat already. `open(chatId)` shows the chat when the notification is clicked. */
export function notify(item, open) {
  const shown = state.chat === item.chat_id && document.querySelector('[data-testid="chat-name"]')?.offsetParent;
  const looking = document.visibilityState === 'visible' && document.hasFocus() && shown;
  if (looking && item.kind !== 'mention') return;
  beep();
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification((titles[item.kind] || titles.message)(item), {
      body: item.preview || '', tag: `${item.kind}:${item.chat_id}`, dir: 'auto', icon: '/icon.svg',
    });
    n.onclick = () => { window.focus(); open(item.chat_id); n.close(); };
  } catch { /* notifications unavailable here */ }
}
