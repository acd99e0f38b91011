//! The Cloud API's messages endpoint end to end: a person writes to a business number and the
//! business's receiver gets a signed webhook; the business answers within the 24-hour window
//! and gets sent / delivered / read statuses with pricing; sends outside the window or to
//! unknown numbers fail asynchronously; read marks and typing reach the person.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn inbound_messages_and_replies_with_statuses() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme Repairs", "+1 650 555 1234").await;
        let ada = s.register("+44 7911 123401", "Ada Lovelace").await;
        let mut ada_ws = ada.ws(0).await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let sent = ada.send_text(&chat, "My laptop is broken ☹").await;

        let v = shop
            .hooks
            .wait_for("inbound text", 10, |v| v["messages"][0]["type"] == "text")
            .await;
        assert_eq!(
            v["metadata"]["phone_number_id"],
            shop.phone_number_id.as_str()
        );
        assert_eq!(v["metadata"]["display_phone_number"], "16505551234");
        assert_eq!(v["contacts"][0]["wa_id"], ada.wa_id.as_str());
        // Business-scoped user ids: region code, dot, digits (+44 7911 is Guernsey's range).
        assert_eq!(v["contacts"][0]["user_id"], "GG.447911123401");
        assert_eq!(v["contacts"][0]["profile"]["name"], "Ada Lovelace");
        let m = &v["messages"][0];
        assert_eq!(m["id"], sent["id"]);
        assert_eq!(m["from"], ada.wa_id.as_str());
        assert_eq!(m["text"]["body"], "My laptop is broken ☹");
        assert!(m["timestamp"].as_str().unwrap().parse::<i64>().unwrap() > 1_700_000_000);
        assert_eq!(shop.hooks.payloads().len(), 1);

        // The business answers as a reply; the person's device gets it at once.
        let (status, r) = shop
            .send(json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": format!("+{}", ada.wa_id), "type": "text",
                "text": {"body": "We can fix it today", "preview_url": false}, "context": {"message_id": sent["id"]},
                "biz_opaque_callback_data": "ticket-42"}))
            .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["messaging_product"], "whatsapp");
        assert_eq!(r["contacts"][0]["input"], format!("+{}", ada.wa_id));
        assert_eq!(r["contacts"][0]["wa_id"], ada.wa_id.as_str());
        let wamid = r["messages"][0]["id"].as_str().unwrap().to_string();
        let got = ada_ws
            .expect("business reply", |f| {
                f["event"]["message"]["id"] == wamid.as_str()
            })
            .await;
        assert_eq!(got["event"]["message"]["context"]["message_id"], sent["id"]);

        let st = shop.hooks.status(&wamid, "sent").await;
        assert_eq!(st["recipient_id"], ada.wa_id.as_str());
        assert_eq!(st["biz_opaque_callback_data"], "ticket-42");
        assert_eq!(st["pricing"]["pricing_model"], "PMP");
        assert_eq!(st["pricing"]["category"], "service");
        assert_eq!(st["pricing"]["type"], "free_customer_service");
        assert_eq!(st["pricing"]["billable"], false);
        assert_eq!(st["conversation"]["origin"]["type"], "service");
        assert!(st["conversation"]["expiration_timestamp"].is_string());

        ada_ws
            .send(json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [wamid]}))
            .await;
        let st = shop.hooks.status(&wamid, "delivered").await;
        assert!(
            st["conversation"]["expiration_timestamp"].is_null(),
            "only the first status carries it"
        );
        ada.post(
            &format!("/client/v1/chats/{chat}/read"),
            json!({"up_to_seq": 2}),
        )
        .await
        .unwrap();
        shop.hooks.status(&wamid, "read").await;
        assert_eq!(shop.hooks.rejected(), 0);

        // A message read before its delivery was acknowledged (a device that only reads, or a
        // read overtaking the delivered receipt): `delivered` still comes, before `read`.
        let second = shop.send_text(&ada.wa_id, "Ready for pickup").await;
        shop.hooks.status(&second, "sent").await;
        ada.post(
            &format!("/client/v1/chats/{chat}/read"),
            json!({"up_to_seq": 3}),
        )
        .await
        .unwrap();
        // Both are queued in one commit, delivered first; webhooks of one round may arrive in
        // any order, as on the Cloud API, so only their presence is checked here.
        let delivered = shop.hooks.status(&second, "delivered").await;
        let read = shop.hooks.status(&second, "read").await;
        assert_eq!(delivered["timestamp"], read["timestamp"]);
        let statuses: Vec<String> = shop
            .hooks
            .payloads()
            .iter()
            .map(wasla_testkit::value_of)
            .filter(|v| v["statuses"][0]["id"] == second.as_str())
            .map(|v| v["statuses"][0]["status"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(statuses.len(), 3, "{statuses:?}");

        // The business marks Ada's message read with a typing indicator.
        let (status, r) = shop
            .send(json!({"messaging_product": "whatsapp", "status": "read", "message_id": sent["id"], "typing_indicator": {"type": "text"}}))
            .await;
        assert_eq!((status, r["success"].as_bool()), (200, Some(true)), "{r}");
        let read = ada_ws
            .expect("read receipt", |f| {
                f["event"]["kind"] == "status" && f["event"]["status"] == "read"
            })
            .await;
        assert_eq!(read["event"]["id"], sent["id"]);
        let typing = ada_ws.expect("typing", |f| f["type"] == "typing").await;
        assert_eq!(typing["wa_id"], shop.wa_id.as_str());
    }
}

