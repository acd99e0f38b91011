// Business messages: a person writes to a business number, the business answers through the
// Cloud API with reply buttons (image header), a list, a call-to-action link and a location
// request; the person taps, picks and shares in the UI and the server has the answers quoting
// the right messages. Templates are rendered from template-shaped messages put into the
// client's store (the server cannot send templates yet).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, shot, startChat, sendText, bubble, makePng } from './harness.js';
import { createBusiness, history, eventually } from './business.js';

let stack;
let biz;
let ada;
let chatId;
let photoId;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505551234', verifiedName: 'Acme Repairs' });
});
after(async () => { if (stack) await stack.stop(); });

const byType = (page, type) => page.locator(`[data-testid="message"][data-type="${type}"]`);

test('buttons, lists, links and location requests from a business', async () => {
  ada = await stack.register('Ada', 'desktop');
  const page = ada.page;

  // The person opens the chat by the business number and writes first (opens the 24 h window).
  await startChat(page, biz.phone);
  assert.equal((await page.getByTestId('conv-title').textContent()).trim(), 'Acme Repairs');
  await page.getByTestId('conv-title').getByTestId('verified-badge').waitFor();
  await sendText(page, 'Hi, my laptop screen is cracked');
  await bubble(page, 'Hi, my laptop screen is cracked').locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-biz-'));
  const png = path.join(dir, 'screen.png');
  fs.writeFileSync(png, makePng(320, 200));
  await page.getByTestId('attach-media-input').setInputFiles(png);
  await page.getByTestId('media-send').click();
  chatId = await page.locator('[data-testid="chat-item"][data-name="Acme Repairs"]').getAttribute('data-chat-id');
  const photo = await eventually(async () => (await history(stack, page, chatId)).find((m) => m.type === 'image' && m.seq), 'the photo');
  photoId = photo.image.id;

  // Reply buttons with the person's photo as the header.
  const buttonsId = await biz.send(ada.waId, 'interactive', {
    type: 'button',
    header: { type: 'image', image: { id: photoId } },
    body: { text: 'We can fix that. When can you bring it in?' },
    footer: { text: 'Acme Repairs · Mon–Sat 9–18' },
    action: { buttons: [
      { type: 'reply', reply: { id: 'today', title: 'Today' } },
      { type: 'reply', reply: { id: 'tomorrow', title: 'Tomorrow' } },
      { type: 'reply', reply: { id: 'later', title: 'Next week' } },
    ] },
  });
  const buttonsMsg = page.locator(`[data-testid="message"][data-id="${buttonsId}"]`);
  await buttonsMsg.waitFor();
  assert.deepEqual((await buttonsMsg.getByTestId('interactive-button').allTextContents()).map((t) => t.trim()), ['Today', 'Tomorrow', 'Next week']);
  assert.equal((await buttonsMsg.getByTestId('ia-footer').textContent()).trim(), 'Acme Repairs · Mon–Sat 9–18');
  await buttonsMsg.locator('.ia-media .media.loaded').waitFor();
  assert.equal(await buttonsMsg.getByRole('button', { name: 'Tomorrow' }).count(), 1);
  await shot(page, 'business-buttons');

  await buttonsMsg.locator('[data-testid="interactive-button"][data-id="tomorrow"]').click();
  const reply1 = byType(page, 'interactive').filter({ has: page.getByTestId('interactive-reply') }).last();
  await reply1.locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  assert.equal((await reply1.getByTestId('message-text').textContent()).trim(), 'Tomorrow');
  assert.match(await reply1.getByTestId('message-quote-text').textContent(), /When can you bring it in/);
  assert.equal(await reply1.getAttribute('data-mine'), 'true');

  // A list: the sheet shows sections and rows; picking one sends it.
  const listId = await biz.send(ada.waId, 'interactive', {
    type: 'list',
    header: { type: 'text', text: 'Repair menu' },
    body: { text: 'Which repair do you need?' },
    footer: { text: 'Prices include parts' },
    action: { button: 'Services', sections: [
      { title: 'Laptops', rows: [
        { id: 'screen', title: 'Screen', description: 'Replace a cracked screen (from $120)' },
        { id: 'battery', title: 'Battery', description: 'Same-day battery swap' },
      ] },
      { title: 'Phones', rows: [{ id: 'glass', title: 'Back glass' }] },
    ] },
  });
  const listMsg = page.locator(`[data-testid="message"][data-id="${listId}"]`);
  await listMsg.waitFor();
  assert.equal((await listMsg.getByTestId('ia-header').textContent()).trim(), 'Repair menu');
  assert.equal(await page.locator('[data-testid="chat-item"][data-name="Acme Repairs"] [data-testid="chat-item-preview"]').textContent(), 'Which repair do you need?');
  await listMsg.getByTestId('list-open').click();
  const sheet = page.getByTestId('list-sheet');
  await sheet.waitFor();
  assert.deepEqual((await sheet.locator('.list-section-title').allTextContents()), ['Laptops', 'Phones']);
  assert.equal(await sheet.getByTestId('list-row').count(), 3);
  assert.equal(await sheet.getByTestId('list-send').isDisabled(), true);
  await sheet.locator('[data-testid="list-row"][data-id="screen"]').click();
  await shot(page, 'business-list-sheet');
  await sheet.getByTestId('list-send').click();
  await sheet.waitFor({ state: 'detached' });
  const reply2 = page.locator('[data-testid="message"][data-mine="true"]', { has: page.getByTestId('interactive-reply') }).filter({ hasText: 'Screen' });
  await reply2.locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  assert.match(await reply2.textContent(), /Replace a cracked screen/);
  await eventually(async () => (await page.locator('[data-testid="chat-item"][data-name="Acme Repairs"] [data-testid="chat-item-preview"]').textContent()).includes('Screen'), 'list reply preview');

  // A call-to-action link opens in a new tab without an opener.
  const ctaId = await biz.send(ada.waId, 'interactive', {
    type: 'cta_url',
    body: { text: 'Your repair is booked. Follow it here.' },
    action: { name: 'cta_url', parameters: { display_text: 'Track repair', url: 'https://acme.example/track/42' } },
  });
  const link = page.locator(`[data-testid="message"][data-id="${ctaId}"] [data-testid="cta-link"]`);
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), 'https://acme.example/track/42');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal((await link.textContent()).trim(), 'Track repair');

  // A location request opens the location flow; the location quotes the request.
  const askId = await biz.send(ada.waId, 'interactive', {
    type: 'location_request_message',
    body: { text: 'Where should we pick it up?' },
    action: { name: 'send_location' },
  });
  const ask = page.locator(`[data-testid="message"][data-id="${askId}"]`);
  await ask.getByTestId('location-request').click();
  await page.getByTestId('location-dialog').waitFor();
  assert.match(await page.getByTestId('location-request-quote').textContent(), /Where should we pick it up/);
  await page.getByTestId('location-lat').fill('51.5072');
  await page.getByTestId('location-lon').fill('-0.1276');
  await page.getByTestId('location-name').fill('Home');
  await page.getByTestId('location-send').click();
  const loc = byType(page, 'location').last();
  await loc.locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  assert.match(await loc.getByTestId('message-quote-text').textContent(), /Where should we pick it up/);
  await shot(page, 'business-conversation');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'business-conversation-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The server has the answers, each quoting the message it answers.
  const msgs = await history(stack, page, chatId);
  const mine = msgs.filter((m) => m.from === ada.waId);
  const b = mine.find((m) => m.type === 'interactive' && m.interactive.type === 'button_reply');
  assert.equal(b.interactive.button_reply.id, 'tomorrow');
  assert.equal(b.interactive.button_reply.title, 'Tomorrow');
  assert.equal(b.context.message_id, buttonsId);
  const l = mine.find((m) => m.type === 'interactive' && m.interactive.type === 'list_reply');
  assert.equal(l.interactive.list_reply.id, 'screen');
  assert.equal(l.interactive.list_reply.title, 'Screen');
  assert.equal(l.context.message_id, listId);
  const g = mine.find((m) => m.type === 'location');
  assert.equal(g.location.latitude, 51.5072);
  assert.equal(g.location.longitude, -0.1276);
  assert.equal(g.context.message_id, askId);
  assert.equal(mine.filter((m) => m.type === 'interactive').length, 2, 'one answer per tap');

  // The same conversation on a phone.
  const phone = await stack.newContext('phone');
  const token = await page.evaluate(() => [localStorage.getItem('wasla.token'), localStorage.getItem('wasla.account')]);
  await phone.addInitScript(([t, acc]) => { localStorage.setItem('wasla.token', t); localStorage.setItem('wasla.account', acc); }, token);
  const p2 = await phone.newPage();
  await p2.goto(`/#/chat/${chatId}`);
  await p2.locator(`[data-testid="message"][data-id="${askId}"]`).waitFor();
  await p2.locator(`[data-testid="message"][data-id="${listId}"]`).scrollIntoViewIfNeeded();
  await shot(p2, 'business-phone');
  await p2.locator(`[data-testid="message"][data-id="${listId}"] [data-testid="list-open"]`).click();
  await p2.getByTestId('list-sheet').waitFor();
  await shot(p2, 'business-phone-list');
  await phone.close();
});

