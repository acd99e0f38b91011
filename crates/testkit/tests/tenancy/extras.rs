//! A's things of the newer kinds, made through the real APIs: an agent to mention, the
//! inbox's reopen rule, a console app, a stranger P blocked, a cart P sent, a sticker pack P added, two top-ups on A's
//! ledger and the month of A's invoice. Every text carries the marker.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Agent, Business, Person, TestServer};

/// A sticker of Wasla's own pack: valid WebP bytes to publish A's pack with.
const WEBP: &[u8] =
    include_bytes!("../../../core/assets/stickers/open-for-business/01-open-sign.webp");

/// The ids of A's newer things.
pub struct Extras {
    /// A person P blocked (with a reason carrying the marker).
    pub stranger: String,
    /// A's agent named `alphaboss` (for `@alphaboss` mentions).
    pub mentioned: Agent,
    /// The cart (an order message) P sent A, in A's chat.
    pub cart: String,
    /// A's sticker pack, which P added, and a sticker of it.
    pub pack: String,
    pub sticker: String,
    /// The top-up on A's ledger, and the month of A's invoice (`YYYY-MM`).
    pub ledger_entry: String,
    pub month: String,
    /// A's business Status update (P sees it) and P's own Status update.
    pub statuses: super::status_cases::Statuses,
    /// A's ad campaign (waiting for review) and its link's code.
    pub ads: super::ads_cases::Ads,
}

fn ok(what: &str, (status, v): (u16, Value)) -> Value {
    assert_eq!(status, 200, "{what}: {v}");
    v
}

fn text(v: &Value, key: &str, what: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: {v}"))
        .to_string()
}

/// Multipart POST with a console session.
async fn multipart(
    s: &TestServer,
    token: &str,
    path: &str,
    form: reqwest::multipart::Form,
) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", s.url))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("multipart request");
    let status = resp.status().as_u16();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "{path}: {v}");
    v
}

fn file(bytes: &[u8], name: &str, mime: &str) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap()
}

/// Make them. `chat` is P's chat with A.
pub async fn build(
    s: &TestServer,
    a: &Business,
    a_admin: &Agent,
    p: &Person,
    chat: &str,
) -> Extras {
    let mentioned = s.agent(a, "alphaboss@alpha.example", "agent").await;

    // The reopen rule: not the default, so a B answer showing A's would differ from B's own.
    ok(
        "inbox settings",
        a_admin
            .call(
                Method::PUT,
                "/console/v1/inbox/settings",
                Some(json!({"reopen_to": "unassigned"})),
            )
            .await,
    );

    // P blocks a stranger, with a reason: Q's block list must not show it.
    let stranger = s.register("+44 7911 128104", "Alpha Stranger").await;
    let (status, v) = p_call(
        s,
        p,
        Method::PUT,
        &format!("/client/v1/blocks/{}", stranger.wa_id),
        Some(json!({"reason": "alpha spam"})),
    )
    .await;
    assert_eq!(status, 200, "P blocks a stranger: {v}");

    // A second app of A's, made in the console, whose callback URL carries the marker.
    ok(
        "console app",
        a_admin
            .call(
                Method::POST,
                "/console/v1/apps",
                Some(
                    json!({"webhook_url": format!("{}?tenant=alpha", a.hooks.url),
                            "verify_token": "verify-me"}),
                ),
            )
            .await,
    );

    // A cart P sends A, of A's product.
    let cart = p
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "order", "order": {"text": "alpha cart", "product_items": [
                {"product_retailer_id": "alpha-sku", "quantity": 1}]}}),
        )
        .await
        .unwrap();
    let cart = text(&cart, "id", "cart");

    // A's sticker pack, added by P.
    let form = reqwest::multipart::Form::new()
        .text("name", "Alpha stickers")
        .part("sticker", file(WEBP, "alpha.webp", "image/webp"));
    let pack = multipart(s, &a_admin.token, "/console/v1/sticker-packs", form).await;
    let sticker = text(&pack["stickers"][0], "id", "sticker");
    let pack = text(&pack, "id", "pack");
    let (status, v) = p_call(
        s,
        p,
        Method::PUT,
        &format!("/client/v1/sticker-packs/{pack}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "P adds A's pack: {v}");

    // A top-up on A's ledger, shown on A's invoice of this month.
    let account = format!("/admin/v1/billing/accounts/{}", a.waba_id);
    // Two top-ups: the later one is B's page cursor, so a ledger page that forgot the WABA
    // would show the earlier.
    let mut ledger_entry = String::new();
    for note in ["alpha wire 1", "alpha wire 2"] {
        let entry = ok(
            "top-up",
            s.admin(
                Method::POST,
                &format!("{account}/top-ups"),
                Some(json!({"amount": 1250, "note": note, "actor": "Alpha clerk"})),
            )
            .await,
        );
        ledger_entry = text(&entry, "id", "ledger entry");
    }
    let invoice = ok(
        "invoice",
        s.admin(Method::GET, &format!("{account}/invoices/current"), None)
            .await,
    );
    let month = text(&invoice, "month", "invoice month");
    let statuses = super::status_cases::make(s, a_admin, p).await;
    let ads = super::ads_cases::make(s, a_admin).await;

    Extras {
        stranger: stranger.wa_id,
        mentioned,
        cart,
        pack,
        sticker,
        ledger_entry,
        month,
        statuses,
        ads,
    }
}

async fn p_call(
    s: &TestServer,
    p: &Person,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", s.url))
        .bearer_auth(&p.token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("client request");
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}
