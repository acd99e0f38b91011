// Business hours: the time zone (IANA names), opening hours per weekday and closed days
// (holidays). They are part of a number's automation settings, so the away message "outside
// hours" follows them; the server checks them and names the day or field it refuses.
import { call, h, field, input, form, section, numberPicker, isAdmin, readOnly } from './form.js';

const DAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

function zones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return ['UTC']; }
}

/** The hours page. */
export function hoursView() {
  let number = null;
  const list = h('datalist', { id: 'st-zones' }, zones().map((z) => h('option', { value: z })));
  const tz = field('Time zone', input({ list: 'st-zones', testid: 'hours-time-zone', placeholder: 'e.g. Asia/Riyadh' }), ['time zone', 'time_zone'],
    'Your hours and holidays are in this time zone; customers are told so.');
  const days = DAYS.map(([id, name]) => {
    const open = h('input', { type: 'checkbox', testid: `hours-${id}-open`, 'aria-label': `Open on ${name}` });
    const from = h('input', { type: 'time', value: '09:00', testid: `hours-${id}-from`, 'aria-label': `${name} opens at` });
    const until = h('input', { type: 'time', value: '17:00', testid: `hours-${id}-until`, 'aria-label': `${name} closes at` });
    const row = field(name, open, [id]);
    row.classList.add('st-day');
    row.insertBefore(h('span.st-times', {}, from, h('span', {}, '–'), until), row.error);
    const sync = () => { from.disabled = until.disabled = !open.checked || !isAdmin(); };
    open.onchange = sync;
    return { id, open, from, until, row, sync };
  });
  let holidays = [];
  const holidayList = h('ul.st-list', { testid: 'hours-holidays' });
  const newHoliday = field('Add a closed day', h('input', { type: 'date', testid: 'hours-holiday-date' }), ['holiday']);
  const addHoliday = h('button.btn.ghost', { type: 'button', testid: 'hours-holiday-add', onclick: () => {
    const d = newHoliday.input.value;
    if (d && !holidays.includes(d)) { holidays.push(d); holidays.sort(); drawHolidays(); }
    newHoliday.input.value = '';
  } }, 'Add');
  function drawHolidays() {
    holidayList.replaceChildren(...(holidays.length ? holidays.map((d) => h('li', { testid: 'hours-holiday' },
      h('span', {}, new Date(`${d}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })),
      isAdmin() ? h('button.btn.ghost.st-small', { type: 'button', 'aria-label': `Remove ${d}`, onclick: () => { holidays = holidays.filter((x) => x !== d); drawHolidays(); } }, 'Remove') : null))
      : [h('li.st-empty', {}, 'No closed days planned.')]));
  }
  function fill(s) {
    tz.input.value = s.time_zone || 'UTC';
    for (const d of days) {
      const hrs = (s.hours || []).find((x) => x.day === d.id);
      d.open.checked = !!hrs;
      if (hrs) { d.from.value = hrs.open; d.until.value = hrs.close; }
      d.sync();
    }
    holidays = [...(s.holidays || [])];
    drawHolidays();
  }
  const fields = [tz, ...days.map((d) => d.row), newHoliday];
  const el = form({
    testid: 'hours-form',
    fields,
    children: [h('div.st-inline', {}, addHoliday), holidayList],
    save: async () => {
      // The latest settings, so greeting, away and FAQ set elsewhere keep their values.
      const s = await call('GET', `/numbers/${number}/automations`);
      s.time_zone = tz.input.value.trim() || 'UTC';
      s.hours = days.filter((d) => d.open.checked).map((d) => ({ day: d.id, open: d.from.value, close: d.until.value }));
      s.holidays = holidays;
      fill(await call('PUT', `/numbers/${number}/automations`, s));
    },
  });
  el.prepend(list);
  if (!isAdmin()) readOnly(el);
  const picker = numberPicker(async (id) => {
    number = id;
    if (id) fill(await call('GET', `/numbers/${id}/automations`));
  });
  return h('div.st-stack', {}, picker, section('Opening hours', 'Days without hours are closed. The away message can answer outside them.', el));
}
