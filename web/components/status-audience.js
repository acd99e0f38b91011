// Who sees my Status: the audience picker (My contacts / My contacts except… / Only share
// with…, choosing from my contacts) that sets the default audience of my next updates, and the
// contact list editor (add a person by phone number, remove one I added).
import { h, prettyPhone } from '../util.js';
import { api } from '../api.js';
import { modal, toast } from './dialog.js';
import { avatar } from './avatar.js';
import { statusApi } from '../status-feed.js';

const MODES = [
  ['contacts', 'My contacts', 'Everyone you chat with or added to your contacts'],
  ['contacts_except', 'My contacts except…', 'All your contacts but the ones you pick'],
  ['only_share_with', 'Only share with…', 'Only the contacts you pick'],
];

/** A short description of an audience, for the composer's chip. */
export function audienceLabel(a) {
  if (!a || a.mode === 'contacts') return 'My contacts';
  const n = (a.wa_ids || []).length;
  return a.mode === 'contacts_except' ? `My contacts except ${n}` : `Only ${n} contact${n === 1 ? '' : 's'}`;
}

/** Edit the default audience; onSaved(audience) runs after a successful save. */
export async function audienceDialog(onSaved) {
  let audience;
  let contacts;
  try {
    [audience, contacts] = await Promise.all([statusApi.audience(), statusApi.contacts()]);
  } catch (e) { toast(e.message, 'error'); return; }
  contacts = contacts.contacts || [];
  let mode = audience.mode || 'contacts';
  const picked = { contacts_except: new Set(), only_share_with: new Set() };
  if (picked[mode]) for (const w of audience.wa_ids || []) picked[mode].add(w);

  const err = h('p.form-error', { role: 'alert', testid: 'status-audience-error' });
  const list = h('ul.pick-list.short', { testid: 'status-audience-contacts' });
  const filter = h('input.text-input', { type: 'search', placeholder: 'Search contacts', 'aria-label': 'Search contacts', oninput: () => renderList() });
  const pickBox = h('div.aud-pick', filter, list);
  const renderList = () => {
    pickBox.hidden = mode === 'contacts';
    if (pickBox.hidden) return;
    const set = picked[mode];
    const q = filter.value.trim().toLowerCase();
    const shown = contacts.filter((c) => !q || (c.name || '').toLowerCase().includes(q) || c.wa_id.includes(q.replace(/\D/g, '') || '\u0000'));
    list.replaceChildren(...(shown.length ? shown.map((c) => h('li', h('label.pick-item', { testid: 'status-audience-contact', dataset: { waId: c.wa_id } },
      h('input', { type: 'checkbox', checked: set.has(c.wa_id), onchange: (e) => { if (e.target.checked) set.add(c.wa_id); else set.delete(c.wa_id); } }),
      avatar(c.name, null, 32), h('span', { dir: 'auto' }, c.name || prettyPhone(`+${c.wa_id}`)))))
      : [h('li.muted.small.aud-none', contacts.length ? 'No contact matches.' : 'You have no contacts yet: chat with someone or add them under My contacts.')]));
  };
  const radios = h('div.aud-modes', { role: 'radiogroup', 'aria-label': 'Who sees my updates' }, MODES.map(([id, label, hint]) => h('label.aud-mode', { testid: `status-audience-${id}` },
    h('input', { type: 'radio', name: 'aud-mode', value: id, checked: mode === id, onchange: () => { mode = id; renderList(); } }),
    h('span.aud-text', h('span', label), h('span.muted.small', hint)))));
  const save = h('button.btn.primary', {
    type: 'button', testid: 'status-audience-save',
    onclick: async () => {
      err.textContent = '';
      save.disabled = true;
      const body = { mode, wa_ids: mode === 'contacts' ? [] : [...picked[mode]] };
      try {
        const saved = await statusApi.setAudience(body);
        m.close();
        toast('Status privacy saved');
        onSaved && onSaved(saved || body);
      } catch (e) { err.textContent = e.message; } finally { save.disabled = false; }
    },
  }, 'Done');
  const edit = h('button.link-btn', { type: 'button', testid: 'status-edit-contacts', onclick: () => { m.close(); contactsDialog(() => audienceDialog(onSaved)); } }, 'Edit my contacts');
  const m = modal({
    title: 'Status privacy', testid: 'status-audience-dialog',
    body: h('div.dialog-form', h('p.muted', 'Who can see my status updates. Changes apply to updates you post from now on.'), radios, pickBox, edit, err),
    actions: [h('button.btn', { type: 'button', onclick: () => m.close() }, 'Cancel'), save],
  });
  renderList();
}

/** The contact list editor; onDone runs when it closes. */
export async function contactsDialog(onDone) {
  const phone = h('input.text-input', { type: 'tel', placeholder: '+1 555 123 4567', 'aria-label': 'Phone number to add', testid: 'contact-add-phone' });
  const err = h('p.form-error', { role: 'alert', testid: 'contact-add-error' });
  const list = h('ul.member-list.contacts-list', { testid: 'contacts-list' });
  const load = async () => {
    try {
      const r = await statusApi.contacts();
      list.replaceChildren(...((r.contacts || []).length ? r.contacts.map((c) => h('li.member', { testid: 'contact-row', dataset: { waId: c.wa_id } },
        avatar(c.name, null, 36),
        h('span.member-main', h('span.member-name', { dir: 'auto' }, c.name || `+${c.wa_id}`),
          h('span.muted.small', [prettyPhone(`+${c.wa_id}`), c.has_chat ? 'chats with you' : ''].filter(Boolean).join(' · '))),
        c.in_list ? h('button.btn.danger', {
          type: 'button', testid: 'contact-remove', 'aria-label': `Remove ${c.name || c.wa_id}`,
          onclick: async () => {
            try { await statusApi.removeContact(c.wa_id); load(); } catch (e) { err.textContent = e.message; }
          },
        }, 'Remove') : null))
        : [h('li.muted.small', 'No contacts yet.')]));
    } catch (e) { err.textContent = e.message; }
  };
  const add = h('button.btn.primary', {
    type: 'submit', testid: 'contact-add',
  }, 'Add');
  const form = h('form.add-member', {
    onsubmit: async (e) => {
      e.preventDefault();
      err.textContent = '';
      const v = phone.value.trim();
      if (!v) return;
      add.disabled = true;
      try {
        const acc = await api.lookup(v);
        await statusApi.addContact(acc.wa_id);
        phone.value = '';
        await load();
      } catch (ex) {
        err.textContent = ex.status === 404 ? 'Nobody uses Wasla with that number yet.' : ex.message;
      } finally { add.disabled = false; }
    },
  }, phone, add, err);
  modal({
    title: 'My contacts', testid: 'contacts-dialog', onClose: onDone,
    body: h('div.dialog-form', h('p.muted', 'Your contacts are the people you chat with and the ones you add here by phone number.'), form, list),
  });
  load();
}
