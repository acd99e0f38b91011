// Shopping in the chat: a business's shop (collections, search, product pages with images,
// what is out of stock marked and kept out of the cart), "ask about this product" (the product
// card attached to the composer), a cart per business with quantities, sending the cart as an
// order, commerce message parts (order summaries, the product a question is about, order
// details with quantity × unit price and line totals, the payment's state kept live) and
// paying an order through the server's payment provider. Money stays in integer minor units.
import { h, frag } from '../util.js';
import { request } from '../api.js';
import { store } from '../store.js';
import { modal, toast } from './dialog.js';

const enc = encodeURIComponent;

/** A shopping-bag icon for the chat header. */
export function shopIcon(size = 24) {
  return frag(`<svg class="icon" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M7 7V6a5 5 0 0 1 10 0v1h3l-1 14H5L4 7h3zm2 0h6V6a3 3 0 0 0-6 0v1zm-2.9 2 .8 10h10.2l.8-10H6.1z"/></svg>`);
}
const shops = new Map();
const carts = new Map();
let askHandler = null;

/** Where "ask about this product" attaches the product: the open chat's composer. */
export function setAskHandler(fn) { askHandler = fn; }

/** The shop of a business number (cached), or null when it shows none. */
export function loadShop(waId, fresh = false) {
  // A failure is not remembered: the next look asks again.
  if (fresh || !shops.has(waId)) shops.set(waId, request('GET', `/shops/${enc(waId)}`).catch(() => { shops.delete(waId); return null; }));
  return shops.get(waId);
}

function cartOf(waId) {
  if (!carts.has(waId)) carts.set(waId, new Map());
  return carts.get(waId);
}

/** Minor units as people read them, with the currency's own decimals. */
export function money(minor, currency) {
  const exp = { JPY: 0, KRW: 0, CLP: 0, ISK: 0, UGX: 0, VND: 0, XAF: 0, XOF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3 }[currency] ?? 2;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (!exp) return `${sign}${abs} ${currency}`;
  const div = 10 ** exp;
  return `${sign}${Math.floor(abs / div)}.${String(abs % div).padStart(exp, '0')} ${currency}`;
}

/** Whether a product can be ordered (the server's rule: in stock, preorder or available for
 * order, and not tracked at zero units). */
export function orderable(p) {
  return ['in stock', 'preorder', 'available for order'].includes(p.availability) && (p.inventory == null || p.inventory > 0);
}

/** The mark of a product that cannot be ordered, or null. */
function stockMark(p) {
  if (orderable(p)) return null;
  return h('span.stock-mark', { testid: 'out-of-stock' }, p.availability === 'discontinued' ? 'Discontinued' : 'Out of stock');
}

function thumb(p, cls = 'shop-img') {
  return p.image_url ? h(`img.${cls}`, { src: p.image_url, alt: '', loading: 'lazy' }) : h(`div.${cls}.shop-noimg`, '🛍️');
}

function priceView(p) {
  return h('span.shop-price', { testid: 'product-price' }, p.price_text,
    p.sale_price != null ? h('s.shop-was', money(p.price, p.currency)) : null);
}

/**
 * Open a business's shop over the chat. opts: {waId, chatId, send(chatId, content, opts),
 * retailerId (open one product), view ('cart')}.
 */
