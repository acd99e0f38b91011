// The orders page of the console: the WABA's orders, newest first, with totals, the payment
// (a paid order shows "Paid", the transaction id and the operator's fee), refunds, and buttons
// that send `order_status` updates to the customer through the chat (canceling a paid order
// refunds it).
import { call, h } from './api.js';

const money = (minor, currency) => {
  const exp = ['JPY', 'KRW', 'CLP', 'ISK', 'UGX', 'VND', 'XAF', 'XOF'].includes(currency) ? 0 : ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].includes(currency) ? 3 : 2;
  const s = String(Math.abs(minor)).padStart(exp + 1, '0');
  return `${minor < 0 ? '-' : ''}${exp ? `${s.slice(0, -exp)}.${s.slice(-exp)}` : s} ${currency}`;
};
const STATUSES = ['processing', 'shipped', 'completed', 'canceled'];

/** The orders page. */
export function ordersView() {
  const list = h('div', { testid: 'orders-list' });
  const err = h('p.error', { role: 'alert', testid: 'orders-error' });
  async function update(o, status) {
    err.textContent = '';
    try {
      await call('POST', `/chats/${o.chat_id}/messages`, { type: 'interactive', interactive: { type: 'order_status', body: { text: `Your order ${o.reference_id} is ${status}.` },
        action: { name: 'review_order', parameters: { reference_id: o.reference_id, order: { status } } } } });
    } catch (e) { err.textContent = e.message; }
    load();
  }
  async function load() {
    const rows = (await call('GET', '/orders')).data;
    list.replaceChildren(...rows.map((o) => {
      const p = o.payment;
      const paid = o.payment_status === 'paid' || o.payment_status === 'refunded';
      const final = o.status === 'completed' || o.status === 'canceled';
      return h('div.card.order', { testid: 'order', 'data-reference': o.reference_id, 'data-status': o.status, 'data-payment': o.payment_status },
        h('strong', {}, o.reference_id), ` · ${o.name} (+${o.wa_id}) · `, h('span', { testid: 'order-total' }, o.total_text),
        h('div', { testid: 'order-payment' }, paid && p
          ? `${o.payment_status === 'refunded' ? 'Refunded' : 'Paid'} · transaction ${p.transaction_id}${o.fee !== null && o.fee !== undefined ? ` · fee ${money(o.fee, o.currency)}` : ''}${o.refunded ? ` · refunded ${money(o.refunded, o.currency)}` : ''}`
          : `Payment: ${o.payment_status}${p?.error ? ` (${p.error})` : ''}`),
        h('div', { testid: 'order-status' }, `Status: ${o.status}`),
        !final && o.chat_id ? h('div.row', {}, STATUSES.map((s) => h('button.btn.ghost', { testid: `order-${s}`, onclick: () => { if (s !== 'canceled' || confirm(paid ? 'Cancel and refund this order?' : 'Cancel this order?')) update(o, s); } }, s))) : '');
    }));
    if (!rows.length) list.replaceChildren(h('p.empty', {}, 'No orders yet.'));
  }
  load().catch((e) => { err.textContent = e.message; });
  return h('div.page.orders', { testid: 'orders-page', style: 'padding:16px;overflow:auto' }, h('h2', {}, 'Orders'), err, list);
}
