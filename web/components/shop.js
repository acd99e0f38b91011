// Shopping in the chat: a business's shop (collections, search, product pages with images),
// "ask about this product", a cart per business with quantities, sending the cart as an
// order, commerce message parts (order summaries, order details with totals, order status)
// and paying an order through the server's payment provider.
import { h, frag } from '../util.js';
import { request } from '../api.js';
import { modal, toast } from './dialog.js';

const enc = encodeURIComponent;

/** A shopping-bag icon for the chat header. */
export function shopIcon(size = 24) {
  return frag(`<svg class="icon" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M7 7V6a5 5 0 0 1 10 0v1h3l-1 14H5L4 7h3zm2 0h6V6a3 3 0 0 0-6 0v1zm-2.9 2 .8 10h10.2l.8-10H6.1z"/></svg>`);
}
const shops = new Map();
const carts = new Map();

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
        .map((p) => h('button.shop-card', { type: 'button', testid: 'product-card', dataset: { id: p.retailer_id }, onclick: () => showProduct(p) },
          thumb(p), h('span.shop-name', p.name), priceView(p))));
      if (!grid.children.length) grid.append(h('p.muted', 'No products match.'));
    };
    const search = h('input.shop-search', { type: 'search', placeholder: 'Search products', value: query, testid: 'shop-search',
      oninput: (e) => { query = e.target.value; fill(); } });
    const chips = h('div.shop-chips', [null, ...shop.collections].map((c) => h('button.chip', {
      type: 'button', testid: 'collection-chip', class: collection === c ? 'chip active' : 'chip',
      onclick: () => { collection = c; showList(); },
    }, c || 'All')));
    fill();
    body.replaceChildren(search, shop.collections.length ? chips : null, grid);
  };

  const showProduct = (p) => {
    const images = [p.image_url, ...(p.additional_image_urls || [])].filter(Boolean);
    const orderable = ['in stock', 'preorder', 'available for order'].includes(p.availability) && (p.inventory == null || p.inventory > 0);
    body.replaceChildren(h('div.shop-product', { testid: 'product-page' },
      h('button.link-btn', { type: 'button', onclick: showList, testid: 'shop-back' }, '← All products'),
      h('div.shop-gallery', images.length ? images.map((src) => h('img.shop-hero', { src, alt: p.name })) : thumb(p, 'shop-hero')),
      h('h3', { testid: 'product-name' }, p.name), priceView(p),
      h('p.muted', p.availability), p.description ? h('p', p.description) : null,
      h('div.shop-buttons',
        h('button.btn.primary', { type: 'button', testid: 'add-to-cart', disabled: !orderable || !shop.is_cart_enabled, onclick: () => {
          cart.set(p.retailer_id, (cart.get(p.retailer_id) || 0) + 1);
          refreshCart();
          toast(`${p.name} added to cart`);
        } }, 'Add to cart'),
        h('button.btn', { type: 'button', testid: 'ask-about-product', onclick: async () => {
          dlg.close();
          await opts.send(opts.chatId, { type: 'text', text: { body: `Hi, I have a question about ${p.name}.` } },
            { context: { referred_product: { catalog_id: shop.catalog_id, product_retailer_id: p.retailer_id } } });
        } }, 'Ask about this product'))));
  };

  const showCart = () => {
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
    o.text ? h('div.text', o.text) : null, h('span.meta-spacer'));
}

/** Items and totals of an order_details message. */
export function orderDetailsPart(i) {
  const p = (i.action && i.action.parameters) || {};
  const o = p.order || {};
  const amt = (a) => (a ? money(a.value, p.currency) : null);
  const row = (label, a, testid) => (a ? h('div.od-row', { testid }, h('span', label), h('span', amt(a))) : null);
  return h('div.od', { testid: 'order-details' },
    (o.items || []).map((it) => h('div.od-row', h('span', `${it.quantity} × ${it.name}`), h('span', amt(it.sale_amount || it.amount)))),
    row('Subtotal', o.subtotal), row('Tax', o.tax), row('Shipping', o.shipping), row('Discount', o.discount),
    h('div.od-row.od-total', { testid: 'order-total' }, h('span', 'Total'), h('span', amt(p.total_amount))));
}

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
      return h('div.bp-row', { testid: 'bubble-product', dataset: { id } }, thumb(p, 'bp-img'),
        h('span.bp-text', h('span.shop-name', p.name), priceView(p)),
        shop.is_cart_enabled ? h('button.icon-btn.bp-add', {
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
