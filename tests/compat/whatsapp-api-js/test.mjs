// SDK compatibility test: the real whatsapp-api-js (npm, pinned in package.json, unchanged) against
// a live Wasla server that run.sh started. It sends a contacts message (the SDK sends `contacts`
// as a JSON-encoded string) and creates, updates, reads and deletes a QR code (the SDK sends
// those parameters in the query string, with no body). whatsapp-api-js has no base-URL option,
// so it is given a fetch that rewrites https://graph.facebook.com to the server's URL.
//
// Environment: WASLA_BIN, WASLA_DATA_DIR, WASLA_LISTEN (as for test_pywa.py), and optionally
// WASLA_COMPAT_SUMMARY, a file for the summary line.

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { WhatsAppAPI } from "whatsapp-api-js";
import { Contacts, Name, Phone } from "whatsapp-api-js/messages";

const BIN = process.env.WASLA_BIN;
const DATA_DIR = process.env.WASLA_DATA_DIR;
const LISTEN = process.env.WASLA_LISTEN;
const BASE_URL = `http://${LISTEN}`;
// Other numbers than test_pywa.py's, which may have run against the same server.
const BUSINESS_NUMBER = "+16505552468";
const PERSON_NUMBER = "+447911123468";

let passed = 0;
let failed = 0;

/** `wasla <args> --json` against the server. */
function cli(...args) {
    const out = execFileSync(
        BIN,
        [...args, "--data-dir", DATA_DIR, "--listen", LISTEN, "--json"],
        { encoding: "utf8", timeout: 30_000 }
    ).trim();
    return out ? JSON.parse(out) : {};
}

function check(cond, what) {
    if (!cond) throw new Error(what);
}

async function step(name, fn) {
    try {
        await fn();
        passed += 1;
        console.log(`PASS ${name}`);
    } catch (e) {
        failed += 1;
        console.log(`FAIL ${name}: ${e?.stack ?? e}`);
    }
}

// Setup through the CLI: a business, its number and token, and a person who writes first (so
// the customer service window is open).
const waba = cli("admin", "business", "create", "--name", "Compat JS");
const number = cli(
    "admin", "phone-number", "create", "--waba", waba.id,
    "--number", BUSINESS_NUMBER, "--verified-name", "Compat JS"
);
const token = cli("admin", "token", "create", "--waba", waba.id).access_token;
const person = cli("person", "register", "--phone", PERSON_NUMBER, "--name", "Grace");
cli("person", "send", "--from", PERSON_NUMBER, "--to", BUSINESS_NUMBER, "--text", "hello");

const rewrite = (url) => String(url).replace("https://graph.facebook.com", BASE_URL);
const api = new WhatsAppAPI({
    token,
    secure: false,
    v: "v24.0",
    ponyfill: { fetch: (url, init) => fetch(rewrite(url), init) }
});

/** The person's chat with the business, as their client API shows it. */
async function personMessages() {
    const auth = { headers: { Authorization: `Bearer ${person.token}` } };
    const chats = await (await fetch(`${BASE_URL}/client/v1/chats`, auth)).json();
    const chat = chats.data.find((c) => JSON.stringify(c).includes(number.wa_id));
    check(chat, `no chat with the business: ${JSON.stringify(chats)}`);
    const id = chat.id ?? chat.chat_id;
    return (await (await fetch(`${BASE_URL}/client/v1/chats/${id}/messages`, auth)).json()).data;
}

await step("sendMessage with a Contacts message", async () => {
    const contacts = new Contacts([
        new Name("Ada Lovelace", "Ada", "Lovelace"),
        new Phone("+44 20 7946 0000", "WORK")
    ]);
    const r = await api.sendMessage(number.id, person.account.wa_id, contacts);
    check(r?.messages?.[0]?.id, `no message id: ${JSON.stringify(r)}`);
    const got = (await personMessages()).find((m) => m.id === r.messages[0].id);
    check(got, "the person never got it");
    check(
        got.contacts?.[0]?.name?.formatted_name === "Ada Lovelace",
        `contacts: ${JSON.stringify(got)}`
    );
});

let code = "";
await step("createQR (parameters in the query string)", async () => {
    const r = await api.createQR(number.id, "Hi there", "png");
    check(r?.code && r.prefilled_message === "Hi there", JSON.stringify(r));
    check(String(r.qr_image_url).endsWith(".png"), JSON.stringify(r));
    code = r.code;
});

await step("updateQR (code in the path, message in the query)", async () => {
    check(code, "no code from createQR");
    const r = await api.updateQR(number.id, code, "Changed");
    check(r?.code === code && r.prefilled_message === "Changed", JSON.stringify(r));
});

await step("retrieveQR", async () => {
    const all = await api.retrieveQR(number.id);
    check(all?.data?.some((q) => q.code === code && q.prefilled_message === "Changed"), JSON.stringify(all));
    const one = await api.retrieveQR(number.id, code);
    check(one?.data?.[0]?.code === code, JSON.stringify(one));
});

await step("deleteQR", async () => {
    const r = await api.deleteQR(number.id, code);
    check(r?.success === true, JSON.stringify(r));
});

const summary = `whatsapp-api-js: ${passed} passed, ${failed} failed`;
// run.sh prints the summary file last, after the server's log on failure.
if (process.env.WASLA_COMPAT_SUMMARY) {
    writeFileSync(process.env.WASLA_COMPAT_SUMMARY, summary + "\n");
} else {
    console.log(summary);
}
process.exit(failed === 0 ? 0 : 1);
