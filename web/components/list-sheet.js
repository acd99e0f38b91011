// The sheet a list message opens: its sections and rows as radio choices (title and
// description), and a Send button that hands the chosen row back as a list_reply.
import { h, uuid } from '../util.js';
import { icon } from '../icons.js';
import { modal } from './dialog.js';

/** onChoose({id, title, description?}) runs once when the person sends a row. */
export function openListSheet(m, onChoose) {
  const a = (m.interactive && m.interactive.action) || {};
  const group = `list-${uuid()}`;
  let chosen = null;
  const send = h('button.btn.primary.wide', { type: 'submit', testid: 'list-send', disabled: true }, icon('send', 18), 'Send');
  const sections = (a.sections || []).map((s) => h('fieldset.list-section', { testid: 'list-section' },
    s.title ? h('legend.list-section-title', s.title) : null,
    (s.rows || []).map((r) => {
      const radio = h('input', { type: 'radio', name: group, value: r.id, 'aria-describedby': r.description ? `${group}-${r.id}` : null });
      radio.addEventListener('change', () => {
        chosen = r;
        send.disabled = false;
      });
      return h('label.list-row', { testid: 'list-row', dataset: { id: r.id } },
        h('span.list-row-text',
          h('span.list-row-title', r.title),
          r.description ? h('span.list-row-desc', { id: `${group}-${r.id}` }, r.description) : null),
        radio);
    })));
  const form = h('form.list-sheet', {
    onsubmit: (e) => {
      e.preventDefault();
      if (!chosen) return;
      const choice = { id: chosen.id, title: chosen.title };
      if (chosen.description) choice.description = chosen.description;
      sheet.close();
      onChoose(choice);
    },
  }, h('div.list-sections', sections), h('div.list-sheet-foot', send));
  const sheet = modal({ title: a.button || 'Options', body: form, testid: 'list-sheet' });
  sheet.el.classList.add('sheet');
  return sheet;
}