#[tokio::test]
async fn sends_outside_the_window_or_to_strangers_fail_asynchronously() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let bob = s.register("+44 7911 123402", "Bob").await;
    let mut bob_ws = bob.ws(0).await;
    bob_ws.drain(100).await;

    // Bob never wrote: free-form messages are refused after acceptance with 131047.
    let wamid = shop.send_text(&bob.wa_id, "Special offer!").await;
    let st = shop.hooks.status(&wamid, "failed").await;
    assert_eq!(st["errors"][0]["code"], 131047);
    assert_eq!(st["errors"][0]["title"], "Re-engagement message");
    assert!(st["pricing"].is_null());
    assert!(
        bob_ws.drain(300).await.iter().all(|f| f["type"] != "event"),
        "the person never sees it"
    );
    assert!(bob.get("/client/v1/chats").await.unwrap()["data"]
        .as_array()
        .unwrap()
        .is_empty());

    // After Bob writes, the window is open for 24 hours.
    let chat = bob.chat_with(&shop.wa_id).await;
    bob.send_text(&chat, "hello").await;
    let ok = shop.send_text(&bob.wa_id, "Hi Bob").await;
    shop.hooks.status(&ok, "sent").await;
    s.clock.advance_ms(24 * 3600 * 1000 + 1000);
    let late = shop.send_text(&bob.wa_id, "Still there?").await;
    assert_eq!(
        shop.hooks.status(&late, "failed").await["errors"][0]["code"],
        131047
    );

    // Numbers nobody has here are accepted, then undeliverable.
    let nobody = shop.send_text("447911123499", "hello?").await;
    assert_eq!(
        shop.hooks.status(&nobody, "failed").await["errors"][0]["code"],
        131026
    );
    assert_eq!(shop.hooks.rejected(), 0);
}

