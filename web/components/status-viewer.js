// The full-screen Status viewer: one progress bar per update of the current author, tap
// right/left (mirrored in right-to-left) or the arrow keys for next/previous, press-and-hold or
// Space to pause, swipe down or Esc to close, videos with a sound toggle, the reply box and
// quick reactions under others' updates, the viewers sheet and delete under mine, mute from the
// menu, and the ads feature's sponsored cards between authors. It marks what it shows viewed
// and follows the live feed (a deleted update leaves at once).
import { h, clock, listTime } from '../util.js';
import { icon } from '../icons.js';
import { avatar } from './avatar.js';
import { confirmDialog, toast, popupMenu } from './dialog.js';
import { statusFeed, statusApi, statusBlob, mediaOf } from '../status-feed.js';
import { renderStatusAd } from './status-ad.js';
import { viewersSheet } from './status-viewers.js';

/** How long a text or photo update stays before the next one (videos play to their end). */
export const STILL_MS = 6000;
const QUICK = ['😂', '😮', '😍', '😢', '👏', '🔥'];

/**
 * Open the viewer. groups: [{author, updates, mine?}], index: the group to start with;
 * ads: the feed's [{after, ad}] (a sponsored card after the group at `after`).
 */
export function openViewer({ groups, index = 0, ads = [], onOpenChat }) {
  const v = new Viewer(groups, ads, onOpenChat);
  v.start(index);
  return v;
}

/** Replace el's children, skipping absent ones. */
function fill(el, ...nodes) {
  el.replaceChildren(...nodes.filter(Boolean));
}

