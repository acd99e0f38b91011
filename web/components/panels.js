// The right-hand drawer: contact profile, group info (subject, photo, members and roles with
// admin actions, add members, leave), my own profile editor with my privacy settings, and
// per-recipient message info.
import { h, accountName, prettyPhone, clock, dayLabel } from '../util.js';
import { icon, verifiedBadge, ticks } from '../icons.js';
import { api, seedMedia, session } from '../api.js';
import { store, preview } from '../store.js';
import { avatar } from './avatar.js';
import { businessTools, businessDetails } from './business-tools.js';
import { loadShop } from './shop.js';
import { confirmDialog, toast, popupMenu } from './dialog.js';
import { privacySettings } from './privacy-settings.js';
import { profileActions } from './block-report.js';
import { businessPacks } from './sticker-picker.js';

export class Panel {
  constructor({ onOpenChat, onOpenShop }) {
    this.onOpenChat = onOpenChat;
    this.onOpenShop = onOpenShop;
    this.title = h('h2');
    this.content = h('div.panel-body');
    this.el = h('aside.panel', { hidden: true, testid: 'side-panel', 'aria-label': 'Details' },
      h('header.panel-head',
        h('button.icon-btn', { type: 'button', title: 'Close', 'aria-label': 'Close panel', testid: 'panel-close', onclick: () => this.close() }, icon('close')),
        this.title),
      this.content);
    this.view = null;
    store.on('chat', (id) => { if (this.view && this.view.chatId === id) this.refresh(); });
    store.on('me', () => { if (this.view && this.view.kind === 'me') this.refresh(); });
  }

  show(kind, title, data) {
    this.view = { kind, ...data };
    this.title.textContent = title;
    this.el.hidden = false;
    document.body.classList.add('panel-open');
    this.refresh();
  }

  close() {
    this.view = null;
    this.el.hidden = true;
    document.body.classList.remove('panel-open');
  }

  refresh() {
    const v = this.view;
    if (!v) return;
    const body = v.kind === 'group' ? this.groupInfo(v.chatId)
      : v.kind === 'profile' ? this.profile(v.chatId)
        : v.kind === 'me' ? this.myProfile()
          : v.kind === 'info' ? this.messageInfo(v.chatId, v.message) : null;
    this.content.replaceChildren(...(body ? [body] : []));
  }

  chatInfo(chatId) {
    const c = store.chats.get(chatId);
    if (!c) return;
    if (c.kind === 'group') this.show('group', 'Group info', { chatId });
    else this.show('profile', c.peer && c.peer.kind === 'business' ? 'Business info' : 'Contact info', { chatId });
  }

  profile(chatId) {
    const c = store.chats.get(chatId);
    const p = (c && c.peer) || {};
    const biz = p.kind === 'business';
    return h('div.profile', { testid: 'profile-panel' },
      h('div.profile-hero', avatar(accountName(p), p.photo, 200),
        h('h3', { testid: 'profile-name' }, accountName(p), biz && p.verified_name ? verifiedBadge() : null),
        h('p.muted', { testid: 'profile-phone' }, prettyPhone(p.phone))),
      biz ? h('section.info-block', h('label', 'Business'), h('p', { testid: 'profile-verified-name' }, p.verified_name || p.display_name || ''), h('p.muted.small', 'This is a business account.')) : null,
      h('section.info-block', h('label', 'About'), h('p', { testid: 'profile-about' }, p.about || '—')),
      biz ? this.shopEntry(chatId, p.wa_id) : null,
      biz ? this.bizDetails(p.wa_id) : null,
      biz ? businessPacks(p.wa_id) : null,
      profileActions(p),
    );
  }

  /** A "View catalog" button, shown once the business's catalog turns out to be visible. */
  shopEntry(chatId, waId) {
    const slot = h('div');
    loadShop(waId).then((shop) => {
      if (!shop || !this.onOpenShop) return;
      slot.replaceChildren(h('section.info-block',
        h('button.btn', { type: 'button', testid: 'profile-shop', onclick: () => this.onOpenShop(chatId) }, 'View catalog')));
    }).catch(() => {});
    return slot;
  }

  /** A slot filled with the business's details once they load. */
  bizDetails(waId) {
    const slot = h('div');
    businessTools(waId).then((t) => slot.replaceChildren(businessDetails(t))).catch(() => {});
    return slot;
  }

