// Money in the console: amounts are integer minor units with an ISO 4217 currency, formatted
// and parsed with the currency's exponent, never through floating point.
const ZERO = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];
const THREE = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];

/** Digits after the decimal point for a currency. */
export const exponent = (currency) => (ZERO.includes(currency) ? 0 : THREE.includes(currency) ? 3 : 2);

/** "49.99 EUR" from 4999 and "EUR". */
export function money(minor, currency) {
  const exp = exponent(currency);
  const s = String(Math.abs(minor)).padStart(exp + 1, '0');
  return `${minor < 0 ? '-' : ''}${exp ? `${s.slice(0, -exp)}.${s.slice(-exp)}` : s} ${currency}`;
}

/** Minor units from decimal text ("4.5" → 450 in EUR); null when it is not a valid amount. */
export function toMinor(text, currency) {
  const exp = exponent(currency);
  const m = /^\s*(\d{1,12})(?:\.(\d*))?\s*$/.exec(text || '');
  if (!m || (m[2] || '').length > exp) return null;
  return Number(m[1]) * 10 ** exp + Number((m[2] || '').padEnd(exp, '0') || 0);
}
