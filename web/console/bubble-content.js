// What a console bubble holds, type by type, drawn as the customer sees it: text, media with
// preview and download (image, video, audio, document, sticker), location, contacts, business
// interactive messages (buttons, lists, links, product and product-list cards), templates with
// their parameters filled, the customer's replies, carts, payment requests with their live
// status and order-status updates. Media comes through /console/v1/media/{id}.
import { call, h, session } from './api.js';
import { money } from './money.js';

// Object URLs of media already fetched (with the console session's bearer token).
const mediaUrls = new Map();

/** Fetch media `id` once and hand its object URL to `use` (then `done`, e.g. to re-scroll). */
export function loadMedia(id, use, done = () => {}) {
  const have = mediaUrls.get(id);
  if (have) { use(have); done(); return; }
  fetch(`/console/v1/media/${id}`, { headers: { Authorization: `Bearer ${session.token}` } })
    .then((r) => (r.ok ? r.blob() : null))
    .then((b) => { if (b) { const u = URL.createObjectURL(b); mediaUrls.set(id, u); use(u); done(); } })
    .catch(() => {});
}

/** The text part of a bubble: `dir="auto"` so Arabic and Latin lay out by their first words. */
export const textBlock = (text, extra = {}) => h('div.cb-text', { dir: 'auto' }, h('span', { testid: 'console-message-text', ...extra }, text));

const kb = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

function mediaBlock(kind, media, ctx) {
  if (!media.id) return h('div.cb-file', {}, `[${kind}]`);
  const download = h('a.cb-download', { testid: 'console-download', download: media.filename || `${kind}`, title: 'Download' }, '⬇ Download');
  loadMedia(media.id, (u) => { download.href = u; });
  if (kind === 'image' || kind === 'sticker') {
    const img = h(`img.cb-img${kind === 'sticker' ? '.cb-sticker' : ''}`, { alt: media.caption || kind, testid: 'console-image' });
    loadMedia(media.id, (u) => { img.src = u; }, () => img.addEventListener('load', ctx.onMedia, { once: true }));
    const open = h('a.cb-media-link', { target: '_blank', rel: 'noopener', title: 'Open full size' }, img);
    loadMedia(media.id, (u) => { open.href = u; });
    return h('div.cb-media', {}, open, kind === 'image' ? download : null);
  }
  if (kind === 'video' || kind === 'audio') {
    const el = h(kind, { controls: true, preload: 'metadata', testid: `console-${kind}` });
    loadMedia(media.id, (u) => { el.src = u; }, () => el.addEventListener('loadedmetadata', ctx.onMedia, { once: true }));
    return h(`div.cb-media.cb-${kind}`, {}, el, download);
  }
  return h('div.cb-file', { testid: 'console-document' },
    h('span.cb-file-icon', {}, '📄'),
    h('div.grow', {}, h('strong', {}, media.filename || 'Document'), h('small', {}, [media.mime_type, media.file_size ? kb(media.file_size) : ''].filter(Boolean).join(' · '))),
    download);
}

/** A product card from the catalog cache (name, image, price), or its retailer id. */
export function productCard(retailerId, ctx, testid = 'cb-product') {
  const p = ctx.products.get(retailerId);
  return h('div.cb-product', { testid, 'data-retailer-id': retailerId },
    p?.image_url ? h('img', { src: p.image_url, alt: '' }) : h('span.cb-noimg', {}, '🛍'),
    h('div', {}, h('strong', {}, p?.name || retailerId), h('small', {}, p ? p.price_text : 'No longer in the catalog')));
}

const pseudoButtons = (labels) => (labels.length ? h('div.cb-buttons', {}, labels.map((t) => h('span', { testid: 'cb-button' }, t))) : null);

function header(hd, ctx) {
  if (!hd) return null;
  if (hd.type === 'text') return h('div.cb-header', {}, hd.text);
  const media = hd[hd.type];
  return media ? mediaBlock(hd.type, media, ctx) : null;
}

const PAY_LABEL = { paid: 'Paid', failed: 'Declined', pending: 'Pending', refunded: 'Refunded', unpaid: 'Awaiting payment' };
const FINAL = ['completed', 'canceled'];
const FLOW = ['pending', 'processing', 'shipped', 'completed'];
/** The updates an order can take next: later steps, or cancelling. */
const next = (status) => [...FLOW.filter((s) => FLOW.indexOf(s) > FLOW.indexOf(status)), 'canceled'];