class Viewer {
  constructor(groups, ads, onOpenChat) {
    // The sequence: each author's group, with sponsored cards placed after their index.
    this.pages = [];
    groups.forEach((g, i) => {
      this.pages.push({ group: g });
      for (const a of ads.filter((x) => x.after === i)) this.pages.push({ ad: a.ad });
    });
    this.groupPage = groups.map((g) => this.pages.findIndex((p) => p.group === g));
    this.onOpenChat = onOpenChat;
    this.page = 0;
    this.item = 0;
    this.elapsed = 0;
    this.duration = STILL_MS;
    this.paused = new Set();
    this.muted = false;
    this.bars = h('div.sv-bars', { testid: 'status-progress' });
    this.head = h('div.sv-head');
    this.stage = h('div.sv-stage', { testid: 'status-stage' });
    this.foot = h('div.sv-foot');
    this.frame = h('div.sv-frame', this.bars, this.head, this.stage, this.foot);
    this.el = h('div.sv', { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Status', testid: 'status-viewer', tabindex: -1 }, this.frame);
    this.onKey = (e) => this.key(e);
    this.offFeed = [
      statusFeed.on('removed', (id) => this.removed(id)),
      statusFeed.on('change', () => this.refreshBars()),
      statusFeed.on('viewers', (id) => { if (this.current && this.current.id === id && this.views) this.countViews(this.current); }),
    ];
    this.pointer();
  }

  start(groupIndex) {
    this.prevFocus = document.activeElement;
    document.body.append(this.el);
    document.addEventListener('keydown', this.onKey, true);
    this.el.focus();
    const g = this.pages[this.groupPage[groupIndex] ?? 0]?.group;
    // Start at the first unseen update, as a person expects to continue where they stopped.
    const first = g ? g.updates.findIndex((u) => !u.viewed) : -1;
    this.show(this.groupPage[groupIndex] ?? 0, first > 0 && !g.mine ? first : 0);
    this.raf = requestAnimationFrame((t) => this.tick(t));
  }

  close() {
    if (!this.el.isConnected) return;
    cancelAnimationFrame(this.raf);
    document.removeEventListener('keydown', this.onKey, true);
    for (const off of this.offFeed) off();
    this.el.remove();
    this.sheet?.close();
    if (this.prevFocus && this.prevFocus.focus) this.prevFocus.focus();
  }

  get current() {
    const p = this.pages[this.page];
    return p && p.group ? p.group.updates[this.item] : null;
  }

  /** Show page p (an author or an ad), update i of it. */
  show(p, i = 0) {
    if (p < 0) { p = 0; i = 0; }
    if (p >= this.pages.length) { this.close(); return; }
    const page = this.pages[p];
    if (page.group && !page.group.updates.length) {
      this.show(p + 1, 0);
      return;
    }
    this.page = p;
    this.item = Math.max(0, Math.min(i, page.group ? page.group.updates.length - 1 : 0));
    this.elapsed = 0;
    this.duration = STILL_MS;
    this.paused.delete('hold');
    this.paused.delete('media');
    this.el.dataset.page = String(p);
    if (page.ad) return this.showAd(page.ad);
    const u = this.current;
    this.el.dataset.updateId = u.id;
    this.el.dataset.mine = String(!!page.group.mine);
    this.renderHead(page.group, u);
    this.renderStage(u);
    this.renderFoot(page.group, u);
    this.refreshBars();
    if (!page.group.mine) statusFeed.markViewed(u);
  }

  showAd(ad) {
    delete this.el.dataset.updateId;
    const card = renderStatusAd(ad, {
      next: () => this.next(), close: () => this.close(),
      openChat: (chatId, open) => this.onOpenChat && this.onOpenChat(chatId, open),
      pause: () => this.paused.add('ad'), resume: () => this.paused.delete('ad'),
    });
    this.duration = (card && card.duration) || STILL_MS;
    this.bars.replaceChildren(h('span.sv-bar', h('span.sv-fill')));
    this.head.replaceChildren(h('button.icon-btn.light', { type: 'button', title: 'Close', 'aria-label': 'Close', onclick: () => this.close() }, icon('close')));
    this.stage.replaceChildren((card && card.el) || card);
    this.foot.replaceChildren();
  }

  renderHead(g, u) {
    const name = g.mine ? 'My status' : (g.author.name || `+${g.author.wa_id}`);
    const menu = h('button.icon-btn.light', {
      type: 'button', title: 'Menu', 'aria-label': 'Status actions', testid: 'status-viewer-menu',
      onclick: (e) => { e.stopPropagation(); this.menu(menu, g, u); },
    }, icon('more'));
    this.sound = null;
    if (u.type === 'video') {
      this.sound = h('button.icon-btn.light', {
        type: 'button', testid: 'status-sound', 'aria-pressed': String(!this.muted),
        title: this.muted ? 'Sound on' : 'Sound off', 'aria-label': this.muted ? 'Turn sound on' : 'Turn sound off',
        onclick: (e) => { e.stopPropagation(); this.setMuted(!this.muted); },
      }, h('span.sv-sound', this.muted ? '🔇' : '🔊'));
    }
    fill(this.head,
      h('button.icon-btn.light.sv-back', { type: 'button', title: 'Close', 'aria-label': 'Close', testid: 'status-close', onclick: () => this.close() }, icon('back')),
      avatar(g.author.name, null, 36),
      h('div.sv-who', h('strong', { dir: 'auto', testid: 'status-author' }, name), h('span', listTime(u.posted_at) === clock(u.posted_at) ? clock(u.posted_at) : `${listTime(u.posted_at)} ${clock(u.posted_at)}`)),
      h('span.sv-grow'),
      this.sound,
      h('button.icon-btn.light', {
        type: 'button', testid: 'status-pause', title: 'Pause (Space)', 'aria-label': 'Pause or play',
        onclick: (e) => { e.stopPropagation(); this.togglePause(); },
      }, h('span.sv-pp', this.paused.has('user') ? '▶' : '❚❚')),
      menu);
  }

  renderStage(u) {
    const media = mediaOf(u);
    let body;
    if (u.type === 'text') {
      const t = u.text || {};
      body = h('div.sv-text', { testid: 'status-text', dataset: { font: t.font || 'sans' } }, h('p', { dir: 'auto', class: `font-${t.font || 'sans'}` }, t.body || ''));
      if (/^#[0-9a-f]{6}$/i.test(t.background || '')) body.style.background = t.background;
    } else if (u.type === 'image') {
      const img = h('img.sv-media', { alt: (media && media.caption) || 'Status photo', testid: 'status-image' });
      statusBlob(media && media.url).then((url) => { img.src = url; }, () => { body.classList.add('broken'); });
      body = h('div.sv-pic', img);
    } else {
      const video = h('video.sv-media', { playsinline: true, preload: 'auto', testid: 'status-video' });
      video.muted = this.muted;
      this.video = video;
      this.paused.add('media');
      video.addEventListener('loadedmetadata', () => { if (Number.isFinite(video.duration) && video.duration > 0) this.duration = video.duration * 1000; });
      video.addEventListener('playing', () => this.paused.delete('media'));
      video.addEventListener('waiting', () => this.paused.add('media'));
      video.addEventListener('ended', () => this.next());
      statusBlob(media && media.url).then((url) => {
        video.src = url;
        this.play();
      }, () => { body.classList.add('broken'); this.paused.delete('media'); });
      body = h('div.sv-pic', video);
    }
    if (u.type !== 'video') this.video = null;
    const caption = media && media.caption ? h('div.sv-caption', { dir: 'auto', testid: 'status-caption' }, media.caption) : null;
    fill(this.stage, body, caption);
  }

  renderFoot(g, u) {
    this.sheet?.close();
    this.views = null;
    if (g.mine) {
      this.views = h('span', 'Views');
      this.foot.replaceChildren(h('button.sv-views', {
        type: 'button', testid: 'status-viewers-open', onclick: (e) => { e.stopPropagation(); this.openViewers(u); },
      }, h('span.sv-eye', '👁'), this.views));
      this.countViews(u);
      return;
    }
    const input = h('input.sv-input', {
      type: 'text', placeholder: 'Reply…', 'aria-label': 'Reply to this update', testid: 'status-reply-input', maxlength: 4096, dir: 'auto',
      onfocus: () => this.paused.add('typing'), onblur: () => this.paused.delete('typing'),
    });
    const send = async (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.disabled = true;
      try {
        await statusApi.reply(u.id, text);
        input.value = '';
        input.blur();
        toast('Reply sent');
      } catch (ex) { toast(ex.message, 'error'); } finally { input.disabled = false; }
    };
    const reactions = h('div.sv-reacts', { role: 'group', 'aria-label': 'Quick reactions' }, QUICK.map((emoji) => h('button.sv-react', {
      type: 'button', testid: 'status-react', title: `React ${emoji}`, 'aria-label': `React ${emoji}`, 'aria-pressed': String(u.reaction === emoji),
      class: u.reaction === emoji ? 'sv-react on' : 'sv-react',
      onclick: async (e) => {
        e.stopPropagation();
        const next = u.reaction === emoji ? '' : emoji;
        try {
          await statusApi.react(u.id, next);
          u.reaction = next || undefined;
          if (this.current === u) this.renderFoot(g, u);
          if (next) toast(`Reacted ${next}`);
        } catch (ex) { toast(ex.message, 'error'); }
      },
    }, emoji)));
    this.foot.replaceChildren(reactions, h('form.sv-reply', { onsubmit: send },
      input, h('button.sv-send', { type: 'submit', title: 'Send', 'aria-label': 'Send reply', testid: 'status-reply-send' }, icon('send', 20))));
  }

  /** Show how many have viewed my update u (again when a new viewer arrives). */
  countViews(u) {
    statusApi.viewers(u.id).then((r) => {
      if (this.current === u && this.views) this.views.textContent = `${r.viewers.length} view${r.viewers.length === 1 ? '' : 's'}`;
    }, () => {});
  }

  async openViewers(u) {
    this.paused.add('sheet');
    this.sheet = viewersSheet(u, this.frame, () => { this.paused.delete('sheet'); this.sheet = null; });
  }

  menu(anchor, g, u) {
    this.paused.add('menu');
    const done = () => this.paused.delete('menu');
    const items = g.mine ? [
      { label: 'Viewers', icon: 'info', onClick: () => { done(); this.openViewers(u); }, testid: 'status-viewers-action' },
      { label: 'Delete', icon: 'close', danger: true, onClick: () => this.remove(u), testid: 'status-delete' },
    ] : [
      g.muted
        ? { label: `Unmute ${g.author.name}`, icon: 'audio', onClick: () => this.mute(g, false), testid: 'status-unmute' }
        : { label: `Mute ${g.author.name}`, icon: 'audio', onClick: () => this.mute(g, true), testid: 'status-mute' },
    ];
    const m = popupMenu(anchor, items);
    const watch = new MutationObserver(() => { if (!m.isConnected) { watch.disconnect(); if (this.paused.has('menu') && !this.paused.has('confirm')) done(); } });
    watch.observe(document.body, { childList: true });
  }

  async mute(g, on) {
    this.paused.delete('menu');
    try {
      await statusFeed.setMuted(g.author.wa_id, on);
      g.muted = on;
      toast(on ? `${g.author.name}'s updates are muted` : `${g.author.name}'s updates are unmuted`);
    } catch (e) { toast(e.message, 'error'); }
  }

  async remove(u) {
    this.paused.add('confirm');
    const ok = await confirmDialog('Delete this update?', 'It is deleted for everyone who can see it.', 'Delete', true);
    this.paused.delete('confirm');
    this.paused.delete('menu');
    if (!ok) return;
    try {
      await statusApi.remove(u.id);
      statusFeed.remove(u.id);
      toast('Status update deleted');
    } catch (e) { toast(e.message, 'error'); }
  }

  /** An update left the feed (deleted or expired): step past it if it is on screen. */
  removed(id) {
    for (const p of this.pages) {
      if (!p.group) continue;
      const i = p.group.updates.findIndex((u) => u.id === id);
      if (i < 0) continue;
      const showing = this.current && this.current.id === id;
      p.group.updates.splice(i, 1);
      if (p === this.pages[this.page]) {
        if (!p.group.updates.length) { this.show(this.page + 1, 0); return; }
        if (showing || i < this.item) this.show(this.page, showing ? Math.min(i, p.group.updates.length - 1) : this.item - 1);
        else this.refreshBars();
      }
    }
  }

  refreshBars() {
    const p = this.pages[this.page];
    if (!p || !p.group) return;
    const n = p.group.updates.length;
    if (this.bars.childElementCount !== n) {
      this.bars.replaceChildren(...p.group.updates.map(() => h('span.sv-bar', h('span.sv-fill'))));
    }
    [...this.bars.children].forEach((bar, i) => {
      bar.classList.toggle('done', i < this.item);
      bar.classList.toggle('now', i === this.item);
      if (i !== this.item) bar.firstChild.style.transform = i < this.item ? 'scaleX(1)' : 'scaleX(0)';
    });
  }

  tick(t) {
    const dt = this.last ? Math.min(t - this.last, 100) : 0;
    this.last = t;
    if (!this.paused.size) this.elapsed += dt;
    this.el.classList.toggle('paused', this.paused.size > 0);
    const bar = this.bars.children[this.pages[this.page]?.ad ? 0 : this.item]?.firstChild;
    // A video's bar follows its playback (a recording without a known length: elapsed time).
    const known = this.video && Number.isFinite(this.video.duration) && this.video.duration > 0;
    const frac = known ? this.video.currentTime / this.video.duration : this.elapsed / this.duration;
    if (bar) bar.style.transform = `scaleX(${Math.min(1, frac)})`;
    if (!this.video && this.elapsed >= this.duration) this.next();
    if (this.el.isConnected) this.raf = requestAnimationFrame((x) => this.tick(x));
  }

  next() {
    const p = this.pages[this.page];
    if (p && p.group && this.item < p.group.updates.length - 1) this.show(this.page, this.item + 1);
    else this.show(this.page + 1, 0);
  }

  prev() {
    if (this.item > 0) { this.show(this.page, this.item - 1); return; }
    if (this.page === 0) { this.show(0, 0); return; }
    const p = this.pages[this.page - 1];
    this.show(this.page - 1, p.group ? p.group.updates.length - 1 : 0);
  }

  togglePause() {
    if (this.paused.has('user')) { this.paused.delete('user'); this.play(); } else { this.paused.add('user'); this.video?.pause(); }
    const pp = this.head.querySelector('.sv-pp');
    if (pp) pp.textContent = this.paused.has('user') ? '▶' : '❚❚';
    this.el.dataset.paused = String(this.paused.has('user'));
  }

  play() {
    if (!this.video || this.paused.has('user') || this.paused.has('hold')) return;
    this.video.play().catch(() => {
      // Autoplay with sound can be refused: play muted and offer the toggle.
      if (!this.video.muted) { this.setMuted(true); this.video.play().catch(() => {}); }
    });
  }

  setMuted(on) {
    this.muted = on;
    if (this.video) this.video.muted = on;
    if (this.sound) {
      this.sound.firstChild.textContent = on ? '🔇' : '🔊';
      this.sound.setAttribute('aria-pressed', String(!on));
      this.sound.setAttribute('aria-label', on ? 'Turn sound on' : 'Turn sound off');
    }
  }

  key(e) {
    if (!this.el.isConnected || document.querySelector('.overlay, .popup-menu')) return;
    const typing = e.target && e.target.matches && e.target.matches('input, textarea');
    if (e.key === 'Escape') {
      e.preventDefault();
      if (typing) e.target.blur(); else if (this.sheet) this.sheet.close(); else this.close();
      return;
    }
    if (typing) return;
    const rtl = getComputedStyle(this.el).direction === 'rtl';
    if (e.key === 'ArrowRight') { e.preventDefault(); if (rtl) this.prev(); else this.next(); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); if (rtl) this.next(); else this.prev(); }
    else if (e.key === ' ' || e.key === 'Spacebar') { e.preventDefault(); this.togglePause(); }
  }

  /** Taps, press-and-hold and swipe-down on the stage. */
  pointer() {
    let down = null;
    let holdTimer = 0;
    this.stage.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.target.closest('button, a, input')) return;
      down = { x: e.clientX, y: e.clientY, held: false };
      holdTimer = setTimeout(() => { if (down) { down.held = true; this.paused.add('hold'); this.video?.pause(); } }, 250);
    });
    const up = (e) => {
      clearTimeout(holdTimer);
      if (!down) return;
      const d = down;
      down = null;
      if (d.held) { this.paused.delete('hold'); this.play(); return; }
      const dy = e.clientY - d.y;
      if (dy > 80 && Math.abs(e.clientX - d.x) < dy) { this.close(); return; }
      const r = this.stage.getBoundingClientRect();
      const rtl = getComputedStyle(this.el).direction === 'rtl';
      const leftThird = e.clientX < r.left + r.width / 3;
      if (leftThird !== rtl) this.prev(); else this.next();
    };
    this.stage.addEventListener('pointerup', up);
    this.stage.addEventListener('pointercancel', () => { clearTimeout(holdTimer); if (down?.held) { this.paused.delete('hold'); this.play(); } down = null; });
    this.stage.addEventListener('pointermove', (e) => {
      if (down && !down.held && Math.abs(e.clientY - down.y) > 12) clearTimeout(holdTimer);
      if (down && e.clientY - down.y > 0) this.frame.style.transform = `translateY(${Math.min(e.clientY - down.y, 200) / 2}px)`;
    });
    for (const ev of ['pointerup', 'pointercancel']) this.stage.addEventListener(ev, () => { this.frame.style.transform = ''; });
  }
}
