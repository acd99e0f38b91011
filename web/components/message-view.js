// Rendering one message as a bubble: sender name, forwarded label, quoted reply (or the product
// a question is about), the content of every type (text, media, document, location, contacts,
// business messages, system), time and ticks kept clear of the text in either direction,
// reactions, the buttons under business messages, and the hover / long-press menu.
import { h, clock, linkify, osmLink, colorFor, prettyPhone } from '../util.js';
import { icon, ticks } from '../icons.js';
import { store, preview, messageText } from '../store.js';
import { popupMenu } from './dialog.js';
import { loadInto, mediaContent, documentCard } from './media-view.js';
import { STRUCTURED, structuredContent, structuredActions } from './interactive-view.js';
import { orderContent, referredProductCard } from './shop.js';
import { statusQuote } from './status-quote.js';
import { callNoteRow } from './call-note.js';

export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/**
 * ctx: {chat, actions: {reply, react, forward, info, jumpTo, retry, openMessageChat}, first}
 * first: whether this bubble starts a run of messages by the same sender (shows tail + name).
 */
export function renderMessage(m, ctx) {
  if (m.type === 'system') {
    if (m.system && m.system.call) return callNoteRow(m);
    return h('div.system-row', { testid: 'system-message', dataset: { id: m.id || '', seq: m.seq || '' } },
      h('span.system-pill', (m.system && m.system.body) || ''));
  }
  const mine = store.isMine(m);
  const status = m.pending ? (m.status === 'failed' ? 'failed' : 'pending') : (m.status || 'sent');
  const isGroup = ctx.chat && ctx.chat.kind === 'group';
  const bubble = h('div.bubble', { class: `bubble ${ctx.first ? 'tail' : ''} ${isMediaOnly(m) ? 'media-bubble' : ''}` });
  if (isGroup && !mine && ctx.first) {
    bubble.append(h('div.sender', { style: { color: colorFor(m.from) }, testid: 'message-sender' }, store.senderName(m.chat_id, m.from)));
  }
  if (m.forwarded) bubble.append(h('div.forwarded', { testid: 'message-forwarded' }, icon('forward', 14), ' Forwarded'));
  if (m.context && m.context.status) bubble.append(statusQuote(m.context.status, { me: store.me && store.me.wa_id, nameOf: (w) => store.senderName(m.chat_id, w) }));
  else if (m.context && m.context.message_id) bubble.append(quoteBlock(m, ctx));
  else if (m.context && m.context.referred_product) bubble.append(referredProductCard(m.context.referred_product, businessOf(m, ctx)));
  bubble.append(content(m, ctx));
  const meta = h('span.meta', h('span.time', clock(m.timestamp || Date.now())), mine ? ticks(status) : null);
  bubble.append(meta);
  if (status === 'failed' && mine) {
    bubble.append(h('button.retry-btn', { type: 'button', testid: 'retry-button', onclick: () => ctx.actions.retry(m) }, 'Not sent. Tap to retry'));
  }
  const buttons = STRUCTURED.includes(m.type) ? structuredActions(m, ctx) : null;
  if (buttons) {
    // The time stays with the content; the buttons span the bubble's full width below it.
    bubble.replaceChildren(h('div.bubble-main', ...bubble.childNodes), buttons);
    bubble.classList.add('has-actions');
  }

  const menuBtn = h('button.msg-menu-btn', {
    type: 'button', title: 'Message actions', 'aria-label': 'Message actions', testid: 'message-menu-button',
    onclick: (e) => { e.stopPropagation(); openMenu(menuBtn, m, ctx, mine); },
  }, icon('down', 20));
  const reactBtn = h('button.msg-react-btn', {
    type: 'button', title: 'React', 'aria-label': 'React', testid: 'react-button',
    onclick: (e) => { e.stopPropagation(); openReactions(reactBtn, m, ctx); },
  }, icon('smile', 18));

  const row = h('div.msg-row', {
    class: `msg-row ${mine ? 'mine' : 'theirs'} ${ctx.first ? 'first' : ''}`,
    testid: 'message',
    dataset: { id: m.id || '', clientId: m.client_id || '', seq: m.seq || '', status, mine: String(mine), type: m.type, from: m.from || '' },
  },
  h('div.bubble-wrap', bubble, m.pending ? null : menuBtn, m.pending ? null : reactBtn),
  reactionsBar(m));
  if (!m.pending) attachLongPress(row, () => openMenu(bubble, m, ctx, mine));
  return row;
}

/** The business of a chat: its other side (or the sender, seen from the business's side). */
function businessOf(m, ctx) {
  const peer = ctx.chat && ctx.chat.peer;
  return peer && peer.kind === 'business' ? peer.wa_id : m.from;
}

function isMediaOnly(m) {
  return (m.type === 'image' || m.type === 'video' || m.type === 'sticker') && !(m[m.type] && m[m.type].caption);
}

function quoteBlock(m, ctx) {
  const q = m.context;
  const target = store.findMessage(m.chat_id, q.message_id);
  const text = q.preview || (target ? preview(target) : 'Message');
  const from = q.from || (target && target.from);
  return h('button.quote', {
    type: 'button', testid: 'message-quote', title: 'Go to message',
    style: { borderColor: colorFor(from) },
    onclick: (e) => { e.stopPropagation(); ctx.actions.jumpTo(q.message_id); },
  },
  h('span.quote-name', { style: { color: colorFor(from) } }, from ? store.senderName(m.chat_id, from) : ''),
  h('span.quote-text', { testid: 'message-quote-text' }, text));
}

