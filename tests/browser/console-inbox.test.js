// The console's inbox keeps up with customers, on a desktop and on a phone: an agent turns on
// notifications from the inbox's prompt, resolves a chat, and when the customer (an Arabic
// name) writes again the chat reopens back to the agent with a browser notification while the
// agent is on another page; the tab title counts unread; "waiting since" shows on the row; an
// admin picks the reopen rule in the inbox menu; the offline banner appears while the server
// is stopped (presence turns unknown) and goes when it is back; a second agent works the chat
// on a phone-sized screen (list, chat, customer panel with an @mention, back), which notifies
// the first; the QR card's long link stays inside its card. Screenshots at 1366×800 and
// 390×844, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat, sendText, bubble } from './harness.js';
import { createBusiness, eventually } from './business.js';

let stack;
let biz;
let sam;
let ada;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505559871', verifiedName: 'Acme Support' });
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

// Stands in for the browser's notifications: records each one, asks like the real one.
const fakeNotifications = () => {
  window.__notifications = [];
  let permission = 'default';
  class FakeNotification {
    constructor(title, options = {}) { this.title = title; this.options = options; window.__notifications.push({ title, ...options }); }
    close() {}
    static get permission() { return permission; }
    static async requestPermission() { permission = 'granted'; return permission; }
  }
  window.Notification = FakeNotification;
};

/** An agent signed in through an invite, on a desktop (1366×800) or a phone (390×844). */
async function agent(invite, kind) {
  const ctx = await stack.newContext(kind);
  await ctx.grantPermissions(['notifications']);
  await ctx.addInitScript(fakeNotifications);
  const page = await ctx.newPage();
  if (kind === 'desktop') await page.setViewportSize({ width: 1366, height: 800 });
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('inbox-page').waitFor();
  return page;
}

/** Screenshots in light and dark. */
async function shots(page, name) {
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

const row = (page, name) => page.locator(`[data-testid="inbox-item"][data-name="${name}"]`);

test('a resolved chat reopens with a notification when the customer writes again', async () => {
  const invite = await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'sam@acme.example', name: 'Sam', role: 'admin' });
  ada = await stack.register('سارة الأحمد', 'desktop');
  await startChat(ada.page, biz.phone);
  await sendText(ada.page, 'مرحبا، كم سعر المصباح؟ 25.00 SAR');
  await bubble(ada.page, 'مرحبا، كم سعر المصباح؟ 25.00 SAR').waitFor();

  sam = await agent(invite, 'desktop');
  const item = row(sam, 'سارة الأحمد');
  await item.waitFor();
  // The name is isolated and laid out in its own direction; the row says since when she waits.
  assert.equal(await item.locator('bdi.name').getAttribute('dir'), 'auto');
  await item.getByTestId('waiting').waitFor();
  assert.match(await item.getByTestId('waiting').textContent(), /^Waiting since \d/);
  await sam.waitForFunction(() => document.title === '(1) Wasla console');

  // Permission is asked only when the agent taps the prompt, never on load.
  assert.equal(await sam.evaluate(() => Notification.permission), 'default');
  await sam.getByTestId('notify-prompt').waitFor();
  await shots(sam, 'console-inbox-desktop');
  await sam.getByTestId('notify-enable').click();
  await sam.getByTestId('notify-prompt').waitFor({ state: 'detached' });
  assert.equal(await sam.evaluate(() => Notification.permission), 'granted');

  // Sam takes the chat, answers and resolves it.
  await item.click();
  await sam.getByTestId('claim').click();
  await sam.getByTestId('chat-assignee').filter({ hasText: 'Sam' }).waitFor();
  const composer = sam.getByTestId('console-composer');
  await composer.fill('It is 25.00 SAR, in stock.');
  await composer.press('Enter');
  await bubble(ada.page, 'It is 25.00 SAR, in stock.').waitFor();
  await item.getByTestId('waiting').waitFor({ state: 'detached' });
  await sam.getByTestId('state-resolved').click();
  await sam.getByTestId('chat-state').filter({ hasText: 'resolved' }).waitFor();
  await sam.waitForFunction(() => document.title === 'Wasla console');
  await shots(sam, 'console-chat-desktop');

  // Sam is on another page when Ada writes again: the chat reopens, back to Sam (online),
  // with a notification and the unread count in the tab title.
  await sam.getByTestId('nav-qr').click();
  await sendText(ada.page, 'وصل المصباح مكسورا');
  const note = await eventually(async () => (await sam.evaluate(() => window.__notifications))[0], 'a notification');
  assert.equal(note.title, 'سارة الأحمد wrote again');
  assert.equal(note.body, 'وصل المصباح مكسورا');
  await sam.waitForFunction(() => document.title === '(1) Wasla console');
  await sam.getByTestId('nav-inbox').click();
  await sam.locator('[data-testid="inbox-item"][data-name="سارة الأحمد"][data-state="open"]').waitFor();
  await sam.getByTestId('chat-state').filter({ hasText: 'open' }).waitFor();
  await sam.getByTestId('chat-assignee').filter({ hasText: 'Sam' }).waitFor();
  await sam.waitForFunction(() => document.title === 'Wasla console');
  await shots(sam, 'console-reopened-desktop');
});

