// A group of three is created in the UI; messages reach every member with sender names;
// per-member receipts show in message info; an admin removes a member, who then stops
// receiving messages and can no longer write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, sendText, bubble, openChatNamed } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

test('group of three: create, message, receipts, remove a member', async () => {
  const a = await stack.register('Alice Admin', 'desktop');
  const b = await stack.register('Bruno Member', 'desktop');
  const c = await stack.register('Carla Member', 'phone');

  // Alice creates the group with Bruno and Carla by phone number, typing the second
  // number while the first one's lookup may still be running.
  await a.page.getByTestId('new-group-button').click();
  await a.page.getByTestId('group-subject-input').fill('Weekend trip');
  for (const p of [b.phone, c.phone]) {
    await a.page.getByTestId('group-member-phone').fill(p);
    await a.page.getByTestId('group-member-add').click();
  }
  await a.page.locator('[data-testid="group-member-chip"]').nth(1).waitFor();
  assert.equal(await a.page.getByTestId('group-member-chip').count(), 2);
  await a.page.getByTestId('group-create').click();
  await a.page.getByTestId('conv-title').filter({ hasText: 'Weekend trip' }).waitFor();
  await a.page.getByTestId('conv-status').filter({ hasText: 'Bruno Member' }).waitFor();

  // Everyone gets the group in their list.
  for (const p of [b.page, c.page]) {
    await p.locator('[data-testid="chat-item"][data-name="Weekend trip"]').waitFor();
  }

  await sendText(a.page, 'Who is bringing the tent?');
  await openChatNamed(b.page, 'Weekend trip');
  await openChatNamed(c.page, 'Weekend trip');
  for (const p of [b.page, c.page]) {
    const m = bubble(p, 'Who is bringing the tent?');
    await m.waitFor();
    assert.equal(await m.getByTestId('message-sender').textContent(), 'Alice Admin');
  }
  await sendText(b.page, 'I will!');
  await sendText(c.page, 'I bring snacks 🍪');
  for (const p of [a.page, b.page, c.page]) {
    await bubble(p, 'I bring snacks').waitFor();
    await bubble(p, 'I will!').waitFor();
    const texts = (await p.getByTestId('message-text').allTextContents()).map((t) => t.trim());
    assert.deepEqual(texts, ['Who is bringing the tent?', 'I will!', 'I bring snacks 🍪']);
  }
  assert.equal(await bubble(a.page, 'I will!').getByTestId('message-sender').textContent(), 'Bruno Member');
  assert.ok((await a.page.getByTestId('system-message').count()) >= 1, 'group creation is shown as a system message');

  // Both members read Alice's message: ticks go blue, and message info lists both readers.
  const first = bubble(a.page, 'Who is bringing the tent?');
  await first.locator('[data-testid="message-ticks"][data-status="read"]').waitFor();
  await first.getByTestId('message-menu-button').click({ force: true });
  await a.page.getByTestId('info-action').click();
  await a.page.locator('[data-testid="receipt-item"]').nth(1).waitFor();
  assert.equal(await a.page.getByTestId('receipt-item').count(), 2);
  assert.equal(await a.page.locator('[data-testid="receipt-item"][data-status="read"]').count(), 2);
  await shot(a.page, 'group-message-info');

  // Group info: three members, Alice is admin. She removes Carla.
  await a.page.getByTestId('conv-info-button').click();
  const members = a.page.getByTestId('member-item');
  await members.nth(2).waitFor();
  assert.equal(await members.count(), 3);
  assert.equal(await a.page.locator(`[data-testid="member-item"][data-wa-id="${a.waId}"]`).getAttribute('data-role'), 'admin');
  await shot(a.page, 'group-info');
  await a.page.locator(`[data-testid="member-item"][data-wa-id="${c.waId}"]`).getByTestId('member-actions').click();
  await a.page.getByTestId('member-remove').click();
  await a.page.getByTestId('confirm-ok').click();
  await a.page.locator(`[data-testid="member-item"][data-wa-id="${c.waId}"]`).waitFor({ state: 'detached' });
  assert.equal(await members.count(), 2);
  await a.page.getByTestId('panel-close').click();

  // Carla sees she was removed: no composer, the "no longer a member" note instead.
  await c.page.getByTestId('left-note').waitFor();
  assert.equal(await c.page.getByTestId('composer').isVisible(), false);
  await shot(c.page, 'group-removed-phone');

  // Messages after the removal reach Bruno but not Carla.
  await sendText(a.page, 'Carla is out of the trip');
  await bubble(b.page, 'Carla is out of the trip').waitFor();
  await b.page.getByTestId('conv-status').filter({ hasText: /^(?!.*Carla).*$/ }).waitFor();
  await c.page.waitForTimeout(1000);
  assert.equal(await bubble(c.page, 'Carla is out of the trip').count(), 0);
  await shot(b.page, 'group-conversation');
});
