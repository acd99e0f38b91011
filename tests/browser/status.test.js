// Status in the web client: two people who chat post and watch each other's updates. Ada posts
// a photo with a caption from the Updates tab; Bob's tab lights up live, his ring is unseen, the
// viewer shows one progress bar per update, and his reply arrives in the direct chat quoting the
// update with its thumbnail on both sides; Ada sees him among her viewers. A text update with a
// chosen colour and font shows in that colour and font; deleting it takes it off Bob's screen at
// once. A business's admin posts from the console's Status page, a customer views the updates,
// and the console counts and lists the viewer. A video plays with a sound toggle; an update
// leaves the tab when it expires (the browser's clock moved on). Screenshots light and dark,
// desktop and phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, shot, startChat, openChatNamed, sendText, bubble, makePng } from './harness.js';
import { createBusiness } from './business.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

/** Open the Updates tab. */
async function updates(page) {
  await page.getByTestId('tab-updates').click();
  await page.getByTestId('updates-list').waitFor();
}

/** Post a photo or video Status with a caption through the UI. */
async function postMedia(page, file, caption) {
  await updates(page);
  await page.getByTestId('my-status-add').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('status-new-media').click();
  await (await chooser).setFiles(file);
  await page.getByTestId('status-media-composer').waitFor();
  await page.getByTestId('status-caption-input').fill(caption);
  await page.getByTestId('status-post').click();
  await page.getByTestId('status-media-composer').waitFor({ state: 'detached' });
}

