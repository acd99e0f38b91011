// The Updates tab: "My status" first (tap to view mine, + to post), then contacts' updates as
// avatars in rings (one segment per update, unseen ones coloured and seen ones grey), newest
// first, and muted authors in a collapsed "Muted updates" section. It keeps the feed live
// (frames, expiry) and opens the viewer and the posting flows.
import { h, frag, listTime, accountName } from '../util.js';
import { icon } from '../icons.js';
import { store } from '../store.js';
import { toast, popupMenu } from './dialog.js';
import { avatar } from './avatar.js';
import { statusFeed } from '../status-feed.js';
import { openViewer } from './status-viewer.js';
import { postText, postMedia } from './status-post.js';
import { audienceDialog, contactsDialog } from './status-audience.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An avatar inside a ring of `total` segments, the first `total - unseen` grey (seen). */
export function ringAvatar(name, photo, size, total, unseen, mine = false) {
  const box = h('span.ring-avatar', { dataset: { total: String(total), unseen: String(unseen) }, testid: 'status-ring' });
  box.style.width = box.style.height = `${size + 10}px`;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 100');
  svg.setAttribute('class', 'ring');
  svg.setAttribute('aria-hidden', 'true');
  const r = 47;
  const n = Math.max(total, 0);
  const gap = n > 1 ? 6 : 0; // degrees between segments
  for (let i = 0; i < n; i++) {
    const seg = 360 / n;
    const a0 = -90 + i * seg + gap / 2;
    const a1 = -90 + (i + 1) * seg - gap / 2;
    const p = document.createElementNS(SVG, n === 1 ? 'circle' : 'path');
    if (n === 1) {
      p.setAttribute('cx', '50'); p.setAttribute('cy', '50'); p.setAttribute('r', String(r));
    } else {
      const pt = (a) => `${50 + r * Math.cos((a * Math.PI) / 180)} ${50 + r * Math.sin((a * Math.PI) / 180)}`;
      p.setAttribute('d', `M ${pt(a0)} A ${r} ${r} 0 ${a1 - a0 > 180 ? 1 : 0} 1 ${pt(a1)}`);
    }
    const seen = mine || i < total - unseen;
    p.setAttribute('class', seen ? 'seg seen' : 'seg unseen');
    svg.append(p);
  }
  box.append(svg, avatar(name, photo, size));
  return box;
}

/** The tab's view object for components/tabs.js. */
export class UpdatesTab {
  /** The tab bar's icon: a ring with a dot. */
  static icon() {
    return frag('<svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 2a10 10 0 0 1 10 10h-2a8 8 0 0 0-8-8V2zm-7.1 3.3 1.4 1.4A8 8 0 0 0 4 12H2a10 10 0 0 1 2.9-6.7zM12 20a8 8 0 0 0 8-8h2a10 10 0 0 1-10 10v-2zm-7.1-1.3A10 10 0 0 1 2 12h2a8 8 0 0 0 2.3 5.3l-1.4 1.4zM12 7a5 5 0 1 1 0 10 5 5 0 0 1 0-10z"/></svg>');
  }

  constructor(ctx, tab) {
    this.ctx = ctx;
    this.tab = tab;
    this.mutedOpen = false;
    this.visible = false;
    const add = h('button.icon-btn', { type: 'button', title: 'Add status', 'aria-label': 'Add status', testid: 'status-add-menu', onclick: () => this.addMenu(add) }, icon('plus'));
    const more = h('button.icon-btn', {
      type: 'button', title: 'Menu', 'aria-label': 'Status menu', testid: 'status-menu',
      onclick: () => popupMenu(more, [
        { label: 'Status privacy', icon: 'lock', onClick: () => audienceDialog(), testid: 'status-privacy' },
        { label: 'My contacts', icon: 'contact', onClick: () => contactsDialog(), testid: 'status-contacts' },
      ]),
    }, icon('more'));
    this.list = h('div.updates-list', { testid: 'updates-list' });
    this.el = h('div.updates', { testid: 'updates' },
      h('header.side-head', h('span.side-title', 'Updates'), h('div.head-actions', add, more)),
      this.list);
    // A new session (after a logout) starts from an empty feed, without the last one's listeners.
    statusFeed.reset();
    for (const off of UpdatesTab.offs || []) off();
    UpdatesTab.offs = [
      statusFeed.on('change', () => this.render()),
      statusFeed.on('removed', () => this.render()),
      store.on('me', () => this.render()),
    ];
    if (ctx.rt) {
      statusFeed.attach(ctx.rt, (store.me && store.me.wa_id) || '');
      ctx.rt.on('ready', (f) => { if (f.account) statusFeed.me = f.account.wa_id; });
      // Loaded in the background for the tab's badge; errors are told only on the tab itself.
      ctx.rt.on('ready', () => { if (!statusFeed.loaded) this.load(true); });
    }
    this.render();
  }

