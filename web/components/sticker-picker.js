// Stickers in the web client: the composer's sticker picker (a "recent" tab kept in this
// browser, then one tab per pack the person has: Wasla's own "open for business" pack and the
// packs they added), which sends a sticker with POST /chats/{id}/stickers; the dialog a
// shared pack link (#/stickers/{pack_id}) opens to add the pack, or remove it; and the packs a
// business published, on its profile, each with Add or Remove.
import { h, uuidv7 } from '../util.js';
import { request } from '../api.js';
import { modal, toast } from './dialog.js';

const RECENT_KEY = 'wasla.stickers.recent';
const RECENT_MAX = 16;

function recent() {
  try { return JSON.parse(localStorage.getItem(RECENT_KEY) || '[]'); } catch { return []; }
}

function remember(s) {
  const list = [s, ...recent().filter((r) => r.id !== s.id)].slice(0, RECENT_MAX);
  localStorage.setItem(RECENT_KEY, JSON.stringify(list));
}

function stickerImg(s, size = 72) {
  return h('img.sticker-thumb', { src: s.url, alt: 'Sticker', width: size, height: size, loading: 'lazy', draggable: 'false' });
}

/** Open the picker above `anchor`; picking a sticker sends it to the chat `chatId`. */
export async function openStickerPicker(anchor, chatId) {
  for (const old of document.querySelectorAll('.popup-menu')) old.remove();
  const grid = h('div.sticker-grid', { testid: 'sticker-grid' });
  const tabs = h('div.sticker-tabs', { role: 'tablist' });
  const box = h('div.popup-menu.sticker-picker', { testid: 'sticker-picker' }, tabs, grid);
  document.body.append(box);
  const place = () => {
    const r = anchor.getBoundingClientRect();
    box.style.left = `${Math.max(8, Math.min(r.left, innerWidth - box.offsetWidth - 8))}px`;
    box.style.top = `${Math.max(8, r.top - box.offsetHeight - 8)}px`;
  };
  const close = () => { box.remove(); document.removeEventListener('mousedown', off, true); };
  const off = (ev) => { if (!box.contains(ev.target) && !anchor.contains(ev.target)) close(); };
  setTimeout(() => document.addEventListener('mousedown', off, true));

  const send = async (s) => {
    close();
    try {
      await request('POST', `/chats/${encodeURIComponent(chatId)}/stickers`, { sticker_id: s.id, client_id: uuidv7() });
      remember({ id: s.id, url: s.url, animated: s.animated });
    } catch (e) { toast(`Could not send the sticker: ${e.message}`, 'error'); }
  };
  const show = (stickers, tab) => {
    for (const t of tabs.children) t.setAttribute('aria-selected', String(t === tab));
    grid.replaceChildren(...(stickers.length
      ? stickers.map((s) => h('button.sticker-choice', {
        type: 'button', title: 'Send sticker', 'aria-label': 'Send sticker', testid: 'sticker-choice',
        dataset: { id: s.id, animated: String(!!s.animated) }, onclick: () => send(s),
      }, stickerImg(s)))
      : [h('p.muted.sticker-empty', 'Stickers you send show up here.')]));
  };
  let packs = [];
  try { packs = (await request('GET', '/sticker-packs')).data; } catch (e) { toast(`Could not load stickers: ${e.message}`, 'error'); }
  const recentTab = h('button.sticker-tab', { type: 'button', role: 'tab', title: 'Recent', testid: 'sticker-tab-recent', onclick: () => show(recent(), recentTab) }, '🕘');
  tabs.append(recentTab);
  for (const p of packs) {
    const cover = p.stickers.find((s) => s.id === p.cover) || p.stickers[0];
    const tab = h('button.sticker-tab', {
      type: 'button', role: 'tab', title: p.name, 'aria-label': p.name, testid: 'sticker-tab', dataset: { pack: p.id },
      onclick: () => show(p.stickers, tab),
    }, cover ? stickerImg(cover, 28) : p.name.slice(0, 2));
    tabs.append(tab);
  }
  const rec = recent();
  if (rec.length || !packs.length) show(rec, recentTab);
  else show(packs[0].stickers, tabs.children[1]);
  place();
}

/** The dialog of a shared pack link: the pack's stickers and "Add" (or "Remove"). */
export async function openPackLink(packId) {
  let pack;
  try { pack = await request('GET', `/sticker-packs/${encodeURIComponent(packId)}`); } catch (e) {
    toast(`That sticker pack is not available: ${e.message}`, 'error');
    return;
  }
  const label = () => (pack.added ? (pack.shipped ? 'Already yours' : 'Remove') : 'Add stickers');
  const btn = h('button.btn.primary', {
    type: 'button', testid: 'sticker-pack-add', disabled: pack.shipped,
    onclick: async () => {
      try {
        if (pack.added) {
          await request('DELETE', `/sticker-packs/${encodeURIComponent(pack.id)}`);
          pack.added = false;
          toast(`Removed “${pack.name}”`);
        } else {
          pack = await request('PUT', `/sticker-packs/${encodeURIComponent(pack.id)}`);
          toast(`Added “${pack.name}” to your stickers`);
        }
        btn.textContent = label();
      } catch (e) { toast(`Could not change your stickers: ${e.message}`, 'error'); }
    },
  }, label());
  modal({
    title: pack.name,
    testid: 'sticker-pack-dialog',
    body: h('div.sticker-pack',
      h('p.muted', { testid: 'sticker-pack-publisher' }, `Stickers by ${pack.publisher}`),
      h('div.sticker-grid.static', pack.stickers.map((s) => stickerImg(s, 96)))),
    actions: [btn],
  });
}

/** A slot on a business's profile filled with the sticker packs it published, each with Add. */
export function businessPacks(waId) {
  const slot = h('div', { testid: 'profile-sticker-packs' });
  request('GET', `/businesses/${encodeURIComponent(waId)}/sticker-packs`).then(({ data }) => {
    if (!data.length) return;
    const row = (pack) => {
      const cover = pack.stickers.find((s) => s.id === pack.cover) || pack.stickers[0];
      const btn = h('button.btn', {
        type: 'button', testid: 'profile-sticker-pack-add',
        onclick: async () => {
          try {
            if (pack.added) await request('DELETE', `/sticker-packs/${encodeURIComponent(pack.id)}`);
            else await request('PUT', `/sticker-packs/${encodeURIComponent(pack.id)}`);
            pack.added = !pack.added;
            btn.textContent = pack.added ? 'Remove' : 'Add';
            toast(pack.added ? `Added “${pack.name}” to your stickers` : `Removed “${pack.name}”`);
          } catch (e) { toast(`Could not change your stickers: ${e.message}`, 'error'); }
        },
      }, pack.added ? 'Remove' : 'Add');
      return h('div.sticker-pack-row', { dataset: { pack: pack.id } },
        cover ? stickerImg(cover, 48) : null,
        h('span.sticker-pack-name', `${pack.name} · ${pack.stickers.length}`), btn);
    };
    slot.replaceChildren(h('section.info-block', h('label', 'Sticker packs'), ...data.map(row)));
  }).catch(() => {});
  return slot;
}
