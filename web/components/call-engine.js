// The call engine: one person's side of 1:1 voice and video calls. It speaks the server's
// `call` frames over the existing WebSocket (start, ringing, accept, decline, cancel, hang-up,
// ICE candidates, renegotiation offers and answers, microphone/camera state) and runs the
// browser's RTCPeerConnection: ICE servers from the server when it has them (none otherwise,
// which works between devices that reach each other directly), local media from getUserMedia,
// a voice call upgraded to video by renegotiation, and device switching by replacing tracks.
// The UI (call-window.js, call-incoming.js) listens to its 'change' event and reads `call` and
// `incoming`; it never touches the peer connection itself.
import { Emitter } from '../util.js';
import { request } from '../api.js';

/** Why a call ended, as people read it. */
export const END_TEXT = {
  declined: 'Call declined', busy: 'Busy', cancelled: 'Call cancelled', no_answer: 'No answer',
  hangup: 'Call ended', dropped: 'Connection lost', answered_elsewhere: 'Answered on another device',
  failed: 'Call failed',
};

export class CallEngine extends Emitter {
  constructor(rt) {
    super();
    this.rt = rt;
    /** The call this device is in (placing, ringing out, connecting or active), or null. */
    this.call = null;
    /** Calls ringing on this device, by id: {info, sdp, caller, candidates}. */
    this.incoming = new Map();
    this.refs = 0;
    /** Starts given up before the server named the call: cancelled once it does. */
    this.abandoned = new Set();
    rt.on('call', (f) => { this.onFrame(f).catch((e) => console.error('call frame', e)); });
    // The server ends a call whose device's connection went away; so does this side.
    rt.on('state', (s) => { if (s === 'offline' && this.call) this.finish('dropped'); });
  }

  send(action, body) {
    return this.rt.raw({ op: 'call', action, ...body });
  }

  /** The ICE servers to use; a server without them (404) or an error means none. */
  async iceServers() {
    try {
      const r = await request('GET', '/calls/ice-servers');
      return (r && r.ice_servers) || [];
    } catch {
      return [];
    }
  }

  /** Place a call into a direct chat. peer: {wa_id, name, photo}. */
  async start(chatId, media, peer) {
    if (this.call) throw new Error('You are already in a call');
    if (this.rt.state !== 'online') throw new Error('You are offline');
    const ref = `call${++this.refs}`;
    const call = this.newCall({ chatId, peer, media, direction: 'out', state: 'calling', ref, polite: false });
    this.call = call;
    this.emit('change');
    try {
      await this.openMedia(call, media === 'video');
      await this.connect(call);
      for (const track of call.local.getTracks()) call.pc.addTrack(track, call.local);
      // A voice call keeps a video section ready, so a camera can join without a new m-line.
      if (media !== 'video') call.pc.addTransceiver('video', { direction: 'recvonly' });
      const offer = await call.pc.createOffer();
      await call.pc.setLocalDescription(offer);
      if (this.call !== call) return;
      this.send('start', { ref, chat_id: chatId, media, sdp: offer.sdp });
    } catch (e) {
      this.finish('failed');
      throw e;
    }
  }

  /** Answer a ringing call on this device. */
  async accept(id) {
    const inc = this.incoming.get(id);
    if (!inc || this.call) return;
    this.incoming.delete(id);
    const call = this.newCall({
      chatId: inc.info.chat_id, peer: inc.peer, media: inc.info.media, direction: 'in', state: 'connecting', polite: true,
    });
    call.id = id;
    call.remoteIce = inc.candidates;
    this.call = call;
    this.emit('change');
    try {
      await this.openMedia(call, inc.info.media === 'video');
      await this.connect(call);
      await call.pc.setRemoteDescription({ type: 'offer', sdp: inc.sdp });
      for (const track of call.local.getTracks()) call.pc.addTrack(track, call.local);
      const answer = await call.pc.createAnswer();
      await call.pc.setLocalDescription(answer);
      if (this.call !== call) return;
      this.send('accept', { call_id: id, sdp: answer.sdp });
      call.state = 'active';
      call.startedAt = Date.now();
      await this.flushRemoteIce(call);
      this.sendMedia();
      this.emit('change');
    } catch (e) {
      this.send('hangup', { call_id: id });
      this.finish('failed');
      throw e;
    }
  }

