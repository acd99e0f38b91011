// The console's Billing page: a business that sent templates to people in three countries
// (and a free reply inside the service window) is opened by its admin, who sees the cost by
// day, category, country and phone number as charts with the same figures in the tables under
// them, the templates' performance (sent, delivered, read, clicked), a CSV download, and this
// month's invoice; an agent without the admin role has no Billing page. Screenshots at
// 1366×800 and 390×844, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot } from './harness.js';
import { createBusiness, eventually } from './business.js';

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505559871', verifiedName: 'Acme Shop' });
});
after(async () => { if (stack) await stack.stop(); });

async function json(method, path, token, body) {
  const r = await fetch(`${stack.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => null);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(data)}`);
  return data;
}
const admin = (method, path, body) => json(method, `/admin/v1${path}`, stack.operatorToken(), body);

/** A person registered through the client API (code flow); returns {token, waId}. */
async function person(phone) {
  const r = await fetch(`${stack.base}/client/v1/auth/code`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone }) });
  const { phone: e164 } = await r.json();
  const code = await stack.codes.waitCode(e164.slice(1));
  const v = await fetch(`${stack.base}/client/v1/auth/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone: e164, code, device: 'test' }) });
  const s = await v.json();
  return { token: s.token, waId: e164.slice(1) };
}

async function chatWith(p) {
  const c = await json('POST', '/client/v1/chats', p.token, { wa_id: biz.waId });
  return c.chat_id;
}

/** An agent signed in through an invite, on a desktop (1366×800) or a phone (390×844). */
async function agent(email, role, kind = 'desktop') {
  const invite = await admin('POST', `/businesses/${biz.wabaId}/agents`, { email, name: email.split('@')[0], role });
  const ctx = kind === 'phone'
    ? await stack.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, baseURL: stack.base })
    : await stack.browser.newContext({ viewport: { width: 1366, height: 800 }, baseURL: stack.base });
  ctx.setDefaultTimeout(15000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('console-me').waitFor({ state: 'attached' });
  return page;
}

async function shots(page, name) {
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a business admin reads what messages cost on the Billing page', async () => {
  await admin('POST', `/billing/accounts/${biz.wabaId}/top-ups`, { amount: '50.00' });
  const t = await biz.api('POST', `/v23.0/${biz.wabaId}/message_templates`, { name: 'spring_sale', language: 'en_US', category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Spring sale: 20% off today' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Show me' }] }] });
  assert.equal(t.status, 200, JSON.stringify(t.data));
  await admin('POST', `/templates/${t.data.id}/review`, { status: 'APPROVED' });

  // Three people in three countries; the first writes in, so the reply to them is free.
  const people = [await person('+44 7911 123456'), await person('+49 30 1234568'), await person('+33 6 12 34 56 79')];
  const chats = [];
  for (const p of people) chats.push(await chatWith(p));
  await json('POST', `/client/v1/chats/${chats[0]}/messages`, people[0].token, { type: 'text', text: { body: 'Hello!' } });
  const sent = [];
  for (const p of people) {
    const r = await biz.sendRaw({ messaging_product: 'whatsapp', to: p.waId, type: 'template', template: { name: 'spring_sale', language: { code: 'en_US' } } });
    assert.equal(r.status, 200, JSON.stringify(r.data));
    sent.push(r.data.messages[0].id);
  }
  await biz.send(people[0].waId, 'text', { body: 'Thanks for writing!' });
  for (const [i, p] of people.entries()) {
    await json('POST', `/client/v1/chats/${chats[i]}/read`, p.token, { up_to_seq: 1000 });
  }
  await json('POST', `/client/v1/chats/${chats[1]}/messages`, people[1].token, { type: 'button', context: { message_id: sent[1] }, button: { payload: 'Show me', text: 'Show me' } });
  // Every delivery is rated before the page is opened.
  await eventually(async () => {
    const inv = await admin('GET', `/billing/accounts/${biz.wabaId}/invoices/current`);
    return inv.lines.reduce((n, l) => n + (l.kind === 'message' ? l.count : 0), 0) >= 4;
  }, 'four rated deliveries');

  const boss = await agent('boss@acme.example', 'admin');
  await boss.getByTestId('nav-billing').click();
  await boss.getByTestId('billing-page').waitFor();
  await boss.getByTestId('chart-days').waitFor();
  const total = await boss.getByTestId('billing-total-cost').textContent();
  assert.match(total, /^[0-9]+(\.[0-9]+)? [A-Z]{3}$/);
  assert.notEqual(total.split(' ')[0], '0', 'the templates cost something');

  // The charts have a bar per row, and the tables hold the same figures.
  const countries = boss.getByTestId('billing-countries-table').locator('tbody tr');
  assert.equal(await countries.count(), 3);
  const countryText = await boss.getByTestId('billing-countries-table').textContent();
  for (const c of ['GG', 'DE', 'FR']) assert.match(countryText, new RegExp(c));
  assert.equal(await boss.getByTestId('chart-countries').locator('rect.bar').count(), 3);
  assert.equal(await boss.getByTestId('chart-days').locator('rect.bar').count(), 30);
  const categories = await boss.getByTestId('billing-categories-table').textContent();
  assert.match(categories, /Marketing/);
  assert.match(await boss.getByTestId('billing-phones-table').textContent(), /\+16505559871/);
  const template = boss.getByTestId('billing-templates-table').locator('tbody tr').first();
  const cells = await template.locator('td').allTextContents();
  assert.match(cells[0], /spring_sale/);
  assert.deepEqual(cells.slice(1, 5), ['3', '3', '3', '1'], 'sent, delivered, read, clicked');
  // The sum of the day table is the total (decimal strings added as integers of micros).
  const dayCosts = await boss.getByTestId('billing-days-table').locator('tbody tr td:nth-child(3)').allTextContents();
  const micros = (d) => { const [w, f = ''] = d.split('.'); return BigInt(w) * 1000000n + BigInt((f + '000000').slice(0, 6)); };
  assert.equal(dayCosts.map(micros).reduce((a, b) => a + b, 0n), micros(total.split(' ')[0]));

  // Volume instead of cost.
  await boss.getByTestId('billing-metric-volume').check();
  assert.match(await boss.getByTestId('chart-categories').textContent(), /msgs/);

  // CSV download of a table.
  const [file] = await Promise.all([boss.waitForEvent('download'), boss.getByTestId('billing-countries-csv').click()]);
  const csv = await (await import('node:fs/promises')).readFile(await file.path(), 'utf8');
  assert.match(csv.split('\r\n')[0], /^Country,Messages,Cost \([A-Z]{3}\)$/);
  assert.equal(csv.trim().split('\r\n').length, 4);

  // This month's invoice, under the charts.
  await boss.getByTestId('invoice-lines').waitFor();
  assert.match(await boss.getByTestId('invoice-total').textContent(), /[0-9] [A-Z]{3}$/);
  assert.ok(await boss.getByTestId('invoice-lines').locator('tbody tr').count() >= 1);
  await boss.getByTestId('billing-metric-cost').check();
  await shots(boss, 'console-billing');
  await boss.getByTestId('billing-countries').scrollIntoViewIfNeeded();
  await shots(boss, 'console-billing-charts');
  await boss.getByTestId('billing-invoice').scrollIntoViewIfNeeded();
  await shots(boss, 'console-billing-invoice');

  const phone = await agent('owner@acme.example', 'admin', 'phone');
  await phone.getByTestId('nav-menu').click();
  await phone.getByTestId('nav-billing').click();
  await phone.getByTestId('chart-days').waitFor();
  const box = await phone.getByTestId('chart-categories').boundingBox();
  assert.ok(box.width <= 390 && box.x >= 0, `the chart fits the phone (${JSON.stringify(box)})`);
  await shots(phone, 'console-billing-phone');
  await phone.getByTestId('billing-templates').scrollIntoViewIfNeeded();
  await shots(phone, 'console-billing-phone-templates');

  const clerk = await agent('clerk@acme.example', 'agent');
  assert.equal(await clerk.getByTestId('nav-billing').count(), 0, 'agents have no Billing page');
});
