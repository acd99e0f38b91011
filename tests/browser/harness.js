// Test harness: starts the real Wasla server binary with a webhook receiver for verification codes, launches Chromium through
// playwright-core, and offers helpers to register people and drive the web client.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const shotsDir = path.join(here, 'screenshots');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Receives {phone, wa_id, code} POSTs; waitCode(phone) resolves with the latest code. */
async function codeReceiver() {
  const codes = new Map();
  const waiters = new Map();
  const deliver = (waId, code) => {
    codes.set(waId, code);
    for (const w of waiters.get(waId) || []) w(code);
    waiters.delete(waId);
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      try {
        const { wa_id: waId, code } = JSON.parse(body);
        deliver(waId, code);
      } catch { /* ignore malformed bodies */ }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}/codes`,
    deliver,
    take(waId) { const c = codes.get(waId); codes.delete(waId); return c; },
    waitCode(waId, timeout = 15000) {
      const have = this.take(waId);
      if (have) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no verification code for ${waId}`)), timeout);
        if (!waiters.has(waId)) waiters.set(waId, []);
        waiters.get(waId).push((c) => { clearTimeout(t); codes.delete(waId); resolve(c); });
      });
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

async function waitHealthy(base, proc, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

/** Start everything; returns {base, browser, codes, newPerson, stop}. opts.chromiumArgs: flags
 * added to CHROMIUM_ARGS (a fake camera and microphone, say). */
export async function startStack(opts = {}) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const codes = await codeReceiver();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let proc = null;
  let launch = null;
  let dataDir = null;
  let logs = '';
  {
    const bin = process.env.WASLA_BIN || path.join(repo, 'target', 'debug', 'wasla');
    if (!fs.existsSync(bin)) throw new Error(`server binary not found: ${bin} (build it or set WASLA_BIN)`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasla-browser-'));
    const args = ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`];
    if (process.env.WASLA_WEB_DIR) args.push('--web-dir', process.env.WASLA_WEB_DIR === '1' ? path.join(repo, 'web') : process.env.WASLA_WEB_DIR);
    launch = () => {
      proc = spawn(bin, args, {
        env: { ...process.env, WASLA_VERIFICATION__WEBHOOK_URL: codes.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Codes arrive only through the webhook sender; the log is kept for failure reports.
      const keep = (d) => { logs = (logs + String(d)).slice(-20000); };
      proc.stdout.on('data', keep);
      proc.stderr.on('data', keep);
    };
    launch();
  }
  try {
    await waitHealthy(base, proc);
  } catch (e) {
    if (proc) proc.kill('SIGKILL');
    throw new Error(`${e.message}\n${logs}`);
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(opts.chromiumArgs || [])],
  });
  let n = 0;
  const runBase = 1000 + Math.floor(Math.random() * 8000);
  // What the server's Content Security Policy blocked in any page: the run fails on any.
  const cspViolations = [];
  const stack = {
    base,
    browser,
    codes,
    dataDir,
    logs: () => logs,
    /** The operator token the server wrote into its data dir (for the admin API). */
    operatorToken: () => fs.readFileSync(path.join(dataDir, 'operator-token'), 'utf8').trim(),
    /** A fresh browser context (one person, one device) sized as desktop or phone. */
    async newContext(kind = 'desktop') {
      const opts = kind === 'phone'
        ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
        : { viewport: { width: 1280, height: 800 } };
      const ctx = await browser.newContext({ ...opts, baseURL: base });
      ctx.setDefaultTimeout(15000);
      ctx.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      return ctx;
    },
    /** Register a person through the UI; returns {page, ctx, phone, waId, name}. */
    async register(name, kind = 'desktop') {
      n++;
      const digits = `1415555${runBase + n}`;
      const phone = `+${digits}`;
      const ctx = await stack.newContext(kind);
      const page = await ctx.newPage();
      page.on('pageerror', (e) => console.error(`[${name}] page error:`, e.message));
      await page.goto('/');
      await page.getByTestId('phone-input').fill(phone);
      await page.getByTestId('phone-submit').click();
      const code = await codes.waitCode(digits);
      await page.getByTestId('code-input').fill(code);
      await page.getByTestId('name-input').fill(name);
      await page.getByTestId('profile-submit').click();
      await page.getByTestId('sidebar').waitFor();
      return { page, ctx, phone, waId: digits, name };
    },
    /** Stop the server process only (its data dir stays), as an outage; `startServer` brings
     * it back on the same port. */
    async stopServer() {
      const p = proc;
      const exited = new Promise((r) => { if (p.exitCode !== null) r(); else p.on('exit', r); });
      p.kill('SIGKILL');
      await exited;
    },
    async startServer() {
      launch();
      await waitHealthy(base, proc);
    },
    async stop() {
      await browser.close().catch(() => {});
      if (proc) {
        proc.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 5000); proc.on('exit', () => { clearTimeout(t); r(); }); });
      }
      await codes.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (cspViolations.length) {
        throw new Error(`the Content Security Policy blocked ${cspViolations.length} thing(s):\n${cspViolations.join('\n')}`);
      }
    },
  };
  return stack;
}

export async function shot(page, name) {
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}

/** Open the direct chat with a phone number through the "New chat" dialog. */
export async function startChat(page, phone) {
  await page.getByTestId('new-chat-button').click();
  await page.getByTestId('new-chat-phone').fill(phone);
  await page.getByTestId('new-chat-submit').click();
  await page.getByTestId('composer-input').waitFor();
}

export async function openChatNamed(page, name) {
  await page.locator(`[data-testid="chat-item"][data-name="${name}"]`).click();
  await page.getByTestId('composer-input').waitFor();
}

export async function sendText(page, text) {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
}

/** Locator for a bubble containing text. */
export function bubble(page, text) {
  return page.locator('[data-testid="message"]', { has: page.locator('[data-testid="message-text"]', { hasText: text }) });
}

/** A small valid PNG (solid colour with a stripe), generated without dependencies. */
export function makePng(width = 64, height = 48) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      const stripe = Math.abs(x - y) < 6;
      raw[o] = stripe ? 255 : 0; raw[o + 1] = stripe ? 200 : 168; raw[o + 2] = stripe ? 40 : 132;
    }
  }
  const crcTable = [...Array(256)].map((_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

