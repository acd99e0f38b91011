// Commerce in the browser: a person opens a business's shop from the chat header, browses a
// collection, searches, opens product pages, asks about a product, fills a cart and sends it as
// an order; the business answers with order_details; the person reviews the order, is declined
// with one sandbox card and pays with another, and both confirmations show in the chat. The
// public catalog page renders for a visitor without a session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat, sendText, bubble } from './harness.js';
import { createBusiness, history, eventually } from './business.js';

let stack;
let biz;
let catalogId;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505551299', verifiedName: 'Acme Outdoor' });
  const c = await biz.api('POST', `/v23.0/${biz.wabaId}/product_catalogs`, { name: 'Acme' });
  assert.equal(c.status, 200, JSON.stringify(c.data));
  catalogId = c.data.id;
  const image = `${stack.base}/icon.svg`;
  for (const p of [
    { retailer_id: 'jacket', name: 'Rain jacket', description: 'Light and waterproof.', price: 4999, currency: 'EUR', image_url: image, collections: ['Outerwear'] },
    { retailer_id: 'socks', name: 'Wool socks', description: 'Warm merino socks.', price: 1250, sale_price: 999, currency: 'EUR', image_url: image, collections: ['Accessories'] },
    { retailer_id: 'cap', name: 'Sun cap', price: 1500, currency: 'EUR', collections: ['Accessories'] },
  ]) {
    const r = await biz.api('POST', `/v23.0/${catalogId}/products`, p);
    assert.equal(r.status, 200, JSON.stringify(r.data));
  }
});
after(async () => { if (stack) await stack.stop(); });

