"""Seed a fresh Wasla server for the schemathesis run and write schemathesis's config.

Creates, through the `wasla` CLI and the Cloud API itself: a business (WABA) with a number and
an access token, a second business (for tenancy: its ids must fail), people who have written
to the business (so the 24-hour window is open and there are wamids to read, quote and
react to), two uploaded images (one to keep, one that the DELETE test may remove), and templates
(approved automatically). The config binds path ids, query values and body fields to these so
that generated requests reach the handlers instead of all failing validation.

Usage: seed.py CONFIG_OUT TOKEN_OUT  (environment: WASLA_BIN, WASLA_DATA_DIR, WASLA_LISTEN)
"""

import json
import os
import subprocess
import sys
import urllib.parse

import requests

BIN = os.environ["WASLA_BIN"]
DATA_DIR = os.environ["WASLA_DATA_DIR"]
LISTEN = os.environ["WASLA_LISTEN"]
BASE = f"http://{LISTEN}"
VERSION = "v23.0"
SEND_EXAMPLES = int(os.environ.get("ST_SEND_EXAMPLES", "150"))

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def cli(*args: str) -> dict:
    """Run `wasla <args> --json` against the server."""
    cmd = [BIN, *args, "--data-dir", DATA_DIR, "--listen", LISTEN, "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=30).stdout
    return json.loads(out) if out.strip() else {}


def api(method: str, path: str, token: str, **kw) -> dict:
    r = requests.request(
        method, f"{BASE}/{VERSION}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=15, **kw
    )
    if r.status_code != 200:
        raise SystemExit(f"seeding: {method} {path} answered {r.status_code}: {r.text[:300]}")
    return r.json()


def business(name: str, number: str) -> tuple[str, str, str]:
    waba = cli("admin", "business", "create", "--name", name)["id"]
    pnid = cli(
        "admin", "phone-number", "create", "--waba", waba, "--number", number, "--verified-name", name
    )["id"]
    token = cli("admin", "token", "create", "--waba", waba)["access_token"]
    return waba, pnid, token


def upload(pnid: str, token: str) -> str:
    files = {"file": ("pixel.png", PNG, "image/png")}
    data = {"messaging_product": "whatsapp", "type": "image/png"}
    return api("POST", f"/{pnid}/media", token, files=files, data=data)["id"]


def template(waba: str, token: str, body: dict) -> str:
    return api("POST", f"/{waba}/message_templates", token, json=body)["id"]


def toml_value(v) -> str:
    return json.dumps(v)  # JSON strings, numbers and arrays are valid TOML values


def main() -> None:
    config_out, token_out = sys.argv[1], sys.argv[2]
    waba, pnid, token = business("Acme", "+16505551234")
    other_waba, other_pnid, other_token = business("Other", "+16505559876")
    cli("admin", "template", "auto-approve", "--waba", waba)
    cli("admin", "template", "auto-approve", "--waba", other_waba)

    # People who wrote to the business: their 24-hour windows are open. Several, so that the
    # pair rate limit (about 45 messages to one person in a burst) leaves room for every type.
    people = [f"+4479111234{n:02d}" for n in range(1, 7)]
    wamids = []
    for n, phone in enumerate(people, 1):
        cli("person", "register", "--phone", phone, "--name", f"Person {n}")
        wamids.append(cli("person", "send", "--from", phone, "--to", "+16505551234", "--text", "hi")["id"])

    media_keep = upload(pnid, token)
    media_delete = upload(pnid, token)
    other_media = upload(other_pnid, other_token)

    order = template(waba, token, {
        "name": "order_update", "language": "en_US", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}"},
            {"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready."},
            {"type": "FOOTER", "text": "Acme"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Thanks"},
                {"type": "URL", "text": "Track", "url": "https://example.com/track/{{1}}"},
            ]},
        ],
    })
    plain = template(waba, token, {
        "name": "plain_notice", "language": "en_US", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "We are open today."}],
    })
    image_header = template(waba, token, {
        "name": "photo_notice", "language": "en_US", "category": "MARKETING",
        "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "New in: {{1}}"}],
    })
    edit_me = template(waba, token, {
        "name": "edit_me", "language": "en_US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Edited {{1}} times"}],
    })
    scratch = template(waba, token, {
        "name": "scratch_note", "language": "en_US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Scratch"}],
    })
    other_template = template(other_waba, other_token, {
        "name": "other_note", "language": "en_US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Not yours"}],
    })

    qr_keep = api("POST", f"/{pnid}/message_qrdls", token, json={"prefilled_message": "Hello Acme"})["code"]
    qr_delete = api("POST", f"/{pnid}/message_qrdls", token, json={"prefilled_message": "Bye"})["code"]
    other_qr = api("POST", f"/{other_pnid}/message_qrdls", other_token, json={"prefilled_message": "Other"})["code"]

    # A valid download URL (five minutes) for the kept image.
    url = urllib.parse.urlparse(api("GET", f"/{media_keep}", token)["url"])
    query = urllib.parse.parse_qs(url.query)
    exp, sig = int(query["exp"][0]), query["sig"][0]

    dictionaries = {
        "versions": ["v23.0", "v24.0", "v19.0", "v1.0"],
        "phone_numbers": [pnid, pnid, pnid, other_pnid, "1"],
        "wabas": [waba, waba, waba, other_waba, "1"],
        "read_nodes": [waba, pnid, order, plain, media_keep, other_pnid, other_waba, other_template, other_media, "1"],
        "edit_nodes": [edit_me, edit_me, edit_me, other_template, media_keep],
        "delete_nodes": [media_delete, media_keep, order, other_media, pnid],
        "media": [media_keep, media_keep, other_media, "1"],
        "exp": [exp],
        "sig": [sig],
        "recipients": [p.lstrip("+") for p in people] + [people[0], "+44 7911 123401", "16505551234", "15550001111"],
        "wamids": wamids,
        "template_names": ["order_update", "plain_notice", "photo_notice", "edit_me", "missing_template"],
        "languages": ["en_US", "en_GB"],
        "delete_names": ["scratch_note", "missing_template"],
        "hsm_ids": [scratch, order],
        "qr_codes": [qr_keep, qr_keep, other_qr, "NOSUCHCODE0000"],
        "qr_delete_codes": [qr_delete, qr_keep, other_qr, "NOSUCHCODE0000"],
    }
    send_body = {
        "body.to": "recipients",
        "body.message_id": "wamids",
        "body.context.message_id": "wamids",
        "body.reaction.message_id": "wamids",
        "body.image.id": "media",
        "body.video.id": "media",
        "body.audio.id": "media",
        "body.document.id": "media",
        "body.sticker.id": "media",
        "body.template.name": "template_names",
        "body.template.language.code": "languages",
    }

    lines = ["# Written by seed.py for one run; ids are this run's.", ""]
    for name, values in dictionaries.items():
        lines.append(f"[dictionaries.{name}]")
        lines.append(f"values = {toml_value(values)}")
        lines.append("")

    def bind(key: str, dictionary: str) -> str:
        return f"{toml_value(key)} = {{ dictionary = {toml_value(dictionary)} }}"

    lines.append("[parameters]")
    lines.append(bind("path.version", "versions"))
    lines.append(bind("path.phone_number_id", "phone_numbers"))
    lines.append(bind("path.waba_id", "wabas"))
    lines.append("")

    def operation(
        op_id: str, bindings: dict[str, str], fixed: dict[str, str] | None = None, examples: int = 0
    ) -> None:
        lines.append("[[operations]]")
        lines.append(f"include-operation-id = {toml_value(op_id)}")
        if examples:
            lines.append(f"generation.max-examples = {examples}")
        items = [bind(k, v) for k, v in bindings.items()]
        items += [f"{toml_value(k)} = {toml_value(v)}" for k, v in (fixed or {}).items()]
        lines.append("parameters = { " + ", ".join(items) + " }")
        lines.append("")

    # Sends have a dozen body shapes: more cases than the other operations.
    operation("sendMessage", send_body, examples=SEND_EXAMPLES)
    operation("sendMessageUnversioned", send_body, examples=SEND_EXAMPLES)
    # Two-segment GETs whose first segment is not a version are the web client's files, not
    # the Cloud API, so the node read always names a version.
    operation("getNode", {"path.node": "read_nodes", "query.phone_number_id": "phone_numbers"}, {"path.version": VERSION})
    operation("editTemplate", {"path.node": "edit_nodes"})
    operation("deleteMedia", {"path.node": "delete_nodes", "query.phone_number_id": "phone_numbers"})
    operation("downloadMedia", {"path.id": "media", "query.exp": "exp", "query.sig": "sig"})
    operation("deleteTemplate", {"query.name": "delete_names", "query.hsm_id": "hsm_ids"})
    operation("updateBusinessProfile", {"body.profile_picture_handle": "media"})
    operation("getQrCode", {"path.code": "qr_codes"})
    operation("putQrCode", {"body.code": "qr_codes"})
    operation("deleteQrCode", {"path.code": "qr_delete_codes"})

    with open(config_out, "w") as f:
        f.write("\n".join(lines))
    with open(token_out, "w") as f:
        f.write(token)
    print(f"seeded WABA {waba} (number {pnid}), a second WABA {other_waba}, media, templates")


if __name__ == "__main__":
    main()
