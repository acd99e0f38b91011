//! Two nodes on one PostgreSQL database with NATS between them: a person connected to node A
//! receives in real time what node B accepted, and receipts flow back. Runs when
//! `WASLA_TEST_DATABASE_URL` and `WASLA_TEST_NATS_URL` are set (as in CI).

use serde_json::json;
use wasla_testkit::TestServer;

#[tokio::test]
async fn nodes_share_live_events_through_nats() {
    let Some((a, b)) = TestServer::start_cluster().await else {
        eprintln!("skipped: set WASLA_TEST_DATABASE_URL and WASLA_TEST_NATS_URL to test a cluster");
        return;
    };
    let ada = a.register("+44 7911 123401", "Ada").await;
    let bob_on_a = a.register("+44 7911 123402", "Bob").await;
    // Bob's device talks to node B with the same session.
    let bob = bob_on_a.rebase(&b);
    let chat = ada.chat_with(&bob.wa_id).await;
    let mut bob_ws = bob.ws(0).await;
    let mut ada_ws = ada.ws(0).await;
    bob_ws.drain(200).await;
    ada_ws.drain(200).await;

    ada_ws.send(json!({"op": "send", "ref": "1", "chat_id": chat, "type": "text", "text": {"body": "across nodes"}})).await;
    let got = bob_ws.expect_event("message").await;
    assert_eq!(got["message"]["text"]["body"], "across nodes");
    bob_ws.send(json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [got["message"]["id"]]})).await;
    let st = ada_ws.expect_event("status").await;
    assert_eq!(st["status"], "delivered");

    // Typing and presence cross nodes too.
    ada_ws
        .send(json!({"op": "presence", "wa_ids": [bob.wa_id]}))
        .await;
    ada_ws.expect("presence", |f| f["type"] == "presence").await;
    bob_ws
        .send(json!({"op": "typing", "chat_id": chat, "state": "composing"}))
        .await;
    ada_ws.expect("typing", |f| f["type"] == "typing").await;
    bob_ws.close().await;
    let p = ada_ws
        .expect("presence offline", |f| {
            f["type"] == "presence" && f["online"] == false
        })
        .await;
    assert_eq!(p["wa_id"], bob.wa_id.as_str());
}
