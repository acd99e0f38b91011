// <wa-avatar>: a round avatar showing a media photo (fetched with the session) or initials on a
// colour derived from the name. Attributes: name, photo (media id), size (px), group.
import { mediaUrl } from '../api.js';
import { initials, colorFor } from '../util.js';
import { icon } from '../icons.js';

class WaAvatar extends HTMLElement {
  static get observedAttributes() { return ['name', 'photo', 'size', 'group', 'src']; }

  connectedCallback() { this.render(); }
  attributeChangedCallback() { if (this.isConnected) this.render(); }

  render() {
    const name = this.getAttribute('name') || '';
    const photo = this.getAttribute('photo');
    const src = this.getAttribute('src');
    const size = Number(this.getAttribute('size') || 40);
    this.style.width = this.style.height = `${size}px`;
    this.style.fontSize = `${Math.round(size * 0.4)}px`;
    this.setAttribute('role', 'img');
    this.setAttribute('aria-label', name ? `${name}` : 'avatar');
    const key = `${photo}|${src}|${name}`;
    if (this._key === key) return;
    this._key = key;
    this.replaceChildren();
    this.style.background = colorFor(name);
    if (this.hasAttribute('group') && !photo && !src) {
      this.append(icon('group', Math.round(size * 0.6)));
    } else {
      this.textContent = initials(name);
    }
    const show = (url) => {
      if (!url || this._key !== key) return;
      const img = document.createElement('img');
      img.alt = '';
      img.src = url;
      img.onload = () => { if (this._key === key) { this.replaceChildren(img); this.style.background = 'transparent'; } };
    };
    if (src) show(src);
    else if (photo) mediaUrl(photo).then(show, () => {});
  }
}

customElements.define('wa-avatar', WaAvatar);

export function avatar(name, photo, size = 40, group = false) {
  const a = document.createElement('wa-avatar');
  a.setAttribute('name', name || '');
  if (photo) a.setAttribute('photo', photo);
  a.setAttribute('size', String(size));
  if (group) a.setAttribute('group', '');
  return a;
}
