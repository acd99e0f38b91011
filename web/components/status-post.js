// Posting a Status update: text on a coloured background with a choice of colour and font, or
// a photo or video with a caption (uploaded with the client's media upload, then posted), each
// with the audience it goes to (the default audience, changed from here).
import { h, fileSize } from '../util.js';
import { icon } from '../icons.js';
import { api } from '../api.js';
import { toast } from './dialog.js';
import { statusFeed, statusApi } from '../status-feed.js';
import { audienceDialog, audienceLabel } from './status-audience.js';

/** Background colours offered for text updates (the server takes any #RRGGBB). */
export const BACKGROUNDS = ['#1f7a6d', '#5b3fa4', '#c0392b', '#d35400', '#2c6fbb', '#8e44ad', '#3d4a52', '#b7950b', '#16a085', '#c2185b'];
/** The fonts of the contract, with what they are called in the picker. */
export const FONTS = [['sans', 'Sans'], ['serif', 'Serif'], ['mono', 'Mono'], ['script', 'Script'], ['bold', 'Bold']];
const MAX_TEXT = 700;
const MAX_MEDIA = 64 * 1024 * 1024;

/** A full-screen sheet for composing; returns {el, close}. */
function sheet(testid, label, children, onClose) {
  const close = () => {
    if (!el.isConnected) return;
    el.remove();
    document.removeEventListener('keydown', onKey, true);
    onClose && onClose();
  };
  const onKey = (e) => {
    if (e.key === 'Escape' && !document.querySelector('.overlay, .popup-menu')) { e.preventDefault(); close(); }
  };
  const el = h('div.sp', { role: 'dialog', 'aria-modal': 'true', 'aria-label': label, testid }, children);
  document.body.append(el);
  document.addEventListener('keydown', onKey, true);
  return { el, close };
}

/** The audience chip under a composer: shows and changes the default audience. */
function audienceChip() {
  const chip = h('button.sp-audience', { type: 'button', testid: 'status-audience-chip' }, icon('lock', 16), h('span', 'My contacts'));
  const refresh = async () => {
    try { chip.lastChild.textContent = audienceLabel(await statusApi.audience()); } catch { /* keep the default label */ }
  };
  chip.addEventListener('click', () => audienceDialog(refresh));
  refresh();
  return chip;
}

async function publish(body, button, done) {
  button.disabled = true;
  try {
    const u = await statusApi.post(body);
    statusFeed.add(u);
    toast('Status update posted');
    done();
  } catch (e) {
    toast(e.message, 'error');
  } finally { button.disabled = false; }
}

