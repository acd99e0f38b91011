// An agent handles a customer's order in the console: the customer sends a cart from the
// business's shop in the web client, the agent sees it rendered (products, quantities, prices,
// total, note), requests payment from it, the customer pays with the sandbox card, the
// payment request turns "Paid" in the console and the agent marks it shipped; a second cart
// waits on the Orders page and is acted on from there; scrolled up, the agent keeps their place
// as messages arrive. Then, with the 24-hour window closed, the composer offers the approved
// templates; once the customer writes (in Arabic, the bubble's time clear of its text) the
// agent sends emoji, a photo with a caption, a document and a payment request for picked
// products, and location and contact cards render. Screenshots at 1366×800 and 390×844,
// light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat, sendText, bubble, makePng } from './harness.js';
import { createBusiness, eventually } from './business.js';

let stack;
let biz;
let agent;
let token;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505551477', verifiedName: 'Acme Outdoor' });
});
after(async () => { if (stack) await stack.stop(); });

async function api(path, method = 'GET', body, auth = token, prefix = '/console/v1') {
  const r = await fetch(`${stack.base}${prefix}${path}`, {
    method,
    headers: { Authorization: `Bearer ${auth}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => null);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(data)}`);
  return data;
}

const box = () => agent.getByTestId('console-messages');
const atBottom = () => box().evaluate((b) => b.scrollHeight - b.scrollTop - b.clientHeight < 4);

async function shots(name) {
  await agent.setViewportSize({ width: 1366, height: 800 });
  await shot(agent, `${name}-1366-light`);
  await agent.emulateMedia({ colorScheme: 'dark' });
  await shot(agent, `${name}-1366-dark`);
  await agent.emulateMedia({ colorScheme: 'light' });
}

test('a cart is rendered, paid on request and shipped', async () => {
  const invite = await api(`/businesses/${biz.wabaId}/agents`, 'POST', { email: 'sam@acme.example', name: 'Sam', role: 'admin' }, stack.operatorToken(), '/admin/v1');
  const ctx = await stack.newContext('desktop');
  agent = await ctx.newPage();
  agent.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await agent.setViewportSize({ width: 1366, height: 800 });
  await agent.goto(`/console/#/invite/${invite.invite_token}`);
  await agent.getByTestId('console-password').fill('correct horse battery');
  await agent.getByTestId('console-sign-in').click();
  await agent.getByTestId('console-me').waitFor();
  token = await agent.evaluate(() => localStorage.getItem('wasla.console.token'));
  for (const [id, name, price] of [['jacket', 'Rain jacket', '49.99'], ['socks', 'Wool socks', '12.50']]) {
    await api('/catalog/products', 'POST', { retailer_id: id, name, price_text: price, currency: 'EUR', image_url: `${stack.base}/icon.svg` });
  }

  const ada = await stack.register('Ada', 'desktop');
  const page = ada.page;
  await startChat(page, biz.phone);
  for (let i = 1; i <= 14; i++) await sendText(page, `Question ${i}: do you have rain jackets in size ${36 + i}?`);
  await bubble(page, 'Question 14').waitFor();

  // The chat opens at its newest message.
  await agent.locator('[data-testid="inbox-item"][data-name="Ada"]').click();
  await agent.locator('[data-testid="console-message"]', { hasText: 'Question 14' }).waitFor();
  await eventually(atBottom, 'the chat to open at its newest message');

  // The customer orders from the shop: two jackets and socks, with a note.
  await page.getByTestId('shop-button').click();
  const shop = page.getByTestId('shop-dialog');
  await shop.locator('[data-testid="product-card"][data-id="jacket"]').click();
  await shop.getByTestId('add-to-cart').click();
  await shop.getByTestId('add-to-cart').click();
  await shop.getByTestId('shop-back').click();
  await shop.locator('[data-testid="product-card"][data-id="socks"]').click();
  await shop.getByTestId('add-to-cart').click();
  await shop.getByTestId('cart-button').click();
  await shop.getByTestId('order-note').fill('Before Friday please');
  await shop.getByTestId('send-order').click();
  await page.locator('[data-testid="message"][data-type="order"]').waitFor();

  // The agent sees the cart as the customer sent it, and the list follows to it.
  const cart = agent.getByTestId('cb-cart');
  await cart.locator('[data-testid="cb-cart-line"][data-retailer-id="jacket"]', { hasText: 'Rain jacket' }).waitFor();
  assert.match(await cart.locator('[data-testid="cb-cart-line"][data-retailer-id="jacket"]').textContent(), /2 × 49\.99 EUR.*99\.98 EUR/);
  assert.equal((await cart.getByTestId('cb-cart-total').textContent()).trim(), '112.48 EUR');
  await agent.locator('[data-testid="console-message"][data-type="order"]', { hasText: 'Before Friday please' }).waitFor();
  await eventually(atBottom, 'the list to stay at the newest message');
  await shots('agent-order-cart');

  // Scrolled up to read, the agent keeps their place when a message arrives.
  await box().evaluate((b) => { b.scrollTop = 0; });
  await eventually(() => box().evaluate((b) => b.dataset.stick === '0'), 'the list to notice the scroll');
  await sendText(page, 'Also, is the jacket waterproof?');
  await agent.locator('[data-testid="console-message"]', { hasText: 'is the jacket waterproof' }).waitFor();
  assert.equal(await box().evaluate((b) => b.scrollTop), 0, 'the list jumped while the agent read older messages');
  await box().evaluate((b) => { b.scrollTop = b.scrollHeight; });

  // Request payment from the cart: the panel adds up in minor units, the server agrees.
  await cart.getByTestId('cb-cart-request-payment').click();
  const panel = agent.getByTestId('payment-panel');
  await panel.locator('[data-testid="payment-line"][data-retailer-id="socks"]').waitFor();
  assert.equal((await panel.getByTestId('payment-total').textContent()).trim(), '112.48 EUR');
  await panel.getByTestId('payment-shipping').fill('4.5');
  assert.equal((await panel.getByTestId('payment-total').textContent()).trim(), '116.98 EUR');
  await panel.getByTestId('payment-shipping').fill('4.555');
  await panel.getByTestId('payment-send').click();
  await panel.getByTestId('payment-error').filter({ hasText: 'check the amounts' }).waitFor();
  await panel.getByTestId('payment-shipping').fill('4.50');
  await shots('agent-order-request');
  await panel.getByTestId('payment-send').click();
  const request = agent.locator('[data-testid="cb-payment-request"][data-payment="unpaid"]');
  await request.waitFor();
  assert.equal((await request.getByTestId('cb-total').textContent()).trim(), '116.98 EUR');
  assert.equal((await request.getByTestId('cb-payment-status').textContent()).trim(), 'Awaiting payment');

  // The customer pays in the web client; the console's bubble turns "Paid".
  const details = page.locator('[data-testid="message"][data-type="interactive"]').last();
  await details.getByTestId('review-and-pay').click();
  const pay = page.getByTestId('pay-dialog');
  await pay.getByTestId('card-number').fill('4242 4242 4242 4242');
  await pay.getByTestId('pay-button').click();
  await pay.locator('[data-testid="pay-status"][data-status="success"]').waitFor();
  await pay.getByTestId('modal-close').click();
  const paid = agent.locator('[data-testid="cb-payment-request"][data-payment="paid"]');
  await paid.waitFor();
  assert.equal((await paid.getByTestId('cb-payment-status').textContent()).trim(), 'Paid');
  await agent.locator('[data-testid="cb-system"]').last().waitFor();
  await shots('agent-order-paid');

  // The agent marks it shipped; the customer is told.
  await paid.getByTestId('cb-order-shipped').click();
  await agent.locator('[data-testid="cb-payment-request"][data-order-status="shipped"]').waitFor();
  await agent.getByTestId('cb-order-update').filter({ hasText: 'shipped' }).waitFor();
  await page.locator('[data-testid="message"]', { hasText: 'shipped' }).last().waitFor();

  // A question about a product, reply buttons and a product card render as the customer sees them.
  const personToken = await page.evaluate(() => localStorage.getItem('wasla.token'));
  const chatId = await page.locator('[data-testid="chat-item"][data-name="Acme Outdoor"]').getAttribute('data-chat-id');
  const catalogId = (await api('/catalog')).catalog.id;
  await api(`/chats/${chatId}/messages`, 'POST', { type: 'text', text: { body: 'Does it come in blue?' }, context: { referred_product: { catalog_id: catalogId, product_retailer_id: 'jacket' } } }, personToken, '/client/v1');
  await agent.locator('[data-testid="console-message"]', { hasText: 'Does it come in blue?' }).getByTestId('cb-referred-product').filter({ hasText: 'Rain jacket' }).waitFor();
  await biz.send(ada.waId, 'interactive', { type: 'button', body: { text: 'Which size?' }, action: { buttons: [{ type: 'reply', reply: { id: 'm', title: 'M' } }, { type: 'reply', reply: { id: 'l', title: 'L' } }] } });
  const sizes = agent.locator('[data-testid="console-message"]', { hasText: 'Which size?' });
  await sizes.getByTestId('cb-button').filter({ hasText: 'L' }).waitFor();
  assert.equal(await sizes.getByTestId('cb-button').count(), 2);
  await agent.getByTestId('send-products').click();
  await agent.locator('[data-testid="picker-product"][data-retailer-id="socks"] input').check();
  await agent.getByTestId('picker-send').click();
  await agent.locator('[data-testid="console-message"][data-type="interactive"]').getByTestId('cb-product').filter({ hasText: 'Wool socks' }).waitFor();
  await page.locator('[data-testid="message"]').getByTestId('open-shop').last().waitFor();
  await shots('agent-order-cards');

  // A second cart (sent through the client API) waits on the Orders page.
  await api(`/chats/${chatId}/messages`, 'POST', { type: 'order', order: { text: 'Socks too', product_items: [{ product_retailer_id: 'socks', quantity: 4 }] } }, personToken, '/client/v1');
  await agent.getByTestId('nav-orders').click();
  const waiting = agent.getByTestId('cart').first();
  await waiting.getByTestId('cart-total').filter({ hasText: '50.00 EUR' }).waitFor();
  assert.equal(await agent.getByTestId('cart').count(), 1, 'the paid cart is listed with the orders, not as waiting');
  await agent.locator('[data-testid="order"][data-status="shipped"][data-payment="paid"]').waitFor();
  await shots('agent-order-orders');
  await waiting.getByTestId('cart-request-payment').click();
  await agent.getByTestId('cart-status').filter({ hasText: 'Awaiting payment' }).waitFor();
  await waiting.getByTestId('cart-open-chat').click();
  await agent.locator('[data-testid="cb-payment-request"][data-payment="unpaid"]').waitFor();
  await eventually(atBottom, 'the chat opened from the Orders page to show its newest message');
});

test('templates when the window is closed, then media, cards and a payment request for picked products', async () => {
  const t = await biz.api('POST', `/v23.0/${biz.wabaId}/message_templates`, {
    name: 'order_ready', language: 'en_US', category: 'UTILITY', components: [
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready for pickup.', example: { body_text: [['Ada', '42']] } },
      { type: 'FOOTER', text: 'Acme Outdoor' }] });
  assert.equal(t.status, 200, JSON.stringify(t.data));
  await api(`/templates/${t.data.id}/review`, 'POST', { status: 'APPROVED' }, stack.operatorToken(), '/admin/v1');
  const bob = await stack.register('Bob', 'desktop');
  // The business wrote first; Bob never did, so the window is closed.
  await biz.send(bob.waId, 'template', { name: 'order_ready', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Bob' }, { type: 'text', text: '7' }] }] });

  await agent.getByTestId('nav-inbox').click();
  await agent.locator('[data-testid="inbox-item"][data-name="Bob"]').click();
  await agent.getByTestId('cb-template').first().waitFor();
  const closed = agent.getByTestId('window-closed');
  await closed.waitFor();
  assert.equal(await agent.getByTestId('console-composer').isDisabled(), true);
  await closed.getByTestId('window-templates').click();
  await agent.locator('[data-testid="template-item"][data-name="order_ready"]').click();
  const params = agent.getByTestId('template-param');
  await params.nth(0).fill('Bob');
  await agent.getByTestId('template-send').click();
  await agent.getByTestId('template-error').filter({ hasText: /parameter/ }).waitFor();
  await params.nth(1).fill('43');
  assert.match(await agent.getByTestId('template-preview').textContent(), /Hi Bob, your order 43 is ready for pickup\./);
  await shots('agent-template-closed-window');
  await agent.getByTestId('template-send').click();
  await agent.getByTestId('cb-template').filter({ hasText: 'order 43' }).waitFor();
  await bob.page.locator('[data-testid="chat-item"][data-name="Acme Outdoor"]').click();
  await bob.page.locator('[data-testid="message"]', { hasText: 'your order 43 is ready' }).waitFor();

  // Bob writes in Arabic: the window opens, and the bubble's time never covers its words.
  const arabic = 'مرحبا، هل يمكنني استلام الطلب غدا؟ شكرا جزيلا لكم على المساعدة السريعة';
  await sendText(bob.page, arabic);
  const bubbleAr = agent.locator('[data-testid="console-message"]', { hasText: 'مرحبا' });
  await bubbleAr.waitFor();
  await closed.waitFor({ state: 'hidden' });
  const overlap = await bubbleAr.evaluate((row) => {
    const text = row.querySelector('[data-testid="console-message-text"]');
    const meta = row.querySelector('[data-testid="cb-meta"]').getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(text);
    return [...range.getClientRects()].some((r) => r.left < meta.right && meta.left < r.right && r.top < meta.bottom && meta.top < r.bottom);
  });
  assert.equal(overlap, false, 'the time overlaps the text of an Arabic bubble');

  // A location and a contact card from the business render as cards.
  await biz.send(bob.waId, 'location', { latitude: 38.7223, longitude: -9.1393, name: 'Acme store', address: 'Rua Augusta 1, Lisboa' });
  await biz.send(bob.waId, 'contacts', [{ name: { formatted_name: 'Acme Support', first_name: 'Acme' }, phones: [{ phone: '+16505551477', type: 'WORK' }] }]);
  await agent.getByTestId('cb-location').filter({ hasText: 'Acme store' }).waitFor();
  await agent.getByTestId('cb-contact').filter({ hasText: 'Acme Support' }).waitFor();

  // Emoji go in at the cursor.
  await agent.getByTestId('emoji-button').click();
  await agent.getByTestId('emoji').first().click();
  assert.equal(await agent.getByTestId('console-composer').inputValue(), '😀');

  // A photo with a caption.
  await agent.getByTestId('attach-input').setInputFiles({ name: 'jacket.png', mimeType: 'image/png', buffer: makePng(320, 200) });
  await agent.getByTestId('attach-preview').waitFor();
  await agent.getByTestId('console-composer').fill('Your jacket, ready to go');
  await shots('agent-attach');
  await agent.getByTestId('console-composer').press('Enter');
  const photo = agent.locator('[data-testid="console-message"][data-type="image"]', { hasText: 'Your jacket, ready to go' });
  await photo.getByTestId('console-image').waitFor();
  await eventually(() => photo.getByTestId('console-image').evaluate((img) => img.complete && img.naturalWidth === 320), 'the photo to load');
  await eventually(atBottom, 'the list to stay at the newest message');
  await bob.page.locator('[data-testid="message"][data-type="image"]', { hasText: 'Your jacket, ready to go' }).waitFor();
  await shots('agent-photo');

  // A document, and a payment request for picked products.
  await agent.getByTestId('attach-input').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
  await agent.getByTestId('console-send').click();
  await agent.getByTestId('console-document').filter({ hasText: 'invoice.pdf' }).waitFor();
  await bob.page.locator('[data-testid="message"][data-type="document"]').waitFor();
  await agent.getByTestId('request-payment').click();
  const panel = agent.getByTestId('payment-panel');
  await panel.locator('[data-testid="payment-line"][data-retailer-id="socks"] input').fill('2');
  assert.equal((await panel.getByTestId('payment-total').textContent()).trim(), '25.00 EUR');
  await panel.getByTestId('payment-send').click();
  const picked = agent.locator('[data-testid="cb-payment-request"][data-payment="unpaid"]');
  await picked.getByTestId('cb-total').filter({ hasText: '25.00 EUR' }).waitFor();
  await bob.page.locator('[data-testid="message"][data-type="interactive"]').getByTestId('review-and-pay').waitFor();

  // The same chat on a phone-sized screen.
  const phone = await stack.newContext('phone');
  await phone.addInitScript((tk) => localStorage.setItem('wasla.console.token', tk), token);
  const small = await phone.newPage();
  await small.goto('/console/');
  await small.locator('[data-testid="inbox-item"][data-name="Bob"]').click();
  await small.locator('[data-testid="console-message"][data-type="image"]').waitFor({ state: 'attached' });
  await shot(small, 'agent-photo-390-light');
  await small.emulateMedia({ colorScheme: 'dark' });
  await shot(small, 'agent-photo-390-dark');
});
