// Business messages inside bubbles: interactive messages (reply buttons, lists, call-to-action
// links, location requests) and templates as composed (media or text header, body, footer,
// buttons), plus a person's answers to them (button and list replies, quick-reply taps).
// The tappable buttons sit under the content, full width, separated by thin lines.
import { h, linkify, osmLink } from '../util.js';
import { icon } from '../icons.js';
import { store } from '../store.js';
import { mediaContent, documentCard } from './media-view.js';
import { modal, toast } from './dialog.js';
import { openListSheet } from './list-sheet.js';
import { openShop, orderDetailsPart, payDialog, paymentState, productPart } from './shop.js';

/** Message types rendered by this module. */
export const STRUCTURED = ['interactive', 'template', 'button'];

const MAX_INLINE_BUTTONS = 3;

/** Only http(s) links become clickable. */
export function safeUrl(url) {
  try {
    const u = new URL(String(url || ''));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch { return null; }
}

function telHref(phone) {
  const p = String(phone || '').replace(/[^\d+]/g, '');
  return /\d{3,}/.test(p) ? `tel:${p}` : null;
}

// ---- content --------------------------------------------------------------------------------

/** The content part of an interactive, template or button message. */
export function structuredContent(m) {
  if (m.type === 'button') return replyText((m.button && m.button.text) || '', null, 'button-reply');
  if (m.type === 'template') {
    const t = m.template || {};
    const r = t.rendered;
    if (!r) return h('div.text.muted', { testid: 'template-body' }, `Template: ${t.name || ''}`, h('span.meta-spacer'));
    return card({ header: r.header, body: r.body, footer: r.footer, testid: 'template-message', kind: 'template' });
  }
  const i = m.interactive || {};
  if (i.type === 'button_reply' && i.button_reply) return replyText(i.button_reply.title, null, 'interactive-reply');
  if (i.type === 'list_reply' && i.list_reply) return replyText(i.list_reply.title, i.list_reply.description, 'interactive-reply');
  const el = card({
    header: i.header, body: i.body && i.body.text, footer: i.footer && i.footer.text,
    testid: 'interactive-message', kind: i.type || 'interactive',
  });
  if (i.type === 'order_details') {
    el.insertBefore(orderDetailsPart(i), el.lastChild);
    el.insertBefore(paymentState(m), el.lastChild);
  }
  if (['product', 'product_list', 'catalog_message'].includes(i.type)) {
    // Under the header, above the body.
    el.insertBefore(productPart(m), i.header ? el.firstChild.nextSibling : el.firstChild);
  }
  if (i.type === 'order_status') {
    const o = (i.action && i.action.parameters && i.action.parameters.order) || {};
    el.insertBefore(h('div.ia-footer', { testid: 'order-status' }, `Order status: ${String(o.status || '').replace(/_/g, ' ')}`), el.lastChild);
  }
  return el;
}

function replyText(title, description, testid) {
  return h('div.ia-reply', { testid },
    h('div.text', { testid: 'message-text', dir: 'auto' }, title || '', description ? null : h('span.meta-spacer')),
    description ? h('div.ia-reply-desc', { dir: 'auto' }, description, h('span.meta-spacer')) : null);
}

/** Header (media or bold text), body and footer, as the business composed them. */
function card({ header, body, footer, testid, kind }) {
  const parts = [];
  if (header) parts.push(headerView(header));
  if (body) parts.push(h('div.text.ia-body', { testid: 'ia-body', dir: 'auto' }, linkify(body)));
  if (footer) parts.push(h('div.ia-footer', { testid: 'ia-footer', dir: 'auto' }, footer));
  const last = parts[parts.length - 1];
  if (last && !last.classList.contains('ia-media')) last.append(h('span.meta-spacer'));
  else parts.push(h('div.ia-spacer', h('span.meta-spacer')));
  return h('div.ia-card', { testid, dataset: { kind } }, parts);
}

function headerView(hd) {
  const type = hd.type;
  if (type === 'text') return h('div.ia-header', { testid: 'ia-header', dir: 'auto' }, hd.text || '');
  if (type === 'location') {
    // A location header: a map tile, linked when the coordinates are known.
    const l = hd.location || {};
    const known = Number.isFinite(Number(l.latitude)) && Number.isFinite(Number(l.longitude)) && l.latitude != null && l.longitude != null;
    const pin = h('span.map-pin', icon('location', 34));
    return h('div.ia-media.ia-map', { testid: 'ia-header-media', dataset: { type } }, known
      ? h('a.map-thumb', { href: osmLink(l.latitude, l.longitude), target: '_blank', rel: 'noopener noreferrer', title: l.name || 'Open in OpenStreetMap' }, pin)
      : h('div.map-thumb', { role: 'img', 'aria-label': 'Location' }, pin));
  }
  const media = hd[type];
  if (!media || !['image', 'video', 'document'].includes(type)) return h('div.ia-header.muted', 'Attachment');
  const pseudo = { type, [type]: media };
  const el = type === 'document' ? documentCard(pseudo, { caption: false }) : mediaContent(pseudo, type === 'image' ? 'img' : 'video', { caption: false });
  return h('div.ia-media', { testid: 'ia-header-media', dataset: { type } }, el);
}

// ---- buttons under the bubble -----------------------------------------------------------------

/**
 * The button stack for a business message, or null. ctx.actions.answer(m, content) sends an
 * answer quoting m; ctx.actions.requestLocation(m) opens the location flow for a request.
 */
export function structuredActions(m, ctx) {
  const mine = store.isMine(m);
  const disabled = mine || !!m.pending || !!(ctx.chat && ctx.chat.left);
  let buttons = [];
  if (m.type === 'interactive') buttons = interactiveButtons(m, ctx, disabled);
  else if (m.type === 'template') buttons = templateButtons(m, ctx, disabled);
  if (!buttons.length) return null;
  if (m.type === 'template' && buttons.length > MAX_INLINE_BUTTONS) {
    const all = () => templateButtons(m, ctx, disabled);
    buttons = buttons.slice(0, MAX_INLINE_BUTTONS - 1);
    buttons.push(actionButton({ label: 'See all options', iconName: 'list', testid: 'template-more', onClick: () => allOptions(m, all) }));
  }
  return h('div.bubble-actions', { testid: 'message-actions' }, buttons);
}

function actionButton({ label, iconName, testid, onClick, disabled, dataset, title, sends }) {
  return h('button.ia-btn', {
    type: 'button', testid, dataset, disabled, title: title || label,
    onclick: (e) => {
      e.stopPropagation();
      if (sends) {
        // A double click answers once.
        const btn = e.currentTarget;
        btn.disabled = true;
        setTimeout(() => { btn.disabled = false; }, 1500);
      }
      onClick(e);
    },
  }, iconName ? icon(iconName, 18) : null, h('span.ia-btn-label', label));
}

function linkButton({ label, iconName, href, testid, dataset, newTab }) {
  if (!href) return actionButton({ label, iconName, testid, dataset, disabled: true, title: 'Link unavailable', onClick: () => {} });
  const attrs = { href, testid, dataset, title: href.startsWith('tel:') ? `Call ${href.slice(4)}` : href };
  if (newTab) Object.assign(attrs, { target: '_blank', rel: 'noopener noreferrer', 'aria-label': `${label} (opens in a new tab)` });
  return h('a.ia-btn', attrs, icon(iconName, 18), h('span.ia-btn-label', label));
}

function interactiveButtons(m, ctx, disabled) {
  const i = m.interactive || {};
  const a = i.action || {};
  switch (i.type) {
    case 'button':
      return (a.buttons || []).filter((b) => b && b.reply).map((b) => actionButton({
        label: b.reply.title, iconName: 'reply', testid: 'interactive-button', disabled, dataset: { id: b.reply.id }, sends: true,
        onClick: () => ctx.actions.answer(m, {
          type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: b.reply.id, title: b.reply.title } },
        }),
      }));
    case 'list':
      return [actionButton({
        label: a.button || 'Options', iconName: 'list', testid: 'list-open', disabled,
        onClick: () => openListSheet(m, (choice) => ctx.actions.answer(m, {
          type: 'interactive', interactive: { type: 'list_reply', list_reply: choice },
        })),
      })];
    case 'cta_url': {
      const p = a.parameters || {};
      return [linkButton({ label: p.display_text || 'Open', iconName: 'open', href: safeUrl(p.url), testid: 'cta-link', newTab: true })];
    }
    case 'product': case 'product_list': case 'catalog_message': {
      const peer = ctx.chat && ctx.chat.peer;
      const label = { product: 'View product', product_list: 'View items', catalog_message: 'View catalog' }[i.type];
      const buttons = [actionButton({
        label, iconName: 'open', testid: 'open-shop', disabled: !peer,
        onClick: () => openShop({ waId: peer.wa_id, chatId: m.chat_id, send: ctx.actions.send, retailerId: a.product_retailer_id }),
      })];
      if (i.type !== 'catalog_message') {
        buttons.push(actionButton({
          label: 'View cart', iconName: 'list', testid: 'open-cart', disabled: !peer,
          onClick: () => openShop({ waId: peer.wa_id, chatId: m.chat_id, send: ctx.actions.send, view: 'cart' }),
        }));
      }
      return buttons;
    }
    case 'order_details':
      return [actionButton({ label: 'Review and pay', iconName: 'open', testid: 'review-and-pay', disabled, onClick: () => payDialog(m) })];
    case 'location_request_message':
      return [actionButton({
        label: 'Send location', iconName: 'location', testid: 'location-request', disabled,
        onClick: () => ctx.actions.requestLocation(m),
      })];
    default: return [];
  }
}

