// The console's low-balance banner: for business admins, under the top bar, while what the
// business can still spend is below the threshold the operator set (the console API's
// `low_balance`, marked once per crossing and cleared by a top-up). It says how much is left,
// opens this month's printable invoice, and can be dismissed until the next crossing.
// `openInvoice` is also what other pages use to show an invoice: the page is fetched with the
// session and opened from a blob, its stylesheet resolved against this server.
import { call, session, h } from './api.js';
import { state } from './state.js';

const DISMISSED = 'wasla.console.lowBalanceDismissed';

/** Open a month's printable invoice (`YYYY-MM` or `current`) in a new tab. */
export async function openInvoice(month = 'current') {
  const tab = window.open('', '_blank');
  const r = await fetch(`/console/v1/billing/invoices/${encodeURIComponent(month)}/html`, {
    headers: { Authorization: `Bearer ${session.token}` },
  });
  if (!r.ok) { tab?.close(); throw new Error(`HTTP ${r.status}`); }
  const html = (await r.text()).replace('<head>', `<head><base href="${location.origin}/">`);
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (tab) tab.location = url; else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Add the banner to the top bar `bar` when the business's balance is low (admins only). */
export function billingBanner(bar) {
  if (state.me?.role !== 'admin') return;
  call('GET', '/billing/account').then((acct) => {
    const low = acct.low_balance;
    if (!low || sessionStorage.getItem(DISMISSED) === String(low.since) || !bar.isConnected) return;
    const banner = h('div', {
      role: 'status', testid: 'low-balance-banner', 'data-since': String(low.since),
      style: 'position:absolute;top:100%;left:0;right:0;display:flex;align-items:center;gap:12px;'
        + 'flex-wrap:wrap;padding:8px 16px;background:var(--warn-bg);color:var(--warn-text);'
        + 'font-size:14px;box-shadow:var(--shadow)',
    },
    h('strong', {}, 'Low balance'),
    h('span', { testid: 'low-balance-message', style: 'flex:1;min-width:200px' }, low.message),
    h('button.btn.ghost', { type: 'button', testid: 'low-balance-invoice', style: 'color:inherit;border-color:currentColor',
      onclick: () => openInvoice('current').catch(() => {}) }, "This month's invoice"),
    h('button.btn.ghost', { type: 'button', testid: 'low-balance-dismiss', 'aria-label': 'Dismiss', style: 'color:inherit;border-color:currentColor',
      onclick: () => { sessionStorage.setItem(DISMISSED, String(low.since)); banner.remove(); } }, '×'));
    bar.append(banner);
  }).catch(() => { /* no banner when the account cannot be read */ });
}