  /** Load the feed once at a time; a failure is said once, not on every retry. */
  load(quiet = false) {
    if (store.me) statusFeed.me = store.me.wa_id;
    if (!this.loading) {
      this.loading = statusFeed.load().catch((e) => {
        if (e.status !== 401 && !quiet) toast(`Could not load updates: ${e.message}`, 'error');
      }).finally(() => { this.loading = null; });
    }
    return this.loading;
  }

  onShow() {
    this.visible = true;
    if (!statusFeed.loaded) this.load();
    this.render();
  }

  onHide() { this.visible = false; }

  addMenu(anchor) {
    popupMenu(anchor, [
      { label: 'Text', icon: 'edit', onClick: () => postText(), testid: 'status-new-text' },
      { label: 'Photo or video', icon: 'camera', onClick: () => postMedia(), testid: 'status-new-media' },
    ]);
  }

  /** Open the viewer on a list of author groups, starting at one of them. */
  view(groups, index, ads = []) {
    openViewer({
      groups, index, ads,
      onOpenChat: (chatId) => this.ctx.openChat && this.ctx.openChat(chatId),
    });
  }

  render() {
    const me = store.me || {};
    const mine = statusFeed.myUpdates();
    const { contacts, muted } = statusFeed.groups();
    const unseenAuthors = contacts.filter((g) => g.unseen > 0).length;
    this.tab && this.tab.setBadge(unseenAuthors > 0 ? true : '');

    const myName = accountName(me);
    const myGroup = { author: { wa_id: me.wa_id, name: myName }, updates: mine, mine: true };
    const myRow = h('div.status-row.my-status', { testid: 'my-status' },
      h('button.status-open', {
        type: 'button', testid: 'my-status-open', 'aria-label': mine.length ? 'View my status' : 'Add a status update',
        onclick: () => (mine.length ? this.view([myGroup], 0) : this.addMenu(plus)),
      },
      mine.length ? ringAvatar(myName, me.photo, 46, mine.length, 0, true) : h('span.ring-avatar.none', avatar(myName, me.photo, 46)),
      h('span.status-main',
        h('span.status-name', 'My status'),
        h('span.status-time.muted', mine.length ? listTime(mine[mine.length - 1].posted_at) : 'Tap to add status update'))));
    // The + sits on my avatar's corner but is the row's sibling button, not nested in it.
    const plus = h('button.status-plus', {
      type: 'button', title: 'Add status', 'aria-label': 'Add status', testid: 'my-status-add',
      onclick: (e) => { e.stopPropagation(); this.addMenu(plus); },
    }, icon('plus', 16));
    myRow.append(plus);

    const rows = [];
    const ads = statusFeed.ads || [];
    contacts.forEach((g, i) => {
      rows.push(this.row(g, () => this.view(contacts, i, ads)));
      // The ads feature's hook: a placement `after` i shows between rows in the viewer; the
      // list marks the spot so the sequence is visible here too.
      for (const a of ads.filter((x) => x.after === i)) rows.push(h('div.status-ad-slot', { testid: 'status-ad-slot', dataset: { ad: a.ad && a.ad.id } }));
    });

    const mutedSection = muted.length ? h('section.status-section.muted-section', { testid: 'muted-updates' },
      h('button.status-section-head.toggle', {
        type: 'button', 'aria-expanded': String(this.mutedOpen), testid: 'muted-toggle',
        onclick: () => { this.mutedOpen = !this.mutedOpen; this.render(); },
      }, h('span', 'Muted updates'), h('span.count', String(muted.length)), icon('down', 20, this.mutedOpen ? 'flip' : '')),
      this.mutedOpen ? muted.map((g, i) => this.row(g, () => this.view(muted, i))) : null) : null;

    this.list.replaceChildren(...[
      h('section.status-section', myRow),
      contacts.length ? h('section.status-section', { testid: 'recent-updates' }, h('h3.status-section-head', 'Recent updates'), rows) : null,
      mutedSection,
      !contacts.length && !muted.length ? h('p.status-empty.muted', { testid: 'updates-empty' }, 'No updates from your contacts yet. Their Status updates show here for 24 hours.') : null,
    ].filter(Boolean));
  }

  row(g, open) {
    const name = g.author.name || `+${g.author.wa_id}`;
    const acc = store.accounts.get(g.author.wa_id);
    return h('button.status-row', {
      type: 'button', testid: 'status-row', onclick: open,
      dataset: { waId: g.author.wa_id, unseen: String(g.unseen), name },
      'aria-label': `${name}, ${g.updates.length} update${g.updates.length === 1 ? '' : 's'}${g.unseen ? `, ${g.unseen} new` : ''}`,
    },
    ringAvatar(name, acc && acc.photo, 46, g.updates.length, g.unseen),
    h('span.status-main',
      h('span.status-name', { dir: 'auto' }, name),
      h('span.status-time.muted', listTime(g.latest_at))));
  }
}