export async function openShop(opts) {
  const shop = await loadShop(opts.waId, true);
  if (!shop) { toast('This business has no shop', 'error'); return; }
  const cart = cartOf(opts.waId);
  const body = h('div.shop', { testid: 'shop' });
  const cartBtn = h('button.btn.shop-cart-btn', { type: 'button', testid: 'cart-button', onclick: () => showCart() });
  const dlg = modal({ title: shop.name, body, wide: true, testid: 'shop-dialog', actions: [cartBtn] });
  let query = '';
  let collection = null;

  const refreshCart = () => {
    const n = [...cart.values()].reduce((a, b) => a + b, 0);
    cartBtn.textContent = n ? `Cart (${n})` : 'Cart';
  };
  const byId = (id) => shop.products.find((p) => p.retailer_id === id);

  const showList = () => {
    const grid = h('div.shop-grid', { testid: 'product-grid' });
    const fill = () => {
      const q = query.trim().toLowerCase();
      grid.replaceChildren(...shop.products
        .filter((p) => !collection || (p.collections || []).includes(collection))
        .filter((p) => !q || `${p.name} ${p.description}`.toLowerCase().includes(q))
        .map((p) => h('button.shop-card', {
          type: 'button', testid: 'product-card', class: orderable(p) ? 'shop-card' : 'shop-card out',
          dataset: { id: p.retailer_id, orderable: String(orderable(p)) }, onclick: () => showProduct(p),
        }, thumb(p), h('span.shop-name', { dir: 'auto' }, p.name), priceView(p), stockMark(p))));
      if (!grid.children.length) grid.append(h('p.muted', 'No products match.'));
    };
    const search = h('input.shop-search', { type: 'search', placeholder: 'Search products', value: query, testid: 'shop-search',
      oninput: (e) => { query = e.target.value; fill(); } });
    const chips = h('div.shop-chips', [null, ...shop.collections].map((c) => h('button.chip', {
      type: 'button', testid: 'collection-chip', class: collection === c ? 'chip active' : 'chip',
      onclick: () => { collection = c; showList(); },
    }, c || 'All')));
    fill();
    body.replaceChildren(...[search, shop.collections.length ? chips : null, grid].filter(Boolean));
  };

  const showProduct = (p) => {
    const images = [p.image_url, ...(p.additional_image_urls || [])].filter(Boolean);
    const canOrder = orderable(p);
    body.replaceChildren(h('div.shop-product', { testid: 'product-page', dataset: { orderable: String(canOrder) } },
      h('button.link-btn', { type: 'button', onclick: showList, testid: 'shop-back' }, '← All products'),
      h('div.shop-gallery', images.length ? images.map((src) => h('img.shop-hero', { src, alt: p.name })) : thumb(p, 'shop-hero')),
      h('h3', { testid: 'product-name', dir: 'auto' }, p.name), priceView(p),
      stockMark(p) || h('p.muted', p.availability), p.description ? h('p', { dir: 'auto' }, p.description) : null,
      h('div.shop-buttons',
        h('button.btn.primary', { type: 'button', testid: 'add-to-cart', disabled: !canOrder || !shop.is_cart_enabled, onclick: () => {
          if (!orderable(p)) return;
          cart.set(p.retailer_id, (cart.get(p.retailer_id) || 0) + 1);
          refreshCart();
          toast(`${p.name} added to cart`);
        } }, canOrder ? 'Add to cart' : 'Out of stock'),
        // The person writes the question themselves: the composer gets the product attached.
        h('button.btn', { type: 'button', testid: 'ask-about-product', onclick: () => {
          dlg.close();
          if (askHandler) askHandler({ catalog_id: shop.catalog_id, product_retailer_id: p.retailer_id, business: opts.waId });
        } }, 'Ask about this product'))));
  };

  const showCart = () => {
    // What went out of stock since it was added leaves the cart.
    for (const id of [...cart.keys()]) if (!byId(id) || !orderable(byId(id))) cart.delete(id);
    refreshCart();
    const lines = [...cart.entries()].map(([id, qty]) => ({ p: byId(id), qty })).filter((l) => l.p);
    if (!lines.length) {
      body.replaceChildren(h('p.muted', { testid: 'cart-empty' }, 'Your cart is empty.'), h('button.link-btn', { type: 'button', onclick: showList }, '← All products'));
      return;
    }
    const currency = lines[0].p.currency;
    const total = lines.reduce((s, l) => s + (l.p.sale_price ?? l.p.price) * l.qty, 0);
    const change = (id, d) => {
      const q = (cart.get(id) || 0) + d;
      if (q <= 0) cart.delete(id); else cart.set(id, q);
      refreshCart();
      showCart();
    };
    const note = h('input.shop-note', { placeholder: 'Add a note (optional)', testid: 'order-note' });
    body.replaceChildren(h('div.shop-cart', { testid: 'cart' },
      lines.map(({ p, qty }) => h('div.cart-line', { testid: 'cart-line', dataset: { id: p.retailer_id } },
        thumb(p, 'cart-img'), h('span.cart-name', p.name),
        h('span.cart-qty', h('button.icon-btn', { type: 'button', testid: 'qty-minus', 'aria-label': 'One less', onclick: () => change(p.retailer_id, -1) }, '−'),
          h('span', { testid: 'qty' }, String(qty)),
          h('button.icon-btn', { type: 'button', testid: 'qty-plus', 'aria-label': 'One more', onclick: () => change(p.retailer_id, 1) }, '+')),
        h('span.cart-sum', money((p.sale_price ?? p.price) * qty, p.currency)))),
      h('div.cart-total', { testid: 'cart-total' }, `Total: ${money(total, currency)}`), note,
      h('div.shop-buttons', h('button.link-btn', { type: 'button', onclick: showList }, '← Keep shopping'),
        h('button.btn.primary', { type: 'button', testid: 'send-order', disabled: !shop.is_cart_enabled, onclick: async () => {
          const order = { product_items: lines.map((l) => ({ product_retailer_id: l.p.retailer_id, quantity: l.qty })) };
          if (note.value.trim()) order.text = note.value.trim();
          dlg.close();
          await opts.send(opts.chatId, { type: 'order', order });
          cart.clear();
        } }, 'Send order'))));
  };

  refreshCart();
  const first = opts.retailerId && byId(opts.retailerId);
  if (opts.view === 'cart') showCart(); else if (first) showProduct(first); else showList();
}