test('an admin picks where reopened chats go from the inbox menu', async () => {
  await sam.getByTestId('inbox-menu').click();
  const rule = sam.getByTestId('reopen-rule');
  await rule.waitFor();
  assert.equal(await rule.inputValue(), 'agent_if_online');
  await shot(sam, 'console-inbox-menu');
  await rule.selectOption('unassigned');
  await eventually(async () => (await (await fetch(`${stack.base}/console/v1/inbox/settings`, {
    headers: { Authorization: `Bearer ${await sam.evaluate(() => localStorage.getItem('wasla.console.token'))}` },
  })).json()).reopen_to === 'unassigned', 'the rule saved');
  await rule.selectOption('agent_if_online');
  await sam.keyboard.press('Escape');
  await sam.locator('h2', { hasText: 'Inbox' }).click();
});

test('the offline banner shows while the server is unreachable, with no false presence', async () => {
  await sam.locator('[data-testid="presence"] [data-online="true"]').first().waitFor();
  await stack.stopServer();
  await sam.getByTestId('offline-banner').waitFor();
  await sam.locator('[data-testid="presence"] [data-online="null"]').first().waitFor();
  assert.equal(await sam.locator('[data-testid="presence"] [data-online="true"]').count(), 0, 'nobody shows online while offline');
  await shots(sam, 'console-offline-desktop');
  await stack.startServer();
  await sam.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 20000 });
  await sam.locator('[data-testid="presence"] [data-online="true"]').first().waitFor();
});

test('an agent works a chat on a phone: list, chat, customer panel, back', async () => {
  const invite = await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'lina@acme.example', name: 'Lina', role: 'agent' });
  const lina = await agent(invite, 'phone');
  const item = row(lina, 'سارة الأحمد');
  await item.waitFor();
  await shots(lina, 'console-phone-list');

  // The page links fold into a menu.
  assert.equal(await lina.getByTestId('nav-qr').isVisible(), false);
  await lina.getByTestId('nav-menu').click();
  await lina.getByTestId('nav-qr').waitFor();
  await shots(lina, 'console-phone-menu');
  await lina.getByTestId('nav-menu').click();

  // List → chat: only the chat shows.
  await item.click();
  await lina.locator('[data-testid="console-message"]', { hasText: 'وصل المصباح مكسورا' }).waitFor();
  assert.equal(await item.isVisible(), false, 'the list gives way to the chat');
  await shots(lina, 'console-phone-chat');

  // Chat → customer panel, with a note mentioning Sam picked from the suggestions.
  await lina.getByTestId('open-customer').click();
  await lina.getByTestId('customer-name').filter({ hasText: 'سارة الأحمد' }).waitFor();
  const input = lina.getByTestId('note-input');
  await input.click();
  await input.pressSequentially('@Sa');
  await lina.getByTestId('mention-item').filter({ hasText: 'Sam' }).click();
  await input.pressSequentially('please call her back');
  assert.equal(await input.inputValue(), '@Sam please call her back');
  await shots(lina, 'console-phone-customer');
  await lina.getByTestId('note-add').click();
  await lina.getByTestId('note').filter({ hasText: 'please call her back' }).getByTestId('mention').waitFor();
  const told = await eventually(async () => (await sam.evaluate(() => window.__notifications)).find((n) => n.title.startsWith('Lina mentioned you')), 'the mention');
  assert.equal(told.body, '@Sam please call her back');

  // Back to the chat, then to the list.
  await lina.getByTestId('back-to-chat').click();
  await lina.getByTestId('console-composer').waitFor();
  await lina.getByTestId('back-to-list').click();
  await item.waitFor();
  await lina.getByTestId('console-composer').waitFor({ state: 'hidden' });
});

test('a QR card keeps its long link inside the card', async () => {
  const invite = await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'omar@acme.example', name: 'Omar', role: 'admin' });
  for (const kind of ['phone', 'desktop']) {
    const page = kind === 'phone' ? await agent(invite, 'phone') : sam;
    await page.goto('/console/#/qr');
    await page.getByTestId('qr-text').fill(`Book a repair (${kind})`);
    await page.getByTestId('qr-create').click();
    const card = page.getByTestId('qr-card').filter({ hasText: `Book a repair (${kind})` });
    await card.waitFor();
    await card.locator('img').evaluate((img) => img.complete || new Promise((r) => { img.onload = r; }));
    const box = await card.boundingBox();
    const link = await card.getByTestId('qr-link').boundingBox();
    assert.ok(link.x >= box.x && link.x + link.width <= box.x + box.width + 0.5, `the link stays inside the card (${kind})`);
    await shots(page, `console-qr-${kind}`);
  }
});
