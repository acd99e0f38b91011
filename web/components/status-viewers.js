// The viewers sheet of one of my Status updates: who viewed it and when, with their reaction,
// most recent first, kept live as new viewers arrive (the author's status_viewed frames).
import { h, clock, listTime } from '../util.js';
import { icon } from '../icons.js';
import { avatar } from './avatar.js';
import { statusFeed, statusApi } from '../status-feed.js';

/** Open the sheet over `parent` for update u; onClose runs once. Returns {close}. */
export function viewersSheet(u, parent, onClose) {
  const viewers = new Map();
  const count = h('h2', { testid: 'status-viewers-count' }, 'Viewed by …');
  const list = h('ul.sv-viewer-list', { testid: 'status-viewers' });
  const render = () => {
    const all = [...viewers.values()].sort((a, b) => b.viewed_at - a.viewed_at);
    count.textContent = `Viewed by ${all.length}`;
    list.replaceChildren(...(all.length ? all.map((v) => h('li.sv-viewer', { testid: 'status-viewer-row', dataset: { waId: v.wa_id } },
      avatar(v.name, null, 40),
      h('span.sv-viewer-main', h('span.sv-viewer-name', { dir: 'auto' }, v.name || `+${v.wa_id}`),
        h('span.muted.small', listTime(v.viewed_at) === clock(v.viewed_at) ? `Today, ${clock(v.viewed_at)}` : `${listTime(v.viewed_at)}, ${clock(v.viewed_at)}`)),
      v.reaction ? h('span.sv-viewer-reaction', { testid: 'status-viewer-reaction', title: 'Reaction' }, v.reaction) : null))
      : [h('li.muted.sv-none', 'No views yet')]));
  };
  const close = () => {
    if (!sheet.isConnected) return;
    off();
    sheet.remove();
    onClose && onClose();
  };
  const off = statusFeed.on('viewers', (id, viewer) => {
    if (id !== u.id || !viewer) return;
    const old = viewers.get(viewer.wa_id);
    viewers.set(viewer.wa_id, { ...old, ...viewer, viewed_at: old ? Math.min(old.viewed_at, viewer.viewed_at) : viewer.viewed_at });
    render();
  });
  const sheet = h('div.sv-sheet', {
    role: 'dialog', 'aria-label': 'Viewers', testid: 'status-viewers-sheet',
    onpointerdown: (e) => e.stopPropagation(),
  },
  h('header.sv-sheet-head', count,
    h('button.icon-btn', { type: 'button', title: 'Close', 'aria-label': 'Close viewers', testid: 'status-viewers-close', onclick: close }, icon('close'))),
  list);
  parent.append(sheet);
  render();
  statusApi.viewers(u.id).then((r) => {
    for (const v of r.viewers || []) if (!viewers.has(v.wa_id)) viewers.set(v.wa_id, v);
    render();
  }, () => { list.replaceChildren(h('li.muted.sv-none', 'Could not load viewers')); });
  return { close };
}