/** The bubble content of an order; `businessWaId` names the products from its shop. */
export function orderContent(m, businessWaId) {
  const o = m.order || {};
  const items = o.product_items || [];
  const currency = items[0] && items[0].currency;
  const total = items.reduce((s, i) => s + (i.item_price_minor || 0) * i.quantity, 0);
  const names = items.map((i) => h('span.order-name', i.product_retailer_id));
  if (businessWaId) {
    loadShop(businessWaId).then((shop) => {
      if (!shop) return;
      items.forEach((i, n) => {
        const p = shop.products.find((x) => x.retailer_id === i.product_retailer_id);
        if (p) names[n].textContent = p.name;
      });
    });
  }
  return h('div.ia-card.order-card', { testid: 'order-message' },
    h('div.ia-header', `🛒 Order · ${items.reduce((s, i) => s + i.quantity, 0)} items`),
    h('div.order-lines', items.map((i, n) => h('div.order-line', `${i.quantity} × `, names[n],
      i.item_price_minor ? h('span.muted', ` · ${money(i.item_price_minor, i.currency)}`) : null))),
    currency ? h('div.order-total', `Total ${money(total, currency)}`) : null,
    o.text ? h('div.text', { dir: 'auto' }, o.text) : null, h('span.meta-spacer'));
}

/**
 * The product a message asks about (`context.referred_product`), as a small card filled in
 * from the shop of `businessWaId`; used in bubbles and in the composer.
 */
export function referredProductCard(ref, businessWaId) {
  const name = h('span.rp-name', { dir: 'auto' }, ref.product_retailer_id);
  const price = h('span.rp-price');
  const img = h('span.rp-img', '🛍️');
  const el = h('div.referred-product', { testid: 'referred-product', dataset: { id: ref.product_retailer_id } },
    img, h('span.rp-text', name, price));
  if (businessWaId) {
    loadShop(businessWaId).then((shop) => {
      const p = shop && shop.products.find((x) => x.retailer_id === ref.product_retailer_id);
      if (!p) return;
      name.textContent = p.name;
      price.textContent = p.price_text;
      img.replaceWith(thumb(p, 'rp-img'));
    });
  }
  return el;
}

/** Items and totals of an order_details message. */
export function orderDetailsPart(i) {
  const p = (i.action && i.action.parameters) || {};
  const o = p.order || {};
  const amt = (a) => (a ? money(a.value, p.currency) : null);
  const row = (label, a, testid) => (a ? h('div.od-row', { testid }, h('span', label), h('span', amt(a))) : null);
  // Each line: its name, quantity × unit price, and the line total; the lines add up to the
  // subtotal (amounts are minor units: the server requires offset = 10^exponent).
  const lines = (o.items || []).map((it) => {
    const unit = (it.sale_amount || it.amount || {}).value || 0;
    const qty = it.quantity || 0;
    return h('div.od-line', { testid: 'od-line', dataset: { qty: String(qty), unit: String(unit), total: String(unit * qty) } },
      h('span.od-name', { dir: 'auto' }, it.name || it.retailer_id || ''),
      h('span.od-sum', { testid: 'od-line-total' }, money(unit * qty, p.currency)),
      h('span.od-calc', { testid: 'od-calc' }, `${qty} × ${money(unit, p.currency)}`,
        it.sale_amount && it.amount ? h('s.shop-was', money(it.amount.value, p.currency)) : null));
  });
  return h('div.od', { testid: 'order-details' },
    lines,
    row('Subtotal', o.subtotal, 'order-subtotal'), row('Tax', o.tax), row('Shipping', o.shipping), row('Discount', o.discount),
    h('div.od-row.od-total', { testid: 'order-total' }, h('span', 'Total'), h('span', amt(p.total_amount))));
}

// ---- the payment's state under an order_details bubble, kept live ----------------------------

const PAY_WORDS = { paid: 'Paid', failed: 'Declined', pending: 'Pending', refunded: 'Refunded' };
const payKnown = new Map();
const payBadges = new Set();

function showPayState(el, status) {
  el.dataset.status = status || 'unpaid';
  el.textContent = PAY_WORDS[status] || '';
  el.hidden = !PAY_WORDS[status];
}

async function fetchPayState(m) {
  try {
    const v = await request('GET', `/chats/${enc(m.chat_id)}/messages/${enc(m.id)}/order`);
    payKnown.set(m.id, v.payment_status);
    for (const el of payBadges) if (el._m.id === m.id) showPayState(el, v.payment_status);
  } catch { /* no order of this person behind it: nothing to show */ }
}

/**
 * "Paid", "Declined", "Pending" or "Refunded" for an order_details message the person received;
 * asked of the server when shown and again whenever something arrives in the chat (a payment's
 * result arrives as a confirmation there).
 */
