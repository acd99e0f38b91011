// The console's shared state: the signed-in agent, the business's numbers, agents and labels,
// the open chat and the inbox filters, whether the server can be reached, and the small
// helpers every page uses to show them: names kept apart from the text around them (`bdi`),
// times in the browser's own 12- or 24-hour style (`fmtTime`, `fmtDateTime`), agents'
// presence dots (grey "unknown" while offline).
import { api, h } from './api.js';

export const state = {
  me: null, numbers: [], agents: [], labels: [], chat: null,
  filters: { state: '', assignee: '', label: '', q: '', sort: '' },
  timer: null, live: {}, stream: null,
  /** True while the server cannot be reached (the live stream is down and requests fail). */
  offline: false,
  /** The current page's handler of live items (set by the page, cleared on navigation). */
  pageLive: null,
};

/** An agent's name by id ('—' when unknown). */
export const agentName = (id) => state.agents.find((a) => a.id === id)?.name || '—';

/** User text (a name, a preview) isolated from its surroundings and laid out in its own
 * direction, so an Arabic name never runs into a number or price next to it. */
export const bdi = (text, attrs = {}) => h('bdi', { dir: 'auto', ...attrs }, text ?? '');

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A time of day as the browser's locale writes it (12- or 24-hour); an earlier day adds its
 * date. Every page formats times with this, so they agree. */
export function fmtTime(ms) {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  return today ? timeFmt.format(d) : `${dayFmt.format(d)}, ${timeFmt.format(d)}`;
}

/** Date and time in full, for titles and details. */
export const fmtDateTime = (ms) => (ms === null || ms === undefined ? '' : fullFmt.format(new Date(ms)));

/** A label's coloured chip by id (nothing when unknown). */
export const labelChip = (id) => {
  const l = state.labels.find((x) => x.id === id);
  return l ? h('span.chip', { style: `background:${l.color}`, testid: 'label-chip' }, bdi(l.name)) : null;
};

/** Reload the business's agents and labels. */
export async function refreshAgents() {
  state.agents = (await api.agents()).data;
  state.labels = (await api.labels()).data;
}

/** Whether an agent is online: unknown (null) while the server cannot be reached. */
export const agentOnline = (a) => (state.offline ? null : (state.live[a.id] ?? a.online));

/** The agents' presence dots for the top bar. */
export const presence = () => h('div.presence', { testid: 'presence' }, state.agents.map((a) => {
  const on = agentOnline(a);
  const label = on === null ? 'unknown while offline' : on ? 'online' : 'offline';
  return h('span', { 'data-agent': a.id, 'data-online': String(on), title: `${a.name}: ${label}` },
    h(`span.dot${on === null ? '.unknown' : on ? '.on' : ''}`, { 'aria-label': label }), bdi(a.name));
}));

/** Redraw the top bar's presence dots in place. */
export const redrawPresence = () => document.querySelector('[data-testid="presence"]')?.replaceWith(presence());
