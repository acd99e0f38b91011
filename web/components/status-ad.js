// The "Sponsored" card the Status viewer shows between contacts' updates: the ad's image or
// video, the business, "Sponsored", headline, text and its button ("Message us" unless the
// business chose another label). Once the viewer shows it, it counts one impression; its
// button opens the chat with the business (with the ad's welcome message and referral, see
// ad-chat.js); its menu hides the ad or reports it (a reason, then the viewer moves on).
//
// Contract with the viewer: `renderStatusAd(ad, hooks)` takes one `ads[].ad` of the feed and
// hooks {next(), close(), openChat(chatId, open), pause?(), resume?()}, and returns
// {el, duration} (how long, in ms, the card stays before the viewer moves on).
import { h } from '../util.js';
import { icon } from '../icons.js';
import { statusBlob } from '../status-feed.js';
import { modal, toast } from './dialog.js';
import { adsApi, rememberAdOpen } from './ad-chat.js';

const REASONS = [
  ['misleading', 'Misleading or a scam'],
  ['offensive', 'Offensive or inappropriate'],
  ['irrelevant', 'Not relevant to me'],
  ['repetitive', 'I see it too often'],
  ['other', 'Something else'],
];

/** The stylesheet, once. */
function stylesheet() {
  if (document.querySelector('link[data-status-ad-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'status-ad.css', 'data-status-ad-css': '' }));
}

/** Point an image or video at a URL that may need the session (client API URLs do). */
function setSrc(el, url) {
  if (!url) return;
  if (url.startsWith('/client/v1/')) statusBlob(url).then((u) => { el.src = u; }, () => el.classList.add('broken'));
  else el.src = url;
}

/** Placements already counted in this tab: going back to an ad does not count it again. */
const counted = new Set();

/** `<wasla-status-ad>`: counts its impression the first time it is in the page. */
class StatusAdElement extends HTMLElement {
  connectedCallback() {
    if (!this.adId || counted.has(this.adId)) return;
    counted.add(this.adId);
    adsApi.impression(this.adId).catch(() => { /* a lost impression is not worth an error */ });
  }
}
if (!customElements.get('wasla-status-ad')) customElements.define('wasla-status-ad', StatusAdElement);

/** Ask why, then report; resolves true when reported. */
function reportDialog(ad) {
  return new Promise((resolve) => {
    let done = false;
    const err = h('p.error', { role: 'alert', testid: 'ad-report-error' });
    const choices = REASONS.map(([v, label], i) => h('label.ad-reason-choice',
      h('input', { type: 'radio', name: 'ad-report-reason', value: v, checked: i === 0, testid: `ad-report-${v}`, dataset: { label } }), h('span', label)));
    const send = h('button.btn.primary', { type: 'button', testid: 'ad-report-send', onclick: async () => {
      const picked = m.el.querySelector('input[name="ad-report-reason"]:checked');
      send.disabled = true;
      try {
        await adsApi.report(ad.id, picked ? picked.dataset.label : 'Something else');
        done = true;
        m.close();
      } catch (e) { err.textContent = e.message; send.disabled = false; }
    } }, 'Report');
    const m = modal({
      title: 'Report this ad',
      testid: 'ad-report-dialog',
      body: [h('p.muted', 'Why should we look at this ad? The business is not told who reported it.'), h('div.ad-reasons', choices), err],
      actions: [h('button.btn', { type: 'button', onclick: () => m.close() }, 'Cancel'), send],
      onClose: () => resolve(done),
    });
  });
}

/** Render one ad for the Status viewer (see the contract above). */
export function renderStatusAd(ad, hooks) {
  stylesheet();
  const media = ad.media || {};
  const name = (ad.business && ad.business.name) || '';
  let visual;
  if (media.type === 'video') {
    visual = h('video.sa-media', { muted: true, autoplay: true, loop: true, playsinline: true, testid: 'status-ad-media' });
    visual.muted = true;
    setSrc(visual, media.url);
  } else {
    visual = h('img.sa-media', { alt: ad.headline || 'Sponsored', testid: 'status-ad-media' });
    setSrc(visual, media.url || media.thumbnail_url);
  }
  const pause = () => hooks.pause && hooks.pause();
  const resume = () => hooks.resume && hooks.resume();

  const button = h('button.btn.primary.sa-button', {
    type: 'button', testid: 'status-ad-button',
    onclick: async (e) => {
      e.stopPropagation();
      button.disabled = true;
      pause();
      try {
        const open = await adsApi.tap(ad.id);
        rememberAdOpen({ business: ad.business, headline: ad.headline, ...open });
        hooks.close();
        await hooks.openChat(open.chat_id, open);
      } catch (ex) {
        button.disabled = false;
        toast(`Could not open the chat: ${ex.message}`, 'error');
        resume();
      }
    },
  }, icon('chat', 18), h('span', ad.button_text || 'Message us'));

  const menu = h('div.sa-menu', { hidden: true, role: 'menu', testid: 'status-ad-menu' },
    h('button.menu-item', { type: 'button', role: 'menuitem', testid: 'status-ad-hide', onclick: async (e) => {
      e.stopPropagation();
      menu.hidden = true;
      try { await adsApi.hide(ad.id); toast('Ad hidden. You will not see it again.'); hooks.next(); } catch (ex) { toast(ex.message, 'error'); resume(); }
    } }, 'Hide this ad'),
    h('button.menu-item.danger', { type: 'button', role: 'menuitem', testid: 'status-ad-report', onclick: async (e) => {
      e.stopPropagation();
      menu.hidden = true;
      if (await reportDialog(ad)) { toast('Thanks. We will review this ad.'); hooks.next(); } else resume();
    } }, 'Report ad'));
  const more = h('button.icon-btn.light.sa-more', {
    type: 'button', title: 'More', 'aria-label': 'Ad options', 'aria-haspopup': 'menu', testid: 'status-ad-more',
    onclick: (e) => {
      e.stopPropagation();
      menu.hidden = !menu.hidden;
      if (menu.hidden) resume(); else pause();
    },
  }, icon('more'));

  const el = document.createElement('wasla-status-ad');
  el.adId = ad.id;
  el.className = 'sa-card';
  el.dataset.testid = 'status-ad';
  el.dataset.ad = ad.id;
  // The viewer's own bar (progress, close) lies over the card's top, so the card's words and
  // controls sit at its bottom.
  el.append(
    h('div.sa-stage', visual),
    h('div.sa-info',
      h('div.sa-top',
        h('div.sa-business', h('strong', { dir: 'auto', testid: 'status-ad-business' }, name), h('span.sa-sponsored', { testid: 'status-ad-sponsored' }, 'Sponsored')),
        h('div.sa-menu-wrap', more, menu)),
      h('div.sa-headline', { dir: 'auto', testid: 'status-ad-headline' }, ad.headline || ''),
      ad.body ? h('p.sa-body', { dir: 'auto' }, ad.body) : null,
      button));
  // Taps on the card's own controls stay here; the rest (tap zones, swipes) is the viewer's.
  el.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !menu.hidden) { e.stopPropagation(); menu.hidden = true; resume(); } });
  return { el, duration: media.type === 'video' ? 15000 : 6000 };
}
