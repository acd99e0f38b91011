// Sending messages: an optimistic pending bubble first, then (for media) the upload, then the
// send over the socket or REST. The pending bubble is replaced by the committed message when
// the ack or the server's `message` event with the same client_id arrives; failures can retry.
import { uuidv7 } from './util.js';
import { api, seedMedia } from './api.js';
import { store } from './store.js';
import { toast } from './components/dialog.js';
import { takeReferral, referralSent, referralFailed } from './components/ad-chat.js';

const MEDIA = ['image', 'video', 'audio', 'document', 'sticker'];

export class Sender {
  constructor(rt) {
    this.rt = rt;
    this.jobs = new Map();
  }

  /**
   * content: {type, [type]: {...}} in Cloud API shape. opts: {context, forwarded, file, referral}.
   * context carries {message_id, from, type, preview} for the local quote; only message_id
   * is sent.
   */
  send(chatId, content, opts = {}) {
    const clientId = uuidv7();
    const pending = {
      id: null, client_id: clientId, chat_id: chatId, from: store.me.wa_id, timestamp: Date.now(),
      seq: Infinity, pending: true, status: 'pending', forwarded: !!opts.forwarded,
      ...structuredClone(content),
    };
    if (opts.context) pending.context = opts.context;
    if (opts.file) {
      pending._localUrl = URL.createObjectURL(opts.file);
      const media = pending[content.type];
      media.file_size = opts.file.size;
      media.mime_type = opts.file.type;
    }
    const job = { chatId, content, opts, clientId, uploaded: null };
    this.jobs.set(clientId, job);
    store.addPending(chatId, pending);
    this.run(job);
    return clientId;
  }

  async run(job) {
    const { chatId, content, opts, clientId } = job;
    try {
      const body = { client_id: clientId, type: content.type };
      if (MEDIA.includes(content.type)) {
        if (opts.file && !job.uploaded) {
          job.uploaded = await api.upload(opts.file);
          seedMedia(job.uploaded.id, opts.file);
        }
        const src = content[content.type] || {};
        const media = { id: job.uploaded ? job.uploaded.id : src.id };
        if (src.caption) media.caption = src.caption;
        if (content.type === 'document') media.filename = src.filename || (job.uploaded && job.uploaded.filename) || undefined;
        body[content.type] = media;
      } else {
        body[content.type] = content[content.type];
      }
      if (opts.context && opts.context.message_id) body.context = { message_id: opts.context.message_id };
      if (opts.context && opts.context.referred_product) body.context = { ...(body.context || {}), referred_product: opts.context.referred_product };
      if (opts.forwarded) body.forwarded = true;
      // The first message of a chat opened from an ad carries its referral token (ad-chat.js);
      // the job keeps it, so a retry sends it again.
      if (job.referral === undefined) job.referral = opts.referral || takeReferral(chatId);
      if (job.referral) body.referral = job.referral;
      const msg = await this.rt.sendMessage(chatId, body);
      this.jobs.delete(clientId);
      if (job.referral) referralSent(chatId, job.referral);
      if (msg) await store.onMessage(msg, true);
    } catch (e) {
      console.warn('send failed', e);
      store.updatePending(chatId, clientId, { status: 'failed' });
      // A refused referral is not tried again by this message; the next one carries it.
      if (job.referral && e.status && e.status !== 0) { referralFailed(chatId, job.referral); job.referral = null; }
      toast(`Message not sent: ${e.message}`, 'error');
    }
  }

  retry(m) {
    const job = this.jobs.get(m.client_id);
    if (!job) return;
    store.updatePending(job.chatId, job.clientId, { status: 'pending' });
    this.run(job);
  }

  react(m, emoji) {
    const body = { client_id: uuidv7(), type: 'reaction', reaction: { message_id: m.id, emoji } };
    // Fold immediately so the choice shows at once; the event confirms it.
    store.foldReaction({ ...body, chat_id: m.chat_id, from: store.me.wa_id, seq: Number.MAX_SAFE_INTEGER - 1, id: null });
    store.emit('messages', m.chat_id, 'update');
    this.rt.sendMessage(m.chat_id, body).then((msg) => {
      const per = store.reactions.get(m.id);
      if (per && per.get(store.me.wa_id)?.seq === Number.MAX_SAFE_INTEGER - 1) per.delete(store.me.wa_id);
      if (msg) store.onMessage(msg, true);
    }, (e) => toast(`Reaction failed: ${e.message}`, 'error'));
  }

  /** Forward a committed message's content to another chat. */
  forward(m, chatId) {
    const content = { type: m.type };
    if (MEDIA.includes(m.type)) {
      const src = m[m.type] || {};
      content[m.type] = { id: src.id, caption: src.caption, filename: src.filename, mime_type: src.mime_type, file_size: src.file_size };
    } else content[m.type] = structuredClone(m[m.type]);
    return this.send(chatId, content, { forwarded: true });
  }
}