  decline(id) {
    if (!this.incoming.delete(id)) return;
    this.send('decline', { call_id: id });
    this.emit('change');
  }

  /** Hang up (or cancel) the current call. */
  hangup() {
    const call = this.call;
    if (!call) return;
    if (call.id) this.send(call.state === 'active' ? 'hangup' : 'cancel', { call_id: call.id });
    this.finish(call.state === 'active' ? 'hangup' : 'cancelled');
  }

  toggleMute() {
    const call = this.call;
    if (!call) return;
    call.audio = !call.audio;
    for (const t of call.local.getAudioTracks()) t.enabled = call.audio;
    this.sendMedia();
    this.emit('change');
  }

  /** Turn the camera off or on; a voice call becomes a video call by renegotiation. */
  async toggleCamera() {
    const call = this.call;
    if (!call) return;
    const track = call.local.getVideoTracks()[0];
    if (track) {
      call.video = !call.video;
      track.enabled = call.video;
    } else {
      const cam = await navigator.mediaDevices.getUserMedia({ video: true });
      const video = cam.getVideoTracks()[0];
      call.local.addTrack(video);
      const free = call.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && !t.sender.track);
      if (free) {
        await free.sender.replaceTrack(video);
        free.direction = 'sendrecv';
      } else {
        call.pc.addTrack(video, call.local);
      }
      call.video = true;
      call.media = 'video';
      if (call.state === 'active') await this.renegotiate(call);
    }
    this.sendMedia();
    this.emit('change');
  }

  /** Microphones and cameras the browser offers. */
  async devices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    return {
      audio: all.filter((d) => d.kind === 'audioinput'),
      video: all.filter((d) => d.kind === 'videoinput'),
    };
  }

  /** Use another microphone ('audio') or camera ('video') in the running call. */
  async switchDevice(kind, deviceId) {
    const call = this.call;
    if (!call) return;
    const s = await navigator.mediaDevices.getUserMedia({ [kind]: { deviceId: { exact: deviceId } } });
    const next = kind === 'audio' ? s.getAudioTracks()[0] : s.getVideoTracks()[0];
    const old = kind === 'audio' ? call.local.getAudioTracks()[0] : call.local.getVideoTracks()[0];
    next.enabled = kind === 'audio' ? call.audio : call.video;
    const sender = call.pc.getSenders().find((x) => x.track && x.track.kind === next.kind);
    if (sender) await sender.replaceTrack(next);
    if (old) { call.local.removeTrack(old); old.stop(); }
    call.local.addTrack(next);
    call[`${kind}Device`] = deviceId;
    this.emit('change');
  }

  /** Bytes received and frames decoded so far (what a call's health is read from). */
  async stats() {
    const out = { audioBytes: 0, videoBytes: 0, framesDecoded: 0, state: this.call && this.call.state };
    if (!this.call || !this.call.pc) return out;
    const report = await this.call.pc.getStats();
    report.forEach((r) => {
      if (r.type !== 'inbound-rtp') return;
      if (r.kind === 'audio') out.audioBytes += r.bytesReceived || 0;
      if (r.kind === 'video') { out.videoBytes += r.bytesReceived || 0; out.framesDecoded += r.framesDecoded || 0; }
    });
    return out;
  }

  // ---- internals ----

  newCall(fields) {
    return {
      id: null, audio: true, video: fields.media === 'video', peerAudio: true, peerVideo: fields.media === 'video',
      local: new MediaStream(), remote: new MediaStream(), pendingIce: [], remoteIce: [], startedAt: null,
      makingOffer: false, ...fields,
    };
  }

  async openMedia(call, video) {
    try {
      call.local = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    } catch (e) {
      if (!video) throw e;
      // No camera (or refused): go on with the microphone only.
      call.local = await navigator.mediaDevices.getUserMedia({ audio: true });
    }
    call.video = call.local.getVideoTracks().length > 0;
  }

  async connect(call) {
    const iceServers = await this.iceServers();
    const pc = new RTCPeerConnection({ iceServers });
    call.pc = pc;
    pc.onicecandidate = (e) => {
      if (!e.candidate) return;
      const c = e.candidate.toJSON();
      if (call.id) this.send('ice', { call_id: call.id, candidate: c });
      else call.pendingIce.push(c);
    };
    pc.ontrack = (e) => {
      if (!call.remote.getTracks().includes(e.track)) call.remote.addTrack(e.track);
      e.track.onunmute = () => this.emit('change');
      this.emit('change');
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && this.call === call) this.hangup();
      this.emit('change');
    };
  }

  async renegotiate(call) {
    call.makingOffer = true;
    try {
      const offer = await call.pc.createOffer();
      await call.pc.setLocalDescription(offer);
      this.send('offer', { call_id: call.id, sdp: offer.sdp });
    } finally {
      call.makingOffer = false;
    }
  }

  sendMedia() {
    const c = this.call;
    if (c && c.id && c.state === 'active') this.send('media', { call_id: c.id, audio: c.audio, video: c.video });
  }

  async flushRemoteIce(call) {
    const list = call.remoteIce.splice(0);
    for (const c of list) await call.pc.addIceCandidate(c).catch(() => {});
  }

  /** Stop media and forget the current call. */
  finish(reason, duration) {
    const call = this.call;
    if (!call) return;
    this.call = null;
    if (call.ref && !call.id) this.abandoned.add(call.ref);
    for (const t of call.local.getTracks()) t.stop();
    if (call.pc) call.pc.close();
    this.emit('ended', { call, reason, duration });
    this.emit('change');
  }

  async onFrame(f) {
    const call = this.call;
    const mine = call && call.id && f.call_id === call.id;
    switch (f.event) {
      case 'outgoing':
        if (this.abandoned.delete(f.ref)) this.send('cancel', { call_id: f.call.call_id });
        else if (call && f.ref === call.ref) {
          call.id = f.call.call_id;
          for (const c of call.pendingIce.splice(0)) this.send('ice', { call_id: call.id, candidate: c });
          this.emit('change');
        }
        break;
      case 'incoming': {
        const info = f.call;
        const peer = { wa_id: info.from, name: f.caller.display_name || f.caller.phone, photo: f.caller.photo };
        this.incoming.set(info.call_id, { info, sdp: f.sdp, peer, candidates: [] });
        this.send('ringing', { call_id: info.call_id });
        this.emit('change');
        break;
      }
      case 'ringing':
        if (mine && call.state === 'calling') { call.state = 'ringing'; this.emit('change'); }
        break;
      case 'accepted':
        if (mine) {
          await call.pc.setRemoteDescription({ type: 'answer', sdp: f.sdp });
          call.state = 'active';
          call.startedAt = Date.now();
          await this.flushRemoteIce(call);
          this.sendMedia();
          this.emit('change');
        }
        break;
      case 'ice': {
        const inc = this.incoming.get(f.call_id);
        if (inc) inc.candidates.push(f.candidate);
        else if (mine && call.pc.remoteDescription) await call.pc.addIceCandidate(f.candidate).catch(() => {});
        else if (mine) call.remoteIce.push(f.candidate);
        break;
      }
      case 'offer':
        if (mine) await this.onOffer(call, f.sdp);
        break;
      case 'answer':
        if (mine) await call.pc.setRemoteDescription({ type: 'answer', sdp: f.sdp });
        break;
      case 'media':
        if (mine) {
          call.peerAudio = f.audio;
          call.peerVideo = f.video;
          if (f.video) call.media = 'video';
          this.emit('change');
        }
        break;
      case 'ended':
        if (this.incoming.delete(f.call_id)) this.emit('change');
        if (mine) this.finish(f.reason, f.duration_secs);
        this.emit('history');
        break;
      case 'error':
        if (call && ((f.ref && f.ref === call.ref) || mine) && !call.startedAt) {
          this.finish('failed');
          this.emit('error', f.error);
        }
        break;
      default:
        break;
    }
  }

  /** A renegotiation offer from the other side (the callee yields when both offer at once). */
  async onOffer(call, sdp) {
    const pc = call.pc;
    const collision = call.makingOffer || pc.signalingState !== 'stable';
    if (collision && !call.polite) return;
    if (collision) await pc.setLocalDescription({ type: 'rollback' });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.send('answer', { call_id: call.id, sdp: answer.sdp });
    this.emit('change');
  }
}
