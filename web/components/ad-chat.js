// Chats that start from a click-to-chat ad, on the person's side. A tap on an ad's button in
// Status, or an open of its public link (/ad/{code} leads to #/ad/{code}), answers with the
// chat with the business, its welcome message and a referral token. This module keeps that
// answer per chat until the person's first message there: the sender puts the token in that
// message's `referral` field (takeReferral / referralSent), and the conversation shows the
// welcome message as the business's greeting (display only: it is not a stored message, and
// it is gone after a reload). The calls of the ads API the client makes live here too.
import { h } from '../util.js';
import { request } from '../api.js';
import { toast } from './dialog.js';

const enc = encodeURIComponent;

/** The person's calls of the ads API (errors are the client API's ApiError). */
export const adsApi = {
  impression: (id) => request('POST', `/ads/${enc(id)}/impression`, {}),
  tap: (id) => request('POST', `/ads/${enc(id)}/tap`, {}),
  hide: (id) => request('POST', `/ads/${enc(id)}/hide`, {}),
  report: (id, reason) => request('POST', `/ads/${enc(id)}/report`, { reason }),
  openLink: (code) => request('POST', `/ads/links/${enc(code)}/open`, {}),
};

/** chat_id → {referral, welcome_message, business, headline, card} while the first message waits. */
const pending = new Map();
/** chat_id → the welcome card shown after the first message went out. */
const shown = new Map();
let conv = null;

/** Remember the answer of a tap or a link open, before its chat is opened. */
export function rememberAdOpen(open) {
  if (!open || !open.chat_id) return;
  pending.set(open.chat_id, { ...open });
  shown.delete(open.chat_id);
  if (conv && conv.chatId === open.chat_id) showWelcome(open.chat_id);
}

/**
 * The referral token for the next send in `chatId`, claimed by that send (so one message
 * carries it); the sender keeps it on its job for retries and calls `referralSent` once the
 * message is committed.
 */
export function takeReferral(chatId) {
  const p = pending.get(chatId);
  if (!p || p.claimed) return null;
  p.claimed = true;
  return p.referral;
}

/** A message carrying `token` was committed: the welcome stays above it, the token is spent. */
export function referralSent(chatId, token) {
  const p = pending.get(chatId);
  if (!p || p.referral !== token) return;
  pending.delete(chatId);
  shown.set(chatId, p);
  if (conv && conv.chatId === chatId) showWelcome(chatId);
}

/** The send carrying the token failed for good: the next message carries it instead. */
export function referralFailed(chatId, token) {
  const p = pending.get(chatId);
  if (p && p.referral === token) p.claimed = false;
}

/** The greeting as an incoming bubble, marked as coming from the ad. */
function welcomeCard(p) {
  const name = (p.business && p.business.name) || '';
  return h('div.ad-welcome', { testid: 'ad-welcome', role: 'note' },
    h('div.ad-welcome-from', 'Sponsored', p.headline ? h('span', ' · ', h('bdi', p.headline)) : null),
    h('div.msg-row.theirs.first',
      h('div.bubble-wrap', h('div.bubble.tail',
        name ? h('div.sender-name', { dir: 'auto' }, name) : null,
        h('div.text', { dir: 'auto', testid: 'ad-welcome-text' }, p.welcome_message)))));
}

/**
 * Show the welcome of `chatId` in the open conversation: after the messages while the first
 * message has not gone out, above them once it has (a chat from an ad starts with it).
 */
function showWelcome(chatId) {
  if (!conv) return;
  for (const old of conv.list.querySelectorAll(':scope > .ad-welcome')) old.remove();
  const p = pending.get(chatId) || shown.get(chatId);
  if (!p || !p.welcome_message || conv.chatId !== chatId) return;
  const card = welcomeCard(p);
  if (pending.has(chatId)) conv.inner.after(card);
  else conv.inner.before(card);
}

/**
 * Let the conversation show welcome messages: every chat it opens shows its welcome when it
 * has one (the conversation's own `open` runs first, unchanged).
 */
export function adWelcome(conversation) {
  conv = conversation;
  const open = conversation.open.bind(conversation);
  conversation.open = async (chatId) => {
    const r = await open(chatId);
    showWelcome(chatId);
    return r;
  };
}

/**
 * Open an ad's click-to-chat link (`#/ad/{code}`): ask the server for the chat, then open it
 * with `openChat` and show the welcome.
 */
export async function openAdLink(code, openChat) {
  try {
    const open = await adsApi.openLink(code);
    rememberAdOpen(open);
    await openChat(open.chat_id, false);
    history.replaceState({ chat: open.chat_id, root: true }, '', `#/chat/${open.chat_id}`);
    document.querySelector('[data-testid="composer-input"]')?.focus();
  } catch (e) {
    history.replaceState(null, '', '/');
    toast(e.status === 404 ? 'This ad is no longer running.' : `Could not open that ad: ${e.message}`, 'error');
  }
}
