// The settings page of the console: a home listing every area an owner can change alone, and
// the area chosen in the route (`#/settings/<area>`), each from its own module. Admins edit;
// agents see the same pages read-only, without the apps.
import { h } from '../api.js';
import { isAdmin, readOnlyNote } from './form.js';
import { profileView } from './profile.js';
import { hoursView } from './hours.js';
import { automationView } from './automation.js';
import { repliesView } from './replies.js';
import { labelsView } from './labels.js';
import { agentsView } from './agents.js';
import { commerceView } from './commerce.js';
import { templatesView } from './templates.js';
import { appsView } from './apps.js';

const areas = [
  { id: 'profile', label: 'Business profile', about: 'About, description, address, email, websites, category and photo.', view: profileView },
  { id: 'hours', label: 'Business hours', about: 'Opening hours, holidays and the time zone they are in.', view: hoursView },
  { id: 'automation', label: 'Automated messages', about: 'Greeting and away messages, FAQ answers, ice-breakers and commands.', view: automationView },
  { id: 'replies', label: 'Quick replies', about: 'Saved answers agents insert by typing / in a chat.', view: repliesView },
  { id: 'labels', label: 'Labels', about: 'Coloured labels to sort chats and customers.', view: labelsView },
  { id: 'agents', label: 'Team', about: 'Invite agents, choose their role, deactivate them.', view: agentsView },
  { id: 'commerce', label: 'Shop', about: 'Cart and catalog visibility; the catalog itself.', view: commerceView },
  { id: 'templates', label: 'Message templates', about: 'Templates for messages outside the 24-hour window, and their review.', view: templatesView },
  { id: 'qr', label: 'QR codes & links', about: 'QR codes and short links that open a chat with you.', href: '#/qr' },
  { id: 'apps', label: 'Apps & webhooks', about: 'Your integrations: webhook URLs and verify tokens.', view: appsView, admin: true },
];

function home(visible) {
  return h('div.st-home', { testid: 'settings-home' },
    h('h2', {}, 'Settings'),
    readOnlyNote(),
    h('ul.st-areas', {}, visible.map((a) => h('li', {},
      h('a.st-area', { href: a.href || `#/settings/${a.id}`, testid: `settings-area-${a.id}` },
        h('strong', {}, a.label), h('span', {}, a.about))))));
}

/** The settings page for the current route. */
export function settingsView() {
  const visible = areas.filter((a) => !a.admin || isAdmin());
  const id = /^#\/settings\/([a-z]+)/.exec(location.hash)?.[1];
  const area = visible.find((a) => a.id === id && a.view);
  const nav = h('nav.st-nav', { 'aria-label': 'Settings areas' },
    h('a', { href: '#/settings', class: area ? '' : 'on' }, 'All settings'),
    visible.map((a) => h('a', { href: a.href || `#/settings/${a.id}`, class: area?.id === a.id ? 'on' : '', testid: `settings-nav-${a.id}` }, a.label)));
  const body = area
    ? h('div.st-area-page', { testid: `settings-${area.id}` },
      h('a.st-back', { href: '#/settings' }, '‹ All settings'),
      h('h2', {}, area.label), readOnlyNote(), area.view())
    : home(visible);
  return h('div.page.st-page', { testid: 'settings-page' }, nav, h('div.st-main', {}, body));
}
