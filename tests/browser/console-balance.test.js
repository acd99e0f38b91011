// The console's low-balance banner and invoice: the operator sets a prepaid WABA's warning
// threshold above its balance; the business admin sees the banner with what is left, opens
// this month's printable invoice (a new tab, styled by the server's stylesheet, light and
// dark), dismisses the banner until the next crossing; a top-up clears it, a charge below the
// threshold brings it back; an agent who is not an admin sees none. Screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot } from './harness.js';
import { createBusiness } from './business.js';

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505559881', verifiedName: 'Acme Billing' });
});
after(async () => { if (stack) await stack.stop(); });

async function admin(method, path, body) {
  const r = await fetch(`${stack.base}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(r.status, 200, `${method} ${path}`);
  return r.json();
}

async function signIn(invite) {
  const ctx = await stack.newContext('desktop');
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('console-me').waitFor();
  return { ctx, page };
}

test('a business admin is warned of a low balance and opens the invoice', async () => {
  const account = `/billing/accounts/${biz.wabaId}`;
  await admin('PATCH', account, { credit_limit: 0, low_balance_threshold: '5.00' });
  await admin('POST', `${account}/top-ups`, { amount: '2.00', note: 'first top-up' });

  const { ctx, page } = await signIn(await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'boss@acme.example', name: 'Boss', role: 'admin' }));
  const banner = page.getByTestId('low-balance-banner');
  await banner.waitFor();
  assert.match(await page.getByTestId('low-balance-message').textContent(), /2\.00 USD left to spend/);
  await shot(page, 'console-low-balance');

  // This month's invoice in a new tab, styled by /pages/invoice.css (no CSP violation).
  const [tab] = await Promise.all([ctx.waitForEvent('page'), page.getByTestId('low-balance-invoice').click()]);
  await tab.getByTestId('invoice').waitFor();
  assert.match(await tab.locator('table').nth(1).textContent(), /first top-up/);
  assert.match(await tab.getByTestId('invoice-total').textContent(), /^0\.00 USD$/);
  assert.equal(await tab.locator('main.invoice').evaluate((m) => getComputedStyle(m).maxWidth), '860px');
  const light = await tab.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  await shot(tab, 'invoice-light');
  await tab.emulateMedia({ colorScheme: 'dark' });
  const dark = await tab.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.notEqual(light, dark, 'dark mode has its own colours');
  await shot(tab, 'invoice-dark');
  await tab.close();

  // Dismissed until the next crossing, even across reloads.
  await page.getByTestId('low-balance-dismiss').click();
  assert.equal(await banner.count(), 0);
  await page.reload();
  await page.getByTestId('console-me').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await banner.count(), 0, 'stays dismissed');

  // A top-up climbs above the threshold; taking it back below warns again.
  await admin('POST', `${account}/top-ups`, { amount: 1000 });
  await page.reload();
  await page.getByTestId('console-me').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await banner.count(), 0, 'no banner above the threshold');
  await admin('POST', `${account}/adjustments`, { amount: '-8.50', note: 'correction' });
  await page.reload();
  await banner.waitFor();
  assert.match(await page.getByTestId('low-balance-message').textContent(), /3\.50 USD left to spend/);

  // An agent who is not an admin is not shown the business's money.
  const { page: clerk } = await signIn(await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'clerk@acme.example', name: 'Clerk', role: 'agent' }));
  await clerk.waitForTimeout(500);
  assert.equal(await clerk.getByTestId('low-balance-banner').count(), 0);
});
