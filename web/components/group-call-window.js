// The group call window: a grid of tiles that pages (nine to a page), one per participant with
// their video (or their initial while their camera is off), their name and a muted sign; the
// active speaker's tile is outlined. Below: mute, camera and leave. Each remote participant's
// audio plays from its own hidden element, so people on other pages are still heard. The
// window tells the engine how large it shows each participant so the SFU sends a layer that
// fits, and nothing of people on other pages.
import { h } from '../util.js';
import { icon } from '../icons.js';
import { avatar } from './avatar.js';

/** Tiles on one page of the grid. */
export const PAGE_SIZE = 9;

function roundButton(name, label, glyph, onclick) {
  return h('button.call-round', { type: 'button', title: label, 'aria-label': label, 'aria-pressed': 'false', testid: `gcall-${name}`, onclick }, glyph);
}

export class GroupCallWindow {
  constructor(engine) {
    this.engine = engine;
    this.page = 0;
    this.audio = new Map();
    this.tiles = new Map();
    this.titleEl = h('div.gcall-title', { testid: 'gcall-title' });
    this.countEl = h('div.gcall-count', { testid: 'gcall-count', 'aria-live': 'polite' });
    this.grid = h('div.gcall-grid', { testid: 'gcall-grid' });
    this.prevBtn = h('button.icon-btn.gcall-page-btn', { type: 'button', title: 'Previous page', 'aria-label': 'Previous page', testid: 'gcall-prev', onclick: () => this.turn(-1) }, icon('back', 20));
    this.nextBtn = h('button.icon-btn.gcall-page-btn.gcall-next', { type: 'button', title: 'Next page', 'aria-label': 'Next page', testid: 'gcall-next', onclick: () => this.turn(1) }, icon('back', 20));
    this.pageEl = h('span.gcall-page', { testid: 'gcall-page' });
    this.muteBtn = roundButton('mute', 'Mute', icon('audio', 22), () => engine.toggleMute());
    this.camBtn = roundButton('camera', 'Camera', icon('video', 22), () => engine.toggleCamera());
    this.leaveBtn = h('button.call-round.call-decline', { type: 'button', title: 'Leave', 'aria-label': 'Leave call', testid: 'gcall-leave', onclick: () => engine.leave() }, h('span.hang', icon('call', 22)));
    this.audioBox = h('div', { hidden: true });
    this.el = h('section.gcall', { testid: 'gcall-window', hidden: true, role: 'dialog', 'aria-label': 'Group call' },
      h('header.gcall-head', h('div', this.titleEl, this.countEl), h('div.gcall-pager', this.prevBtn, this.pageEl, this.nextBtn)),
      this.grid,
      h('footer.gcall-controls', this.muteBtn, this.camBtn, this.leaveBtn),
      this.audioBox);
    this.el.stats = () => engine.stats();
    engine.on('change', () => this.render());
    engine.on('stream', (id, stream) => this.attach(id, stream));
    engine.on('ended', () => this.clear());
    this.resize = new ResizeObserver(() => this.reportView());
    this.resize.observe(this.grid);
  }

  /** The call's title (the group's name). */
  setTitle(text) { this.titleEl.textContent = text; }

  turn(step) {
    this.page += step;
    this.render();
  }

  /** A remote participant's stream arrived: play its audio, show its video on its tile. */
  attach(id, stream) {
    let el = this.audio.get(id);
    if (!el) {
      el = h('audio', { autoplay: true, testid: `gcall-audio-${id}` });
      this.audio.set(id, el);
      this.audioBox.append(el);
    }
    el.srcObject = stream;
    this.render();
  }

  /** Everyone in the call, me first. */
  people() {
    const call = this.engine.call;
    if (!call) return [];
    const me = call.participants.find((p) => p.participant === call.me);
    const rest = call.participants.filter((p) => p.participant !== call.me);
    return me ? [me, ...rest] : rest;
  }

  render() {
    const call = this.engine.call;
    this.el.hidden = !call;
    if (!call) return;
    const people = this.people();
    const pages = Math.max(1, Math.ceil(people.length / PAGE_SIZE));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    this.countEl.textContent = call.id ? `${people.length} in call` : 'Connecting…';
    this.pageEl.textContent = `${this.page + 1} / ${pages}`;
    this.prevBtn.disabled = this.page === 0;
    this.nextBtn.disabled = this.page >= pages - 1;
    this.el.querySelector('.gcall-pager').hidden = pages < 2;
    const shown = people.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    this.grid.dataset.count = String(shown.length);
    const speaker = call.speakers[0];
    const keep = new Set();
    for (const p of shown) {
      const tile = this.tile(p, call);
      keep.add(p.participant);
      tile.classList.toggle('speaking', speaker === p.participant && people.length > 1);
      tile.dataset.audio = String(p.participant === call.me ? call.audio : p.audio);
      tile.dataset.video = String(p.participant === call.me ? call.video : p.video);
      this.grid.append(tile);
    }
    for (const [id, tile] of this.tiles) {
      if (!keep.has(id)) { tile.remove(); if (!call.participants.some((p) => p.participant === id)) this.tiles.delete(id); }
    }
    for (const [id, el] of this.audio) {
      if (!call.participants.some((p) => String(p.participant) === id)) { el.remove(); this.audio.delete(id); }
    }
    this.muteBtn.setAttribute('aria-pressed', String(!call.audio));
    this.muteBtn.classList.toggle('off', !call.audio);
    this.camBtn.setAttribute('aria-pressed', String(!call.video));
    this.camBtn.classList.toggle('off', !call.video);
    this.camBtn.hidden = call.local.getVideoTracks().length === 0;
    this.reportView();
  }

  /** A participant's tile, made once and kept while they are in the call. */
  tile(p, call) {
    let tile = this.tiles.get(p.participant);
    if (!tile) {
      const name = p.participant === call.me ? 'You' : (p.name || `+${p.wa_id}`);
      const video = h('video.gcall-video', { autoplay: true, playsInline: true, muted: true });
      tile = h('figure.gcall-tile', { testid: 'gcall-tile', 'data-participant': String(p.participant) },
        video,
        h('div.gcall-face', avatar(name, null, 64)),
        h('figcaption.gcall-name', h('span.gcall-muted', { title: 'Muted', 'aria-label': 'Muted', testid: 'gcall-muted' }, icon('audio', 14, 'off')), h('span', name)));
      tile.video = video;
      this.tiles.set(p.participant, tile);
    }
    const stream = p.participant === call.me ? call.local : call.streams.get(String(p.participant));
    if (stream && tile.video.srcObject !== stream) tile.video.srcObject = stream;
    return tile;
  }

  /** Tell the SFU the height each participant is shown at (others: not at all). */
  reportView() {
    const call = this.engine.call;
    if (!call || !call.id) return;
    const tiles = [];
    for (const [id, tile] of this.tiles) {
      if (id === call.me || !tile.isConnected) continue;
      tiles.push({ participant: id, width: Math.round(tile.clientWidth), height: Math.round(tile.clientHeight) });
    }
    const key = JSON.stringify(tiles);
    if (key === this.lastView) return;
    this.lastView = key;
    this.engine.view(tiles);
  }

  clear() {
    for (const el of this.audio.values()) el.remove();
    this.audio.clear();
    for (const tile of this.tiles.values()) tile.remove();
    this.tiles.clear();
    this.lastView = null;
    this.page = 0;
    this.el.hidden = true;
  }
}
