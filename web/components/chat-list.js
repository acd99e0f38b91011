// The left pane: my header (avatar, new chat, new group, menu), a search filter and the chat
// list with avatar, name, verified badge, last message preview, ticks, time and unread badge.
import { h, listTime } from '../util.js';
import { icon, ticks, verifiedBadge } from '../icons.js';
import { store, preview } from '../store.js';
import { avatar } from './avatar.js';
import { popupMenu } from './dialog.js';

export class ChatList {
  constructor({ onOpen, onNewChat, onNewGroup, onProfile, onLogout }) {
    this.onOpen = onOpen;
    this.activeId = null;
    this.filter = '';
    this.items = new Map();
    this.meAvatar = h('button.me-btn', { type: 'button', title: 'Profile', 'aria-label': 'My profile', testid: 'me-button', onclick: onProfile });
    const menuBtn = h('button.icon-btn', {
      type: 'button', title: 'Menu', 'aria-label': 'Menu', testid: 'menu-button',
      onclick: () => popupMenu(menuBtn, [
        { label: 'New group', icon: 'group', onClick: onNewGroup, testid: 'menu-new-group' },
        { label: 'Profile', icon: 'person', onClick: onProfile, testid: 'menu-profile' },
        { label: 'Log out', icon: 'logout', onClick: onLogout, testid: 'logout-button', danger: true },
      ]),
    }, icon('more'));
    this.conn = h('div.conn-banner', { hidden: true, testid: 'connection-banner' });
    this.search = h('input.search-input', {
      type: 'search', placeholder: 'Search or start a new chat', 'aria-label': 'Search chats', testid: 'chat-search',
      oninput: () => { this.filter = this.search.value.trim().toLowerCase(); this.render(); },
    });
    this.list = h('ul.chat-list', { testid: 'chat-list', role: 'listbox', 'aria-label': 'Chats' });
    this.empty = h('div.empty-list', { testid: 'chat-list-empty' },
      h('p', 'No chats yet'),
      h('button.btn.primary', { type: 'button', onclick: onNewChat }, 'Start a chat'));
    this.el = h('aside.sidebar', { testid: 'sidebar' },
      h('header.side-head', this.meAvatar, h('span.side-title', 'Chats'),
        h('div.head-actions',
          h('button.icon-btn', { type: 'button', title: 'New group', 'aria-label': 'New group', testid: 'new-group-button', onclick: onNewGroup }, icon('group')),
          h('button.icon-btn', { type: 'button', title: 'New chat', 'aria-label': 'New chat', testid: 'new-chat-button', onclick: onNewChat }, icon('chat')),
          menuBtn)),
      this.conn,
      h('div.search-bar', h('span.search-icon', icon('search', 20)), this.search),
      this.list, this.empty);
    store.on('chats', () => this.render());
    store.on('typing', () => this.render());
    store.on('me', () => this.renderMe());
    this.renderMe();
  }

  renderMe() {
    const me = store.me;
    this.meAvatar.replaceChildren(avatar(me ? me.display_name : '', me && me.photo, 40));
  }

  setConnection(state) {
    this.conn.hidden = state === 'online';
    this.conn.textContent = state === 'connecting' ? 'Connecting…' : 'Offline. Trying to reconnect…';
    this.conn.dataset.state = state;
  }

  setActive(id) {
    this.activeId = id;
    for (const [cid, li] of this.items) li.classList.toggle('active', cid === id);
  }

  render() {
    const chats = store.sortedChats().filter((c) => !this.filter
      || store.chatName(c).toLowerCase().includes(this.filter)
      || (c.peer && (c.peer.phone || '').includes(this.filter)));
    const seen = new Set();
    let prev = null;
    for (const c of chats) {
      seen.add(c.chat_id);
      let li = this.items.get(c.chat_id);
      if (!li) {
        li = h('li.chat-item', {
          role: 'option', tabindex: 0, testid: 'chat-item', dataset: { chatId: c.chat_id },
          onclick: () => this.onOpen(c.chat_id),
          onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.onOpen(c.chat_id); } },
        });
        this.items.set(c.chat_id, li);
      }
      this.fill(li, c);
      const want = prev ? prev.nextSibling : this.list.firstChild;
      if (want !== li) this.list.insertBefore(li, want);
      prev = li;
    }
    for (const [id, li] of this.items) {
      if (!seen.has(id)) { li.remove(); this.items.delete(id); }
    }
    this.empty.hidden = store.chats.size > 0 || !store.chatsLoaded;
  }

  fill(li, c) {
    const name = store.chatName(c);
    const m = c.last_message;
    const typers = store.typingIn(c.chat_id);
    const photo = c.kind === 'group' ? c.photo : c.peer && c.peer.photo;
    const key = JSON.stringify([name, photo, m && m.id, m && m.status, c.unread, typers, c.left, this.activeId === c.chat_id]);
    if (li._key === key) return;
    li._key = key;
    li.dataset.name = name;
    li.setAttribute('aria-selected', String(this.activeId === c.chat_id));
    li.classList.toggle('active', this.activeId === c.chat_id);
    li.classList.toggle('unread', (c.unread || 0) > 0);
    let line;
    if (typers.length) {
      line = h('span.typing-text', c.kind === 'group' ? `${store.senderName(c.chat_id, typers[0])} is typing…` : 'typing…');
    } else if (m) {
      const mine = store.isMine(m);
      const who = c.kind === 'group' && !mine && m.type !== 'system' ? `${store.senderName(c.chat_id, m.from)}: ` : '';
      line = h('span.preview-text', mine && m.type !== 'system' && m.type !== 'reaction' ? ticks(m.status || 'sent') : null, who, preview(m));
    } else {
      line = h('span.preview-text.muted', c.kind === 'group' ? 'Group created' : 'Tap to start chatting');
    }
    const biz = c.kind === 'direct' && c.peer && c.peer.kind === 'business' && c.peer.verified_name;
    li.replaceChildren(
      avatar(name, photo, 49, c.kind === 'group'),
      h('div.chat-main',
        h('div.chat-row',
          h('span.chat-name', { testid: 'chat-item-name' }, h('span.name-text', name), biz ? verifiedBadge() : null),
          h('span.chat-time', listTime(m ? m.timestamp : c.created_at))),
        h('div.chat-row',
          h('span.chat-preview', { testid: 'chat-item-preview' }, line),
          c.unread > 0 ? h('span.unread-badge', { testid: 'chat-item-unread', 'aria-label': `${c.unread} unread` }, String(c.unread)) : null)),
    );
  }
}
