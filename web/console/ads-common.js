// What the console's Ads screens share: the campaign calls of the console API (JSON through
// `call`, the multipart create through its own fetch with the session), media that needs the
// session (a creative or QR served under /console/v1 is fetched and shown from a blob URL),
// the status badge of a campaign, amounts kept left to right inside right-to-left text, the
// link back to the list, copying text, and the page's stylesheet.
import { call, session, h } from './api.js';
import { money } from './money.js';

export const adsApi = {
  list: () => call('GET', '/ads/campaigns'),
  get: (id) => call('GET', `/ads/campaigns/${encodeURIComponent(id)}`),
  /** Pause (`paused`) or resume (`approved`) a campaign. */
  setStatus: (id, status) => call('PATCH', `/ads/campaigns/${encodeURIComponent(id)}`, { status }),
  end: (id) => call('DELETE', `/ads/campaigns/${encodeURIComponent(id)}`),
  account: () => call('GET', '/billing/account'),
  /** Create from a FormData (creative file and fields); resolves to the campaign. */
  async create(form) {
    const r = await fetch('/console/v1/ads/campaigns', { method: 'POST', headers: { Authorization: `Bearer ${session.token}` }, body: form });
    const data = await r.json().catch(() => null);
    if (!r.ok) {
      const e = new Error(data?.error?.message || `HTTP ${r.status}`);
      e.status = r.status;
      e.field = data?.error?.field || data?.error?.param || null;
      throw e;
    }
    return data;
  },
};

const blobs = new Map();

/** Point `el.src` at `url`: directly, or through a session fetch when it is a console API URL. */
export function authedSrc(el, url) {
  if (!url) return el;
  if (!url.startsWith('/console/v1/')) { el.src = url; return el; }
  if (!blobs.has(url)) {
    const p = fetch(url, { headers: { Authorization: `Bearer ${session.token}` } })
      .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.blob(); })
      .then((b) => URL.createObjectURL(b));
    p.catch(() => blobs.delete(url));
    blobs.set(url, p);
  }
  blobs.get(url).then((u) => { el.src = u; }, () => el.classList.add('broken'));
  return el;
}

const LABELS = {
  pending_review: 'Pending review', approved: 'Running', rejected: 'Rejected', paused: 'Paused', ended: 'Ended',
};

/** The badge of a campaign's status. */
export function statusBadge(c) {
  return h(`span.ad-status.st-${c.status}`, { testid: 'ad-status', 'data-status': c.status }, LABELS[c.status] || c.status);
}

/** The creative as an image or a muted looping video, for a card or the detail page. */
export function creativeEl(creative, alt) {
  if (!creative) return h('div.ad-creative.none', {}, 'No creative');
  if (creative.type === 'video') {
    const v = authedSrc(h('video', { muted: true, loop: true, playsinline: true, controls: true, preload: 'metadata', testid: 'ad-creative' }), creative.url);
    if (creative.thumbnail_url) v.poster = creative.thumbnail_url.startsWith('/console/v1/') ? '' : creative.thumbnail_url;
    return h('div.ad-creative', {}, v);
  }
  return h('div.ad-creative', {}, authedSrc(h('img', { alt: alt || 'Ad creative', testid: 'ad-creative' }), creative.thumbnail_url || creative.url));
}

/** Copy `text`, then say so on the button for a moment. */
export async function copyText(button, text) {
  const was = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // Clipboard refused (no permission): select the text for a manual copy instead.
    const ta = h('textarea', { style: 'position:fixed;opacity:0' }, text);
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand?.('copy');
    ta.remove();
    button.textContent = ok ? 'Copied' : 'Copy failed';
  }
  button.dataset.copied = 'true';
  setTimeout(() => { button.textContent = was; }, 1500);
}

/** The Ads page's stylesheet, once. */
export function adsStylesheet() {
  if (document.querySelector('link[data-ads-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/console/ads.css', 'data-ads-css': true }));
  if (!document.querySelector('link[data-billing-css]')) {
    // The per-day chart is drawn by charts.js, whose colours live in billing.css.
    document.head.append(h('link', { rel: 'stylesheet', href: '/console/billing.css', 'data-billing-css': true }));
  }
}

/** "2026-12-07 14:30" in the agent's time zone for a Unix ms time. */
export function fmtWhen(ms) {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** An amount as text that keeps its order ("20.00 USD") inside right-to-left text. */
export const amount = (minor, currency) => h('bdi', { dir: 'ltr' }, money(minor, currency));

/** The "back to the campaigns" link; its arrow turns with the writing direction. */
export const backLink = () => h('a.btn.ghost', { href: '#/ads', testid: 'ads-back' }, h('span.ad-back-arrow', { 'aria-hidden': 'true' }, '←'), ' Campaigns');
