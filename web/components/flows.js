// Dialog flows that start something: new chat by phone number, new group (subject, photo,
// members by phone), forward a message to other chats, share a location, share a contact.
import { h, accountName, prettyPhone } from '../util.js';
import { icon } from '../icons.js';
import { api, seedMedia } from '../api.js';
import { store, preview } from '../store.js';
import { avatar } from './avatar.js';
import { modal, toast } from './dialog.js';

const notFound = (e) => (e.status === 404 ? 'Nobody uses Wasla with that number yet.' : e.message);

/** Ask for a phone number, look it up and open (or create) the direct chat. */
export function newChatDialog(onOpen, initialPhone = '') {
  const phone = h('input.text-input', { type: 'tel', placeholder: '+1 555 123 4567', 'aria-label': 'Phone number', testid: 'new-chat-phone', value: initialPhone, autofocus: true });
  const err = h('p.form-error', { role: 'alert', testid: 'new-chat-error' });
  const btn = h('button.btn.primary.wide', { type: 'submit', testid: 'new-chat-submit' }, 'Start chat');
  const form = h('form.dialog-form', {
    onsubmit: async (e) => {
      e.preventDefault();
      err.textContent = '';
      btn.disabled = true;
      try {
        const acc = await api.lookup(phone.value.trim());
        if (store.me && acc.wa_id === store.me.wa_id) throw new Error('That is your own number.');
        const chat = store.putChat(await api.openDirect(acc.wa_id));
        m.close();
        onOpen(chat.chat_id);
      } catch (ex) { err.textContent = notFound(ex); } finally { btn.disabled = false; }
    },
  }, h('p.muted', 'Enter the phone number of a person or business, with the country code.'), phone, err, btn);
  const m = modal({ title: 'New chat', body: form, testid: 'new-chat-dialog' });
}

export function newGroupDialog(onOpen) {
  const members = new Map();
  let photoId = null;
  const subject = h('input.text-input', { placeholder: 'Group subject', maxlength: 100, 'aria-label': 'Group subject', testid: 'group-subject-input', autofocus: true });
  const phone = h('input.text-input', { type: 'tel', placeholder: 'Add member by phone number', 'aria-label': 'Member phone number', testid: 'group-member-phone' });
  const chips = h('div.chips', { testid: 'group-member-chips' });
  const err = h('p.form-error', { role: 'alert', testid: 'new-group-error' });
  const photoInput = h('input', { type: 'file', accept: 'image/*', hidden: true, testid: 'group-photo-upload' });
  const photoPreview = avatar('', null, 72, true);
  const create = h('button.btn.primary.wide', { type: 'button', testid: 'group-create' }, 'Create group');

  const renderChips = () => chips.replaceChildren(...[...members.values()].map((a) => h('span.chip', { testid: 'group-member-chip', dataset: { waId: a.wa_id } },
    avatar(accountName(a), a.photo, 24), accountName(a),
    h('button.chip-x', { type: 'button', title: 'Remove', 'aria-label': `Remove ${accountName(a)}`, onclick: () => { members.delete(a.wa_id); renderChips(); } }, '×'))));
  const add = async () => {
    err.textContent = '';
    const v = phone.value.trim();
    if (!v) return;
    try {
      const acc = await api.lookup(v);
      if (store.me && acc.wa_id === store.me.wa_id) throw new Error('You are already in the group.');
      members.set(acc.wa_id, acc);
      // The next number may already be typed while this lookup ran; keep it.
      if (phone.value.trim() === v) phone.value = '';
      renderChips();
    } catch (ex) { err.textContent = notFound(ex); }
    phone.focus();
  };
  phone.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } });
  photoInput.addEventListener('change', async () => {
    const f = photoInput.files[0];
    if (!f) return;
    photoPreview.setAttribute('src', URL.createObjectURL(f));
    create.disabled = true;
    try {
      const up = await api.upload(f);
      photoId = up.id;
      seedMedia(up.id, f);
    } catch (ex) { err.textContent = ex.message; } finally { create.disabled = false; }
  });
  create.addEventListener('click', async () => {
    err.textContent = '';
    if (!subject.value.trim()) { err.textContent = 'Give the group a subject.'; subject.focus(); return; }
    if (phone.value.trim()) await add();
    if (!members.size) { err.textContent = 'Add at least one member.'; return; }
    create.disabled = true;
    try {
      const body = { subject: subject.value.trim(), members: [...members.keys()] };
      if (photoId) body.photo = photoId;
      const chat = store.putChat(await api.createGroup(body));
      m.close();
      onOpen(chat.chat_id);
    } catch (ex) { err.textContent = ex.message; } finally { create.disabled = false; }
  });
  const m = modal({
    title: 'New group',
    testid: 'new-group-dialog',
    body: h('div.dialog-form',
      h('div.group-top',
        h('button.photo-btn', { type: 'button', title: 'Group photo', 'aria-label': 'Group photo', onclick: () => photoInput.click() }, photoPreview, h('span.photo-badge', icon('camera', 16))),
        photoInput, subject),
      h('div.add-row', phone, h('button.btn', { type: 'button', testid: 'group-member-add', onclick: add }, icon('plus', 18), 'Add')),
      chips, err, create),
  });
}

