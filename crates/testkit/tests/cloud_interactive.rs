//! Interactive messages: a business sends reply buttons, lists, a call-to-action URL and a
//! location request; the person's answers come back as `interactive` and `location` webhooks
//! quoting the message they answer. Limits are enforced with Graph errors.

use serde_json::json;
use wasla_testkit::TestServer;

#[tokio::test]
async fn buttons_lists_links_and_location_requests_round_trip() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "I need a repair").await;
    let mut ws = ada.ws(0).await;
    ws.drain(200).await;

    let send = |interactive: serde_json::Value| {
        let shop = &shop;
        let to = ada.wa_id.clone();
        async move {
            shop.send(json!({"messaging_product": "whatsapp", "to": to, "type": "interactive", "interactive": interactive})).await
        }
    };
    let (status, r) = send(json!({"type": "button", "header": {"type": "text", "text": "Repair"}, "body": {"text": "When suits you?"},
        "footer": {"text": "Acme"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "today", "title": "Today"}},
        {"type": "reply", "reply": {"id": "tomorrow", "title": "Tomorrow"}}]}}))
    .await;
    assert_eq!(status, 200, "{r}");
    let buttons_id = r["messages"][0]["id"].as_str().unwrap().to_string();
    let got = ws.expect_event("message").await;
    assert_eq!(
        got["message"]["interactive"]["action"]["buttons"][1]["reply"]["title"],
        "Tomorrow"
    );

    // Ada taps "Tomorrow": the business gets an interactive button_reply quoting its message.
    let reply = ada
        .post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "interactive", "context": {"message_id": buttons_id},
            "interactive": {"type": "button_reply", "button_reply": {"id": "tomorrow", "title": "Tomorrow"}}}))
        .await
        .unwrap();
    let v = shop
        .hooks
        .wait_for("button reply", 10, |v| {
            v["messages"][0]["type"] == "interactive"
        })
        .await;
    assert_eq!(v["messages"][0]["interactive"]["type"], "button_reply");
    assert_eq!(
        v["messages"][0]["interactive"]["button_reply"]["id"],
        "tomorrow"
    );
    assert_eq!(v["messages"][0]["context"]["id"], buttons_id.as_str());
    assert_eq!(v["messages"][0]["id"], reply["id"]);
    // An option the message did not offer is refused.
    let (status, _) = ada
        .post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "interactive", "context": {"message_id": buttons_id},
            "interactive": {"type": "button_reply", "button_reply": {"id": "never", "title": "Never"}}}))
        .await
        .unwrap_err();
    assert_eq!(status, 400);

    let (status, r) = send(json!({"type": "list", "body": {"text": "Pick a service"}, "action": {"button": "Services", "sections": [
        {"title": "Laptops", "rows": [{"id": "screen", "title": "Screen", "description": "Replace a cracked screen"}, {"id": "battery", "title": "Battery"}]},
        {"title": "Phones", "rows": [{"id": "glass", "title": "Back glass"}]}]}}))
    .await;
    assert_eq!(status, 200, "{r}");
    let list_id = r["messages"][0]["id"].as_str().unwrap().to_string();
    ada.post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "interactive", "context": {"message_id": list_id},
        "interactive": {"type": "list_reply", "list_reply": {"id": "battery", "title": "Battery"}}}))
        .await
        .unwrap();
    let v = shop
        .hooks
        .wait_for("list reply", 10, |v| {
            v["messages"][0]["interactive"]["type"] == "list_reply"
        })
        .await;
    assert_eq!(
        v["messages"][0]["interactive"]["list_reply"]["id"],
        "battery"
    );

    let (status, r) = send(json!({"type": "cta_url", "body": {"text": "Track your repair"},
        "action": {"name": "cta_url", "parameters": {"display_text": "Track", "url": "https://acme.example/track/42"}}}))
    .await;
    assert_eq!(status, 200, "{r}");
    let (status, r) = send(json!({"type": "location_request_message", "body": {"text": "Where should we pick it up?"}, "action": {"name": "send_location"}})).await;
    assert_eq!(status, 200, "{r}");
    let ask = r["messages"][0]["id"].as_str().unwrap().to_string();
    ada.post(
        &format!("/client/v1/chats/{chat}/messages"),
        json!({"type": "location", "context": {"message_id": ask},
        "location": {"latitude": 51.5072, "longitude": -0.1276, "name": "Home"}}),
    )
    .await
    .unwrap();
    let v = shop
        .hooks
        .wait_for("location", 10, |v| v["messages"][0]["type"] == "location")
        .await;
    assert_eq!(v["messages"][0]["location"]["latitude"], 51.5072);
    assert_eq!(v["messages"][0]["context"]["id"], ask.as_str());
    assert_eq!(shop.hooks.rejected(), 0);
}

#[tokio::test]
async fn interactive_limits_are_enforced() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let button =
        |id: &str, title: &str| json!({"type": "reply", "reply": {"id": id, "title": title}});
    let bad = [
        json!({"type": "button", "body": {"text": "x"}, "action": {"buttons": []}}),
        json!({"type": "button", "body": {"text": "x"}, "action": {"buttons": [button("a", "A"), button("b", "B"), button("c", "C"), button("d", "D")]}}),
        json!({"type": "button", "body": {"text": "x"}, "action": {"buttons": [button("a", "This title is far too long")]}}),
        json!({"type": "button", "body": {"text": "x"}, "action": {"buttons": [button("a", "A"), button("a", "B")]}}),
        json!({"type": "button", "action": {"buttons": [button("a", "A")]}}),
        json!({"type": "button", "header": {"type": "text", "text": "h".repeat(61)}, "body": {"text": "x"}, "action": {"buttons": [button("a", "A")]}}),
        json!({"type": "list", "body": {"text": "x"}, "action": {"button": "Go", "sections": [{"rows": (0..11).map(|i| json!({"id": i.to_string(), "title": "t"})).collect::<Vec<_>>()}]}}),
        json!({"type": "list", "body": {"text": "x"}, "action": {"button": "Go", "sections": [{"rows": [{"id": "1", "title": "t"}]}, {"rows": [{"id": "2", "title": "u"}]}]}}),
        json!({"type": "cta_url", "body": {"text": "x"}, "action": {"name": "cta_url", "parameters": {"display_text": "Go", "url": "javascript:alert(1)"}}}),
        json!({"type": "location_request_message", "body": {"text": "x"}, "action": {"name": "nope"}}),
    ];
    for i in bad {
        let (status, err) = shop.send(json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "interactive", "interactive": i.clone()})).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(131009)),
            "{i} → {err}"
        );
    }
    // People cannot send business-only content.
    let (status, _) = ada
        .post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "interactive", "interactive": {"type": "button", "body": {"text": "x"}, "action": {"buttons": [button("a", "A")]}}}))
        .await
        .unwrap_err();
    assert_eq!(status, 400);
    let page = ada
        .get(&format!("/client/v1/chats/{chat}/messages"))
        .await
        .unwrap();
    assert_eq!(
        page["data"].as_array().unwrap().len(),
        1,
        "nothing was stored"
    );
}
