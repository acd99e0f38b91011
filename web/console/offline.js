// The console's connection to the server: the agent's live stream, opened once after sign-in
// and kept across pages (reconnecting when it drops), the offline banner shown while the
// server cannot be reached (the stream cannot reopen, or requests fail to connect), and the
// recovery when it is back (presence and the current page are reloaded).
import { h, stream } from './api.js';
import { state, refreshAgents, redrawPresence } from './state.js';

const RETRY_MS = 2000;
let banner = null;

/** Show or hide the offline state: the banner, and presence as unknown meanwhile. */
export function setOffline(offline) {
  if (state.offline === offline) return;
  state.offline = offline;
  document.body.classList.toggle('is-offline', offline);
  if (offline) {
    banner = h('div.offline-banner', { role: 'status', 'aria-live': 'polite', testid: 'offline-banner' },
      h('span.offline-dot'), h('span', {}, 'Can’t reach the server. Your changes are not being sent; trying again…'));
    document.body.prepend(banner);
    // While offline nobody's presence is known.
    state.live = {};
  } else {
    banner?.remove();
    banner = null;
  }
  redrawPresence();
}

/** A request failed: a network failure (not an error answer) means the server is unreachable. */
export function reportFailure(e) {
  if (e instanceof TypeError) setOffline(true);
}

/** Open the live stream; `onItem` gets every item, `onBack` runs after each reconnect that
 * followed an outage (to reload what was missed). Stop it with `state.stream.abort()`. */
export function startLive(onItem, onBack) {
  state.stream?.abort();
  const ctl = new AbortController();
  state.stream = ctl;
  let wasDown = false;
  const opened = async () => {
    if (state.offline || wasDown) {
      wasDown = false;
      setOffline(false);
      try { await refreshAgents(); } catch { /* next reconnect */ }
      redrawPresence();
      onBack();
    }
  };
  const connect = async () => {
    while (!ctl.signal.aborted) {
      let open = false;
      try {
        await stream(onItem, ctl.signal, () => { open = true; opened(); });
      } catch (e) {
        if (ctl.signal.aborted) return;
        // A failed connection is an outage; an error answer (a revoked session) is not.
        if (!open && e instanceof TypeError) setOffline(true);
      }
      if (ctl.signal.aborted) return;
      // The stream ended: whatever arrives until it reopens is missed.
      wasDown = true;
      await new Promise((r) => setTimeout(r, open ? 200 : RETRY_MS));
    }
  };
  connect();
  if (!startLive.watching) {
    startLive.watching = true;
    window.addEventListener('offline', () => setOffline(true));
  }
}
