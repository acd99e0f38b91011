// Registration and sign-in: phone number → 6-digit code → (new accounts) display name and
// optional photo. Calls onDone(account) once the session is stored and the profile set. A
// visitor sent here by a public catalog's "order in chat" is told why they sign in (the app
// opens the shop once they have).
import { h, deviceName, prettyPhone } from '../util.js';
import { api, session, seedMedia } from '../api.js';
import { icon } from '../icons.js';
import { avatar } from './avatar.js';

export function authView(onDone) {
  const root = h('main.auth', { testid: 'auth' });
  const card = h('section.auth-card');
  const fromShop = /^#\/shop\/\d+/.test(location.hash);
  root.append(
    h('div.auth-brand', h('div.logo', icon('chat', 30)), h('span', 'Wasla')),
    fromShop ? h('p.auth-reason', { testid: 'auth-reason', role: 'note' },
      h('strong', 'Sign in to order. '),
      'Orders and payments happen in a chat with the business, so it needs to know who to answer: sign in with your phone number and you come straight back to the shop.') : null,
    card,
    h('p.auth-foot', icon('lock', 14), ' Your messages stay on the server you trust.'),
  );
  let phone = '';

  const errorLine = () => h('p.form-error', { role: 'alert', testid: 'auth-error' });
  const fail = (line, e) => { line.textContent = e.message || String(e); };

  function stepPhone() {
    const input = h('input.text-input', {
      type: 'tel', autocomplete: 'tel', placeholder: '+1 555 123 4567', required: true,
      'aria-label': 'Phone number', testid: 'phone-input', value: phone,
    });
    const err = errorLine();
    const btn = h('button.btn.primary.wide', { type: 'submit', testid: 'phone-submit' }, 'Next');
    const form = h('form.auth-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        err.textContent = '';
        btn.disabled = true;
        try {
          const res = await api.requestCode(input.value.trim());
          phone = res.phone;
          stepCode();
        } catch (ex) { fail(err, ex); } finally { btn.disabled = false; }
      },
    },
    h('h1', 'Enter your phone number'),
    h('p.muted', 'We will send you a 6-digit code to confirm it. Include your country code.'),
    input, err, btn);
    card.replaceChildren(form);
    input.focus();
  }

  function stepCode() {
    const input = h('input.text-input.code-input', {
      inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, placeholder: '––– –––',
      'aria-label': 'Verification code', testid: 'code-input', pattern: '[0-9]{6}',
    });
    const err = errorLine();
    const btn = h('button.btn.primary.wide', { type: 'submit', testid: 'code-submit' }, 'Verify');
    let busy = false;
    const submit = async () => {
      if (busy) return;
      busy = true;
      err.textContent = '';
      btn.disabled = true;
      try {
        const res = await api.verify(phone, input.value.trim(), deviceName());
        session.save(res.token, res.account);
        if (res.new_account || !res.account.display_name) stepProfile(res.account);
        else onDone(res.account);
      } catch (ex) {
        fail(err, ex);
        input.select();
      } finally { busy = false; btn.disabled = false; }
    };
    input.addEventListener('input', () => {
      input.value = input.value.replace(/\D/g, '').slice(0, 6);
      if (input.value.length === 6) submit();
    });
    const form = h('form.auth-form', { onsubmit: (e) => { e.preventDefault(); submit(); } },
      h('h1', 'Enter the code'),
      h('p.muted', `We sent a code to `, h('strong', { testid: 'auth-phone' }, prettyPhone(phone)), '.'),
      input, err, btn,
      h('button.link-btn', { type: 'button', onclick: stepPhone, testid: 'change-number' }, 'Wrong number?'));
    card.replaceChildren(form);
    input.focus();
  }

  function stepProfile(account) {
    let photoId = null;
    const name = h('input.text-input', {
      placeholder: 'Your name', maxlength: 64, required: true, 'aria-label': 'Display name', testid: 'name-input',
      value: account.display_name || '',
    });
    const about = h('input.text-input', { placeholder: 'About (optional)', maxlength: 140, 'aria-label': 'About', testid: 'about-input' });
    const preview = h('div.photo-pick', avatar('', null, 96));
    const file = h('input', { type: 'file', accept: 'image/*', hidden: true, testid: 'photo-input' });
    const pick = h('button.photo-btn', { type: 'button', title: 'Add a profile photo', 'aria-label': 'Add a profile photo', onclick: () => file.click() },
      preview, h('span.photo-badge', icon('camera', 18)));
    const err = errorLine();
    const btn = h('button.btn.primary.wide', { type: 'submit', testid: 'profile-submit' }, 'Start messaging');
    file.addEventListener('change', async () => {
      const f = file.files[0];
      if (!f) return;
      const url = URL.createObjectURL(f);
      preview.firstChild.setAttribute('src', url);
      btn.disabled = true;
      try {
        const res = await api.upload(f);
        photoId = res.id;
        seedMedia(res.id, f);
      } catch (ex) { fail(err, ex); } finally { btn.disabled = false; }
    });
    name.addEventListener('input', () => preview.firstChild.setAttribute('name', name.value));
    const form = h('form.auth-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        err.textContent = '';
        btn.disabled = true;
        try {
          const patch = { display_name: name.value.trim() };
          if (about.value.trim()) patch.about = about.value.trim();
          if (photoId) patch.photo = photoId;
          const acc = await api.updateMe(patch);
          session.setAccount(acc);
          onDone(acc);
        } catch (ex) { fail(err, ex); } finally { btn.disabled = false; }
      },
    },
    h('h1', 'Your profile'),
    h('p.muted', 'Add your name and an optional photo. People you chat with will see them.'),
    pick, file, name, about, err, btn);
    card.replaceChildren(form);
    name.focus();
  }

  stepPhone();
  return root;
}
