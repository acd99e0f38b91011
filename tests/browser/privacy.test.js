// Privacy settings in the web client: a person hides their last seen and online from their
// profile panel, the choice survives a reload, and a contact's chat header stops showing them
// online until they share it again. Screenshots of the panel in light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, shot, startChat } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

/** Open my profile panel and wait for the privacy settings to load. */
async function openPrivacy(page) {
  await page.getByTestId('me-button').click();
  await page.getByTestId('privacy-settings').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="privacy-last-seen"]').disabled);
}

test('hiding last seen and online from the profile panel', async () => {
  const ada = await stack.register('Ada Lovelace', 'desktop');
  const bob = await stack.register('Bob Builder', 'desktop');

  await openPrivacy(ada.page);
  const lastSeen = ada.page.getByLabel('Last seen and online');
  assert.equal(await lastSeen.inputValue(), 'everyone');
  assert.equal(await ada.page.getByLabel('Profile photo').inputValue(), 'everyone');
  assert.equal(await ada.page.getByLabel('About').last().inputValue(), 'everyone');
  await lastSeen.selectOption('nobody');
  await ada.page.getByTestId('toast').filter({ hasText: 'Privacy updated' }).waitFor();
  await shot(ada.page, 'privacy-settings-light');
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await shot(ada.page, 'privacy-settings-dark');
  await ada.page.emulateMedia({ colorScheme: 'light' });

  // The choice is kept by the server.
  await ada.page.reload();
  await ada.page.getByTestId('sidebar').waitFor();
  await openPrivacy(ada.page);
  assert.equal(await ada.page.getByLabel('Last seen and online').inputValue(), 'nobody');

  // Bob opens a chat with Ada, who is online, and is not told so.
  await startChat(bob.page, ada.phone);
  await bob.page.waitForTimeout(1500);
  assert.doesNotMatch(await bob.page.getByTestId('conv-status').innerText(), /online|last seen/);

  // Ada shares it with her contacts again; Bob has a direct chat with her, so he sees it.
  await ada.page.getByLabel('Last seen and online').selectOption('contacts');
  await ada.page.getByTestId('toast').filter({ hasText: 'Privacy updated' }).last().waitFor();
  await bob.page.reload();
  await bob.page.locator('[data-testid="chat-item"][data-name="Ada Lovelace"]').click();
  await bob.page.getByTestId('conv-status').filter({ hasText: 'online' }).waitFor();
});