/** Compose and post a text update. */
export function postText() {
  let bg = BACKGROUNDS[Math.floor(Math.random() * BACKGROUNDS.length)];
  let font = 'sans';
  const input = h('textarea.sp-text', {
    placeholder: 'Type a status', 'aria-label': 'Status text', maxlength: MAX_TEXT, dir: 'auto', rows: 3, testid: 'status-text-input', autofocus: true,
    oninput: () => { fit(); send.disabled = !input.value.trim(); left.textContent = input.value.length > MAX_TEXT - 100 ? String(MAX_TEXT - input.value.length) : ''; },
  });
  const left = h('span.sp-left', { 'aria-live': 'polite' });
  const fit = () => {
    const n = input.value.length;
    input.dataset.size = n < 40 ? 'l' : n < 140 ? 'm' : 's';
  };
  const canvas = h('div.sp-canvas', { testid: 'status-text-canvas' }, input, left);
  const apply = () => {
    canvas.style.background = bg;
    input.className = `sp-text font-${font}`;
    canvas.dataset.background = bg;
    canvas.dataset.font = font;
    for (const b of colours.children) b.setAttribute('aria-checked', String(b.dataset.colour === bg));
    for (const b of fonts.children) b.setAttribute('aria-checked', String(b.dataset.font === font));
  };
  const colours = h('div.sp-swatches', { role: 'radiogroup', 'aria-label': 'Background colour', testid: 'status-colours' },
    BACKGROUNDS.map((c) => {
      const b = h('button.sp-swatch', { type: 'button', role: 'radio', title: c, 'aria-label': `Colour ${c}`, testid: 'status-colour', dataset: { colour: c }, onclick: () => { bg = c; apply(); } });
      b.style.background = c;
      return b;
    }));
  const fonts = h('div.sp-fonts', { role: 'radiogroup', 'aria-label': 'Font', testid: 'status-fonts' },
    FONTS.map(([id, label]) => h('button.sp-font', { type: 'button', role: 'radio', class: `sp-font font-${id}`, testid: 'status-font', dataset: { font: id }, onclick: () => { font = id; apply(); } }, label)));
  const send = h('button.sp-send', { type: 'button', title: 'Post', 'aria-label': 'Post status', testid: 'status-post', disabled: true,
    onclick: () => publish({ type: 'text', text: { body: input.value.trim(), background: bg, font } }, send, s.close) }, icon('send', 22));
  const s = sheet('status-text-composer', 'New text status', [
    h('div.sp-top', h('button.icon-btn.light', { type: 'button', title: 'Close', 'aria-label': 'Close', testid: 'status-compose-close', onclick: () => s.close() }, icon('close')),
      h('span.sp-grow'), fonts),
    canvas,
    h('div.sp-bottom', colours, h('div.sp-actions', audienceChip(), send)),
  ]);
  apply();
  fit();
  setTimeout(() => input.focus());
  return s;
}

/** Pick a photo or video and compose a media update with a caption. */
export function postMedia(file) {
  if (!file) {
    const pick = h('input', { type: 'file', accept: 'image/*,video/*', hidden: true, testid: 'status-file-input' });
    pick.addEventListener('change', () => { if (pick.files[0]) postMedia(pick.files[0]); pick.remove(); });
    document.body.append(pick);
    pick.click();
    return null;
  }
  const kind = file.type.startsWith('video/') ? 'video' : file.type.startsWith('image/') ? 'image' : '';
  if (!kind) { toast('Choose a photo or a video.', 'error'); return null; }
  if (file.size > MAX_MEDIA) { toast(`That file is too large (${fileSize(file.size)}).`, 'error'); return null; }
  const url = URL.createObjectURL(file);
  const preview = kind === 'image'
    ? h('img.sp-preview', { src: url, alt: 'Preview', testid: 'status-media-preview' })
    : h('video.sp-preview', { src: url, controls: true, playsinline: true, testid: 'status-media-preview' });
  const caption = h('input.sp-caption', { type: 'text', placeholder: 'Add a caption…', 'aria-label': 'Caption', maxlength: MAX_TEXT, dir: 'auto', testid: 'status-caption-input' });
  const send = h('button.sp-send', {
    type: 'button', title: 'Post', 'aria-label': 'Post status', testid: 'status-post',
    onclick: async () => {
      send.disabled = true;
      send.classList.add('busy');
      let media;
      try { media = await api.upload(file); } catch (e) { toast(`Upload failed: ${e.message}`, 'error'); send.disabled = false; send.classList.remove('busy'); return; }
      send.classList.remove('busy');
      const text = caption.value.trim();
      await publish({ type: kind, [kind]: text ? { id: media.id, caption: text } : { id: media.id } }, send, s.close);
    },
  }, icon('send', 22));
  caption.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); send.click(); } });
  const s = sheet('status-media-composer', kind === 'image' ? 'New photo status' : 'New video status', [
    h('div.sp-top', h('button.icon-btn.light', { type: 'button', title: 'Close', 'aria-label': 'Close', testid: 'status-compose-close', onclick: () => s.close() }, icon('close'))),
    h('div.sp-media', preview),
    h('div.sp-bottom', h('div.sp-caption-row', caption), h('div.sp-actions', audienceChip(), send)),
  ], () => URL.revokeObjectURL(url));
  setTimeout(() => caption.focus());
  return s;
}