/** An `order_details` payment request: lines, amounts and the order's live status. */
function paymentRequest(i, ctx) {
  const p = i.action?.parameters || {};
  const cur = p.currency || '';
  const amt = (a) => (a ? money(a.value, cur) : null);
  const order = ctx.orders.get(p.reference_id);
  const pay = order?.payment_status || 'unpaid';
  const items = p.order?.items || [];
  const line = (it) => {
    const unit = (it.sale_amount || it.amount)?.value || 0;
    return h('div.cb-line', { testid: 'cb-line' }, h('span.grow', { dir: 'auto' }, it.name),
      h('span.cb-qty', {}, `${it.quantity} × ${money(unit, cur)}`), h('strong', {}, money(unit * it.quantity, cur)));
  };
  const sums = [['Subtotal', p.order?.subtotal], ['Tax', p.order?.tax], ['Shipping', p.order?.shipping], ['Discount', p.order?.discount]]
    .filter(([, a]) => a && a.value).map(([t, a]) => h('div.cb-line.cb-sum', {}, h('span.grow', {}, t), h('span', {}, t === 'Discount' ? `-${amt(a)}` : amt(a))));
  const status = order?.status || 'pending';
  return h('div.cb-card.cb-pay', { testid: 'cb-payment-request', 'data-reference': p.reference_id || '', 'data-payment': pay, 'data-order-status': status },
    header(i.header, ctx),
    h('div.cb-card-title', {}, '💳 Payment request', h('small', {}, ` · ${p.reference_id || ''}`)),
    items.map(line), sums,
    h('div.cb-line.cb-total', {}, h('span.grow', {}, 'Total'), h('strong', { testid: 'cb-total' }, amt(p.total_amount) || '')),
    h('div.row', {}, h(`span.cb-status.cb-pay-${pay}`, { testid: 'cb-payment-status' }, PAY_LABEL[pay] || pay),
      status !== 'pending' ? h('span.cb-status', { testid: 'cb-order-status' }, status[0].toUpperCase() + status.slice(1)) : null),
    ctx.out && order && !FINAL.includes(status)
      ? h('div.cb-actions', {}, next(status).map((s) => h('button.btn.ghost', {
        testid: `cb-order-${s}`,
        onclick: () => ctx.orderStatus(p.reference_id, s, pay === 'paid'),
      }, s === 'canceled' ? 'Cancel' : `Mark ${s}`)))
      : null);
}

/** A cart the customer sent: products with images, quantities, prices, total and note. */
function cart(m, ctx) {
  const o = m.order || {};
  const items = o.product_items || [];
  const cur = items[0]?.currency || '';
  const total = items.reduce((n, it) => n + (it.item_price_minor || 0) * it.quantity, 0);
  const requested = ctx.orders.get(`cart-${rowId(m.id)}`);
  return h('div.cb-card.cb-cart', { testid: 'cb-cart', 'data-payment': requested?.payment_status || '' },
    h('div.cb-card-title', {}, `🛒 Cart · ${items.reduce((n, it) => n + it.quantity, 0)} items`),
    items.map((it) => {
      const p = ctx.products.get(it.product_retailer_id);
      return h('div.cb-line.cb-cart-line', { testid: 'cb-cart-line', 'data-retailer-id': it.product_retailer_id },
        p?.image_url ? h('img', { src: p.image_url, alt: '' }) : h('span.cb-noimg', {}, '🛍'),
        h('span.grow', { dir: 'auto' }, p?.name || it.product_retailer_id),
        h('span.cb-qty', {}, `${it.quantity} × ${money(it.item_price_minor || 0, cur)}`),
        h('strong', {}, money((it.item_price_minor || 0) * it.quantity, cur)));
    }),
    h('div.cb-line.cb-total', {}, h('span.grow', {}, 'Total'), h('strong', { testid: 'cb-cart-total' }, money(total, cur))),
    requested ? h('div', {}, h(`span.cb-status.cb-pay-${requested.payment_status}`, { testid: 'cb-cart-status' }, `Payment requested · ${PAY_LABEL[requested.payment_status] || requested.payment_status}`)) : null,
    !ctx.out && (!requested || requested.payment_status === 'unpaid' || requested.payment_status === 'failed')
      ? h('div.cb-actions', {}, h('button.btn', { testid: 'cb-cart-request-payment', onclick: (e) => e.target.dispatchEvent(new CustomEvent('wasla:request-payment', { bubbles: true, detail: { cart: m } })) }, 'Request payment'))
      : null);
}

/** The row id inside a wamid ("wamid." + base64url of "WSLA" and 8 bytes). */
export function rowId(wamid) {
  try {
    const b = atob((wamid || '').slice(6).replace(/-/g, '+').replace(/_/g, '/'));
    let n = 0n;
    for (let i = 4; i < 12; i++) n = n * 256n + BigInt(b.charCodeAt(i));
    return n.toString();
  } catch { return ''; }
}

