// Two people register (desktop and phone), start a direct chat by phone number, exchange
// texts in real time, send an image, reply with a quote, and see ticks reach "read".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, shot, startChat, openChatNamed, sendText, bubble, makePng } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

test('two people chat in real time with an image and a quoted reply', async () => {
  const a = await stack.register('Ada Lovelace', 'desktop');
  const b = await stack.register('Bob Builder', 'phone');

  // A starts the chat by B's phone number.
  await startChat(a.page, b.phone);
  await assert.doesNotReject(a.page.getByTestId('conv-title').filter({ hasText: 'Bob Builder' }).waitFor());

  await sendText(a.page, 'Hi Bob! 👋');
  const first = bubble(a.page, 'Hi Bob!');
  await first.waitFor();
  assert.equal(await first.getAttribute('data-mine'), 'true');

  // B sees the chat appear in the list with an unread badge, in real time.
  const bItem = b.page.locator('[data-testid="chat-item"][data-name="Ada Lovelace"]');
  await bItem.waitFor();
  await assert.doesNotReject(bItem.getByTestId('chat-item-preview').filter({ hasText: 'Hi Bob!' }).waitFor());
  assert.equal((await bItem.getByTestId('chat-item-unread').textContent()).trim(), '1');
  await shot(b.page, 'chat-list-phone');

  // A's message is delivered to B's device (two grey ticks) before B opens the chat.
  await first.locator('[data-testid="message-ticks"][data-status="delivered"]').waitFor();

  await openChatNamed(b.page, 'Ada Lovelace');
  await bubble(b.page, 'Hi Bob!').waitFor();
  assert.equal(await bubble(b.page, 'Hi Bob!').getAttribute('data-mine'), 'false');
  // Opening the chat reads it: A's ticks turn blue, B's unread badge is gone.
  await first.locator('[data-testid="message-ticks"][data-status="read"]').waitFor();
  await b.page.getByTestId('back-button').click();
  await bItem.waitFor();
  assert.equal(await bItem.getByTestId('chat-item-unread').count(), 0);
  await openChatNamed(b.page, 'Ada Lovelace');

  // Typing indicator in A's header while B types.
  await b.page.getByTestId('composer-input').pressSequentially('Hel', { delay: 30 });
  await a.page.getByTestId('conv-status').filter({ hasText: 'typing' }).waitFor();
  await b.page.getByTestId('composer-input').fill('');

  // Exchange a few texts both ways; each appears exactly once and in order.
  await sendText(b.page, 'Hello Ada, how are you?');
  await sendText(a.page, 'Great, thanks!');
  await sendText(b.page, 'Shift+Enter makes\na new line');
  for (const p of [a.page, b.page]) {
    await bubble(p, 'Shift+Enter makes').waitFor();
    const texts = await p.getByTestId('message-text').allTextContents();
    assert.deepEqual(texts.map((t) => t.trim()), ['Hi Bob! 👋', 'Hello Ada, how are you?', 'Great, thanks!', 'Shift+Enter makes\na new line']);
  }
  // Online presence for the direct chat.
  await a.page.getByTestId('conv-status').filter({ hasText: /online|typing/ }).waitFor();
  await shot(a.page, 'conversation-desktop');
  await shot(b.page, 'conversation-phone');

  // A sends an image (generated PNG) with a caption.
  const pngPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-png-')), 'stripes.png');
  fs.writeFileSync(pngPath, makePng(320, 200));
  await a.page.getByTestId('attach-media-input').setInputFiles(pngPath);
  await a.page.getByTestId('media-caption').fill('Look at this');
  await a.page.getByTestId('media-send').click();
  const aImg = a.page.locator('[data-testid="message"][data-type="image"]');
  await aImg.locator('[data-testid="message-ticks"][data-status="read"]').waitFor();
  assert.equal(await aImg.count(), 1, 'image shown once for the sender');
  const bImg = b.page.locator('[data-testid="message"][data-type="image"] img[data-testid="message-image"]');
  await bImg.waitFor();
  await b.page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="message"][data-type="image"] img');
    return img && img.complete && img.naturalWidth === 320;
  });
  assert.match(await bImg.getAttribute('src'), /^blob:/);
  await shot(a.page, 'image-message');

  // B replies quoting A's first message (via the message menu).
  const target = bubble(b.page, 'Hi Bob!');
  await target.getByTestId('message-menu-button').click({ force: true });
  await b.page.getByTestId('reply-action').click();
  await b.page.getByTestId('reply-preview').filter({ hasText: 'Hi Bob!' }).waitFor();
  await sendText(b.page, 'Replying to your hello');
  await b.page.getByTestId('reply-preview').waitFor({ state: 'hidden' });
  const aReply = bubble(a.page, 'Replying to your hello');
  await aReply.waitFor();
  assert.match(await aReply.getByTestId('message-quote').textContent(), /Hi Bob!/);
  const bReply = bubble(b.page, 'Replying to your hello');
  await bReply.locator('[data-testid="message-ticks"][data-status="read"]').waitFor();
  assert.equal(await bReply.count(), 1, 'reply shown once for its sender');
  // Clicking the quote jumps to the original.
  await aReply.getByTestId('message-quote').click();
  await a.page.waitForFunction(() => document.querySelector('[data-testid="message"].flash') !== null);
  await shot(a.page, 'reply-desktop');
  await shot(b.page, 'reply-phone');

  // A reacts to B's reply; B sees it under the bubble.
  await aReply.getByTestId('react-button').click({ force: true });
  await a.page.getByTestId('reaction-choice').first().click();
  await bReply.locator('[data-testid="reaction"][data-emoji="👍"]').waitFor();

  // All of A's messages end up read.
  const aMine = a.page.locator('[data-testid="message"][data-mine="true"]');
  const n = await aMine.count();
  assert.equal(n, 3);
  for (let i = 0; i < n; i++) await aMine.nth(i).locator('[data-testid="message-ticks"][data-status="read"]').waitFor();

  // A's chat list shows B's name and latest message.
  const aItem = a.page.locator('[data-testid="chat-item"][data-name="Bob Builder"]');
  await aItem.getByTestId('chat-item-preview').filter({ hasText: 'Reacted' }).or(aItem.getByTestId('chat-item-preview').filter({ hasText: 'Replying' })).first().waitFor();
  await shot(a.page, 'chat-list-desktop');
});
