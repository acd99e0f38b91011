//! Cloud API media: upload in both multipart shapes SDKs use, the media object with a
//! short-lived download URL on this server, download with the same bearer token, sending by
//! id, media from people in webhooks, retention windows, deletion and tenancy.

use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::json;
use wasla_testkit::{TestServer, PNG};

fn file(bytes: &[u8], mime: &str) -> Part {
    Part::bytes(bytes.to_vec())
        .file_name("photo.png")
        .mime_str(mime)
        .unwrap()
}

#[tokio::test]
async fn upload_read_download_send_and_delete() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let other = s.business("Other", "+1 650 555 9876").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let http = reqwest::Client::new();
    let upload_url = format!("{}/v23.0/{}/media", s.url, shop.phone_number_id);

    // pywa's shape: messaging_product and type as form fields.
    let form = Form::new()
        .text("messaging_product", "whatsapp")
        .text("type", "image/png")
        .part("file", file(PNG, "image/png"));
    let r: serde_json::Value = http
        .post(&upload_url)
        .bearer_auth(&shop.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = r["id"].as_str().unwrap().to_string();
    assert!(
        id.chars().all(|c| c.is_ascii_digit()),
        "numeric media ids: {r}"
    );
    // whatsapp-api-js's shape: only the file, messaging_product in the query.
    let form = Form::new().part("file", file(PNG, "image/png"));
    let r = http
        .post(format!("{upload_url}?messaging_product=whatsapp"))
        .bearer_auth(&shop.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Not an image at all.
    let form = Form::new().part("file", file(b"<html>no</html>", "image/png"));
    let r: serde_json::Value = http
        .post(&upload_url)
        .bearer_auth(&shop.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["error"]["code"], 131053);

    let (status, obj) = shop.api(Method::GET, &format!("/v23.0/{id}"), None).await;
    assert_eq!(status, 200, "{obj}");
    assert_eq!(
        (obj["mime_type"].as_str(), obj["file_size"].as_str()),
        (Some("image/png"), Some(PNG.len().to_string().as_str()))
    );
    assert_eq!(obj["sha256"].as_str().unwrap().len(), 64);
    let url = obj["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&s.url),
        "the URL points at this server: {url}"
    );
    let got = http
        .get(&url)
        .bearer_auth(&shop.token)
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        401,
        "the token is required"
    );
    assert_eq!(
        http.get(&url)
            .bearer_auth(&other.token)
            .send()
            .await
            .unwrap()
            .status(),
        400,
        "another tenant learns nothing"
    );
    assert_eq!(
        http.get(url.replace("sig=", "sig=0"))
            .bearer_auth(&shop.token)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    let (status, err) = other.api(Method::GET, &format!("/v23.0/{id}"), None).await;
    assert_eq!((status, err["error"]["code"].as_i64()), (400, Some(100)));

    // Send it by id; Ada can see it.
    let mut ws = ada.ws(0).await;
    let (status, r) = shop.send(json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "image", "image": {"id": id, "caption": "Your receipt"}})).await;
    assert_eq!(status, 200, "{r}");
    let m = ws
        .expect("image", |f| f["event"]["message"]["type"] == "image")
        .await;
    assert_eq!(m["event"]["message"]["image"]["caption"], "Your receipt");
    assert_eq!(ada.download(&id).await.0, 200);

    // URLs expire after five minutes.
    s.clock.advance_ms(6 * 60 * 1000);
    assert_eq!(
        http.get(&url)
            .bearer_auth(&shop.token)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    // Deleting: other tenants cannot; the owner can, once.
    let (status, _) = other
        .api(Method::DELETE, &format!("/v23.0/{id}"), None)
        .await;
    assert_eq!(status, 400);
    let (status, r) = shop
        .api(Method::DELETE, &format!("/v23.0/{id}"), None)
        .await;
    assert_eq!((status, r["success"].as_bool()), (200, Some(true)));
    let (status, _) = shop.api(Method::GET, &format!("/v23.0/{id}"), None).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn media_from_people_reaches_the_business_for_seven_days() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    let up = ada
        .upload(PNG.to_vec(), "image/png", "broken.png")
        .await
        .unwrap();
    ada.post(
        &format!("/client/v1/chats/{chat}/messages"),
        json!({"type": "image", "image": {"id": up["id"], "caption": "the crack"}}),
    )
    .await
    .unwrap();
    let v = shop
        .hooks
        .wait_for("inbound image", 10, |v| v["messages"][0]["type"] == "image")
        .await;
    let image = &v["messages"][0]["image"];
    assert_eq!(
        (image["mime_type"].as_str(), image["caption"].as_str()),
        (Some("image/png"), Some("the crack"))
    );
    assert!(image["file_size"].is_null() && image["link"].is_null());
    let media_id = image["id"].as_str().unwrap();
    let (status, obj) = shop
        .api(Method::GET, &format!("/v23.0/{media_id}"), None)
        .await;
    assert_eq!(status, 200, "{obj}");
    let bytes = reqwest::Client::new()
        .get(obj["url"].as_str().unwrap())
        .bearer_auth(&shop.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), PNG);
    // The business cannot delete what the person sent.
    assert_eq!(
        shop.api(Method::DELETE, &format!("/v23.0/{media_id}"), None)
            .await
            .0,
        403
    );
    s.clock.advance_ms(8 * 24 * 3600 * 1000);
    assert_eq!(
        shop.api(Method::GET, &format!("/v23.0/{media_id}"), None)
            .await
            .0,
        400,
        "gone after 7 days"
    );
    assert_eq!(
        ada.download(media_id).await.0,
        200,
        "the person's own chat keeps it"
    );
}

