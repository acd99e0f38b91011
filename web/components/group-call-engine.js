// Group calls on the realtime connection: one peer connection to the server's SFU. The device
// offers its microphone and camera once (the camera in three simulcast layers, q h f); after
// that the server makes the offers, one whenever someone's tracks are added or removed, and
// the device answers. Each remote stream's id is the participant who sends it. The engine
// keeps the call's participants, mute states and speaker order and tells the window of every
// change through events: 'change', 'stream', 'ring', 'stop-ring', 'ended', 'error'.
import { Emitter, uuid } from '../util.js';

/** The simulcast layers a camera is sent in, smallest first. */
const LAYERS = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', maxBitrate: 1_500_000 },
];

export class GroupCallEngine extends Emitter {
  constructor(rt) {
    super();
    this.rt = rt;
    this.call = null;
    this.rings = new Map();
    this.chain = Promise.resolve();
    rt.on('group_call', (f) => {
      this.chain = this.chain.then(() => this.onFrame(f)).catch((e) => console.error('group call frame', e));
    });
    rt.on('state', (s) => { if (s === 'offline' && this.call) this.finish(); });
  }

  /** Start a call in a group chat (or join the one going on there). */
  async start(chatId, media) {
    const ref = uuid();
    const sdp = await this.open(media, chatId, ref);
    this.rt.raw({ op: 'group_call', action: 'start', ref, chat_id: chatId, media, sdp });
    return this.joined;
  }

  /** Join a call that rings. */
  async join(callId) {
    const ring = this.rings.get(callId);
    if (!ring) throw new Error('That call has ended');
    const ref = uuid();
    const sdp = await this.open(ring.call.media, ring.call.chat_id, ref);
    this.rt.raw({ op: 'group_call', action: 'join', ref, call_id: callId, sdp });
    return this.joined;
  }

  /** Stop ringing on every device of mine. */
  decline(callId) {
    this.rt.raw({ op: 'group_call', action: 'decline', call_id: callId });
  }

  /** Camera and microphone, the peer connection and the first offer. */
  async open(media, chatId, ref) {
    if (this.call) throw new Error('You are in a call already');
    const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    for (const track of local.getTracks()) {
      const init = { direction: 'sendonly', streams: [local] };
      if (track.kind === 'video') init.sendEncodings = LAYERS.map((l) => ({ ...l }));
      pc.addTransceiver(track, init);
    }
    const call = {
      ref, chatId, media, pc, local, id: null, me: null, info: null,
      participants: [], speakers: [], streams: new Map(), audio: true, video: media === 'video',
    };
    this.call = call;
    pc.ontrack = (e) => {
      const stream = e.streams[0];
      if (!stream) return;
      call.streams.set(stream.id, stream);
      this.emit('stream', stream.id, stream);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && this.call === call) this.finish();
    };
    this.joined = new Promise((resolve, reject) => { call.settle = { resolve, reject }; });
    this.joined.catch(() => {});
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.emit('change');
    return offer.sdp;
  }

  async onFrame(f) {
    const call = this.call;
    switch (f.event) {
      case 'ringing':
        this.rings.set(f.call.call_id, f);
        this.emit('ring', f);
        break;
      case 'stop_ringing':
        if (this.rings.delete(f.call_id)) this.emit('stop-ring', f.call_id);
        break;
      case 'joined':
        if (!call || f.ref !== call.ref) return;
        call.id = f.call.call_id;
        call.info = f.call;
        call.me = f.participant;
        call.participants = f.participants;
        this.rings.delete(call.id);
        this.emit('stop-ring', call.id);
        await call.pc.setRemoteDescription({ type: 'answer', sdp: f.sdp });
        call.settle.resolve(call);
        this.emit('change');
        break;
      case 'offer':
        if (!call || f.call_id !== call.id) return;
        await call.pc.setRemoteDescription({ type: 'offer', sdp: f.sdp });
        await call.pc.setLocalDescription(await call.pc.createAnswer());
        this.rt.raw({ op: 'group_call', action: 'answer', call_id: call.id, sdp: call.pc.localDescription.sdp });
        break;
      case 'participants':
        if (!call || f.call_id !== call.id) return;
        call.participants = f.participants;
        this.emit('change');
        break;
      case 'speakers':
        if (!call || f.call_id !== call.id) return;
        call.speakers = f.speakers;
        this.emit('change');
        break;
      case 'left':
        if (!call || f.call_id !== call.id) return;
        if (f.participant === call.me) { this.finish(); return; }
        call.streams.delete(String(f.participant));
        call.participants = call.participants.filter((p) => p.participant !== f.participant);
        this.emit('change');
        break;
      case 'ended':
        if (this.rings.delete(f.call_id)) this.emit('stop-ring', f.call_id);
        if (call && f.call_id === call.id) this.finish();
        break;
      case 'error':
        if (call && (f.ref === call.ref || (f.call_id && f.call_id === call.id)) && !call.id) {
          call.settle.reject(new Error(f.error?.message || 'The call failed'));
          this.finish();
        }
        this.emit('error', new Error(f.error?.message || 'The call failed'));
        break;
      default:
        break;
    }
  }

  /** Turn my microphone on or off (the others see it). */
  toggleMute() {
    const call = this.call;
    if (!call) return;
    call.audio = !call.audio;
    for (const t of call.local.getAudioTracks()) t.enabled = call.audio;
    this.sendMedia();
  }

  /** Turn my camera on or off (the others see it). */
  toggleCamera() {
    const call = this.call;
    if (!call) return;
    call.video = !call.video && call.local.getVideoTracks().length > 0;
    for (const t of call.local.getVideoTracks()) t.enabled = call.video;
    this.sendMedia();
  }

  sendMedia() {
    const call = this.call;
    if (call && call.id) {
      this.rt.raw({ op: 'group_call', action: 'media', call_id: call.id, audio: call.audio, video: call.video });
    }
    this.emit('change');
  }

  /** Tell the server how large each participant is shown, so it sends a layer that fits. */
  view(tiles) {
    const call = this.call;
    if (call && call.id) this.rt.raw({ op: 'group_call', action: 'view', call_id: call.id, tiles });
  }

  /** Leave the call. */
  leave() {
    const call = this.call;
    if (call && call.id) this.rt.raw({ op: 'group_call', action: 'leave', call_id: call.id });
    this.finish();
  }

  /** Let go of the camera, the microphone and the connection. */
  finish() {
    const call = this.call;
    if (!call) return;
    this.call = null;
    for (const t of call.local.getTracks()) t.stop();
    try { call.pc.close(); } catch { /* already closed */ }
    if (call.settle) call.settle.reject(new Error('The call ended'));
    this.emit('change');
    this.emit('ended', call.id);
  }

  /** Frames decoded of each participant's video, by participant id (for health checks). */
  async stats() {
    const call = this.call;
    const out = {};
    if (!call) return out;
    for (const tr of call.pc.getTransceivers()) {
      const track = tr.receiver.track;
      if (!track || track.kind !== 'video' || tr.currentDirection === 'stopped' || tr.direction === 'sendonly') continue;
      const owner = [...call.streams.entries()].find(([, s]) => s.getTracks().includes(track));
      if (!owner) continue;
      const report = await tr.receiver.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out[owner[0]] = (out[owner[0]] || 0) + (s.framesDecoded || 0);
      });
    }
    return out;
  }
}
