// The console's Ads page (business admins): the business's click-to-chat campaigns, newest
// first, each with its creative, headline, status badge (pending review, running, rejected
// with the reviewer's reason, paused, ended), schedule and budget; "New campaign" opens the
// form (ads-form.js) and a campaign opens its detail (ads-detail.js). Routes: `#/ads`,
// `#/ads/new`, `#/ads/{id}`.
import { h } from './api.js';
import { adsApi, adsStylesheet, amount, backLink, creativeEl, statusBadge, fmtWhen } from './ads-common.js';
import { adsForm } from './ads-form.js';
import { adsDetail } from './ads-detail.js';

/** One campaign in the list. */
function card(c) {
  return h('a.card.ad-card', { href: `#/ads/${encodeURIComponent(c.id)}`, testid: 'ad-card', 'data-id': c.id, 'data-status': c.status },
    creativeEl(c.creative, c.headline),
    h('div.ad-card-body', {},
      h('div.ad-card-head', {}, h('strong', { dir: 'auto' }, c.name || c.headline), statusBadge(c)),
      h('div', { dir: 'auto' }, c.headline),
      c.status === 'rejected' && c.rejection_reason ? h('div.ad-reason', { testid: 'ad-rejection', dir: 'auto' }, `Rejected: ${c.rejection_reason}`) : null,
      h('div.hint', {}, amount(c.daily_budget, c.currency), ' a day · ', amount(c.bid_cpm, c.currency), ' per 1,000 impressions'),
      h('div.hint', {}, c.starts_at ? `From ${fmtWhen(c.starts_at)}` : 'From approval', c.ends_at ? ` to ${fmtWhen(c.ends_at)}` : '')));
}

/** The list, with the button to the form. */
function listView(box) {
  const grid = h('div.ad-grid', { testid: 'ad-list' });
  const err = h('p.error', { role: 'alert', testid: 'ads-error' });
  adsApi.list().then((res) => {
    const rows = res.data || res.campaigns || [];
    grid.replaceChildren(...(rows.length ? rows.map(card)
      : [h('div.empty-state', { testid: 'ads-empty' }, h('strong', {}, 'No campaigns yet'),
        h('span', {}, 'An ad shows between people’s Status updates and opens a chat with you. Create one to start.'))]));
  }).catch((e) => { err.textContent = e.message; });
  box.replaceChildren(
    h('div.ad-bar', {}, h('h2', {}, 'Ads'), h('span.grow'), h('a.btn', { href: '#/ads/new', testid: 'ad-new' }, 'New campaign')),
    h('p.hint', {}, 'Click-to-chat ads in Status. Each campaign is reviewed before it runs; you pay for impressions, up to your daily budget.'),
    err, grid);
}

/** The Ads page for the current hash. */
export function adsView() {
  adsStylesheet();
  const box = h('div.page.ads', { testid: 'ads-page' });
  const route = /^#\/ads\/([^/?]+)/.exec(location.hash)?.[1];
  if (route === 'new') {
    box.append(h('p.hint', {}, 'Loading…'));
    const back = h('div.ad-bar', {}, backLink());
    // Amounts are typed in the billing currency, so the form waits for it.
    adsApi.account().then((acct) => {
      box.replaceChildren(back, adsForm(acct.currency, (c) => { location.hash = `#/ads/${encodeURIComponent(c.id)}`; }));
      box.querySelector('[data-testid="ad-name"]')?.focus();
    }, (e) => box.replaceChildren(back, h('p.error', { role: 'alert', testid: 'ads-error' }, `The billing currency is not available (${e.message}).`)));
  } else if (route) adsDetail(box, decodeURIComponent(route));
  else listView(box);
  return box;
}
