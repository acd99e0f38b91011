//! Two people chatting through the real server and WebSocket: sends with acks, receipts,
//! replies, reactions, forwarding, locations, contacts, typing and presence, and the errors
//! bad input gets.

use serde_json::json;
use wasla_testkit::{Db, TestServer};

const ADA: &str = "+44 7911 123401";
const BOB: &str = "+44 7911 123402";
const CAROL: &str = "+44 7911 123403";

#[tokio::test]
async fn two_people_chat_in_real_time_with_receipts() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register(ADA, "Ada").await;
        let bob = s.register(BOB, "Bob").await;
        let mut ada_ws = ada.ws(0).await;
        let mut bob_ws = bob.ws(0).await;
        let chat = ada.chat_with(&bob.wa_id).await;
        // Both devices learn of the new chat.
        assert_eq!(
            ada_ws.expect_event("chat").await["chat"]["chat_id"],
            chat.as_str()
        );
        let c = bob_ws.expect_event("chat").await;
        assert_eq!(c["chat"]["peer"]["display_name"], "Ada");

        ada_ws.send(json!({"op": "send", "ref": "r1", "chat_id": chat, "client_id": "c-1", "type": "text", "text": {"body": "Hello Bob"}})).await;
        let ack = ada_ws.expect("ack", |f| f["type"] == "ack").await;
        assert_eq!(ack["ref"], "r1");
        let id = ack["message"]["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("wamid."));
        assert_eq!(ack["message"]["status"], "sent");
        // The sender's own stream carries the message too (for other devices), before or
        // after the ack: the send and the connection's stream run side by side.
        let recorded = ada_ws
            .events
            .iter()
            .find(|e| e["kind"] == "message")
            .cloned();
        let own = match recorded {
            Some(own) => own,
            None => ada_ws.expect_event("message").await,
        };
        assert_eq!(own["message"]["client_id"], "c-1");

        let got = bob_ws.expect_event("message").await;
        assert_eq!(got["message"]["text"]["body"], "Hello Bob");
        assert_eq!(got["message"]["from"], ada.wa_id.as_str());
        assert_eq!(got["message"]["seq"], 1);

        bob_ws
            .send(json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [id]}))
            .await;
        let st = ada_ws.expect_event("status").await;
        assert_eq!(
            (
                st["status"].as_str(),
                st["aggregate"].as_str(),
                st["wa_id"].as_str()
            ),
            (
                Some("delivered"),
                Some("delivered"),
                Some(bob.wa_id.as_str())
            )
        );

        // Unread count before reading.
        let chats = bob.get("/client/v1/chats").await.unwrap();
        assert_eq!(chats["data"][0]["unread"], 1);
        assert_eq!(
            chats["data"][0]["last_message"]["text"]["body"],
            "Hello Bob"
        );

        bob_ws
            .send(json!({"op": "read", "chat_id": chat, "up_to_seq": 1}))
            .await;
        let st = ada_ws.expect_event("status").await;
        assert_eq!(st["status"], "read");
        assert_eq!(bob_ws.expect_event("read").await["up_to_seq"], 1);
        assert_eq!(
            bob.get("/client/v1/chats").await.unwrap()["data"][0]["unread"],
            0
        );

        // History shows the aggregate status to the sender and none to the reader.
        let page = ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap();
        assert_eq!(page["data"][0]["status"], "read");
        let receipts = ada
            .get(&format!("/client/v1/chats/{chat}/messages/{id}/receipts"))
            .await
            .unwrap();
        assert_eq!(receipts["data"][0]["status"], "read");
        assert!(bob
            .get(&format!("/client/v1/chats/{chat}/messages/{id}/receipts"))
            .await
            .is_err());

        // Retrying the same client_id returns the original, and nothing new is delivered.
        let again = ada
            .post(
                &format!("/client/v1/chats/{chat}/messages"),
                json!({"client_id": "c-1", "type": "text", "text": {"body": "Hello Bob"}}),
            )
            .await
            .unwrap();
        assert_eq!(again["id"], id.as_str());
        assert!(bob_ws.drain(300).await.iter().all(|f| f["type"] != "event"));
    }
}

