// The chat column: messages as the business number sees them (quotes, reactions, media,
// interactive messages, failures with their error code), and the composer with quick replies
// listed when the text starts with "/".
import { api, h, session } from './api.js';
import { productsPicker } from './products-picker.js';

// Object URLs of media already fetched (with the console session's bearer token).
const mediaUrls = new Map();
function mediaImage(id) {
  const img = h('img', { alt: '', testid: 'console-image', style: 'max-width:240px;display:block;border-radius:6px' });
  const have = mediaUrls.get(id);
  if (have) { img.src = have; return img; }
  fetch(`/console/v1/media/${id}`, { headers: { Authorization: `Bearer ${session.token}` } })
    .then((r) => (r.ok ? r.blob() : null))
    .then((b) => { if (b) { const u = URL.createObjectURL(b); mediaUrls.set(id, u); img.src = u; } })
    .catch(() => {});
  return img;
}

function body(m) {
  switch (m.type) {
    case 'text': return m.text.body;
    case 'image': case 'video': case 'audio': case 'document': case 'sticker': {
      const media = m[m.type];
      return `[${m.type}${media.filename ? `: ${media.filename}` : ''}]${media.caption ? ` ${media.caption}` : ''}`;
    }
    case 'location': return `📍 ${m.location.name || ''} ${m.location.latitude}, ${m.location.longitude}`;
    case 'interactive': return m.interactive.body?.text || '[interactive]';
    case 'button': return m.button.text;
    case 'template': return `[template ${m.template.name}]`;
    case 'contacts': return `👤 ${m.contacts.map((c) => c.name.formatted_name).join(', ')}`;
    default: return `[${m.type}]`;
  }
}

/** Render a page of history; `onQuote(message)` is called when the agent picks one to quote. */
export function renderMessages(box, page, businessWaId, onQuote = () => {}) {
  const reactions = new Map();
  for (const m of page.data) if (m.type === 'reaction') reactions.set(m.reaction.message_id, m.reaction.emoji);
  // Sends the Cloud API accepted and then failed show as failed outgoing bubbles, in time order.
  const failed = (page.failed || []).map((f) => ({ id: f.id, from: businessWaId, timestamp: f.timestamp, type: 'text', text: { body: f.preview }, status: 'failed', errors: f.errors }));
  const all = [...page.data, ...failed].sort((a, b) => a.timestamp - b.timestamp);
  box.replaceChildren(...all.filter((m) => m.type !== 'reaction' && m.type !== 'system').map((m) => {
    const out = m.from === businessWaId;
    const buttons = m.type === 'interactive'
      ? (m.interactive.action?.buttons || []).map((b) => h('span', {}, b.reply?.title || ''))
      : [];
    const reply = m.interactive?.button_reply?.title || m.interactive?.list_reply?.title;
    return h(`div.msg${out ? '.out' : ''}`, { testid: 'console-message', 'data-id': m.id, 'data-status': m.status || '', title: 'Double-click to quote', ondblclick: () => onQuote(m) },
      m.context ? h('div.quote', {}, m.context.preview || m.context.message_id) : null,
      (m.type === 'image' || m.type === 'sticker') && m[m.type].id ? mediaImage(m[m.type].id) : null,
      h('div', { testid: 'console-message-text' }, reply || body(m)),
      buttons.length ? h('div.buttons', {}, buttons) : null,
      reactions.has(m.id) ? h('div.reaction', {}, reactions.get(m.id)) : null,
      m.errors?.length ? h('div.failed', {}, `Failed: ${m.errors[0].code} ${m.errors[0].title || ''}${m.errors[0].error_data?.details ? ` — ${m.errors[0].error_data.details}` : ''}`) : null,
      h('div.meta', {}, new Date(m.timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), out && m.status ? ` · ${m.status}` : ''));
  }));
  box.scrollTop = box.scrollHeight;
}

/** The composer; `send(body)` posts a reply. Typing "/" lists quick replies by shortcut. */
export function composer(send) {
  let replies = [];
  let sel = 0;
  const input = h('textarea', { placeholder: 'Reply as the business · type / for quick replies', testid: 'console-composer', rows: 1 });
  const list = h('div.quick', { testid: 'quick-list', hidden: true });
  const matches = () => {
    const q = input.value.slice(1).toLowerCase();
    return replies.filter((r) => r.shortcut.startsWith(q));
  };
  const close = () => { list.hidden = true; };
  const pick = async (r) => {
    close();
    input.value = '';
    await send({ quick_reply_id: r.id });
  };
  const show = () => {
    const found = matches();
    if (!input.value.startsWith('/') || !found.length) return close();
    sel = Math.min(sel, found.length - 1);
    list.replaceChildren(...found.map((r, i) => h(`div${i === sel ? '.sel' : ''}`, { testid: 'quick-item', onmousedown: (e) => { e.preventDefault(); pick(r); } }, h('b', {}, `/${r.shortcut}`), r.body)));
    list.hidden = false;
  };
  input.addEventListener('input', async () => {
    if (input.value === '/') { replies = (await api.quickReplies()).data; sel = 0; }
    show();
  });
  input.addEventListener('keydown', async (e) => {
    if (!list.hidden && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      sel = Math.max(0, sel + (e.key === 'ArrowDown' ? 1 : -1));
      show();
      return;
    }
    if (e.key === 'Escape') return close();
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (!list.hidden) { const found = matches(); if (found[sel]) await pick(found[sel]); return; }
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      await send({ type: 'text', text: { body: text } });
    }
  });
  const btn = h('button.btn', { testid: 'console-send', onclick: () => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })) }, 'Send');
  const quoteBar = h('div.quote', { testid: 'console-quote', hidden: true, style: 'position:absolute;bottom:60px;left:10px;right:10px;background:#fff' });
  let quoted = null;
  const quote = (m) => {
    quoted = m ? m.id : null;
    quoteBar.hidden = !m;
    if (m) quoteBar.replaceChildren(`Replying to: ${m.text?.body || `[${m.type}]`} `, h('button', { onclick: () => quote(null) }, '×'));
    input.focus();
  };
  const plain = send;
  send = async (b) => { const q = quoted; quote(null); await plain(q ? { ...b, reply_to: q } : b); };
  const products = productsPicker((b) => send(b));
  return { el: h('div.composer', {}, quoteBar, list, products.panel, products.button, input, btn), input, quote };
}
