// The team: the business's agents with their role and status; admins invite (the link is
// shown once, to send to the new agent), change roles and deactivate.
import { call, h, field, input, select, form, section, isAdmin, reason } from './form.js';
import { state, refreshAgents } from '../state.js';

const STATUS = { active: 'Active', invited: 'Invited', deactivated: 'Deactivated' };

/** The team page. */
export function agentsView() {
  const list = h('ul.st-list', { testid: 'agents-list' });
  const name = field('Name', input({ maxlength: 80, testid: 'invite-name' }), ['name']);
  const email = field('Email', input({ type: 'email', testid: 'invite-email' }), ['email']);
  const role = field('Role', select([['agent', 'Agent: answers chats'], ['admin', 'Admin: also changes settings']], { testid: 'invite-role' }), ['role']);
  const link = h('div.st-invite', { testid: 'invite-result', hidden: true });
  async function load() {
    await refreshAgents();
    list.replaceChildren(...state.agents.map((a) => {
      const status = a.status || (a.active ? 'active' : 'invited');
      const err = h('p.st-error', { role: 'alert' });
      const roleSel = select([['agent', 'Agent'], ['admin', 'Admin']], { 'aria-label': `Role of ${a.name}`, testid: 'agent-role' });
      roleSel.value = a.role;
      const me = a.id === state.me.id;
      roleSel.disabled = !isAdmin() || me || status === 'deactivated';
      roleSel.onchange = async () => {
        err.textContent = '';
        try { await call('PATCH', `/agents/${a.id}`, { role: roleSel.value }); load(); } catch (e) { err.textContent = reason(e); roleSel.value = a.role; }
      };
      const off = isAdmin() && !me && status !== 'deactivated'
        ? h('button.btn.ghost.st-small.st-danger', { type: 'button', testid: 'agent-deactivate', onclick: async () => {
          if (!confirm(`Deactivate ${a.name}? They are signed out and cannot sign in again.`)) return;
          try { await call('PATCH', `/agents/${a.id}`, { active: false }); load(); } catch (e) { err.textContent = reason(e); }
        } }, 'Deactivate') : null;
      return h('li.st-item.st-agent', { testid: 'agent-item', 'data-email': a.email },
        h('div', {}, h('strong', {}, a.name, me ? ' (you)' : ''), h('small', {}, a.email)),
        h(`span.st-badge.st-${status}`, { testid: 'agent-status' }, STATUS[status] || status),
        roleSel, off, err);
    }));
  }
  const el = form({
    testid: 'invite-form',
    fields: [name, email, role],
    submitLabel: 'Invite',
    save: async () => {
      const inv = await call('POST', '/agents', { name: name.input.value, email: email.input.value, role: role.input.value });
      const url = h('input', { readonly: true, value: inv.invite_url, testid: 'invite-link', 'aria-label': 'Invite link' });
      link.replaceChildren(h('p', {}, `Send this link to ${inv.agent.name}; it works once:`), url,
        h('button.btn.ghost.st-small', { type: 'button', onclick: () => { url.select(); navigator.clipboard?.writeText(inv.invite_url).catch(() => {}); } }, 'Copy'));
      link.hidden = false;
      name.input.value = '';
      email.input.value = '';
      await load();
    },
  });
  load();
  return h('div.st-stack', {}, isAdmin() ? section('Invite an agent', 'They choose their password when they open the link.', el, link) : null,
    section('Agents', null, list));
}