/** Pick one or more chats and forward the message to each. */
export function forwardDialog(message, forward, onOpen) {
  const picked = new Set();
  const send = h('button.btn.primary.wide', { type: 'button', testid: 'forward-send', disabled: true }, 'Forward');
  const list = h('ul.pick-list', { testid: 'forward-list' }, store.sortedChats().filter((c) => !c.left).map((c) => {
    const box = h('input', { type: 'checkbox', 'aria-label': store.chatName(c) });
    box.addEventListener('change', () => {
      if (box.checked) picked.add(c.chat_id); else picked.delete(c.chat_id);
      send.disabled = !picked.size;
      send.textContent = picked.size > 1 ? `Forward to ${picked.size} chats` : 'Forward';
    });
    return h('li', h('label.pick-item', { testid: 'forward-target', dataset: { chatId: c.chat_id, name: store.chatName(c) } },
      box, avatar(store.chatName(c), c.kind === 'group' ? c.photo : c.peer && c.peer.photo, 36, c.kind === 'group'),
      h('span', store.chatName(c))));
  }));
  send.addEventListener('click', () => {
    for (const id of picked) forward(message, id);
    m.close();
    toast(picked.size > 1 ? `Forwarded to ${picked.size} chats` : 'Message forwarded');
    if (picked.size === 1) onOpen([...picked][0]);
  });
  const m = modal({
    title: 'Forward message', testid: 'forward-dialog',
    body: h('div.dialog-form', h('div.quote.static', h('span.quote-text', preview(message))), list, send),
  });
}

/** Share a location; `quote` (optional) shows what a business asked for. */
export function locationDialog(onSend, { quote } = {}) {
  const lat = h('input.text-input', { type: 'number', step: 'any', min: -90, max: 90, placeholder: 'Latitude', 'aria-label': 'Latitude', testid: 'location-lat' });
  const lon = h('input.text-input', { type: 'number', step: 'any', min: -180, max: 180, placeholder: 'Longitude', 'aria-label': 'Longitude', testid: 'location-lon' });
  const name = h('input.text-input', { placeholder: 'Place name (optional)', 'aria-label': 'Place name', testid: 'location-name' });
  const err = h('p.form-error', { role: 'alert' });
  const here = h('button.btn', {
    type: 'button', testid: 'location-here',
    onclick: () => {
      if (!navigator.geolocation) { err.textContent = 'Location is not available in this browser.'; return; }
      here.disabled = true;
      navigator.geolocation.getCurrentPosition((p) => {
        lat.value = p.coords.latitude.toFixed(6);
        lon.value = p.coords.longitude.toFixed(6);
        here.disabled = false;
      }, (e) => { err.textContent = e.message || 'Could not get your location.'; here.disabled = false; }, { timeout: 10000 });
    },
  }, icon('location', 18), ' Use my current location');
  const form = h('form.dialog-form', {
    onsubmit: (e) => {
      e.preventDefault();
      const la = Number(lat.value);
      const lo = Number(lon.value);
      if (lat.value === '' || lon.value === '' || !(la >= -90 && la <= 90) || !(lo >= -180 && lo <= 180)) {
        err.textContent = 'Enter a latitude between -90 and 90 and a longitude between -180 and 180.';
        return;
      }
      const location = { latitude: la, longitude: lo };
      if (name.value.trim()) location.name = name.value.trim();
      onSend({ type: 'location', location });
      m.close();
    },
  }, quote ? h('div.quote.static', { testid: 'location-request-quote' }, h('span.quote-text', quote)) : null,
  here, h('div.two', lat, lon), name, err, h('button.btn.primary.wide', { type: 'submit', testid: 'location-send' }, 'Send location'));
  const m = modal({ title: 'Share location', body: form, testid: 'location-dialog' });
}

export function contactDialog(onSend) {
  const name = h('input.text-input', { placeholder: 'Name', 'aria-label': 'Contact name', testid: 'contact-name-input', autofocus: true });
  const phone = h('input.text-input', { type: 'tel', placeholder: '+1 555 123 4567', 'aria-label': 'Contact phone', testid: 'contact-phone-input' });
  const err = h('p.form-error', { role: 'alert' });
  const known = [...store.accounts.values()].filter((a) => !store.me || a.wa_id !== store.me.wa_id);
  const suggestions = known.length ? h('ul.pick-list.short', known.slice(0, 8).map((a) => h('li', h('button.pick-item', {
    type: 'button', onclick: () => { name.value = accountName(a); phone.value = a.phone || `+${a.wa_id}`; },
  }, avatar(accountName(a), a.photo, 32), h('span', accountName(a)), h('span.muted.small', prettyPhone(a.phone)))))) : null;
  const form = h('form.dialog-form', {
    onsubmit: (e) => {
      e.preventDefault();
      const n = name.value.trim();
      const p = phone.value.replace(/[^\d+]/g, '');
      if (!n || p.replace(/\D/g, '').length < 6) { err.textContent = 'Enter a name and a phone number.'; return; }
      const digits = p.replace(/\D/g, '');
      const known2 = store.accounts.get(digits);
      const ph = { phone: p.startsWith('+') ? p : `+${digits}`, type: 'CELL' };
      if (known2) ph.wa_id = digits;
      onSend({ type: 'contacts', contacts: [{ name: { formatted_name: n }, phones: [ph] }] });
      m.close();
    },
  }, suggestions, name, phone, err, h('button.btn.primary.wide', { type: 'submit', testid: 'contact-send' }, 'Send contact'));
  const m = modal({ title: 'Share contact', body: form, testid: 'contact-dialog' });
}

export { toast };
