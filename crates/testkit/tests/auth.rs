//! Sign-in and authorisation: codes, sessions, logout, and one person never reading or acting
//! in another's chats; business tokens and the operator token are not person sessions.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Db, TestServer, Ws};

#[tokio::test]
async fn verification_codes_are_checked_and_limited() {
    let s = TestServer::start().await;
    let http = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        http.post(format!("{}{path}", s.url)).json(&body).send()
    };

    assert_eq!(
        post("/client/v1/auth/code", json!({"phone": "12"}))
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        post("/client/v1/auth/code", json!({}))
            .await
            .unwrap()
            .status(),
        400
    );
    let r = post(
        "/client/v1/auth/code",
        json!({"phone": "+44 (0) 7911 123401"}),
    )
    .await
    .unwrap();
    // "(0)" is a national trunk prefix people write; it must still parse or fail clearly.
    assert!(r.status() == 200 || r.status() == 400);

    let r: serde_json::Value = post("/client/v1/auth/code", json!({"phone": "0044 7911 123406"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["phone"], "+447911123406");
    let code = s.wait_code("+447911123406").await;
    // Asking again at once is refused.
    assert_eq!(
        post("/client/v1/auth/code", json!({"phone": "+447911123406"}))
            .await
            .unwrap()
            .status(),
        429
    );
    // Wrong codes: 401 each; after five the code is burnt.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let r = post(
            "/client/v1/auth/verify",
            json!({"phone": "+447911123406", "code": wrong}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = post(
        "/client/v1/auth/verify",
        json!({"phone": "+447911123406", "code": code}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 401, "a burnt code no longer works");

    // After the resend gap a new code works once.
    s.clock.advance_ms(31_000);
    s.clear_codes();
    post("/client/v1/auth/code", json!({"phone": "+447911123406"}))
        .await
        .unwrap();
    let code = s.wait_code("+447911123406").await;
    let r: serde_json::Value = post(
        "/client/v1/auth/verify",
        json!({"phone": "+447911123406", "code": code}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(r["new_account"], true);
    assert!(r["token"].as_str().unwrap().len() >= 43);
    let r = post(
        "/client/v1/auth/verify",
        json!({"phone": "+447911123406", "code": code}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 401, "codes are single-use");

    // Codes expire after ten minutes.
    s.clock.advance_ms(31_000);
    s.clear_codes();
    post("/client/v1/auth/code", json!({"phone": "+447911123407"}))
        .await
        .unwrap();
    let code = s.wait_code("+447911123407").await;
    s.clock.advance_ms(11 * 60_000);
    let r = post(
        "/client/v1/auth/verify",
        json!({"phone": "+447911123407", "code": code}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn nobody_reads_or_acts_in_chats_they_are_not_in() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let eve = s.register("+44 7911 123405", "Eve").await;
        let chat = ada.chat_with(&bob.wa_id).await;
        let m = ada.send_text(&chat, "private").await;
        let id = m["id"].as_str().unwrap();

        let attempts = [
            (Method::GET, format!("/client/v1/chats/{chat}"), None),
            (
                Method::GET,
                format!("/client/v1/chats/{chat}/messages"),
                None,
            ),
            (
                Method::POST,
                format!("/client/v1/chats/{chat}/messages"),
                Some(json!({"type": "text", "text": {"body": "hi"}})),
            ),
            (
                Method::POST,
                format!("/client/v1/chats/{chat}/read"),
                Some(json!({"up_to_seq": 1})),
            ),
            (
                Method::GET,
                format!("/client/v1/chats/{chat}/messages/{id}/receipts"),
                None,
            ),
            (
                Method::POST,
                format!("/client/v1/chats/{chat}/members"),
                Some(json!({"wa_ids": [eve.wa_id]})),
            ),
            (
                Method::POST,
                format!("/client/v1/chats/{chat}/leave"),
                Some(json!({})),
            ),
        ];
        for (method, path, body) in attempts {
            let (status, err) = eve.call(method.clone(), &path, body).await.unwrap_err();
            assert_eq!(status, 404, "{method} {path}: {err}");
            assert_eq!(err["error"]["code"], "not_found");
        }
        // Over the WebSocket too: errors, and nothing leaks into Eve's stream.
        let mut ws = eve.ws(0).await;
        ws.send(json!({"op": "send", "ref": "1", "chat_id": chat, "type": "text", "text": {"body": "x"}})).await;
        let ack = ws.expect("ack", |f| f["type"] == "ack").await;
        assert_eq!(ack["error"]["code"], "not_found");
        ws.send(json!({"op": "typing", "chat_id": chat, "state": "composing"}))
            .await;
        assert_eq!(
            ws.expect("error", |f| f["type"] == "error").await["error"]["code"],
            "not_found"
        );
        ws.send(json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [id]}))
            .await;
        ws.expect("error", |f| f["type"] == "error").await;
        let chats = eve.get("/client/v1/chats").await.unwrap();
        assert_eq!(chats["data"].as_array().unwrap().len(), 0);
        // Nothing changed for the real members.
        assert_eq!(
            bob.get(&format!("/client/v1/chats/{chat}")).await.unwrap()["last_seq"],
            1
        );
        assert_eq!(
            ada.get(&format!("/client/v1/chats/{chat}/messages/{id}/receipts"))
                .await
                .unwrap()["data"][0]["status"],
            "sent"
        );
    }
}

#[tokio::test]
async fn tokens_are_not_interchangeable() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let (_, waba) = s
        .admin(
            Method::POST,
            "/admin/v1/businesses",
            Some(json!({"name": "Acme"})),
        )
        .await;
    let (_, token) = s
        .admin(
            Method::POST,
            "/admin/v1/tokens",
            Some(json!({"waba_id": waba["id"]})),
        )
        .await;
    let business = ada.with_token(token["access_token"].as_str().unwrap());
    let operator = ada.with_token(&s.operator_token);
    for who in [
        &business,
        &operator,
        &ada.with_token("garbage"),
        &ada.with_token(""),
    ] {
        let (status, err) = who.get("/client/v1/me").await.unwrap_err();
        assert_eq!(status, 401, "{err}");
        assert_eq!(err["error"]["code"], "unauthorized");
    }
    // A person's session is not the operator.
    let (status, _) = ada
        .post("/admin/v1/businesses", json!({"name": "Mine"}))
        .await
        .unwrap_err();
    assert_eq!(status, 401);
    // Logging out revokes the session, for HTTP and the WebSocket.
    let token = ada.token.clone();
    ada.post("/client/v1/auth/logout", json!({})).await.unwrap();
    assert_eq!(ada.get("/client/v1/me").await.unwrap_err().0, 401);
    let first = Ws::raw_hello(&s.ws_url(), json!({"op": "hello", "token": token}))
        .await
        .unwrap();
    assert_eq!(first["error"]["code"], "unauthorized");
    let first = Ws::raw_hello(&s.ws_url(), json!({"op": "send"}))
        .await
        .unwrap();
    assert_eq!(first["type"], "error");
}

#[tokio::test]
async fn malformed_requests_get_clear_errors() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/client/v1/chats", s.url))
        .bearer_auth(&ada.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "bad_request");
    let r = http
        .post(format!("{}/client/v1/chats", s.url))
        .bearer_auth(&ada.token)
        .body(vec![b'a'; 2 << 20])
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let r = http
        .get(format!("{}/client/v1/nope", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
    assert_eq!(ada.get("/client/v1/chats/abc").await.unwrap_err().0, 404);
    assert_eq!(
        ada.post("/client/v1/chats", json!({"wa_id": ada.wa_id}))
            .await
            .unwrap_err()
            .0,
        400
    );
    assert_eq!(
        ada.get("/client/v1/accounts/lookup?phone=%2B447911123499")
            .await
            .unwrap_err()
            .0,
        404
    );
}
