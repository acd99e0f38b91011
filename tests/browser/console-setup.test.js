// An owner sets up a shop from an empty business with only the console: the business profile
// with a photo, hours with a holiday in their time zone, an away message, a quick reply, a
// label, a catalog product with an uploaded picture in the shop's currency, a template and its
// review; each form refuses bad input with the server's reason next to the field. The owner
// invites an agent; the invite link opened in the tab that already shows the console shows
// the invite form; the agent sees the settings read-only. Screenshots at 1366×800 and
// 390×844, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, makePng } from './harness.js';
import { createBusiness } from './business.js';

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Noor Bakery', number: '+16505551488', verifiedName: 'Noor Bakery' });
});
after(async () => { if (stack) await stack.stop(); });

/** Screenshots of the page in light and dark. */
async function shots(page, name) {
  await page.evaluate(() => { for (const el of document.querySelectorAll('.page, .st-page')) el.scrollTop = 0; window.scrollTo(0, 0); });
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function admin(method, path, body) {
  const r = await fetch(`${stack.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(r.status, 200, `${method} ${path}`);
  return r.json();
}

/** The error shown under the field whose input has this test id. */
const fieldError = (page, testid) => page.locator('.st-field', { has: page.getByTestId(testid) }).getByTestId('field-error');

async function area(page, id) {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId(`settings-area-${id}`).click();
  await page.getByTestId(`settings-${id}`).waitFor();
}

test('an owner sets up a shop in the console and invites an agent, who sees settings read-only', async () => {
  // The operator invites the owner; everything else happens in the console.
  const owner = await admin('POST', `/admin/v1/businesses/${biz.wabaId}/agents`, { email: 'noor@bakery.example', name: 'Noor', role: 'admin' });
  const ctx = await stack.newContext('desktop');
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1366, height: 800 });
  page.on('pageerror', (e) => console.error('[owner] page error:', e.message));
  await page.goto(`/console/#/invite/${owner.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-home').waitFor();
  await page.getByTestId('settings-area-apps').waitFor();
  await shots(page, 'console-setup-home');

  // Profile: a bad email is refused next to the field and nothing is saved.
  await area(page, 'profile');
  await page.getByTestId('profile-about').fill('Fresh bread every morning');
  await page.getByTestId('profile-email').fill('not an email');
  await page.getByTestId('profile-form-save').click();
  await fieldError(page, 'profile-email').filter({ hasText: 'is not an email address' }).waitFor();
  assert.equal((await biz.api('GET', `/v23.0/${biz.phoneNumberId}/whatsapp_business_profile`)).data.data[0].about, '');
  await page.getByTestId('profile-email').fill('hello@noor.example');
  await page.getByTestId('profile-description').fill('Bread, pastries and cakes baked on site.');
  await page.getByTestId('profile-address').fill('12 Olaya St, Riyadh');
  await page.getByTestId('profile-website-1').fill('https://noor.example');
  await page.getByTestId('profile-vertical').selectOption('RESTAURANT');
  await page.getByTestId('profile-form-save').click();
  await page.getByTestId('profile-form-saved').filter({ hasText: 'Saved' }).waitFor();
  assert.equal(await fieldError(page, 'profile-email').textContent(), '');
  await page.getByTestId('profile-photo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng(96, 96) });
  await page.getByTestId('profile-photo-saved').filter({ hasText: 'Photo saved' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="profile-photo"]')?.naturalWidth === 96);
  const profile = (await biz.api('GET', `/v23.0/${biz.phoneNumberId}/whatsapp_business_profile`)).data.data[0];
  assert.equal(profile.about, 'Fresh bread every morning');
  assert.equal(profile.vertical, 'RESTAURANT');
  assert.ok(profile.profile_picture_url);
  await shots(page, 'console-setup-profile');

  // Hours in Riyadh's time zone with a holiday; closing before opening is refused on that day.
  await area(page, 'hours');
  await page.getByTestId('hours-time-zone').fill('Asia/Riyadh');
  for (const d of ['sun', 'mon', 'tue', 'wed', 'thu']) await page.getByTestId(`hours-${d}-open`).check();
  await page.getByTestId('hours-mon-from').fill('18:00');
  await page.getByTestId('hours-mon-until').fill('08:00');
  await page.getByTestId('hours-holiday-date').fill('2026-12-25');
  await page.getByTestId('hours-holiday-add').click();
  await page.getByTestId('hours-holiday').first().waitFor();
  await page.getByTestId('hours-form-save').click();
  await fieldError(page, 'hours-mon-open').filter({ hasText: 'open before it closes' }).waitFor();
  await page.getByTestId('hours-mon-from').fill('08:00');
  await page.getByTestId('hours-mon-until').fill('18:00');
  await page.getByTestId('hours-form-save').click();
  await page.getByTestId('hours-form-saved').filter({ hasText: 'Saved' }).waitFor();
  await shots(page, 'console-setup-hours');

  // An away message outside those hours.
  await area(page, 'automation');
  await page.getByTestId('away-enabled').check();
  await page.getByTestId('away-text').fill('We are closed now; we answer from 8:00 Riyadh time.');
  await page.getByTestId('away-mode').selectOption('outside_hours');
  await page.getByTestId('ice-breaker').first().fill('What is fresh today?');
  await page.getByTestId('automation-form-save').click();
  await page.getByTestId('automation-form-saved').filter({ hasText: 'Saved' }).waitFor();
  const auto = await (await fetch(`${stack.base}/admin/v1/phone-numbers/${biz.phoneNumberId}/automations`, { headers: { Authorization: `Bearer ${stack.operatorToken()}` } })).json();
  assert.equal(auto.time_zone, 'Asia/Riyadh');
  assert.deepEqual(auto.holidays, ['2026-12-25']);
  assert.deepEqual(auto.hours.find((x) => x.day === 'mon'), { day: 'mon', open: '08:00', close: '18:00' });
  assert.equal(auto.away.mode, 'outside_hours');
  assert.deepEqual(auto.conversational.prompts, ['What is fresh today?']);
  await shots(page, 'console-setup-automation');

  // A quick reply with a variable; a bad shortcut is refused next to it.
  await area(page, 'replies');
  await page.getByTestId('reply-shortcut').fill('opening hours!');
  await page.getByTestId('reply-body').fill('Hi ');
  await page.getByTestId('reply-insert-name').click();
  await page.getByTestId('reply-form-save').click();
  await fieldError(page, 'reply-shortcut').filter({ hasText: 'shortcut' }).waitFor();
  await page.getByTestId('reply-shortcut').fill('hours');
  await page.getByTestId('reply-body').fill('Hi {{name}}, we bake from 8:00 to 18:00, Sunday to Thursday.');
  await page.getByTestId('reply-form-save').click();
  await page.getByTestId('reply-item').filter({ hasText: '/hours' }).waitFor();

  // A label.
  await area(page, 'labels');
  await page.getByTestId('label-name').fill('Wholesale');
  await page.getByTestId('label-form-save').click();
  await page.getByTestId('label-item').filter({ hasText: 'Wholesale' }).waitFor();

  // Shop: the catalog with an uploaded picture, priced in riyals.
  await area(page, 'commerce');
  await page.getByTestId('commerce-open-catalog').click();
  await page.getByTestId('catalog-page').waitFor();
  await page.getByTestId('product-retailer_id').fill('sourdough');
  await page.getByTestId('product-name').fill('Sourdough loaf');
  await page.getByTestId('product-description').fill('Slow-fermented, 800 g.');
  await page.getByTestId('product-price_text').fill('18.50');
  await page.getByTestId('product-currency').selectOption('SAR');
  await page.getByTestId('product-inventory').fill('24');
  await page.getByTestId('product-image-file').setInputFiles({ name: 'loaf.png', mimeType: 'image/png', buffer: makePng(120, 90) });
  await page.waitForFunction(() => document.querySelector('[data-testid="product-image-preview"]')?.naturalWidth === 120);
  await page.getByTestId('product-save').click();
  const loaf = page.locator('[data-testid="catalog-product"][data-retailer-id="sourdough"]');
  await loaf.getByTestId('product-price').filter({ hasText: '18.50 SAR' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="catalog-product"] img')?.naturalWidth === 120);
  assert.match(await loaf.locator('img').getAttribute('src'), /\/catalog\/images\/\d+$/);
  await shots(page, 'console-setup-catalog');

  // A template: a bad name is refused by the field; a good one is in review, then rejected
  // by the operator with a reason the owner sees.
  await area(page, 'templates');
  await page.getByTestId('template-name').fill('Order Ready');
  await page.getByTestId('template-body').fill('Your order {{1}} is ready for pickup.');
  await page.getByTestId('template-examples').fill('A-1042');
  await page.getByTestId('template-form-save').click();
  await fieldError(page, 'template-name').filter({ hasText: 'a-z, 0-9 and _' }).waitFor();
  await page.getByTestId('template-name').fill('order_ready');
  await page.getByTestId('template-form-save').click();
  const tpl = page.locator('[data-testid="template-item"][data-name="order_ready"]');
  await tpl.getByTestId('template-status').filter({ hasText: 'In review' }).waitFor();
  const id = await page.evaluate(async () => (await (await fetch('/console/v1/templates', { headers: { Authorization: `Bearer ${localStorage.getItem('wasla.console.token')}` } })).json()).data[0].id);
  await admin('POST', `/admin/v1/templates/${id}/review`, { status: 'REJECTED', reason: 'INVALID_FORMAT' });
  await area(page, 'hours');
  await area(page, 'templates');
  await tpl.getByTestId('template-status').filter({ hasText: 'Rejected' }).waitFor();
  await tpl.getByTestId('template-reason').filter({ hasText: 'the format is not valid' }).waitFor();
  await shots(page, 'console-setup-templates');

  // Invite an agent; the link opened in this tab (already showing the console) shows the
  // invite form, and the agent joins.
  await area(page, 'agents');
  await page.getByTestId('invite-name').fill('Kim');
  await page.getByTestId('invite-email').fill('kim@bakery.example');
  await page.getByTestId('invite-form-save').click();
  const link = await page.getByTestId('invite-link').inputValue();
  assert.match(link, /\/console\/#\/invite\/.+/);
  await page.locator('[data-testid="agent-item"][data-email="kim@bakery.example"]').getByTestId('agent-status').filter({ hasText: 'Invited' }).waitFor();
  await shots(page, 'console-setup-team');
  await page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await page.getByTestId('console-sign-in').filter({ hasText: 'Set password' }).waitFor();
  assert.equal(await page.getByTestId('settings-page').count(), 0);
  await page.getByTestId('console-password').fill('kims password 1');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('console-me').filter({ hasText: 'Kim (agent)' }).waitFor();

  // The agent sees the settings read-only, without the apps.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-read-only').waitFor();
  assert.equal(await page.getByTestId('settings-area-apps').count(), 0);
  await page.getByTestId('settings-area-profile').click();
  await page.getByTestId('profile-about').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="profile-about"]').value === 'Fresh bread every morning');
  assert.equal(await page.getByTestId('profile-about').isDisabled(), true);
  assert.equal(await page.getByTestId('profile-form-save').count(), 0);

  // On a phone.
  const phoneCtx = await stack.newContext('phone');
  const phone = await phoneCtx.newPage();
  phone.on('pageerror', (e) => console.error('[agent phone] page error:', e.message));
  await phone.goto('/console/');
  await phone.getByTestId('console-email').fill('kim@bakery.example');
  await phone.getByTestId('console-password').fill('kims password 1');
  await phone.getByTestId('console-sign-in').click();
  await phone.getByTestId('console-me').waitFor({ state: 'attached' });
  await phone.goto('/console/#/settings/hours');
  await phone.getByTestId('hours-holiday').first().waitFor();
  assert.equal(await phone.getByTestId('hours-time-zone').inputValue(), 'Asia/Riyadh');
  await shots(phone, 'console-setup-agent-phone-hours');
  await phone.goto('/console/#/settings/templates');
  await phone.getByTestId('template-reason').waitFor();
  await shots(phone, 'console-setup-agent-phone-templates');
  const box = await phone.getByTestId('settings-templates').boundingBox();
  assert.ok(box.width <= 390, `the page fits the phone (${box.width})`);
});