/// A file server elsewhere on loopback (127.0.0.2), which the default outbound rule keeps out
/// of reach as it would a private network.
async fn file_server() -> String {
    let router = axum::Router::new().route(
        "/photo.png",
        axum::routing::get(|| async { ([("content-type", "image/png")], PNG) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn media_by_link_is_fetched_safely() {
    let files = file_server().await;
    // Links to this machine are allowed here only because the test says so.
    let s = TestServer::start_with(|c| c.outbound.allow_private_targets = true).await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let mut ws = ada.ws(0).await;
    let (status, r) = shop.send(json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "image", "image": {"link": format!("{files}/photo.png"), "caption": "fetched"}})).await;
    assert_eq!(status, 200, "{r}");
    let m = ws
        .expect("image", |f| f["event"]["message"]["type"] == "image")
        .await;
    let image = &m["event"]["message"]["image"];
    assert!(
        image["link"].is_null(),
        "the person gets a stored copy, not the link"
    );
    let (status, _, bytes) = ada.download(image["id"].as_str().unwrap()).await;
    assert_eq!((status, bytes.as_slice()), (200, PNG));

    // A link that does not answer with a file fails asynchronously with 131053.
    let (_, r) = shop.send(json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "document", "document": {"link": format!("{files}/missing.pdf")}})).await;
    let st = shop
        .hooks
        .status(r["messages"][0]["id"].as_str().unwrap(), "failed")
        .await;
    assert_eq!(st["errors"][0]["code"], 131053);

    // By default the server will not fetch from its own network.
    let strict = TestServer::start().await;
    let shop = strict.business("Acme", "+1 650 555 1234").await;
    let bob = strict.register("+44 7911 123402", "Bob").await;
    let chat = bob.chat_with(&shop.wa_id).await;
    bob.send_text(&chat, "hi").await;
    let (_, r) = shop.send(json!({"messaging_product": "whatsapp", "to": bob.wa_id, "type": "image", "image": {"link": format!("{files}/photo.png")}})).await;
    let st = shop
        .hooks
        .status(r["messages"][0]["id"].as_str().unwrap(), "failed")
        .await;
    assert_eq!(st["errors"][0]["code"], 131053);
}
