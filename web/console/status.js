// The console's Status page: the business's live Status updates (text on colour, photo or
// video with a caption) with their viewer counts, each update's viewers (who and when, with
// reactions) and delete; admins post new ones. The audience of a business's update is everyone
// who has a chat with its number; updates expire 24 hours after posting.
import { call, session, h } from './api.js';
import { state, fmtDateTime, bdi } from './state.js';

const COLOURS = ['#1f7a6d', '#5b3fa4', '#c0392b', '#d35400', '#2c6fbb', '#3d4a52'];
const FONTS = [['sans', 'Sans'], ['serif', 'Serif'], ['mono', 'Mono'], ['script', 'Script'], ['bold', 'Bold']];

const statusApi = {
  list: () => call('GET', '/status'),
  remove: (id) => call('DELETE', `/status/${encodeURIComponent(id)}`),
  viewers: (id) => call('GET', `/status/${encodeURIComponent(id)}/viewers`),
  postText: (text) => call('POST', '/status', { type: 'text', text }),
  /** A photo or video: multipart "file" and "caption". */
  async postMedia(file, caption) {
    const form = new FormData();
    form.append('file', file, file.name || 'file');
    if (caption) form.append('caption', caption);
    const r = await fetch('/console/v1/status', { method: 'POST', headers: { Authorization: `Bearer ${session.token}` }, body: form });
    const data = await r.json().catch(() => null);
    if (!r.ok) throw new Error(data?.error?.message || `HTTP ${r.status}`);
    return data;
  },
};

function stylesheet() {
  if (document.querySelector('link[data-status-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/console/status.css', 'data-status-css': true }));
}

const blobs = new Map();
/** Show media that needs the session: fetched once with the agent's token. */
function sessionSrc(el, url) {
  if (!url) return;
  if (!blobs.has(url)) {
    blobs.set(url, fetch(url, { headers: { Authorization: `Bearer ${session.token}` } })
      .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.blob(); })
      .then((b) => URL.createObjectURL(b)));
    blobs.get(url).catch(() => blobs.delete(url));
  }
  blobs.get(url).then((u) => { el.src = u; }, () => el.classList.add('broken'));
}

const isAdmin = () => state.me?.role === 'admin';

/** The composer: a text on colour, or a file with a caption. */
function composer(onPosted) {
  let kind = 'text';
  let colour = COLOURS[0];
  let font = 'sans';
  const err = h('p.error', { role: 'alert', testid: 'cs-error' });
  const text = h('textarea.cs-text', { rows: 3, maxlength: 700, placeholder: 'Type a status', 'aria-label': 'Status text', dir: 'auto', testid: 'cs-text' });
  const preview = h('div.cs-preview', { testid: 'cs-preview' }, text);
  const swatches = h('div.cs-swatches', { role: 'radiogroup', 'aria-label': 'Background colour' }, COLOURS.map((c) => {
    const b = h('button.cs-swatch', { type: 'button', role: 'radio', 'aria-label': `Colour ${c}`, testid: 'cs-colour', 'data-colour': c, onclick: () => { colour = c; paint(); } });
    b.style.background = c;
    return b;
  }));
  const fonts = h('select', { 'aria-label': 'Font', testid: 'cs-font', onchange: (e) => { font = e.target.value; paint(); } }, FONTS.map(([v, l]) => h('option', { value: v }, l)));
  const file = h('input', { type: 'file', accept: 'image/*,video/*', testid: 'cs-file', 'aria-label': 'Photo or video' });
  const caption = h('input', { type: 'text', maxlength: 700, placeholder: 'Caption (optional)', 'aria-label': 'Caption', dir: 'auto', testid: 'cs-caption' });
  const textPart = h('div.cs-part', {}, preview, h('div.cs-row', {}, swatches, fonts));
  const mediaPart = h('div.cs-part', { hidden: true }, h('label.field', {}, h('span', {}, 'Photo or video'), file), h('label.field', {}, h('span', {}, 'Caption'), caption));
  const paint = () => {
    preview.style.background = colour;
    text.className = `cs-text font-${font}`;
    for (const b of swatches.children) b.setAttribute('aria-checked', String(b.dataset.colour === colour));
  };
  const tabs = h('div.cs-kinds', { role: 'tablist' }, [['text', 'Text'], ['media', 'Photo or video']].map(([k, l]) => h('button.btn.ghost', {
    type: 'button', role: 'tab', 'aria-selected': String(k === kind), testid: `cs-kind-${k}`,
    onclick: (e) => {
      kind = k;
      for (const b of tabs.children) b.setAttribute('aria-selected', String(b === e.currentTarget));
      textPart.hidden = k !== 'text';
      mediaPart.hidden = k === 'text';
    },
  }, l)));
  const post = h('button.btn', {
    type: 'submit', testid: 'cs-post',
  }, 'Post status');
  const form = h('form.cs-compose.card', {
    testid: 'cs-compose',
    onsubmit: async (e) => {
      e.preventDefault();
      err.textContent = '';
      post.disabled = true;
      try {
        if (kind === 'text') {
          if (!text.value.trim()) throw new Error('Type the text of the update.');
          await statusApi.postText({ body: text.value.trim(), background: colour, font });
          text.value = '';
        } else {
          if (!file.files[0]) throw new Error('Choose a photo or a video.');
          await statusApi.postMedia(file.files[0], caption.value.trim());
          file.value = '';
          caption.value = '';
        }
        onPosted();
      } catch (ex) { err.textContent = ex.message; } finally { post.disabled = false; }
    },
  }, h('h3', {}, 'New status update'), tabs, textPart, mediaPart, err, h('div.cs-actions', {}, h('small', {}, 'Everyone who has a chat with you sees it for 24 hours.'), post));
  paint();
  return form;
}

