// The console's message list: each message of a customer chat as a bubble the way the customer
// sees it (content from bubble-content.js), with the quoted message, the product asked about,
// reactions, time and ticks as a trailing element that never covers text, failed sends with
// their error, and payment confirmations as notes. The list opens at the newest message and
// stays at the bottom as messages arrive, unless the agent scrolled up to read.
import { call, h } from './api.js';
import { content, loadProducts, productCard } from './bubble-content.js';
import { fmtTime } from './state.js';

let products = new Map();
let productsLoadedAt = 0;
const ordersByChat = new Map();

const TICKS = { sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠', pending: '🕓' };

function meta(m, out) {
  const status = out ? m.status || 'sent' : '';
  return h('span.cb-meta', { testid: 'cb-meta' }, h('time', { datetime: new Date(m.timestamp).toISOString() }, fmtTime(m.timestamp)),
    out ? h(`span.cb-ticks.cb-${status}`, { title: status, 'aria-label': status }, TICKS[status] || '') : null);
}

const nearBottom = (box) => box.scrollHeight - box.scrollTop - box.clientHeight < 48;
// Where the list last put itself at the bottom: content growing under it (images loading) is
// not the agent scrolling up.
function toBottom(box) { box.scrollTop = box.scrollHeight; box.cbAt = box.scrollTop; }

/** Follow the agent's scrolling: the list sticks to the bottom unless they scrolled up. */
function watch(box) {
  if (box.dataset.cbWatched) return;
  box.dataset.cbWatched = '1';
  box.dataset.stick = '1';
  box.classList.add('cb-list');
  box.addEventListener('scroll', () => {
    if (nearBottom(box)) box.dataset.stick = '1';
    else if (box.cbAt === undefined || box.scrollTop < box.cbAt - 2) { box.dataset.stick = '0'; box.cbAt = undefined; }
  }, { passive: true });
}

function bubble(m, out, reactions, ctx, onQuote) {
  if (m.type === 'system') {
    return h('div.cb-system', { testid: 'cb-system', 'data-id': m.id }, h('span', { dir: 'auto' }, m.system?.body || ''));
  }
  const parts = [content(m, { ...ctx, out })].flat(3).filter(Boolean);
  // The time goes at the end of the last text, above any buttons (they span the bubble).
  const at = parts[parts.length - 1]?.classList?.contains('cb-buttons') ? parts.length - 1 : parts.length;
  const last = parts[at - 1];
  const tail = meta(m, out);
  if (last?.classList?.contains('cb-text')) last.append(tail);
  else parts.splice(at, 0, h('div.cb-foot', {}, tail));
  const q = m.context;
  const mine = reactions.get(m.id);
  return h(`div.msg.cb-row${out ? '.out' : ''}`, {
    testid: 'console-message', 'data-id': m.id, 'data-status': m.status || '', 'data-type': m.type,
    title: 'Double-click to quote', ondblclick: () => onQuote(m),
  },
  h('div.cb-bubble', {},
    q?.status ? h('div.quote.cb-status-quote', { testid: 'cb-status-quote', dir: 'auto' }, h('strong', {}, 'Status · '), q.status.excerpt || ({ image: '📷 Photo', video: '🎥 Video' }[q.status.type] || 'Status')) : null,
    q?.message_id && !q.status ? h('div.quote', { testid: 'cb-quote', dir: 'auto' }, q.preview || 'Message') : null,
    q?.referred_product ? h('div.cb-referred', { testid: 'cb-referred' }, h('small', {}, 'Asking about'), productCard(q.referred_product.product_retailer_id, ctx, 'cb-referred-product')) : null,
    parts,
    mine?.length ? h('div.cb-reactions.reaction', { testid: 'cb-reactions' }, mine.join(' ')) : null),
  m.errors?.length ? h('div.failed', { testid: 'cb-failed' }, `Failed: ${m.errors[0].code} ${m.errors[0].title || ''}${m.errors[0].error_data?.details ? ` — ${m.errors[0].error_data.details}` : ''}`) : null);
}

/**
 * Render a page of history into `box`; `onQuote(message)` is called when the agent picks one
 * to quote. Keeps the agent's place unless the list was at the bottom.
 */
export function renderMessages(box, page, businessWaId, onQuote = () => {}) {
  watch(box);
  const chatId = page.data[0]?.chat_id;
  // Reactions, the latest per sender, grouped by the message they react to.
  const bySender = new Map();
  for (const m of page.data) if (m.type === 'reaction') bySender.set(`${m.reaction.message_id} ${m.from}`, m.reaction);
  const reactions = new Map();
  for (const r of bySender.values()) if (r.emoji) reactions.set(r.message_id, [...(reactions.get(r.message_id) || []), r.emoji]);
  // Sends the Cloud API accepted and then failed show as failed outgoing bubbles, in time order.
  const failed = (page.failed || []).map((f) => ({ id: f.id, from: businessWaId, timestamp: f.timestamp, type: 'text', text: { body: f.preview }, status: 'failed', errors: f.errors }));
  const all = [...page.data, ...failed].sort((a, b) => a.timestamp - b.timestamp).filter((m) => m.type !== 'reaction');
  const stick = box.dataset.stick !== '0';
  const top = box.scrollTop;
  const ctx = {
    products,
    orders: ordersByChat.get(chatId) || new Map(),
    onMedia: () => { if (box.dataset.stick !== '0') toBottom(box); },
    orderStatus: async (reference, status, paid) => {
      if (status === 'canceled' && !confirm(paid ? 'Cancel and refund this order?' : 'Cancel this order?')) return;
      try {
        await call('POST', `/chats/${chatId}/messages`, { type: 'interactive', interactive: { type: 'order_status', body: { text: `Your order ${reference} is ${status}.` },
          action: { name: 'review_order', parameters: { reference_id: reference, order: { status } } } } });
      } catch (e) { alert(e.message); }
      refresh();
    },
  };
  box.replaceChildren(...all.map((m) => bubble(m, m.from === businessWaId, reactions, ctx, onQuote)));
  if (stick) toBottom(box);
  else { box.scrollTop = top; box.cbAt = undefined; }
  box.dataset.stick = stick ? '1' : '0';
  box.dispatchEvent(new CustomEvent('wasla:rendered', { bubbles: true, detail: { chatId, lastId: all[all.length - 1]?.id || '' } }));
  // Product names and order statuses arrive after: draw again once when they change.
  const refresh = () => extras(chatId, all).then((changed) => { if (changed && box.isConnected) renderMessages(box, page, businessWaId, onQuote); });
  refresh();
}

/** Load the catalog (once, again when a product is missing) and the chat's orders. */
async function extras(chatId, messages) {
  let changed = false;
  const wanted = new Set();
  for (const m of messages) {
    for (const it of m.order?.product_items || []) wanted.add(it.product_retailer_id);
    const a = m.interactive?.action;
    if (a?.product_retailer_id) wanted.add(a.product_retailer_id);
    for (const s of a?.sections || []) for (const p of s.product_items || []) wanted.add(p.product_retailer_id);
    if (m.context?.referred_product) wanted.add(m.context.referred_product.product_retailer_id);
  }
  if ([...wanted].some((id) => !products.has(id)) && Date.now() - productsLoadedAt > 10000) {
    productsLoadedAt = Date.now();
    try { products = await loadProducts(); changed = true; } catch { /* no catalog */ }
  }
  const commerce = messages.some((m) => m.type === 'order' || ['order_details', 'order_status'].includes(m.interactive?.type));
  if (chatId && commerce) {
    try {
      const c = await call('GET', `/chats/${chatId}/customer`);
      const next = new Map(c.orders.map((o) => [o.reference_id, o]));
      const before = JSON.stringify([...(ordersByChat.get(chatId) || new Map())]);
      if (before !== JSON.stringify([...next])) { ordersByChat.set(chatId, next); changed = true; }
    } catch { /* next time */ }
  }
  return changed;
}

/** Forget the cached catalog (after products change). */
export function forgetProducts() { productsLoadedAt = 0; }
