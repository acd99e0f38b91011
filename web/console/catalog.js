// The catalog page of the console: products searched by name, retailer id or collection,
// the collections with their counts, and for admins a product form (prices typed as decimal
// text in the shop's currency, converted exactly by the server; description, availability,
// stock, variants; a picture uploaded or linked), delete, and CSV import with progress and
// the per-row error report. Errors show under the field the server names.
import { call, session, h } from './api.js';
import { field as fieldBox, showError, clearErrors, reason, upload } from './settings/form.js';

/** Currencies offered for prices (ISO 4217); the shop's is the one its products use. */
const CURRENCIES = ['EUR', 'USD', 'GBP', 'SAR', 'AED', 'EGP', 'KWD', 'QAR', 'BHD', 'OMR', 'JOD', 'MAD', 'TND', 'TRY', 'INR', 'IDR', 'BRL', 'MXN', 'NGN', 'KES', 'ZAR', 'JPY', 'CHF'];
const AVAILABILITY = [['in stock', 'In stock'], ['out of stock', 'Out of stock'], ['preorder', 'Pre-order'], ['available for order', 'Available to order'], ['discontinued', 'Discontinued']];

async function importCsv(text, onProgress) {
  const r = await fetch('/console/v1/catalog/import?progress=true', {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ csv: text }),
  });
  if (!r.ok) {
    const data = await r.json().catch(() => null);
    throw new Error(data?.error?.message || `HTTP ${r.status}`);
  }
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  let last = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      if (line.done) last = line; else onProgress(line);
    }
  }
  if (!last) throw new Error('the import ended early');
  if (last.error) throw new Error(last.error.message);
  return last.report;
}