test('a photo Status is viewed, replied to, and the reply quotes it in both chats', async () => {
  const ada = await stack.register('Ada Lovelace', 'desktop');
  const bob = await stack.register('Bob Builder', 'desktop');
  // A direct chat makes them each other's contacts.
  await startChat(ada.page, bob.phone);
  await sendText(ada.page, 'Hi Bob');
  await bob.page.locator('[data-testid="chat-item"][data-name="Ada Lovelace"]').waitFor();

  // The tab bar shows the registered tabs only (Chats and Updates here, in that order).
  const tabs = await ada.page.getByTestId('tab-bar').locator('[role="tab"]').evaluateAll((ts) => ts.map((t) => t.dataset.tab));
  assert.deepEqual(tabs.slice(0, 2), ['chats', 'updates']);

  const pic = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-status-')), 'view.png');
  fs.writeFileSync(pic, makePng(360, 640));
  await postMedia(ada.page, pic, 'Sunset over the harbour');
  await ada.page.locator('[data-testid="my-status"] [data-testid="status-ring"][data-total="1"]').waitFor();
  await shot(ada.page, 'status-my-status');

  // Bob: the Updates tab lights up live; his row's ring has one unseen segment.
  await bob.page.getByTestId('tab-badge-updates').waitFor();
  await updates(bob.page);
  const row = bob.page.locator(`[data-testid="status-row"][data-wa-id="${ada.waId}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-unseen'), '1');
  await shot(bob.page, 'status-updates-light');
  await bob.page.emulateMedia({ colorScheme: 'dark' });
  await shot(bob.page, 'status-updates-dark');
  await bob.page.emulateMedia({ colorScheme: 'light' });

  // The viewer: one progress bar, the photo and its caption; Space pauses it for the shot.
  await row.click();
  const viewer = bob.page.getByTestId('status-viewer');
  await viewer.waitFor();
  await bob.page.keyboard.press('Space');
  assert.equal(await viewer.getAttribute('data-paused'), 'true');
  assert.equal(await bob.page.getByTestId('status-progress').locator('.sv-bar').count(), 1);
  await bob.page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="status-image"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  assert.equal(await bob.page.getByTestId('status-caption').innerText(), 'Sunset over the harbour');
  assert.equal(await bob.page.getByTestId('status-author').innerText(), 'Ada Lovelace');
  await shot(bob.page, 'status-viewer-photo');

  // A quick reaction, then a reply from the viewer; Esc closes it and the ring turns seen.
  await bob.page.locator('[data-testid="status-react"]', { hasText: '😍' }).click();
  await bob.page.getByTestId('toast').filter({ hasText: 'Reacted 😍' }).waitFor();
  await bob.page.getByTestId('status-reply-input').fill('Lovely view!');
  await bob.page.getByTestId('status-reply-send').click();
  await bob.page.getByTestId('toast').filter({ hasText: 'Reply sent' }).waitFor();
  await bob.page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  await bob.page.locator(`[data-testid="status-row"][data-wa-id="${ada.waId}"][data-unseen="0"]`).waitFor();

  // The reply is in the direct chat of both, quoting the Status with its thumbnail.
  const quoted = async (page, who) => {
    await page.getByTestId('tab-chats').click();
    await openChatNamed(page, who);
    const msg = bubble(page, 'Lovely view!');
    await msg.waitFor();
    const quote = msg.getByTestId('message-status-quote');
    await quote.waitFor();
    assert.match(await quote.innerText(), /Status/);
    assert.match(await quote.innerText(), /Photo|Sunset/);
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="message-status-quote"] img');
      return img && img.complete && img.naturalWidth > 0;
    });
  };
  await quoted(bob.page, 'Ada Lovelace');
  await shot(bob.page, 'status-reply-bob');
  await quoted(ada.page, 'Bob Builder');
  await shot(ada.page, 'status-reply-ada');
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await shot(ada.page, 'status-reply-ada-dark');
  await ada.page.emulateMedia({ colorScheme: 'light' });
  assert.match(await bubble(ada.page, 'Lovely view!').getByTestId('message-status-quote').innerText(), /You · Status/);

  // Ada opens her own update: the viewers sheet lists Bob.
  await updates(ada.page);
  await ada.page.getByTestId('my-status-open').click();
  await ada.page.getByTestId('status-viewer').waitFor();
  await ada.page.keyboard.press('Space');
  await ada.page.getByTestId('status-viewers-open').click();
  await ada.page.locator(`[data-testid="status-viewer-row"][data-wa-id="${bob.waId}"]`).waitFor();
  assert.equal(await ada.page.getByTestId('status-viewer-reaction').innerText(), '😍');
  await shot(ada.page, 'status-viewers-sheet');
  await ada.page.keyboard.press('Escape');
  await ada.page.keyboard.press('Escape');
  await ada.page.getByTestId('status-viewer').waitFor({ state: 'detached' });

  // A text update with a chosen colour and font.
  await ada.page.getByTestId('my-status-add').click();
  await ada.page.getByTestId('status-new-text').click();
  await ada.page.getByTestId('status-text-composer').waitFor();
  await ada.page.getByTestId('status-text-input').fill('Back online at 9 ✨');
  await ada.page.locator('[data-testid="status-colour"][data-colour="#5b3fa4"]').click();
  await ada.page.locator('[data-testid="status-font"][data-font="serif"]').click();
  await shot(ada.page, 'status-text-composer');
  await ada.page.getByTestId('status-post').click();
  await ada.page.getByTestId('status-text-composer').waitFor({ state: 'detached' });

  // Bob's row gains an unseen second segment at once; the viewer opens on it.
  await bob.page.getByTestId('tab-updates').click();
  await bob.page.locator(`[data-testid="status-row"][data-wa-id="${ada.waId}"][data-unseen="1"] [data-testid="status-ring"][data-total="2"]`).waitFor();
  await bob.page.locator(`[data-testid="status-row"][data-wa-id="${ada.waId}"]`).click();
  await bob.page.getByTestId('status-viewer').waitFor();
  await bob.page.keyboard.press('Space');
  const text = bob.page.getByTestId('status-text');
  await text.waitFor();
  assert.equal(await text.getAttribute('data-font'), 'serif');
  assert.equal(await text.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(91, 63, 164)');
  assert.equal(await bob.page.getByTestId('status-progress').locator('.sv-bar').count(), 2);
  await shot(bob.page, 'status-viewer-text');

  // Left arrow goes back to the photo; a tap on the right of the update comes back to the text.
  await bob.page.keyboard.press('ArrowLeft');
  await bob.page.getByTestId('status-image').waitFor();
  const stage = bob.page.getByTestId('status-stage');
  const box = await stage.boundingBox();
  await stage.click({ position: { x: box.width * 0.85, y: box.height / 2 } });
  await text.waitFor();

  // Ada deletes the text update: it leaves Bob's viewer and ring at once.
  await updates(ada.page);
  await ada.page.getByTestId('my-status-open').click();
  await ada.page.getByTestId('status-viewer').waitFor();
  await ada.page.keyboard.press('Space');
  await ada.page.keyboard.press('ArrowRight');
  await ada.page.getByTestId('status-text').waitFor();
  await ada.page.getByTestId('status-viewer-menu').click();
  await ada.page.getByTestId('status-delete').click();
  await ada.page.getByTestId('confirm-ok').click();
  await ada.page.getByTestId('toast').filter({ hasText: 'deleted' }).waitFor();
  await bob.page.getByTestId('status-image').waitFor();
  assert.equal(await bob.page.getByTestId('status-progress').locator('.sv-bar').count(), 1);

  // Bob mutes Ada from the viewer's menu: her row moves into the collapsed "Muted updates".
  await bob.page.getByTestId('status-viewer-menu').click();
  await bob.page.getByTestId('status-mute').click();
  await bob.page.getByTestId('toast').filter({ hasText: 'muted' }).waitFor();
  await bob.page.keyboard.press('Escape');
  await bob.page.getByTestId('status-viewer').waitFor({ state: 'detached' });
  await bob.page.getByTestId('muted-updates').waitFor();
  assert.equal(await bob.page.getByTestId('recent-updates').count(), 0);
  await bob.page.getByTestId('muted-toggle').click();
  await bob.page.locator(`[data-testid="muted-updates"] [data-testid="status-row"][data-wa-id="${ada.waId}"] [data-testid="status-ring"][data-total="1"]`).waitFor();
  await shot(bob.page, 'status-muted');
  await bob.page.locator(`[data-testid="muted-updates"] [data-testid="status-row"][data-wa-id="${ada.waId}"]`).click();
  await bob.page.keyboard.press('Space');
  await bob.page.getByTestId('status-viewer-menu').click();
  await bob.page.getByTestId('status-unmute').click();
  await bob.page.getByTestId('toast').filter({ hasText: 'unmuted' }).waitFor();
  await bob.page.keyboard.press('Escape');
  await bob.page.locator(`[data-testid="recent-updates"] [data-testid="status-row"][data-wa-id="${ada.waId}"]`).waitFor();

  // Ada shares her next updates only with Bob, and edits her contacts: a number nobody uses
  // is refused, Bob (already a contact through the chat) can be put on and taken off her list.
  await ada.page.keyboard.press('Escape');
  await ada.page.getByTestId('status-viewer').waitFor({ state: 'detached' });
  await ada.page.getByTestId('status-menu').click();
  await ada.page.getByTestId('status-privacy').click();
  await ada.page.getByTestId('status-audience-dialog').waitFor();
  await ada.page.getByTestId('status-audience-only_share_with').click();
  await ada.page.locator(`[data-testid="status-audience-contact"][data-wa-id="${bob.waId}"] input`).check();
  await shot(ada.page, 'status-audience');
  await ada.page.getByTestId('status-audience-save').click();
  await ada.page.getByTestId('toast').filter({ hasText: 'Status privacy saved' }).waitFor();
  await ada.page.getByTestId('status-menu').click();
  await ada.page.getByTestId('status-contacts').click();
  await ada.page.getByTestId('contacts-dialog').waitFor();
  await ada.page.getByTestId('contact-add-phone').fill('+19995550100');
  await ada.page.getByTestId('contact-add').click();
  await ada.page.getByTestId('contact-add-error').filter({ hasText: 'Nobody uses Wasla' }).waitFor();
  await ada.page.getByTestId('contact-add-phone').fill(bob.phone);
  await ada.page.getByTestId('contact-add').click();
  const bobContact = ada.page.locator(`[data-testid="contact-row"][data-wa-id="${bob.waId}"]`);
  await bobContact.getByTestId('contact-remove').waitFor();
  await shot(ada.page, 'status-contacts');
  await bobContact.getByTestId('contact-remove').click();
  await bobContact.getByTestId('contact-remove').waitFor({ state: 'detached' });
  await ada.page.getByTestId('modal-close').click();

  // Bob's phone (a second device of his, phone-sized): the tab bar runs along the bottom, the
  // update is there and already seen, and the viewer fills the screen.
  const [token, account] = await bob.page.evaluate(() => [localStorage.getItem('wasla.token'), localStorage.getItem('wasla.account')]);
  const phoneCtx = await stack.newContext('phone');
  await phoneCtx.addInitScript(([t, a]) => { localStorage.setItem('wasla.token', t); localStorage.setItem('wasla.account', a); }, [token, account]);
  const phone = await phoneCtx.newPage();
  await phone.goto('/');
  await updates(phone);
  await phone.locator(`[data-testid="status-row"][data-wa-id="${ada.waId}"][data-unseen="0"]`).waitFor();
  const bar = await phone.getByTestId('tab-bar').boundingBox();
  assert.ok(bar.y > 700, `the tab bar sits at the bottom on a phone (y=${bar.y})`);
  await shot(phone, 'status-updates-phone');
  await phone.locator(`[data-testid="status-row"][data-wa-id="${ada.waId}"]`).click();
  await phone.getByTestId('status-viewer').waitFor();
  await phone.keyboard.press('Space');
  await phone.waitForFunction(() => document.querySelector('[data-testid="status-image"]')?.naturalWidth > 0);
  await shot(phone, 'status-viewer-phone');
  // Swiping down closes the viewer.
  const area = await phone.getByTestId('status-stage').boundingBox();
  await phone.mouse.move(area.x + area.width / 2, area.y + area.height / 3);
  await phone.mouse.down();
  await phone.mouse.move(area.x + area.width / 2, area.y + area.height / 3 + 160, { steps: 6 });
  await phone.mouse.up();
  await phone.getByTestId('status-viewer').waitFor({ state: 'detached' });

  await phoneCtx.close();
  await ada.ctx.close();
  await bob.ctx.close();
});

test('a business posts Status from the console and sees who viewed it', async () => {
  const biz = await createBusiness(stack, { name: 'Acme', number: '+16505551277', verifiedName: 'Acme Bakery' });
  // A customer with a chat with the business's number is in its audience.
  const cy = await stack.register('Cy Twombly', 'desktop');
  await startChat(cy.page, biz.phone);
  await sendText(cy.page, 'Hello Acme');

  const r = await fetch(`${stack.base}/admin/v1/businesses/${biz.wabaId}/agents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.operatorToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'owner@acme.example', name: 'Olive Owner', role: 'admin' }),
  });
  assert.equal(r.status, 200);
  const invite = await r.json();
  const ctx = await stack.newContext('desktop');
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('[console] page error:', e.message));
  page.on('dialog', (d) => d.accept());
  await page.goto(`/console/#/invite/${invite.invite_token}`);
  await page.getByTestId('console-password').fill('correct horse battery');
  await page.getByTestId('console-sign-in').click();
  await page.getByTestId('nav-status').click();
  await page.getByTestId('status-page').waitFor();
  await page.getByTestId('cs-empty').waitFor();

  // A text on colour with a font, then a photo with a caption.
  await page.getByTestId('cs-text').fill('Fresh bread from 7 am');
  await page.locator('[data-testid="cs-colour"][data-colour="#d35400"]').click();
  await page.getByTestId('cs-font').selectOption('bold');
  await shot(page, 'status-console-compose');
  await page.getByTestId('cs-post').click();
  await page.getByTestId('cs-update').first().waitFor();
  const pic = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-status-')), 'loaf.png');
  fs.writeFileSync(pic, makePng(300, 300));
  await page.getByTestId('cs-kind-media').click();
  await page.getByTestId('cs-file').setInputFiles(pic);
  await page.getByTestId('cs-caption').fill('Today\'s loaf');
  await page.getByTestId('cs-post').click();
  await page.locator('[data-testid="cs-update"]').nth(1).waitFor();
  assert.equal(await page.getByTestId('cs-update').count(), 2);
  assert.match(await page.getByTestId('cs-viewers-open').first().innerText(), /0 views/);

  // The customer sees both in the Updates tab and views them.
  await updates(cy.page);
  const row = cy.page.locator(`[data-testid="status-row"][data-wa-id="${biz.waId}"]`);
  await row.locator('[data-testid="status-ring"][data-total="2"]').waitFor();
  await row.click();
  await cy.page.getByTestId('status-viewer').waitFor();
  await cy.page.keyboard.press('Space');
  assert.match(await cy.page.getByTestId('status-author').innerText(), /Acme/);
  await cy.page.getByTestId('status-text').waitFor();
  await cy.page.keyboard.press('ArrowRight');
  await cy.page.getByTestId('status-image').waitFor();
  await cy.page.getByTestId('status-reply-input').fill('Two loaves please');
  await cy.page.getByTestId('status-reply-send').click();
  await cy.page.getByTestId('toast').filter({ hasText: 'Reply sent' }).waitFor();
  await cy.page.keyboard.press('Escape');
  await row.and(cy.page.locator('[data-unseen="0"]')).waitFor();

  // The reply reaches the inbox quoting the Status.
  await page.getByTestId('nav-inbox').click();
  await page.locator(`[data-testid="inbox-item"][data-wa-id="${cy.waId}"]`).click();
  const quote = page.getByTestId('cb-status-quote');
  await quote.waitFor();
  assert.match(await quote.innerText(), /Status · .*loaf/);
  await shot(page, 'status-console-reply');
  await page.getByTestId('nav-status').click();
  await page.getByTestId('status-page').waitFor();

  // The console counts one view on each and names the viewer.
  await page.getByTestId('cs-refresh').click();
  await page.getByTestId('cs-viewers-open').filter({ hasText: '1 view' }).nth(1).waitFor();
  await page.getByTestId('cs-viewers-open').first().click();
  await page.getByTestId('cs-viewer').filter({ hasText: 'Cy Twombly' }).waitFor();
  await shot(page, 'status-console-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'status-console-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Delete the photo: it leaves the console's list and the customer's feed.
  await page.getByTestId('cs-update').first().getByTestId('cs-delete').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cs-update"]').length === 1);
  await updates(cy.page);
  await row.locator('[data-testid="status-ring"][data-total="1"]').waitFor();

  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'status-console-phone');
  await ctx.close();
  await cy.ctx.close();
});


