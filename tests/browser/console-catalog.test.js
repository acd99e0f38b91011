// The console's catalog page: an admin adds a product with a decimal price, edits it, finds it
// by search and imports a CSV whose bad row is named in the report; an agent reads the catalog
// without the editing controls. Screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot } from './harness.js';
import { createBusiness } from './business.js';

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505551377', verifiedName: 'Acme Outdoor' });
});
after(async () => { if (stack) await stack.stop(); });

async function signIn(role, email) {
  const r = await fetch(`${stack.base}/admin/v1/businesses/${biz.wabaId}/agents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, name: email.split('@')[0], role }),
  });
  assert.equal(r.status, 200);
  const invite = await r.json();
  const ctx = await stack.newContext('desktop');
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('catalog-page').waitFor();
  return page;
}

test('an admin adds, edits and imports products; an agent reads them', async () => {
  const page = await signIn('admin', 'sam@acme.example');
  await page.getByTestId('product-retailer_id').fill('jacket');
  await page.getByTestId('product-name').fill('Rain jacket');
  await page.getByTestId('product-price_text').fill('49.99');
  await page.getByTestId('product-image_url').fill(`${stack.base}/icon.svg`);
  await page.getByTestId('product-collections').fill('Outerwear');
  await page.getByTestId('product-save').click();
  const jacket = page.locator('[data-testid="catalog-product"][data-retailer-id="jacket"]');
  await jacket.getByTestId('product-price').filter({ hasText: '49.99 EUR' }).waitFor();
  // A price with too many decimals is refused with the reason.
  await page.getByTestId('product-retailer_id').fill('cap');
  await page.getByTestId('product-name').fill('Sun cap');
  await page.getByTestId('product-price_text').fill('15.999');
  await page.getByTestId('product-save').click();
  await page.getByTestId('catalog-error').filter({ hasText: 'decimals' }).waitFor();
  // Edit.
  await jacket.getByTestId('product-edit').click();
  await page.getByTestId('product-price_text').fill('44.50');
  await page.getByTestId('product-save').click();
  await jacket.getByTestId('product-price').filter({ hasText: '44.50 EUR' }).waitFor();
  await shot(page, 'console-catalog');

  // CSV import with the per-row report.
  const csv = 'id,title,price,collections\nsocks,Wool socks,12.50 EUR,Accessories\nbad,Bad,1.234 EUR,\n';
  await page.getByTestId('import-file').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-summary').filter({ hasText: '1 created · 0 updated · 1 failed' }).waitFor();
  assert.match(await page.getByTestId('import-error').first().textContent(), /Row 3 \(bad\)/);
  await page.locator('[data-testid="catalog-product"][data-retailer-id="socks"]').waitFor();
  await page.getByTestId('catalog-search').fill('wool');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-product"]').length === 1);
  await shot(page, 'console-catalog-import');

  const agent = await signIn('agent', 'kim@acme.example');
  await agent.locator('[data-testid="catalog-product"][data-retailer-id="jacket"]').waitFor();
  assert.equal(await agent.getByTestId('product-form').count(), 0);
  assert.equal(await agent.getByTestId('product-edit').count(), 0);
});
