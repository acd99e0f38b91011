// Business console and short links: an agent accepts an invite, handles a customer's chat from
// claim to resolved (quick reply typed with "/", a label, an internal note) while the customer
// sees the reply in the web client; labels the customer as a contact and reads why an
// integration's send to an unknown number failed; then creates a QR code, and a person
// follows its short link from the landing page straight into the chat with the prefilled
// text. Screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat, sendText, bubble } from './harness.js';
import { createBusiness } from './business.js';

let stack;
let biz;
let agentPage;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505559876', verifiedName: 'Acme Support' });
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

test('an agent handles a chat from claim to resolved with a quick reply', async () => {
  await admin('POST', `/businesses/${biz.wabaId}/quick-replies`, { shortcut: 'shipping', body: 'Hi {{name}}, your order ships within 24 hours.' });
  await admin('POST', `/businesses/${biz.wabaId}/labels`, { name: 'VIP', color: '#f5a623' });
  const invite = await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'sam@acme.example', name: 'Sam', role: 'admin' });

  const ada = await stack.register('Ada', 'desktop');
  await startChat(ada.page, biz.phone);
  await sendText(ada.page, 'Where is my order?');
  await bubble(ada.page, 'Where is my order?').waitFor();

  const ctx = await stack.newContext('desktop');
  agentPage = await ctx.newPage();
  agentPage.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await agentPage.goto(`/console/#/invite/${invite.invite_token}`);
  await agentPage.getByTestId('console-password').fill('correct horse battery');
  await agentPage.getByTestId('console-sign-in').click();
  const item = agentPage.locator('[data-testid="inbox-item"][data-name="Ada"]');
  await item.waitFor();
  assert.equal((await item.getByTestId('unread').textContent()).trim(), '1');
  await shot(agentPage, 'console-inbox');

  await item.click();
  await agentPage.locator('[data-testid="console-message"]', { hasText: 'Where is my order?' }).waitFor();
  await agentPage.getByTestId('claim').click();
  await agentPage.getByTestId('chat-assignee').filter({ hasText: 'Sam' }).waitFor();

  // "/" lists the quick replies; Enter sends the highlighted one with the name filled in.
  const composer = agentPage.getByTestId('console-composer');
  await composer.fill('');
  await composer.pressSequentially('/');
  await agentPage.getByTestId('quick-item').first().waitFor();
  await composer.pressSequentially('ship');
  await shot(agentPage, 'console-quick-replies');
  await composer.press('Enter');
  const sent = 'Hi Ada, your order ships within 24 hours.';
  await agentPage.locator('[data-testid="console-message"]', { hasText: sent }).waitFor();
  await bubble(ada.page, sent).waitFor();

  // A note being typed survives the panel's redraw after another change (here a label).
  await agentPage.getByTestId('note-input').fill('Promised delivery tomorrow');
  await agentPage.locator('[data-testid="label-toggle"][data-label="VIP"]').click();
  await agentPage.locator('[data-testid="inbox-item"][data-name="Ada"] [data-testid="label-chip"]').waitFor();
  await agentPage.locator('[data-testid="label-toggle"][data-label="VIP"][data-on="true"]').waitFor();
  assert.equal(await agentPage.getByTestId('note-input').inputValue(), 'Promised delivery tomorrow');
  await agentPage.getByTestId('note-add').click();
  await agentPage.getByTestId('note').filter({ hasText: 'Promised delivery tomorrow' }).waitFor();

  // Ada replies; the reply shows up live, then the agent resolves the chat.
  await sendText(ada.page, 'Great, thank you!');
  await agentPage.locator('[data-testid="console-message"]', { hasText: 'Great, thank you!' }).waitFor({ timeout: 10000 });
  // Quote the customer's message in the reply.
  await agentPage.locator('[data-testid="console-message"]', { hasText: 'Great, thank you!' }).dblclick();
  await agentPage.getByTestId('console-quote').waitFor();
  await composer.fill('You are welcome!');
  await composer.press('Enter');
  await agentPage.locator('[data-testid="console-message"]', { hasText: 'You are welcome!' }).locator('.quote', { hasText: 'Great, thank you!' }).waitFor();
  await bubble(ada.page, 'You are welcome!').waitFor();
  await agentPage.getByTestId('state-resolved').click();
  await agentPage.getByTestId('chat-state').filter({ hasText: 'resolved' }).waitFor();
  await shot(agentPage, 'console-resolved');
  assert.equal(await ada.page.getByText('Promised delivery tomorrow').count(), 0, 'notes stay internal');
  await shot(ada.page, 'console-customer-view');
});