function templateButtons(m, ctx, disabled) {
  const r = (m.template && m.template.rendered) || {};
  return (r.buttons || []).map((b) => {
    const dataset = { kind: b.type || '' };
    switch (b.type) {
      case 'quick_reply':
        return actionButton({
          label: b.text, iconName: 'reply', testid: 'template-button', disabled, dataset, sends: true,
          onClick: () => ctx.actions.answer(m, { type: 'button', button: { payload: b.payload || b.text, text: b.text } }),
        });
      case 'url':
        return linkButton({ label: b.text, iconName: 'open', href: safeUrl(b.url), testid: 'template-button', dataset, newTab: true });
      case 'phone_number':
        return linkButton({ label: b.text, iconName: 'call', href: telHref(b.phone_number), testid: 'template-button', dataset });
      case 'copy_code':
        return actionButton({
          label: b.text || 'Copy code', iconName: 'copy', testid: 'template-button', dataset,
          onClick: () => copyText(b.payload || '').then(() => toast('Code copied'), () => toast('Could not copy the code', 'error')),
        });
      default:
        return actionButton({ label: b.text || b.type || 'Button', testid: 'template-button', dataset, disabled: true, onClick: () => {} });
    }
  });
}

/** A sheet with every button of a template that has more than fit under the bubble. */
function allOptions(m, build) {
  const list = h('div.ia-options', build());
  // Capture: the buttons stop their clicks from bubbling; choosing one closes the sheet.
  list.addEventListener('click', (e) => { if (e.target.closest('.ia-btn:not(:disabled)')) sheet.close(); }, true);
  const sheet = modal({ title: 'All options', testid: 'template-options', body: list });
  sheet.el.classList.add('sheet');
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); return; } catch { /* fall back below */ }
  }
  const ta = h('textarea', { style: { position: 'fixed', opacity: '0' } });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('copy failed');
}
