// Privacy settings, under my own profile in the side panel: who sees my last seen and online,
// my profile photo and my about line (everyone who shares a chat with me, my contacts, or
// nobody). People who only have my number always see just my name and number.
import { h } from '../util.js';
import { api } from '../api.js';
import { toast } from './dialog.js';

const CHOICES = [['everyone', 'Everyone'], ['contacts', 'My contacts'], ['nobody', 'Nobody']];
const FIELDS = [
  ['last_seen', 'Last seen and online'],
  ['photo', 'Profile photo'],
  ['about', 'About'],
];

/** The privacy section: one labelled choice per setting, saved as soon as it changes. */
export function privacySettings() {
  const err = h('p.form-error', { role: 'alert' });
  const selects = new Map();
  const save = async (key, select) => {
    err.textContent = '';
    const before = select.dataset.saved;
    select.disabled = true;
    try {
      const p = await api.setPrivacy({ [key]: select.value });
      select.dataset.saved = p[key];
      toast('Privacy updated');
    } catch (e) {
      select.value = before;
      err.textContent = e.message;
    } finally {
      select.disabled = false;
    }
  };
  const rows = FIELDS.map(([key, label]) => {
    const id = `privacy-${key.replace('_', '-')}`;
    const select = h('select.text-input', { id, name: key, testid: id, disabled: true },
      CHOICES.map(([value, text]) => h('option', { value }, text)));
    select.addEventListener('change', () => save(key, select));
    selects.set(key, select);
    return h('div.field', h('label', { for: id }, label), select);
  });
  api.privacy().then((p) => {
    for (const [key, select] of selects) {
      select.value = p[key];
      select.dataset.saved = p[key];
      select.disabled = false;
    }
  }, (e) => { err.textContent = e.message; });
  return h('section.info-block.privacy-settings', { testid: 'privacy-settings', 'aria-labelledby': 'privacy-title' },
    h('h3#privacy-title', 'Privacy'),
    h('p.muted.small', 'Who can see these, among the people you share a chat with. "My contacts" are those you have a direct chat with.'),
    ...rows,
    err);
}
