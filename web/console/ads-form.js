// The "New campaign" form of the console's Ads page: the creative (an image or a video, shown
// before it is sent; a video goes with a still taken from it), what the ad says (headline,
// text, button) and the welcome message the person sees in the chat, who sees it (countries
// and languages), when (start and end), and what it may spend: the daily budget and the bid
// per 1,000 impressions are typed in the currency's major units and sent as integer minor
// units (money.js), never as floats. Bad input is told next to its field and nothing is sent.
import { h } from './api.js';
import { state } from './state.js';
import { money, toMinor, exponent } from './money.js';
import { adsApi } from './ads-common.js';

const CODES = /^\s*([A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*)?\s*$/;
const LANGS = /^\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?(\s*,\s*[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)*)?\s*$/;

/** A labelled field with its own error line; `input` gets the id. */
function field(id, label, input, hint) {
  input.id = id;
  const err = h('span.field-error', { role: 'alert', testid: `${id}-error` });
  return { el: h('label.field', { for: id }, h('span', {}, label), input, hint ? h('small.hint', {}, hint) : null, err), err };
}

/**
 * A still of a video file (its first moments, as JPEG) for the ad's thumbnail; null when the
 * browser cannot decode it.
 */
function videoStill(url) {
  return new Promise((resolve) => {
    const v = document.createElement('video');
    v.muted = true;
    v.preload = 'auto';
    const done = (blob) => { v.removeAttribute('src'); v.load(); resolve(blob); };
    v.onerror = () => done(null);
    v.onloadeddata = () => { v.currentTime = Math.min(0.5, (v.duration || 1) / 2); };
    v.onseeked = () => {
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      if (!c.width || !c.height) { done(null); return; }
      c.getContext('2d').drawImage(v, 0, 0);
      c.toBlob((b) => done(b), 'image/jpeg', 0.85);
    };
    v.src = url;
  });
}

/** Unix ms from a datetime-local value ('' → null). */
const localMs = (v) => (v ? new Date(v).getTime() : null);

/**
 * The form; `onCreated(campaign)` runs after the server accepted it. `currency` is the WABA's
 * billing currency.
 */
export function adsForm(currency, onCreated) {
  const step = exponent(currency) ? `0.${'0'.repeat(exponent(currency) - 1)}1` : '1';
  const file = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp,video/mp4,video/3gpp', testid: 'ad-creative-input' });
  const preview = h('div.ad-preview', { testid: 'ad-creative-preview' }, h('span.hint', {}, 'No file chosen yet'));
  let previewUrl = null;
  let still = null;
  file.onchange = () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const f = file.files[0];
    previewUrl = f ? URL.createObjectURL(f) : null;
    // A video goes with a still of it, which Status and the ad's page show while it loads.
    still = f && f.type.startsWith('video/') ? videoStill(previewUrl) : null;
    if (!f) preview.replaceChildren(h('span.hint', {}, 'No file chosen yet'));
    else if (f.type.startsWith('video/')) preview.replaceChildren(h('video', { src: previewUrl, controls: true, muted: true, playsinline: true }));
    else preview.replaceChildren(h('img', { src: previewUrl, alt: 'Creative preview' }));
  };
  const input = (testid, attrs = {}) => h('input', { testid, dir: 'auto', ...attrs });
  const name = input('ad-name', { maxlength: 128, placeholder: 'Winter sale', required: true });
  const headline = input('ad-headline', { maxlength: 100, placeholder: 'Fresh dates, delivered', required: true });
  const body = h('textarea', { testid: 'ad-body', dir: 'auto', maxlength: 1024, rows: 3, placeholder: 'What the ad says under its headline' });
  const button = input('ad-button', { maxlength: 30, value: 'Message us' });
  const welcome = h('textarea', { testid: 'ad-welcome', dir: 'auto', maxlength: 1024, rows: 2, placeholder: 'Hi! Thanks for your interest. How can we help?' });
  const countries = input('ad-countries', { placeholder: 'SA, AE (empty: every country)', dir: 'ltr' });
  const languages = input('ad-languages', { placeholder: 'ar, en (empty: every language)', dir: 'ltr' });
  const starts = h('input', { type: 'datetime-local', testid: 'ad-starts' });
  const ends = h('input', { type: 'datetime-local', testid: 'ad-ends' });
  const budget = input('ad-budget', { inputmode: 'decimal', placeholder: `20${exponent(currency) ? '.00' : ''}`, dir: 'ltr', 'data-step': step });
  const bid = input('ad-bid', { inputmode: 'decimal', placeholder: `1${exponent(currency) ? '.50' : ''}`, dir: 'ltr' });
  const number = h('select', { testid: 'ad-number' }, state.numbers.map((n) => h('option', { value: n.id }, `${n.name} (+${n.wa_id})`)));

  const f = {
    creative: field('ad-creative-file', 'Image or video', file, 'JPEG, PNG or WebP up to 5 MB; MP4 up to 16 MB.'),
    name: field('ad-name-input', 'Campaign name (only you see it)', name),
    headline: field('ad-headline-input', 'Headline', headline),
    body: field('ad-body-input', 'Text', body),
    button_text: field('ad-button-input', 'Button', button),
    welcome_message: field('ad-welcome-input', 'Welcome message in the chat', welcome),
    countries: field('ad-countries-input', 'Countries', countries, 'ISO codes, separated by commas.'),
    languages: field('ad-languages-input', 'Languages', languages, 'Language codes, separated by commas.'),
    starts_at: field('ad-starts-input', 'Starts', starts, 'Empty: as soon as it is approved.'),
    ends_at: field('ad-ends-input', 'Ends', ends, 'Empty: until you end it.'),
    daily_budget: field('ad-budget-input', `Daily budget (${currency})`, budget),
    bid_cpm: field('ad-bid-input', `Bid per 1,000 impressions (${currency})`, bid),
    phone_number_id: field('ad-number-input', 'Chats go to', number),
  };
  const err = h('p.error', { role: 'alert', testid: 'ad-form-error' });
  const submit = h('button.btn', { type: 'submit', testid: 'ad-submit' }, 'Submit for review');
  const summary = h('p.hint', { testid: 'ad-spend-summary' });
  const sayBudget = () => {
    const b = toMinor(budget.value, currency);
    const c = toMinor(bid.value, currency);
    summary.textContent = b !== null && c !== null && c > 0
      ? `Up to ${money(b, currency)} a day, about ${Math.floor((b * 1000) / c).toLocaleString()} impressions at ${money(c, currency)} per 1,000.`
      : '';
  };
  budget.oninput = sayBudget;
  bid.oninput = sayBudget;

  /** Check everything; returns the FormData to send, or null after marking the bad fields. */
  async function collect() {
    for (const x of Object.values(f)) x.err.textContent = '';
    err.textContent = '';
    const bad = (k, msg) => { f[k].err.textContent = msg; ok = false; };
    let ok = true;
    const creative = file.files[0];
    if (!creative) bad('creative', 'Choose an image or a video.');
    else if (!/^(image|video)\//.test(creative.type)) bad('creative', 'This is neither an image nor a video.');
    if (!name.value.trim()) bad('name', 'Give the campaign a name.');
    if (!headline.value.trim()) bad('headline', 'The ad needs a headline.');
    if (!body.value.trim()) bad('body', 'The ad needs a text under its headline.');
    if (!button.value.trim()) bad('button_text', 'The button needs a text.');
    if (!CODES.test(countries.value)) bad('countries', 'Use two-letter codes such as SA, AE.');
    if (!LANGS.test(languages.value)) bad('languages', 'Use codes such as ar, en.');
    const s = localMs(starts.value);
    const e = localMs(ends.value);
    if (e !== null && e <= (s ?? Date.now())) bad('ends_at', 'The end must come after the start.');
    const daily = toMinor(budget.value, currency);
    if (daily === null || daily <= 0) bad('daily_budget', `Type an amount such as 20${exponent(currency) ? '.00' : ''} (at most ${exponent(currency)} decimals).`);
    const cpm = toMinor(bid.value, currency);
    if (cpm === null || cpm <= 0) bad('bid_cpm', `Type an amount such as 1${exponent(currency) ? '.50' : ''} (at most ${exponent(currency)} decimals).`);
    else if (daily !== null && cpm > daily) bad('bid_cpm', 'The bid per 1,000 impressions cannot exceed the daily budget.');
    if (!ok) return null;
    const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean).join(',');
    const form = new FormData();
    form.append('creative', creative, creative.name);
    const thumb = still && await still;
    if (thumb) form.append('thumbnail', thumb, 'thumbnail.jpg');
    form.append('name', name.value.trim());
    form.append('headline', headline.value.trim());
    form.append('body', body.value.trim());
    form.append('button_text', button.value.trim());
    form.append('welcome_message', welcome.value.trim());
    form.append('countries', list(countries.value).toUpperCase());
    form.append('languages', list(languages.value).toLowerCase());
    if (s !== null) form.append('starts_at', String(s));
    if (e !== null) form.append('ends_at', String(e));
    // Integers in minor units, as text: no float ever leaves the form.
    form.append('daily_budget', String(daily));
    form.append('bid_cpm', String(cpm));
    if (number.value) form.append('phone_number_id', number.value);
    return form;
  }

  const el = h('form.card.ad-form', {
    testid: 'ad-form',
    novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      const form = await collect();
      if (!form) { el.querySelector('.field-error:not(:empty)')?.closest('label')?.querySelector('input,textarea,select')?.focus(); return; }
      submit.disabled = true;
      try {
        const campaign = await adsApi.create(form);
        onCreated(campaign);
      } catch (e) {
        // The server names the field its message is about ("daily_budget must be …").
        const named = e.field || (/^([a-z_]+)\b/.exec(e.message) || [])[1];
        const key = named === 'thumbnail' ? 'creative' : Object.keys(f).find((k) => k === named);
        if (key) f[key].err.textContent = e.message; else err.textContent = e.message;
      } finally { submit.disabled = false; }
    },
  },
  h('h3', {}, 'New campaign'),
  h('p.hint', {}, 'Your ad shows between people’s Status updates. “Message us” opens a chat with your number and shows your welcome message; the first message starts a free entry point.'),
  h('div.ad-form-grid', {},
    h('div.ad-form-col', {}, f.creative.el, preview),
    h('div.ad-form-col', {}, f.name.el, f.headline.el, f.body.el, f.button_text.el, f.welcome_message.el),
    h('div.ad-form-col', {}, f.countries.el, f.languages.el, h('div.ad-two', {}, f.starts_at.el, f.ends_at.el),
      h('div.ad-two', {}, f.daily_budget.el, f.bid_cpm.el), summary, state.numbers.length > 1 ? f.phone_number_id.el : null)),
  err,
  h('div.row', {}, submit, h('button.btn.ghost', { type: 'button', testid: 'ad-cancel', onclick: () => { location.hash = '#/ads'; } }, 'Cancel')));
  return el;
}
