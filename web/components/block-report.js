// Blocking, reporting and marketing opt-outs for the person's web client: the chat header's
// "more" menu (chat info, block or unblock, report a business, stop or allow its marketing
// messages) and a section of the contact or business profile panel with the same actions and
// an opt-out toggle. Everything goes through the client API (/client/v1/blocks/…,
// /client/v1/businesses/{wa_id}/report and …/marketing); a blocked business's messages fail
// on the server, so nothing here hides messages itself.
import { h } from '../util.js';
import { icon } from '../icons.js';
import { request } from '../api.js';
import { store } from '../store.js';
import { confirmDialog, modal, popupMenu, toast } from './dialog.js';

const enc = encodeURIComponent;

/** Where I stand with an account: {wa_id, is_business, blocked, reported, marketing_opt_out}. */
export function relation(waId) {
  return request('GET', `/blocks/${enc(waId)}`);
}

async function setBlocked(peer, blocked) {
  const name = peer.verified_name || peer.display_name || peer.phone || peer.wa_id;
  if (blocked) {
    const text = peer.kind === 'business'
      ? `${name} will not be able to message you. Their messages will fail on their side.`
      : `${name} will be blocked.`;
    if (!await confirmDialog(`Block ${name}?`, text, 'Block', true)) return null;
    const r = await request('PUT', `/blocks/${enc(peer.wa_id)}`, {});
    toast(`${name} blocked`);
    return r;
  }
  const r = await request('DELETE', `/blocks/${enc(peer.wa_id)}`);
  toast(`${name} unblocked`);
  return r;
}

/** The report dialog: a reason, and "also block" checked by default. Resolves to the new
 * relation, or null when cancelled. */
function reportDialog(peer) {
  const name = peer.verified_name || peer.display_name || peer.wa_id;
  return new Promise((resolve) => {
    let result = null;
    const reason = h('select.text-input', { 'aria-label': 'Reason', testid: 'report-reason' },
      ['spam', 'scam', 'offensive', 'other'].map((r) => h('option', { value: r }, r[0].toUpperCase() + r.slice(1))));
    const alsoBlock = h('input', { type: 'checkbox', checked: true, testid: 'report-block' });
    const send = h('button.btn.danger', {
      type: 'button', testid: 'report-send',
      onclick: async () => {
        send.disabled = true;
        try {
          result = await request('POST', `/businesses/${enc(peer.wa_id)}/report`,
            { reason: reason.value, block: alsoBlock.checked });
          toast(`${name} reported`);
          m.close();
        } catch (e) { send.disabled = false; toast(e.message, 'error'); }
      },
    }, 'Report');
    const cancel = h('button.btn', { type: 'button', onclick: () => m.close() }, 'Cancel');
    const m = modal({
      title: `Report ${name}?`,
      testid: 'report-dialog',
      body: h('div.report-form',
        h('p', 'The report is kept on this server and counts against the business\u2019s quality rating.'),
        h('label.field', 'Reason ', reason),
        h('label.check-row', { style: { display: 'flex', gap: '8px', alignItems: 'center' } }, alsoBlock, ' Block this business too')),
      actions: [cancel, send],
      onClose: () => resolve(result),
    });
  });
}

async function setMarketing(peer, optOut) {
  const r = await request('PUT', `/businesses/${enc(peer.wa_id)}/marketing`, { opt_out: optOut });
  toast(optOut ? 'Marketing messages turned off' : 'Marketing messages turned on');
  return r;
}

/** The peer of a direct chat, or null for groups. */
function peerOf(chatId) {
  const c = store.chats.get(chatId);
  return c && c.kind !== 'group' ? c.peer || null : null;
}

/**
 * The chat header's "more" button: a menu with chat info and, in a chat with a business, block
 * or unblock, report and the marketing switch. `getChatId` names the open
 * chat; `onInfo(chatId)` opens its info panel.
 */
export function chatMenuButton(getChatId, onInfo) {
  const btn = h('button.icon-btn', {
    type: 'button', title: 'More', 'aria-label': 'More options', 'aria-haspopup': 'menu', testid: 'conv-more-button',
    onclick: async () => {
      const chatId = getChatId();
      const peer = peerOf(chatId);
      const items = [{ label: 'Chat info', icon: 'info', testid: 'menu-chat-info', onClick: () => onInfo(chatId) }];
      // Blocking a person does not yet stop their messages, so only businesses are offered.
      if (peer && peer.kind === 'business') {
        let rel = null;
        try { rel = await relation(peer.wa_id); } catch { /* shown without state */ }
        const blocked = !!(rel && rel.blocked);
        items.push({
          label: blocked ? 'Unblock' : 'Block', icon: 'lock', danger: !blocked, testid: 'menu-block',
          onClick: () => setBlocked(peer, !blocked).catch((e) => toast(e.message, 'error')),
        });
        if (peer.kind === 'business') {
          items.push({
            label: 'Report business', icon: 'info', danger: true, testid: 'menu-report',
            onClick: () => reportDialog(peer),
          });
          const off = !!(rel && rel.marketing_opt_out);
          items.push({
            label: off ? 'Allow marketing messages' : 'Stop marketing messages', icon: 'check', testid: 'menu-marketing',
            onClick: () => setMarketing(peer, !off).catch((e) => toast(e.message, 'error')),
          });
        }
      }
      popupMenu(btn, items);
    },
  }, icon('more'));
  return btn;
}

/** The profile panel's section for a direct chat's peer: block or unblock, report (business)
 * and the marketing opt-out toggle (business), kept in step with the server's answers. */
export function profileActions(peer) {
  const section = h('section.info-block.block-report', { testid: 'profile-block-report' });
  const biz = peer?.kind === 'business';
  if (!biz || !peer.wa_id) return section;
  const render = (rel) => {
    const name = peer.verified_name || peer.display_name || peer.wa_id;
    const toggle = h('input', {
      type: 'checkbox', checked: !rel.marketing_opt_out, testid: 'profile-marketing-toggle',
      onchange: async () => {
        toggle.disabled = true;
        try { render(await setMarketing(peer, !toggle.checked)); } catch (e) { toast(e.message, 'error'); render(rel); }
      },
    });
    section.replaceChildren(
      biz ? h('label.check-row', { testid: 'profile-marketing', style: { display: 'flex', gap: '8px', alignItems: 'center', marginBottom: '10px' } }, toggle, ' Marketing messages from this business') : null,
      h('button.btn.danger', {
        type: 'button', testid: 'profile-block',
        onclick: async () => {
          try { const r = await setBlocked(peer, !rel.blocked); if (r) render(r); } catch (e) { toast(e.message, 'error'); }
        },
      }, icon('lock', 20), rel.blocked ? ` Unblock ${name}` : ` Block ${name}`),
      biz ? h('button.btn.danger', {
        type: 'button', testid: 'profile-report',
        onclick: async () => { const r = await reportDialog(peer); if (r) render(r); },
      }, icon('info', 20), rel.reported ? ' Report again' : ` Report ${name}`) : null);
  };
  relation(peer.wa_id).then(render).catch(() => {});
  return section;
}