test('templates render as composed and their buttons act', async () => {
  const page = ada.page;
  await ada.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.base });
  // Watch what the page sends over its socket (reload so the listener sees the new socket).
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => { try { sent.push(JSON.parse(f.payload)); } catch { /* binary */ } }));
  await page.reload();
  await page.getByTestId('composer-input').waitFor();
  await page.locator('[data-testid="message"][data-type="location"]').waitFor();

  const base = { chat_id: chatId, from: biz.waId, timestamp: Date.now(), status: 'delivered', type: 'template' };
  const order = {
    ...base, id: 'wamid.test-template-1', seq: 1e6,
    template: { name: 'order_update', language: { code: 'en_US' }, components: [], rendered: {
      header: { type: 'text', text: 'Order update' },
      body: 'Hi Ada, your order 42 ships today.',
      footer: 'Reply STOP to opt out',
      buttons: [
        { type: 'quick_reply', text: 'Stop promotions', payload: 'STOP' },
        { type: 'url', text: 'Track', url: 'https://acme.example/track/42' },
        { type: 'phone_number', text: 'Call us', phone_number: '+16505551234' },
      ],
    } },
  };
  const promo = {
    ...base, id: 'wamid.test-template-2', seq: 1e6 + 1,
    template: { name: 'fall_sale', language: { code: 'en_US' }, components: [], rendered: {
      header: { type: 'image', image: { id: photoId } },
      body: 'Fall sale: 20% off every screen repair with code FALL25.',
      footer: 'Acme Repairs',
      buttons: [
        { type: 'quick_reply', text: 'Interested', payload: 'YES' },
        { type: 'url', text: 'Shop now', url: 'javascript:alert(1)' },
        { type: 'copy_code', text: 'Copy code', payload: 'FALL25' },
        { type: 'quick_reply', text: 'Not now', payload: 'NO' },
      ],
    } },
  };
  const pickup = {
    ...base, id: 'wamid.test-template-0', seq: 1e6 - 1,
    template: { name: 'pickup_point', language: { code: 'en_US' }, rendered: {
      header: { type: 'location' }, body: 'Your courier meets you at the main entrance.',
    } },
  };
  const previews = await page.evaluate(async ({ id, msgs }) => {
    const { store, preview } = await import('/store.js');
    const t = store.thread(id);
    for (const m of msgs) store.insertMessage(t, m);
    store.emit('messages', id, 'incoming');
    return msgs.map(preview).concat(preview({ type: 'button', button: { payload: 'STOP', text: 'Stop promotions' } }));
  }, { id: chatId, msgs: [pickup, order, promo] });
  assert.deepEqual(previews, ['Your courier meets you at the main entrance.', 'Hi Ada, your order 42 ships today.', 'Fall sale: 20% off every screen repair with code FALL25.', 'Stop promotions']);

  const t0 = page.locator('[data-testid="message"][data-id="wamid.test-template-0"]');
  await t0.locator('[data-testid="ia-header-media"][data-type="location"]').waitFor();
  assert.equal(await t0.locator('.ia-btn').count(), 0);
  await t0.scrollIntoViewIfNeeded();
  await shot(page, 'business-template-location');
  const t1 = page.locator('[data-testid="message"][data-id="wamid.test-template-1"]');
  await t1.waitFor();
  assert.equal((await t1.getByTestId('ia-header').textContent()).trim(), 'Order update');
  assert.equal((await t1.getByTestId('ia-body').textContent()).trim(), 'Hi Ada, your order 42 ships today.');
  assert.equal((await t1.getByTestId('ia-footer').textContent()).trim(), 'Reply STOP to opt out');
  const btns = t1.getByTestId('template-button');
  assert.deepEqual((await btns.allTextContents()).map((s) => s.trim()), ['Stop promotions', 'Track', 'Call us']);
  const track = t1.locator('[data-testid="template-button"][data-kind="url"]');
  assert.equal(await track.getAttribute('href'), 'https://acme.example/track/42');
  assert.equal(await track.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await t1.locator('[data-testid="template-button"][data-kind="phone_number"]').getAttribute('href'), 'tel:+16505551234');

  const t2 = page.locator('[data-testid="message"][data-id="wamid.test-template-2"]');
  await t2.locator('.ia-media .media.loaded').waitFor();
  assert.deepEqual((await t2.locator('.ia-btn').allTextContents()).map((s) => s.trim()), ['Interested', 'Shop now', 'See all options']);
  assert.equal(await t2.locator('[data-testid="template-button"][data-kind="url"]').evaluate((e) => e.tagName), 'BUTTON', 'a javascript: link is not a link');
  assert.equal(await t2.locator('[data-testid="template-button"][data-kind="url"]').isDisabled(), true);
  await t2.scrollIntoViewIfNeeded();
  await shot(page, 'business-templates');
  await t2.getByTestId('template-more').click();
  const opts = page.getByTestId('template-options');
  await opts.waitFor();
  assert.equal(await opts.getByTestId('template-button').count(), 4);
  await shot(page, 'business-template-options');
  await opts.locator('[data-testid="template-button"][data-kind="copy_code"]').click();
  await opts.waitFor({ state: 'detached' });
  await page.getByTestId('toast').filter({ hasText: 'Code copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'FALL25');

  // A quick-reply tap sends a button message quoting the template, and shows it at once.
  await t1.locator('[data-testid="template-button"][data-kind="quick_reply"]').click();
  const frame = await eventually(() => sent.find((f) => f.op === 'send' && f.type === 'button'), 'the button send frame');
  assert.deepEqual(frame.button, { payload: 'STOP', text: 'Stop promotions' });
  assert.deepEqual(frame.context, { message_id: 'wamid.test-template-1' });
  const tap = page.locator('[data-testid="message"][data-type="button"]');
  assert.equal((await tap.getByTestId('message-text').textContent()).trim(), 'Stop promotions');
  assert.match(await tap.getByTestId('message-quote-text').textContent(), /your order 42 ships today/);
});
