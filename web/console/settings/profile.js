// The business profile settings: about, description, address, email, two websites, the
// category (vertical) and the profile photo, per phone number. The server checks each field
// as the Cloud API does; its reason shows under the field.
import { session } from '../api.js';
import { call, h, field, input, select, form, section, upload, numberPicker, showError, isAdmin } from './form.js';

const VERTICALS = [['', 'Choose a category'], ['OTHER', 'Other'], ['AUTO', 'Automotive'], ['BEAUTY', 'Beauty, spa and salon'],
  ['APPAREL', 'Clothing and apparel'], ['EDU', 'Education'], ['ENTERTAIN', 'Entertainment'], ['EVENT_PLAN', 'Event planning'],
  ['FINANCE', 'Finance and banking'], ['GROCERY', 'Food and grocery'], ['GOVT', 'Public service'], ['HOTEL', 'Hotel and lodging'],
  ['HEALTH', 'Medical and health'], ['NONPROFIT', 'Non-profit'], ['PROF_SERVICES', 'Professional services'],
  ['RETAIL', 'Shopping and retail'], ['TRAVEL', 'Travel and transportation'], ['RESTAURANT', 'Restaurant']];

/** The profile page. */
export function profileView() {
  let number = null;
  const f = {
    about: field('About', input({ maxlength: 139, testid: 'profile-about' }), ['about'], 'Up to 139 characters, shown under your name.'),
    description: field('Description', h('textarea', { rows: 3, maxlength: 512, testid: 'profile-description' }), ['description']),
    address: field('Address', input({ maxlength: 256, testid: 'profile-address' }), ['address']),
    email: field('Email', input({ type: 'email', testid: 'profile-email' }), ['email']),
    site1: field('Website', input({ type: 'url', placeholder: 'https://', testid: 'profile-website-1' }), ['websites']),
    site2: field('Second website', input({ type: 'url', placeholder: 'https://', testid: 'profile-website-2' }), ['websites']),
    vertical: field('Category', select(VERTICALS, { testid: 'profile-vertical' }), ['vertical']),
  };
  const preview = h('img.st-avatar', { alt: 'Profile photo', testid: 'profile-photo', hidden: true });
  const file = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', testid: 'profile-photo-file' });
  const photo = field('Profile photo', file, ['photo', 'image', 'profile_picture_handle'], 'JPEG, PNG or WebP, up to 5 MB.');
  const photoStatus = h('span.st-saved', { role: 'status', testid: 'profile-photo-saved' });
  let objectUrl = null;
  async function showPhoto(v) {
    if (!v.photo_url) { preview.hidden = true; return; }
    // The photo is read with the session header, then shown from a blob URL.
    const r = await fetch(v.photo_url, { headers: { Authorization: `Bearer ${session.token}` } });
    if (!r.ok) return;
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(await r.blob());
    preview.src = objectUrl;
    preview.hidden = false;
  }
  file.onchange = async () => {
    if (!file.files[0]) return;
    photoStatus.textContent = '';
    try {
      const v = await upload(`/numbers/${number}/photo`, file.files[0]);
      await showPhoto(v);
      photoStatus.textContent = 'Photo saved';
      photo.error.textContent = '';
    } catch (e) { showError(e, [photo]); }
  };
  function fill(v) {
    f.about.input.value = v.about || '';
    f.description.input.value = v.description || '';
    f.address.input.value = v.address || '';
    f.email.input.value = v.email || '';
    f.site1.input.value = v.websites?.[0] || '';
    f.site2.input.value = v.websites?.[1] || '';
    f.vertical.input.value = v.vertical || '';
    showPhoto(v);
  }
  const fields = Object.values(f);
  const el = form({
    testid: 'profile-form',
    fields,
    save: async () => {
      const body = {
        about: f.about.input.value, description: f.description.input.value, address: f.address.input.value,
        email: f.email.input.value, websites: [f.site1.input.value, f.site2.input.value].map((s) => s.trim()).filter(Boolean),
      };
      if (f.vertical.input.value) body.vertical = f.vertical.input.value;
      fill(await call('PUT', `/numbers/${number}/profile`, body));
    },
  });
  if (!isAdmin()) file.disabled = true;
  const picker = numberPicker(async (id) => {
    number = id;
    if (id) fill(await call('GET', `/numbers/${id}/profile`));
  });
  return h('div.st-stack', {}, picker,
    section('Photo', 'Customers see it in chats and in your shop.', h('div.st-photo', {}, preview, photo, photoStatus)),
    section('About the business', 'What customers read when they open your profile.', el));
}