function thumb(u) {
  if (u.type === 'text') {
    const t = u.text || {};
    const el = h('div.cs-thumb.cs-thumb-text', {}, h('span', { class: `font-${t.font || 'sans'}`, dir: 'auto' }, t.body || ''));
    if (/^#[0-9a-f]{6}$/i.test(t.background || '')) el.style.background = t.background;
    return el;
  }
  const m = u[u.type] || {};
  const img = h('img.cs-thumb', { alt: m.caption || (u.type === 'video' ? 'Video' : 'Photo') });
  sessionSrc(img, m.thumbnail_url || m.url);
  return img;
}

/** One update's card: preview, times, views, viewers and delete. */
function updateCard(u, reload) {
  const viewers = h('ul.cs-viewers', { hidden: true, testid: 'cs-viewers' });
  const toggle = h('button.btn.ghost', {
    type: 'button', testid: 'cs-viewers-open', 'aria-expanded': 'false',
    onclick: async () => {
      const open = viewers.hidden;
      viewers.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (!open) return;
      viewers.replaceChildren(h('li.muted', {}, 'Loading…'));
      try {
        const r = await statusApi.viewers(u.id);
        viewers.replaceChildren(...(r.viewers.length ? r.viewers.map((v) => h('li.cs-viewer', { testid: 'cs-viewer' },
          bdi(v.name || `+${v.wa_id}`), h('span.muted', {}, fmtDateTime(v.viewed_at)), v.reaction ? h('span.cs-reaction', {}, v.reaction) : null))
          : [h('li.muted', {}, 'No views yet')]));
      } catch (e) { viewers.replaceChildren(h('li.error', {}, e.message)); }
    },
  }, `${u.views} view${u.views === 1 ? '' : 's'}`);
  const del = isAdmin() ? h('button.btn.ghost.danger', {
    type: 'button', testid: 'cs-delete',
    onclick: async () => {
      if (!window.confirm('Delete this status update for everyone?')) return;
      try { await statusApi.remove(u.id); reload(); } catch (e) { window.alert(e.message); }
    },
  }, 'Delete') : null;
  const caption = u.type === 'text' ? u.text?.body : u[u.type]?.caption;
  return h('li.cs-update.card', { testid: 'cs-update', 'data-id': u.id },
    thumb(u),
    h('div.cs-info', {},
      caption ? h('p.cs-caption', { dir: 'auto' }, caption) : null,
      h('small.muted', {}, `Posted ${fmtDateTime(u.posted_at)} · expires ${fmtDateTime(u.expires_at)}`),
      h('div.cs-row', {}, toggle, del),
      viewers));
}

/** The page. */
export function statusView() {
  stylesheet();
  const list = h('ul.cs-list', { testid: 'cs-list' });
  const reload = async () => {
    try {
      const r = await statusApi.list();
      const now = Date.now();
      const live = (r.updates || []).filter((u) => u.expires_at > now).reverse();
      list.replaceChildren(...(live.length ? live.map((u) => updateCard(u, reload)) : [h('li.muted.cs-empty', { testid: 'cs-empty' }, 'No live status updates.')]));
    } catch (e) { list.replaceChildren(h('li.error', {}, e.message)); }
  };
  // Viewer counts follow the live stream when it carries Status items; a manual refresh too.
  state.pageLive = (item) => { if (item.type === 'resync' || String(item.type || '').startsWith('status')) reload(); };
  reload();
  return h('div.page.cs-page', { testid: 'status-page' },
    h('div.cs-head', {}, h('h2', {}, 'Status'), h('button.btn.ghost', { type: 'button', onclick: reload, testid: 'cs-refresh' }, 'Refresh')),
    isAdmin() ? composer(reload) : h('p.muted', {}, 'Admins post status updates; you can see them and their viewers.'),
    h('h3', {}, 'Live updates'),
    list);
}
