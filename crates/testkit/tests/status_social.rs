//! What people do with each other's Status updates, end to end on each backend: viewing (once
//! counts), the viewers list (author only), reactions (one per viewer, replaceable), replies
//! that go into the direct chat quoting the update (both sides see the quote), muting,
//! deleting (media gone), and the live frames: a new update on the author's second device and
//! on a contact's WebSocket (never on a stranger's), a new viewer to the author, a deletion.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, Person, TestServer, PNG};

fn text(body: &str) -> Value {
    json!({"type": "text", "text": {"body": body, "background": "#102030"}})
}

fn code(r: Result<Value, (u16, Value)>) -> u16 {
    match r {
        Ok(_) => 200,
        Err((c, _)) => c,
    }
}

fn is_status(kind: &'static str, id: String) -> impl Fn(&Value) -> bool {
    move |v: &Value| {
        v["type"] == kind
            && (v["update"]["id"] == id.as_str()
                || v["deleted"]["id"] == id.as_str()
                || v["viewed"]["id"] == id.as_str())
    }
}

async fn feed_authors(p: &Person, list: &str) -> Vec<String> {
    let feed = p.get("/client/v1/status").await.unwrap();
    feed[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["author"]["wa_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn viewers_reactions_replies_mutes_and_deletes() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let cat = s.register("+44 7911 123403", "Cat").await;
        let chat = ada.chat_with(&bob.wa_id).await;
        ada.chat_with(&cat.wa_id).await;
        let png = ada
            .upload(PNG.to_vec(), "image/png", "a.png")
            .await
            .unwrap();
        let up = ada
            .post(
                "/client/v1/status",
                json!({"type": "image", "image": {"id": png["id"], "caption": "our garden"}}),
            )
            .await
            .unwrap();
        let id = up["id"].as_str().unwrap().to_string();
        let path = format!("/client/v1/status/{id}");

        // Views count once; only the author reads the list.
        let feed = bob.get("/client/v1/status").await.unwrap();
        assert_eq!(feed["contacts"][0]["unseen"], 1);
        assert_eq!(feed["contacts"][0]["updates"][0]["viewed"], false);
        for _ in 0..2 {
            bob.post(&format!("{path}/view"), json!({})).await.unwrap();
        }
        let feed = bob.get("/client/v1/status").await.unwrap();
        assert_eq!(feed["contacts"][0]["unseen"], 0);
        assert_eq!(feed["contacts"][0]["updates"][0]["viewed"], true);
        let viewers = ada.get(&format!("{path}/viewers")).await.unwrap();
        assert_eq!(viewers["viewers"].as_array().unwrap().len(), 1, "{viewers}");
        assert_eq!(viewers["viewers"][0]["wa_id"], bob.wa_id);
        assert_eq!(viewers["viewers"][0]["name"], "Bob");
        assert_eq!(code(bob.get(&format!("{path}/viewers")).await), 404);

        // One reaction per viewer, replaceable; Cat reacts without viewing first.
        bob.post(&format!("{path}/react"), json!({"emoji": "🔥"}))
            .await
            .unwrap();
        let mine = bob
            .post(&format!("{path}/react"), json!({"emoji": "😍"}))
            .await
            .unwrap();
        assert_eq!(mine["reaction"], "😍");
        cat.post(&format!("{path}/react"), json!({"emoji": "👍"}))
            .await
            .unwrap();
        assert_eq!(
            code(
                bob.post(&format!("{path}/react"), json!({"emoji": "hello"}))
                    .await
            ),
            400
        );
        assert_eq!(
            code(
                ada.post(&format!("{path}/react"), json!({"emoji": "👍"}))
                    .await
            ),
            400
        );
        let viewers = ada.get(&format!("{path}/viewers")).await.unwrap();
        let list = viewers["viewers"].as_array().unwrap();
        assert_eq!(list.len(), 2, "{viewers}");
        let of = |w: &str| list.iter().find(|v| v["wa_id"] == w).unwrap().clone();
        assert_eq!(of(&bob.wa_id)["reaction"], "😍");
        assert_eq!(of(&cat.wa_id)["reaction"], "👍");
        assert_eq!(bob.get(&path).await.unwrap()["reaction"], "😍");

        // A reply goes into the direct chat quoting the update, seen by both.
        let mut ada_ws = ada.ws(0).await;
        let reply = bob
            .post(&format!("{path}/reply"), json!({"text": "lovely!"}))
            .await
            .unwrap();
        assert_eq!(reply["chat_id"], chat.as_str());
        assert_eq!(reply["text"]["body"], "lovely!");
        let quote = &reply["context"]["status"];
        assert_eq!(quote["id"], id.as_str());
        assert_eq!(quote["type"], "image");
        assert_eq!(quote["author"], ada.wa_id);
        assert_eq!(quote["excerpt"], "our garden");
        assert_eq!(quote["thumbnail_url"], format!("{path}/thumbnail"));
        let ev = ada_ws.expect_event("message").await;
        assert_eq!(ev["message"]["context"]["status"]["id"], id.as_str());
        for p in [&ada, &bob] {
            let page = p
                .get(&format!("/client/v1/chats/{chat}/messages"))
                .await
                .unwrap();
            let last = page["data"].as_array().unwrap().last().unwrap().clone();
            assert_eq!(last["context"]["status"]["id"], id.as_str(), "{last}");
        }
        // A client cannot make up a Status quote on an ordinary send.
        let forged = bob
            .post(
                &format!("/client/v1/chats/{chat}/messages"),
                json!({"type": "text", "text": {"body": "x"},
                       "context": {"status": {"id": "1", "type": "text", "author": "1"}}}),
            )
            .await;
        assert!(
            forged
                .as_ref()
                .map_or(true, |m| m["context"]["status"].is_null()),
            "{forged:?}"
        );
        assert_eq!(
            code(
                bob.post(&format!("{path}/reply"), json!({"text": "  "}))
                    .await
            ),
            400
        );

        // Muting moves Ada's updates apart; unmuting brings them back.
        bob.call(
            Method::PUT,
            &format!("/client/v1/status/mutes/{}", ada.wa_id),
            None,
        )
        .await
        .unwrap();
        assert!(feed_authors(&bob, "contacts").await.is_empty());
        assert_eq!(feed_authors(&bob, "muted").await, [ada.wa_id.as_str()]);
        bob.delete(&format!("/client/v1/status/mutes/{}", ada.wa_id))
            .await
            .unwrap();
        assert_eq!(feed_authors(&bob, "contacts").await, [ada.wa_id.as_str()]);
        assert!(feed_authors(&bob, "muted").await.is_empty());

        // Only the author deletes; then it is gone everywhere, media included.
        let mut bob_ws = bob.ws(0).await;
        assert_eq!(code(bob.delete(&path).await), 404);
        ada.delete(&path).await.unwrap();
        bob_ws
            .expect("status_deleted", is_status("status_deleted", id.clone()))
            .await;
        assert_eq!(code(bob.get(&path).await), 404);
        assert_eq!(code(ada.get(&path).await), 404);
        assert!(feed_authors(&bob, "contacts").await.is_empty());
        assert!(s.app.ground.blobs.get(id.parse().unwrap()).await.is_err());
        let media = reqwest::Client::new()
            .get(format!("{}{path}/media", s.url))
            .bearer_auth(&ada.token)
            .send()
            .await
            .unwrap();
        assert_eq!(media.status().as_u16(), 404);
    }
}

#[tokio::test]
async fn live_frames_reach_devices_and_contacts() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        ada.chat_with(&bob.wa_id).await;
        // Ada's second device signs in with its own session.
        let ada2 = s.register("+44 7911 123401", "Ada").await;
        assert_ne!(ada2.token, ada.token);
        let mut second = ada2.ws(0).await;
        let mut bob_ws = bob.ws(0).await;
        let mut dan_ws = dan.ws(0).await;
        second.drain(200).await;
        bob_ws.drain(200).await;
        dan_ws.drain(200).await;

        let up = ada.post("/client/v1/status", text("live")).await.unwrap();
        let id = up["id"].as_str().unwrap().to_string();
        let f = second
            .expect("own update", is_status("status_update", id.clone()))
            .await;
        assert_eq!(f["update"]["viewed"], true);
        let f = bob_ws
            .expect("contact's update", is_status("status_update", id.clone()))
            .await;
        assert_eq!(f["update"]["viewed"], false);
        assert_eq!(f["update"]["author"]["wa_id"], ada.wa_id);
        assert_eq!(f["update"]["text"]["body"], "live");
        assert!(
            !dan_ws
                .drain(300)
                .await
                .iter()
                .any(|v| v["type"].as_str().unwrap_or("").starts_with("status")),
            "a stranger hears nothing"
        );

        // The author's devices hear of a new viewer.
        bob.post(&format!("/client/v1/status/{id}/view"), json!({}))
            .await
            .unwrap();
        let f = second
            .expect("viewer", is_status("status_viewed", id.clone()))
            .await;
        assert_eq!(f["viewed"]["viewer"]["wa_id"], bob.wa_id);
    }
}
