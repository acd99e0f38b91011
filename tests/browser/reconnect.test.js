// Reconnect and multi-tab behaviour: a person goes offline (closes the page), three messages
// arrive meanwhile, and on reopening they show in order, each exactly once; two tabs of the
// same person stay in sync for sent messages and unread state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sendText, bubble, startChat, openChatNamed, shot } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

const texts = async (page) => (await page.getByTestId('message-text').allTextContents()).map((t) => t.trim());

test('offline person catches up on reopen, in order and without duplicates', async () => {
  const a = await stack.register('Amira', 'desktop');
  const b = await stack.register('Basil', 'desktop');

  await startChat(a.page, b.phone);
  await sendText(a.page, 'before offline');
  await openChatNamed(b.page, 'Amira');
  await bubble(b.page, 'before offline').waitFor();
  await bubble(a.page, 'before offline').locator('[data-testid="message-ticks"][data-status="read"]').waitFor();

  // B goes offline.
  await b.page.close();
  await sendText(a.page, 'missed one');
  await sendText(a.page, 'missed two');
  await sendText(a.page, 'missed three');
  const three = bubble(a.page, 'missed three');
  await three.locator('[data-testid="message-ticks"]:not([data-status="pending"])').waitFor();
  assert.equal(await three.getByTestId('message-ticks').getAttribute('data-status'), 'sent', 'nobody has it yet');

  // B reopens (same browser profile: token and event cursor survive) and catches up.
  const page = await b.ctx.newPage();
  await page.goto('/');
  const item = page.locator('[data-testid="chat-item"][data-name="Amira"]');
  await item.getByTestId('chat-item-unread').filter({ hasText: '3' }).waitFor();
  await three.locator('[data-testid="message-ticks"][data-status="delivered"]').waitFor();
  await item.click();
  await bubble(page, 'missed three').waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(await texts(page), ['before offline', 'missed one', 'missed two', 'missed three']);
  assert.equal(await page.locator('[data-testid="message"]').count(), 4);
  await three.locator('[data-testid="message-ticks"][data-status="read"]').waitFor();

  // A second tab of B: a message sent in one tab appears once, as B's own, in the other.
  const tab2 = await b.ctx.newPage();
  await tab2.goto('/');
  await openChatNamed(tab2, 'Amira');
  await sendText(page, 'sent from tab one');
  const mirrored = bubble(tab2, 'sent from tab one');
  await mirrored.waitFor();
  assert.equal(await mirrored.getAttribute('data-mine'), 'true');
  await page.waitForTimeout(300);
  assert.equal(await bubble(page, 'sent from tab one').count(), 1);
  assert.equal(await mirrored.count(), 1);

  // A new message read in one tab clears the unread badge in the other.
  await tab2.evaluate(() => { history.back(); });
  await tab2.getByTestId('conv-empty').waitFor();
  await sendText(a.page, 'read me once');
  const tab2Item = tab2.locator('[data-testid="chat-item"][data-name="Amira"]');
  await tab2Item.getByTestId('chat-item-preview').filter({ hasText: 'read me once' }).waitFor();
  await bubble(page, 'read me once').waitFor();
  await tab2Item.getByTestId('chat-item-unread').waitFor({ state: 'detached' });
  assert.deepEqual(await texts(page), ['before offline', 'missed one', 'missed two', 'missed three', 'sent from tab one', 'read me once']);
  await shot(page, 'reconnect-caught-up');
});
