// Sign-in alerts, for a business's admins: repeated failed sign-ins of its agents (whose
// account, how many failures in a day, the address the last came from, until when sign-in is
// held back), newest first; and the banner shown when one arrives on the live stream.
import { call, h } from './api.js';

const when = (ms) => new Date(ms).toLocaleString();

/** The sign-in alerts page. */
export function alertsView() {
  const list = h('div', { testid: 'alerts-list' });
  const err = h('p.error', { role: 'alert' });
  call('GET', '/sign-in-alerts').then(({ data }) => {
    list.replaceChildren(...data.map((a) => h('div.card.sign-in-alert', { testid: 'sign-in-alert', 'data-agent': a.agent_id },
      h('div.row', {}, h('strong', {}, a.email), h('span.grow'), h('small', {}, when(a.created_at))),
      h('div', {}, `${a.failures} failed sign-ins within a day; the last from ${a.address}.`),
      h('div.hold', {}, a.locked_until > Date.now() ? `Sign-in held back until ${when(a.locked_until)}.` : 'Sign-in is open again.'))));
    if (!data.length) list.replaceChildren(h('p.empty', {}, 'No repeated failed sign-ins.'));
  }).catch((e) => { err.textContent = e.message; });
  return h('div.page', { testid: 'alerts-page' }, h('h2', {}, 'Sign-in alerts'), err, list);
}

/** A dismissible banner for a `sign_in_alert` item of the live stream. */
export function alertBanner(item, name) {
  const banner = h('div.alert-banner', { role: 'alert', testid: 'sign-in-alert-banner' },
    `${item.failures} failed sign-ins for ${name}. `, h('a', { href: '#/alerts' }, 'Sign-in alerts'),
    h('button.btn.ghost', { onclick: () => banner.remove() }, 'Dismiss'));
  return banner;
}
