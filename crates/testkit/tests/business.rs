//! The operator's admin API: businesses (WABAs), phone numbers, apps and tokens; people
//! message a business number like any chat and see its verified name, and each such message
//! leaves a webhook row in the outbox in the same transaction.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Db, TestServer, WebhookReceiver};

#[tokio::test]
async fn people_message_business_numbers() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (status, waba) = s
            .admin(
                Method::POST,
                "/admin/v1/businesses",
                Some(json!({"name": "Acme Repairs"})),
            )
            .await;
        assert_eq!(status, 200, "{waba}");
        let waba_id = waba["id"].as_str().unwrap();
        let (status, number) = s
            .admin(Method::POST, "/admin/v1/phone-numbers", Some(json!({"waba_id": waba_id, "number": "+1 650 555 1234", "verified_name": "Acme Repairs"})))
            .await;
        assert_eq!(status, 200, "{number}");
        assert_eq!(number["wa_id"], "16505551234");
        // The callback must pass the verification handshake with the verify token.
        let hooks = WebhookReceiver::start("vt").await;
        for (url, token) in [
            ("http://127.0.0.1:9/hook", "vt"),
            (hooks.url.as_str(), "wrong"),
        ] {
            let (status, err) = s
                .admin(
                    Method::POST,
                    "/admin/v1/apps",
                    Some(json!({"waba_id": waba_id, "webhook_url": url, "verify_token": token})),
                )
                .await;
            assert_eq!(status, 400, "{err}");
            assert!(
                err["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("verification"),
                "{err}"
            );
        }
        let (status, app) = s
            .admin(
                Method::POST,
                "/admin/v1/apps",
                Some(json!({"waba_id": waba_id, "webhook_url": hooks.url, "verify_token": "vt"})),
            )
            .await;
        assert_eq!(status, 200, "{app}");
        assert_eq!(app["app_secret"].as_str().unwrap().len(), 32);
        let (_, apps) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/businesses/{waba_id}/apps"),
                None,
            )
            .await;
        assert!(
            apps["data"][0]["app_secret"].is_null(),
            "secrets are shown once"
        );
        let (_, list) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/businesses/{waba_id}/phone-numbers"),
                None,
            )
            .await;
        assert_eq!(list["data"][0]["id"], number["id"]);

        // Bad input.
        for (path, body) in [
            ("/admin/v1/businesses", json!({"name": ""})),
            (
                "/admin/v1/phone-numbers",
                json!({"waba_id": waba_id, "number": "nope", "verified_name": "X"}),
            ),
            (
                "/admin/v1/phone-numbers",
                json!({"waba_id": "123", "number": "+16505550000", "verified_name": "X"}),
            ),
            (
                "/admin/v1/apps",
                json!({"waba_id": waba_id, "webhook_url": "ftp://x", "verify_token": "v"}),
            ),
        ] {
            let (status, err) = s.admin(Method::POST, path, Some(body)).await;
            assert!(status == 400 || status == 404, "{path}: {status} {err}");
        }
        let (status, _) = s
            .admin(
                Method::POST,
                "/admin/v1/phone-numbers",
                Some(
                    json!({"waba_id": waba_id, "number": "+16505551234", "verified_name": "Again"}),
                ),
            )
            .await;
        assert_eq!(status, 409);

        let ada = s.register("+44 7911 123401", "Ada").await;
        let found = ada
            .get("/client/v1/accounts/lookup?phone=%2B16505551234")
            .await
            .unwrap();
        assert_eq!(
            (found["kind"].as_str(), found["verified_name"].as_str()),
            (Some("business"), Some("Acme Repairs"))
        );
        let chat = ada.chat_with("16505551234").await;
        let c = ada.get(&format!("/client/v1/chats/{chat}")).await.unwrap();
        assert_eq!(c["peer"]["verified_name"], "Acme Repairs");
        ada.send_text(&chat, "My laptop is broken").await;
        // The operator's person tool goes through the same path.
        let (status, m) = s
            .admin(
                Method::POST,
                &format!("/admin/v1/persons/{}/messages", ada.wa_id),
                Some(json!({"to": "+16505551234", "text": "Any news?"})),
            )
            .await;
        assert_eq!(status, 200, "{m}");
        assert_eq!(m["seq"], 2);
        // Each inbound message left a webhook job, committed with it.
        let biz = s
            .app
            .accounts
            .account_by_wa_id("16505551234")
            .await
            .unwrap()
            .unwrap();
        let events = s
            .app
            .chats
            .stored_events_after(biz.id, 0, 100)
            .await
            .unwrap();
        assert_eq!(events.iter().filter(|e| e.message.is_some()).count(), 2);
        // A business number cannot be registered as a person.
        let (status, _) = s
            .admin(
                Method::POST,
                "/admin/v1/persons",
                Some(json!({"phone": "+16505551234", "name": "X"})),
            )
            .await;
        assert_eq!(status, 409);

        // Tokens can be revoked once.
        let (_, t) = s
            .admin(
                Method::POST,
                "/admin/v1/tokens",
                Some(json!({"waba_id": waba_id})),
            )
            .await;
        let tid = t["id"].as_str().unwrap();
        assert_eq!(
            s.admin(Method::DELETE, &format!("/admin/v1/tokens/{tid}"), None)
                .await
                .0,
            200
        );
        assert_eq!(
            s.admin(Method::DELETE, &format!("/admin/v1/tokens/{tid}"), None)
                .await
                .0,
            404
        );
    }
}

#[tokio::test]
async fn admin_api_needs_the_operator_token() {
    let s = TestServer::start().await;
    let http = reqwest::Client::new();
    for token in ["", "wrong"] {
        let r = http
            .post(format!("{}/admin/v1/businesses", s.url))
            .bearer_auth(token)
            .json(&json!({"name": "X"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let (_, list) = s.admin(Method::GET, "/admin/v1/businesses", None).await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let bob = s.register("+44 7911 123402", "Bob").await;
    let chat = ada.chat_with(&bob.wa_id).await;
    let _ws = bob.ws(0).await;
    ada.send_text(&chat, "counted").await;
    let get = |p: &str| reqwest::get(format!("{}{p}", s.url));
    assert_eq!(get("/healthz").await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(get("/readyz").await.unwrap().status(), 200);
    let m = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(m.contains("wasla_messages_committed_total 1"), "{m}");
    assert!(m.contains("wasla_ws_open 1"), "{m}");
    assert!(m.contains("wasla_online_accounts 1"), "{m}");
}