#[tokio::test]
async fn replies_reactions_forwards_locations_and_contacts() {
    let s = TestServer::start().await;
    let ada = s.register(ADA, "Ada").await;
    let bob = s.register(BOB, "Bob").await;
    let carol = s.register(CAROL, "Carol").await;
    let chat = ada.chat_with(&bob.wa_id).await;
    let first = ada.send_text(&chat, "Lunch at noon?").await;
    let first_id = first["id"].as_str().unwrap();

    let reply = bob
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "text", "text": {"body": "Yes!"}, "context": {"message_id": first_id}}),
        )
        .await
        .unwrap();
    assert_eq!(reply["context"]["message_id"], first_id);
    assert_eq!(reply["context"]["from"], ada.wa_id.as_str());
    assert_eq!(reply["context"]["preview"], "Lunch at noon?");

    let reaction = bob
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "reaction", "reaction": {"message_id": first_id, "emoji": "👍"}}),
        )
        .await
        .unwrap();
    assert_eq!(reaction["reaction"]["emoji"], "👍");
    let removed = bob
        .post(
            &format!("/client/v1/chats/{chat}/messages"),
            json!({"type": "reaction", "reaction": {"message_id": first_id, "emoji": ""}}),
        )
        .await
        .unwrap();
    assert_eq!(removed["reaction"]["emoji"], "");

    let loc = ada.post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "location", "location": {"latitude": "51.5", "longitude": -0.12, "name": "Cafe"}})).await.unwrap();
    assert_eq!(loc["location"]["latitude"], 51.5);
    let card = ada
        .post(&format!("/client/v1/chats/{chat}/messages"), json!({"type": "contacts", "contacts": [{"name": {"formatted_name": "Carol"}, "phones": [{"phone": carol.phone, "wa_id": carol.wa_id}]}]}))
        .await
        .unwrap();
    assert_eq!(card["contacts"][0]["name"]["formatted_name"], "Carol");

    // Forward Ada's question to Carol.
    let other = ada.chat_with(&carol.wa_id).await;
    let fwd = ada
        .post(
            &format!("/client/v1/chats/{other}/messages"),
            json!({"type": "text", "text": {"body": "Lunch at noon?"}, "forwarded": true}),
        )
        .await
        .unwrap();
    assert_eq!(fwd["forwarded"], true);

    // History pages backwards in order.
    let page = ada
        .get(&format!("/client/v1/chats/{chat}/messages?limit=2"))
        .await
        .unwrap();
    assert_eq!(page["has_more"], true);
    let seqs: Vec<i64> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, vec![5, 6]);
    let older = ada
        .get(&format!(
            "/client/v1/chats/{chat}/messages?before_seq=5&limit=10"
        ))
        .await
        .unwrap();
    assert_eq!(older["data"].as_array().unwrap().len(), 4);
    assert_eq!(older["has_more"], false);

    // Bad input is refused and changes nothing.
    let bad = [
        json!({"type": "text", "text": {"body": ""}}),
        json!({"type": "text", "text": {"body": "x".repeat(4097)}}),
        json!({"type": "text"}),
        json!({"type": "reaction", "reaction": {"message_id": "wamid.nope", "emoji": "😀"}}),
        json!({"type": "location", "location": {"latitude": 91, "longitude": 0}}),
        json!({"type": "contacts", "contacts": []}),
        json!({"type": "image", "image": {"id": "12345"}}),
        json!({"type": "system", "system": {"body": "fake"}}),
        json!({"type": "text", "text": {"body": "hi"}, "context": {"message_id": fwd["id"]}}),
    ];
    for body in bad {
        let (status, err) = ada
            .post(&format!("/client/v1/chats/{chat}/messages"), body.clone())
            .await
            .unwrap_err();
        assert_eq!(status, 400, "{body} → {err}");
        assert_eq!(err["error"]["code"], "bad_request");
    }
    let after = ada.get(&format!("/client/v1/chats/{chat}")).await.unwrap();
    assert_eq!(after["last_seq"], 6);
}

#[tokio::test]
async fn typing_and_presence_reach_the_other_side() {
    let s = TestServer::start().await;
    let ada = s.register(ADA, "Ada").await;
    let bob = s.register(BOB, "Bob").await;
    let chat = ada.chat_with(&bob.wa_id).await;
    let mut ada_ws = ada.ws(0).await;
    ada_ws
        .send(json!({"op": "presence", "wa_ids": [bob.wa_id]}))
        .await;
    let p = ada_ws.expect("presence", |f| f["type"] == "presence").await;
    assert_eq!(p["online"], false);

    let mut bob_ws = bob.ws(0).await;
    let p = ada_ws
        .expect("presence online", |f| f["type"] == "presence")
        .await;
    assert_eq!(
        (p["wa_id"].as_str(), p["online"].as_bool()),
        (Some(bob.wa_id.as_str()), Some(true))
    );

    bob_ws
        .send(json!({"op": "typing", "chat_id": chat, "state": "composing"}))
        .await;
    let t = ada_ws.expect("typing", |f| f["type"] == "typing").await;
    assert_eq!(
        (t["wa_id"].as_str(), t["state"].as_str()),
        (Some(bob.wa_id.as_str()), Some("composing"))
    );

    bob_ws.send(json!({"op": "ping"})).await;
    bob_ws.expect("pong", |f| f["type"] == "pong").await;
    bob_ws.close().await;
    let p = ada_ws
        .expect("presence offline", |f| f["type"] == "presence")
        .await;
    assert_eq!(p["online"], false);
    assert!(p["last_seen"].as_i64().unwrap() > 0);
    let acc = ada
        .get(&format!("/client/v1/accounts/{}", bob.wa_id))
        .await
        .unwrap();
    assert!(acc["last_seen"].as_i64().is_some());
}
