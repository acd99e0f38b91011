// Group calls in the web client through the server's SFU, with Chromium's fake camera and
// microphone: Ana starts a video call from a group's header; Ben, Cem and Dia see the ring and
// join, and each of the four decodes the other three's video (getStats: frames decoded grow
// for every other participant). Dia leaves and Eli joins mid-call: the room goes on and the
// new four again decode each other. Mute shows on the others' tiles. Screenshots: the ring,
// the grid on desktop and phone, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, freePort, openChatNamed } from './harness.js';

let stack;
before(async () => {
  // The SFU on a free port of its own, so test files running at once do not clash.
  process.env.WASLA_CALLS__SFU__UDP_LISTEN = `127.0.0.1:${await freePort()}`;
  stack = await startStack({
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
});
after(async () => { if (stack) await stack.stop(); });

/** Frames decoded of each other participant's video on a page. */
function frames(page) {
  return page.evaluate(() => document.querySelector('[data-testid="gcall-window"]').stats());
}

/** Wait until a page decodes video of `others` participants, each growing. */
async function decodesOthers(page, others, who) {
  let first = await frames(page);
  let last = first;
  for (let i = 0; i < 120; i++) {
    await page.waitForTimeout(250);
    last = await frames(page);
    const growing = Object.keys(last).filter((id) => last[id] > (first[id] || 0) && last[id] > 0);
    if (growing.length >= others) return last;
    if (i % 20 === 19) first = last;
  }
  console.error(stack.logs().split("\n").filter((l) => /sfu/.test(l)).slice(-80).join("\n"));
  assert.fail(`${who} does not decode ${others} videos: ${JSON.stringify(first)} -> ${JSON.stringify(last)}`);
}

async function tiles(page, n) {
  await page.locator('[data-testid="gcall-window"]:not([hidden])').waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gcall-tile"]').length === n, n, { timeout: 20000 });
}

async function joinFromRing(person) {
  const ring = person.page.getByTestId('gcall-ring');
  await ring.waitFor();
  assert.equal(await ring.getAttribute('data-media'), 'video');
  await ring.getByTestId('gcall-join').click();
}

test('a group video call: four decode each other, one leaves and another joins mid-call', async () => {
  const ana = await stack.register('Ana Host', 'desktop');
  const ben = await stack.register('Ben Two', 'desktop');
  const cem = await stack.register('Cem Three', 'desktop');
  const dia = await stack.register('Dia Four', 'phone');
  const eli = await stack.register('Eli Five', 'desktop');

  await ana.page.getByTestId('new-group-button').click();
  await ana.page.getByTestId('group-subject-input').fill('Standup');
  for (const p of [ben, cem, dia, eli]) {
    await ana.page.getByTestId('group-member-phone').fill(p.phone);
    await ana.page.getByTestId('group-member-add').click();
  }
  await ana.page.locator('[data-testid="group-member-chip"]').nth(3).waitFor();
  await ana.page.getByTestId('group-create').click();
  await ana.page.getByTestId('conv-title').filter({ hasText: 'Standup' }).waitFor();
  for (const p of [ben, cem, dia, eli]) await p.page.locator('[data-testid="chat-item"][data-name="Standup"]').waitFor();
  await openChatNamed(ben.page, 'Standup');

  // Ana starts a video call from the group's header; every other member rings.
  await ana.page.getByTestId('gcall-video-button').click();
  await tiles(ana.page, 1);
  for (const p of [ben, cem, dia, eli]) await p.page.getByTestId('gcall-ring').waitFor();
  await shot(ben.page, 'group-call-ring');
  for (const p of [ben, cem, dia]) await joinFromRing(p);
  // Eli declines for now: the ring goes away.
  await eli.page.getByTestId('gcall-decline').click();
  await eli.page.getByTestId('gcall-ring').waitFor({ state: 'detached' });

  const four = [ana, ben, cem, dia];
  for (const p of four) await tiles(p.page, 4);
  for (const p of four) await decodesOthers(p.page, 3, p.name);
  await shot(ana.page, 'group-call-grid');
  await shot(dia.page, 'group-call-grid-phone');

  // Ben mutes: the others see it on his tile.
  await ben.page.getByTestId('gcall-mute').click();
  await ana.page.locator('[data-testid="gcall-tile"][data-audio="false"]').waitFor();
  assert.equal(await ben.page.getByTestId('gcall-mute').getAttribute('aria-pressed'), 'true');

  // Dia leaves mid-call; the others go on with three tiles.
  await dia.page.getByTestId('gcall-leave').click();
  await dia.page.locator('[data-testid="gcall-window"][hidden]').waitFor({ state: 'attached' });
  for (const p of [ana, ben, cem]) await tiles(p.page, 3);

  // Eli joins mid-call from the group's header (the call is going on there).
  await openChatNamed(eli.page, 'Standup');
  await eli.page.getByTestId('gcall-video-button').click();
  const next = [ana, ben, cem, eli];
  for (const p of next) await tiles(p.page, 4);
  for (const p of next) await decodesOthers(p.page, 3, p.name);
  await eli.page.emulateMedia({ colorScheme: 'dark' });
  await shot(eli.page, 'group-call-grid-dark');

  // Everyone leaves; the last one ends the call.
  for (const p of next) await p.page.getByTestId('gcall-leave').click();
  for (const p of next) await p.page.locator('[data-testid="gcall-window"][hidden]').waitFor({ state: 'attached' });
});