#[tokio::test]
async fn bad_requests_get_graph_errors_and_change_nothing() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let other = s.business("Other", "+1 650 555 9876").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let path = format!("/v23.0/{}/messages", shop.phone_number_id);
    let text = |body: &str| json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "text", "text": {"body": body}});

    let cases = vec![
        ("no token", "", path.clone(), text("x"), 401, 104),
        ("bad token", "nope", path.clone(), text("x"), 401, 190),
        (
            "other tenant's token",
            other.token.as_str(),
            path.clone(),
            text("x"),
            400,
            100,
        ),
        (
            "unknown number",
            shop.token.as_str(),
            "/v23.0/123456/messages".to_string(),
            text("x"),
            400,
            100,
        ),
        (
            "bad version",
            shop.token.as_str(),
            format!("/vX/{}/messages", shop.phone_number_id),
            text("x"),
            400,
            2500,
        ),
        (
            "wrong product",
            shop.token.as_str(),
            path.clone(),
            json!({"messaging_product": "sms", "to": ada.wa_id, "type": "text", "text": {"body": "x"}}),
            400,
            100,
        ),
        (
            "no recipient",
            shop.token.as_str(),
            path.clone(),
            json!({"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}}),
            400,
            100,
        ),
        (
            "bad number",
            shop.token.as_str(),
            path.clone(),
            json!({"messaging_product": "whatsapp", "to": "12", "type": "text", "text": {"body": "x"}}),
            400,
            100,
        ),
        (
            "unknown type",
            shop.token.as_str(),
            path.clone(),
            json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "hologram"}),
            400,
            100,
        ),
        (
            "too long",
            shop.token.as_str(),
            path.clone(),
            text(&"x".repeat(4097)),
            400,
            131009,
        ),
        (
            "to itself",
            shop.token.as_str(),
            path.clone(),
            json!({"messaging_product": "whatsapp", "to": shop.wa_id, "type": "text", "text": {"body": "x"}}),
            400,
            131021,
        ),
        (
            "unknown read",
            shop.token.as_str(),
            path.clone(),
            json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.nope"}),
            400,
            100,
        ),
    ];
    for (what, token, path, body, status, code) in cases {
        let (got, err) = shop.api_as(token, Method::POST, &path, Some(body)).await;
        assert_eq!(
            (got, err["error"]["code"].as_i64()),
            (status, Some(code)),
            "{what}: {err}"
        );
        // A number the token may not see gets Graph's own words (subcode 33, trust_graph.rs).
        let (kind, prefix) = if err["error"]["error_subcode"] == 33 {
            (
                "GraphMethodException",
                "Unsupported post request.".to_string(),
            )
        } else {
            ("OAuthException", format!("(#{code})"))
        };
        assert_eq!(err["error"]["type"], kind, "{what}");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with(&prefix),
            "{what}: {err}"
        );
        assert!(err["error"]["fbtrace_id"].is_string());
    }
    // The same refusal while the shop's number is cached from its own requests above.
    let (got, err) = shop
        .api_as(&other.token, Method::POST, &path, Some(text("x")))
        .await;
    assert_eq!(
        (got, err["error"]["code"].as_i64()),
        (400, Some(100)),
        "{err}"
    );
    // Paths this server does not serve get Graph errors, never the web client's page.
    for (method, p) in [
        (
            Method::POST,
            format!("/v23.0/{}/block_users", shop.phone_number_id),
        ),
        (
            Method::GET,
            format!("/v23.0/{}/nothing_here", shop.phone_number_id),
        ),
        (Method::DELETE, "/whatever".to_string()),
    ] {
        let (status, err) = shop.api(method.clone(), &p, None).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(100)),
            "{method} {p}: {err}"
        );
    }
    // Malformed JSON.
    let r = reqwest::Client::new()
        .post(format!("{}{path}", s.url))
        .bearer_auth(&shop.token)
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        100
    );
    // The access_token query parameter works as well as the header, with or without a version
    // and with a trailing slash.
    for p in [
        format!("/{}/messages/", shop.phone_number_id),
        format!(
            "/v26.0/{}/messages?access_token={}",
            shop.phone_number_id, shop.token
        ),
    ] {
        let (status, r) = shop
            .api_as(
                if p.contains("access_token") {
                    ""
                } else {
                    &shop.token
                },
                Method::POST,
                &p,
                Some(text("ok")),
            )
            .await;
        assert_eq!(status, 200, "{p}: {r}");
    }
    // Nothing reached Ada but the two good sends.
    let page = ada
        .get(&format!("/client/v1/chats/{chat}/messages"))
        .await
        .unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 3);
}
