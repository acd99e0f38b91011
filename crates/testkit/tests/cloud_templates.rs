//! Templates: created through the Cloud API, reviewed by the operator (or approved
//! automatically), announced by `message_template_status_update` webhooks, and sent with
//! parameters outside the 24-hour window, arriving rendered exactly as composed.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::TestServer;

fn order_template() -> serde_json::Value {
    json!({"name": "order_update", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["42"]}},
        {"type": "BODY", "text": "Hi {{1}}, your order of {{2}} ships {{3}}.", "example": {"body_text": [["Ada", "$10.00", "today"]]}},
        {"type": "FOOTER", "text": "Reply STOP to opt out"},
        {"type": "BUTTONS", "buttons": [
            {"type": "QUICK_REPLY", "text": "Stop updates"},
            {"type": "URL", "text": "Track", "url": "https://acme.example/track/{{1}}", "example": ["42"]},
            {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+16505551234"}]}]})
}

#[tokio::test]
async fn templates_are_reviewed_then_sent_rendered() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let templates = format!("/v23.0/{}/message_templates", shop.waba_id);

    let (status, created) = shop
        .api(Method::POST, &templates, Some(order_template()))
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        (created["status"].as_str(), created["category"].as_str()),
        (Some("PENDING"), Some("UTILITY"))
    );
    let id = created["id"].as_str().unwrap().to_string();
    let (status, dup) = shop
        .api(Method::POST, &templates, Some(order_template()))
        .await;
    assert_eq!((status, dup["error"]["code"].as_i64()), (400, Some(100)));

    // The listing has what SDKs need, summary included.
    let (_, list) = shop.api(Method::GET, &format!("{templates}?summary=total_count,message_template_count,message_template_limit,are_translations_complete&limit=10"), None).await;
    assert_eq!(list["data"][0]["name"], "order_update");
    assert_eq!(list["data"][0]["parameter_format"], "POSITIONAL");
    assert_eq!(list["summary"]["total_count"], 1);
    assert_eq!(list["summary"]["message_template_limit"], 250);
    assert!(list["paging"]["cursors"]["after"].is_string());
    let (_, one) = shop.api(Method::GET, &format!("/v23.0/{id}"), None).await;
    assert_eq!(one["components"][1]["type"], "BODY");

    let send = |params: serde_json::Value| json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "template", "template": {"name": "order_update", "language": {"code": "en_US"}, "components": params}});
    let good = json!([
        {"type": "header", "parameters": [{"type": "text", "text": "42"}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Ada"}, {"type": "currency", "currency": {"fallback_value": "$10.00", "code": "USD", "amount_1000": 10000}}, {"type": "date_time", "date_time": {"fallback_value": "today"}}]},
        {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "STOP-42"}]},
        {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "42"}]}]);
    // Not approved yet.
    let (status, err) = shop.send(send(good.clone())).await;
    assert_eq!(
        (status, err["error"]["code"].as_i64()),
        (404, Some(132001)),
        "{err}"
    );

    let (status, reviewed) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/templates/{id}/review"),
            Some(json!({"status": "APPROVED"})),
        )
        .await;
    assert_eq!(
        (status, reviewed["status"].as_str()),
        (200, Some("APPROVED"))
    );
    let update = shop
        .hooks
        .wait_for("template approval", 10, |v| v["event"] == "APPROVED")
        .await;
    assert_eq!(update["message_template_id"], id.parse::<i64>().unwrap());
    assert_eq!(update["message_template_name"], "order_update");
    assert_eq!(
        update["metadata"]["phone_number_id"],
        shop.phone_number_id.as_str()
    );

    // Wrong parameter counts are refused before acceptance.
    let (status, err) = shop
        .send(send(
            json!([{"type": "body", "parameters": [{"type": "text", "text": "Ada"}]}]),
        ))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_i64()),
        (400, Some(132000)),
        "{err}"
    );

    // Ada never wrote to Acme: templates are allowed anyway.
    let mut ws = ada.ws(0).await;
    let (status, r) = shop.send(send(good)).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["messages"][0]["message_status"], "accepted");
    let wamid = r["messages"][0]["id"].as_str().unwrap().to_string();
    let got = ws.expect_event("message").await;
    let rendered = &got["message"]["template"]["rendered"];
    assert_eq!(rendered["header"]["text"], "Order 42");
    assert_eq!(
        rendered["body"],
        "Hi Ada, your order of $10.00 ships today."
    );
    assert_eq!(rendered["footer"], "Reply STOP to opt out");
    assert_eq!(rendered["buttons"][0]["payload"], "STOP-42");
    assert_eq!(
        rendered["buttons"][1]["url"],
        "https://acme.example/track/42"
    );
    assert_eq!(rendered["buttons"][2]["phone_number"], "+16505551234");
    let st = shop.hooks.status(&wamid, "sent").await;
    assert_eq!(st["pricing"]["category"], "utility");
    assert_eq!(
        st["pricing"]["billable"], true,
        "utility outside the window is charged"
    );

    // Ada taps the quick reply: the business gets a button message quoting the template.
    let chat = got["message"]["chat_id"].as_str().unwrap().to_string();
    ada.post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "button", "context": {"message_id": wamid}, "button": {"payload": "STOP-42", "text": "Stop updates"}}))
        .await
        .unwrap();
    let v = shop
        .hooks
        .wait_for("button tap", 10, |v| v["messages"][0]["type"] == "button")
        .await;
    assert_eq!(v["messages"][0]["button"]["payload"], "STOP-42");
    assert_eq!(v["messages"][0]["context"]["id"], wamid.as_str());

    // Editing sends it back to review; deleting by name removes it.
    let (status, _) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{id}"),
            Some(json!({"components": [{"type": "BODY", "text": "Hello {{1}}"}]})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, one) = shop.api(Method::GET, &format!("/v23.0/{id}"), None).await;
    assert_eq!(one["status"], "PENDING");
    let (status, _) = shop
        .api(
            Method::DELETE,
            &format!("{templates}?name=order_update"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (_, list) = shop.api(Method::GET, &templates, None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    assert_eq!(shop.hooks.rejected(), 0);
}

#[tokio::test]
async fn template_rules_tenancy_and_auto_approval() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let other = s.business("Other", "+1 650 555 9876").await;
    let templates = format!("/v23.0/{}/message_templates", shop.waba_id);
    let bad = [
        json!({"name": "ok", "language": "en_US", "category": "UTILITY", "components": [1]}),
        json!({"name": "ok", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "x"}, {"type": "BUTTONS", "buttons": [[null]]}]}),
        json!({"name": "Bad Name", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "x"}]}),
        json!({"name": "ok", "language": "en_US", "category": "SPAM", "components": [{"type": "BODY", "text": "x"}]}),
        json!({"name": "ok", "language": "en_US", "category": "UTILITY", "components": [{"type": "FOOTER", "text": "x"}]}),
        json!({"name": "ok", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "Hi {{2}}"}]}),
        json!({"name": "ok", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "x".repeat(1025)}]}),
        json!({"name": "ok", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "x"}, {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Go", "url": "ftp://x"}]}]}),
    ];
    for b in bad {
        let (status, err) = shop.api(Method::POST, &templates, Some(b.clone())).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(100)),
            "{b} → {err}"
        );
    }
    // Another business cannot see or touch these templates.
    let (_, t) = shop.api(Method::POST, &templates, Some(json!({"name": "hello", "language": "en", "category": "MARKETING", "components": [{"type": "BODY", "text": "Hello!"}]}))).await;
    let id = t["id"].as_str().unwrap();
    for (method, path) in [
        (Method::GET, templates.clone()),
        (Method::GET, format!("/v23.0/{id}")),
        (Method::POST, format!("/v23.0/{id}")),
        (Method::DELETE, format!("{templates}?name=hello")),
    ] {
        let body = (method == Method::POST).then(|| json!({"category": "UTILITY"}));
        let (status, err) = other.api(method.clone(), &path, body).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(100)),
            "{method} {path}: {err}"
        );
    }
    let (_, list) = shop.api(Method::GET, &templates, None).await;
    assert_eq!(list["data"][0]["category"], "MARKETING", "unchanged");

    // With automatic approval, new templates are approved at once.
    let (status, _) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/businesses/{}/auto-approve", shop.waba_id),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, t) = shop.api(Method::POST, &templates, Some(json!({"name": "welcome", "language": "en", "category": "UTILITY", "parameter_format": "NAMED", "components": [{"type": "BODY", "text": "Welcome {{first_name}}"}]}))).await;
    assert_eq!(t["status"], "APPROVED");
    shop.hooks
        .wait_for("auto approval", 10, |v| {
            v["event"] == "APPROVED" && v["message_template_name"] == "welcome"
        })
        .await;
    // Rejections carry a reason.
    let (_, r) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/templates/{id}/review"),
            Some(json!({"status": "REJECTED", "reason": "PROMOTIONAL"})),
        )
        .await;
    assert_eq!(r["rejected_reason"], "PROMOTIONAL");
    shop.hooks
        .wait_for("rejection", 10, |v| {
            v["event"] == "REJECTED" && v["reason"] == "PROMOTIONAL"
        })
        .await;
}