export function paymentState(m) {
  const el = h('div.pay-state', { testid: 'payment-state', role: 'status', hidden: true });
  if (!m.id || m.pending || store.isMine(m)) return el;
  el._m = m;
  showPayState(el, payKnown.get(m.id));
  payBadges.add(el);
  if (!['paid', 'refunded'].includes(payKnown.get(m.id))) fetchPayState(m);
  return el;
}

/** Ask again for the payments shown in a chat that are not settled for good. */
export function refreshPayments(chatId) {
  const asked = new Set();
  for (const el of [...payBadges]) {
    if (!el.isConnected) { payBadges.delete(el); continue; }
    const m = el._m;
    if (m.chat_id !== chatId || asked.has(m.id) || payKnown.get(m.id) === 'refunded') continue;
    asked.add(m.id);
    fetchPayState(m);
  }
}

store.on('messages', (chatId, why) => { if (why === 'incoming') refreshPayments(chatId); });

/** Review an order_details message and pay it. */
export async function payDialog(m) {
  const base = `/chats/${enc(m.chat_id)}/messages/${enc(m.id)}`;
  let view;
  try { view = await request('GET', `${base}/order`); } catch (e) { toast(e.message, 'error'); return; }
  const status = h('p.pay-status', { testid: 'pay-status' });
  const card = h('input.pay-card', { placeholder: 'Card number', inputmode: 'numeric', autocomplete: 'cc-number', testid: 'card-number' });
  const payBtn = h('button.btn.primary', { type: 'button', testid: 'pay-button' }, `Pay ${view.total_text}`);
  const show = (p) => {
    const words = { success: '✅ Paid', failed: `❌ Payment failed${p.error ? `: ${p.error.replace(/_/g, ' ')}` : ''}`, pending: '⏳ Payment pending', refunded: '↩️ Refunded' };
    status.textContent = words[p.status] || p.status;
    status.dataset.status = p.status;
    payBtn.disabled = p.status === 'success' || p.status === 'pending';
  };
  const dlg = modal({
    title: `Order ${view.reference_id}`, testid: 'pay-dialog',
    body: h('div.pay', orderDetailsPart(m.interactive), h('p.muted.small', 'Sandbox cards: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.'), card, status),
    actions: [payBtn],
  });
  if (view.payment) show(view.payment);
  if (view.payment_status === 'paid') payBtn.disabled = true;
  payBtn.onclick = async () => {
    payBtn.disabled = true;
    try {
      const p = await request('POST', `${base}/pay`, { card_number: card.value });
      if (p.redirect_url) { window.location.href = p.redirect_url; return; }
      show(p);
      refreshPayments(m.chat_id);
    } catch (e) {
      status.textContent = e.message;
      payBtn.disabled = false;
    }
  };
  return dlg;
}

/**
 * Products inside a business's product, product_list or catalog_message bubble, with images,
 * prices and an add-to-cart button, filled in from the business's shop (m.from).
 */
export function productPart(m) {
  const i = m.interactive || {};
  const a = i.action || {};
  const box = h('div.ia-products', { testid: 'bubble-products' });
  loadShop(m.from).then((shop) => {
    if (!shop) return;
    const cart = cartOf(m.from);
    const row = (id) => {
      const p = shop.products.find((x) => x.retailer_id === id);
      if (!p) return h('div.bp-row.muted', 'No longer available');
      return h('div.bp-row', { testid: 'bubble-product', dataset: { id, orderable: String(orderable(p)) } }, thumb(p, 'bp-img'),
        h('span.bp-text', h('span.shop-name', { dir: 'auto' }, p.name), priceView(p), stockMark(p)),
        shop.is_cart_enabled && orderable(p) ? h('button.icon-btn.bp-add', {
          type: 'button', title: `Add ${p.name} to cart`, 'aria-label': `Add ${p.name} to cart`, testid: 'bubble-add',
          onclick: (e) => { e.stopPropagation(); cart.set(id, (cart.get(id) || 0) + 1); toast(`${p.name} added to cart`); },
        }, '+') : null);
    };
    if (i.type === 'product') box.append(row(a.product_retailer_id));
    else if (i.type === 'product_list') {
      for (const s of a.sections || []) {
        box.append(h('div.bp-section', s.title || ''));
        for (const it of s.product_items || []) box.append(row(it.product_retailer_id));
      }
    } else if (i.type === 'catalog_message') {
      const id = a.parameters && a.parameters.thumbnail_product_retailer_id;
      const p = id && shop.products.find((x) => x.retailer_id === id);
      box.append(h('div.bp-catalog', p ? thumb(p, 'bp-hero') : null, h('span.muted', `${shop.products.length} products`)));
    }
  });
  return box;
}
