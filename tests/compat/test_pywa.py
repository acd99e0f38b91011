"""pywa 4.x, unchanged but for its base URL, against a live Wasla server.

Started by run.sh, which passes the server through WASLA_BIN, WASLA_DATA_DIR and WASLA_LISTEN.
The business side is pywa only: its client sends, and its own webhook server (Starlette,
served by uvicorn) verifies the handshake, validates every signature with the app secret and
hands typed updates to pywa handlers. The person side is the `wasla person` CLI and the
client API (HTTP and WebSocket), as a person's device would use it.

Each step is reported as PASS, FAIL, PENDING (a Cloud API route the server does not have yet)
or SKIP (a step it depends on did not pass); the last line is the summary.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
import uvicorn
import websockets.sync.client
from starlette.applications import Starlette

import pywa
from pywa import WhatsApp
from pywa.types import Button, MessageStatusType
from pywa.types import templates as t

WASLA_BIN = os.environ["WASLA_BIN"]
DATA_DIR = os.environ["WASLA_DATA_DIR"]
LISTEN = os.environ["WASLA_LISTEN"]
BASE_URL = f"http://{LISTEN}"
SUMMARY_FILE = os.environ.get("WASLA_COMPAT_SUMMARY")

BUSINESS_NUMBER = "+16505551234"
PERSON_NUMBER = "+447911123401"
PERSON_WA_ID = "447911123401"
VERIFY_TOKEN = "compat-verify-token"
WEBHOOK_PATH = "/whatsapp/webhook"
WAIT = 10.0  # seconds to wait for any one webhook


# --------------------------------------------------------------------------------------------
# Plumbing: the CLI, the webhook inbox, the ASGI host for pywa's app, HTTP and log capture.


def cli(*args: str) -> dict:
    """Run `wasla <args> --json` against the server; returns the parsed output."""
    cmd = [WASLA_BIN, *args, "--data-dir", DATA_DIR, "--listen", LISTEN, "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError(
            f"`wasla {' '.join(args)}` exited {p.returncode}: {p.stderr.strip() or p.stdout.strip()}"
        )
    out = p.stdout.strip()
    return json.loads(out) if out else {}


class Inbox:
    """What pywa's handlers received, in arrival order."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []
        self.cv = threading.Condition()

    def put(self, kind: str, update: Any) -> None:
        with self.cv:
            self.items.append((kind, update))
            self.cv.notify_all()

    def of(self, kind: str) -> list[Any]:
        with self.cv:
            return [u for k, u in self.items if k == kind]

    def wait(self, kind: str, what: str, pred: Callable[[Any], bool], timeout: float = WAIT) -> Any:
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                for k, u in self.items:
                    if k == kind and pred(u):
                        return u
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [repr(u)[:300] for u in self.of_locked(kind)]
                    raise AssertionError(
                        f"pywa's {kind} handler did not get {what} within {timeout:.0f} s; it got {got or 'nothing'}"
                    )
                self.cv.wait(left)

    def of_locked(self, kind: str) -> list[Any]:
        return [u for k, u in self.items if k == kind]


class AppHost:
    """An ASGI app served by uvicorn on a free port that forwards to whichever pywa app is
    current. The handshake runs against a first pywa client that knows the verify token; once
    the app exists and its secret is known, the real client (verify token and app secret)
    takes over the same URL. Every request and the status pywa answered are recorded."""

    def __init__(self) -> None:
        self.app: Any = None
        self.requests: list[tuple[str, str, int | None]] = []  # method, path, status
        self.probes = 0  # requests this test forged itself (not from the server)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(
            self, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        answered: dict[str, int] = {}

        async def record(message):
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
            await send(message)

        if (b"x-compat-probe", b"1") in scope["headers"]:
            self.probes += 1
            return await self.app(scope, receive, send)
        try:
            await self.app(scope, receive, record)
        finally:
            self.requests.append((scope["method"], scope["path"], answered.get("status")))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


