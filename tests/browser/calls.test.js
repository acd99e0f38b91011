// 1:1 calls in the web client, with Chromium's fake camera and microphone: Ada video-calls Bob
// from the chat header; Bob is signed in on a desktop and a phone and both ring; he answers on
// the desktop and the phone stops ringing; both sides receive audio and video (getStats: bytes
// received and frames decoded grow), Ada's mute shows on Bob's side, the window goes compact
// while Ada keeps chatting, and her hang-up ends it everywhere with "Video call, 0:0x" in the
// chat for both. A declined call, a missed one (with "Call back"), a voice call turned into a
// video call by renegotiation, and the Calls tab with its history and call-back. Screenshots:
// the incoming popup, the call with video, the compact window, the Calls tab (light and dark).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat, openChatNamed, sendText, bubble } from './harness.js';

let stack;
before(async () => {
  stack = await startStack({
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
});
after(async () => { if (stack) await stack.stop(); });

/** The call window's health figures on a page. */
function stats(page) {
  return page.evaluate(() => document.querySelector('[data-testid="call-window"]').stats());
}

/** Wait until media flows into a page: audio bytes and (with video) decoded frames grow. */
async function mediaFlows(page, video = true) {
  const first = await stats(page);
  let last = first;
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(250);
    last = await stats(page);
    if (last.audioBytes > first.audioBytes && (!video || (last.framesDecoded > first.framesDecoded && last.framesDecoded > 0))) return last;
  }
  assert.fail(`media did not flow: ${JSON.stringify(first)} -> ${JSON.stringify(last)}`);
}

async function callWindowState(page, state) {
  await page.locator(`[data-testid="call-window"][data-state="${state}"]`).waitFor();
}

/** The same person on a second browser context (a phone), signed in with the same session. */
async function secondDevice(person) {
  const saved = await person.page.evaluate(() => ({ ...localStorage }));
  const ctx = await stack.newContext('phone');
  await ctx.addInitScript((items) => {
    if (!sessionStorage.getItem('seeded')) {
      for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
      sessionStorage.setItem('seeded', '1');
    }
  }, saved);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[${person.name} phone] page error:`, e.message));
  await page.goto('/');
  await page.getByTestId('sidebar').waitFor();
  return { page, ctx };
}

test('calls between two people: ring everywhere, media both ways, hang-up, logs and the Calls tab', async () => {
  const ada = await stack.register('Ada Caller', 'desktop');
  const bob = await stack.register('Bob Callee', 'desktop');
  const bobPhone = await secondDevice(bob);

  await startChat(ada.page, bob.phone);
  await sendText(ada.page, 'Can I call you?');
  await openChatNamed(bob.page, 'Ada Caller');
  await bubble(bob.page, 'Can I call you?').waitFor();

  // A video call from the chat header rings on both of Bob's devices.
  await ada.page.getByTestId('call-video-button').click();
  await ada.page.getByTestId('call-status').filter({ hasText: /Calling|Ringing/ }).waitFor();
  for (const page of [bob.page, bobPhone.page]) {
    const popup = page.getByTestId('call-incoming');
    await popup.waitFor();
    assert.equal(await popup.getAttribute('data-media'), 'video');
    assert.match(await popup.innerText(), /Ada Caller[\s\S]*Incoming video call/);
  }
  await ada.page.getByTestId('call-status').filter({ hasText: 'Ringing' }).waitFor();
  await shot(bob.page, 'call-incoming');
  await shot(bobPhone.page, 'call-incoming-phone');

  // Bob answers on the desktop; the phone stops ringing.
  await bob.page.getByTestId('call-accept').click();
  await bobPhone.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
  await callWindowState(ada.page, 'active');
  await callWindowState(bob.page, 'active');
  assert.ok(await bobPhone.page.getByTestId('call-window').isHidden());

  // Audio and video flow both ways.
  await mediaFlows(ada.page);
  await mediaFlows(bob.page);
  await ada.page.getByTestId('call-remote-video').waitFor();
  await ada.page.getByTestId('call-timer').filter({ hasText: /^0:0\d$/ }).waitFor();
  await shot(ada.page, 'call-in-video');
  await shot(bob.page, 'call-in-video-callee');

  // Ada mutes: Bob sees it; she unmutes: it goes away.
  await ada.page.getByTestId('call-mute').click();
  assert.equal(await ada.page.getByTestId('call-mute').getAttribute('aria-pressed'), 'true');
  await bob.page.getByTestId('call-peer-muted').waitFor();
  await ada.page.getByTestId('call-mute').click();
  await bob.page.getByTestId('call-peer-muted').waitFor({ state: 'hidden' });

  // Microphones and cameras to switch between (Chromium's fake devices).
  await ada.page.getByTestId('call-devices').click();
  await ada.page.getByTestId('call-device-video').first().waitFor();
  await ada.page.getByTestId('call-device-video').first().click();
  await mediaFlows(bob.page);

  // Compact: the call stays while Ada keeps chatting.
  await ada.page.getByTestId('call-compact').click();
  await ada.page.locator('[data-testid="call-window"].compact').waitFor();
  await sendText(ada.page, 'Talking and typing');
  await bubble(bob.page, 'Talking and typing').waitFor();
  await mediaFlows(ada.page);
  await shot(ada.page, 'call-compact');
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await shot(ada.page, 'call-compact-dark');
  await ada.page.emulateMedia({ colorScheme: 'light' });

  // Ada hangs up: it ends on every device and both chats log it.
  await ada.page.getByTestId('call-hangup').click();
  await bob.page.getByTestId('call-window').waitFor({ state: 'hidden' });
  await ada.page.getByTestId('call-window').waitFor({ state: 'hidden' });
  for (const page of [ada.page, bob.page]) {
    const note = page.getByTestId('call-note').last();
    await note.filter({ hasText: /Video call, 0:\d\d/ }).waitFor();
  }

  // A declined voice call.
  await ada.page.getByTestId('call-voice-button').click();
  await bobPhone.page.getByTestId('call-incoming').waitFor();
  await bobPhone.page.getByTestId('call-decline').click();
  await bob.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
  await ada.page.getByTestId('call-status').filter({ hasText: 'Call declined' }).waitFor();
  for (const page of [ada.page, bob.page]) {
    await page.getByTestId('call-note').filter({ hasText: 'Declined voice call' }).waitFor();
  }

  // A missed call: Bob calls and gives up; Ada's chat offers to call back.
  await ada.page.getByTestId('call-window').waitFor({ state: 'hidden' });
  await bob.page.getByTestId('call-voice-button').click();
  await ada.page.getByTestId('call-incoming').waitFor();
  await bob.page.getByTestId('call-hangup').click();
  await ada.page.getByTestId('call-incoming').waitFor({ state: 'detached' });
  const missed = ada.page.getByTestId('call-note').filter({ hasText: 'Missed voice call' });
  await missed.waitFor();
  await missed.getByTestId('call-note-back').waitFor();

  // A voice call turns into a video call: Ada turns her camera on and Bob sees her.
  await bob.page.getByTestId('call-window').waitFor({ state: 'hidden' });
  await ada.page.getByTestId('call-voice-button').click();
  await bob.page.getByTestId('call-accept').click();
  await callWindowState(bob.page, 'active');
  await mediaFlows(bob.page, false);
  assert.equal((await stats(bob.page)).framesDecoded, 0);
  await ada.page.getByTestId('call-camera').click();
  await mediaFlows(bob.page, true);
  await bob.page.getByTestId('call-remote-video').waitFor();
  await bob.page.getByTestId('call-hangup').click();
  await ada.page.getByTestId('call-window').waitFor({ state: 'hidden' });
  await ada.page.getByTestId('call-note').filter({ hasText: /Video call, 0:\d\d/ }).nth(1).waitFor();

  // The Calls tab: history with directions and outcomes, and calling back from it.
  await ada.page.getByTestId('tab-calls').click();
  const rows = ada.page.getByTestId('call-row');
  await rows.nth(3).waitFor();
  const outcomes = await rows.evaluateAll((els) => els.map((e) => `${e.dataset.direction}:${e.dataset.outcome}:${e.dataset.media}`));
  assert.deepEqual(outcomes, ['outgoing:answered:video', 'incoming:missed:voice', 'outgoing:declined:voice', 'outgoing:answered:video']);
  assert.match(await rows.nth(1).innerText(), /Bob Callee[\s\S]*Missed/);
  await shot(ada.page, 'calls-tab');
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await shot(ada.page, 'calls-tab-dark');
  await ada.page.emulateMedia({ colorScheme: 'light' });
  await rows.nth(1).getByTestId('call-back-voice').click();
  await bob.page.getByTestId('call-incoming').waitFor();
  await bob.page.getByTestId('call-decline').click();
  await rows.nth(4).waitFor();
  // Bob's tab lists the same calls from his side.
  await bobPhone.page.getByTestId('tab-calls').click();
  await bobPhone.page.getByTestId('call-row').nth(4).waitFor();
  assert.equal(await bobPhone.page.getByTestId('call-row').nth(2).getAttribute('data-outcome'), 'unanswered');
  await shot(bobPhone.page, 'calls-tab-phone');
  await bobPhone.ctx.close();
});
