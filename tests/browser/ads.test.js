// Click-to-chat ads in Status, end to end: a business admin creates a campaign on the
// console's Ads page (creative with preview, texts, targeting, budget and bid typed in major
// units; a too-precise amount is refused next to its field and nothing is created), the
// operator approves it through the admin API (and rejects a second one, whose reason the list
// shows), the admin pauses and resumes it; a person whose contacts posted Status updates sees
// the Sponsored card between them on a phone, taps "Message us", sees the welcome message and
// writes; the business's webhook gets the message with Meta's `referral` object, the console's
// inbox says "Came from ad …", and the campaign's detail counts the impression, the tap and
// the chat, with the exact spend, its link, HTML snippet and QR code. A second person comes
// through the public link; a third reports the card from its menu, the operator reads the
// reason and the ad leaves that person's feed; the admin ends the campaign. Screenshots light and dark, desktop console and
// phone client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { startStack, shot, freePort, makePng, sendText, bubble } from './harness.js';
import { createBusiness, eventually } from './business.js';

// The business's webhook receiver listens on 127.0.0.1.
process.env.WASLA_OUTBOUND__ALLOW_PRIVATE_TARGETS = 'true';

const VERIFY = 'ads-verify';
const HEADLINE = 'Fresh Medjool dates';
const WELCOME = 'Welcome! Ask us anything about this week’s dates.';
let stack;
let biz;
let hooks;
let campaign;

/** The business's webhook endpoint: answers the handshake, keeps every signed POST body. */
async function webhookReceiver() {
  const received = [];
  let secret = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://receiver');
    if (req.method === 'GET') {
      const ok = url.searchParams.get('hub.verify_token') === VERIFY;
      res.writeHead(ok ? 200 : 403);
      res.end(ok ? url.searchParams.get('hub.challenge') : 'bad token');
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const want = `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
      try { received.push({ signed: !!secret && req.headers['x-hub-signature-256'] === want, body: JSON.parse(raw) }); } catch { /* not JSON */ }
      res.writeHead(200);
      res.end('ok');
    });
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    setSecret: (s) => { secret = s; },
    messages: () => received.flatMap((r) => (r.body.entry || []).flatMap((e) => (e.changes || [])
      .flatMap((c) => ((c.value && c.value.messages) || []).map((m) => ({ ...m, signed: r.signed }))))),
    close: () => new Promise((r) => server.close(r)),
  };
}

async function json(method, path, token, body) {
  const r = await fetch(`${stack.base}${path}`, {
    method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => null);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(data)}`);
  return data;
}
const admin = (method, path, body) => json(method, `/admin/v1${path}`, stack.operatorToken(), body);

/** A person registered through the client API (code flow); returns {token, waId, phone}. */
async function person(phone, name) {
  const r = await fetch(`${stack.base}/client/v1/auth/code`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone }) });
  const { phone: e164 } = await r.json();
  const code = await stack.codes.waitCode(e164.slice(1));
  const s = await json('POST', '/client/v1/auth/verify', null, { phone: e164, code, device: 'test' });
  await json('PATCH', '/client/v1/me', s.token, { display_name: name });
  return { token: s.token, waId: e164.slice(1), phone: e164, name };
}

/** Sign in as an admin agent of the business through an invite, on a desktop or a phone. */
async function consoleAdmin(email, kind = 'desktop') {
  const invite = await admin('POST', `/businesses/${biz.wabaId}/agents`, { email, name: 'Noor', role: 'admin' });
  const ctx = kind === 'phone'
    ? await stack.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, baseURL: stack.base })
    : await stack.browser.newContext({ viewport: { width: 1366, height: 800 }, baseURL: stack.base });
  ctx.setDefaultTimeout(15000);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.base });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('console-me').waitFor({ state: 'attached' });
  return page;
}

