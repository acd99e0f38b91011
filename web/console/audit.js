// The activity page of the console (business admins only): the audit log of the business,
// newest first — when, who (an agent, the business's API token, or the operator), what
// (method, route and the ids it named, with its outcome) and from where (address and browser
// or client). "Older" pages back through it.
import { call, h } from './api.js';

const who = (a) => (a.kind === 'agent' ? a.email || `agent ${a.id}` : a.kind === 'operator' ? 'Operator' : 'API token');

/** The activity page. */
export function auditView() {
  const body = h('tbody', { testid: 'audit-rows' });
  const err = h('p.error', { role: 'alert', testid: 'audit-error' });
  const more = h('button.btn.ghost', { testid: 'audit-more', hidden: true }, 'Older');
  let before = null;
  async function load() {
    err.textContent = '';
    const q = new URLSearchParams({ limit: '50', ...(before ? { before } : {}) });
    try {
      const page = await call('GET', `/audit?${q}`);
      body.append(...page.data.map((e) => h('tr', { testid: 'audit-row', 'data-route': e.route, 'data-actor': e.actor.kind },
        h('td', {}, h('time', { datetime: new Date(e.at).toISOString() }, new Date(e.at).toLocaleString())),
        h('td', {}, who(e.actor)),
        h('td', {}, h('code', {}, `${e.method} ${e.route}`), e.target ? h('div.target', {}, e.target) : null,
          h(`span.outcome${e.status >= 400 ? '.bad' : ''}`, {}, String(e.status))),
        h('td', {}, e.client_address || '—', e.user_agent ? h('div.target', { title: e.user_agent }, e.user_agent) : null))));
      before = page.next_before || null;
      more.hidden = !before;
      if (!body.children.length) body.append(h('tr', {}, h('td.empty', { colspan: 4 }, 'Nothing recorded yet.')));
    } catch (e) { err.textContent = e.message; }
  }
  more.onclick = load;
  load();
  return h('div.page.audit', { testid: 'audit-page' },
    h('h2', {}, 'Activity'),
    h('p.hint', {}, 'Changes made by your agents, your API tokens and the operator.'),
    err,
    h('table.audit', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'From where'))),
      body),
    more);
}
