// Apps and webhooks (admins only): each app's webhook URL and verify token, changed after the
// new URL answers the verification handshake; a new app's secret is shown once.
import { call, h, field, input, form, section, reason } from './form.js';

/** The apps page. */
export function appsView() {
  const list = h('div.st-stack', { testid: 'apps-list' });
  const url = field('Webhook URL', input({ type: 'url', placeholder: 'https://', testid: 'app-url' }), ['webhook_url']);
  const token = field('Verify token', input({ testid: 'app-token' }), ['verify_token', 'verify token', 'handshake']);
  const secret = h('div.st-invite', { hidden: true, testid: 'app-secret' });
  async function load() {
    const apps = (await call('GET', '/apps')).data;
    list.replaceChildren(...(apps.length ? apps.map((a) => {
      const u = field('Webhook URL', input({ type: 'url', value: a.webhook_url, testid: 'app-edit-url' }), ['webhook_url', 'callback', 'handshake']);
      const t = field('Verify token', input({ value: a.verify_token, testid: 'app-edit-token' }), ['verify_token']);
      return h('div.st-row-card', { testid: 'app-item' }, h('p.st-about', {}, `App ${a.id}`), form({
        testid: 'app-form', fields: [u, t],
        save: async () => { await call('PATCH', `/apps/${a.id}`, { webhook_url: u.input.value, verify_token: t.input.value }); },
      }));
    }) : [h('p.st-empty', {}, 'No apps yet. An app receives your messages and statuses as webhooks.')]));
  }
  const el = form({
    testid: 'new-app-form',
    fields: [url, token],
    submitLabel: 'Create app',
    save: async () => {
      const a = await call('POST', '/apps', { webhook_url: url.input.value, verify_token: token.input.value });
      secret.replaceChildren(h('p', {}, 'The app secret signs every webhook (X-Hub-Signature-256). It is shown only now:'),
        h('code', {}, a.app_secret));
      secret.hidden = false;
      url.input.value = '';
      await load();
    },
  });
  load().catch((e) => list.replaceChildren(h('p.st-error', {}, reason(e))));
  return h('div.st-stack', {}, section('Your apps', 'Wasla checks a new URL with the verification handshake before using it.', list),
    section('New app', null, el, secret));
}