function content(m, ctx) {
  switch (m.type) {
    case 'text':
      return h('div.text', { testid: 'message-text', dir: 'auto' }, linkify((m.text && m.text.body) || ''), h('span.meta-spacer'));
    case 'image': case 'sticker': return mediaContent(m, 'img');
    case 'video': return mediaContent(m, 'video');
    case 'audio': {
      const a = h('audio', { controls: true, preload: 'metadata', testid: 'message-audio' });
      loadInto(m, a);
      return h('div.audio-box', h('span.audio-icon', icon('audio', 22)), a);
    }
    case 'document': return documentCard(m);
    case 'location': {
      const l = m.location || {};
      return h('div.location-card', { testid: 'message-location' },
        h('a.map-thumb', { href: osmLink(l.latitude, l.longitude), target: '_blank', rel: 'noopener noreferrer', title: 'Open in OpenStreetMap' },
          h('span.map-pin', icon('location', 34))),
        h('div.loc-info',
          l.name ? h('strong', l.name) : null,
          l.address ? h('span.muted', l.address) : null,
          h('span.coords', { testid: 'location-coords' }, `${Number(l.latitude).toFixed(5)}, ${Number(l.longitude).toFixed(5)}`),
          h('a.osm-link', { href: osmLink(l.latitude, l.longitude), target: '_blank', rel: 'noopener noreferrer', testid: 'location-link' }, 'View on OpenStreetMap')),
        h('span.meta-spacer'));
    }
    case 'contacts':
      return h('div.contacts', (m.contacts || []).map((c) => {
        const ph = (c.phones || [])[0] || {};
        const name = (c.name && c.name.formatted_name) || ph.phone || 'Contact';
        return h('div.contact-card', { testid: 'message-contact' },
          h('div.contact-top', h('span.contact-avatar', { style: { background: colorFor(name) } }, icon('person', 24)),
            h('div', h('strong', { testid: 'contact-name' }, name), h('div.muted', { testid: 'contact-phone' }, prettyPhone(ph.phone || '')))),
          ph.phone ? h('button.contact-action', { type: 'button', onclick: () => ctx.actions.messagePhone(ph.phone) }, 'Message') : null);
      }), h('span.meta-spacer'));
    case 'interactive': case 'template': case 'button': return structuredContent(m);
    case 'order': return orderContent(m, businessOf(m, ctx));
    default:
      return h('div.text.muted', `Unsupported message: ${m.type}`, h('span.meta-spacer'));
  }
}

function reactionsBar(m) {
  const rs = m.id ? store.reactionsFor(m.id) : [];
  if (!rs.length) return null;
  const total = rs.reduce((n, r) => n + r.count, 0);
  const names = rs.flatMap((r) => r.from.map((w) => `${store.senderName(m.chat_id, w)} ${r.emoji}`)).join(', ');
  return h('div.reactions', { testid: 'message-reactions', title: names, 'aria-label': `Reactions: ${names}` },
    rs.map((r) => h('span.reaction', { class: `reaction ${r.mine ? 'mine' : ''}`, testid: 'reaction', dataset: { emoji: r.emoji } }, r.emoji)),
    total > 1 ? h('span.reaction-count', String(total)) : null);
}

function openReactions(anchor, m, ctx) {
  const current = store.myReaction(m.id);
  const bar = h('div.popup-menu.react-bar', { role: 'menu', testid: 'reaction-picker' },
    QUICK_EMOJI.map((e) => h('button.react-choice', {
      type: 'button', title: e, 'aria-label': `React ${e}`, testid: 'reaction-choice', class: `react-choice ${current === e ? 'chosen' : ''}`,
      onclick: () => { bar.remove(); ctx.actions.react(m, current === e ? '' : e); },
    }, e)));
  for (const old of document.querySelectorAll('.popup-menu')) old.remove();
  document.body.append(bar);
  const r = anchor.getBoundingClientRect();
  bar.style.top = `${Math.max(8, r.top - bar.offsetHeight - 6)}px`;
  bar.style.left = `${Math.max(8, Math.min(r.left - bar.offsetWidth / 2, window.innerWidth - bar.offsetWidth - 8))}px`;
  const off = (e) => { if (!bar.contains(e.target)) { bar.remove(); document.removeEventListener('mousedown', off, true); } };
  setTimeout(() => document.addEventListener('mousedown', off, true));
  bar.querySelector('button').focus();
}

function openMenu(anchor, m, ctx, mine) {
  const a = ctx.actions;
  const canWrite = ctx.chat && !ctx.chat.left;
  popupMenu(anchor, [
    canWrite && { label: 'Reply', icon: 'reply', onClick: () => a.reply(m), testid: 'reply-action' },
    canWrite && { label: 'React', icon: 'smile', onClick: () => openReactions(anchor, m, ctx), testid: 'react-action' },
    !STRUCTURED.includes(m.type) && { label: 'Forward', icon: 'forward', onClick: () => a.forward(m), testid: 'forward-action' },
    messageText(m) && { label: 'Copy', icon: 'copy', onClick: () => navigator.clipboard?.writeText(messageText(m)), testid: 'copy-action' },
    mine && { label: 'Message info', icon: 'info', onClick: () => a.info(m), testid: 'info-action' },
  ], { align: mine ? 'right' : 'left' });
}

function attachLongPress(el, fn) {
  let timer;
  el.addEventListener('touchstart', () => { timer = setTimeout(fn, 500); }, { passive: true });
  for (const ev of ['touchend', 'touchmove', 'touchcancel']) el.addEventListener(ev, () => clearTimeout(timer), { passive: true });
  el.addEventListener('contextmenu', (e) => {
    if (e.target.closest('a, video, audio')) return;
    e.preventDefault();
    fn();
  });
}
