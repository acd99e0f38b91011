// What a business number offers in its chat: "open until / opens at" from its business hours
// (times in the business's own time zone, which the text names),
// ice-breaker prompts as tappable suggestions while the chat is empty, and its commands listed
// when the person types "/" in the composer. Data comes from /client/v1/businesses/{wa_id}/tools.
import { h } from '../util.js';
import { api } from '../api.js';

const cache = new Map();

/** The tools of a business (cached for a minute). */
export async function businessTools(waId) {
  const hit = cache.get(waId);
  if (hit && Date.now() - hit.at < 60000) return hit.data;
  const data = await api.businessTools(waId);
  cache.set(waId, { at: Date.now(), data });
  return data;
}

/** A Unix-ms instant as the business's clock shows it: "18:00", or "Thu 09:00" with `day`. */
function localTime(ms, timeZone, day) {
  const opts = { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const d = new Date(ms);
  const time = new Intl.DateTimeFormat('en-GB', opts).format(d);
  return day ? `${new Intl.DateTimeFormat([], { timeZone, weekday: 'short' }).format(d)} ${time}` : time;
}

/**
 * "Open until 18:00 (Asia/Riyadh time)" or "Closed · opens Thu 09:00 (Asia/Riyadh time)":
 * the server decides by its clock, the times are read in the business's time zone.
 */
export function openText(tools) {
  const o = tools && tools.open;
  if (!o) return '';
  let tz = o.time_zone || tools.time_zone || 'UTC';
  try { new Intl.DateTimeFormat([], { timeZone: tz }); } catch { tz = 'UTC'; }
  const zone = `(${tz} time)`;
  if (o.open_now) return o.closes_at ? `Open until ${localTime(o.closes_at, tz)} ${zone}` : `Open now ${zone}`;
  if (!o.opens_at) return 'Closed';
  return `Closed · opens ${localTime(o.opens_at, tz, true)} ${zone}`;
}

/**
 * Fill `bar` (above the composer) for the chat: prompts when `empty`, commands while the input
 * starts with "/". `submit(text)` sends a text.
 */
export function renderBar(bar, tools, { empty, input, submit }) {
  const prompts = empty ? tools.prompts || [] : [];
  const value = input.value;
  const commands = value.startsWith('/') && !value.includes(' ')
    ? (tools.commands || []).filter((c) => c.command_name.startsWith(value.slice(1)))
    : [];
  if (commands.length) {
    bar.replaceChildren(...commands.map((c) => h('button.biz-command', {
      type: 'button', testid: 'biz-command',
      onmousedown: (e) => { e.preventDefault(); submit(`/${c.command_name}`); },
    }, h('b', `/${c.command_name}`), ` ${c.command_description}`)));
  } else {
    bar.replaceChildren(...prompts.map((p) => h('button.biz-prompt', { type: 'button', testid: 'biz-prompt', onclick: () => submit(p) }, p)));
  }
  bar.hidden = !bar.childNodes.length;
}

const DAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** The business details of the profile panel: description, hours, address, email, websites, category. */
export function businessDetails(tools) {
  const p = tools.profile || {};
  const block = (label, ...content) => h('section.info-block', h('label', label), ...content);
  const hours = Object.keys(DAY_NAMES).map((d) => {
    const slots = (tools.hours || []).filter((x) => x.day === d).map((x) => `${x.open}–${x.close}`);
    return h('div.hours-row', h('span', DAY_NAMES[d]), h('span', slots.length ? slots.join(', ') : 'Closed'));
  });
  return h('div', { testid: 'business-details' },
    p.description ? block('Description', h('p', { testid: 'profile-description' }, p.description)) : null,
    (tools.hours || []).length ? block('Business hours', h('p', { testid: 'profile-open' }, openText(tools)), ...hours, h('p.muted.small', `Times in ${tools.time_zone}`)) : null,
    p.address ? block('Address', h('p', p.address)) : null,
    p.email ? block('Email', h('p', h('a', { href: `mailto:${p.email}` }, p.email))) : null,
    (p.websites || []).length ? block('Websites', ...p.websites.map((w) => h('p', h('a', { href: w, target: '_blank', rel: 'noopener' }, w)))) : null,
    p.vertical ? block('Category', h('p', p.vertical.toLowerCase().replace(/_/g, ' '))) : null);
}
