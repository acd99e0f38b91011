// What a business number offers in its chat: "open now / opens at" from its business hours,
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

/** "Open now" or "Opens Mon 09:00", in the person's own time. */
export function openText(tools) {
  const o = tools && tools.open;
  if (!o) return '';
  if (o.open_now) return 'Open now';
  if (!o.opens_at) return 'Closed';
  const d = new Date(o.opens_at);
  return `Opens ${d.toLocaleDateString([], { weekday: 'short' })} ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
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
