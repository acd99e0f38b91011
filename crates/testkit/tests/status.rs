//! Status updates between people, end to end on each backend: the contact list, audiences
//! (all contacts, all but some, only some), who may read an update (feed, id, media), bad
//! posts that change nothing, media updates and their 24-hour expiry on the test clock (rows,
//! views and blobs gone), viewers, reactions, replies quoting the update on both sides, muting,
//! deleting, and the live frames on a second device and on a contact's WebSocket.

use serde_json::{json, Value};
use std::time::Duration;
use wasla_testkit::{Db, Person, TestServer, PNG};

fn text(body: &str) -> Value {
    json!({"type": "text", "text": {"body": body, "background": "#1E6B52", "font": "serif"}})
}

async fn post(p: &Person, body: Value) -> Value {
    p.post("/client/v1/status", body)
        .await
        .expect("post status")
}

/// The ids of an author's updates in someone's feed (empty if none).
async fn ids_from(p: &Person, author: &str) -> Vec<String> {
    let feed = p.get("/client/v1/status").await.expect("feed");
    let mut out = vec![];
    for list in ["contacts", "muted"] {
        for g in feed[list].as_array().unwrap() {
            if g["author"]["wa_id"] == author {
                for u in g["updates"].as_array().unwrap() {
                    out.push(u["id"].as_str().unwrap().to_string());
                }
            }
        }
    }
    out
}

async fn mine(p: &Person) -> usize {
    let feed = p.get("/client/v1/status").await.expect("feed");
    feed["mine"].as_array().unwrap().len()
}

fn code(r: Result<Value, (u16, Value)>) -> u16 {
    match r {
        Ok(_) => 200,
        Err((c, _)) => c,
    }
}

/// Raw bytes of a Status URL with its status code.
async fn fetch(p: &Person, s: &TestServer, path: &str) -> (u16, Vec<u8>) {
    let r = reqwest::Client::new()
        .get(format!("{}{path}", s.url))
        .bearer_auth(&p.token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn contacts_and_audiences() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let cat = s.register("+44 7911 123403", "Cat").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        // Bob by chat, Cat by the list; Dan is nobody to Ada.
        ada.chat_with(&bob.wa_id).await;
        let added = ada
            .call(
                reqwest::Method::PUT,
                &format!("/client/v1/contacts/{}", cat.wa_id),
                None,
            )
            .await
            .unwrap();
        assert_eq!(added["in_list"], true);
        assert_eq!(
            code(
                ada.call(
                    reqwest::Method::PUT,
                    "/client/v1/contacts/15550000000",
                    None
                )
                .await
            ),
            404
        );
        let list = ada.get("/client/v1/contacts").await.unwrap();
        let contacts = list["contacts"].as_array().unwrap();
        assert_eq!(contacts.len(), 2, "{list}");
        assert_eq!(contacts[0]["wa_id"], bob.wa_id);
        assert_eq!(contacts[0]["has_chat"], true);
        assert_eq!(contacts[0]["in_list"], false);
        assert_eq!(contacts[1]["wa_id"], cat.wa_id);
        assert_eq!(contacts[1]["in_list"], true);

        // A default audience naming a non-contact is refused and changes nothing.
        let bad = ada
            .call(
                reqwest::Method::PUT,
                "/client/v1/status/audience",
                Some(json!({"mode": "contacts_except", "wa_ids": [dan.wa_id]})),
            )
            .await;
        assert_eq!(code(bad), 400);
        let a = ada.get("/client/v1/status/audience").await.unwrap();
        assert_eq!(a, json!({"mode": "contacts", "wa_ids": []}));

        // To all contacts.
        let all = post(&ada, text("hello all")).await;
        let all_id = all["id"].as_str().unwrap().to_string();
        assert_eq!(all["author"]["wa_id"], ada.wa_id);
        assert_eq!(all["text"]["font"], "serif");
        assert_eq!(
            all["expires_at"].as_i64().unwrap() - all["posted_at"].as_i64().unwrap(),
            86_400_000
        );
        assert_eq!(ids_from(&bob, &ada.wa_id).await, [all_id.as_str()]);
        assert_eq!(ids_from(&cat, &ada.wa_id).await, [all_id.as_str()]);
        assert!(ids_from(&dan, &ada.wa_id).await.is_empty());
        assert_eq!(
            code(dan.get(&format!("/client/v1/status/{all_id}")).await),
            404
        );
        // Putting Ada on Dan's list makes Ada Dan's contact, not Dan Ada's.
        dan.call(
            reqwest::Method::PUT,
            &format!("/client/v1/contacts/{}", ada.wa_id),
            None,
        )
        .await
        .unwrap();
        assert!(ids_from(&dan, &ada.wa_id).await.is_empty());
        assert_eq!(
            code(dan.get(&format!("/client/v1/status/{all_id}")).await),
            404
        );
        assert_eq!(
            code(bob.get(&format!("/client/v1/status/{all_id}")).await),
            200
        );

        // All but Cat (as the default audience), then only Cat (on the post).
        ada.call(
            reqwest::Method::PUT,
            "/client/v1/status/audience",
            Some(json!({"mode": "contacts_except", "wa_ids": [cat.wa_id]})),
        )
        .await
        .unwrap();
        let except = post(&ada, text("not for Cat")).await;
        let except_id = except["id"].as_str().unwrap().to_string();
        let mut only_body = text("only Cat");
        only_body["audience"] = json!({"mode": "only_share_with", "wa_ids": [cat.wa_id]});
        let only = post(&ada, only_body).await;
        let only_id = only["id"].as_str().unwrap().to_string();
        assert_eq!(
            ids_from(&bob, &ada.wa_id).await,
            [all_id.clone(), except_id.clone()]
        );
        assert_eq!(
            ids_from(&cat, &ada.wa_id).await,
            [all_id.clone(), only_id.clone()]
        );
        assert_eq!(
            code(cat.get(&format!("/client/v1/status/{except_id}")).await),
            404
        );
        assert_eq!(
            code(bob.get(&format!("/client/v1/status/{only_id}")).await),
            404
        );
        assert_eq!(mine(&ada).await, 3);

        // Bad posts are refused and change nothing.
        let mut unknown = text("x");
        unknown["audience"] = json!({"mode": "only_share_with", "wa_ids": [dan.wa_id]});
        let bads = [
            text("   "),
            json!({"type": "text", "text": {"body": "x", "background": "green"}}),
            json!({"type": "text", "text": {"body": "x", "background": "#12345G"}}),
            json!({"type": "text", "text": {"body": "x", "background": "#123456", "font": "comic"}}),
            json!({"type": "text", "text": {"body": "x".repeat(701), "background": "#123456"}}),
            json!({"type": "poll", "poll": {}}),
            json!({"type": "image", "image": {"id": "12345"}}),
            unknown,
        ];
        for b in bads {
            let r = ada.post("/client/v1/status", b.clone()).await;
            assert_eq!(code(r), 400, "{b}");
        }
        assert_eq!(mine(&ada).await, 3);
        assert_eq!(ids_from(&bob, &ada.wa_id).await.len(), 2);

        // Off the list, Cat is no contact any more and sees nothing of Ada's.
        ada.delete(&format!("/client/v1/contacts/{}", cat.wa_id))
            .await
            .unwrap();
        assert!(ids_from(&cat, &ada.wa_id).await.is_empty());
        assert_eq!(
            code(cat.get(&format!("/client/v1/status/{only_id}")).await),
            404
        );
    }
}