test('a person shops, orders and pays in the chat', async () => {
  const ada = await stack.register('Ada', 'desktop');
  const page = ada.page;
  await startChat(page, biz.phone);
  await sendText(page, 'Hello, do you ship to Lisbon?');
  await bubble(page, 'Hello, do you ship to Lisbon?').locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  const chatId = await page.locator('[data-testid="chat-item"][data-name="Acme Outdoor"]').getAttribute('data-chat-id');

  // The shop: in the chat header and in the business's profile; collections, search, product page.
  await page.getByTestId('shop-button').waitFor();
  await page.getByTestId('conv-info-button').click();
  await page.getByTestId('profile-shop').click();
  const shop = page.getByTestId('shop-dialog');
  await shop.getByTestId('product-card').first().waitFor();
  assert.equal(await shop.getByTestId('product-card').count(), 3);
  await shot(page, 'commerce-shop');
  await shop.getByTestId('collection-chip').filter({ hasText: 'Accessories' }).click();
  assert.equal(await shop.getByTestId('product-card').count(), 2);
  await shop.getByTestId('shop-search').fill('wool');
  assert.equal(await shop.getByTestId('product-card').count(), 1);
  await shop.getByTestId('product-card').click();
  assert.equal((await shop.getByTestId('product-name').textContent()).trim(), 'Wool socks');
  assert.match(await shop.getByTestId('product-price').textContent(), /9\.99 EUR/);
  await shop.getByTestId('add-to-cart').click();
  await shop.getByTestId('add-to-cart').click();
  await shop.getByTestId('shop-back').click();
  await shop.getByTestId('collection-chip').filter({ hasText: 'All' }).click();
  await shop.getByTestId('shop-search').fill('');
  await shop.locator('[data-testid="product-card"][data-id="jacket"]').click();
  await shot(page, 'commerce-product');
  await shop.getByTestId('add-to-cart').click();

  // The cart: quantities and total, then sent as an order.
  await shop.getByTestId('cart-button').click();
  assert.equal(await shop.getByTestId('cart-line').count(), 2);
  await shop.locator('[data-testid="cart-line"][data-id="jacket"]').getByTestId('qty-plus').click();
  await shop.locator('[data-testid="cart-line"][data-id="socks"]').getByTestId('qty-minus').click();
  assert.match(await shop.getByTestId('cart-total').textContent(), /109\.97 EUR/);
  await shop.getByTestId('order-note').fill('Before Friday please');
  await shot(page, 'commerce-cart');
  await shop.getByTestId('send-order').click();
  const orderMsg = page.locator('[data-testid="message"][data-type="order"]').last();
  await orderMsg.locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  assert.match(await orderMsg.getByTestId('order-message').textContent(), /3 items/);
  await orderMsg.locator('.order-name', { hasText: 'Rain jacket' }).waitFor();
  const order = await eventually(async () => (await history(stack, page, chatId)).find((m) => m.type === 'order' && m.seq), 'the order');
  assert.deepEqual(order.order.product_items.map((i) => [i.product_retailer_id, i.quantity, i.item_price_minor]), [['socks', 1, 999], ['jacket', 2, 4999]]);

  // Ask about a product from its page.
  await page.getByTestId('shop-button').click();
  await shop.locator('[data-testid="product-card"][data-id="cap"]').click();
  await shop.getByTestId('ask-about-product').click();
  await page.getByTestId('product-preview').getByTestId('referred-product').waitFor();
  await sendText(page, 'Hi, a question about Sun cap: is it washable?');
  await bubble(page, 'a question about Sun cap').locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  const asked = await eventually(async () => (await history(stack, page, chatId)).find((m) => m.context && m.context.referred_product), 'the question');
  assert.equal(asked.context.referred_product.product_retailer_id, 'cap');

  // The business sends a product message and the payment request.
  const productId = await biz.send(ada.waId, 'interactive', { type: 'product', body: { text: 'Also matching:' }, action: { catalog_id: catalogId, product_retailer_id: 'cap' } });
  await page.locator(`[data-testid="message"][data-id="${productId}"]`).getByTestId('open-shop').waitFor();
  const listId = await biz.send(ada.waId, 'interactive', {
    type: 'product_list', header: { type: 'text', text: 'Our picks' }, body: { text: 'Ready for the rain' },
    action: { catalog_id: catalogId, sections: [{ title: 'Rain gear', product_items: [{ product_retailer_id: 'jacket' }, { product_retailer_id: 'cap' }] }] },
  });
  const list = page.locator(`[data-testid="message"][data-id="${listId}"]`);
  await list.locator('[data-testid="bubble-product"][data-id="cap"]').waitFor();
  assert.equal(await list.getByTestId('bubble-product').count(), 2);
  assert.match(await list.locator('[data-testid="bubble-product"][data-id="jacket"]').textContent(), /49\.99 EUR/);
  await shot(page, 'commerce-product-list');
  await list.locator('[data-testid="bubble-product"][data-id="cap"]').getByTestId('bubble-add').click();
  await list.getByTestId('open-cart').click();
  await shop.getByTestId('cart-total').waitFor();
  assert.equal(await shop.getByTestId('cart-line').count(), 1);
  assert.match(await shop.getByTestId('cart-total').textContent(), /15\.00 EUR/);
  await shop.getByTestId('modal-close').click();
  const detailsId = await biz.send(ada.waId, 'interactive', {
    type: 'order_details', body: { text: 'Here is your order, ready to pay.' },
    action: { name: 'review_and_pay', parameters: {
      reference_id: 'web-1', type: 'physical-goods', payment_type: 'wasla', currency: 'EUR',
      total_amount: { value: 11497, offset: 100 },
      order: { status: 'pending', items: [
        { retailer_id: 'jacket', name: 'Rain jacket', amount: { value: 4999, offset: 100 }, quantity: 2 },
        { retailer_id: 'socks', name: 'Wool socks', amount: { value: 1250, offset: 100 }, sale_amount: { value: 999, offset: 100 }, quantity: 1 }],
      subtotal: { value: 10997, offset: 100 }, shipping: { value: 500, offset: 100 } } } },
  });
  const details = page.locator(`[data-testid="message"][data-id="${detailsId}"]`);
  await details.getByTestId('order-total').waitFor();
  assert.match(await details.getByTestId('order-total').textContent(), /114\.97 EUR/);
  await shot(page, 'commerce-order-details');

  // Declined, then paid.
  await details.getByTestId('review-and-pay').click();
  const pay = page.getByTestId('pay-dialog');
  await pay.getByTestId('card-number').fill('4000 0000 0000 0002');
  await pay.getByTestId('pay-button').click();
  await pay.locator('[data-testid="pay-status"][data-status="failed"]').waitFor();
  await pay.getByTestId('card-number').fill('4242 4242 4242 4242');
  await pay.getByTestId('pay-button').click();
  await pay.locator('[data-testid="pay-status"][data-status="success"]').waitFor();
  await shot(page, 'commerce-paid');
  await pay.getByTestId('modal-close').click();
  await page.getByTestId('system-message').filter({ hasText: 'Payment received: 114.97 EUR' }).waitFor();
  await shot(page, 'commerce-confirmation');
});

test('the public catalog page renders without a session', async () => {
  const ctx = await stack.newContext('desktop');
  const page = await ctx.newPage();
  const res = await page.goto(`/c/${biz.waId}`);
  assert.equal(res.status(), 200);
  assert.equal((await page.getByTestId('public-catalog-title').textContent()).trim(), 'Acme Outdoor');
  assert.equal(await page.getByTestId('public-product').count(), 3);
  assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), 'Acme Outdoor catalog');
  await page.waitForFunction(() => { const i = document.querySelector('[data-testid="catalog-qr"]'); return i && i.complete && i.naturalWidth > 0; });
  await shot(page, 'commerce-public-catalog');
  await page.getByTestId('public-product').first().click();
  assert.equal((await page.getByTestId('public-product-name').textContent()).trim(), 'Rain jacket');
  assert.match(await page.getByTestId('order-in-chat').getAttribute('href'), new RegExp(`/#/shop/${biz.waId}/jacket$`));
  await shot(page, 'commerce-public-product');
  await ctx.close();
});
