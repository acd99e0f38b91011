//! The console's live stream end to end: an agent's stream receives a customer's message as
//! it arrives, chat changes, and another agent's presence (online while their stream is open,
//! offline when it closes); tenancy: another business's agent hears none of it, and a stream
//! needs an agent session.

use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn agents_stream_messages_chat_changes_and_presence() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6031").await;
        let rival = s.business("Rival", "+1 650 555 6032").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;
        let mut boss_live = boss.stream().await;
        let mut other_live = other.stream().await;

        // Sam opens the console: the boss sees Sam online; closing it, offline.
        let sam_live = sam.stream().await;
        boss_live
            .expect("sam online", |v| {
                v["type"] == "agent_presence"
                    && v["agent_id"] == sam.id.as_str()
                    && v["online"] == true
            })
            .await;
        drop(sam_live);
        boss_live
            .expect("sam offline", |v| {
                v["type"] == "agent_presence"
                    && v["agent_id"] == sam.id.as_str()
                    && v["online"] == false
            })
            .await;

        // Two consoles: closing one keeps Sam online (even when his last activity is long
        // past); closing the last announces him offline.
        let is_sam = |online: bool| {
            let id = sam.id.clone();
            move |v: &Value| {
                v["type"] == "agent_presence"
                    && v["agent_id"] == id.as_str()
                    && v["online"] == online
            }
        };
        let first = sam.stream().await;
        boss_live.expect("sam online again", is_sam(true)).await;
        let second = sam.stream().await;
        drop(first);
        boss_live.quiet(is_sam(false)).await;
        s.clock.advance_ms(10 * 60 * 1000);
        let sam_online = |agents: Value| {
            agents["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == sam.id.as_str())
                .unwrap()["online"]
                .clone()
        };
        assert_eq!(sam_online(boss.get("/console/v1/agents").await), true);
        drop(second);
        boss_live.expect("sam offline again", is_sam(false)).await;
        assert_eq!(sam_online(boss.get("/console/v1/agents").await), false);

        // A customer writes: the message arrives on the stream.
        let ada = s.register("+44 7911 126031", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "Is my parcel on its way?").await;
        let got = boss_live
            .expect("ada's message", |v| {
                v["type"] == "event" && v.to_string().contains("Is my parcel on its way?")
            })
            .await;
        assert_eq!(got["phone_number_id"], shop.phone_number_id.as_str());

        // A chat change is announced.
        boss.patch(
            &format!("/console/v1/chats/{chat}"),
            json!({"state": "pending"}),
        )
        .await;
        boss_live
            .expect("chat pending", |v| {
                v["type"] == "chat" && v["chat_id"] == chat.as_str() && v["state"] == "pending"
            })
            .await;

        // Tenancy: the rival's agent heard none of it.
        other_live
            .quiet(|v| {
                let t = v.to_string();
                t.contains("Is my parcel") || t.contains(&sam.id) || t.contains(&chat)
            })
            .await;

        // No agent session, no stream.
        let resp = reqwest::Client::new()
            .get(format!("{}/console/v1/stream", s.url))
            .bearer_auth(&shop.token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
    }
}
