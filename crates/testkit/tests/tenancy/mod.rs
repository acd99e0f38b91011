//! The world of the tenancy test: tenant A (a business with a number, an app, a template,
//! media, a catalog with a product, a QR code, labels, a quick reply, an admin and an agent, a
//! customer chat with an order and an image, and a person's group) and tenant B (a business
//! with its own admin, agent and customer chat, and a person in none of A's chats). Every text
//! of A carries the word "alpha", so a response that shows any of it to B is a leak.
//! [`World::snapshot`] reads everything of A as its owners see it, to show nothing changed.

pub mod ads_cases;
pub mod billing_cases;
pub mod calls_cases;
mod extras;
pub mod status_cases;

pub use extras::Extras;
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Agent, Business, Person, TestServer, PNG};

/// What every text of tenant A contains.
pub const MARKER: &str = "alpha";

/// Tenant A, tenant B and the ids of A's things.
pub struct World {
    pub url: String,
    pub a: Business,
    pub b: Business,
    pub a_admin: Agent,
    pub b_admin: Agent,
    pub b_agent: Agent,
    /// A's customer, in A's chat and in a group.
    pub p: Person,
    /// The other member of P's group.
    pub p2: Person,
    /// A person in none of A's chats (B's customer).
    pub q: Person,
    pub template: String,
    pub media: String,
    /// A's media URL as `GET /{media-id}` gives it to A.
    pub media_url: String,
    pub catalog: String,
    pub product: String,
    pub qr: String,
    pub label: String,
    pub reply: String,
    /// P's chat with A's number (A's inbox chat).
    pub chat: String,
    /// The order_details message A sent P there.
    pub order: String,
    /// An image P sent A there.
    pub chat_media: String,
    /// P's group with P2, a message in it and an image P sent there.
    pub group: String,
    pub group_message: String,
    pub group_media: String,
    /// Q's chat with B's number (B's inbox chat) and B's label.
    pub b_chat: String,
    pub b_label: String,
    /// A webhook delivery of A's app.
    pub delivery: String,
    /// A's newer things: an agent to mention, a cart, a sticker pack, a ledger entry, a month.
    pub x: Extras,
    pub operator_token: String,
    http: reqwest::Client,
}

fn id(v: &Value, what: &str) -> String {
    v["id"]
        .as_str()
        .or(v["chat_id"].as_str())
        .unwrap_or_else(|| panic!("{what}: {v}"))
        .to_string()
}

