// Stickers in the web client: a business publishes a sticker pack through the console API; a
// person opens its shareable page, adds it to Wasla from there, and sends one of its stickers
// from the composer's picker (then one of Wasla's own, animated); stickers show without a
// bubble behind them, and the recent tab remembers them. Another person adds a pack from the
// business's profile and sends from it. Screenshots light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, shot, startChat, repo } from './harness.js';
import { createBusiness, eventually, history } from './business.js';

const ART = path.join(repo, 'crates', 'core', 'assets', 'stickers', 'open-for-business');

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505551388', verifiedName: 'Acme Bakery' });
});
after(async () => { if (stack) await stack.stop(); });

/** An admin agent of the business publishes a pack; returns the pack. */
async function publishPack(name, files, email = 'owner@acme.example') {
  const r = await fetch(`${stack.base}/admin/v1/businesses/${biz.wabaId}/agents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, name: 'owner', role: 'admin' }),
  });
  assert.equal(r.status, 200);
  const invite = await r.json();
  const signIn = await fetch(`${stack.base}/console/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ invite_token: invite.invite_token, password: 'correct horse battery' }),
  });
  const { token } = await signIn.json();
  const form = new FormData();
  form.append('name', name);
  form.append('cover', '0');
  for (const f of files) form.append('sticker', new Blob([fs.readFileSync(path.join(ART, f))], { type: 'image/webp' }), f);
  const res = await fetch(`${stack.base}/console/v1/sticker-packs`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  const pack = await res.json();
  assert.equal(res.status, 200, JSON.stringify(pack));
  return pack;
}

test('a person adds a business sticker pack from its link and sends a sticker', async () => {
  const pack = await publishPack('Acme bakery', ['04-bag.webp', '05-chat.webp', '02-storefront.webp']);
  const ada = await stack.register('Ada Lovelace', 'desktop');
  const { page } = ada;

  // The shareable page shows the pack; "Add to Wasla" opens the client, which asks to add it.
  await page.goto(pack.link);
  assert.equal(await page.getByTestId('pack-page-name').innerText(), 'Acme bakery');
  assert.equal(await page.getByTestId('pack-page-sticker').count(), 3);
  await shot(page, 'stickers-pack-page');
  await page.getByTestId('add-to-wasla').click();
  const dialog = page.getByTestId('sticker-pack-dialog');
  await dialog.waitFor();
  assert.match(await page.getByTestId('sticker-pack-publisher').innerText(), /Acme/);
  await shot(page, 'stickers-add-dialog');
  await page.getByTestId('sticker-pack-add').click();
  await page.getByTestId('toast').filter({ hasText: 'Added' }).waitFor();
  assert.equal(await page.getByTestId('sticker-pack-add').innerText(), 'Remove');
  await page.getByTestId('modal-close').click();

  // The picker has a tab for Wasla's pack and one for the added pack; pick from the latter.
  await startChat(page, biz.phone);
  await page.getByTestId('sticker-button').click();
  await page.getByTestId('sticker-picker').waitFor();
  const tabs = page.getByTestId('sticker-tab');
  assert.deepEqual(await tabs.evaluateAll((ts) => ts.map((t) => t.dataset.pack)), ['open-for-business', pack.id]);
  await tabs.nth(1).click();
  assert.equal(await page.getByTestId('sticker-choice').count(), 3);
  await shot(page, 'stickers-picker-light');
  await page.getByTestId('sticker-choice').nth(1).click();
  const sent = page.locator('[data-testid="message"][data-type="sticker"]');
  await sent.first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-type="sticker"] img')?.complete);

  // Wasla's own animated sticker, then the recent tab shows both.
  await page.getByTestId('sticker-button').click();
  await tabs.nth(0).click();
  await page.locator('[data-testid="sticker-choice"][data-animated="true"]').click();
  await eventually(async () => (await sent.count()) === 2, 'two stickers');
  await page.getByTestId('sticker-button').click();
  await page.getByTestId('sticker-tab-recent').click();
  assert.equal(await page.getByTestId('sticker-choice').count(), 2);
  await page.keyboard.press('Escape');
  await page.mouse.click(5, 5);

  // No bubble behind a sticker, at a fitting size.
  const look = await sent.first().evaluate((row) => {
    const b = row.querySelector('.bubble');
    const img = row.querySelector('img');
    return { bg: getComputedStyle(b).backgroundColor, w: img.getBoundingClientRect().width };
  });
  assert.equal(look.bg, 'rgba(0, 0, 0, 0)');
  assert.ok(look.w >= 120 && look.w <= 200, `sticker width ${look.w}`);
  await shot(page, 'stickers-chat-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'stickers-chat-dark');
  await page.getByTestId('sticker-button').click();
  await page.getByTestId('sticker-picker').waitFor();
  await shot(page, 'stickers-picker-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The server read whether each is animated from the file.
  const chatId = await page.evaluate(() => location.hash.split('/').pop());
  const msgs = (await history(stack, page, chatId)).filter((m) => m.type === 'sticker');
  assert.deepEqual(msgs.map((m) => m.sticker.animated), [false, true]);
});

test('a person adds a pack from the business profile', async () => {
  const pack = await publishPack('Acme seasons', ['03-clock.webp', '01-open-sign.webp'], 'second@acme.example');
  const bob = await stack.register('Bob Builder', 'desktop');
  const { page } = bob;
  await startChat(page, biz.phone);
  await page.getByTestId('conv-info-button').click();
  const row = page.locator(`.sticker-pack-row[data-pack="${pack.id}"]`);
  await row.waitFor();
  await row.getByTestId('profile-sticker-pack-add').click();
  await page.getByTestId('toast').filter({ hasText: 'Added' }).waitFor();
  assert.equal(await row.getByTestId('profile-sticker-pack-add').innerText(), 'Remove');
  await shot(page, 'stickers-profile-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'stickers-profile-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByTestId('sticker-button').click();
  await page.locator(`[data-testid="sticker-tab"][data-pack="${pack.id}"]`).click();
  await page.getByTestId('sticker-choice').first().click();
  await page.locator('[data-testid="message"][data-type="sticker"]').waitFor();
});