async function shots(page, name) {
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The client's session token of a browser page. */
const tokenOf = (page) => page.evaluate(() => localStorage.getItem('wasla.token'));

before(async () => {
  stack = await startStack();
  biz = await createBusiness(stack, { name: 'Dates', number: '+16505551466', verifiedName: 'Riyadh Dates' });
  hooks = await webhookReceiver();
  const app = await admin('POST', '/apps', { waba_id: biz.wabaId, webhook_url: hooks.url, verify_token: VERIFY });
  hooks.setSecret(app.app_secret);
});
after(async () => {
  if (stack) await stack.stop();
  if (hooks) await hooks.close();
});

test('an admin creates a campaign on the Ads page and the operator approves it', async () => {
  const page = await consoleAdmin('noor@dates.example');
  await page.getByTestId('nav-ads').click();
  await page.getByTestId('ads-empty').waitFor();
  await page.getByTestId('ad-new').click();
  await page.getByTestId('ad-form').waitFor();

  await page.getByTestId('ad-creative-input').setInputFiles({ name: 'dates.png', mimeType: 'image/png', buffer: makePng(360, 640) });
  await page.locator('[data-testid="ad-creative-preview"] img').waitFor();
  await page.getByTestId('ad-name').fill('December dates');
  await page.getByTestId('ad-headline').fill(HEADLINE);
  await page.getByTestId('ad-body').fill('Picked this week in Al-Qassim, delivered in two days.');
  await page.getByTestId('ad-welcome').fill(WELCOME);
  await page.getByTestId('ad-countries').fill('us, ca');
  // A budget finer than the currency's cents is refused next to its field; nothing is sent.
  await page.getByTestId('ad-budget').fill('20.005');
  await page.getByTestId('ad-bid').fill('1.50');
  await page.getByTestId('ad-submit').click();
  assert.match(await page.getByTestId('ad-budget-input-error').innerText(), /at most 2 decimals/);
  const none = await page.evaluate(async () => (await fetch('/console/v1/ads/campaigns', { headers: { Authorization: `Bearer ${localStorage.getItem('wasla.console.token')}` } })).json());
  assert.equal(none.data.length, 0);
  await page.getByTestId('ad-budget').fill('20');
  assert.match(await page.getByTestId('ad-spend-summary').innerText(), /13,333 impressions/);
  await shots(page, 'ads-console-form');
  await page.getByTestId('ad-submit').click();

  // The detail: pending review, amounts sent as integer minor units.
  const detail = page.getByTestId('ad-detail');
  await detail.waitFor();
  assert.equal(await detail.getAttribute('data-status'), 'pending_review');
  assert.equal(await page.getByTestId('ad-status').first().innerText(), 'Pending review');
  const id = await detail.getAttribute('data-id');
  const token = await page.evaluate(() => localStorage.getItem('wasla.console.token'));
  campaign = await json('GET', `/console/v1/ads/campaigns/${id}`, token);
  assert.equal(campaign.daily_budget, 2000);
  assert.equal(campaign.bid_cpm, 150);
  assert.deepEqual(campaign.countries, ['US', 'CA']);
  assert.equal(campaign.headline, HEADLINE);
  assert.equal(campaign.button_text, 'Message us');

  // The operator's review queue has it; approving it starts it.
  const queue = await admin('GET', '/ads/campaigns?status=pending_review');
  assert.ok((queue.data || queue).some((c) => c.id === id), 'the campaign waits for review');
  await admin('POST', `/ads/campaigns/${id}/approve`, {});
  // A second campaign (sent through the console API) is rejected with a reason.
  const form = new FormData();
  form.append('creative', new Blob([makePng(320, 320)], { type: 'image/png' }), 'promo.png');
  for (const [k, v] of Object.entries({ name: 'Clearance', headline: 'Everything must go', body: 'Half price this week.', daily_budget: '500', bid_cpm: '100' })) form.append(k, v);
  const made = await fetch(`${stack.base}/console/v1/ads/campaigns`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  const rejected = await made.json();
  assert.equal(made.status, 200, JSON.stringify(rejected));
  await admin('POST', `/ads/campaigns/${rejected.id}/reject`, { reason: 'The picture does not show what is sold.' });
  await page.getByTestId('ads-back').click();
  const card = page.locator(`[data-testid="ad-card"][data-id="${id}"]`);
  await card.waitFor();
  assert.equal(await card.getAttribute('data-status'), 'approved');
  assert.equal(await card.getByTestId('ad-status').innerText(), 'Running');
  const refused = page.locator(`[data-testid="ad-card"][data-id="${rejected.id}"]`);
  assert.equal(await refused.getByTestId('ad-status').innerText(), 'Rejected');
  assert.equal(await refused.getByTestId('ad-rejection').innerText(), 'Rejected: The picture does not show what is sold.');
  await shots(page, 'ads-console-list');

  // Pause and resume from the detail.
  await card.click();
  await page.getByTestId('ad-pause').click();
  await page.locator('[data-testid="ad-detail"][data-status="paused"]').waitFor();
  await page.getByTestId('ad-resume').click();
  await page.locator('[data-testid="ad-detail"][data-status="approved"]').waitFor();
  await page.context().close();
});

test('a person taps the Sponsored card between Status updates and writes to the business', async () => {
  assert.ok(campaign, 'the first test created the campaign');
  // Ada's four contacts posted updates (a direct chat makes them contacts); the feed has an ad
  // after every third contact's row, so it sits between the third and the fourth.
  const friends = [];
  for (const [i, name] of ['Bilal', 'Chen', 'Dina', 'Emre'].entries()) friends.push(await person(`+1 415 555 018${i + 1}`, name));
  const ada = await stack.register('Ada', 'phone');
  for (const p of friends) {
    await json('POST', '/client/v1/chats', p.token, { wa_id: ada.waId });
    await json('POST', '/client/v1/status', p.token, { type: 'text', text: { body: `${p.name}'s update`, background: '#1f6f5c', font: 'sans' } });
  }
  const { page } = ada;
  await page.reload();
  await page.getByTestId('tab-updates').click();
  const rows = page.getByTestId('status-row');
  await eventually(async () => (await rows.count()) === 4, 'four contacts with updates');
  // The list marks the ad's place between two contacts.
  const slot = page.getByTestId('status-ad-slot');
  await slot.waitFor({ state: 'attached' });
  assert.deepEqual(await slot.evaluate((el) => [el.previousElementSibling?.dataset.testid, el.nextElementSibling?.dataset.testid]), ['status-row', 'status-row']);
  await shots(page, 'ads-updates-list-phone');
  await rows.nth(2).click();
  await page.getByTestId('status-viewer').waitFor();

  // The viewer goes through the third contact's update, then shows the ad.
  const ad = page.getByTestId('status-ad');
  await eventually(async () => {
    if (await ad.isVisible()) return true;
    await page.keyboard.press('ArrowRight');
    return false;
  }, 'the Sponsored card', 20000);
  // Hold it (Space pauses the viewer) while it is looked at.
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('status-ad-sponsored').innerText(), 'Sponsored');
  assert.equal(await page.getByTestId('status-ad-headline').innerText(), HEADLINE);
  assert.match(await page.getByTestId('status-ad-business').innerText(), /Riyadh Dates/);
  await page.waitForFunction(() => document.querySelector('[data-testid="status-ad-media"]')?.naturalWidth > 0);
  await shots(page, 'ads-status-card-phone');

  // Its menu offers hide and report.
  await page.getByTestId('status-ad-more').click();
  await page.getByTestId('status-ad-report').waitFor();
  await page.getByTestId('status-ad-hide').waitFor();
  await page.getByTestId('status-ad-more').click();

  // "Message us": the chat with the business, its welcome, then the first message.
  await page.getByTestId('status-ad-button').click();
  await page.getByTestId('ad-welcome').waitFor();
  assert.equal(await page.getByTestId('ad-welcome-text').innerText(), WELCOME);
  assert.match(await page.getByTestId('conv-title').innerText(), /Riyadh Dates/);
  await shots(page, 'ads-welcome-phone');
  await sendText(page, 'Do you deliver to Dammam?');
  await bubble(page, 'Do you deliver to Dammam?').locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]').first().waitFor();

  const got = await eventually(() => hooks.messages().find((m) => m.text && m.text.body === 'Do you deliver to Dammam?'), 'the inbound webhook');
  assert.ok(got.signed, 'the webhook is signed');
  assert.equal(got.referral.source_type, 'ad');
  assert.equal(got.referral.source_id, campaign.id);
  assert.equal(got.referral.headline, HEADLINE);
  assert.equal(got.referral.media_type, 'image');
  assert.equal(got.referral.welcome_message?.text, WELCOME);
  await shots(page, 'ads-first-message-phone');

  // The console: the chat says where it came from; the campaign counts the tap and the chat.
  const con = await consoleAdmin('rana@dates.example');
  await con.locator(`[data-testid="inbox-item"][data-wa-id="${ada.waId}"]`).click();
  const marker = con.getByTestId('ad-origin');
  await marker.waitFor();
  assert.match(await marker.innerText(), new RegExp(`Came from ad ${HEADLINE}`));
  await shots(con, 'ads-console-inbox-marker');
  await marker.click();
  await con.getByTestId('ad-detail').waitFor();
  await eventually(async () => {
    await con.reload();
    await con.getByTestId('ad-totals').waitFor();
    return Number(await con.getByTestId('ad-total-chats').innerText()) === 1;
  }, 'one chat started');
  const shown = Number((await con.getByTestId('ad-total-impressions').innerText()).replace(/\D/g, ''));
  assert.ok(shown >= 1);
  // Each impression costs the bid over a thousand: 150 cents / 1,000 = 1,500 micros, shown
  // exactly (0.0015 USD for one), not rounded down to 0.00.
  const micros = String(shown * 1500).padStart(7, '0');
  assert.equal(await con.getByTestId('ad-total-spend').innerText(), `${micros.slice(0, -6)}.${micros.slice(-6).replace(/0+$/, '').padEnd(2, '0')} USD`);
  assert.ok(Number(await con.getByTestId('ad-total-taps').innerText()) >= 1);
  assert.equal(await con.getByTestId('ad-days-table').locator('tbody tr').count() >= 1, true);
  // The link, its snippet and the QR image.
  const link = await con.getByTestId('ad-link').innerText();
  assert.match(link, /\/ad\/[\w-]+$/);
  assert.match(await con.getByTestId('ad-snippet').inputValue(), /<a [^>]*href="[^"]*\/ad\//);
  await con.waitForFunction(() => document.querySelector('[data-testid="ad-qr"]')?.naturalWidth > 0);
  await con.getByTestId('ad-copy-link').click();
  assert.equal(await con.evaluate(() => navigator.clipboard.readText()), link);
  await con.getByTestId('ad-share').scrollIntoViewIfNeeded();
  await shots(con, 'ads-console-detail');
  // On a phone (drawn anew at that width).
  await con.setViewportSize({ width: 390, height: 844 });
  await con.reload();
  await con.getByTestId('ad-days').scrollIntoViewIfNeeded();
  await shots(con, 'ads-console-detail-phone');
  await con.context().close();
});

