// The client's top-level tabs (Chats | Updates | Calls …): a registry that feature modules add
// their tab to, and the bar that shows whichever tabs are registered, as a rail beside the
// panes on a desktop and a bottom bar on a phone. Adding a tab is one `registerTab({...})`
// line; a tab that is not registered is simply not shown, and with a single tab the bar hides.
import { h } from '../util.js';
import { icon as namedIcon } from '../icons.js';

/**
 * A tab: {id, label, icon, order, create(ctx, handle) -> {el, onShow?(), onHide?()}}.
 * `icon` is an icons.js name or a function returning a node; `order` sorts the bar (Chats 10,
 * Updates 20, Calls 30). `create` runs once when the bar is built, so a tab keeps listening
 * to live events while hidden; `handle` is {setBadge(n|''|true), select()} for that tab.
 */
const registry = [];

/** Register a tab (one line per tab). Registering an id twice replaces the first. */
export function registerTab(def) {
  const i = registry.findIndex((t) => t.id === def.id);
  if (i >= 0) registry.splice(i, 1);
  registry.push(def);
  registry.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

/** The tabs registered so far, in bar order. */
export function registeredTabs() {
  return registry.slice();
}

/** The sidebar with its tab bar and one pane per registered tab. */
export class TabBar {
  /** ctx is handed to every tab's create(); it usually carries openChat, rt and the like. */
  constructor(ctx) {
    this.ctx = ctx;
    this.tabs = new Map();
    this.current = null;
    this.bar = h('nav.tab-bar', { role: 'tablist', 'aria-label': 'Sections', testid: 'tab-bar' });
    this.panes = h('div.tab-panes');
    this.el = h('aside.sidebar.side-tabs', { testid: 'side-tabs' }, this.bar, this.panes);
    for (const def of registry) this.add(def);
    this.bar.hidden = this.tabs.size < 2;
    this.el.classList.toggle('single-tab', this.tabs.size < 2);
    this.bar.addEventListener('keydown', (e) => this.onKey(e));
    const first = registry[0];
    if (first) this.select(first.id);
  }

  add(def) {
    const badge = h('span.tab-badge', { hidden: true, testid: `tab-badge-${def.id}` });
    const glyph = typeof def.icon === 'function' ? def.icon() : namedIcon(def.icon || 'info', 24);
    const button = h('button.tab-btn', {
      type: 'button', role: 'tab', id: `tab-${def.id}`, 'aria-selected': 'false', 'aria-controls': `pane-${def.id}`,
      tabindex: -1, title: def.label, testid: `tab-${def.id}`, dataset: { tab: def.id },
      onclick: () => this.select(def.id),
    }, h('span.tab-icon', glyph, badge), h('span.tab-label', def.label));
    const pane = h('section.tab-pane', { role: 'tabpanel', id: `pane-${def.id}`, 'aria-labelledby': `tab-${def.id}`, hidden: true, testid: `pane-${def.id}` });
    const entry = { def, button, pane, badge, view: null };
    this.tabs.set(def.id, entry);
    this.bar.append(button);
    this.panes.append(pane);
    const handle = { setBadge: (n) => this.setBadge(def.id, n), select: () => this.select(def.id) };
    try {
      entry.view = def.create(this.ctx, handle) || null;
    } catch (e) {
      console.error(`tab ${def.id}`, e);
    }
    const el = entry.view && (entry.view.el || entry.view);
    if (el instanceof Node) pane.append(el);
  }

  /** Show a tab by id (no-op for an id that is not registered). */
  select(id) {
    const next = this.tabs.get(id);
    if (!next || this.current === id) return;
    const prev = this.tabs.get(this.current);
    if (prev) {
      prev.pane.hidden = true;
      prev.button.setAttribute('aria-selected', 'false');
      prev.button.tabIndex = -1;
      prev.button.classList.remove('on');
      prev.view?.onHide?.();
    }
    this.current = id;
    next.pane.hidden = false;
    next.button.setAttribute('aria-selected', 'true');
    next.button.tabIndex = 0;
    next.button.classList.add('on');
    this.el.dataset.tab = id;
    next.view?.onShow?.();
  }

  /** A count (number > 0), a dot (true) or nothing ('' / 0 / false) on a tab's icon. */
  setBadge(id, n) {
    const t = this.tabs.get(id);
    if (!t) return;
    const show = n === true || (typeof n === 'number' && n > 0) || (typeof n === 'string' && n !== '');
    t.badge.hidden = !show;
    t.badge.classList.toggle('dot', n === true);
    t.badge.textContent = n === true || !show ? '' : String(n);
    t.button.setAttribute('aria-label', show && n !== true ? `${t.def.label}, ${n} new` : (show ? `${t.def.label}, new` : t.def.label));
  }

  /** The view object a tab's create() returned. */
  view(id) {
    return this.tabs.get(id)?.view || null;
  }

  onKey(e) {
    const ids = [...this.tabs.keys()];
    const i = ids.indexOf(this.current);
    const rtl = getComputedStyle(this.el).direction === 'rtl';
    const vertical = getComputedStyle(this.bar).flexDirection === 'column';
    const nextKeys = vertical ? ['ArrowDown'] : [rtl ? 'ArrowLeft' : 'ArrowRight'];
    const prevKeys = vertical ? ['ArrowUp'] : [rtl ? 'ArrowRight' : 'ArrowLeft'];
    let j = -1;
    if (nextKeys.includes(e.key)) j = (i + 1) % ids.length;
    else if (prevKeys.includes(e.key)) j = (i - 1 + ids.length) % ids.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = ids.length - 1;
    if (j < 0) return;
    e.preventDefault();
    this.select(ids[j]);
    this.tabs.get(ids[j]).button.focus();
  }
}
