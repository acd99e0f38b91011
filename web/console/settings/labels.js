// Labels with colours, to sort chats and customers in the inbox.
import { call, h, field, input, form, section, isAdmin } from './form.js';
import { refreshAgents } from '../state.js';

const COLORS = ['#00a884', '#53bdeb', '#ffb400', '#ea0038', '#a462e0', '#667781'];

/** The labels page. */
export function labelsView() {
  const list = h('ul.st-list.st-labels', { testid: 'labels-list' });
  const name = field('Name', input({ maxlength: 40, testid: 'label-name', placeholder: 'e.g. New customer' }), ['name', 'label']);
  const color = field('Colour', h('input', { type: 'color', value: COLORS[0], testid: 'label-color' }), ['color']);
  const swatches = h('div.st-swatches', { role: 'group', 'aria-label': 'Suggested colours' }, COLORS.map((c) =>
    h('button.st-swatch', { type: 'button', style: `background:${c}`, 'aria-label': `Colour ${c}`, onclick: () => { color.input.value = c; } })));
  async function load() {
    const rows = (await call('GET', '/labels')).data;
    list.replaceChildren(...(rows.length ? rows.map((l) => h('li.st-item', { testid: 'label-item' },
      h('span.chip', { style: `background:${l.color}` }, l.name),
      isAdmin() ? h('button.btn.ghost.st-small', { type: 'button', 'aria-label': `Delete label ${l.name}`, onclick: async () => { await call('DELETE', `/labels/${l.id}`); load(); refreshAgents(); } }, 'Delete') : null))
      : [h('li.st-empty', {}, 'No labels yet.')]));
  }
  const el = form({
    testid: 'label-form',
    fields: [name, color],
    children: [swatches],
    submitLabel: 'Add label',
    save: async () => {
      await call('POST', '/labels', { name: name.input.value, color: color.input.value });
      name.input.value = '';
      await load();
      refreshAgents();
    },
  });
  load();
  return h('div.st-stack', {}, isAdmin() ? section('New label', null, el) : null, section('Labels', 'Used on chats and on customers.', list));
}
