// Blocking and reporting a business from the web client: a person blocks a business from the
// chat header's menu, and the business's next Cloud API send is accepted and then fails with
// 131026 in its status webhook (nothing reaches the person); from the business profile panel
// the person reports it, turns its marketing messages off, and unblocks it, after which its
// messages arrive again. Screenshots of the menu, the panel and the report dialog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startStack, shot, startChat, sendText, bubble } from './harness.js';
import { createBusiness, eventually } from './business.js';

// The webhook receiver runs on this machine: let the server post to it.
process.env.WASLA_OUTBOUND__ALLOW_PRIVATE_TARGETS = 'true';

let stack;
let biz;
let hooks;
const received = [];

/** A webhook receiver: answers the handshake and keeps every POSTed body. */
function receiver() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET') {
        res.end(url.searchParams.get('hub.challenge') || '');
        return;
      }
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        try { received.push(JSON.parse(body)); } catch { /* ignored */ }
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, close: () => server.close() }));
  });
}

/** The status webhook of a wamid with `status`. */
function statusOf(wamid, status) {
  for (const p of received) {
    const s = p?.entry?.[0]?.changes?.[0]?.value?.statuses?.[0];
    if (s && s.id === wamid && s.status === status) return s;
  }
  return null;
}

before(async () => {
  hooks = await receiver();
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505550177', verifiedName: 'Acme Deals' });
  const r = await fetch(`${stack.base}/admin/v1/apps`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ waba_id: biz.wabaId, webhook_url: hooks.url, verify_token: 'verify-me' }),
  });
  assert.equal(r.status, 200, await r.text());
});
after(async () => {
  if (stack) await stack.stop();
  if (hooks) hooks.close();
});

test('a person blocks a business from the chat; its sends fail with 131026', async () => {
  const ada = await stack.register('Ada', 'desktop');
  const page = ada.page;
  await startChat(page, biz.phone);
  await sendText(page, 'Hello Acme');
  await bubble(page, 'Hello Acme').locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();
  await biz.send(ada.waId, 'text', { body: 'Welcome to Acme Deals!' });
  await bubble(page, 'Welcome to Acme Deals!').waitFor();

  // Block from the chat header's menu.
  await page.getByTestId('conv-more-button').click();
  await page.getByTestId('menu-block').waitFor();
  assert.equal((await page.getByTestId('menu-block').textContent()).trim(), 'Block');
  await page.getByTestId('menu-report').waitFor();
  await shot(page, 'block-business-menu');
  await page.getByTestId('menu-block').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('toast').filter({ hasText: 'blocked' }).first().waitFor();

  // The business's next send is accepted, then fails with 131026; Ada gets nothing.
  const wamid = await biz.send(ada.waId, 'text', { body: 'Are you still there?' });
  const failed = await eventually(() => statusOf(wamid, 'failed'), 'the failed status webhook');
  assert.equal(failed.errors[0].code, 131026);
  await page.waitForTimeout(500);
  assert.equal(await bubble(page, 'Are you still there?').count(), 0);
  await page.getByTestId('conv-more-button').click();
  await page.getByTestId('menu-block').filter({ hasText: 'Unblock' }).waitFor();
  await page.keyboard.press('Escape');
  await page.mouse.click(5, 5);

  // The business profile panel: report (keeping the block) and turn marketing off.
  await page.getByTestId('conv-info-button').click();
  const section = page.getByTestId('profile-block-report');
  await section.getByTestId('profile-block').filter({ hasText: 'Unblock Acme Deals' }).waitFor();
  const toggle = section.getByTestId('profile-marketing-toggle');
  assert.equal(await toggle.isChecked(), true);
  await shot(page, 'block-business-profile');
  await section.getByTestId('profile-report').click();
  await page.getByTestId('report-dialog').waitFor();
  await page.getByTestId('report-reason').selectOption('scam');
  await shot(page, 'block-business-report');
  await page.getByTestId('report-send').click();
  await section.getByTestId('profile-report').filter({ hasText: 'Report again' }).waitFor();
  await toggle.uncheck();
  await eventually(async () => !(await section.getByTestId('profile-marketing-toggle').isChecked()), 'the marketing toggle off');
  const rel = await page.evaluate(async (wa) => {
    const r = await fetch(`/client/v1/blocks/${wa}`, { headers: { Authorization: `Bearer ${localStorage.getItem('wasla.token')}` } });
    return r.json();
  }, biz.waId);
  assert.deepEqual([rel.blocked, rel.reported, rel.marketing_opt_out], [true, true, true]);

  // Unblocked from the panel, Acme's messages arrive again.
  await section.getByTestId('profile-block').click();
  await section.getByTestId('profile-block').filter({ hasText: 'Block Acme Deals' }).waitFor();
  const back = await biz.send(ada.waId, 'text', { body: 'Thanks for staying with us' });
  await bubble(page, 'Thanks for staying with us').waitFor();
  await eventually(() => statusOf(back, 'sent'), 'the sent status webhook');
  await shot(page, 'block-business-unblocked');
});
