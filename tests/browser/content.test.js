// Richer content and history: document, location and contact cards, forwarding, reactions
// folded per sender, and backwards paging through a long history keeping the scroll position.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, shot, startChat, openChatNamed, sendText, bubble } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

test('documents, locations, contacts, forwards, reactions and history paging', async () => {
  const a = await stack.register('Hana', 'desktop');
  const b = await stack.register('Omar', 'desktop');
  const c = await stack.register('Lina', 'desktop');
  await startChat(a.page, b.phone);
  await sendText(a.page, 'files coming');
  await openChatNamed(b.page, 'Hana');

  // Document.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-doc-'));
  const doc = path.join(dir, 'notes.txt');
  fs.writeFileSync(doc, 'meeting notes\n'.repeat(100));
  await a.page.getByTestId('attach-document-input').setInputFiles(doc);
  await a.page.getByTestId('media-send').click();
  const bDoc = b.page.locator('[data-testid="message"][data-type="document"]');
  await bDoc.waitFor();
  assert.equal((await bDoc.getByTestId('document-name').textContent()).trim(), 'notes.txt');
  assert.match(await bDoc.textContent(), /1\.4 kB/);

  // Location typed in.
  await a.page.getByTestId('attach-button').click();
  await a.page.getByTestId('attach-location').click();
  await a.page.getByTestId('location-lat').fill('24.7136');
  await a.page.getByTestId('location-lon').fill('46.6753');
  await a.page.getByTestId('location-name').fill('Riyadh');
  await a.page.getByTestId('location-send').click();
  const bLoc = b.page.locator('[data-testid="message"][data-type="location"]');
  await bLoc.waitFor();
  assert.equal(await bLoc.getByTestId('location-coords').textContent(), '24.71360, 46.67530');
  assert.match(await bLoc.getByTestId('location-link').getAttribute('href'), /openstreetmap\.org\/\?mlat=24\.7136&mlon=46\.6753/);

  // Contact card.
  await a.page.getByTestId('attach-button').click();
  await a.page.getByTestId('attach-contact').click();
  await a.page.getByTestId('contact-name-input').fill('Lina');
  await a.page.getByTestId('contact-phone-input').fill(c.phone);
  await a.page.getByTestId('contact-send').click();
  const bContact = b.page.locator('[data-testid="message"][data-type="contacts"]');
  await bContact.waitFor();
  assert.equal(await bContact.getByTestId('contact-name').textContent(), 'Lina');
  await shot(b.page, 'content-cards');

  // Reactions: B reacts, changes its mind (latest wins), A reacts too: two emojis, one each.
  const target = bubble(b.page, 'files coming');
  await target.getByTestId('react-button').click({ force: true });
  await b.page.locator('[data-testid="reaction-choice"]').nth(1).click();
  await target.getByTestId('react-button').click({ force: true });
  await b.page.locator('[data-testid="reaction-choice"]').nth(2).click();
  const aTarget = bubble(a.page, 'files coming');
  await aTarget.locator('[data-testid="reaction"][data-emoji="😂"]').waitFor();
  await aTarget.getByTestId('react-button').click({ force: true });
  await a.page.locator('[data-testid="reaction-choice"]').nth(0).click();
  await target.locator('[data-testid="reaction"][data-emoji="👍"]').waitFor();
  assert.deepEqual(await target.locator('[data-testid="reaction"]').evaluateAll((els) => els.map((e) => e.dataset.emoji).sort()), ['👍', '😂'].sort());
  // Removing a reaction (choosing the same emoji again) takes it away.
  await target.getByTestId('react-button').click({ force: true });
  await b.page.locator('[data-testid="reaction-choice"]').nth(2).click();
  await aTarget.locator('[data-testid="reaction"][data-emoji="😂"]').waitFor({ state: 'detached' });

  // Forward the location from B to a new chat with Lina; Lina sees it marked forwarded.
  await startChat(b.page, c.phone);
  await openChatNamed(b.page, 'Hana');
  await bLoc.getByTestId('message-menu-button').click({ force: true });
  await b.page.getByTestId('forward-action').click();
  await b.page.locator('[data-testid="forward-target"][data-name="Lina"]').click();
  await b.page.getByTestId('forward-send').click();
  await openChatNamed(c.page, 'Omar');
  const fwd = c.page.locator('[data-testid="message"][data-type="location"]');
  await fwd.getByTestId('message-forwarded').waitFor();
  assert.equal(await fwd.getByTestId('location-coords').textContent(), '24.71360, 46.67530');

  // History paging: 120 messages sent over the API; the UI loads pages while scrolling up
  // and keeps the message being looked at in place.
  const token = await c.page.evaluate(() => localStorage.getItem('wasla.token'));
  const chatId = await c.page.locator('[data-testid="chat-item"][data-name="Omar"]').getAttribute('data-chat-id');
  // Lina sends a text over the client API, as from another of her devices.
  const sendElsewhere = async (clientId, body) => {
    const r = await fetch(`${stack.base}/client/v1/chats/${chatId}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, type: 'text', text: { body } }),
    });
    assert.equal(r.status, 200);
  };
  for (let i = 1; i <= 120; i++) await sendElsewhere(`hist-${i}`, `history ${i}`);
  const page = await c.ctx.newPage();
  await page.goto('/');
  await openChatNamed(page, 'Omar');
  await bubble(page, 'history 120').waitFor();
  const count0 = await page.getByTestId('message').count();
  assert.ok(count0 <= 60, `first page is limited (${count0})`);
  const list = page.getByTestId('message-list');
  for (let i = 0; i < 10 && !(await page.locator('[data-client-id="hist-1"]').count()); i++) {
    const [n, anchorId] = await page.evaluate(() => {
      const rows = document.querySelectorAll('[data-testid="message"]');
      return [rows.length, rows[0].dataset.id];
    });
    // Scroll to the top (again on every poll) until an older page has been rendered.
    await page.waitForFunction((n) => {
      if (document.querySelectorAll('[data-testid="message"]').length > n) return true;
      const l = document.querySelector('[data-testid="message-list"]');
      l.scrollTop = 0;
      l.dispatchEvent(new Event('scroll'));
      return false;
    }, n, { polling: 250 });
    // The previously first message is still near the top of the viewport, not pushed away.
    const top = await page.evaluate((id) => {
      const l = document.querySelector('[data-testid="message-list"]').getBoundingClientRect().top;
      return document.querySelector(`[data-id="${id}"]`).getBoundingClientRect().top - l;
    }, anchorId);
    assert.ok(top > -5 && top < 400, `scroll position kept (anchor at ${top}px)`);
  }
  await page.locator('[data-client-id="hist-1"]').waitFor({ state: 'attached' });
  const all = (await page.getByTestId('message-text').allTextContents()).map((t) => t.trim()).filter((t) => t.startsWith('history '));
  assert.deepEqual(all, Array.from({ length: 120 }, (_, i) => `history ${i + 1}`));

  // A message this account sends from another device appears without moving a reader who
  // scrolled up; the scroll-down button counts it. The reader stops in the middle of the
  // fully loaded history (it starts with the forwarded location), so no page load moves it.
  await page.locator('[data-testid="message"][data-type="location"]').waitFor({ state: 'attached' });
  await page.getByTestId('history-loader').waitFor({ state: 'hidden' });
  await page.evaluate(() => {
    const l = document.querySelector('[data-testid="message-list"]');
    l.scrollTop = l.scrollHeight / 2;
    l.dispatchEvent(new Event('scroll'));
  });
  const anchorTop = () => page.evaluate(() => {
    const l = document.querySelector('[data-testid="message-list"]');
    return document.querySelector('[data-client-id="hist-60"]').getBoundingClientRect().top - l.getBoundingClientRect().top;
  });
  const before = await anchorTop();
  await sendElsewhere('other-device', 'sent from my phone');
  await page.locator('[data-client-id="other-device"]').waitFor({ state: 'attached' });
  await page.locator('[data-testid="scroll-down"] .down-count', { hasText: '1' }).waitFor();
  assert.equal(await anchorTop(), before, 'the view did not move');
  await page.getByTestId('scroll-down').click();
  await bubble(page, 'sent from my phone').waitFor();
});
