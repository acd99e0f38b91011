// The failed sends page of the console: every send of the WABA's numbers that was accepted
// and then failed (window closed, media not fetched, a number that is not on this server),
// newest first, with the number, the recipient, the error code, its title and details.
import { call, h } from './api.js';

/** The failed sends page. */
export function failedView(numbers) {
  const list = h('div', { testid: 'failed-list' });
  const err = h('p.error', { role: 'alert' });
  const numberName = (id) => numbers.find((n) => n.id === id)?.name || id;
  async function load() {
    const rows = (await call('GET', '/failed-sends')).data;
    list.replaceChildren(...rows.map((f) => {
      const e = f.errors[0] || {};
      return h('div.card.failed-send', { testid: 'failed-send', 'data-code': e.code },
        h('div.row', {}, h('strong', {}, `${e.code} ${e.title || ''}`), h('span.grow'), h('small', {}, new Date(f.timestamp).toLocaleString())),
        h('div', {}, `${numberName(f.phone_number_id)} → +${f.recipient_id} · ${f.type}`),
        h('div.preview', {}, f.preview),
        e.error_data?.details ? h('div.reason', { testid: 'failed-reason' }, e.error_data.details) : null);
    }));
    if (!rows.length) list.replaceChildren(h('p.empty', {}, 'No failed sends.'));
  }
  load().catch((e) => { err.textContent = e.message; });
  return h('div.page', { testid: 'failed-page' }, h('h2', {}, 'Failed sends'), err, list);
}
