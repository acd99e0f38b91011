// The orders page of the console: customer carts to act on (request payment from the cart,
// open the chat), then the WABA's orders, newest first, with totals, the payment (a paid order
// shows "Paid", the transaction id and the operator's fee), refunds, and buttons that send
// `order_status` updates to the customer through the chat (canceling a paid order refunds it).
import { call, h } from './api.js';
import { money } from './money.js';
import { state } from './state.js';

const PAY_LABEL = { unpaid: 'Awaiting payment', pending: 'Payment pending', failed: 'Payment declined' };
const STATUSES = ['processing', 'shipped', 'completed', 'canceled'];

/** The orders page. */
export function ordersView() {
  const list = h('div', { testid: 'orders-list' });
  const carts = h('div', { testid: 'carts-list' });
  const err = h('p.error', { role: 'alert', testid: 'orders-error' });
  async function update(o, status) {
    err.textContent = '';
    try {
      await call('POST', `/chats/${o.chat_id}/messages`, { type: 'interactive', interactive: { type: 'order_status', body: { text: `Your order ${o.reference_id} is ${status}.` },
        action: { name: 'review_order', parameters: { reference_id: o.reference_id, order: { status } } } } });
    } catch (e) { err.textContent = e.message; }
    load();
  }
  async function requestPayment(c) {
    err.textContent = '';
    try {
      await call('POST', `/chats/${c.chat_id}/payment-request`, { cart_message_id: c.message_id, expected_total: c.total, body: 'Thanks for your order! Here is your total.' });
    } catch (e) { err.textContent = e.message; }
    load();
  }
  function openChat(c) { state.chat = c.chat_id; location.hash = '#/inbox'; }
  async function loadCarts() {
    // Carts not paid yet are orders to act on; paid ones are listed with the orders below.
    const rows = (await call('GET', '/carts')).data.filter((c) => !['paid', 'refunded'].includes(c.payment_status));
    carts.replaceChildren(...rows.map((c) => h('div.card.order.cart', { testid: 'cart', 'data-message-id': c.message_id, 'data-reference': c.reference_id, 'data-payment': c.payment_status || '' },
      h('div.row', {}, h('strong', { dir: 'auto' }, c.name), h('span', {}, `+${c.wa_id}`), h('span.grow'), h('small', {}, new Date(c.created_at).toLocaleString())),
      h('div.cart-lines', {}, c.items.map((i) => h('div.cart-line', { testid: 'cart-line' }, i.image_url ? h('img', { src: i.image_url, alt: '' }) : h('span.cart-noimg', {}, '🛍'),
        h('span.grow', { dir: 'auto' }, i.name), h('span', {}, `${i.quantity} × ${money(i.unit_price, c.currency)}`), h('strong', {}, money(i.line_total, c.currency))))),
      c.text ? h('p.cart-note', { dir: 'auto', testid: 'cart-note' }, `“${c.text}”`) : null,
      h('div.row', {}, h('strong', { testid: 'cart-total' }, `Total ${c.total_text}`), h('span.grow'),
        c.payment_status ? h('span', { testid: 'cart-status' }, PAY_LABEL[c.payment_status] || c.payment_status) : null,
        !c.payment_status || c.payment_status === 'failed' ? h('button.btn', { testid: 'cart-request-payment', onclick: () => requestPayment(c) }, 'Request payment') : null,
        h('button.btn.ghost', { testid: 'cart-open-chat', onclick: () => openChat(c) }, 'Open chat')))));
    if (!rows.length) carts.replaceChildren(h('p.empty', {}, 'No carts waiting.'));
  }
  async function load() {
    loadCarts().catch((e) => { err.textContent = e.message; });
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
        !final && o.chat_id ? h('div.row', {}, STATUSES.filter((s) => s !== o.status).map((s) => h('button.btn.ghost', { testid: `order-${s}`, onclick: () => { if (s !== 'canceled' || confirm(paid ? 'Cancel and refund this order?' : 'Cancel this order?')) update(o, s); } }, s))) : '');
    }));
    if (!rows.length) list.replaceChildren(h('p.empty', {}, 'No orders yet.'));
  }
  load().catch((e) => { err.textContent = e.message; });
  return h('div.page.orders', { testid: 'orders-page', style: 'padding:16px;overflow:auto' }, h('h2', {}, 'Carts to act on'), carts, h('h2', {}, 'Orders'), err, list);
}
