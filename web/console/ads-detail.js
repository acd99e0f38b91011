// One campaign in the console's Ads page: its creative and texts, status (with the reviewer's
// reason when rejected), pause / resume / end, what it did per day (impressions as columns,
// and a table of impressions, taps, chats started and spend, exact from its integer micros,
// with the totals), and how to share it outside Status: the click-to-chat link with a copy
// button, the HTML snippet of a "Message us" button, and the QR image with a PNG download.
import { h } from './api.js';
import { exponent } from './money.js';
import { columnChart, download, toCsv } from './charts.js';
import { adsApi, amount, authedSrc, backLink, copyText, creativeEl, statusBadge, fmtWhen } from './ads-common.js';

const count = (n) => Number(n || 0).toLocaleString();

/**
 * Exact spend from integer micros (millionths of the currency unit), with at least the
 * currency's decimals and at most six: 1500 micros in USD is "0.0015". String arithmetic only.
 */
function micros(n, currency) {
  const exp = exponent(currency);
  const neg = n < 0;
  const s = String(Math.abs(Math.trunc(n))).padStart(7, '0');
  let frac = s.slice(-6).replace(/0+$/, '');
  if (frac.length < exp) frac = frac.padEnd(exp, '0');
  return `${neg ? '-' : ''}${s.slice(0, -6)}${frac ? `.${frac}` : ''}`;
}

