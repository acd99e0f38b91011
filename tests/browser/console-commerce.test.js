// Commerce through the console: an admin adds a product on the catalog page, sends it to a
// customer from the chat with the products picker, the customer receives it, is asked to pay
// and pays with the sandbox success card, and the admin sees the paid order with its
// transaction id and fee on the orders page. Screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat, sendText, bubble } from './harness.js';
import { createBusiness } from './business.js';

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505551388', verifiedName: 'Acme Outdoor' });
});
after(async () => { if (stack) await stack.stop(); });

test('a product added in the console is sent, ordered, paid and seen as a paid order', async () => {
  const r = await fetch(`${stack.base}/admin/v1/businesses/${biz.wabaId}/agents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'sam@acme.example', name: 'Sam', role: 'admin' }),
  });
  assert.equal(r.status, 200);
  const invite = await r.json();
  const ctx = await stack.newContext('desktop');
  const agent = await ctx.newPage();
  agent.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await agent.goto(`/console/#/invite/${invite.invite_token}`);
  await agent.getByTestId('console-password').fill('correct horse battery');
  await agent.getByTestId('console-sign-in').click();
  await agent.getByTestId('nav-catalog').click();
  await agent.getByTestId('product-retailer_id').fill('jacket');
  await agent.getByTestId('product-name').fill('Rain jacket');
  await agent.getByTestId('product-price_text').fill('49.99');
  await agent.getByTestId('product-image_url').fill(`${stack.base}/icon.svg`);
  await agent.getByTestId('product-save').click();
  await agent.locator('[data-testid="catalog-product"][data-retailer-id="jacket"]').waitFor();

  const ada = await stack.register('Ada', 'desktop');
  const page = ada.page;
  await startChat(page, biz.phone);
  await sendText(page, 'Do you have rain jackets?');
  await bubble(page, 'Do you have rain jackets?').waitFor();

  await agent.getByTestId('nav-inbox').click();
  const item = agent.locator('[data-testid="inbox-item"][data-name="Ada"]');
  await item.waitFor();
  await item.click();
  await agent.getByTestId('send-products').click();
  await agent.locator('[data-testid="picker-product"][data-retailer-id="jacket"] input').check();
  await shot(agent, 'console-products-picker');
  await agent.getByTestId('picker-send').click();
  await page.locator('[data-testid="message"]').getByTestId('open-shop').first().waitFor();
  await shot(page, 'console-product-received');
  // The whole catalog, as a catalog_message.
  await agent.getByTestId('send-products').click();
  await agent.getByTestId('picker-send-catalog').click();
  await page.locator('[data-testid="message"]').getByTestId('open-shop').nth(1).waitFor();

  // The business asks to pay (Cloud API); the person pays with the sandbox success card.
  const detailsId = await biz.send(ada.waId, 'interactive', {
    type: 'order_details', body: { text: 'Your rain jacket, ready to pay.' },
    action: { name: 'review_and_pay', parameters: {
      reference_id: 'console-1', type: 'physical-goods', payment_type: 'wasla', currency: 'EUR',
      total_amount: { value: 4999, offset: 100 },
      order: { status: 'pending', items: [{ retailer_id: 'jacket', name: 'Rain jacket', amount: { value: 4999, offset: 100 }, quantity: 1 }],
        subtotal: { value: 4999, offset: 100 } } } },
  });
  const details = page.locator(`[data-testid="message"][data-id="${detailsId}"]`);
  await details.getByTestId('review-and-pay').click();
  const pay = page.getByTestId('pay-dialog');
  await pay.getByTestId('card-number').fill('4242 4242 4242 4242');
  await pay.getByTestId('pay-button').click();
  await pay.locator('[data-testid="pay-status"][data-status="success"]').waitFor();
  await pay.getByTestId('modal-close').click();

  await agent.getByTestId('nav-orders').click();
  const order = agent.locator('[data-testid="order"][data-reference="console-1"][data-payment="paid"]');
  await order.waitFor();
  assert.match(await order.getByTestId('order-payment').textContent(), /^Paid · transaction \S+ · fee /);
  assert.match(await order.getByTestId('order-total').textContent(), /49\.99 EUR/);
  await order.getByTestId('order-shipped').click();
  await agent.locator('[data-testid="order"][data-reference="console-1"][data-status="shipped"]').waitFor();
  await shot(agent, 'console-orders');
});
