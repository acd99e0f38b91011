// "Came from ad …" in the inbox's chat header: a chat whose person wrote first from a
// click-to-chat ad says which ad (its headline) and, for admins, links to the campaign. The
// marker reads the inbox rows' `ad_origin` (campaign, headline, via, at), remembered as the
// list loads, and else the `referral` the server put on the person's first message.
import { h } from './api.js';
import { state, fmtDateTime } from './state.js';

/** chat_id → the inbox row's `ad_origin`, from the latest list. */
const origins = new Map();
let open = null;

/** Keep the origins of the inbox's rows (and fill the open chat's marker when it had none). */
export function rememberAdOrigins(rows) {
  for (const r of rows || []) if (r.ad_origin) origins.set(r.chat_id, r.ad_origin);
  if (open && open.slot.isConnected && !open.slot.dataset.filled) {
    const o = origins.get(open.chatId);
    if (o) fill(open.slot, o.headline, o.campaign_id, o.via, o.at);
  }
}

/** A slot for the marker of chat `chatId` (empty when the chat did not come from an ad). */
export function adOriginSlot(chatId, c) {
  const slot = h('div.ad-origin-slot', { testid: 'ad-origin-slot' });
  if (!document.querySelector('link[data-ads-css]')) document.head.append(h('link', { rel: 'stylesheet', href: '/console/ads.css', 'data-ads-css': true }));
  const o = (c && c.ad_origin) || origins.get(chatId);
  if (o) fill(slot, o.headline, o.campaign_id, o.via, o.at);
  open = { chatId, slot };
  return slot;
}

/** Fill the marker from a page of messages when the chat view had none. */
export function noteAdOrigin(slot, messages) {
  if (!slot || slot.dataset.filled) return;
  const m = (messages || []).find((x) => x.context && x.context.referral);
  if (!m) return;
  const r = m.context.referral;
  fill(slot, r.headline, r.source_id, r.ctwa_clid ? 'link' : 'status', m.timestamp ? Number(m.timestamp) * (Number(m.timestamp) < 1e12 ? 1000 : 1) : null);
}

function fill(slot, headline, campaignId, via, at) {
  slot.dataset.filled = 'true';
  const text = ['Came from ad ', h('bdi', { dir: 'auto' }, headline || 'a campaign')];
  const title = `${via === 'link' ? 'Opened from the ad’s link or QR code' : 'Tapped in Status'}${at ? ` · ${fmtDateTime(at)}` : ''}`;
  const marker = state.me?.role === 'admin' && campaignId
    ? h('a.ad-origin', { href: `#/ads/${encodeURIComponent(campaignId)}`, testid: 'ad-origin', title, 'data-via': via || '' }, ...text)
    : h('span.ad-origin', { testid: 'ad-origin', title, 'data-via': via || '' }, ...text);
  slot.replaceChildren(marker);
}
