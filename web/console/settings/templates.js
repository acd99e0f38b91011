// Message templates: the list with each template's review status and, when rejected, the
// reason; admins create one (name, language, category, header, body with {{1}}… and example
// values, footer). The server checks it as the Cloud API does and names what it refuses.
import { call, h, field, input, select, form, section, isAdmin } from './form.js';

const STATUS = { APPROVED: 'Approved', PENDING: 'In review', REJECTED: 'Rejected', PAUSED: 'Paused', DISABLED: 'Disabled' };
const REASONS = { INVALID_FORMAT: 'the format is not valid', ABUSIVE_CONTENT: 'the content is abusive', PROMOTIONAL: 'it is promotional for its category',
  TAG_CONTENT_MISMATCH: 'the content does not match the category', SCAM: 'it looks like a scam', INCORRECT_CATEGORY: 'the category is wrong', NONE: 'no reason given' };

/** The templates page. */
export function templatesView() {
  const list = h('ul.st-list', { testid: 'templates-list' });
  const name = field('Name', input({ placeholder: 'order_shipped', testid: 'template-name' }), ['name'], 'Lower-case letters, digits and _.');
  const language = field('Language', input({ value: 'en_US', testid: 'template-language' }), ['language']);
  const category = field('Category', select([['UTILITY', 'Utility: about an order or account'], ['MARKETING', 'Marketing: offers and news'], ['AUTHENTICATION', 'Authentication: one-time codes']], { testid: 'template-category' }), ['category']);
  const header = field('Header (optional)', input({ maxlength: 60, testid: 'template-header' }), ['header']);
  const body = field('Body', h('textarea', { rows: 3, maxlength: 1024, testid: 'template-body' }), ['body', 'components'], 'Use {{1}}, {{2}}… for values filled when sending.');
  const examples = field('Example values (comma separated)', input({ testid: 'template-examples', placeholder: 'e.g. A-1042' }), ['example', 'body_text']);
  const footer = field('Footer (optional)', input({ maxlength: 60, testid: 'template-footer' }), ['footer']);
  async function load() {
    const rows = (await call('GET', '/templates')).data;
    list.replaceChildren(...(rows.length ? rows.map((t) => {
      const text = (t.components || []).find((c) => c.type === 'BODY')?.text || '';
      return h('li.st-item.st-template', { testid: 'template-item', 'data-name': t.name },
        h('div', {}, h('strong', {}, t.name), h('small', {}, ` ${t.language} · ${t.category.toLowerCase()}`), h('p.st-preview', {}, text),
          t.status === 'REJECTED' ? h('p.st-reason', { testid: 'template-reason' }, `Rejected because ${REASONS[t.rejected_reason] || t.rejected_reason || 'no reason was given'}.`) : null),
        h(`span.st-badge.st-${t.status.toLowerCase()}`, { testid: 'template-status' }, STATUS[t.status] || t.status));
    }) : [h('li.st-empty', {}, 'No templates yet. Templates let you write first or after 24 hours of silence.')]));
  }
  const el = form({
    testid: 'template-form',
    fields: [name, language, category, header, body, examples, footer],
    submitLabel: 'Submit for review',
    save: async () => {
      const components = [];
      if (header.input.value.trim()) components.push({ type: 'HEADER', format: 'TEXT', text: header.input.value });
      const b = { type: 'BODY', text: body.input.value };
      const ex = examples.input.value.split(',').map((s) => s.trim()).filter(Boolean);
      if (ex.length) b.example = { body_text: [ex] };
      components.push(b);
      if (footer.input.value.trim()) components.push({ type: 'FOOTER', text: footer.input.value });
      await call('POST', '/templates', { name: name.input.value.trim(), language: language.input.value.trim(), category: category.input.value, components });
      for (const f of [name, header, body, examples, footer]) f.input.value = '';
      await load();
    },
  });
  load();
  return h('div.st-stack', {}, section('Templates', null, list),
    isAdmin() ? section('New template', 'The operator reviews it before it can be sent.', el) : null);
}
