// Automated messages of a number: the greeting, the away message (always, outside business
// hours, or a custom period), FAQ rules (keywords, an answer, hand-off to a person), and the
// conversational automation (ice-breakers, commands, the welcome webhook). One document on
// the server, saved whole; the server's reason shows under the field it names.
import { call, h, field, input, select, toggle, form, section, numberPicker, isAdmin, readOnly } from './form.js';

/** The automation page. */
export function automationView() {
  let number = null;
  // Greeting.
  const gOn = toggle('Send a greeting to new customers and to those silent for a while', { testid: 'greeting-enabled' });
  const gText = field('Greeting message', h('textarea', { rows: 2, testid: 'greeting-text' }), ['greeting.text', 'greeting'], '{{name}} becomes the customer\'s name.');
  const gDays = field('Greet again after (days)', input({ type: 'number', min: 1, max: 365, value: 14, testid: 'greeting-days' }), ['greeting.after_days']);
  // Away.
  const aOn = toggle('Send an away message', { testid: 'away-enabled' });
  const aText = field('Away message', h('textarea', { rows: 2, testid: 'away-text' }), ['away.text', 'away']);
  const aMode = field('When', select([['outside_hours', 'Outside business hours'], ['always', 'Always'], ['custom', 'During a period I choose']], { testid: 'away-mode' }), ['away.mode']);
  const aFrom = field('From', h('input', { type: 'datetime-local', testid: 'away-from' }), ['away.from', 'custom away period']);
  const aUntil = field('Until', h('input', { type: 'datetime-local', testid: 'away-until' }), ['away.until']);
  const syncMode = () => { aFrom.hidden = aUntil.hidden = aMode.input.value !== 'custom'; };
  aMode.input.onchange = syncMode;
  // FAQ rules.
  const faqList = h('div.st-rows', { testid: 'faq-rules' });
  let faqRows = [];
  const faqRow = (rule = { keywords: [], reply: { type: 'text', text: { body: '' } }, handoff: false }) => {
    const i = faqRows.length;
    const kw = field('Keywords (comma separated)', input({ value: rule.keywords.join(', '), testid: 'faq-keywords' }), [`faq[${i}]`]);
    const ans = field('Answer', h('textarea', { rows: 2, testid: 'faq-answer' }, rule.reply?.text?.body || ''), [`faq[${i}].reply`]);
    const hand = toggle('Then hand the chat to an agent', { testid: 'faq-handoff' });
    hand.input.checked = !!rule.handoff;
    const row = { kw, ans, hand, el: null };
    row.el = h('div.st-row-card', {}, kw, ans, hand, isAdmin() ? h('button.btn.ghost.st-small', { type: 'button', onclick: () => { faqRows = faqRows.filter((r) => r !== row); row.el.remove(); } }, 'Remove rule') : null);
    faqRows.push(row);
    faqList.append(row.el);
  };
  // Ice-breakers and commands.
  const prompts = [0, 1, 2, 3].map((i) => field(`Ice-breaker ${i + 1}`, input({ maxlength: 80, testid: 'ice-breaker' }), i === 0 ? ['prompts', 'prompt', 'ice-breaker'] : []));
  const welcome = toggle('Tell my integration when someone opens the chat for the first time (welcome webhook)', { testid: 'welcome-enabled' });
  const cmdList = h('div.st-rows', { testid: 'commands' });
  let cmdRows = [];
  const cmdRow = (c = { command_name: '', command_description: '' }) => {
    const name = field('Command', input({ value: c.command_name, placeholder: 'e.g. menu', maxlength: 32, testid: 'command-name' }), cmdRows.length ? [] : ['command_name', 'commands', 'command']);
    const desc = field('What it does', input({ value: c.command_description, maxlength: 256, testid: 'command-description' }), cmdRows.length ? [] : ['command_description']);
    const row = { name, desc, el: null };
    row.el = h('div.st-row-card.st-pair', {}, name, desc, isAdmin() ? h('button.btn.ghost.st-small', { type: 'button', onclick: () => { cmdRows = cmdRows.filter((r) => r !== row); row.el.remove(); } }, 'Remove') : null);
    cmdRows.push(row);
    cmdList.append(row.el);
  };

  function fill(s) {
    gOn.input.checked = !!s.greeting?.enabled;
    gText.input.value = s.greeting?.text || '';
    gDays.input.value = s.greeting?.after_days || 14;
    aOn.input.checked = !!s.away?.enabled;
    aText.input.value = s.away?.text || '';
    aMode.input.value = s.away?.mode || 'outside_hours';
    aFrom.input.value = s.away?.from || '';
    aUntil.input.value = s.away?.until || '';
    syncMode();
    faqRows = []; faqList.replaceChildren();
    (s.faq || []).forEach(faqRow);
    const c = s.conversational || {};
    prompts.forEach((p, i) => { p.input.value = c.prompts?.[i] || ''; });
    welcome.input.checked = !!c.enable_welcome_message;
    cmdRows = []; cmdList.replaceChildren();
    (c.commands || []).forEach(cmdRow);
    if (!isAdmin()) readOnly(el);
  }
  const fields = () => [gText, gDays, aText, aMode, aFrom, aUntil, ...faqRows.flatMap((r) => [r.kw, r.ans]), ...prompts, ...cmdRows.flatMap((r) => [r.name, r.desc])];
  const addFaq = h('button.btn.ghost', { type: 'button', testid: 'faq-add', onclick: () => faqRow() }, 'Add FAQ rule');
  const addCmd = h('button.btn.ghost', { type: 'button', testid: 'command-add', onclick: () => cmdRow() }, 'Add command');
  const children = [
    h('fieldset.st-group', {}, h('legend', {}, 'Greeting'), gOn, gText, gDays),
    h('fieldset.st-group', {}, h('legend', {}, 'Away message'), aOn, aText, aMode, h('div.st-pair', {}, aFrom, aUntil)),
    h('fieldset.st-group', {}, h('legend', {}, 'FAQ answers'), h('p.st-about', {}, 'A message containing a keyword gets the answer at once.'), faqList, isAdmin() ? addFaq : null),
    h('fieldset.st-group', {}, h('legend', {}, 'Ice-breakers and commands'), h('p.st-about', {}, 'Ice-breakers are shown in an empty chat; commands are offered when the customer types /.'), ...prompts, cmdList, isAdmin() ? addCmd : null, welcome),
  ];
  // Rows come and go, so errors are mapped against the rows of the moment.
  const el = form({
    testid: 'automation-form',
    fields,
    children,
    save: async () => {
      const s = await call('GET', `/numbers/${number}/automations`);
      const greeting = gText.input.value.trim() || gOn.input.checked
        ? { ...(s.greeting || {}), enabled: gOn.input.checked, text: gText.input.value, after_days: Number(gDays.input.value) || 14 } : null;
      const away = aText.input.value.trim() || aOn.input.checked
        ? { enabled: aOn.input.checked, text: aText.input.value, mode: aMode.input.value,
          ...(aMode.input.value === 'custom' ? { from: aFrom.input.value || null, until: aUntil.input.value || null } : {}) } : null;
      Object.assign(s, {
        greeting, away,
        faq: faqRows.map((r) => ({ keywords: r.kw.input.value.split(',').map((k) => k.trim()).filter(Boolean),
          reply: { type: 'text', text: { body: r.ans.input.value } }, handoff: r.hand.input.checked })),
        conversational: { enable_welcome_message: welcome.input.checked,
          prompts: prompts.map((p) => p.input.value.trim()).filter(Boolean),
          commands: cmdRows.map((r) => ({ command_name: r.name.input.value.trim(), command_description: r.desc.input.value.trim() })) },
      });
      fill(await call('PUT', `/numbers/${number}/automations`, s));
    },
  });
  const picker = numberPicker(async (id) => {
    number = id;
    if (id) fill(await call('GET', `/numbers/${id}/automations`));
  });
  return h('div.st-stack', {}, picker, section('Automated messages', 'Answers sent for you, as the business, inside the 24-hour window; they step aside while an agent handles a chat.', el));
}