impl World {
    /// Set both tenants up.
    pub async fn build(s: &TestServer) -> World {
        let a = s.business("Alpha Corp", "+1 650 555 8101").await;
        let b = s.business("Bravo Corp", "+1 650 555 8102").await;
        let a_admin = s.agent(&a, "admin@alpha.example", "admin").await;
        s.agent(&a, "agent@alpha.example", "agent").await;
        let b_admin = s.agent(&b, "admin@bravo.example", "admin").await;
        let b_agent = s.agent(&b, "agent@bravo.example", "agent").await;
        let p = s.register("+44 7911 128101", "Alpha Pat").await;
        let p2 = s.register("+44 7911 128102", "Alpha Friend").await;
        let q = s.register("+44 7911 128103", "Quentin").await;
        let v23 = |rest: &str| format!("/v23.0/{rest}");
        let ok = |what: &str, (status, v): (u16, Value)| {
            assert_eq!(status, 200, "{what}: {v}");
            v
        };

        let template = id(
            &ok(
                "template",
                a.api(
                    Method::POST,
                    &v23(&format!("{}/message_templates", a.waba_id)),
                    Some(json!({
                "name": "alpha_notice", "language": "en_US", "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Alpha notice"}]})),
                )
                .await,
            ),
            "template",
        );
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(PNG.to_vec())
                .file_name("alpha.png")
                .mime_str("image/png")
                .unwrap(),
        );
        let up: Value = reqwest::Client::new()
            .post(format!(
                "{}{}",
                s.url,
                v23(&format!("{}/media", a.phone_number_id))
            ))
            .bearer_auth(&a.token)
            .query(&[("messaging_product", "whatsapp")])
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let media = id(&up, "media");
        let media_url = ok("media object", a.api(Method::GET, &v23(&media), None).await)["url"]
            .as_str()
            .expect("media url")
            .to_string();
        let media_url = media_url
            .split_once("/media/download/")
            .map(|(_, rest)| format!("/media/download/{rest}"))
            .expect("download path");
        let catalog = id(
            &ok(
                "catalog",
                a.api(
                    Method::POST,
                    &v23(&format!("{}/product_catalogs", a.waba_id)),
                    Some(json!({"name": "Alpha catalog"})),
                )
                .await,
            ),
            "catalog",
        );
        let product = id(
            &ok("product", a.api(Method::POST, &v23(&format!("{catalog}/products")), Some(json!({
                "retailer_id": "alpha-sku", "name": "Alpha widget", "price": 1500, "currency": "EUR"}))).await),
            "product",
        );
        let qr = ok(
            "qr",
            a.api(
                Method::POST,
                &v23(&format!("{}/message_qrdls", a.phone_number_id)),
                Some(json!({"prefilled_message": "Alpha hello", "generate_qr_image": "PNG"})),
            )
            .await,
        )["code"]
            .as_str()
            .unwrap()
            .to_string();
        ok(
            "profile",
            a.api(
                Method::POST,
                &v23(&format!("{}/whatsapp_business_profile", a.phone_number_id)),
                Some(json!({"messaging_product": "whatsapp", "about": "Alpha about"})),
            )
            .await,
        );
        ok(
            "automation",
            a.api(
                Method::POST,
                &v23(&format!("{}/conversational_automation", a.phone_number_id)),
                Some(json!({"enable_welcome_message": true, "prompts": ["Alpha prompt"]})),
            )
            .await,
        );

        // P's chat with A: a question, an image, an order to pay.
        let chat = p.chat_with(&a.wa_id).await;
        p.send_text(&chat, "Alpha question").await;
        let image = p
            .upload(PNG.to_vec(), "image/png", "alpha.png")
            .await
            .unwrap();
        let chat_media = id(&image, "upload");
        p.post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "image", "image": {"id": chat_media, "caption": "alpha photo"}}),
        )
        .await
        .unwrap();
        let (status, sent) = a.send(json!({"messaging_product": "whatsapp", "to": p.wa_id, "type": "interactive", "interactive": {
            "type": "order_details", "body": {"text": "Your alpha order"}, "action": {"name": "review_and_pay", "parameters": {
                "reference_id": "alpha-ref-1", "type": "physical-goods", "payment_type": "wasla", "currency": "EUR",
                "total_amount": {"value": 3000, "offset": 100},
                "order": {"status": "pending", "items": [{"retailer_id": "alpha-sku", "name": "Alpha widget",
                    "amount": {"value": 1500, "offset": 100}, "quantity": 2}],
                    "subtotal": {"value": 3000, "offset": 100}}}}}})).await;
        assert_eq!(status, 200, "{sent}");
        let order = sent["messages"][0]["id"].as_str().unwrap().to_string();

        // The console: a label on the chat and on the contact, a note, a quick reply.
        let label = id(
            &a_admin
                .post(
                    "/console/v1/labels",
                    json!({"name": "alpha-label", "color": "#aa0000"}),
                )
                .await,
            "label",
        );
        let reply = id(
            &a_admin
                .post(
                    "/console/v1/quick-replies",
                    json!({"shortcut": "alpha", "body": "Alpha reply"}),
                )
                .await,
            "reply",
        );
        for path in [
            format!("/console/v1/chats/{chat}/labels/{label}"),
            format!("/console/v1/chats/{chat}/contact-labels/{label}"),
        ] {
            let (status, v) = a_admin.call(Method::PUT, &path, None).await;
            assert_eq!(status, 200, "{path}: {v}");
        }
        a_admin
            .post(
                &format!("/console/v1/chats/{chat}/notes"),
                json!({"body": "alpha note"}),
            )
            .await;

        // P's group with P2.
        let group = id(
            &p.post(
                "/client/v1/groups",
                json!({"subject": "Alpha group", "members": [p2.wa_id]}),
            )
            .await
            .unwrap(),
            "group",
        );
        let group_message = p.send_text(&group, "Alpha group hello").await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let upload = p
            .upload(PNG.to_vec(), "image/png", "alpha2.png")
            .await
            .unwrap();
        let group_media = id(&upload, "upload");
        p.post(
            &format!("/client/v1/chats/{group}/messages"),
            json!({"type": "image", "image": {"id": group_media}}),
        )
        .await
        .unwrap();

        // Tenant B: Q's chat with B, B's label.
        let b_chat = q.chat_with(&b.wa_id).await;
        q.send_text(&b_chat, "Hello Bravo").await;
        let b_label = id(
            &b_admin
                .post(
                    "/console/v1/labels",
                    json!({"name": "bravo-label", "color": "#0000aa"}),
                )
                .await,
            "label",
        );

        let deliveries = s
            .wait_deliveries(&a.app_id, "a delivery", |d| !d.is_empty())
            .await;
        let delivery = id(&deliveries[0], "delivery");
        let x = extras::build(s, &a, &a_admin, &p, &chat).await;
        World {
            url: s.url.clone(),
            a,
            b,
            a_admin,
            b_admin,
            b_agent,
            p,
            p2,
            q,
            template,
            media,
            media_url,
            catalog,
            product,
            qr,
            label,
            reply,
            chat,
            order,
            chat_media,
            group,
            group_message,
            group_media,
            b_chat,
            b_label,
            delivery,
            x,
            operator_token: s.operator_token.clone(),
            http: reqwest::Client::new(),
        }
    }

    /// A call with `token` (none when empty); status and body text. Streams answer with their
    /// status only.
    pub async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, String) {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let stream = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/event-stream"));
        if stream {
            return (status, String::new());
        }
        (status, resp.text().await.unwrap_or_default())
    }

    /// Ids of A's that no answer to B may show and that no case names in a path (B's audit
    /// log records the ids B named): A's agent `alphaboss` (a mention resolving to them, say),
    /// A's cart, a sticker of A's pack, and A's ledger entry.
    pub fn secrets(&self) -> Vec<String> {
        let x = &self.x;
        [&x.mentioned.id, &x.cart, &x.sticker, &x.ledger_entry]
            .map(|s| s.to_string())
            .to_vec()
    }

    /// Everything of tenant A, as its owners read it, without what changes by itself
    /// (presence, signed URLs, trace ids).
    pub async fn snapshot(&self) -> Vec<(String, Value)> {
        let (a, pn, waba) = (&self.a.token, &self.a.phone_number_id, &self.a.waba_id);
        let admin = &self.a_admin.token;
        let p = &self.p.token;
        let op = &self.operator_token;
        let reads: Vec<(&str, String)> = vec![
            (a, format!("/v23.0/{waba}/message_templates")),
            (a, format!("/v23.0/{}", self.template)),
            (a, format!("/v23.0/{}", self.media)),
            (a, format!("/v23.0/{waba}/subscribed_apps")),
            (a, format!("/v23.0/{pn}/whatsapp_business_profile")),
            (a, format!("/v23.0/{waba}/phone_numbers")),
            (a, format!("/v23.0/{waba}/product_catalogs")),
            (a, format!("/v23.0/{}/products", self.catalog)),
            (a, format!("/v23.0/{pn}/whatsapp_commerce_settings")),
            (a, format!("/v23.0/{pn}/message_qrdls")),
            (a, format!("/v23.0/{pn}/conversational_automation")),
            (admin, "/console/v1/agents".into()),
            (admin, "/console/v1/inbox".into()),
            (admin, "/console/v1/labels".into()),
            (admin, "/console/v1/quick-replies".into()),
            (admin, "/console/v1/catalog".into()),
            (admin, "/console/v1/orders".into()),
            (admin, format!("/console/v1/numbers/{pn}/automations")),
            (admin, format!("/console/v1/numbers/{pn}/qr")),
            (admin, format!("/console/v1/chats/{}/messages", self.chat)),
            (admin, format!("/console/v1/chats/{}/notes", self.chat)),
            (admin, format!("/console/v1/chats/{}/customer", self.chat)),
            (admin, format!("/console/v1/chats/{}/compose", self.chat)),
            (admin, "/console/v1/inbox/settings".into()),
            (admin, "/console/v1/apps".into()),
            (admin, "/console/v1/templates".into()),
            (admin, format!("/console/v1/numbers/{pn}/profile")),
            (admin, format!("/console/v1/numbers/{pn}/commerce")),
            (admin, "/console/v1/carts".into()),
            (admin, "/console/v1/sticker-packs".into()),
            (admin, "/console/v1/billing/account".into()),
            (admin, "/console/v1/billing/ledger".into()),
            (
                admin,
                format!("/console/v1/billing/invoices/{}", self.x.month),
            ),
            (a, format!("/v23.0/{pn}/block_users")),
            (p, "/client/v1/sticker-packs".into()),
            (p, "/client/v1/blocks".into()),
            (p, "/client/v1/me".into()),
            (p, "/client/v1/chats".into()),
            (p, format!("/client/v1/chats/{}", self.group)),
            (p, format!("/client/v1/chats/{}/messages", self.group)),
            (p, format!("/client/v1/chats/{}/messages", self.chat)),
            (
                p,
                format!(
                    "/client/v1/chats/{}/messages/{}/order",
                    self.chat, self.order
                ),
            ),
            (op, format!("/admin/v1/businesses/{waba}/apps")),
            (op, format!("/admin/v1/businesses/{waba}/phone-numbers")),
            (op, format!("/admin/v1/businesses/{waba}/agents")),
            (op, format!("/admin/v1/businesses/{waba}/labels")),
            (op, format!("/admin/v1/businesses/{waba}/quick-replies")),
            (op, format!("/admin/v1/phone-numbers/{pn}/automations")),
            (op, format!("/admin/v1/businesses/{waba}/limits")),
            (op, format!("/admin/v1/billing/accounts/{waba}")),
            (op, format!("/admin/v1/billing/accounts/{waba}/ledger")),
            (op, format!("/admin/v1/billing/accounts/{waba}/rated")),
        ];
        let mut out = vec![];
        for (token, path) in reads {
            let (status, text) = self.call(token, Method::GET, &path, None).await;
            assert_eq!(status, 200, "the owner reads {path}: {text}");
            let mut v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            settle(&mut v);
            out.push((path, v));
        }
        out
    }
}

/// Drop what changes without anyone changing it: presence, signed URLs, trace ids.
fn settle(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for k in ["online", "last_seen", "url", "fbtrace_id"] {
                m.remove(k);
            }
            m.values_mut().for_each(settle);
        }
        Value::Array(a) => a.iter_mut().for_each(settle),
        _ => {}
    }
}
