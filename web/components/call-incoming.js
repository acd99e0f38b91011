// The incoming-call popup: who calls, voice or video, Accept and Decline, with the ringtone
// while it shows. Every device of the callee shows it; it goes away on all of them once one
// answers, the caller gives up or nobody answers in time.
import { h } from '../util.js';
import { icon } from '../icons.js';
import { avatar } from './avatar.js';
import { ringtone } from './call-ringtone.js';
import { toast } from './dialog.js';

export class IncomingCalls {
  constructor(engine) {
    this.engine = engine;
    this.el = h('div.call-incoming-stack', { 'aria-live': 'assertive' });
    this.stopTone = null;
    engine.on('change', () => this.render());
  }

  render() {
    const calls = [...this.engine.incoming.entries()];
    const key = calls.map(([id]) => id).join(',');
    if (key === this.key) return;
    this.key = key;
    this.el.replaceChildren(...calls.map(([id, inc]) => this.popup(id, inc)));
    if (calls.length && !this.stopTone) this.stopTone = ringtone();
    if (!calls.length && this.stopTone) { this.stopTone(); this.stopTone = null; }
  }

  popup(id, inc) {
    const video = inc.info.media === 'video';
    const kind = video ? 'video' : 'voice';
    return h('div.call-incoming', { role: 'alertdialog', 'aria-label': `Incoming ${kind} call from ${inc.peer.name}`, testid: 'call-incoming', dataset: { call: id, media: inc.info.media } },
      avatar(inc.peer.name, inc.peer.photo, 48),
      h('div.call-incoming-text',
        h('div.call-incoming-name', { testid: 'call-incoming-name' }, inc.peer.name),
        h('div.call-incoming-kind', icon(video ? 'video' : 'call', 16), ` Incoming ${kind} call`)),
      h('div.call-incoming-actions',
        h('button.call-round.call-decline', {
          type: 'button', title: 'Decline', 'aria-label': 'Decline', testid: 'call-decline',
          onclick: () => this.engine.decline(id),
        }, icon('call', 22, 'hang')),
        h('button.call-round.call-accept', {
          type: 'button', title: 'Accept', 'aria-label': 'Accept', testid: 'call-accept',
          onclick: () => this.engine.accept(id).catch((e) => toast(`Could not answer: ${e.message}`, 'error')),
        }, icon(video ? 'video' : 'call', 22))));
  }
}