  groupInfo(chatId) {
    const c = store.chats.get(chatId);
    if (!c) return h('p', 'Unknown group');
    const admin = c.me_role === 'admin' && !c.left;
    const me = store.me;
    const photoInput = h('input', { type: 'file', accept: 'image/*', hidden: true, testid: 'group-photo-input' });
    photoInput.addEventListener('change', async () => {
      const f = photoInput.files[0];
      if (!f) return;
      try {
        const up = await api.upload(f);
        seedMedia(up.id, f);
        store.putChat(await api.updateChat(chatId, { photo: up.id }));
      } catch (e) { toast(e.message, 'error'); }
    });
    const subject = h('div.subject-row',
      h('h3', { testid: 'group-subject' }, c.subject || 'Group'),
      admin ? h('button.icon-btn', { type: 'button', title: 'Change subject', 'aria-label': 'Change subject', testid: 'edit-subject', onclick: () => editSubject() }, icon('edit', 20)) : null);
    const editSubject = () => {
      const input = h('input.text-input', { value: c.subject || '', maxlength: 100, 'aria-label': 'Group subject', testid: 'subject-input' });
      const save = async () => {
        const v = input.value.trim();
        if (!v || v === c.subject) { this.refresh(); return; }
        try { store.putChat(await api.updateChat(chatId, { subject: v })); } catch (e) { toast(e.message, 'error'); this.refresh(); }
      };
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') save(); if (e.key === 'Escape') this.refresh(); });
      subject.replaceChildren(input, h('button.icon-btn', { type: 'button', title: 'Save', 'aria-label': 'Save subject', testid: 'subject-save', onclick: save }, icon('check', 20)));
      input.focus();
      input.select();
    };
    const members = [...(c.members || [])].sort((a, b) => (b.account.wa_id === me.wa_id) - (a.account.wa_id === me.wa_id)
      || (a.role === 'admin' ? -1 : 1) - (b.role === 'admin' ? -1 : 1) || accountName(a.account).localeCompare(accountName(b.account)));
    const addErr = h('p.form-error', { role: 'alert', testid: 'add-member-error' });
    const addPhone = h('input.text-input', { type: 'tel', placeholder: 'Phone number', 'aria-label': 'Phone number to add', testid: 'add-member-phone' });
    const addForm = admin ? h('form.add-member', {
      onsubmit: async (e) => {
        e.preventDefault();
        addErr.textContent = '';
        try {
          const acc = await api.lookup(addPhone.value.trim());
          store.putChat(await api.addMembers(chatId, [acc.wa_id]));
          addPhone.value = '';
        } catch (ex) { addErr.textContent = ex.status === 404 ? 'Nobody uses Wasla with that number.' : ex.message; }
      },
    }, addPhone, h('button.btn.primary', { type: 'submit', testid: 'add-member-submit' }, icon('plus', 18), 'Add'), addErr) : null;

    return h('div.group-info', { testid: 'group-info' },
      h('div.profile-hero',
        h('button.photo-btn', { type: 'button', disabled: !admin, title: admin ? 'Change group photo' : 'Group photo', onclick: () => photoInput.click() },
          avatar(c.subject, c.photo, 160, true), admin ? h('span.photo-badge', icon('camera', 18)) : null),
        photoInput, subject,
        h('p.muted', { testid: 'group-member-count' }, `Group · ${(c.members || []).length} members`)),
      h('section.info-block',
        h('label', `${(c.members || []).length} members`),
        addForm,
        h('ul.member-list', { testid: 'member-list' }, members.map((mem) => this.memberRow(c, mem, admin)))),
      c.left ? h('p.muted.center', { testid: 'left-group-note' }, 'You are no longer a member of this group.')
        : h('button.btn.danger.wide', {
          type: 'button', testid: 'leave-group',
          onclick: async () => {
            if (!(await confirmDialog('Exit group?', `Leave "${c.subject}"? You will stop receiving its messages.`, 'Exit group', true))) return;
            try {
              await api.leave(chatId);
              store.putChat(await api.chat(chatId).catch(() => ({ ...c, left: true })));
            } catch (e) { toast(e.message, 'error'); }
          },
        }, icon('exit', 20), ' Exit group'));
  }

