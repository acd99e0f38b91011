// The Billing page of the console (business admins only): what the business's delivered
// messages cost over the last 7, 30 or 90 days — by day, by pricing category, by recipient
// country and by phone number — and how its templates perform (sent, delivered, read,
// clicked, cost), each as a chart with the same numbers in a table under it and a CSV
// download; then this month's invoice. Amounts are the server's exact decimal strings; the
// charts use the integer micros only to size bars.
import { call, h } from './api.js';
import { barChart, columnChart, download, funnelChart, toCsv } from './charts.js';
import { openInvoice } from './billing-banner.js';

const CATEGORY = {
  marketing: 'Marketing', utility: 'Utility', authentication: 'Authentication',
  authentication_international: 'Authentication (international)', service: 'Service', referral_conversion: 'Free entry point',
};

/** The page's stylesheet, once. */
function stylesheet() {
  if (document.querySelector('link[data-billing-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/console/billing.css', 'data-billing-css': true }));
}

const count = (n) => Number(n).toLocaleString();

/** A card: title, CSV button, chart and table. */
function card(id, heading, chart, header, rows, csvName) {
  const csv = h('button.btn.ghost', { type: 'button', testid: `${id}-csv`, onclick: () => download(csvName, toCsv(header, rows)) }, 'Download CSV');
  return h('section.billing-card', { testid: id },
    h('div.billing-card-head', {}, h('h3', {}, heading), csv),
    h('div.billing-chart', {}, chart),
    h('div.billing-table', {},
      h('table', { testid: `${id}-table` },
        h('thead', {}, h('tr', {}, ...header.map((c, i) => h(i ? 'th.num' : 'th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.length
          ? rows.map((r) => h('tr', {}, ...r.map((c, i) => h(i ? 'td.num' : 'td', {}, String(c)))))
          : h('tr', {}, h('td.empty', { colspan: header.length }, 'Nothing in this range.'))))));
}

/** The sections of one answer of `/billing/analytics`, charting `metric` (cost or volume). */
function sections(data, metric) {
  const cur = data.currency;
  // Charts are drawn at about their shown width, so their text keeps its size on any screen:
  // the day and template cards span the page, the others share it two by two when it is wide.
  const page = document.querySelector('.billing')?.clientWidth || window.innerWidth;
  const full = Math.round(Math.max(280, page - 72));
  const half = page >= 980 ? Math.round((page - 56) / 2 - 32) : full;
  const value = (r) => (metric === 'cost' ? Number(r.cost_micros) : r.volume);
  const display = (r) => (metric === 'cost' ? `${r.cost} ${cur}` : `${count(r.volume)} msgs`);
  const bars = (rows, name) => rows.map((r) => ({ label: name(r), value: value(r), display: display(r) }));
  const table = (rows, name) => rows.map((r) => [name(r), r.volume, r.cost]);
  const what = metric === 'cost' ? `Cost (${cur})` : 'Messages';
  const range = `${data.days[0]?.key || ''}_${data.days[data.days.length - 1]?.key || ''}`;
  const byKey = (r) => r.key || '—';
  const byCategory = (r) => CATEGORY[r.key] || r.key || '—';
  const byPhone = (r) => (r.key ? `+${r.key}` : '—');
  const header = (first) => [first, 'Messages', `Cost (${cur})`];
  return [
    card('billing-days', `${what} by day`,
      columnChart(data.days.map((r) => ({ label: r.key, short: r.key.slice(5), value: value(r), display: display(r) })), { label: `${what} by day`, testid: 'chart-days', width: full }),
      header('Day'), table(data.days, byKey), `billing-days-${range}.csv`),
    card('billing-categories', `${what} by category`, barChart(bars(data.categories, byCategory), { label: `${what} by category`, testid: 'chart-categories', width: half }),
      header('Category'), table(data.categories, byCategory), `billing-categories-${range}.csv`),
    card('billing-countries', `${what} by country`, barChart(bars(data.countries, byKey), { label: `${what} by country`, testid: 'chart-countries', width: half }),
      header('Country'), table(data.countries, byKey), `billing-countries-${range}.csv`),
    card('billing-phones', `${what} by phone number`, barChart(bars(data.phone_numbers, byPhone), { label: `${what} by phone number`, testid: 'chart-phones', width: half }),
      header('Phone number'), table(data.phone_numbers, byPhone), `billing-phone-numbers-${range}.csv`),
    card('billing-templates', 'Template performance',
      funnelChart(data.templates.map((t) => ({ label: t.name,
        stages: [{ name: 'sent', value: t.sent }, { name: 'delivered', value: t.delivered }, { name: 'read', value: t.read }, { name: 'clicked', value: t.clicked }] })),
      { label: 'Template performance', testid: 'chart-templates', width: full }),
      ['Template', 'Sent', 'Delivered', 'Read', 'Clicked', `Cost (${cur})`],
      data.templates.map((t) => [t.name, t.sent, t.delivered, t.read, t.clicked, t.cost]), `billing-templates-${range}.csv`),
  ];
}

/** This month's invoice: its lines and total, the printable page and its CSV. */
function invoiceCard() {
  const box = h('section.billing-card.billing-invoice', { testid: 'billing-invoice' }, h('h3', {}, "This month's invoice"));
  call('GET', '/billing/invoices/current').then((inv) => {
    const lines = inv.lines || [];
    box.append(
      h('p.hint', {}, `${inv.month} · ${inv.timezone} · total `, h('strong', { testid: 'invoice-total' }, `${inv.total} ${inv.currency}`)),
      h('div.billing-table', {}, h('table', { testid: 'invoice-lines' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, 'Market'), h('th.num', { scope: 'col' }, 'Messages'), h('th.num', { scope: 'col' }, `Amount (${inv.currency})`))),
        h('tbody', {}, lines.length
          ? lines.map((l) => h('tr', {}, h('td', {}, CATEGORY[l.category] || l.category || l.kind), h('td', {}, l.market || '—'), h('td.num', {}, count(l.count)), h('td.num', {}, l.amount)))
          : h('tr', {}, h('td.empty', { colspan: 4 }, 'No charges yet this month.'))))),
      h('div.billing-actions', {},
        h('button.btn.ghost', { type: 'button', testid: 'invoice-open', onclick: () => openInvoice('current').catch(() => {}) }, 'Printable invoice'),
        h('button.btn.ghost', { type: 'button', testid: 'invoice-csv',
          onclick: () => download(`invoice-${inv.month}.csv`, toCsv(['category', 'market', 'count', 'amount_micros', 'amount'],
            lines.map((l) => [l.category || l.kind, l.market, l.count, l.amount_micros, l.amount]))) }, 'Download CSV')));
  }).catch((e) => box.append(h('p.hint', {}, `The invoice is not available (${e.message}).`)));
  return box;
}

/** The Billing page. */
export function billingView() {
  stylesheet();
  const err = h('p.error', { role: 'alert', testid: 'billing-error' });
  const total = h('p.billing-total', { testid: 'billing-total' });
  const body = h('div.billing-grid', { testid: 'billing-sections' });
  const days = h('select', { testid: 'billing-range', 'aria-label': 'Range' },
    ...[7, 30, 90].map((n) => h('option', { value: String(n), selected: n === 30 }, `Last ${n} days`)));
  const metric = h('div.billing-metric', { role: 'radiogroup', 'aria-label': 'Chart' },
    ...['cost', 'volume'].map((m) => h('label', {}, h('input', { type: 'radio', name: 'billing-metric', value: m, checked: m === 'cost', testid: `billing-metric-${m}` }), m === 'cost' ? ' Cost' : ' Messages')));
  let data = null;
  const draw = () => {
    if (!data) return;
    const m = metric.querySelector('input:checked')?.value || 'cost';
    total.replaceChildren(`${data.days[0]?.key} – ${data.days[data.days.length - 1]?.key}: `,
      h('strong', { testid: 'billing-total-cost' }, `${data.total.cost} ${data.currency}`), ` for ${count(data.total.volume)} delivered messages`);
    body.replaceChildren(...sections(data, m));
  };
  async function load() {
    err.textContent = '';
    const end = Math.floor(Date.now() / 1000);
    const start = end - (Number(days.value) - 1) * 86400;
    try {
      data = await call('GET', `/billing/analytics?start=${start}&end=${end}`);
      draw();
    } catch (e) { err.textContent = e.message; }
  }
  days.onchange = load;
  metric.onchange = draw;
  load();
  return h('div.page.billing', { testid: 'billing-page' },
    h('h2', {}, 'Billing'),
    h('p.hint', {}, 'What your delivered messages cost, in whole UTC days, and how your templates perform.'),
    h('div.billing-bar', {}, days, metric),
    err, total, body, invoiceCard());
}
