// Quick replies: saved answers an agent inserts by typing `/` and the shortcut in a chat.
// Variables such as {{name}} are filled with the customer's details when sent.
import { call, h, field, input, form, section, isAdmin } from './form.js';

/** The quick replies page. */
export function repliesView() {
  const list = h('ul.st-list', { testid: 'replies-list' });
  const shortcut = field('Shortcut', input({ placeholder: 'e.g. hours', maxlength: 32, testid: 'reply-shortcut' }), ['shortcut'], 'Letters, digits, _ and -; agents type /shortcut.');
  const body = field('Message', h('textarea', { rows: 3, maxlength: 4096, testid: 'reply-body' }), ['body', 'media'], 'Variables: {{name}} is the customer\'s name.');
  const insert = h('button.btn.ghost.st-small', { type: 'button', testid: 'reply-insert-name', onclick: () => {
    const t = body.input;
    const at = t.selectionStart ?? t.value.length;
    t.value = `${t.value.slice(0, at)}{{name}}${t.value.slice(t.selectionEnd ?? at)}`;
    t.focus();
  } }, 'Insert {{name}}');
  async function load() {
    const rows = (await call('GET', '/quick-replies')).data;
    list.replaceChildren(...(rows.length ? rows.map((r) => h('li.st-item', { testid: 'reply-item' },
      h('div', {}, h('strong', {}, `/${r.shortcut}`), h('p.st-preview', {}, r.body), r.media_id ? h('small', {}, 'with a picture or file') : null),
      isAdmin() ? h('button.btn.ghost.st-small', { type: 'button', 'aria-label': `Delete /${r.shortcut}`, onclick: async () => { await call('DELETE', `/quick-replies/${r.id}`); load(); } }, 'Delete') : null))
      : [h('li.st-empty', {}, 'No quick replies yet. Save the answers you type most.')]));
  }
  const el = form({
    testid: 'reply-form',
    fields: [shortcut, body],
    children: [isAdmin() ? insert : null],
    submitLabel: 'Add quick reply',
    save: async () => {
      await call('POST', '/quick-replies', { shortcut: shortcut.input.value, body: body.input.value });
      shortcut.input.value = '';
      body.input.value = '';
      await load();
    },
  });
  load();
  return h('div.st-stack', {}, isAdmin() ? section('New quick reply', null, el) : null, section('Saved quick replies', null, list));
}