  memberRow(c, mem, admin) {
    const a = mem.account;
    const isMe = a.wa_id === store.me.wa_id;
    const act = async (fn, what) => {
      try { store.putChat(await fn()); } catch (e) { toast(`${what}: ${e.message}`, 'error'); }
    };
    const more = admin && !isMe ? h('button.icon-btn', {
      type: 'button', title: 'Member actions', 'aria-label': `Actions for ${accountName(a)}`, testid: 'member-actions',
      onclick: () => popupMenu(more, [
        mem.role === 'admin'
          ? { label: 'Dismiss as admin', onClick: () => act(() => api.revokeAdmin(c.chat_id, a.wa_id), 'Dismiss admin'), testid: 'member-revoke-admin' }
          : { label: 'Make group admin', onClick: () => act(() => api.makeAdmin(c.chat_id, a.wa_id), 'Make admin'), testid: 'member-make-admin' },
        { label: 'Message', onClick: () => api.openDirect(a.wa_id).then((ch) => { store.putChat(ch); this.onOpenChat(ch.chat_id); }), testid: 'member-message' },
        { label: 'Remove', danger: true, testid: 'member-remove',
          onClick: async () => {
            if (await confirmDialog('Remove member?', `Remove ${accountName(a)} from "${c.subject}"?`, 'Remove', true)) {
              act(() => api.removeMember(c.chat_id, a.wa_id), 'Remove');
            }
          } },
      ]),
    }, icon('more', 20)) : null;
    return h('li.member', { testid: 'member-item', dataset: { waId: a.wa_id, role: mem.role } },
      avatar(accountName(a), a.photo, 40),
      h('div.member-main',
        h('span.member-name', { testid: 'member-name' }, isMe ? 'You' : accountName(a)),
        h('span.muted.small', a.about || prettyPhone(a.phone))),
      mem.role === 'admin' ? h('span.role-tag', { testid: 'member-role' }, 'Group admin') : null,
      more);
  }

  myProfile() {
    const me = store.me;
    const err = h('p.form-error', { role: 'alert' });
    const photoInput = h('input', { type: 'file', accept: 'image/*', hidden: true, testid: 'my-photo-input' });
    const save = async (patch) => {
      err.textContent = '';
      try {
        const acc = await api.updateMe(patch);
        session.setAccount(acc);
        store.setMe(acc);
        toast('Profile updated');
      } catch (e) { err.textContent = e.message; }
    };
    photoInput.addEventListener('change', async () => {
      const f = photoInput.files[0];
      if (!f) return;
      try {
        const up = await api.upload(f);
        seedMedia(up.id, f);
        await save({ photo: up.id });
      } catch (e) { err.textContent = e.message; }
    });
    const name = h('input.text-input', { value: me.display_name || '', maxlength: 64, 'aria-label': 'Your name', testid: 'my-name' });
    const about = h('input.text-input', { value: me.about || '', maxlength: 140, 'aria-label': 'About', testid: 'my-about' });
    const form = h('form.my-profile', {
      testid: 'my-profile',
      onsubmit: (e) => { e.preventDefault(); save({ display_name: name.value.trim(), about: about.value.trim() }); },
    },
    h('div.profile-hero',
      h('button.photo-btn', { type: 'button', title: 'Change photo', onclick: () => photoInput.click() },
        avatar(me.display_name, me.photo, 160), h('span.photo-badge', icon('camera', 18))),
      photoInput,
      h('p.muted', prettyPhone(me.phone))),
    h('label.field', h('span', 'Your name'), name),
    h('label.field', h('span', 'About'), about),
    err,
    h('button.btn.primary.wide', { type: 'submit', testid: 'my-profile-save' }, 'Save'));
    return h('div.me-panel', form, privacySettings());
  }

  messageInfo(chatId, m) {
    const list = h('ul.receipt-list', { testid: 'receipt-list' }, h('li.muted', 'Loading…'));
    const c = store.chats.get(chatId);
    api.receipts(chatId, m.id).then((res) => {
      const rows = (res.data || []).map((r) => {
        const mem = c && (c.members || []).find((x) => x.account.wa_id === r.wa_id);
        const name = mem ? accountName(mem.account) : store.senderName(chatId, r.wa_id);
        return h('li.receipt', { testid: 'receipt-item', dataset: { waId: r.wa_id, status: r.status } },
          avatar(name, mem && mem.account.photo, 36),
          h('span.member-main', h('span.member-name', name),
            h('span.muted.small', r.timestamp ? `${dayLabel(r.timestamp)} ${clock(r.timestamp)}` : '')),
          ticks(r.status));
      });
      list.replaceChildren(...(rows.length ? rows : [h('li.muted', 'No recipients yet')]));
    }, (e) => list.replaceChildren(h('li.form-error', e.message)));
    return h('div.message-info', { testid: 'message-info' },
      h('div.info-preview', h('div.bubble.mine-preview', preview(m)),
        h('p.muted.small', `Sent ${dayLabel(m.timestamp)} at ${clock(m.timestamp)}`)),
      h('section.info-block', h('label', 'Recipients'), list));
  }
}