/** The catalog page; `me` is the signed-in agent (admins may change things). */
export function catalogView(me) {
  const admin = me.role === 'admin';
  const list = h('div.products', { testid: 'catalog-list' });
  const cols = h('div.collections', { testid: 'catalog-collections' });
  const err = h('p.error', { role: 'alert', testid: 'catalog-error' });
  let q = '';
  const search = h('input', { placeholder: 'Search products', testid: 'catalog-search', oninput: (e) => { q = e.target.value; load(); } });
  // Labelled fields; `keys` are the words the server names them by in its errors.
  const field = (name, label, keys, el) => { el.name = name; el.dataset.testid = `product-${name}`; return fieldBox(label, el, keys); };
  const text = (attrs = {}) => h('input', attrs);
  const f = {
    retailer_id: field('retailer_id', 'Retailer id (SKU)', ['retailer_id'], text({ placeholder: 'e.g. bread-500' })),
    name: field('name', 'Name', ['name'], text()),
    description: field('description', 'Description', ['description'], h('textarea', { rows: 2 })),
    price_text: field('price_text', 'Price', ['price', 'price_text'], text({ inputmode: 'decimal', placeholder: 'e.g. 12.50' })),
    sale_price_text: field('sale_price_text', 'Sale price (optional)', ['sale_price', 'sale_price_text'], text({ inputmode: 'decimal' })),
    currency: field('currency', 'Currency', ['currency'], h('select', {}, CURRENCIES.map((c) => h('option', { value: c }, c)))),
    availability: field('availability', 'Availability', ['availability'], h('select', {}, AVAILABILITY.map(([v, l]) => h('option', { value: v }, l)))),
    inventory: field('inventory', 'In stock (optional)', ['inventory'], text({ type: 'number', min: 0, step: 1 })),
    image_url: field('image_url', 'Image URL', ['image_url'], text({ placeholder: 'https://… or upload a picture' })),
    item_group_id: field('item_group_id', 'Variant group (optional)', ['item_group_id'], text({ placeholder: 'e.g. tshirt' })),
    color: field('color', 'Colour (variant)', ['color'], text()),
    size: field('size', 'Size (variant)', ['size'], text()),
    collections: field('collections', 'Collections, comma separated', ['collections'], text()),
  };
  const photo = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', testid: 'product-image-file' });
  const photoBox = fieldBox('Upload a picture', photo, ['image']);
  const preview = h('img.product-preview', { alt: 'Product picture', testid: 'product-image-preview', hidden: true });
  const showPreview = (url) => { preview.hidden = !url; if (url) preview.src = url; };
  photo.onchange = async () => {
    if (!photo.files[0]) return;
    err.textContent = '';
    try {
      const img = await upload('/catalog/images', photo.files[0]);
      f.image_url.input.value = img.url;
      showPreview(img.url);
    } catch (ex) { err.textContent = reason(ex); showError(ex, [photoBox]); }
    photo.value = '';
  };
  f.image_url.input.addEventListener('change', () => showPreview(f.image_url.input.value.trim()));
  const fields = [...Object.values(f), photoBox];
  let editing = null;
  let shopCurrency = 'EUR';
  const save = h('button.btn', { type: 'submit', testid: 'product-save' }, 'Add product');
  const form = h('form.card.product-form', {
    testid: 'product-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.textContent = '';
      clearErrors(fields);
      const body = {};
      for (const [k, w] of Object.entries(f)) {
        const v = w.input.value.trim();
        if (v || (editing && ['sale_price_text', 'description'].includes(k))) body[k] = v;
      }
      if (body.collections !== undefined) body.collections = body.collections.split(',').map((c) => c.trim()).filter(Boolean);
      if (body.inventory !== undefined) body.inventory = body.inventory === '' ? undefined : Number(body.inventory);
      if (!editing && body.sale_price_text === '') delete body.sale_price_text;
      try {
        if (editing) await call('PATCH', `/catalog/products/${editing}`, body);
        else await call('POST', '/catalog/products', body);
        reset();
        load();
      } catch (ex) { err.textContent = reason(ex); showError(ex, fields); err.textContent = reason(ex); }
    },
  // The preview sits after the buttons, so showing it never moves them.
  }, h('h3', {}, 'Product'), h('div.product-fields', {}, fields), h('div.row.product-actions', {}, save, h('button.btn.ghost', { type: 'button', onclick: () => reset() }, 'Clear'), preview));
  function reset() {
    editing = null;
    save.textContent = 'Add product';
    for (const [k, w] of Object.entries(f)) w.input.value = k === 'currency' ? shopCurrency : k === 'availability' ? 'in stock' : '';
    f.retailer_id.input.disabled = false;
    showPreview('');
    clearErrors(fields);
  }
  function edit(p) {
    editing = p.id;
    save.textContent = 'Save changes';
    f.retailer_id.input.value = p.retailer_id;
    f.name.input.value = p.name;
    f.description.input.value = p.description || '';
    f.price_text.input.value = p.price_text.split(' ')[0];
    f.sale_price_text.input.value = '';
    f.currency.input.value = p.currency;
    f.availability.input.value = p.availability || 'in stock';
    f.inventory.input.value = p.inventory ?? '';
    f.image_url.input.value = p.image_url || '';
    f.item_group_id.input.value = p.item_group_id || '';
    f.color.input.value = p.color || p.variant?.color || '';
    f.size.input.value = p.size || p.variant?.size || '';
    f.collections.input.value = (p.collections || []).join(', ');
    showPreview(p.image_url);
    form.scrollIntoView({ block: 'start' });
  }

  const progress = h('progress', { max: 1, value: 0, testid: 'import-progress', hidden: true });
  const report = h('div.report', { testid: 'import-report' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', testid: 'import-file' });
  const importer = h('div.card.import', {}, h('h3', {}, 'Import CSV'),
    h('p', {}, 'Columns: id, title, description, price ("12.50 EUR"), availability, image_link, link, inventory, collections.'),
    file, h('button.btn', {
      testid: 'import-start',
      onclick: async () => {
        if (!file.files[0]) return;
        report.replaceChildren();
        progress.hidden = false;
        progress.value = 0;
        try {
          const r = await importCsv(await file.files[0].text(), (p) => { progress.max = p.total; progress.value = p.processed; });
          progress.value = progress.max;
          report.replaceChildren(h('p', { testid: 'import-summary' }, `${r.created} created · ${r.updated} updated · ${r.failed} failed`),
            h('ul', {}, r.errors.map((e) => h('li', { testid: 'import-error' }, `Row ${e.row} (${e.retailer_id || '—'}): ${e.message}`))));
          load();
        } catch (ex) { report.replaceChildren(h('p.error', {}, ex.message)); }
      },
    }, 'Import'), progress, report);

  async function load() {
    const c = await call('GET', `/catalog?${new URLSearchParams({ q })}`);
    cols.replaceChildren(...c.collections.map((x) => h('button.chip', { testid: 'collection', onclick: () => { search.value = x.name; q = x.name; load(); } }, `${x.name} (${x.products})`)));
    // The shop's currency: the one its products use (EUR for a new shop).
    if (!q && c.data.length) {
      shopCurrency = c.data[0].currency;
      if (!editing && !f.name.input.value) f.currency.input.value = shopCurrency;
    }
    list.replaceChildren(...c.data.map((p) => h('div.card.product', { testid: 'catalog-product', 'data-retailer-id': p.retailer_id },
      p.image_url ? h('img', { src: p.image_url, alt: '', width: 56, height: 56 }) : h('span.product-noimg', { 'aria-hidden': 'true' }),
      h('div.product-info', {}, h('strong', {}, p.name), h('span', { testid: 'product-price' }, p.price_text),
        h('small', {}, `${p.retailer_id} · ${p.availability}${p.inventory != null ? ` · ${p.inventory} in stock` : ''}`
          + `${Object.values(p.variant || {}).length ? ` · ${Object.values(p.variant).join(' / ')}` : ''}`),
        p.description ? h('p.product-desc', {}, p.description) : ''),
      admin ? h('span.row', {},
        h('button.btn.ghost', { testid: 'product-edit', onclick: () => edit(p) }, 'Edit'),
        h('button.btn.ghost', { testid: 'product-delete', onclick: async () => { if (confirm(`Delete ${p.name}?`)) { await call('DELETE', `/catalog/products/${p.id}`); load(); } } }, 'Delete')) : '')));
    if (!c.data.length) list.replaceChildren(h('p.empty', {}, c.catalog ? 'No products match.' : 'No catalog yet.'));
  }
  load().catch((e) => { err.textContent = e.message; });
  return h('div.page.catalog', { testid: 'catalog-page', style: 'padding:16px;overflow:auto' },
    h('h2', {}, 'Catalog'), search, cols, err, admin ? form : '', list, admin ? importer : '');
}
