//! `subscribed_apps`: listing, a WABA-level callback override that must pass the handshake and
//! then receives the webhooks, unsubscribing (no more webhooks), and tenancy.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{TestServer, WebhookReceiver};

#[tokio::test]
async fn override_unsubscribe_and_tenancy() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let other = s.business("Other", "+1 650 555 9876").await;
    let path = format!("/v23.0/{}/subscribed_apps", shop.waba_id);
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;

    let (_, list) = shop.api(Method::GET, &path, None).await;
    assert_eq!(
        list["data"][0]["whatsapp_business_api_data"]["id"],
        shop.app_id.as_str()
    );

    // An override must answer the handshake with its verify token.
    let elsewhere = WebhookReceiver::start("override-token").await;
    let (status, err) = shop
        .api(
            Method::POST,
            &path,
            Some(json!({"override_callback_uri": elsewhere.url, "verify_token": "wrong"})),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_i64()),
        (400, Some(100)),
        "{err}"
    );
    let (status, _) = shop
        .api(
            Method::POST,
            &path,
            Some(json!({"override_callback_uri": elsewhere.url, "verify_token": "override-token"})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, list) = shop.api(Method::GET, &path, None).await;
    assert_eq!(
        list["data"][0]["override_callback_uri"],
        elsewhere.url.as_str()
    );
    // The override receives the webhooks, signed with the app's secret.
    elsewhere.set_secret(&shop.app_secret);
    let m = ada.send_text(&chat, "to the override").await;
    elsewhere
        .wait_for("overridden delivery", 10, |v| {
            v["messages"][0]["id"] == m["id"]
        })
        .await;
    assert_eq!(elsewhere.rejected(), 0);

    // Unsubscribed: nothing more is queued.
    let (status, _) = shop.api(Method::DELETE, &path, None).await;
    assert_eq!(status, 200);
    ada.send_text(&chat, "nobody hears this").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(elsewhere
        .payloads()
        .iter()
        .all(
            |p| p["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"]
                != "nobody hears this"
        ));
    let (_, list) = shop.api(Method::GET, &path, None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);

    // Another business cannot see or change these subscriptions.
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let (status, err) = other.api(method.clone(), &path, None).await;
        assert_eq!(
            (status, err["error"]["code"].as_i64()),
            (400, Some(100)),
            "{method}: {err}"
        );
    }
}