#[tokio::test]
async fn media_updates_expire_after_a_day() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        ada.chat_with(&bob.wa_id).await;
        let png = ada
            .upload(PNG.to_vec(), "image/png", "a.png")
            .await
            .unwrap();
        let png_id = png["id"].as_str().unwrap();
        // Mislabelled, and someone else's media: refused.
        let as_video = json!({"type": "video", "video": {"id": png_id}});
        assert_eq!(code(ada.post("/client/v1/status", as_video).await), 400);
        let bobs = bob
            .upload(PNG.to_vec(), "image/png", "b.png")
            .await
            .unwrap();
        let theirs = json!({"type": "image", "image": {"id": bobs["id"]}});
        assert_eq!(code(ada.post("/client/v1/status", theirs).await), 400);
        // Words labelled as a PNG are not an image, whatever the label says.
        if let Ok(txt) = ada
            .upload(b"just words".to_vec(), "image/png", "fake.png")
            .await
        {
            let fake = json!({"type": "image", "image": {"id": txt["id"]}});
            assert_eq!(code(ada.post("/client/v1/status", fake).await), 400);
        }
        assert_eq!(mine(&ada).await, 0);

        let up = post(
            &ada,
            json!({"type": "image", "image": {"id": png_id, "caption": "sunset"}}),
        )
        .await;
        let id = up["id"].as_str().unwrap().to_string();
        assert_eq!(up["image"]["caption"], "sunset");
        let url = up["image"]["url"].as_str().unwrap().to_string();
        let thumb = up["image"]["thumbnail_url"].as_str().unwrap().to_string();
        assert_eq!(url, format!("/client/v1/status/{id}/media"));
        assert_eq!(fetch(&bob, &s, &url).await, (200, PNG.to_vec()));
        assert_eq!(fetch(&bob, &s, &thumb).await.0, 200);
        assert_eq!(fetch(&ada, &s, &url).await.0, 200);
        assert_eq!(fetch(&dan, &s, &url).await.0, 404);
        assert_eq!(fetch(&dan, &s, &thumb).await.0, 404);
        bob.post(&format!("/client/v1/status/{id}/view"), json!({}))
            .await
            .unwrap();

        // Still there just before the day is over.
        s.clock.advance_ms(86_400_000 - 60_000);
        assert_eq!(ids_from(&bob, &ada.wa_id).await, [id.as_str()]);
        // Then gone from every read, and the worker deletes the row and the blob.
        s.clock.advance_ms(61_000);
        assert!(ids_from(&bob, &ada.wa_id).await.is_empty());
        assert_eq!(mine(&ada).await, 0);
        assert_eq!(fetch(&bob, &s, &url).await.0, 404);
        assert_eq!(fetch(&ada, &s, &url).await.0, 404);
        assert_eq!(
            code(ada.get(&format!("/client/v1/status/{id}/viewers")).await),
            404
        );
        let blob: i64 = id.parse().unwrap();
        let mut gone = false;
        for _ in 0..100 {
            if s.app.ground.blobs.get(blob).await.is_err() {
                gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(gone, "the expired update's blob is deleted");
        // The upload it was posted from is the person's own media and stays.
        assert_eq!(ada.download(png_id).await.0, 200);
    }
}
