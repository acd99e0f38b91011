// "Request payment" in the composer: from the lines of a cart the customer sent, or from
// products picked with quantities, with shipping, the payment provider (among those the
// server offers) and the message text. Totals are added up here in integer minor units to show
// them, and the server refuses the request when its own total (catalog prices) differs.
import { call, h } from './api.js';
import { money, toMinor } from './money.js';

/** The panel for chat `chatId`; `providers()` gives the configured payment providers. */
export function paymentPanel(chatId, providers, onSent) {
  const panel = h('div.card.cb-panel', { testid: 'payment-panel', hidden: true });
  const err = h('p.error', { role: 'alert', testid: 'payment-error' });
  const lines = h('div');
  const totals = h('div');
  const shipping = h('input', { placeholder: '0.00', testid: 'payment-shipping', inputmode: 'decimal', 'aria-label': 'Shipping', oninput: () => { err.textContent = ''; draw(); } });
  const text = h('input', { placeholder: 'Message to the customer', testid: 'payment-body', 'aria-label': 'Message to the customer' });
  const provider = h('select', { testid: 'payment-provider', 'aria-label': 'Payment provider' });
  const title = h('strong.grow');
  let catalog = new Map();
  let qty = new Map();
  let cart = null;

  const picked = () => [...qty].filter(([id, n]) => n > 0 && catalog.has(id)).map(([id, n]) => ({ p: catalog.get(id), n }));
  const unit = (p) => p.sale_price ?? p.price;

  function draw() {
    const rows = picked();
    const cur = rows[0]?.p.currency || [...catalog.values()][0]?.currency || '';
    const mixed = rows.some((r) => r.p.currency !== cur);
    const sub = rows.reduce((n, r) => n + unit(r.p) * r.n, 0);
    const ship = shipping.value.trim() ? toMinor(shipping.value, cur) : 0;
    totals.replaceChildren(...[
      h('div.cb-line.cb-sum', {}, h('span.grow', {}, 'Subtotal'), h('span', { testid: 'payment-subtotal' }, money(sub, cur))),
      ship === null ? h('p.error', {}, `Shipping must be an amount in ${cur}.`) : null,
      mixed ? h('p.error', {}, 'Pick products of one currency.') : null,
      h('div.cb-line.cb-total', {}, h('span.grow', {}, 'Total'), h('strong', { testid: 'payment-total' }, money(sub + (ship || 0), cur)))].filter(Boolean));
    return { cur, sub, ship, ok: rows.length > 0 && ship !== null && !mixed };
  }

  function drawLines() {
    const ids = cart ? cart.order.product_items.map((i) => i.product_retailer_id) : [...catalog.keys()];
    lines.replaceChildren(...ids.map((id) => {
      const p = catalog.get(id);
      if (!p) return h('div.cb-line', {}, h('span.grow', {}, id), h('small.error', {}, 'not in the catalog'));
      const n = h('input', { type: 'number', min: 0, max: 9999, value: qty.get(id) || 0, testid: 'payment-qty', 'aria-label': `Quantity of ${p.name}`, disabled: !!cart,
        oninput: (e) => { qty.set(id, Math.max(0, Math.floor(Number(e.target.value) || 0))); draw(); } });
      return h('div.cb-line.cb-pick', { testid: 'payment-line', 'data-retailer-id': id }, p.image_url ? h('img', { src: p.image_url, alt: '' }) : h('span.cb-noimg', {}, '🛍'),
        h('span.grow', { dir: 'auto' }, p.name), n, h('small', {}, `× ${money(unit(p), p.currency)}`));
    }));
    draw();
  }

  async function open(fromCart) {
    err.textContent = '';
    cart = fromCart || null;
    title.textContent = cart ? 'Request payment for this cart' : 'Request payment';
    try {
      const c = await call('GET', '/catalog');
      catalog = new Map((c.data || []).map((p) => [p.retailer_id, p]));
    } catch (e) { err.textContent = e.message; }
    qty = new Map(cart ? cart.order.product_items.map((i) => [i.product_retailer_id, i.quantity]) : []);
    provider.replaceChildren(...providers().map((p) => h('option', { value: p.id }, p.name)));
    shipping.value = '';
    text.value = cart ? 'Thanks for your order! Here is your total.' : '';
    drawLines();
    panel.hidden = false;
  }

  const send = h('button.btn', {
    testid: 'payment-send',
    onclick: async () => {
      err.textContent = '';
      const t = draw();
      if (!t.ok) { err.textContent = 'Pick at least one product and check the amounts.'; return; }
      const body = { provider: provider.value || undefined, shipping: t.ship || 0, expected_total: t.sub + (t.ship || 0), body: text.value.trim() || undefined };
      if (cart) body.cart_message_id = cart.id;
      else body.items = picked().map((r) => ({ retailer_id: r.p.retailer_id, quantity: r.n }));
      try {
        await call('POST', `/chats/${chatId}/payment-request`, body);
        panel.hidden = true;
        onSent();
      } catch (e) { err.textContent = e.message; }
    },
  }, 'Send payment request');
  panel.append(h('div.row', {}, title, h('button.btn.ghost', { title: 'Close', onclick: () => { panel.hidden = true; } }, '×')),
    h('div.cb-pick-list', {}, lines),
    h('label.cb-param', {}, h('span', {}, 'Shipping'), shipping),
    h('label.cb-param', {}, h('span', {}, 'Pay through'), provider),
    h('label.cb-param', {}, h('span', {}, 'Message'), text),
    totals, err, h('div.row', {}, send));
  return { panel, open };
}
