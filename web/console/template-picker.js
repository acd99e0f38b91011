// The composer's template picker: the business's approved templates, an input for each of a
// template's parameters (header, body and URL buttons; positional or named) with a live
// preview, sent through /console/v1/chats/{id}/template where the Cloud API's template rules
// apply (so a mismatch is explained by the server's own error).
import { call, h } from './api.js';

const PH = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** Distinct placeholders of a text, in order of appearance. */
const placeholders = (text) => [...new Set([...(text || '').matchAll(PH)].map((m) => m[1]))];
const fill = (text, values) => (text || '').replace(PH, (_, k) => values[k] || `{{${k}}}`);

/** The picker panel for chat `chatId`; `templates()` gives the approved templates. */
export function templatePicker(chatId, templates, onSent) {
  const panel = h('div.card.cb-panel', { testid: 'template-picker', hidden: true });
  const err = h('p.error', { role: 'alert', testid: 'template-error' });
  let chosen = null;
  let fields = [];

  function form(t) {
    chosen = t;
    fields = [];
    const comps = t.components || [];
    const preview = h('div.cb-template-preview', { testid: 'template-preview', dir: 'auto' });
    const inputsFor = (where, text, index) => placeholders(text).map((key) => {
      const input = h('input', { placeholder: t.parameter_format === 'NAMED' ? key : `{{${key}}}`, testid: 'template-param', 'data-where': where, 'aria-label': `${where} parameter ${key}`, oninput: () => { err.textContent = ''; draw(); } });
      fields.push({ where, key, index, input });
      return h('label.cb-param', {}, h('span', {}, `${where} ${t.parameter_format === 'NAMED' ? key : `{{${key}}}`}`), input);
    });
    const blocks = [];
    for (const c of comps) {
      if (c.type === 'HEADER' && (c.format || 'TEXT') === 'TEXT') blocks.push(inputsFor('Header', c.text));
      if (c.type === 'HEADER' && c.format && c.format !== 'TEXT') blocks.push(h('p.error', {}, `This template's ${c.format.toLowerCase()} header cannot be filled here yet.`));
      if (c.type === 'BODY') blocks.push(inputsFor('Body', c.text));
      if (c.type === 'BUTTONS') (c.buttons || []).forEach((b, i) => { if (b.type === 'URL') blocks.push(inputsFor(`Button “${b.text}”`, b.url, i)); });
    }
    function draw() {
      const vals = (where) => Object.fromEntries(fields.filter((f) => f.where === where).map((f) => [f.key, f.input.value]));
      const head = comps.find((c) => c.type === 'HEADER' && (c.format || 'TEXT') === 'TEXT');
      const body = comps.find((c) => c.type === 'BODY');
      const foot = comps.find((c) => c.type === 'FOOTER');
      const buttons = comps.find((c) => c.type === 'BUTTONS')?.buttons || [];
      preview.replaceChildren(head ? h('strong', {}, fill(head.text, vals('Header'))) : '', body ? h('div', {}, fill(body.text, vals('Body'))) : '',
        foot ? h('small', {}, foot.text) : '', buttons.length ? h('div.cb-buttons', {}, buttons.map((b) => h('span', {}, b.text))) : '');
    }
    draw();
    body.replaceChildren(h('strong', {}, `${t.name} · ${t.language}`), ...blocks.flat(2), h('small.cb-sub', {}, 'Preview'), preview,
      h('div.row', {}, h('button.btn', { testid: 'template-send', onclick: send }, 'Send template'), h('button.btn.ghost', { onclick: list }, 'Back')));
    fields[0]?.input.focus();
  }

  async function send() {
    err.textContent = '';
    const named = chosen.parameter_format === 'NAMED';
    const param = (f) => (named ? { type: 'text', parameter_name: f.key, text: f.input.value } : { type: 'text', text: f.input.value });
    const group = (where) => {
      const fs = fields.filter((f) => f.where === where);
      return named ? fs.map(param) : fs.sort((a, b) => Number(a.key) - Number(b.key)).map(param);
    };
    const components = [];
    if (fields.some((f) => f.where === 'Header')) components.push({ type: 'header', parameters: group('Header') });
    if (fields.some((f) => f.where === 'Body')) components.push({ type: 'body', parameters: group('Body') });
    for (const where of new Set(fields.filter((f) => f.index !== undefined).map((f) => f.where))) {
      const fs = fields.filter((f) => f.where === where);
      components.push({ type: 'button', sub_type: 'url', index: String(fs[0].index), parameters: group(where) });
    }
    try {
      await call('POST', `/chats/${chatId}/template`, { name: chosen.name, language: { code: chosen.language }, components });
      panel.hidden = true;
      onSent();
    } catch (e) { err.textContent = e.message; }
  }

  const body = h('div');
  function list() {
    const ts = templates();
    body.replaceChildren(ts.length
      ? h('div.cb-template-list', {}, ts.map((t) => h('button.cb-template-item', { testid: 'template-item', 'data-name': t.name, onclick: () => form(t) },
        h('strong', {}, t.name), h('small', {}, ` ${t.language} · ${t.category.toLowerCase()}`),
        h('div', { dir: 'auto' }, (t.components || []).find((c) => c.type === 'BODY')?.text || ''))))
      : h('p.empty', {}, 'No approved templates yet: create one under Templates.'));
  }
  panel.append(h('div.row', {}, h('strong.grow', {}, 'Send a template'), h('button.btn.ghost', { title: 'Close', onclick: () => { panel.hidden = true; } }, '×')), body, err);
  return {
    panel,
    open() { err.textContent = ''; list(); panel.hidden = false; },
  };
}
