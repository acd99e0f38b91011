// The console's pages, in the order of the top bar: each has an id (its `#/id` route), a label,
// whether only admins see it, and the function that builds it. A new page is one entry here.
import { inboxView } from './inbox.js';
import { qrView } from './qr.js';
import { catalogView } from './catalog.js';
import { ordersView } from './orders.js';
import { failedView } from './failed.js';
import { auditView } from './audit.js';
import { billingView } from './billing.js';
import { statusView } from './status.js';
import { adsView } from './ads.js';
import { alertsView } from './alerts.js';
import { settingsView } from './settings/index.js';
import { state } from './state.js';

export const pages = [
  { id: 'inbox', label: 'Inbox', view: inboxView },
  { id: 'qr', label: 'QR codes & links', view: qrView },
  { id: 'catalog', label: 'Catalog', view: () => catalogView(state.me) },
  { id: 'orders', label: 'Orders', view: ordersView },
  { id: 'status', label: 'Status', view: statusView },
  { id: 'failed', label: 'Failed sends', view: () => failedView(state.numbers) },
  { id: 'billing', label: 'Billing', admin: true, view: billingView },
  { id: 'ads', label: 'Ads', admin: true, view: adsView },
  { id: 'audit', label: 'Activity', admin: true, view: auditView },
  { id: 'alerts', label: 'Sign-in alerts', admin: true, view: alertsView },
  { id: 'settings', label: 'Settings', view: settingsView },
];
