//! Media: upload in a multipart form, content sniffing, per-kind limits, sending, and who may
//! download.

use serde_json::json;
use wasla_testkit::{TestServer, PNG};

#[tokio::test]
async fn images_and_documents_travel_to_chat_members_only() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let bob = s.register("+44 7911 123402", "Bob").await;
    let eve = s.register("+44 7911 123405", "Eve").await;
    let chat = ada.chat_with(&bob.wa_id).await;

    // The declared type is only a hint: a PNG labelled as PDF is stored as a PNG.
    let img = ada
        .upload(PNG.to_vec(), "application/pdf", "pic.png")
        .await
        .unwrap();
    assert_eq!(img["mime_type"], "image/png");
    assert_eq!(img["file_size"], PNG.len());
    let id = img["id"].as_str().unwrap();
    assert!(id.chars().all(|c| c.is_ascii_digit()));

    let mut bob_ws = bob.ws(0).await;
    let sent = ada
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "image", "image": {"id": id, "caption": "look"}}),
        )
        .await
        .unwrap();
    assert_eq!(sent["image"]["mime_type"], "image/png");
    assert_eq!(sent["image"]["sha256"].as_str().unwrap().len(), 64);
    let got = bob_ws.expect_event("message").await;
    assert_eq!(got["message"]["image"]["caption"], "look");

    let (status, ct, bytes) = bob.download(id).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    assert_eq!(bytes, PNG);
    assert_eq!(eve.download(id).await.0, 404, "not a member of the chat");

    let doc = bob
        .upload(
            b"minutes of the meeting".to_vec(),
            "text/plain",
            "minutes.txt",
        )
        .await
        .unwrap();
    let sent = bob
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "document", "document": {"id": doc["id"]}}),
        )
        .await
        .unwrap();
    assert_eq!(sent["document"]["filename"], "minutes.txt");
    assert_eq!(ada.download(doc["id"].as_str().unwrap()).await.0, 200);

    // A document cannot be sent as an image; bytes that are not an image cannot claim to be.
    let (status, _) = bob
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "image", "image": {"id": doc["id"]}}),
        )
        .await
        .unwrap_err();
    assert_eq!(status, 400);
    let (status, err) = ada
        .upload(b"not really a png".to_vec(), "image/png", "x.png")
        .await
        .unwrap_err();
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let (status, _) = ada
        .upload(vec![], "text/plain", "empty.txt")
        .await
        .unwrap_err();
    assert_eq!(status, 400);
    // Images are limited to 5 MB.
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 10, 0);
    let (status, _) = ada.upload(big, "image/png", "big.png").await.unwrap_err();
    assert_eq!(status, 413);
}

#[tokio::test]
async fn profile_photos_are_images_of_ones_own() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let bob = s.register("+44 7911 123402", "Bob").await;
    let photo = ada
        .upload(PNG.to_vec(), "image/png", "me.png")
        .await
        .unwrap();
    let me = ada
        .patch(
            "/client/v1/me",
            json!({"photo": photo["id"], "display_name": "Ada L."}),
        )
        .await
        .unwrap();
    assert_eq!(me["photo"], photo["id"]);
    // A profile photo is visible to those who share a chat with its owner (everyone, by
    // default; `trust_privacy.rs` covers the privacy settings and strangers).
    ada.chat_with(&bob.wa_id).await;
    assert_eq!(bob.download(photo["id"].as_str().unwrap()).await.0, 200);
    // Bob cannot use a photo he cannot see, nor a document.
    let doc = bob
        .upload(b"text".to_vec(), "text/plain", "a.txt")
        .await
        .unwrap();
    assert_eq!(
        bob.patch("/client/v1/me", json!({"photo": doc["id"]}))
            .await
            .unwrap_err()
            .0,
        400
    );
    let removed = ada
        .patch("/client/v1/me", json!({"photo": null}))
        .await
        .unwrap();
    assert!(removed["photo"].is_null());
    assert_eq!(
        ada.patch("/client/v1/me", json!({"display_name": "  "}))
            .await
            .unwrap_err()
            .0,
        400
    );
}
