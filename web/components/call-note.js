// How a call shows in its chat: the server's note ("Missed voice call", "Voice call, 2:13")
// in the shared system pill, with the call's icon (red when missed) and, for a call someone
// missed or declined, a "Call back" button. Both people see the same text.
import { h } from '../util.js';
import { icon } from '../icons.js';

/** Set by the calls module once the engine runs: (chatId, media) => void. */
let callBack = null;

export function setCallBack(fn) {
  callBack = fn;
}

/** The system row of a call note. */
export function callNoteRow(m) {
  const call = m.system.call;
  const missed = call.outcome !== 'answered';
  return h('div.system-row.call-note-row', { testid: 'system-message', dataset: { id: m.id || '', seq: m.seq || '', outcome: call.outcome, media: call.media } },
    h('span.system-pill.call-note', { testid: 'call-note', class: `system-pill call-note ${missed ? 'missed' : ''}` },
      icon(call.media === 'video' ? 'video' : 'call', 16),
      h('span', m.system.body || ''),
      missed && callBack ? h('button.call-note-back', {
        type: 'button', testid: 'call-note-back', onclick: () => callBack(m.chat_id, call.media),
      }, 'Call back') : null));
}
