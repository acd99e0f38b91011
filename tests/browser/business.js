// Test helpers acting as a business: set one up through the admin API (business, phone
// number, access token) and send Cloud API messages from it; read a person's chat history
// through the client API with the session token the web client keeps in localStorage.

async function call(base, method, path, token, body) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: r.status, data };
}

async function ok(res, what) {
  const r = await res;
  if (r.status !== 200) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.data)}`);
  return r.data;
}

/**
 * Create a business with one phone number and an access token. Returns
 * {wabaId, phoneNumberId, waId, phone, verifiedName, send(to, type, content), sendRaw(body)}.
 */
export async function createBusiness(stack, { name = 'Acme', number = '+16505551234', verifiedName = 'Acme Repairs' } = {}) {
  const op = stack.operatorToken();
  const admin = (path, body) => ok(call(stack.base, 'POST', `/admin/v1${path}`, op, body), `POST /admin/v1${path}`);
  const waba = await admin('/businesses', { name });
  const pn = await admin('/phone-numbers', { waba_id: waba.id, number, verified_name: verifiedName });
  const tok = await admin('/tokens', { waba_id: waba.id });
  const biz = {
    wabaId: waba.id,
    phoneNumberId: pn.id,
    waId: pn.wa_id,
    phone: `+${pn.wa_id}`,
    verifiedName,
    /** Any Cloud API call with the business token; resolves to {status, data}. */
    api: (method, path, body) => call(stack.base, method, path, tok.access_token, body),
    /** POST /v23.0/{phone_number_id}/messages; resolves to {status, data}. */
    sendRaw: (body) => call(stack.base, 'POST', `/v23.0/${pn.id}/messages`, tok.access_token, body),
    /** Send one message of `type` to a person; resolves to the new message id. */
    async send(to, type, content) {
      const data = await ok(biz.sendRaw({ messaging_product: 'whatsapp', to, type, [type]: content }), `send ${type}`);
      return data.messages[0].id;
    },
  };
  return biz;
}

/** The person's messages in a chat (newest page), read with their browser session token. */
export async function history(stack, page, chatId) {
  const token = await page.evaluate(() => localStorage.getItem('wasla.token'));
  const data = await ok(call(stack.base, 'GET', `/client/v1/chats/${chatId}/messages?limit=100`, token), 'history');
  return data.data;
}

/** Poll until fn() returns something truthy. */
export async function eventually(fn, what, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what} (${last instanceof Error ? last.message : JSON.stringify(last)})`);
}
