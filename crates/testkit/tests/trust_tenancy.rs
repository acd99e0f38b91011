//! Tenancy, route by route: every route of the Cloud API, the client API, the console and the
//! admin API, as read from the source of `wasla-http` ([`route_table`]), is called with tenant
//! B's credentials (B's business token, B's agents, a person in none of A's chats, tokens that
//! are not the operator's) and tenant A's ids. Each call must be refused in its surface's
//! format (a Graph error 100 or 404 on the Cloud API, 404 or 403 in the JSON APIs, 401 on the
//! admin API) or, for a route that takes no id, act on B's own things only; no answer may
//! show any of A's texts, and A's things must read the same before and after as A's owners
//! see them. A route with no case here fails the test, so a new endpoint cannot skip the
//! check; routes that are public or person-global are listed, each with its reason.

mod tenancy;

use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tenancy::{World, MARKER};
use wasla_testkit::routes::{route_table, Surface};
use wasla_testkit::{Db, TestServer};

/// One call of a case.
struct Call {
    token: String,
    path: String,
    body: Option<Value>,
}

enum Kind {
    /// Calls with A's ids: each must be refused.
    Foreign(Vec<Call>),
    /// Calls naming no id of A: they act on the caller's own things.
    Own(Vec<Call>),
    /// Calls with A's ids that must be refused, and calls on the caller's own things that name
    /// something of A in their body (a mention of A's agent, say) and must not reach it.
    Mixed(Vec<Call>, Vec<Call>),
    /// The same, but they end the caller's session: run after everything else.
    OwnLast(Vec<Call>),
    /// Not tenant-scoped, and why.
    Allowed(&'static str),
}

fn c(token: &str, path: impl Into<String>) -> Call {
    Call {
        token: token.to_string(),
        path: path.into(),
        body: None,
    }
}

fn cb(token: &str, path: impl Into<String>, body: Value) -> Call {
    Call {
        body: Some(body),
        ..c(token, path)
    }
}

const PUBLIC_PAGE: &str = "a public page or image, by design readable by anyone";
const OPS: &str = "health, metrics and the API description: no tenant data";

/// The case of every route, keyed by method and path template.
fn cases(w: &World) -> Vec<(&'static str, &'static str, Kind)> {
    use Kind::*;
    let (bt, ba, bg, q) = (
        &*w.b.token,
        &*w.b_admin.token,
        &*w.b_agent.token,
        &*w.q.token,
    );
    let (pn, waba, bpn) = (&w.a.phone_number_id, &w.a.waba_id, &w.b.phone_number_id);
    let (chat, group, label) = (&w.chat, &w.group, &w.label);
    let (x, bchat) = (&w.x, &w.b_chat);
    let v = |rest: String| format!("/v23.0/{rest}");
    let send = json!({"messaging_product": "whatsapp", "to": w.p.wa_id, "type": "text", "text": {"body": "x"}});
    let template = json!({"name": "bravo_steal", "language": "en_US", "category": "UTILITY",
                          "components": [{"type": "BODY", "text": "x"}]});
    let product =
        json!({"retailer_id": "bravo-sku", "name": "Bravo", "price": 100, "currency": "EUR"});
    let nodes = [waba, pn, &w.template, &w.media, &w.catalog, &w.product];
    let node_calls = |body: Option<Value>| -> Vec<Call> {
        nodes
            .iter()
            .map(|n| Call {
                body: body.clone(),
                ..c(bt, v(n.to_string()))
            })
            .collect()
    };
    let qr_calls = |suffix: &str| {
        vec![
            c(bt, v(format!("{pn}/message_qrdls/{}{suffix}", w.qr))),
            c(bt, v(format!("{bpn}/message_qrdls/{}{suffix}", w.qr))),
        ]
    };
    let chat_label = |kind: &str| {
        vec![
            c(ba, format!("/console/v1/chats/{chat}/{kind}/{label}")),
            c(ba, format!("/console/v1/chats/{chat}/{kind}/{}", w.b_label)),
            c(ba, format!("/console/v1/chats/{}/{kind}/{label}", w.b_chat)),
        ]
    };
    // The operator's routes with tokens that are not the operator's: B's business token and
    // B's admin's console session.
    let not_operator =
        |path: String, body: Value| vec![cb(bt, path.clone(), body.clone()), cb(ba, path, body)];
    let mut all = vec![
        // The Cloud API: B's token, A's number, WABA, template, media, catalog, product, QR code.
        ("POST", "/{version}/{phone_number_id}/media", Foreign(vec![c(bt, v(format!("{pn}/media")))])),
        ("POST", "/{phone_number_id}/media", Foreign(vec![c(bt, format!("/{pn}/media"))])),
        ("POST", "/{version}/{phone_number_id}/messages", Foreign(vec![cb(bt, v(format!("{pn}/messages")), send.clone()),
            cb(bt, v(format!("{pn}/messages")), json!({"messaging_product": "whatsapp", "status": "read", "message_id": w.order}))])),
        ("POST", "/{phone_number_id}/messages", Foreign(vec![cb(bt, format!("/{pn}/messages"), send.clone())])),
        ("GET", "/{version}/{phone_number_id}/block_users", Foreign(vec![c(bt, v(format!("{pn}/block_users")))])),
        ("POST", "/{version}/{phone_number_id}/block_users", Foreign(vec![cb(bt, v(format!("{pn}/block_users")), json!({"messaging_product": "whatsapp", "block_users": [{"user": w.p.wa_id}]}))])),
        ("DELETE", "/{version}/{phone_number_id}/block_users", Foreign(vec![cb(bt, v(format!("{pn}/block_users")), json!({"messaging_product": "whatsapp", "block_users": [{"user": w.p.wa_id}]}))])),
        ("GET", "/{phone_number_id}/block_users", Foreign(vec![c(bt, format!("/{pn}/block_users"))])),
        ("POST", "/{phone_number_id}/block_users", Foreign(vec![cb(bt, format!("/{pn}/block_users"), json!({"messaging_product": "whatsapp", "block_users": [{"user": w.p.wa_id}]}))])),
        ("DELETE", "/{phone_number_id}/block_users", Foreign(vec![cb(bt, format!("/{pn}/block_users"), json!({"messaging_product": "whatsapp", "block_users": [{"user": w.p.wa_id}]}))])),
        ("GET", "/{version}/{waba_id}/message_templates", Foreign(vec![c(bt, v(format!("{waba}/message_templates")))])),
        ("POST", "/{version}/{waba_id}/message_templates", Foreign(vec![cb(bt, v(format!("{waba}/message_templates")), template.clone())])),
        ("DELETE", "/{version}/{waba_id}/message_templates", Foreign(vec![c(bt, v(format!("{waba}/message_templates?name=alpha_notice"))),
            c(bt, v(format!("{}/message_templates?name=alpha_notice&hsm_id={}", w.b.waba_id, w.template)))])),
        ("GET", "/{version}/{node}", Foreign(node_calls(None).into_iter().chain([c(bt, v(format!("{waba}?fields=analytics.start(0).end(86400).granularity(DAY),pricing_analytics.start(0).end(86400).granularity(DAILY)"))),
            // B's own WABA, with A's number as the analytics filter.
            c(bt, v(format!("{}?fields=analytics.start(0).end(86400).granularity(DAY).phone_numbers([{}])", w.b.waba_id, w.a.wa_id))),
            c(bt, v(format!("{}?fields=pricing_analytics.start(0).end(86400).granularity(DAILY).phone_numbers([{}])", w.b.waba_id, w.a.wa_id)))]).collect())),
        ("POST", "/{version}/{node}", Foreign(node_calls(Some(json!({"components": [{"type": "BODY", "text": "x"}]}))))),
        ("DELETE", "/{version}/{node}", Foreign(node_calls(None))),
        ("GET", "/media/download/{id}", Foreign(vec![c(bt, w.media_url.clone())])),
        ("GET", "/{version}/{waba_id}/subscribed_apps", Foreign(vec![c(bt, v(format!("{waba}/subscribed_apps")))])),
        ("POST", "/{version}/{waba_id}/subscribed_apps", Foreign(vec![cb(bt, v(format!("{waba}/subscribed_apps")), json!({}))])),
        ("DELETE", "/{version}/{waba_id}/subscribed_apps", Foreign(vec![c(bt, v(format!("{waba}/subscribed_apps")))])),
        ("GET", "/{version}/{phone_number_id}/whatsapp_business_profile", Foreign(vec![c(bt, v(format!("{pn}/whatsapp_business_profile")))])),
        ("POST", "/{version}/{phone_number_id}/whatsapp_business_profile", Foreign(vec![cb(bt, v(format!("{pn}/whatsapp_business_profile")), json!({"messaging_product": "whatsapp", "about": "bravo"}))])),
        ("GET", "/{version}/{waba_id}/phone_numbers", Foreign(vec![c(bt, v(format!("{waba}/phone_numbers")))])),
        ("GET", "/{version}/{waba_id}/product_catalogs", Foreign(vec![c(bt, v(format!("{waba}/product_catalogs")))])),
        ("POST", "/{version}/{waba_id}/product_catalogs", Foreign(vec![cb(bt, v(format!("{waba}/product_catalogs")), json!({"name": "bravo"}))])),
        ("GET", "/{version}/{catalog_id}/products", Foreign(vec![c(bt, v(format!("{}/products", w.catalog)))])),
        ("POST", "/{version}/{catalog_id}/products", Foreign(vec![cb(bt, v(format!("{}/products", w.catalog)), product.clone())])),
        ("POST", "/{version}/{catalog_id}/batch", Foreign(vec![cb(bt, v(format!("{}/batch", w.catalog)),
            json!({"requests": [{"method": "DELETE", "retailer_id": "alpha-sku"}]}))])),
        ("POST", "/{version}/{catalog_id}/products_csv", Foreign(vec![cb(bt, v(format!("{}/products_csv", w.catalog)), json!({"csv": "id,title\nbravo,Bravo\n"}))])),
        ("GET", "/{version}/{phone_number_id}/whatsapp_commerce_settings", Foreign(vec![c(bt, v(format!("{pn}/whatsapp_commerce_settings")))])),
        ("POST", "/{version}/{phone_number_id}/whatsapp_commerce_settings", Foreign(vec![c(bt, v(format!("{pn}/whatsapp_commerce_settings?is_cart_enabled=false")))])),
        ("GET", "/{version}/{phone_number_id}/message_qrdls", Foreign(vec![c(bt, v(format!("{pn}/message_qrdls")))])),
        ("POST", "/{version}/{phone_number_id}/message_qrdls", Foreign(vec![cb(bt, v(format!("{pn}/message_qrdls")), json!({"prefilled_message": "bravo"})),
            cb(bt, v(format!("{pn}/message_qrdls")), json!({"code": w.qr, "prefilled_message": "bravo"})),
            cb(bt, v(format!("{bpn}/message_qrdls")), json!({"code": w.qr, "prefilled_message": "bravo"}))])),
        ("GET", "/{version}/{phone_number_id}/message_qrdls/{code}", Foreign(qr_calls(""))),
        ("DELETE", "/{version}/{phone_number_id}/message_qrdls/{code}", Foreign(qr_calls(""))),
        ("POST", "/{version}/{phone_number_id}/message_qrdls/{code}", Foreign(qr_calls("?prefilled_message=bravo"))),
        ("GET", "/{version}/{phone_number_id}/conversational_automation", Foreign(vec![c(bt, v(format!("{pn}/conversational_automation")))])),
        ("POST", "/{version}/{phone_number_id}/conversational_automation", Foreign(vec![cb(bt, v(format!("{pn}/conversational_automation")), json!({"enable_welcome_message": false}))])),
        // The client API: Q, a person in none of A's chats, with P's chats, messages and media.
        ("POST", "/client/v1/auth/code", Allowed("anonymous: starts a sign-in for the number given")),
        ("POST", "/client/v1/auth/verify", Allowed("anonymous: finishes a sign-in with the code sent to that number")),
        ("POST", "/client/v1/auth/logout", OwnLast(vec![c(q, "/client/v1/auth/logout")])),
        ("GET", "/client/v1/businesses/{wa_id}/tools", Allowed("person-global: a business's greeting, prompts and commands are shown to anyone who may message it")),
        ("GET", "/client/v1/accounts/lookup", Allowed("person-global: finding someone by phone number (what it shows is the privacy settings' concern)")),
        ("GET", "/client/v1/accounts/{wa_id}", Allowed("person-global: a profile by number, limited by the person's privacy settings")),
        ("GET", "/client/v1/shops/{wa_id}", Allowed("person-global: a business's public shop, as on its catalog page")),
        ("POST", "/client/v1/chats", Allowed("person-global: anyone may open a chat with any number")),
        ("POST", "/payments/callback", Allowed("the payment provider's callback, authorised by its HMAC signature, not by a tenant")),
        ("GET", "/client/v1/me", Own(vec![c(q, "/client/v1/me")])),
        ("PATCH", "/client/v1/me", Own(vec![cb(q, "/client/v1/me", json!({"display_name": "Quentin Q"}))])),
        ("GET", "/client/v1/me/privacy", Own(vec![c(q, "/client/v1/me/privacy")])),
        ("GET", "/client/v1/blocks", Own(vec![c(q, "/client/v1/blocks")])),
        // Blocks are the caller's own: Q with the stranger P blocked sees and changes Q's only.
        ("GET", "/client/v1/blocks/{wa_id}", Own(vec![c(q, format!("/client/v1/blocks/{}", x.stranger))])),
        ("PUT", "/client/v1/blocks/{wa_id}", Own(vec![cb(q, format!("/client/v1/blocks/{}", x.stranger), json!({"reason": "bravo"}))])),
        ("DELETE", "/client/v1/blocks/{wa_id}", Own(vec![c(q, format!("/client/v1/blocks/{}", x.stranger))])),
        ("POST", "/client/v1/businesses/{wa_id}/report", Allowed("person-global: anyone may report a business number; only reports from people it messaged count against it")),
        ("PUT", "/client/v1/businesses/{wa_id}/marketing", Allowed("person-global: the caller's own marketing opt-out of a business")),
        ("PUT", "/client/v1/me/privacy", Own(vec![cb(q, "/client/v1/me/privacy", json!({"last_seen": "nobody"}))])),
        ("GET", "/client/v1/chats", Own(vec![c(q, "/client/v1/chats")])),
        ("POST", "/client/v1/groups", Own(vec![cb(q, "/client/v1/groups", json!({"subject": "Q group", "members": []}))])),
        ("POST", "/client/v1/media", Own(vec![c(q, "/client/v1/media")])),
        ("GET", "/client/v1/chats/{chat_id}", Foreign(vec![c(q, format!("/client/v1/chats/{group}")), c(q, format!("/client/v1/chats/{chat}"))])),
        ("PATCH", "/client/v1/chats/{chat_id}", Foreign(vec![cb(q, format!("/client/v1/chats/{group}"), json!({"subject": "bravo"}))])),
        ("POST", "/client/v1/chats/{chat_id}/members", Foreign(vec![cb(q, format!("/client/v1/chats/{group}/members"), json!({"wa_ids": [w.q.wa_id]}))])),
        ("DELETE", "/client/v1/chats/{chat_id}/members/{wa_id}", Foreign(vec![c(q, format!("/client/v1/chats/{group}/members/{}", w.p2.wa_id))])),
        ("POST", "/client/v1/chats/{chat_id}/admins", Foreign(vec![cb(q, format!("/client/v1/chats/{group}/admins"), json!({"wa_id": w.q.wa_id}))])),
        ("DELETE", "/client/v1/chats/{chat_id}/admins/{wa_id}", Foreign(vec![c(q, format!("/client/v1/chats/{group}/admins/{}", w.p.wa_id))])),
        ("POST", "/client/v1/chats/{chat_id}/leave", Foreign(vec![c(q, format!("/client/v1/chats/{group}/leave"))])),
        ("GET", "/client/v1/chats/{chat_id}/messages", Foreign(vec![c(q, format!("/client/v1/chats/{group}/messages")), c(q, format!("/client/v1/chats/{chat}/messages"))])),
        ("POST", "/client/v1/chats/{chat_id}/messages", Foreign(vec![cb(q, format!("/client/v1/chats/{group}/messages"), json!({"type": "text", "text": {"body": "x"}})),
            cb(q, format!("/client/v1/chats/{chat}/messages"), json!({"type": "text", "text": {"body": "x"}}))])),
        ("POST", "/client/v1/chats/{chat_id}/read", Foreign(vec![cb(q, format!("/client/v1/chats/{group}/read"), json!({"up_to_seq": 1}))])),
        ("GET", "/client/v1/chats/{chat_id}/messages/{id}/receipts", Foreign(vec![c(q, format!("/client/v1/chats/{group}/messages/{}/receipts", w.group_message))])),
        ("GET", "/client/v1/media/{id}", Foreign(vec![c(q, format!("/client/v1/media/{}", w.group_media)), c(q, format!("/client/v1/media/{}", w.chat_media))])),
        ("GET", "/client/v1/chats/{chat_id}/messages/{id}/order", Foreign(vec![c(q, format!("/client/v1/chats/{chat}/messages/{}/order", w.order))])),
        ("POST", "/client/v1/chats/{chat_id}/messages/{id}/pay", Foreign(vec![cb(q, format!("/client/v1/chats/{chat}/messages/{}/pay", w.order), json!({"card_number": "4242424242424242"}))])),
        ("GET", "/client/v1/sticker-packs", Own(vec![c(q, "/client/v1/sticker-packs")])),
        ("GET", "/client/v1/businesses/{wa_id}/sticker-packs", Allowed("person-global: the sticker packs a business published, shown on its profile as on their public pages")),
        ("GET", "/client/v1/sticker-packs/{id}", Allowed("person-global: a business publishes a sticker pack to be shared by its link; anyone may see it (and whether they added it)")),
        ("PUT", "/client/v1/sticker-packs/{id}", Allowed("person-global: anyone may add a published pack to their own packs")),
        ("DELETE", "/client/v1/sticker-packs/{id}", Foreign(vec![c(q, format!("/client/v1/sticker-packs/{}", x.pack))])),
        ("POST", "/client/v1/chats/{chat_id}/stickers", Foreign(vec![cb(q, format!("/client/v1/chats/{group}/stickers"), json!({"sticker_id": "open-sign"})),
            cb(q, format!("/client/v1/chats/{chat}/stickers"), json!({"sticker_id": "open-sign"}))])),
        ("GET", "/client/v1/ws", Allowed("the WebSocket: authorised by its hello frame; a stranger's sends, typing and receipts to others' chats are refused in tests/auth.rs")),
        // The console: B's admin (and agent) with A's chat, labels, product, number, QR code.
        ("POST", "/console/v1/auth/sign-in", Allowed("anonymous: signing in by email and password, or accepting an invite")),
        ("POST", "/console/v1/auth/sign-out", OwnLast(vec![c(bg, "/console/v1/auth/sign-out")])),
        ("GET", "/console/v1/me", Own(vec![c(ba, "/console/v1/me")])),
        ("GET", "/console/v1/stream", Own(vec![c(ba, "/console/v1/stream")])),
        ("GET", "/console/v1/agents", Own(vec![c(ba, "/console/v1/agents")])),
        ("POST", "/console/v1/agents", Own(vec![cb(ba, "/console/v1/agents", json!({"email": "new@bravo.example", "name": "New", "role": "agent"}))])),
        ("GET", "/console/v1/inbox", Own(vec![c(ba, "/console/v1/inbox"), c(bg, "/console/v1/inbox?q=alpha")])),
        ("GET", "/console/v1/inbox/settings", Own(vec![c(ba, "/console/v1/inbox/settings"), c(bg, "/console/v1/inbox/settings")])),
        ("PUT", "/console/v1/inbox/settings", Own(vec![cb(ba, "/console/v1/inbox/settings", json!({"reopen_to": "agent"}))])),
        ("GET", "/console/v1/failed-sends", Own(vec![c(ba, "/console/v1/failed-sends")])),
        ("GET", "/console/v1/catalog", Own(vec![c(ba, "/console/v1/catalog")])),
        ("POST", "/console/v1/catalog/products", Own(vec![cb(ba, "/console/v1/catalog/products", json!({"retailer_id": "bravo-1", "name": "Bravo", "price": 100, "currency": "EUR"}))])),
        ("POST", "/console/v1/catalog/import", Own(vec![cb(ba, "/console/v1/catalog/import", json!({"csv": "id,title,price\nbravo-2,Bravo,1.00 EUR\n"}))])),
        ("GET", "/console/v1/orders", Own(vec![c(ba, "/console/v1/orders")])),
        ("GET", "/console/v1/labels", Own(vec![c(ba, "/console/v1/labels")])),
        ("POST", "/console/v1/labels", Own(vec![cb(ba, "/console/v1/labels", json!({"name": "bravo-2", "color": "#00aa00"}))])),
        ("GET", "/console/v1/quick-replies", Own(vec![c(ba, "/console/v1/quick-replies")])),
        ("POST", "/console/v1/quick-replies", Own(vec![cb(ba, "/console/v1/quick-replies", json!({"shortcut": "bravo-q", "body": "bravo"}))])),
        ("GET", "/console/v1/audit", Own(vec![c(ba, "/console/v1/audit")])),
        ("GET", "/console/v1/sign-in-alerts", Own(vec![c(ba, "/console/v1/sign-in-alerts")])),
        ("PATCH", "/console/v1/chats/{chat_id}", Foreign(vec![cb(ba, format!("/console/v1/chats/{chat}"), json!({"state": "resolved"})),
            cb(bg, format!("/console/v1/chats/{chat}"), json!({"assignee_id": w.b_agent.id}))])),
        ("GET", "/console/v1/chats/{chat_id}/messages", Foreign(vec![c(ba, format!("/console/v1/chats/{chat}/messages")), c(ba, format!("/console/v1/chats/{group}/messages"))])),
        ("POST", "/console/v1/chats/{chat_id}/messages", Foreign(vec![cb(ba, format!("/console/v1/chats/{chat}/messages"), json!({"type": "text", "text": {"body": "x"}}))])),
        ("POST", "/console/v1/chats/{chat_id}/read", Foreign(vec![c(ba, format!("/console/v1/chats/{chat}/read"))])),
        ("GET", "/console/v1/chats/{chat_id}/notes", Foreign(vec![c(ba, format!("/console/v1/chats/{chat}/notes"))])),
        ("POST", "/console/v1/chats/{chat_id}/notes", Mixed(vec![cb(ba, format!("/console/v1/chats/{chat}/notes"), json!({"body": "x"}))],
            // A mention of A's agent by name in B's own chat mentions no one (A's agent's id is a secret).
            vec![cb(ba, format!("/console/v1/chats/{bchat}/notes"), json!({"body": "@alphaboss please look"}))])),
        ("GET", "/console/v1/chats/{chat_id}/compose", Foreign(vec![c(ba, format!("/console/v1/chats/{chat}/compose"))])),
        ("POST", "/console/v1/chats/{chat_id}/media", Foreign(vec![c(ba, format!("/console/v1/chats/{chat}/media"))])),
        ("POST", "/console/v1/chats/{chat_id}/template", Foreign(vec![cb(ba, format!("/console/v1/chats/{chat}/template"), json!({"name": "alpha_notice", "language": {"code": "en_US"}})),
            cb(ba, format!("/console/v1/chats/{bchat}/template"), json!({"name": "alpha_notice", "language": {"code": "en_US"}}))])),
        ("POST", "/console/v1/chats/{chat_id}/payment-request", Foreign(vec![cb(ba, format!("/console/v1/chats/{chat}/payment-request"), json!({"cart_message_id": w.order})),
            cb(ba, format!("/console/v1/chats/{chat}/payment-request"), json!({"items": [{"retailer_id": "bravo-1", "quantity": 1}]})),
            cb(ba, format!("/console/v1/chats/{bchat}/payment-request"), json!({"cart_message_id": x.cart}))])),
        ("GET", "/console/v1/carts", Own(vec![c(ba, "/console/v1/carts"), c(bg, "/console/v1/carts")])),
        ("PUT", "/console/v1/chats/{chat_id}/labels/{label_id}", Foreign(chat_label("labels"))),
        ("DELETE", "/console/v1/chats/{chat_id}/labels/{label_id}", Foreign(chat_label("labels"))),
        ("PUT", "/console/v1/chats/{chat_id}/contact-labels/{label_id}", Foreign(chat_label("contact-labels"))),
        ("DELETE", "/console/v1/chats/{chat_id}/contact-labels/{label_id}", Foreign(chat_label("contact-labels"))),
        ("GET", "/console/v1/chats/{chat_id}/customer", Foreign(vec![c(ba, format!("/console/v1/chats/{chat}/customer"))])),
        ("GET", "/console/v1/media/{id}", Foreign(vec![c(ba, format!("/console/v1/media/{}", w.chat_media)), c(ba, format!("/console/v1/media/{}", w.media)),
            c(ba, format!("/console/v1/media/{}", w.group_media))])),
        ("PATCH", "/console/v1/catalog/products/{id}", Foreign(vec![cb(ba, format!("/console/v1/catalog/products/{}", w.product), json!({"name": "bravo"}))])),
        ("DELETE", "/console/v1/catalog/products/{id}", Foreign(vec![c(ba, format!("/console/v1/catalog/products/{}", w.product))])),
        ("DELETE", "/console/v1/labels/{id}", Foreign(vec![c(ba, format!("/console/v1/labels/{label}"))])),
        ("DELETE", "/console/v1/quick-replies/{id}", Foreign(vec![c(ba, format!("/console/v1/quick-replies/{}", w.reply))])),
        ("GET", "/console/v1/numbers/{id}/automations", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/automations"))])),
        ("PUT", "/console/v1/numbers/{id}/automations", Foreign(vec![cb(ba, format!("/console/v1/numbers/{pn}/automations"), json!({"holidays": []}))])),
        ("GET", "/console/v1/numbers/{id}/qr", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/qr"))])),
        ("POST", "/console/v1/numbers/{id}/qr", Foreign(vec![cb(ba, format!("/console/v1/numbers/{pn}/qr"), json!({"prefilled_message": "bravo"}))])),
        ("DELETE", "/console/v1/numbers/{id}/qr/{code}", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/qr/{}", w.qr)), c(ba, format!("/console/v1/numbers/{bpn}/qr/{}", w.qr))])),
        ("PATCH", "/console/v1/agents/{id}", Foreign(vec![cb(ba, format!("/console/v1/agents/{}", w.a_admin.id), json!({"active": false}))])),
        ("GET", "/console/v1/apps", Own(vec![c(ba, "/console/v1/apps")])),
        ("POST", "/console/v1/apps", Own(vec![cb(ba, "/console/v1/apps", json!({"webhook_url": format!("{}?tenant=bravo", w.b.hooks.url), "verify_token": "verify-me"}))])),
        ("PATCH", "/console/v1/apps/{id}", Foreign(vec![cb(ba, format!("/console/v1/apps/{}", w.a.app_id), json!({"webhook_url": "https://x.example/"}))])),
        ("GET", "/console/v1/templates", Own(vec![c(ba, "/console/v1/templates")])),
        ("POST", "/console/v1/templates", Own(vec![cb(ba, "/console/v1/templates", template.clone())])),
        ("GET", "/console/v1/numbers/{id}/profile", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/profile"))])),
        ("PUT", "/console/v1/numbers/{id}/profile", Foreign(vec![cb(ba, format!("/console/v1/numbers/{pn}/profile"), json!({"about": "bravo"}))])),
        ("GET", "/console/v1/numbers/{id}/photo", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/photo"))])),
        ("POST", "/console/v1/numbers/{id}/photo", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/photo"))])),
        ("GET", "/console/v1/numbers/{id}/commerce", Foreign(vec![c(ba, format!("/console/v1/numbers/{pn}/commerce"))])),
        ("PUT", "/console/v1/numbers/{id}/commerce", Foreign(vec![cb(ba, format!("/console/v1/numbers/{pn}/commerce"), json!({"is_cart_enabled": false}))])),
        ("POST", "/console/v1/catalog/images", Own(vec![c(ba, "/console/v1/catalog/images")])),
        ("GET", "/catalog/images/{id}", Allowed(PUBLIC_PAGE)),
        ("GET", "/console/v1/sticker-packs", Own(vec![c(ba, "/console/v1/sticker-packs"), c(bg, "/console/v1/sticker-packs")])),
        ("POST", "/console/v1/sticker-packs", Own(vec![c(ba, "/console/v1/sticker-packs")])),
        ("DELETE", "/console/v1/sticker-packs/{id}", Foreign(vec![c(ba, format!("/console/v1/sticker-packs/{}", x.pack))])),
        // The admin API: tokens that are not the operator's, A's ids.
        ("GET", "/admin/v1/businesses", Foreign(not_operator("/admin/v1/businesses".into(), Value::Null))),
        ("POST", "/admin/v1/businesses", Foreign(not_operator("/admin/v1/businesses".into(), json!({"name": "bravo"})))),
        ("GET", "/admin/v1/businesses/{id}/phone-numbers", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/phone-numbers"), Value::Null))),
        ("GET", "/admin/v1/businesses/{id}/apps", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/apps"), Value::Null))),
        ("POST", "/admin/v1/phone-numbers", Foreign(not_operator("/admin/v1/phone-numbers".into(), json!({"waba_id": waba, "number": "+16505558199", "verified_name": "x"})))),
        ("GET", "/admin/v1/phone-numbers/{id}/ledger", Foreign(not_operator(format!("/admin/v1/phone-numbers/{pn}/ledger"), Value::Null))),
        ("POST", "/admin/v1/apps", Foreign(not_operator("/admin/v1/apps".into(), json!({"waba_id": waba, "webhook_url": "https://x.example/", "verify_token": "x"})))),
        ("POST", "/admin/v1/tokens", Foreign(not_operator("/admin/v1/tokens".into(), json!({"waba_id": waba})))),
        ("DELETE", "/admin/v1/tokens/{id}", Foreign(not_operator("/admin/v1/tokens/1".into(), Value::Null))),
        ("POST", "/admin/v1/persons", Foreign(not_operator("/admin/v1/persons".into(), json!({"phone": "+447911128199", "name": "x"})))),
        ("POST", "/admin/v1/persons/{wa_id}/messages", Foreign(not_operator(format!("/admin/v1/persons/{}/messages", w.p.wa_id), json!({"to": w.a.wa_id, "text": "x"})))),
        ("POST", "/admin/v1/templates/{id}/review", Foreign(not_operator(format!("/admin/v1/templates/{}/review", w.template), json!({"status": "APPROVED"})))),
        ("POST", "/admin/v1/businesses/{id}/auto-approve", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/auto-approve"), json!({"enabled": true})))),
        ("GET", "/admin/v1/businesses/{id}/agents", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/agents"), Value::Null))),
        ("POST", "/admin/v1/businesses/{id}/agents", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/agents"), json!({"email": "x@bravo.example", "name": "x", "role": "admin"})))),
        ("GET", "/admin/v1/businesses/{id}/labels", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/labels"), Value::Null))),
        ("POST", "/admin/v1/businesses/{id}/labels", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/labels"), json!({"name": "x", "color": "#000000"})))),
        ("DELETE", "/admin/v1/businesses/{id}/labels/{label}", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/labels/{label}"), Value::Null))),
        ("GET", "/admin/v1/businesses/{id}/contacts/{wa_id}/labels", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/contacts/{}/labels", w.p.wa_id), Value::Null))),
        ("PUT", "/admin/v1/businesses/{id}/contacts/{wa_id}/labels/{label}", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/contacts/{}/labels/{label}", w.p.wa_id), Value::Null))),
        ("DELETE", "/admin/v1/businesses/{id}/contacts/{wa_id}/labels/{label}", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/contacts/{}/labels/{label}", w.p.wa_id), Value::Null))),
        ("GET", "/admin/v1/businesses/{id}/quick-replies", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/quick-replies"), Value::Null))),
        ("POST", "/admin/v1/businesses/{id}/quick-replies", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/quick-replies"), json!({"shortcut": "x", "body": "x"})))),
        ("DELETE", "/admin/v1/businesses/{id}/quick-replies/{reply}", Foreign(not_operator(format!("/admin/v1/businesses/{waba}/quick-replies/{}", w.reply), Value::Null))),
        ("GET", "/admin/v1/phone-numbers/{id}/automations", Foreign(not_operator(format!("/admin/v1/phone-numbers/{pn}/automations"), Value::Null))),
        ("PUT", "/admin/v1/phone-numbers/{id}/automations", Foreign(not_operator(format!("/admin/v1/phone-numbers/{pn}/automations"), json!({"holidays": []})))),
        ("GET", "/admin/v1/phone-numbers/{id}/qr-codes", Foreign(not_operator(format!("/admin/v1/phone-numbers/{pn}/qr-codes"), Value::Null))),
        ("GET", "/admin/v1/apps/{id}/deliveries", Foreign(not_operator(format!("/admin/v1/apps/{}/deliveries", w.a.app_id), Value::Null))),
        ("POST", "/admin/v1/apps/{id}/deliveries/{delivery_id}/redeliver", Foreign(not_operator(format!("/admin/v1/apps/{}/deliveries/{}/redeliver", w.a.app_id, w.delivery), Value::Null))),
        ("GET", "/admin/v1/audit", Foreign(not_operator(format!("/admin/v1/audit?waba_id={waba}"), Value::Null))),
        // Public pages and operations.
        ("GET", "/message/{code}", Allowed(PUBLIC_PAGE)),
        ("GET", "/message/{code}/open", Allowed(PUBLIC_PAGE)),
        ("GET", "/qr/{file}", Allowed(PUBLIC_PAGE)),
        ("GET", "/stickers/{pack_id}", Allowed(PUBLIC_PAGE)),
        ("GET", "/stickers/{pack_id}/{file}", Allowed(PUBLIC_PAGE)),
        ("GET", "/c/{digits}", Allowed(PUBLIC_PAGE)),
        ("GET", "/c/{digits}/qr.svg", Allowed(PUBLIC_PAGE)),
        ("GET", "/c/{digits}/p/{retailer_id}", Allowed(PUBLIC_PAGE)),
        ("GET", "/c/{digits}/p/{retailer_id}/qr.svg", Allowed(PUBLIC_PAGE)),
        ("GET", "/openapi.json", Allowed(OPS)),
        ("GET", "/healthz", Allowed(OPS)),
        ("GET", "/readyz", Allowed(OPS)),
        ("GET", "/metrics", Allowed(OPS)),
    ];
    all.extend(tenancy::ads_cases::cases(w));
    all.extend(tenancy::billing_cases::cases(w));
    all.extend(tenancy::calls_cases::cases(w));
    all.extend(tenancy::status_cases::cases(w));
    all
}

/// Whether an answer is its surface's refusal of something that is not the caller's.
fn refused(surface: Surface, status: u16, body: &Value) -> bool {
    match surface {
        Surface::CloudApi => {
            // Graph's "does not exist" (code 100, subcode 33), not some other complaint about
            // the request: the check must be what refused it.
            let e = &body["error"];
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            let unknown = e["error_subcode"] == 33
                || text(&e["message"]).contains("does not exist")
                || text(&e["error_data"]["details"]).starts_with("no ");
            matches!(status, 403 | 404) || (status == 400 && e["code"] == 100 && unknown)
        }
        Surface::Client | Surface::Console => {
            matches!(status, 403 | 404)
                && matches!(
                    body["error"]["code"].as_str(),
                    Some("not_found" | "forbidden")
                )
        }
        Surface::Admin => status == 401 && body["error"]["code"] == "unauthorized",
        Surface::Public => false,
    }
}

#[tokio::test]
async fn every_route_refuses_another_tenants_credentials_and_ids() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        let w = World::build(&s).await;
        let table = route_table();
        let cases = cases(&w);

        // The cases and the routes match one to one.
        let routes: BTreeSet<(String, String)> = table
            .iter()
            .map(|r| (r.method.clone(), r.path.clone()))
            .collect();
        let covered: BTreeSet<(String, String)> = cases
            .iter()
            .map(|(m, p, _)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(covered.len(), cases.len(), "a route has two cases");
        let missing: Vec<_> = routes.difference(&covered).collect();
        assert!(missing.is_empty(), "routes without a tenancy case (add one to crates/testkit/tests/trust_tenancy.rs): {missing:#?}");
        let stale: Vec<_> = covered.difference(&routes).collect();
        assert!(
            stale.is_empty(),
            "cases for routes that no longer exist: {stale:#?}"
        );

        let secrets = w.secrets();
        let before = w.snapshot().await;
        let mut last = vec![];
        let mut calls = 0;
        let mut allowed = vec![];
        let dump = std::env::var_os("WASLA_TENANCY_DUMP").is_some();
        for (method, path, kind) in cases {
            let route = table
                .iter()
                .find(|r| r.method == method && r.path == path)
                .unwrap();
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let todo: Vec<(bool, Call)> = match kind {
                Kind::Foreign(list) => list.into_iter().map(|c| (true, c)).collect(),
                Kind::Own(list) => list.into_iter().map(|c| (false, c)).collect(),
                Kind::Mixed(foreign, own) => {
                    let foreign = foreign.into_iter().map(|c| (true, c));
                    foreign.chain(own.into_iter().map(|c| (false, c))).collect()
                }
                Kind::OwnLast(list) => {
                    last.push((route.surface, m, list));
                    continue;
                }
                Kind::Allowed(why) => {
                    assert!(!why.is_empty());
                    allowed.push(format!("{method} {path}: {why}"));
                    continue;
                }
            };
            for (foreign, call) in todo {
                let (status, text) = w
                    .call(&call.token, m.clone(), &call.path, call.body.as_ref())
                    .await;
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let what = format!("{method} {} ({path})", call.path);
                if dump {
                    eprintln!("{what} → {status} {text}");
                }
                if foreign {
                    assert!(
                        refused(route.surface, status, &body),
                        "{what} was not refused: {status} {text}"
                    );
                } else {
                    assert!(status < 500, "{what}: {status} {text}");
                }
                assert!(
                    !leaks(&text, &call, &secrets),
                    "{what} shows tenant A's data: {text}"
                );
                calls += 1;
            }
            if m != Method::GET {
                same(&before, &w.snapshot().await, &format!("{method} {path}"));
            }
        }
        for (_, m, list) in last {
            for call in list {
                let (status, text) = w
                    .call(&call.token, m.clone(), &call.path, call.body.as_ref())
                    .await;
                assert!(
                    status < 500 && !leaks(&text, &call, &secrets),
                    "{} {status} {text}",
                    call.path
                );
                calls += 1;
            }
        }
        same(&before, &w.snapshot().await, "the end");
        eprintln!(
            "{calls} calls over {} routes refused or scoped on {db:?}; not tenant-scoped:\n  {}",
            table.len(),
            allowed.join("\n  ")
        );
    }
}

/// Whether an answer shows any of A's texts, beyond echoing words of the request itself
/// (a template name B guessed, say), or any of A's `secrets` (ids B is never shown) that the
/// request did not name.
fn leaks(text: &str, call: &Call, secrets: &[String]) -> bool {
    let mut answer = text.to_lowercase();
    let request = format!(
        "{} {}",
        call.path,
        call.body.as_ref().map(Value::to_string).unwrap_or_default()
    );
    let asked = request.to_lowercase();
    for word in asked.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
        if word.contains(MARKER) {
            answer = answer.replace(word, "");
        }
    }
    answer.contains(MARKER)
        || secrets
            .iter()
            .any(|s| !request.contains(s.as_str()) && text.contains(s.as_str()))
}

/// A's things read the same as `before`.
fn same(before: &[(String, Value)], now: &[(String, Value)], after: &str) {
    for ((path, a), (_, b)) in before.iter().zip(now) {
        assert_eq!(a, b, "{path} changed after {after}");
    }
}