class Exchanges:
    """Requests pywa made through our httpx client, for failure reports."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        req = response.request
        line = f"{req.method} {req.url} -> {response.status_code}"
        if response.status_code >= 400 or not response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            response.read()
            line += f" {response.headers.get('content-type', '')} {response.text[:400]!r}"
        self.items.append(line)


class LogCapture(logging.Handler):
    """pywa's warnings and errors (a webhook it could not parse shows up only here)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[str] = []
        self.reported: set[str] = set()  # already shown with a failed step

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
        self.records.append(text)


class Pending(Exception):
    """A Cloud API route the server does not have yet."""


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A small valid RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((0, 168, 132)) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------------------------
# The steps.


@dataclass
class Ctx:
    host: AppHost
    inbox: Inbox
    exchanges: Exchanges
    logs: LogCapture
    waba_id: str = ""
    phone_id: str = ""
    token: str = ""
    app_id: str = ""
    app_secret: str = ""
    person_token: str = ""
    wa: WhatsApp | None = None
    person: httpx.Client | None = None
    ws: Any = None
    chat_id: str = ""
    inbound: Any = None
    text_wamid: str = ""
    media: Any = None
    image_wamid: str = ""
    template: Any = None
    template_id: str = ""
    template_wamid: str = ""
    buttons_wamid: str = ""
    vars: dict = field(default_factory=dict)
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)


def register_handlers(wa: WhatsApp, inbox: Inbox) -> None:
    wa.on_message()(lambda _, msg: inbox.put("message", msg))
    wa.on_message_status()(lambda _, st: inbox.put("status", st))
    wa.on_callback_button()(lambda _, btn: inbox.put("button", btn))
    wa.on_template_status_update()(lambda _, upd: inbox.put("template_status", upd))
    wa.on_raw_update()(lambda _, raw: inbox.put("raw", raw))


def step_setup(c: Ctx) -> None:
    """Business, number, token and person through the CLI; the app (webhook URL, verify
    token) last, so that the server's GET handshake is answered by pywa's verify endpoint."""
    waba = cli("admin", "business", "create", "--name", "Acme")
    c.waba_id = waba["id"]
    pn = cli(
        "admin", "phone-number", "create", "--waba", c.waba_id,
        "--number", BUSINESS_NUMBER, "--verified-name", "Acme",
    )
    c.phone_id = pn["id"]
    c.token = cli("admin", "token", "create", "--waba", c.waba_id)["access_token"]
    person = cli("person", "register", "--phone", PERSON_NUMBER, "--name", "Ada")
    c.person_token = person["token"]
    assert person["account"]["wa_id"] == PERSON_WA_ID, person

    # Handshake phase: a pywa client that only knows the verify token.
    handshake_app = Starlette()
    WhatsApp(
        server=handshake_app,
        webhook_endpoint=WEBHOOK_PATH,
        verify_token=VERIFY_TOKEN,
        validate_updates=False,
    )
    c.host.app = handshake_app
    c.host.start()
    app = cli(
        "admin", "app", "create", "--waba", c.waba_id,
        "--webhook-url", c.host.url, "--verify-token", VERIFY_TOKEN,
    )
    c.app_id = str(app["id"])
    c.app_secret = app["app_secret"]
    gets = [r for r in c.host.requests if r[0] == "GET" and r[1] == WEBHOOK_PATH]
    assert gets and gets[-1][2] == 200, f"pywa's verify endpoint was not asked or refused: {c.host.requests}"

    # The real client: verify token and app secret (signatures validated), waba_id and
    # phone_id (updates filtered on both), and our own httpx client pointed at Wasla.
    session = httpx.Client(timeout=15, event_hooks={"response": [c.exchanges.hook]})
    app = Starlette()
    wa = WhatsApp(
        phone_id=c.phone_id,
        token=c.token,
        session=session,
        server=app,
        webhook_endpoint=WEBHOOK_PATH,
        verify_token=VERIFY_TOKEN,
        app_id=c.app_id,
        app_secret=c.app_secret,
        waba_id=c.waba_id,
    )
    session.base_url = BASE_URL + "/v23.0"
    register_handlers(wa, c.inbox)
    c.wa = wa
    c.host.app = app
    c.person = httpx.Client(
        base_url=BASE_URL, timeout=15, headers={"Authorization": f"Bearer {c.person_token}"}
    )


