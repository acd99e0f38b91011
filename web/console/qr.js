// QR codes and click-to-chat links of the business's numbers: create with a prefilled message,
// scan and open counts, PNG and SVG downloads, print. Long links wrap inside their card.
import { api, h } from './api.js';
import { state } from './state.js';

/** The QR codes page. */
export function qrView() {
  const number = state.numbers[0];
  const grid = h('div.qrs', { testid: 'qr-grid' });
  const text = h('input', { id: 'qr-text', placeholder: 'Hi! I would like to…', maxlength: 140, testid: 'qr-text', dir: 'auto', style: 'width:min(320px, 100%)' });
  const pick = h('select', { id: 'qr-number', testid: 'qr-number' }, state.numbers.map((n) => h('option', { value: n.id }, `${n.name} (+${n.wa_id})`)));
  const load = async () => {
    const id = pick.value || number?.id;
    if (!id) return;
    const rows = (await api.qrs(id)).data;
    grid.replaceChildren(...rows.map((q) => h('div.card.qr', { testid: 'qr-card', 'data-code': q.code },
      h('img', { src: q.qr_image_url, alt: `QR code ${q.code}` }),
      h('div', {}, h('strong', { dir: 'auto' }, q.prefilled_message)),
      h('div', {}, h('a.qr-link', { href: q.deep_link_url, target: '_blank', rel: 'noopener', testid: 'qr-link' }, q.deep_link_url)),
      h('div.stats', { testid: 'qr-stats' }, `${q.scans} scans · ${q.opens} chats opened`),
      h('div.row.no-print', {}, h('a.btn.ghost', { href: q.qr_image_url, download: `${q.code}.png` }, 'PNG'), h('a.btn.ghost', { href: q.svg_url, download: `${q.code}.svg` }, 'SVG'),
        state.me.role === 'admin' ? h('button.btn.ghost', { onclick: async () => { await api.deleteQr(id, q.code); load(); } }, 'Delete') : null))));
  };
  pick.onchange = load;
  load();
  return h('div.page', {},
    h('div.row.no-print', { style: 'align-items:flex-end' },
      h('label.field', { for: 'qr-number' }, h('span', {}, 'Number'), pick),
      h('label.field', { for: 'qr-text', style: 'flex:0 1 320px' }, h('span', {}, 'Prefilled message'), text),
      h('button.btn', { testid: 'qr-create', onclick: async () => { try { await api.createQr(pick.value, text.value); text.value = ''; load(); } catch (e) { alert(e.message); } } }, 'Create QR code'),
      h('button.btn.ghost', { onclick: () => window.print() }, 'Print')),
    grid);
}

