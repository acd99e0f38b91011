// "Send products" in the console composer: pick products of the WABA's catalog (search,
// check), then send one as a `product` message, several as a `product_list` grouped into
// sections by collection, or the whole catalog as a `catalog_message`. The message goes through the chat's one send path, so the Cloud
// API's rules apply (own catalog, known products, at most 30 items, 10 sections).
import { call, h } from './api.js';

/** The picker button and its panel; `send(content)` posts the message as the business. */
export function productsPicker(send) {
  const panel = h('div.card.products-picker', { testid: 'products-picker', hidden: true, style: 'position:absolute;bottom:60px;left:10px;right:10px;max-height:320px;overflow:auto;z-index:5' });
  const chosen = new Set();
  let catalog = null;
  let products = [];
  const header = h('input', { placeholder: 'List header', value: 'Our picks', maxlength: 60, testid: 'picker-header' });
  const body = h('input', { placeholder: 'Message', value: 'Tap a product to see it.', testid: 'picker-body' });
  const err = h('p.error', { role: 'alert', testid: 'picker-error' });
  const list = h('div');
  const render = () => list.replaceChildren(...products.map((p) => h('label', { style: 'display:block', testid: 'picker-product', 'data-retailer-id': p.retailer_id },
    h('input', { type: 'checkbox', checked: chosen.has(p.retailer_id), onchange: (e) => { if (e.target.checked) chosen.add(p.retailer_id); else chosen.delete(p.retailer_id); } }),
    ` ${p.name} · ${p.price_text}`)));
  const content = () => {
    const picked = products.filter((p) => chosen.has(p.retailer_id));
    const action = { catalog_id: catalog.id };
    if (picked.length === 1) {
      return { type: 'interactive', interactive: { type: 'product', ...(body.value.trim() ? { body: { text: body.value.trim() } } : {}), action: { ...action, product_retailer_id: picked[0].retailer_id } } };
    }
    const sections = new Map();
    for (const p of picked) {
      const title = (p.collections?.[0] || 'Products').slice(0, 24);
      if (!sections.has(title)) sections.set(title, []);
      sections.get(title).push({ product_retailer_id: p.retailer_id });
    }
    return { type: 'interactive', interactive: { type: 'product_list', header: { type: 'text', text: header.value.trim() }, body: { text: body.value.trim() },
      action: { ...action, sections: [...sections].map(([title, items]) => ({ title, product_items: items })) } } };
  };
  const go = h('button.btn', {
    testid: 'picker-send',
    onclick: async () => {
      err.textContent = '';
      if (!chosen.size) { err.textContent = 'Pick at least one product.'; return; }
      try { await send(content()); chosen.clear(); panel.hidden = true; } catch (e) { err.textContent = e.message; }
    },
  }, 'Send');
  // The whole catalog as a `catalog_message`, with the first picked product as its thumbnail.
  const sendCatalog = h('button.btn.ghost', {
    testid: 'picker-send-catalog',
    onclick: async () => {
      err.textContent = '';
      const thumb = products.find((p) => chosen.has(p.retailer_id));
      const action = { name: 'catalog_message', ...(thumb ? { parameters: { thumbnail_product_retailer_id: thumb.retailer_id } } : {}) };
      const content = { type: 'interactive', interactive: { type: 'catalog_message', body: { text: body.value.trim() || 'Browse our catalog.' }, action } };
      try { await send(content); chosen.clear(); panel.hidden = true; } catch (e) { err.textContent = e.message; }
    },
  }, 'Send whole catalog');
  const search = h('input', { placeholder: 'Search products', testid: 'picker-search', oninput: () => load(search.value) });
  async function load(q = '') {
    const c = await call('GET', `/catalog?${new URLSearchParams({ q })}`);
    catalog = c.catalog;
    products = c.data;
    if (!catalog) { list.replaceChildren(h('p.empty', {}, 'No catalog yet: add products on the Catalog page.')); return; }
    render();
  }
  panel.append(h('div.row', {}, search, h('button.btn.ghost', { onclick: () => { panel.hidden = true; } }, '×')), list, header, body, err, h('div.row', {}, go, sendCatalog));
  const button = h('button.btn.ghost', { testid: 'send-products', title: 'Send products', onclick: () => { panel.hidden = !panel.hidden; if (!panel.hidden) load().catch((e) => { err.textContent = e.message; }); } }, '🛍 Products');
  return { button, panel };
}
