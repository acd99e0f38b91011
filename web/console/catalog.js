// The catalog page of the console: products searched by name, retailer id or collection,
// the collections with their counts, and for admins a product form (prices typed as decimal
// text; the server converts them exactly), delete, and CSV import with progress and the
// per-row error report.
import { call, session, h } from './api.js';

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
  const field = (name, placeholder, extra = {}) => h('input', { name, placeholder, testid: `product-${name}`, ...extra });
  const f = {
    retailer_id: field('retailer_id', 'Retailer id (SKU)'),
    name: field('name', 'Name'),
    price_text: field('price_text', 'Price, e.g. 12.50', { inputmode: 'decimal' }),
    sale_price_text: field('sale_price_text', 'Sale price (optional)', { inputmode: 'decimal' }),
    currency: field('currency', 'Currency', { value: 'EUR', maxlength: 3 }),
    image_url: field('image_url', 'Image URL (https://…)'),
    collections: field('collections', 'Collections, comma separated'),
  };
  let editing = null;
  const save = h('button.btn', { type: 'submit', testid: 'product-save' }, 'Add product');
  const form = h('form.card.product-form', {
    testid: 'product-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.textContent = '';
      const body = {};
      for (const [k, el] of Object.entries(f)) if (el.value.trim() || (editing && k === 'sale_price_text')) body[k] = el.value.trim();
      if (body.collections !== undefined) body.collections = body.collections.split(',').map((c) => c.trim()).filter(Boolean);
      if (!editing && body.sale_price_text === '') delete body.sale_price_text;
      try {
        if (editing) await call('PATCH', `/catalog/products/${editing}`, body);
        else await call('POST', '/catalog/products', body);
        reset();
        load();
      } catch (ex) { err.textContent = ex.message; }
    },
  }, h('h3', {}, 'Product'), Object.values(f), save, h('button.btn.ghost', { type: 'button', onclick: () => reset() }, 'Clear'));
  function reset() {
    editing = null;
    save.textContent = 'Add product';
    for (const [k, el] of Object.entries(f)) el.value = k === 'currency' ? 'EUR' : '';
    f.retailer_id.disabled = false;
  }
  function edit(p) {
    editing = p.id;
    save.textContent = 'Save changes';
    f.retailer_id.value = p.retailer_id;
    f.name.value = p.name;
    f.price_text.value = p.price_text.split(' ')[0];
    f.sale_price_text.value = '';
    f.currency.value = p.currency;
    f.image_url.value = p.image_url || '';
    f.collections.value = (p.collections || []).join(', ');
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
    list.replaceChildren(...c.data.map((p) => h('div.card.product', { testid: 'catalog-product', 'data-retailer-id': p.retailer_id },
      p.image_url ? h('img', { src: p.image_url, alt: '', width: 48, height: 48 }) : '',
      h('strong', {}, p.name), h('span', { testid: 'product-price' }, p.price_text),
      h('small', {}, ` ${p.retailer_id} · ${p.availability}`),
      admin ? h('span.row', {},
        h('button.btn.ghost', { testid: 'product-edit', onclick: () => edit(p) }, 'Edit'),
        h('button.btn.ghost', { testid: 'product-delete', onclick: async () => { if (confirm(`Delete ${p.name}?`)) { await call('DELETE', `/catalog/products/${p.id}`); load(); } } }, 'Delete')) : '')));
    if (!c.data.length) list.replaceChildren(h('p.empty', {}, c.catalog ? 'No products match.' : 'No catalog yet.'));
  }
  load().catch((e) => { err.textContent = e.message; });
  return h('div.page.catalog', { testid: 'catalog-page', style: 'padding:16px;overflow:auto' },
    h('h2', {}, 'Catalog'), search, cols, err, admin ? form : '', list, admin ? importer : '');
}
