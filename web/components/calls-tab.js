// The Calls tab: the person's call history from the server, newest first: who, voice or
// video, incoming or outgoing, missed (in red) or declined, how long, when; and buttons to
// call back by voice or video. It refreshes when a call ends or a call note arrives.
import { h, listTime, accountName } from '../util.js';
import { icon } from '../icons.js';
import { request } from '../api.js';
import { avatar } from './avatar.js';
import { toast } from './dialog.js';
import { callClock } from './call-window.js';

const ARROW_OUT = 'M9 5v2h6.59L4 18.59 5.41 20 17 8.41V15h2V5z';
const ARROW_IN = 'M20 5.41 18.59 4 7 15.59V9H5v10h10v-2H8.41z';

function arrow(d, missed) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon call-arrow ${missed ? 'missed' : ''}`);
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export class CallsTab {
  static icon = () => icon('call', 24);

  /** ctx: {calls: {start(chatId, media, peer)}, openChat}; tab: {setBadge, select}. */
  constructor(ctx, tab) {
    this.ctx = ctx;
    this.tab = tab;
    this.list = h('div.calls-list', { testid: 'calls-list', role: 'list' });
    this.empty = h('p.muted.calls-empty', { testid: 'calls-empty', hidden: true }, 'No calls yet. Start one from a chat with the call buttons.');
    this.el = h('div.calls-tab', { testid: 'calls-tab' },
      h('header.side-head', h('span.side-title', 'Calls')),
      this.empty, this.list);
    this.visible = false;
    this.missed = 0;
  }

  /** Called by the calls module when something changed the history. */
  changed(missedOne) {
    if (missedOne && !this.visible) {
      this.missed++;
      this.tab.setBadge(this.missed);
    }
    if (this.visible) this.load();
    else this.stale = true;
  }

  onShow() {
    this.visible = true;
    this.missed = 0;
    this.tab.setBadge('');
    this.load();
  }

  onHide() {
    this.visible = false;
  }

  async load() {
    let page;
    try { page = await request('GET', '/calls?limit=100'); } catch (e) { toast(`Could not load calls: ${e.message}`, 'error'); return; }
    this.stale = false;
    this.empty.hidden = page.data.length > 0;
    this.list.replaceChildren(...page.data.map((r) => this.row(r)));
  }

  row(r) {
    const name = accountName(r.peer);
    const missed = r.outcome === 'missed';
    const out = r.direction === 'outgoing';
    const video = r.media === 'video';
    let what = out ? 'Outgoing' : 'Incoming';
    if (r.outcome === 'missed') what = 'Missed';
    else if (r.outcome === 'declined') what = out ? 'Declined by them' : 'Declined';
    else if (r.outcome === 'unanswered') what = 'Not answered';
    const detail = [what, r.duration_secs != null ? callClock(r.duration_secs) : null, listTime(r.created_at)].filter(Boolean).join(' · ');
    const peer = { wa_id: r.peer.wa_id, name, photo: r.peer.photo };
    const call = (media) => this.ctx.calls.start(r.chat_id, media, peer).catch((e) => toast(e.message, 'error'));
    return h('div.call-row', { role: 'listitem', testid: 'call-row', dataset: { call: r.call_id, outcome: r.outcome || r.state, direction: r.direction, media: r.media } },
      h('button.call-row-main', { type: 'button', title: `Open chat with ${name}`, onclick: () => this.ctx.openChat(r.chat_id) },
        avatar(name, r.peer.photo, 44),
        h('span.call-row-text',
          h('span.call-row-name', { class: `call-row-name ${missed ? 'missed' : ''}` }, name),
          h('span.call-row-detail', { testid: 'call-row-detail' }, arrow(out ? ARROW_OUT : ARROW_IN, missed || r.outcome === 'declined'), icon(video ? 'video' : 'call', 14), h('span.call-row-when', detail)))),
      h('button.icon-btn', { type: 'button', title: 'Voice call', 'aria-label': `Voice call ${name}`, testid: 'call-back-voice', onclick: () => call('voice') }, icon('call', 22)),
      h('button.icon-btn', { type: 'button', title: 'Video call', 'aria-label': `Video call ${name}`, testid: 'call-back-video', onclick: () => call('video') }, icon('video', 22)));
  }
}
