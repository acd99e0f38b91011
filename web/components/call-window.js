// The in-call window: the other person's video (or their picture while there is none), my own
// camera in a corner, who and how long (or Calling…, Ringing…, Connecting…), and the controls:
// mute, camera on/off (a voice call becomes a video call), switching microphone and camera,
// making the window compact, and hanging up. Compact, it is a small tile at the end corner that
// stays over the app while the person keeps chatting; a tap on it opens it again.
import { h } from '../util.js';
import { icon } from '../icons.js';
import { avatar } from './avatar.js';
import { popupMenu, toast } from './dialog.js';
import { END_TEXT } from './call-engine.js';
import { ringback } from './call-ringtone.js';

/** `m:ss`, or `h:mm:ss` from an hour. */
export function callClock(secs) {
  const s = Math.max(0, Math.floor(secs));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

function roundButton(name, label, glyph, onclick) {
  return h('button.call-round', { type: 'button', title: label, 'aria-label': label, 'aria-pressed': 'false', testid: `call-${name}`, onclick }, glyph);
}

export class CallWindow {
  constructor(engine) {
    this.engine = engine;
    this.compact = false;
    this.remoteVideo = h('video.call-remote-video', { autoplay: true, playsInline: true, muted: true, testid: 'call-remote-video' });
    this.localVideo = h('video.call-local-video', { autoplay: true, playsInline: true, muted: true, testid: 'call-local-video' });
    this.remoteAudio = h('audio', { autoplay: true, hidden: true });
    this.peerCard = h('div.call-peer-card');
    this.peerMuted = h('div.call-peer-muted', { testid: 'call-peer-muted', hidden: true }, icon('audio', 16, 'off'), ' Muted');
    this.nameEl = h('div.call-name', { testid: 'call-name' });
    this.statusEl = h('div.call-status', { testid: 'call-status', 'aria-live': 'polite' });
    this.muteBtn = roundButton('mute', 'Mute', icon('audio', 22), () => engine.toggleMute());
    this.camBtn = roundButton('camera', 'Camera', icon('video', 22), () => engine.toggleCamera().catch((e) => toast(`Camera: ${e.message}`, 'error')));
    this.devBtn = roundButton('devices', 'Microphone and camera', icon('more', 22), () => this.deviceMenu());
    this.sizeBtn = roundButton('compact', 'Make small', icon('down', 22), (e) => { e.stopPropagation(); this.setCompact(!this.compact); });
    this.hangBtn = h('button.call-round.call-decline', { type: 'button', title: 'Hang up', 'aria-label': 'Hang up', testid: 'call-hangup', onclick: (e) => { e.stopPropagation(); engine.hangup(); } }, icon('call', 22, 'hang'));
    this.el = h('div.call-window', { role: 'dialog', 'aria-label': 'Call', testid: 'call-window', hidden: true,
      onclick: (e) => { if (this.compact && !e.target.closest('button')) this.setCompact(false); } },
    h('div.call-stage', this.remoteVideo, this.peerCard, this.localVideo, this.remoteAudio, this.peerMuted),
    h('div.call-bar',
      h('div.call-who', this.nameEl, this.statusEl),
      h('div.call-controls', this.muteBtn, this.camBtn, this.devBtn, this.sizeBtn, this.hangBtn)));
    // What a test (or a curious person) reads of the call's health.
    this.el.stats = () => engine.stats();
    this.ended = null;
    engine.on('change', () => this.render());
    engine.on('ended', ({ reason, duration }) => this.showEnd(reason, duration));
    setInterval(() => this.tick(), 1000);
  }

  setCompact(on) {
    this.compact = on;
    this.el.classList.toggle('compact', on);
    this.el.dataset.compact = on ? 'true' : 'false';
    this.sizeBtn.replaceChildren(icon(on ? 'open' : 'down', 22));
    this.sizeBtn.title = on ? 'Make large' : 'Make small';
    this.sizeBtn.setAttribute('aria-label', this.sizeBtn.title);
  }

  render() {
    const c = this.engine.call;
    if (!c) {
      if (this.tone) { this.tone(); this.tone = null; }
      if (!this.ended) this.el.hidden = true;
      return;
    }
    clearTimeout(this.endTimer);
    this.ended = null;
    // Every call opens large.
    if (this.current !== c) {
      this.current = c;
      this.setCompact(false);
    }
    this.el.hidden = false;
    this.el.dataset.state = c.state;
    this.el.dataset.media = c.media;
    this.el.classList.remove('over');
    if (this.peerCard._key !== c.peer.wa_id) {
      this.peerCard._key = c.peer.wa_id;
      this.peerCard.replaceChildren(avatar(c.peer.name, c.peer.photo, 96), h('div.call-peer-name', c.peer.name));
    }
    this.nameEl.textContent = c.peer.name;
    if (this.localVideo.srcObject !== c.local) this.localVideo.srcObject = c.local;
    const remoteTracks = c.remote.getTracks().length;
    if (this.remoteVideo.srcObject !== c.remote || this.remoteTracks !== remoteTracks) {
      this.remoteTracks = remoteTracks;
      this.remoteVideo.srcObject = c.remote;
      this.remoteAudio.srcObject = c.remote;
      this.remoteVideo.play().catch(() => {});
      this.remoteAudio.play().catch(() => {});
    }
    const remoteVideo = c.peerVideo && c.remote.getVideoTracks().length > 0;
    this.remoteVideo.hidden = !remoteVideo;
    this.peerCard.hidden = remoteVideo;
    this.localVideo.hidden = !(c.video && c.local.getVideoTracks().length);
    this.peerMuted.hidden = c.peerAudio !== false || c.state !== 'active';
    this.muteBtn.setAttribute('aria-pressed', String(!c.audio));
    this.muteBtn.classList.toggle('off', !c.audio);
    this.muteBtn.title = c.audio ? 'Mute' : 'Unmute';
    this.camBtn.setAttribute('aria-pressed', String(!!c.video));
    this.camBtn.classList.toggle('off', !c.video);
    this.camBtn.title = c.video ? 'Turn camera off' : 'Turn camera on';
    const ringingOut = c.direction === 'out' && (c.state === 'calling' || c.state === 'ringing');
    if (ringingOut && !this.tone) this.tone = ringback();
    if (!ringingOut && this.tone) { this.tone(); this.tone = null; }
    this.tick();
  }

  tick() {
    const c = this.engine.call;
    if (!c) return;
    let text;
    if (c.state === 'active' && c.startedAt) text = callClock((Date.now() - c.startedAt) / 1000);
    else if (c.state === 'ringing') text = 'Ringing…';
    else if (c.state === 'calling') text = 'Calling…';
    else text = 'Connecting…';
    this.statusEl.textContent = text;
    this.statusEl.classList.toggle('timer', c.state === 'active');
    this.statusEl.dataset.testid = c.state === 'active' ? 'call-timer' : 'call-status';
  }

  /** Show why the call ended for a moment, then close. */
  showEnd(reason, duration) {
    this.ended = reason;
    this.el.hidden = false;
    this.el.classList.add('over');
    this.el.dataset.state = 'ended';
    const text = END_TEXT[reason] || 'Call ended';
    this.statusEl.textContent = duration != null ? `${text} · ${callClock(duration)}` : text;
    this.statusEl.dataset.testid = 'call-status';
    this.localVideo.srcObject = null;
    this.remoteVideo.srcObject = null;
    this.remoteAudio.srcObject = null;
    if (this.tone) { this.tone(); this.tone = null; }
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(() => {
      this.ended = null;
      if (!this.engine.call) this.el.hidden = true;
    }, 1800);
  }

  async deviceMenu() {
    let list;
    try { list = await this.engine.devices(); } catch (e) { toast(e.message, 'error'); return; }
    const c = this.engine.call;
    const items = [];
    const label = (d, i, kind) => d.label || `${kind} ${i + 1}`;
    list.audio.forEach((d, i) => items.push({
      label: `${c && c.audioDevice === d.deviceId ? '✓ ' : ''}${label(d, i, 'Microphone')}`,
      testid: 'call-device-audio',
      onClick: () => this.engine.switchDevice('audio', d.deviceId).catch((e) => toast(e.message, 'error')),
    }));
    list.video.forEach((d, i) => items.push({
      label: `${c && c.videoDevice === d.deviceId ? '✓ ' : ''}${label(d, i, 'Camera')}`,
      testid: 'call-device-video',
      onClick: () => this.engine.switchDevice('video', d.deviceId).catch((e) => toast(e.message, 'error')),
    }));
    if (!items.length) items.push({ label: 'No devices found', onClick: () => {} });
    popupMenu(this.devBtn, items, { align: 'right' });
  }
}
