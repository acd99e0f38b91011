// The quoted Status of a reply, inside a message bubble: "You · Status" or the author's name,
// the update's text excerpt or its kind, and its thumbnail (or a swatch of a text update's
// colour). Once the update is gone its thumbnail 404s and the quote keeps its words.
import { h, colorFor } from '../util.js';
import { statusBlob } from '../status-feed.js';

const KIND = { image: '📷 Photo', video: '🎥 Video', text: 'Status' };

/**
 * q: the message context's `status` ({id, type, author, excerpt, thumbnail_url, background});
 * names: {me, nameOf(wa_id)} to say whose Status it was.
 */
export function statusQuote(q, { me, nameOf }) {
  const who = q.author && q.author === me ? 'You' : nameOf(q.author);
  const thumb = h('span.squote-thumb', { 'aria-hidden': 'true' });
  if (q.type === 'text') {
    if (/^#[0-9a-f]{6}$/i.test(q.background || '')) thumb.style.background = q.background;
    thumb.append(h('span.squote-mini', { dir: 'auto' }, (q.excerpt || '').slice(0, 24)));
  } else if (q.thumbnail_url) {
    statusBlob(q.thumbnail_url).then((url) => {
      const img = h('img', { alt: '', src: url });
      thumb.replaceChildren(img);
    }, () => { thumb.classList.add('gone'); });
  }
  const text = q.type === 'text' ? (q.excerpt || 'Status') : [KIND[q.type] || 'Status', q.excerpt].filter(Boolean).join(' · ');
  const el = h('div.quote.squote', { testid: 'message-status-quote', dataset: { statusId: q.id || '', statusType: q.type || '' } },
    h('span.squote-main',
      h('span.quote-name', who ? `${who} · Status` : 'Status'),
      h('span.quote-text', { dir: 'auto', testid: 'message-status-quote-text' }, text)),
    thumb);
  el.style.borderInlineStartColor = colorFor(q.author || '');
  return el;
}
