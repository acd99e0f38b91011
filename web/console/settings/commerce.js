// Shop settings of a number: whether customers can fill a cart and whether the catalog is
// shown in the chat, with the way to the catalog and to the QR codes that open the shop.
import { call, h, toggle, form, section, numberPicker, isAdmin, readOnly } from './form.js';

/** The shop settings page. */
export function commerceView() {
  let number = null;
  const cart = toggle('Customers can add products to a cart and send it as an order', { testid: 'commerce-cart' });
  const visible = toggle('Show the catalog in the chat and on the public catalog page', { testid: 'commerce-visible' });
  const fill = (v) => {
    cart.input.checked = !!v.is_cart_enabled;
    visible.input.checked = !!v.is_catalog_visible;
    if (!isAdmin()) readOnly(el);
  };
  const el = form({
    testid: 'commerce-form',
    fields: [],
    children: [cart, visible],
    save: async () => fill(await call('PUT', `/numbers/${number}/commerce`,
      { is_cart_enabled: cart.input.checked, is_catalog_visible: visible.input.checked })),
  });
  const picker = numberPicker(async (id) => {
    number = id;
    if (id) fill(await call('GET', `/numbers/${id}/commerce`));
  });
  return h('div.st-stack', {}, picker,
    section('Shopping in the chat', null, el),
    section('Catalog', 'Products with pictures, prices in your currency, stock and variants.',
      h('div.st-inline', {}, h('a.btn', { href: '#/catalog', testid: 'commerce-open-catalog' }, 'Open the catalog'),
        h('a.btn.ghost', { href: '#/qr' }, 'QR codes & links'))));
}