test('a video Status plays with a sound toggle and the viewer closes when it ends', async () => {
  const dee = await stack.register('Dee Dee', 'desktop');
  const eve = await stack.register('Eve Online', 'desktop');
  await startChat(dee.page, eve.phone);
  await sendText(dee.page, 'Hi Eve');
  await eve.page.locator('[data-testid="chat-item"][data-name="Dee Dee"]').waitFor();

  // A short WebM clip recorded from a canvas in the browser (no video file ships with the repo).
  const b64 = await dee.page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 180; c.height = 320;
    const g = c.getContext('2d');
    const rec = new MediaRecorder(c.captureStream(15), { mimeType: 'video/webm' });
    const parts = [];
    rec.ondataavailable = (e) => parts.push(e.data);
    const stopped = new Promise((r) => { rec.onstop = r; });
    rec.start();
    for (let f = 0; f < 14; f++) {
      g.fillStyle = `hsl(${f * 24}, 70%, 50%)`;
      g.fillRect(0, 0, 180, 320);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 40)));
    }
    rec.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(parts, { type: 'video/webm' }).arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  });
  const clip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-status-')), 'clip.webm');
  fs.writeFileSync(clip, Buffer.from(b64, 'base64'));
  await postMedia(dee.page, clip, 'A short clip');

  await updates(eve.page);
  const row = eve.page.locator(`[data-testid="status-row"][data-wa-id="${dee.waId}"][data-unseen="1"]`);
  await row.click();
  await eve.page.getByTestId('status-viewer').waitFor();
  const video = eve.page.getByTestId('status-video');
  await video.waitFor();
  await eve.page.waitForFunction(() => document.querySelector('[data-testid="status-video"]')?.readyState >= 2);
  const sound = eve.page.getByTestId('status-sound');
  const before = await sound.getAttribute('aria-pressed');
  await sound.click();
  assert.notEqual(await sound.getAttribute('aria-pressed'), before);
  assert.equal(await video.evaluate((v) => v.muted), before === 'true');
  await eve.page.keyboard.press('Space');
  assert.equal(await video.evaluate((v) => v.paused), true);
  assert.equal(await eve.page.getByTestId('status-caption').innerText(), 'A short clip');
  await shot(eve.page, 'status-viewer-video');
  // Playing on, the clip ends and the viewer closes after the last update.
  await eve.page.keyboard.press('Space');
  await eve.page.getByTestId('status-viewer').waitFor({ state: 'detached', timeout: 20000 });
  await eve.page.locator(`[data-testid="status-row"][data-wa-id="${dee.waId}"][data-unseen="0"]`).waitFor();
  await dee.ctx.close();
  await eve.ctx.close();
});

test('an update leaves the Updates tab when it expires, without a reload', async () => {
  const fay = await stack.register('Fay Wray', 'desktop');
  const gus = await stack.register('Gus Grissom', 'phone');
  await startChat(fay.page, gus.phone);
  await sendText(fay.page, 'Hi Gus');
  // Gus's browser clock is under the test's control from here on (timers set after this).
  await gus.page.clock.install();
  const token = await fay.page.evaluate(() => localStorage.getItem('wasla.token'));
  const r = await fetch(`${stack.base}/client/v1/status`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'text', text: { body: 'Here today', background: '#c0392b', font: 'mono' } }),
  });
  assert.equal(r.status, 200);
  await updates(gus.page);
  const row = gus.page.locator(`[data-testid="status-row"][data-wa-id="${fay.waId}"]`);
  await row.waitFor();
  await gus.page.clock.fastForward('24:00:01');
  await row.waitFor({ state: 'detached' });
  await gus.page.getByTestId('updates-empty').waitFor();
  await fay.ctx.close();
  await gus.ctx.close();
});