function interactive(i, ctx) {
  const a = i.action || {};
  const body = i.body?.text;
  switch (i.type) {
    case 'button_reply': case 'list_reply':
      return [textBlock(i[i.type].title), i[i.type].description ? h('small.cb-sub', {}, i[i.type].description) : null];
    case 'nfm_reply': return textBlock(i.nfm_reply?.body || 'Form sent');
    case 'order_details': return paymentRequest(i, ctx);
    case 'order_status': {
      const s = a.parameters?.order?.status || '';
      return [h('div.cb-card-title', { testid: 'cb-order-update' }, `📦 Order ${a.parameters?.reference_id || ''}: ${s}`), body ? textBlock(body) : null];
    }
    case 'product':
      return [header(i.header, ctx), productCard(a.product_retailer_id, ctx), body ? textBlock(body) : null, i.footer ? h('div.cb-footer', {}, i.footer.text) : null, pseudoButtons(['View'])];
    case 'product_list':
      return [header(i.header, ctx), body ? textBlock(body) : null, i.footer ? h('div.cb-footer', {}, i.footer.text) : null,
        h('div.cb-sections', {}, (a.sections || []).map((s) => h('div', {}, h('small.cb-sub', {}, s.title), (s.product_items || []).map((p) => productCard(p.product_retailer_id, ctx))))),
        pseudoButtons(['View items'])];
    case 'catalog_message': return [body ? textBlock(body) : null, pseudoButtons(['View catalog'])];
    default: {
      const labels = (a.buttons || []).map((b) => b.reply?.title || b.title || '');
      if (a.button) labels.push(`☰ ${a.button}`);
      if (i.type === 'cta_url') labels.push(`↗ ${a.parameters?.display_text || 'Open'}`);
      if (i.type === 'location_request_message') labels.push('📍 Send location');
      if (i.type === 'flow') labels.push(a.parameters?.flow_cta || 'Open');
      const rows = i.type === 'list' ? h('div.cb-sections', {}, (a.sections || []).map((s) => h('div', {}, s.title ? h('small.cb-sub', {}, s.title) : null,
        (s.rows || []).map((r) => h('div.cb-list-row', {}, h('span', { dir: 'auto' }, r.title), r.description ? h('small', {}, r.description) : null))))) : null;
      return [header(i.header, ctx), body ? textBlock(body) : null, i.footer ? h('div.cb-footer', {}, i.footer.text) : null, rows, pseudoButtons(labels)];
    }
  }
}

function template(t, ctx) {
  const r = t.rendered;
  if (!r) return textBlock(`Template ${t.name}`);
  return h('div.cb-template', { testid: 'cb-template', 'data-name': t.name },
    header(r.header, ctx), textBlock(r.body), r.footer ? h('div.cb-footer', {}, r.footer) : null,
    pseudoButtons((r.buttons || []).map((b) => `${b.type === 'url' ? '↗ ' : b.type === 'phone_number' ? '📞 ' : ''}${b.text}`)));
}

/** The content of message `m`; `ctx` has products, orders, out, onMedia and orderStatus. */
export function content(m, ctx) {
  switch (m.type) {
    case 'text': return textBlock(m.text.body);
    case 'image': case 'video': case 'audio': case 'document': case 'sticker': {
      const media = m[m.type];
      return [mediaBlock(m.type, media, ctx), media.caption ? textBlock(media.caption) : null];
    }
    case 'location': {
      const l = m.location;
      const url = `https://www.openstreetmap.org/?mlat=${l.latitude}&mlon=${l.longitude}#map=16/${l.latitude}/${l.longitude}`;
      return h('div.cb-card.cb-location', { testid: 'cb-location' }, h('span.cb-file-icon', {}, '📍'),
        h('div.grow', {}, l.name ? h('strong', { dir: 'auto' }, l.name) : null, l.address ? h('small', { dir: 'auto' }, l.address) : null,
          h('small', {}, `${Number(l.latitude).toFixed(5)}, ${Number(l.longitude).toFixed(5)}`),
          h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Open map')));
    }
    case 'contacts':
      return (m.contacts || []).map((c) => h('div.cb-card.cb-contact', { testid: 'cb-contact' }, h('span.cb-file-icon', {}, '👤'),
        h('div.grow', {}, h('strong', { dir: 'auto' }, c.name?.formatted_name || 'Contact'), (c.phones || []).map((p) => h('small', {}, p.phone)))));
    case 'interactive': return interactive(m.interactive, ctx);
    case 'template': return template(m.template, ctx);
    case 'button': return textBlock(m.button.text);
    case 'order': return [cart(m, ctx), m.order?.text ? textBlock(m.order.text, { 'data-note': '1' }) : null];
    default: return textBlock(`[${m.type}]`);
  }
}

/** Products of the business's catalog by retailer id (for carts and product cards). */
export async function loadProducts() {
  const c = await call('GET', '/catalog');
  return new Map((c.data || []).map((p) => [p.retailer_id, p]));
}
