// Shared pieces of the settings pages: labelled fields with an error line under each, the
// mapping of a server error onto the field it names (the server's words, shown in place),
// read-only mode for agents, raw uploads, and section and list helpers.
import { call, session, h } from '../api.js';
import { state } from '../state.js';

/** Whether the signed-in agent may change settings. */
export const isAdmin = () => state.me?.role === 'admin';

let seq = 0;

/**
 * A labelled field: `input` is any element; `keys` are words the server uses for it in its
 * errors (e.g. 'email', 'away.text'). Returns the wrapper with `.input`, `.keys`, `.error`.
 */
export function field(label, input, keys = [], hint = '') {
  const id = input.id || `st-f${++seq}`;
  input.id = id;
  const error = h('p.st-error', { role: 'alert', id: `${id}-err`, testid: 'field-error' });
  input.setAttribute('aria-describedby', `${id}-err`);
  const wrap = h('div.st-field', {}, h('label', { for: id }, label), input, hint ? h('small.st-hint', {}, hint) : null, error);
  wrap.input = input;
  wrap.keys = keys;
  wrap.error = error;
  return wrap;
}

/** A text input (`attrs` as for `h`). */
export const input = (attrs = {}) => h('input', { type: 'text', ...attrs });

/** A select of [value, label] pairs. */
export const select = (options, attrs = {}) => h('select', attrs, options.map(([v, l]) => h('option', { value: v }, l)));

/** A checkbox switch with its label on the right. */
export function toggle(label, attrs = {}) {
  const box = h('input', { type: 'checkbox', ...attrs });
  const id = `st-t${++seq}`;
  box.id = id;
  const wrap = h('div.st-toggle', {}, box, h('label', { for: id }, label));
  wrap.input = box;
  return wrap;
}

/** The server's message without the Graph title in front. */
export const reason = (e) => String(e?.message || e).replace(/^Invalid parameter: /, '');

function mentions(message, key) {
  const m = message.toLowerCase();
  const k = key.toLowerCase();
  let i = m.indexOf(k);
  while (i >= 0) {
    const before = i === 0 ? ' ' : m[i - 1];
    const after = m[i + k.length] ?? ' ';
    if (!/[a-z0-9_]/.test(before) && !/[a-z0-9_]/.test(after)) return i;
    i = m.indexOf(k, i + 1);
  }
  return -1;
}

/**
 * Show an error of the server next to the field it names (the earliest named in its message),
 * or in `general` when it names none. Returns the field, if any.
 */
export function showError(e, fields, general) {
  clearErrors(fields, general);
  const message = reason(e);
  let best = null;
  let at = Infinity;
  for (const f of fields) {
    for (const k of f.keys || []) {
      const i = mentions(message, k);
      if (i >= 0 && i < at) { at = i; best = f; }
    }
  }
  if (best) {
    best.error.textContent = message;
    best.classList.add('st-invalid');
    best.input.setAttribute('aria-invalid', 'true');
    best.input.focus?.();
  } else if (general) {
    general.textContent = message;
  }
  return best;
}

/** Clear the errors of these fields and the general line. */
export function clearErrors(fields, general) {
  for (const f of fields) {
    f.error.textContent = '';
    f.classList.remove('st-invalid');
    f.input.removeAttribute('aria-invalid');
  }
  if (general) general.textContent = '';
}

/**
 * A form: `fields` (from `field`, or a function giving them), more `children`, and `save` (async; throws the server's
 * error). Shows "Saved" or the error in place; for agents every control is disabled.
 */
export function form({ testid, fields, children = [], save, submitLabel = 'Save' }) {
  const general = h('p.st-error.st-general', { role: 'alert', testid: `${testid}-error` });
  const done = h('span.st-saved', { role: 'status', testid: `${testid}-saved` });
  const button = h('button.btn', { type: 'submit', testid: `${testid}-save` }, submitLabel);
  // `fields` is a list, or a function giving the fields of the moment (for forms with rows).
  const now = () => (typeof fields === 'function' ? fields() : fields);
  const el = h('form.st-form', {
    testid,
    novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      clearErrors(now(), general);
      done.textContent = '';
      button.disabled = true;
      try {
        await save();
        done.textContent = 'Saved';
      } catch (e) {
        showError(e, now(), general);
      } finally {
        button.disabled = false;
      }
    },
  }, Array.isArray(fields) ? fields : [], children, general, isAdmin() ? h('div.st-actions', {}, button, done) : null);
  if (!isAdmin()) readOnly(el);
  return el;
}

/** Disable every control of `el` (agents see settings read-only). */
export function readOnly(el) {
  for (const c of el.querySelectorAll('input, select, textarea, button')) c.disabled = true;
  return el;
}

/** A section card with a title and a sentence on what it is for. */
export const section = (title, about, ...children) =>
  h('section.st-card', {}, h('h3', {}, title), about ? h('p.st-about', {}, about) : null, ...children);

/** The notice agents see on every settings page. */
export const readOnlyNote = () => (isAdmin() ? null
  : h('p.st-note', { testid: 'settings-read-only' }, 'Only admins of the business can change settings; you can see them here.'));

/** POST a file's bytes to the console API as they are, with the file's type. */
export async function upload(path, file) {
  const r = await fetch(`/console/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
  });
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new Error(data?.error?.message || `HTTP ${r.status}`);
  return data;
}

/** A number picker when the business has several numbers; `onPick(id)` runs now and on change. */
export function numberPicker(onPick) {
  const numbers = state.numbers || [];
  if (numbers.length <= 1) {
    queueMicrotask(() => onPick(numbers[0]?.id));
    return null;
  }
  const s = select(numbers.map((n) => [n.id, `${n.name} (+${n.wa_id})`]), { testid: 'settings-number' });
  s.onchange = () => onPick(s.value);
  queueMicrotask(() => onPick(s.value));
  return field('Phone number', s);
}

export { call, h };
