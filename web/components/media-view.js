// Media inside bubbles: images, videos and documents loaded through the authenticated blob
// cache (or the local file of a pending upload), the document card with download, and the
// full-screen image lightbox. Used by message bubbles and by business message headers.
import { h, fileSize, linkify } from '../util.js';
import { icon } from '../icons.js';
import { mediaUrl } from '../api.js';

/** Point an <img>/<video>/<audio> at a message's media. */
export function loadInto(m, el) {
  const media = m[m.type] || {};
  const set = (url) => { if (url) el.src = url; };
  if (m._localUrl) set(m._localUrl);
  else if (media.id) mediaUrl(media.id).then(set, () => el.closest('.media')?.classList.add('broken'));
}

/** An image or video (kind 'img' | 'video') with its optional caption. */
export function mediaContent(m, kind, { caption = true } = {}) {
  const media = m[m.type] || {};
  const el = kind === 'img'
    ? h('img', { alt: media.caption || 'Photo', testid: 'message-image' })
    : h('video', { controls: true, preload: 'metadata', playsinline: true, testid: 'message-video' });
  if (kind === 'img') {
    el.addEventListener('load', () => el.closest('.media')?.classList.add('loaded'));
    el.addEventListener('click', () => lightbox(el.src, media.caption));
  } else el.addEventListener('loadeddata', () => el.closest('.media')?.classList.add('loaded'));
  loadInto(m, el);
  return h('div.media-content',
    h('div.media', { class: `media ${m.pending ? 'uploading' : ''}` }, el, m.pending && m.status !== 'failed' ? h('span.spinner') : null),
    caption && media.caption ? h('div.text.caption', { dir: 'auto' }, linkify(media.caption), h('span.meta-spacer')) : null);
}

/** A document card that downloads the file when clicked. */
export function documentCard(m, { caption = true } = {}) {
  const d = m.document || {};
  const name = d.filename || d.caption || 'Document';
  const ext = (name.split('.').pop() || '').toUpperCase().slice(0, 4);
  const download = async () => {
    const url = m._localUrl || await mediaUrl(d.id);
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
  };
  return h('div.doc-wrap', { class: caption ? 'doc-wrap' : 'doc-wrap bare' },
    h('button.doc-card', { type: 'button', testid: 'message-document', title: `Download ${name}`, onclick: download },
      h('span.doc-icon', icon('doc', 30), ext ? h('span.doc-ext', ext) : null),
      h('span.doc-info', h('span.doc-name', { testid: 'document-name' }, name),
        h('span.doc-size.muted', [fileSize(d.file_size), d.mime_type].filter(Boolean).join(' · '))),
      h('span.doc-dl', icon('download', 22))),
    caption && d.caption && d.filename ? h('div.text.caption', d.caption, h('span.meta-spacer')) : null);
}

export function lightbox(src, caption) {
  if (!src) return;
  const close = () => { box.remove(); document.removeEventListener('keydown', key); };
  const key = (e) => { if (e.key === 'Escape') close(); };
  const box = h('div.lightbox', { testid: 'lightbox', onclick: close },
    h('button.icon-btn.light', { type: 'button', title: 'Close', 'aria-label': 'Close', onclick: close }, icon('close')),
    h('img', { src, alt: caption || 'Photo' }),
    caption ? h('p', caption) : null);
  document.addEventListener('keydown', key);
  document.body.append(box);
}