test('an agent labels a contact and reads why sends failed', async () => {
  await admin('POST', `/businesses/${biz.wabaId}/labels`, { name: 'Wholesale', color: '#3b82f6' });
  // An integration sends to a number nobody has here: accepted, then failed (131026).
  const { status } = await biz.sendRaw({ messaging_product: 'whatsapp', to: '+12025550143', type: 'text', text: { body: 'Your invoice is ready' } });
  assert.equal(status, 200);

  await agentPage.goto('/console/#/inbox');
  await agentPage.reload();
  await agentPage.locator('[data-testid="inbox-item"][data-name="Ada"]').click();
  await agentPage.locator('[data-testid="contact-label-toggle"][data-label="Wholesale"]').click();
  await agentPage.locator('[data-testid="contact-label-toggle"][data-label="Wholesale"][data-on="true"]').waitFor();
  await agentPage.locator('[data-testid="inbox-item"][data-name="Ada"] [data-testid="label-chip"]', { hasText: 'Wholesale' }).waitFor();
  const wa = await admin('GET', `/businesses/${biz.wabaId}/contacts/${(await agentPage.locator('[data-testid="inbox-item"][data-name="Ada"]').getAttribute('data-wa-id'))}/labels`);
  assert.equal(wa.data.length, 1, 'the admin API sees the contact label');
  await shot(agentPage, 'console-contact-labels');

  await agentPage.getByTestId('nav-failed').click();
  const failed = agentPage.locator('[data-testid="failed-send"][data-code="131026"]');
  await failed.waitFor();
  assert.match(await failed.textContent(), /\+12025550143/);
  assert.match(await failed.textContent(), /Your invoice is ready/);
  assert.match(await failed.getByTestId('failed-reason').textContent(), /not a person on this server/);
  await shot(agentPage, 'console-failed-sends');
  await agentPage.getByTestId('nav-inbox').click();
});

test('a person follows a short link into the chat with the prefilled text', async () => {
  await agentPage.getByTestId('nav-qr').click();
  await agentPage.getByTestId('qr-text').fill('I want to book a repair');
  await agentPage.getByTestId('qr-create').click();
  const card = agentPage.getByTestId('qr-card').first();
  await card.waitFor();
  await card.locator('img').evaluate((img) => img.complete || new Promise((r) => { img.onload = r; }));
  await shot(agentPage, 'console-qr-codes');
  const link = (await card.getByTestId('qr-link').textContent()).trim();
  assert.match(link, /\/message\/[A-Z2-7]{14}$/);

  // Not signed in yet: the landing page explains the next step.
  const anon = await (await stack.newContext('phone')).newPage();
  await anon.goto(link);
  await anon.getByTestId('landing-name').filter({ hasText: 'Acme Support' }).waitFor();
  await shot(anon, 'short-link-landing');

  const bob = await stack.register('Bob', 'phone');
  await bob.page.goto(link);
  assert.equal((await bob.page.getByTestId('landing-text').textContent()).trim(), 'I want to book a repair');
  await bob.page.getByTestId('landing-open').click();
  const input = bob.page.getByTestId('composer-input');
  await input.waitFor();
  await bob.page.waitForFunction(() => document.querySelector('[data-testid="composer-input"]').value === 'I want to book a repair');
  await shot(bob.page, 'short-link-prefilled-chat');
  await input.press('Enter');
  await bubble(bob.page, 'I want to book a repair').waitFor();

  // The console counts one scan per landing view and one opened chat.
  await agentPage.reload();
  await agentPage.getByTestId('qr-stats').filter({ hasText: '2 scans · 1 chats opened' }).waitFor({ timeout: 10000 });
});

test('a business chat shows opening hours, ice-breakers and / commands', async () => {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  await admin('PUT', `/phone-numbers/${biz.phoneNumberId}/automations`, {
    time_zone: 'UTC',
    hours: days.map((day) => ({ day, open: '00:00', close: '23:59' })),
    conversational: { enable_welcome_message: true, prompts: ['Track my order', 'Talk to a person'],
      commands: [{ command_name: 'status', command_description: 'Order status' }] },
  });
  const cy = await stack.register('Cy', 'desktop');
  await startChat(cy.page, biz.phone);
  await cy.page.getByTestId('biz-prompt').first().waitFor();
  await cy.page.locator('.conv-status', { hasText: /Open (now|until)|Closed/ }).waitFor();
  await shot(cy.page, 'business-ice-breakers');
  const input = cy.page.getByTestId('composer-input');
  await input.pressSequentially('/st');
  await cy.page.getByTestId('biz-command').first().waitFor();
  await shot(cy.page, 'business-commands');
  await cy.page.getByTestId('biz-command').first().dispatchEvent('mousedown');
  await bubble(cy.page, '/status').waitFor();
  await cy.page.getByTestId('biz-prompt').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  assert.equal(await cy.page.getByTestId('biz-prompt').count(), 0, 'prompts only in an empty chat');

  // The business profile shows its hours with "open now".
  await cy.page.getByTestId('conv-info-button').click();
  await cy.page.getByTestId('business-details').waitFor();
  await cy.page.getByTestId('profile-open').filter({ hasText: /Open (now|until)|Closed/ }).waitFor();
  await shot(cy.page, 'business-profile-hours');
});
