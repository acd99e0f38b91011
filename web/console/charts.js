// Charts drawn in the browser as SVG, with no library: columns over time and horizontal bars
// by category. Colours come from the stylesheet's variables (classes in billing.css), so the
// charts follow light and dark mode. Every chart has a text alternative (`role="img"` with a
// label, and a `<title>` per bar), and the table under it holds the same numbers.
const SVG = 'http://www.w3.org/2000/svg';

/** Create an SVG element with attributes and children. */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

const title = (text) => { const t = s('title'); t.textContent = text; return t; };
/** A label cut to what fits in `px` (about 8 px a character). */
const clip = (t, px) => { const n = Math.max(4, Math.floor((px - 8) / 8)); return t.length > n ? `${t.slice(0, n - 1)}…` : t; };
const text = (attrs, content) => { const t = s('text', attrs); t.textContent = content; return t; };

/**
 * Columns over time: `rows` are `{ label, value, display }` (value a number used only for
 * drawing, display the exact figure shown). Labels are shown under every `every`-th column.
 */
export function columnChart(rows, { label, testid, width = 720 } = {}) {
  const w = width; const h = 220; const left = 8; const bottom = 24; const top = 20;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const plot = h - bottom - top;
  const step = rows.length ? (w - left * 2) / rows.length : 0;
  const every = Math.max(1, Math.ceil(rows.length / Math.max(3, Math.floor(w / 90))));
  const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart columns', role: 'img', 'aria-label': label, 'data-testid': testid });
  svg.append(s('line', { x1: left, x2: w - left, y1: h - bottom + 0.5, y2: h - bottom + 0.5, class: 'axis' }));
  const peak = rows.find((r) => r.value === max && max > 0);
  if (peak) svg.append(text({ x: left, y: 12, class: 'tick' }, `max ${peak.display}`));
  rows.forEach((r, i) => {
    const bh = max > 0 ? Math.max(r.value > 0 ? 1.5 : 0, (r.value / max) * plot) : 0;
    const x = left + i * step;
    svg.append(s('rect', { x: x + step * 0.15, y: h - bottom - bh, width: Math.max(1, step * 0.7), height: bh, class: 'bar', 'data-label': r.label },
      title(`${r.label}: ${r.display}`)));
    if (i % every === 0) svg.append(text({ x: x + step / 2, y: h - 8, class: 'tick', 'text-anchor': 'middle' }, r.short ?? r.label));
  });
  return svg;
}

/** Horizontal bars, largest first as given: `rows` are `{ label, value, display }`. */
export function barChart(rows, { label, testid, width = 720 } = {}) {
  const w = width; const row = 28; const labelW = Math.round(w * 0.27); const valueW = Math.round(w * 0.22);
  const h = Math.max(row, rows.length * row) + 4;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const span = w - labelW - valueW;
  const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart bars', role: 'img', 'aria-label': label, 'data-testid': testid });
  if (!rows.length) svg.append(text({ x: 0, y: 18, class: 'tick' }, 'No traffic in this range.'));
  rows.forEach((r, i) => {
    const y = i * row + 4;
    const bw = max > 0 ? Math.max(r.value > 0 ? 2 : 0, (r.value / max) * span) : 0;
    svg.append(text({ x: labelW - 8, y: y + 15, class: 'label', 'text-anchor': 'end' }, clip(r.label, labelW)));
    svg.append(s('rect', { x: labelW, y: y + 3, width: bw, height: row - 10, rx: 3, class: 'bar', 'data-label': r.label }, title(`${r.label}: ${r.display}`)));
    svg.append(text({ x: labelW + bw + 6, y: y + 15, class: 'value' }, r.display));
  });
  return svg;
}

/**
 * A funnel per row (sent, delivered, read, clicked drawn over each other, each shorter than
 * the one before): `rows` are `{ label, stages: [{ name, value }] }`.
 */
export function funnelChart(rows, { label, testid, width = 720 } = {}) {
  const w = width; const row = 34; const labelW = Math.round(w * 0.27);
  const h = Math.max(row, rows.length * row) + 24;
  const max = Math.max(0, ...rows.flatMap((r) => r.stages.map((st) => st.value)));
  const span = w - labelW - 20;
  const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart funnel', role: 'img', 'aria-label': label, 'data-testid': testid });
  if (!rows.length) svg.append(text({ x: 0, y: 18, class: 'tick' }, 'No template was sent in this range.'));
  rows.forEach((r, i) => {
    const y = i * row + 4;
    svg.append(text({ x: labelW - 8, y: y + 18, class: 'label', 'text-anchor': 'end' }, clip(r.label, labelW)));
    r.stages.forEach((st, k) => {
      const bw = max > 0 ? (st.value / max) * span : 0;
      svg.append(s('rect', { x: labelW, y: y + 3 + k * 3, width: bw, height: row - 10 - k * 6, rx: 3, class: `bar stage-${k}` },
        title(`${r.label}: ${st.value} ${st.name}`)));
    });
  });
  // The legend, under the rows.
  const names = rows[0]?.stages.map((st) => st.name) || [];
  names.forEach((n, k) => {
    const x = (w < 500 ? 0 : labelW) + k * Math.min(110, w / 4.2);
    svg.append(s('rect', { x, y: h - 16, width: 12, height: 12, rx: 2, class: `bar stage-${k}` }));
    svg.append(text({ x: x + 16, y: h - 6, class: 'tick' }, n));
  });
  return svg;
}

/** Rows as CSV text (RFC 4180 quoting), header first. */
export function toCsv(header, rows) {
  const cell = (v) => {
    const t = String(v ?? '');
    return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Offer `text` as a file download. */
export function download(filename, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
