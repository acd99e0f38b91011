//! Offline delivery, ordering, multiple devices and durability across restarts: a device that
//! reconnects with its last seq gets exactly what it missed, in order, once.

use serde_json::json;
use wasla_testkit::{Db, TestServer};

const ADA: &str = "+44 7911 123401";
const BOB: &str = "+44 7911 123402";

#[tokio::test]
async fn offline_device_gets_everything_in_order_once() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register(ADA, "Ada").await;
        let bob = s.register(BOB, "Bob").await;
        let chat = ada.chat_with(&bob.wa_id).await;

        let mut bob_ws = bob.ws(0).await;
        bob_ws.expect_event("chat").await;
        let seen = bob_ws.last_seq;
        bob_ws.close().await;

        for i in 1..=5 {
            ada.send_text(&chat, &format!("message {i}")).await;
        }
        // Reconnect with the last processed seq: exactly the five, in order.
        let mut bob_ws = bob.ws(seen).await;
        let mut bodies = vec![];
        for _ in 0..5 {
            let e = bob_ws.expect_event("message").await;
            bodies.push(e["message"]["text"]["body"].as_str().unwrap().to_string());
        }
        assert_eq!(
            bodies,
            (1..=5).map(|i| format!("message {i}")).collect::<Vec<_>>()
        );
        assert!(
            bob_ws.drain(300).await.iter().all(|f| f["type"] != "event"),
            "nothing shown twice"
        );

        // A fresh device (after = 0) replays the whole stream.
        let mut fresh = bob.ws(0).await;
        fresh.drain(300).await;
        assert_eq!(fresh.last_seq, bob_ws.last_seq);
    }
}

#[tokio::test]
async fn devices_of_one_person_stay_in_sync() {
    let s = TestServer::start().await;
    let ada = s.register(ADA, "Ada").await;
    let bob = s.register(BOB, "Bob").await;
    let chat = ada.chat_with(&bob.wa_id).await;
    let mut phone = bob.ws(0).await;
    let mut laptop = bob.ws(0).await;
    phone.expect_event("chat").await;
    laptop.expect_event("chat").await;

    let m = ada.send_text(&chat, "to every device").await;
    assert_eq!(
        phone.expect_event("message").await["message"]["id"],
        m["id"]
    );
    assert_eq!(
        laptop.expect_event("message").await["message"]["id"],
        m["id"]
    );

    // Bob answers from his phone; the laptop shows it too, marked as his own.
    phone.send(json!({"op": "send", "ref": "x", "chat_id": chat, "client_id": "phone-1", "type": "text", "text": {"body": "from my phone"}})).await;
    let mine = laptop.expect_event("message").await;
    assert_eq!(mine["message"]["client_id"], "phone-1");
    assert_eq!(mine["message"]["from"], bob.wa_id.as_str());

    // Reading on the laptop clears unread on the phone.
    laptop
        .send(json!({"op": "read", "chat_id": chat, "up_to_seq": 1}))
        .await;
    assert_eq!(phone.expect_event("read").await["up_to_seq"], 1);

    // Profile changes reach the other device.
    bob.patch("/client/v1/me", json!({"about": "Busy"}))
        .await
        .unwrap();
    assert_eq!(
        phone.expect_event("profile").await["account"]["about"],
        "Busy"
    );
}

#[tokio::test]
async fn acknowledged_messages_survive_a_restart() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register(ADA, "Ada").await;
        let bob = s.register(BOB, "Bob").await;
        let chat = ada.chat_with(&bob.wa_id).await;
        for i in 0..20 {
            ada.send_text(&chat, &format!("durable {i}")).await;
        }
        // A connected device is told the server is going away, and shutdown does not hang.
        let mut open = ada.ws(0).await;
        open.drain(200).await;
        let s = s.restart().await;
        assert_eq!(open.closed_by_server().await, Some(1001), "going away");
        let bob = bob.rebase(&s);
        let mut ws = bob.ws(0).await;
        let frames = ws.drain(500).await;
        let bodies: Vec<&str> = ws
            .events
            .iter()
            .filter(|e| e["kind"] == "message")
            .filter_map(|e| e["message"]["text"]["body"].as_str())
            .collect();
        assert_eq!(bodies.len(), 20, "{frames:?}");
        assert_eq!(bodies[19], "durable 19");
    }
}