/** The day before `YYYY-MM-DD`. */
function dayBefore(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The actions a campaign in `status` offers. */
function actions(c, reload, err) {
  const act = async (fn) => { err.textContent = ''; try { await fn(); reload(); } catch (e) { err.textContent = e.message; } };
  const out = [];
  if (c.status === 'approved') out.push(h('button.btn.ghost', { type: 'button', testid: 'ad-pause', onclick: () => act(() => adsApi.setStatus(c.id, 'paused')) }, 'Pause'));
  if (c.status === 'paused') out.push(h('button.btn', { type: 'button', testid: 'ad-resume', onclick: () => act(() => adsApi.setStatus(c.id, 'approved')) }, 'Resume'));
  if (c.status !== 'ended') {
    out.push(h('button.btn.ghost.danger', { type: 'button', testid: 'ad-end', onclick: () => {
      if (confirm('End this campaign? It stops showing for good; its figures stay.')) act(() => adsApi.end(c.id));
    } }, 'End campaign'));
  }
  return out;
}

/** Per-day figures: a column chart of impressions and the full table with totals. */
function daysCard(c) {
  // The chart runs from the oldest day to the newest; the table lists the newest first.
  const days = (c.days || []).slice().sort((a, b) => a.date.localeCompare(b.date));
  const cur = c.currency;
  const width = Math.round(Math.max(280, Math.min(900, (document.querySelector('.ads')?.clientWidth || window.innerWidth) - 72)));
  // Spend is shown exactly, from its micros (a day's minor units round down).
  const spendOf = (d) => (Number.isInteger(d.spend_micros) ? d.spend_micros : d.spend * 10 ** (6 - exponent(cur)));
  const total = days.reduce((t, d) => ({ impressions: t.impressions + d.impressions, taps: t.taps + d.taps, chats: t.chats + d.chats_started, spend: t.spend + spendOf(d) }),
    { impressions: 0, taps: 0, chats: 0, spend: 0 });
  const header = ['Day', 'Impressions', 'Taps', 'Chats started', `Spend (${cur})`];
  const rows = days.slice().reverse().map((d) => [d.date, count(d.impressions), count(d.taps), count(d.chats_started), micros(spendOf(d), cur)]);
  // A short campaign still gets a week of columns, the days before it at zero.
  const chartDays = days.slice();
  while (chartDays.length && chartDays.length < 7) chartDays.unshift({ date: dayBefore(chartDays[0].date), impressions: 0 });
  const num = (v) => h('td.num', {}, v);
  return h('section.card.ad-days', { testid: 'ad-days' },
    h('div.ad-bar', {}, h('h3', {}, 'Results by day'), h('span.grow'),
      h('button.btn.ghost', { type: 'button', testid: 'ad-days-csv', onclick: () => download(`campaign-${c.id}.csv`, toCsv(['date', 'impressions', 'taps', 'chats_started', 'spend_micros', 'currency'],
        days.map((d) => [d.date, d.impressions, d.taps, d.chats_started, spendOf(d), cur]))) }, 'Download CSV')),
    h('div.ad-totals', { testid: 'ad-totals' },
      h('div', {}, h('strong', { testid: 'ad-total-impressions' }, count(total.impressions)), h('span', {}, 'impressions')),
      h('div', {}, h('strong', { testid: 'ad-total-taps' }, count(total.taps)), h('span', {}, 'taps')),
      h('div', {}, h('strong', { testid: 'ad-total-chats' }, count(total.chats)), h('span', {}, 'chats started')),
      h('div', {}, h('strong', { testid: 'ad-total-spend' }, h('bdi', { dir: 'ltr' }, `${micros(total.spend, cur)} ${cur}`)), h('span', {}, 'spent'))),
    days.length ? columnChart(chartDays.map((d) => ({ label: d.date, short: d.date.slice(5), value: d.impressions, display: `${count(d.impressions)} impression${d.impressions === 1 ? '' : 's'}` })),
      { label: 'Impressions by day', testid: 'ad-chart', width }) : null,
    h('div.ad-table', {}, h('table', { testid: 'ad-days-table' },
      h('thead', {}, h('tr', {}, ...header.map((x, i) => h(i ? 'th.num' : 'th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, h('td', {}, r[0]), ...r.slice(1).map(num)))
        : h('tr', {}, h('td.empty', { colspan: header.length }, 'No impressions yet.'))))));
}

/** The link, the HTML snippet and the QR image. */
function shareCard(c) {
  if (!c.link) return null;
  const link = new URL(c.link, location.origin).href;
  const snippet = c.snippet || '';
  const copyLink = h('button.btn.ghost', { type: 'button', testid: 'ad-copy-link', onclick: (e) => copyText(e.currentTarget, link) }, 'Copy link');
  const copySnippet = h('button.btn.ghost', { type: 'button', testid: 'ad-copy-snippet', onclick: (e) => copyText(e.currentTarget, snippet) }, 'Copy HTML');
  const qr = c.qr_url ? authedSrc(h('img.ad-qr', { alt: `QR code of ${link}`, testid: 'ad-qr', width: 180, height: 180 }), c.qr_url) : null;
  return h('section.card.ad-share', { testid: 'ad-share' },
    h('h3', {}, 'Click-to-chat link'),
    h('p.hint', {}, 'Anyone who opens the link or scans the code sees the ad and can message you from it; chats started this way count as this campaign’s.'),
    h('div.ad-share-grid', {},
      h('div.ad-share-text', {},
        h('div.ad-link-row', {}, h('a.ad-link', { href: link, target: '_blank', rel: 'noopener', testid: 'ad-link', dir: 'ltr' }, link), copyLink),
        snippet ? h('label.field', { for: 'ad-snippet' }, h('span', {}, 'Button for your website'),
          h('textarea', { id: 'ad-snippet', readonly: true, rows: 3, dir: 'ltr', testid: 'ad-snippet' }, snippet)) : null,
        snippet ? h('div.row', {}, copySnippet) : null),
      qr ? h('div.ad-qr-box', {}, qr, h('a.btn.ghost', { href: c.qr_url, download: `campaign-${c.id}-qr.png`, testid: 'ad-qr-download',
        onclick: (e) => { if (qr.src.startsWith('blob:')) { e.preventDefault(); const a = h('a', { href: qr.src, download: `campaign-${c.id}-qr.png` }); document.body.append(a); a.click(); a.remove(); } } }, 'Download PNG')) : null));
}

/** Fill `box` with campaign `id`. */
export function adsDetail(box, id) {
  const err = h('p.error', { role: 'alert', testid: 'ad-detail-error' });
  const load = async () => {
    let c;
    try { c = await adsApi.get(id); } catch (e) {
      box.replaceChildren(backLink(), h('p.error', { role: 'alert', testid: 'ad-detail-error' }, e.message));
      return;
    }
    const facts = [
      ['Daily budget', amount(c.daily_budget, c.currency)],
      ['Bid per 1,000 impressions', amount(c.bid_cpm, c.currency)],
      ['Runs', `${c.starts_at ? fmtWhen(c.starts_at) : 'from approval'} – ${c.ends_at ? fmtWhen(c.ends_at) : 'until ended'}`],
      ['Countries', (c.countries || []).length ? [].concat(c.countries).join(', ') : 'Every country'],
      ['Languages', (c.languages || []).length ? [].concat(c.languages).join(', ') : 'Every language'],
    ];
    box.replaceChildren(
      h('div.ad-bar', {}, backLink()),
      h('section.card.ad-head', { testid: 'ad-detail', 'data-id': c.id, 'data-status': c.status },
        creativeEl(c.creative, c.headline),
        h('div.ad-head-body', {},
          h('div.ad-card-head', {}, h('h2', { dir: 'auto', testid: 'ad-detail-name' }, c.name || c.headline), statusBadge(c)),
          c.status === 'rejected' ? h('div.ad-reason', { testid: 'ad-rejection', dir: 'auto' }, `Rejected: ${c.rejection_reason || 'no reason given'}`) : null,
          c.status === 'pending_review' ? h('p.hint', {}, 'Waiting for review. It starts showing once approved.') : null,
          h('div.ad-mock', {},
            h('strong', { dir: 'auto', testid: 'ad-detail-headline' }, c.headline),
            c.body ? h('p', { dir: 'auto' }, c.body) : null,
            h('span.ad-mock-btn', { dir: 'auto' }, c.button_text || 'Message us')),
          c.welcome_message ? h('p.hint', { dir: 'auto' }, 'Welcome message: ', h('bdi', {}, c.welcome_message)) : null,
          h('dl.ad-facts', {}, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
          h('div.row', {}, actions(c, load, err)), err)),
      daysCard(c),
      shareCard(c));
  };
  box.append(h('p.hint', {}, 'Loading…'));
  load();
}