def step_signature_enforced(c: Ctx) -> None:
    """pywa refuses a body whose signature was not made with the app secret (so every update
    it accepts below was validated)."""
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    r = httpx.post(
        c.host.url,
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256=" + "0" * 64,
            "X-Compat-Probe": "1",
        },
        timeout=5,
    )
    assert r.status_code == 403, f"pywa answered {r.status_code} to a forged signature"
    # pywa logs the refusal; take it out so that only the server's webhooks are judged later.
    mine = [rec for rec in c.logs.records if "unmatching signature" in rec]
    assert mine, "pywa did not log the refusal"
    c.logs.records = [rec for rec in c.logs.records if rec not in mine]


def step_inbound_text(c: Ctx) -> None:
    cli("person", "send", "--from", PERSON_NUMBER, "--to", BUSINESS_NUMBER, "--text", "hello")
    msg = c.inbox.wait("message", "the person's text", lambda m: m.text == "hello")
    assert msg.from_user.wa_id == PERSON_WA_ID, msg.from_user
    assert msg.from_user.name == "Ada", msg.from_user
    assert msg.from_user.bsuid, f"no business-scoped user id: {msg.from_user}"
    assert msg.metadata.phone_number_id == c.phone_id, msg.metadata
    assert msg.id.startswith("wamid."), msg.id
    c.inbound = msg
    chats = c.person.get("/client/v1/chats").raise_for_status().json()["data"]
    c.chat_id = next(ch["chat_id"] for ch in chats if ch.get("peer", {}).get("wa_id") == BUSINESS_NUMBER[1:])


def person_message(c: Ctx, wamid: str, timeout: float = WAIT) -> dict:
    """The message as the person's client sees it."""
    deadline = time.monotonic() + timeout
    while True:
        page = c.person.get(f"/client/v1/chats/{c.chat_id}/messages").raise_for_status().json()
        for m in page["data"]:
            if m["id"] == wamid:
                return m
        if time.monotonic() > deadline:
            raise AssertionError(f"{wamid} is not in the person's chat: {[m['id'] for m in page['data']]}")
        time.sleep(0.1)


def step_mark_as_read(c: Ctx) -> None:
    result = c.inbound.mark_as_read()
    assert bool(result), result
    deadline = time.monotonic() + WAIT
    while person_message(c, c.inbound.id)["status"] != "read":
        assert time.monotonic() < deadline, "the person's message never showed as read"
        time.sleep(0.1)


def step_send_text(c: Ctx) -> None:
    sent = c.wa.send_message(to=PERSON_WA_ID, text="We can fix it today")
    assert sent.id.startswith("wamid."), sent.id
    assert sent.input == PERSON_WA_ID, sent.input
    c.text_wamid = sent.id
    assert person_message(c, sent.id)["text"]["body"] == "We can fix it today"


def wait_status(c: Ctx, wamid: str, status: MessageStatusType) -> Any:
    st = c.inbox.wait("status", f"{status} of {wamid}", lambda s: s.id == wamid and s.status == status)
    assert st.from_user.wa_id == PERSON_WA_ID, st.from_user
    return st


def step_status_sent(c: Ctx) -> None:
    st = wait_status(c, c.text_wamid, MessageStatusType.SENT)
    assert st.pricing is not None and st.pricing.billable is False, st.pricing
    assert st.conversation is not None, "the first status carries the conversation"


