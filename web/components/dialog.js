// Modal dialogs and small popups: a generic modal with a title and body, confirm, and toasts.
import { h } from '../util.js';
import { icon } from '../icons.js';

/** Open a modal; returns {close, el, body}. onClose runs once when it closes. */
export function modal({ title, body, actions = [], testid, onClose, wide }) {
  const prevFocus = document.activeElement;
  const close = () => {
    if (!overlay.isConnected) return;
    overlay.remove();
    document.removeEventListener('keydown', onKey);
    if (onClose) onClose();
    if (prevFocus && prevFocus.focus) prevFocus.focus();
  };
  const onKey = (e) => { if (e.key === 'Escape') close(); };
  const box = h('div.modal', {
    role: 'dialog', 'aria-modal': 'true', 'aria-label': title, testid, class: wide ? 'modal wide' : 'modal',
  },
  h('header.modal-head',
    h('h2', title),
    h('button.icon-btn', { type: 'button', title: 'Close', 'aria-label': 'Close', onclick: close, testid: 'modal-close' }, icon('close'))),
  h('div.modal-body', body),
  actions.length ? h('footer.modal-actions', actions) : null);
  const overlay = h('div.overlay', { onmousedown: (e) => { if (e.target === overlay) close(); } }, box);
  document.body.append(overlay);
  document.addEventListener('keydown', onKey);
  setTimeout(() => {
    const f = box.querySelector('[autofocus], input, textarea, select, .modal-body button');
    if (f) f.focus();
  });
  return { close, el: box };
}

export function confirmDialog(title, text, okLabel = 'OK', danger = false) {
  return new Promise((resolve) => {
    let result = false;
    const ok = h('button.btn', { type: 'button', class: danger ? 'btn danger' : 'btn primary', testid: 'confirm-ok', onclick: () => { result = true; m.close(); } }, okLabel);
    const cancel = h('button.btn', { type: 'button', onclick: () => m.close() }, 'Cancel');
    const m = modal({ title, body: h('p.confirm-text', text), actions: [cancel, ok], testid: 'confirm-dialog', onClose: () => resolve(result) });
    ok.focus();
  });
}

let toastBox;
export function toast(text, kind = 'info') {
  if (!toastBox) {
    toastBox = h('div.toasts', { 'aria-live': 'polite', role: 'status' });
    document.body.append(toastBox);
  }
  const t = h('div.toast', { class: `toast ${kind}`, testid: 'toast' }, text);
  toastBox.append(t);
  setTimeout(() => t.classList.add('out'), 3500);
  setTimeout(() => t.remove(), 4000);
}

/** A small popup menu anchored to an element. items: [{label, icon, onClick, testid, danger}]. */
export function popupMenu(anchor, items, { align = 'right' } = {}) {
  closeMenus();
  const menu = h('div.popup-menu', { role: 'menu', testid: 'popup-menu' },
    items.filter(Boolean).map((it) => h('button.menu-item', {
      type: 'button', role: 'menuitem', testid: it.testid, class: it.danger ? 'menu-item danger' : 'menu-item',
      onclick: (e) => { e.stopPropagation(); closeMenus(); it.onClick(); },
    }, it.icon ? icon(it.icon, 20) : null, h('span', it.label))));
  document.body.append(menu);
  const r = anchor.getBoundingClientRect();
  const mw = menu.offsetWidth;
  const mh = menu.offsetHeight;
  let left = align === 'right' ? r.right - mw : r.left;
  left = Math.max(8, Math.min(left, window.innerWidth - mw - 8));
  let top = r.bottom + 4;
  if (top + mh > window.innerHeight - 8) top = Math.max(8, r.top - mh - 4);
  menu.style.left = `${left}px`;
  menu.style.top = `${top}px`;
  const first = menu.querySelector('button');
  if (first) first.focus();
  setTimeout(() => document.addEventListener('mousedown', outside, true));
  function outside(e) { if (!menu.contains(e.target)) closeMenus(); }
  menu._cleanup = () => document.removeEventListener('mousedown', outside, true);
  menu.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeMenus(); });
  return menu;
}

export function closeMenus() {
  for (const m of document.querySelectorAll('.popup-menu')) {
    if (m._cleanup) m._cleanup();
    m.remove();
  }
}