test('a person who opens the ad’s public link starts a chat with its referral', async () => {
  assert.ok(campaign, 'the first test created the campaign');
  const dana = await stack.register('Dana', 'phone');
  const { page } = dana;
  // The public page (its path: the link names the server's public address).
  await page.goto(new URL(campaign.link).pathname);
  await page.getByTestId('ad-page').waitFor();
  await shots(page, 'ads-public-page-phone');
  await page.getByTestId('ad-open').click();
  await page.getByTestId('ad-welcome').waitFor();
  assert.equal(await page.getByTestId('ad-welcome-text').innerText(), WELCOME);
  await sendText(page, 'Hello from your link');
  const got = await eventually(() => hooks.messages().find((m) => m.text && m.text.body === 'Hello from your link'), 'the inbound webhook');
  assert.equal(got.referral.source_id, campaign.id);
  assert.ok(got.referral.ctwa_clid, 'a link open has a click id');
  // Only the first message carries it.
  await sendText(page, 'And a second message');
  const second = await eventually(() => hooks.messages().find((m) => m.text && m.text.body === 'And a second message'), 'the second webhook');
  assert.equal(second.referral, undefined);
  assert.ok(await tokenOf(page));
});

test('a person reports the Sponsored card and it no longer shows', async () => {
  assert.ok(campaign, 'the first test created the campaign');
  const fay = await stack.register('Fay', 'phone');
  const friends = [];
  for (const [i, name] of ['Gus', 'Hana', 'Ivo', 'Jun'].entries()) friends.push(await person(`+1 415 555 019${i + 1}`, name));
  for (const p of friends) {
    await json('POST', '/client/v1/chats', p.token, { wa_id: fay.waId });
    await json('POST', '/client/v1/status', p.token, { type: 'text', text: { body: `${p.name} says hi`, background: '#6b3fa0', font: 'serif' } });
  }
  const { page } = fay;
  await page.reload();
  await page.getByTestId('tab-updates').click();
  await page.getByTestId('status-ad-slot').waitFor({ state: 'attached' });
  await page.getByTestId('status-row').nth(2).click();
  const ad = page.getByTestId('status-ad');
  await eventually(async () => {
    if (await ad.isVisible()) return true;
    await page.keyboard.press('ArrowRight');
    return false;
  }, 'the Sponsored card', 20000);
  await page.getByTestId('status-ad-more').click();
  await page.getByTestId('status-ad-report').click();
  await page.getByTestId('ad-report-dialog').waitFor();
  await page.getByTestId('ad-report-irrelevant').check();
  await shots(page, 'ads-report-dialog-phone');
  await page.getByTestId('ad-report-send').click();
  await page.getByTestId('toast').filter({ hasText: 'review' }).waitFor();
  // The viewer moved on to the next contact.
  await eventually(async () => !(await ad.isVisible()), 'the viewer to move on');

  // The operator reads the reason; a report also hides the ad from Fay's feed.
  const reports = await admin('GET', `/ads/campaigns/${campaign.id}/reports`);
  assert.ok((reports.data || reports).some((r) => r.reason === 'Not relevant to me'), JSON.stringify(reports));
  const feed = await json('GET', '/client/v1/status', await tokenOf(page));
  assert.deepEqual(feed.ads, []);

  // The admin ends the campaign (after confirming); it can no longer be paused or resumed.
  const con = await consoleAdmin('sami@dates.example');
  await con.goto(`/console/#/ads/${campaign.id}`);
  await con.getByTestId('ad-detail').waitFor();
  con.once('dialog', (d) => d.accept());
  await con.getByTestId('ad-end').click();
  await con.locator('[data-testid="ad-detail"][data-status="ended"]').waitFor();
  assert.equal(await con.getByTestId('ad-status').innerText(), 'Ended');
  assert.equal(await con.getByTestId('ad-pause').count() + await con.getByTestId('ad-resume').count() + await con.getByTestId('ad-end').count(), 0);
  await con.context().close();
});