def step_status_delivered(c: Ctx) -> None:
    c.ws = c.stack.enter_context(
        websockets.sync.client.connect(f"ws://{LISTEN}/client/v1/ws", open_timeout=10, close_timeout=2)
    )
    c.ws.send(json.dumps({"op": "hello", "token": c.person_token, "after": 0}))
    deadline = time.monotonic() + WAIT
    while True:
        frame = json.loads(c.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if frame.get("type") == "ready":
            break
        assert frame.get("type") != "error", frame
    c.ws.send(json.dumps({"op": "receipt", "chat_id": c.chat_id, "status": "delivered", "ids": [c.text_wamid]}))
    wait_status(c, c.text_wamid, MessageStatusType.DELIVERED)


def step_status_read(c: Ctx) -> None:
    seq = person_message(c, c.text_wamid)["seq"]
    r = c.person.post(f"/client/v1/chats/{c.chat_id}/read", json={"up_to_seq": seq})
    assert r.status_code == 200, r.text
    wait_status(c, c.text_wamid, MessageStatusType.READ)


def media_route_missing(c: Ctx) -> bool:
    """True when POST /{phone-id}/media is not a Cloud API route yet (anything but a JSON
    answer, e.g. the web client's HTML)."""
    r = httpx.post(
        f"{BASE_URL}/v23.0/{c.phone_id}/media",
        headers={"Authorization": f"Bearer {c.token}"},
        timeout=5,
    )
    return not r.headers.get("content-type", "").startswith("application/json")


def step_upload_media(c: Ctx) -> None:
    try:
        media = c.wa.upload_media(media=png_bytes(), mime_type="image/png", filename="dot.png")
    except Exception:
        if media_route_missing(c):
            raise Pending("POST /v23.0/{phone-id}/media is not served yet (the answer is not JSON)")
        raise
    assert str(media.id).isdigit(), f"media id {media.id!r} is not numeric"
    c.media = media


def step_send_image(c: Ctx) -> None:
    sent = c.wa.send_image(to=PERSON_WA_ID, image=c.media, caption="Your receipt")
    assert sent.id.startswith("wamid."), sent.id
    c.image_wamid = sent.id
    m = person_message(c, sent.id)
    assert m["type"] == "image" and m["image"]["id"] == str(c.media.id), m
    assert m["image"].get("caption") == "Your receipt", m
    wait_status(c, sent.id, MessageStatusType.SENT)


def step_download_media(c: Ctx) -> None:
    url = c.wa.get_media_url(c.media.id)
    assert url.mime_type == "image/png", url
    assert url.url.startswith(BASE_URL), f"media URL {url.url} does not point at the server"
    assert c.wa.get_media_bytes(url.url) == png_bytes()


def step_create_template(c: Ctx) -> None:
    body = t.BodyText("Hi {{first_name}}, your order {{order_id}} is ready.", first_name="Ada", order_id="42")
    thanks = t.QuickReplyButton(text="Thanks")
    template = t.Template(
        name="order_ready",
        category=t.TemplateCategory.UTILITY,
        language=t.TemplateLanguage.ENGLISH_US,
        parameter_format=t.ParamFormat.NAMED,
        components=[body, t.FooterText(text="Acme Repairs"), t.Buttons(buttons=[thanks])],
    )
    created = c.wa.create_template(template=template)
    assert str(created.id).isdigit(), created
    assert created.status == t.TemplateStatus.PENDING, created
    c.template, c.template_id = template, str(created.id)
    c.vars["body"], c.vars["thanks"] = body, thanks


def step_approve_template(c: Ctx) -> None:
    approved = cli("admin", "template", "approve", "--id", c.template_id)
    assert approved.get("status") == "APPROVED", approved


def step_template_status_webhook(c: Ctx) -> None:
    try:
        upd = c.inbox.wait(
            "template_status", "APPROVED", lambda u: str(u.template_id) == c.template_id
        )
    except AssertionError as e:
        raws = [json.dumps(r)[:600] for r in c.inbox.of("raw") if r.field == "message_template_status_update"]
        raise AssertionError(f"{e}; the webhooks were: {raws or 'none'}") from None
    assert upd.new_status == t.TemplateStatus.APPROVED, upd
    assert upd.template_name == "order_ready", upd
    assert upd.id == c.waba_id, upd


def step_list_templates(c: Ctx) -> None:
    result = c.wa.get_templates()
    names = {tpl.name: tpl for tpl in result}
    assert "order_ready" in names, list(names)
    assert names["order_ready"].status == t.TemplateStatus.APPROVED, names["order_ready"]
    assert result.total_count >= 1, result.total_count
    one = c.wa.get_template(c.template_id)
    assert one.name == "order_ready" and one.parameter_format == t.ParamFormat.NAMED, one


def step_send_template(c: Ctx) -> None:
    sent = c.wa.send_template(
        to=PERSON_WA_ID,
        template=c.template,
        params=[
            c.vars["body"].params(first_name="Ada", order_id="42"),
            c.vars["thanks"].params(callback_data="thanks-42", index=0),
        ],
    )
    assert sent.id.startswith("wamid."), sent.id
    assert str(sent.status) == "accepted", sent.status
    c.template_wamid = sent.id
    m = person_message(c, sent.id)
    rendered = m["template"]["rendered"]
    assert rendered["body"] == "Hi Ada, your order 42 is ready.", rendered
    wait_status(c, sent.id, MessageStatusType.SENT)


def step_template_quick_reply(c: Ctx) -> None:
    r = c.person.post(
        f"/client/v1/chats/{c.chat_id}/messages",
        json={
            "type": "button",
            "context": {"message_id": c.template_wamid},
            "button": {"payload": "thanks-42", "text": "Thanks"},
        },
    )
    assert r.status_code == 200, r.text
    btn = c.inbox.wait("button", "the quick-reply tap", lambda b: b.data == "thanks-42")
    assert btn.title == "Thanks", btn
    assert btn.from_user.wa_id == PERSON_WA_ID, btn.from_user


def step_send_buttons(c: Ctx) -> None:
    sent = c.wa.send_message(
        to=PERSON_WA_ID,
        header="Repair",
        text="When suits you?",
        footer="Acme",
        buttons=[Button(title="Today", callback_data="today"), Button(title="Tomorrow", callback_data="tomorrow")],
    )
    assert sent.id.startswith("wamid."), sent.id
    c.buttons_wamid = sent.id
    m = person_message(c, sent.id)
    titles = [b["reply"]["title"] for b in m["interactive"]["action"]["buttons"]]
    assert titles == ["Today", "Tomorrow"], m


def step_button_tap(c: Ctx) -> None:
    r = c.person.post(
        f"/client/v1/chats/{c.chat_id}/messages",
        json={
            "type": "interactive",
            "context": {"message_id": c.buttons_wamid},
            "interactive": {"type": "button_reply", "button_reply": {"id": "tomorrow", "title": "Tomorrow"}},
        },
    )
    assert r.status_code == 200, r.text
    btn = c.inbox.wait("button", "the button tap", lambda b: b.data == "tomorrow")
    assert btn.title == "Tomorrow", btn
    assert btn.from_user.wa_id == PERSON_WA_ID, btn.from_user
    assert btn.reply_to_message is not None and btn.reply_to_message.id == c.buttons_wamid, btn.reply_to_message


def step_no_parse_failures(c: Ctx) -> None:
    """Every webhook pywa received became a typed update: pywa answers 200 before parsing, so
    a payload it cannot parse shows only in its log, and one it filters out (phone_id or
    waba_id mismatch) only as a raw update that no typed handler got."""
    time.sleep(0.5)  # let pywa's background handling finish
    refused = [r for r in c.host.requests if r[0] == "POST" and r[2] != 200]
    assert not refused, f"pywa refused webhooks: {refused}"
    unreported = [rec for rec in c.logs.records if rec not in c.logs.reported]
    assert not unreported, "pywa logged:\n    " + "\n    ".join(unreported)
    typed = {id(u.raw) for kind, u in c.inbox.items if kind != "raw"}
    dropped = [
        json.dumps(r.value)[:400]
        for r in c.inbox.of("raw")
        if id(r) not in typed
        and r.field in ("messages", "message_template_status_update")
        and not any(f"(field={r.field})" in rec for rec in c.logs.reported)
    ]
    assert not dropped, "pywa made no typed update of:\n    " + "\n    ".join(dropped)
    posts = [r for r in c.host.requests if r[0] == "POST"]
    assert len(c.inbox.of("raw")) == len(posts), f"{len(posts)} webhook POSTs, {len(c.inbox.of('raw'))} raw updates"


# --------------------------------------------------------------------------------------------


STEPS: list[tuple[str, Callable[[Ctx], None], tuple[str, ...]]] = [
    ("setup with the CLI; handshake answered by pywa's verify endpoint", step_setup, ()),
    ("pywa validates signatures with the app secret", step_signature_enforced, ("setup",)),
    ("inbound text reaches pywa's message handler", step_inbound_text, ("setup",)),
    ("mark_as_read on the inbound message", step_mark_as_read, ("inbound_text",)),
    ("send_message (text) returns a SentMessage", step_send_text, ("inbound_text",)),
    ("status handler gets sent", step_status_sent, ("send_text",)),
    ("status handler gets delivered (WebSocket receipt)", step_status_delivered, ("send_text",)),
    ("status handler gets read (client API read)", step_status_read, ("send_text",)),
    ("upload_media (PNG) returns a numeric media id", step_upload_media, ("inbound_text",)),
    ("send_image with the uploaded media", step_send_image, ("upload_media",)),
    ("get_media_url + get_media_bytes round trip", step_download_media, ("upload_media",)),
    ("create_template (named params, quick reply)", step_create_template, ("setup",)),
    ("operator approves the template (CLI)", step_approve_template, ("create_template",)),
    ("template status handler gets APPROVED", step_template_status_webhook, ("approve_template",)),
    ("get_templates / get_template", step_list_templates, ("approve_template",)),
    ("send_template with params", step_send_template, ("approve_template", "inbound_text")),
    ("template quick-reply tap reaches the callback-button handler", step_template_quick_reply, ("send_template",)),
    ("send_message with reply buttons", step_send_buttons, ("inbound_text",)),
    ("button tap reaches the callback-button handler", step_button_tap, ("send_buttons",)),
    ("no webhook refused or left unparsed by pywa", step_no_parse_failures, ("setup",)),
]


def key_of(fn: Callable) -> str:
    return fn.__name__.removeprefix("step_")


def main() -> int:
    logs = LogCapture()
    logging.getLogger("pywa").addHandler(logs)
    host = AppHost()
    c = Ctx(host=host, inbox=Inbox(), exchanges=Exchanges(), logs=logs)
    outcome: dict[str, str] = {}
    counts = {"PASS": 0, "FAIL": 0, "PENDING": 0, "SKIP": 0}
    print(f"pywa {pywa.__version__} against {BASE_URL}", flush=True)
    started = time.monotonic()
    try:
        for title, fn, needs in STEPS:
            key = key_of(fn)
            blocked = [n for n in needs if outcome.get(n) != "PASS"]
            if blocked:
                result = "PENDING" if all(outcome.get(n) == "PENDING" for n in blocked) else "SKIP"
                outcome[key] = result
                counts[result] += 1
                print(f"{result:7} {title} (needs {', '.join(blocked)})", flush=True)
                continue
            n_exchanges = len(c.exchanges.items)
            t0 = time.monotonic()
            try:
                fn(c)
                result, detail = "PASS", ""
            except Pending as e:
                result, detail = "PENDING", str(e)
            except Exception as e:
                result = "FAIL"
                tb = traceback.extract_tb(e.__traceback__)
                where = next((f"line {f.lineno}" for f in reversed(tb) if f.filename == __file__), "")
                detail = f"{type(e).__name__} at {where}: {e}"
                new_exchanges = c.exchanges.items[n_exchanges:]
                if new_exchanges:
                    detail += "\n    pywa's requests:\n      " + "\n      ".join(new_exchanges[-6:])
                new_logs = [rec for rec in logs.records if rec not in logs.reported]
                logs.reported.update(new_logs)
                if new_logs:
                    detail += "\n    pywa logged:\n      " + "\n      ".join(new_logs[-6:])
            outcome[key] = result
            counts[result] += 1
            print(f"{result:7} {title} ({time.monotonic() - t0:.1f} s)", flush=True)
            if detail:
                print(f"    {detail}", flush=True)
    finally:
        c.stack.close()
        host.stop()
    failed = counts["FAIL"] + counts["SKIP"]
    summary = (
        f"{counts['PASS']} passed, {failed} failed"
        + (f" ({counts['SKIP']} of them skipped after a failure)" if counts["SKIP"] else "")
        + (f", {counts['PENDING']} pending" if counts["PENDING"] else "")
        + f" in {time.monotonic() - started:.1f} s"
    )
    if SUMMARY_FILE:
        with open(SUMMARY_FILE, "w") as f:
            f.write(summary + "\n")
    else:
        print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
