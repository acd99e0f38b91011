// The console's Activity page: a business admin sees the business's audit log (who changed
// what, when, from where), including their own change and the operator's; an agent without
// the admin role has no such page. Screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot } from './harness.js';
import { createBusiness } from './business.js';

let stack;
let biz;
before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Acme', number: '+16505559877', verifiedName: 'Acme Support' });
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

async function signIn(invite) {
  const page = await (await stack.newContext('desktop')).newPage();
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('console-me').waitFor();
  return page;
}

test('a business admin reads the activity of the business', async () => {
  await admin('POST', `/businesses/${biz.wabaId}/labels`, { name: 'VIP', color: '#f5a623' });
  const boss = await signIn(await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'boss@acme.example', name: 'Boss', role: 'admin' }));
  // A change made in the console, through its own API.
  const token = await boss.evaluate(() => localStorage.getItem('wasla.console.token'));
  const r = await fetch(`${stack.base}/console/v1/quick-replies`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'User-Agent': 'browser-test' },
    body: JSON.stringify({ shortcut: 'hours', body: 'We open at 9.' }),
  });
  assert.equal(r.status, 200);

  await boss.getByTestId('nav-audit').click();
  const mine = boss.locator('[data-testid="audit-row"][data-route="/console/v1/quick-replies"]');
  await mine.waitFor();
  assert.match(await mine.textContent(), /boss@acme\.example/);
  assert.match(await mine.textContent(), /POST \/console\/v1\/quick-replies/);
  assert.match(await mine.textContent(), /127\.0\.0\.1/);
  const op = boss.locator('[data-testid="audit-row"][data-actor="operator"][data-route="/admin/v1/businesses/{id}/labels"]');
  await op.waitFor();
  assert.match(await op.textContent(), /Operator/);
  await shot(boss, 'console-activity');

  const clerk = await signIn(await admin('POST', `/businesses/${biz.wabaId}/agents`, { email: 'clerk@acme.example', name: 'Clerk', role: 'agent' }));
  assert.equal(await clerk.getByTestId('nav-audit').count(), 0, 'agents have no activity page');
});
