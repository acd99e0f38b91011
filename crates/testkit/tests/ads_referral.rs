//! Click-to-chat ads end to end, on each backend: opening a campaign's link (or tapping its ad
//! in Status) opens the chat with the business, shows its greeting and hands out a referral
//! token; the person's first message carrying the token, over REST or the WebSocket, reaches
//! the business's webhook (signature checked by the receiver) with exactly Meta's `referral`
//! fields (`ctwa_clid` for the link, none for Status); the token works once, only for its
//! person and chat; taps and started chats are counted; the console shows where the chat came
//! from; and billing's free entry point opens, so the business's marketing reply is free.

mod ads_support;

use ads_support::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use wasla_testkit::{Db, TestServer};

/// A marketing template of the business, approved.
async fn promo_template(s: &TestServer, sc: &Scene) {
    let (st, t) = sc
        .shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/message_templates", sc.shop.waba_id),
            Some(
                json!({"name": "promo", "language": "en_US", "category": "MARKETING",
                "components": [{"type": "BODY", "text": "10% off succulents"}]}),
            ),
        )
        .await;
    assert_eq!(st, 200, "{t}");
    let (st, r) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/templates/{}/review", t["id"].as_str().unwrap()),
            Some(json!({"status": "APPROVED"})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
}

/// The inbound message webhook with this text body.
async fn inbound(sc: &Scene, body: &str) -> Value {
    let v = sc
        .shop
        .hooks
        .wait_for("inbound message", 15, |v| {
            v["messages"][0]["text"]["body"] == body
        })
        .await;
    v["messages"][0].clone()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// The business sends the promo and Ada's device takes it: the `delivered` status.
async fn promo_delivered(sc: &Scene, chat: &str, ws: &mut wasla_testkit::Ws) -> Value {
    let (st, r) = sc
        .shop
        .send(
            json!({"messaging_product": "whatsapp", "to": sc.ada.wa_id, "type": "template",
            "template": {"name": "promo", "language": {"code": "en_US"}}}),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let wamid = r["messages"][0]["id"].as_str().unwrap().to_string();
    ws.send(json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [wamid]}))
        .await;
    sc.shop.hooks.status(&wamid, "delivered").await
}

#[tokio::test]
async fn a_link_open_brings_the_referral_with_its_click_id() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2027, 1, 5, 12, 0));
        let sc = scene(&s).await;
        promo_template(&s, &sc).await;
        let c = running(&s, &sc.admin, &[]).await;
        let id = c["id"].as_str().unwrap().to_string();
        let link = c["link"].as_str().unwrap().to_string();
        let code = link.rsplit('/').next().unwrap().to_string();

        let open = sc
            .ada
            .post(&format!("/client/v1/ads/links/{code}/open"), json!({}))
            .await
            .unwrap();
        assert_eq!(open["welcome_message"], "Hi! Which plant do you like?");
        assert_eq!(open["business"]["wa_id"], sc.shop.wa_id.as_str());
        let chat = open["chat_id"].as_str().unwrap().to_string();
        assert_eq!(sc.ada.chat_with(&sc.shop.wa_id).await, chat);
        let token = open["referral"].as_str().unwrap().to_string();
        // The welcome message is for display only: the chat holds no message yet.
        let history = sc
            .ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap();
        assert!(history["data"].as_array().unwrap().is_empty(), "{history}");

        // Someone else cannot use Ada's token, nor can Ada in another chat.
        let bob_chat = sc.bob.chat_with(&sc.shop.wa_id).await;
        let (st, e) = sc
            .bob
            .post(
                &format!("/client/v1/chats/{bob_chat}/messages"),
                json!({"type": "text", "text": {"body": "sneaky"}, "referral": token}),
            )
            .await
            .unwrap_err();
        assert_eq!(st, 400, "{e}");
        let ada_bob = sc.ada.chat_with(&sc.bob.wa_id).await;
        let (st, _) = sc
            .ada
            .post(
                &format!("/client/v1/chats/{ada_bob}/messages"),
                json!({"type": "text", "text": {"body": "wrong chat"}, "referral": token}),
            )
            .await
            .unwrap_err();
        assert_eq!(st, 400);

        // Ada's first message carries it; the webhook has Meta's referral object.
        sc.ada
            .post(
                &format!("/client/v1/chats/{chat}/messages"),
                json!({"type": "text", "text": {"body": "Can I get more info?"}, "referral": token}),
            )
            .await
            .unwrap();
        let m = inbound(&sc, "Can I get more info?").await;
        assert!(m.get("context").is_none(), "{m}");
        let r = &m["referral"];
        let expected: BTreeSet<String> = [
            "source_url",
            "source_id",
            "source_type",
            "body",
            "headline",
            "media_type",
            "image_url",
            "ctwa_clid",
            "welcome_message",
        ]
        .iter()
        .map(|k| k.to_string())
        .collect();
        assert_eq!(keys(r), expected, "{r}");
        assert_eq!(r["source_url"], link.as_str());
        assert_eq!(r["source_id"], id.as_str());
        assert_eq!(r["source_type"], "ad");
        assert_eq!(r["headline"], "Succulents are here");
        assert_eq!(r["body"], "Fresh plants every week");
        assert_eq!(r["media_type"], "image");
        assert_eq!(r["image_url"], c["creative"]["url"]);
        assert!(r["ctwa_clid"].as_str().unwrap().len() >= 20);
        assert_eq!(
            r["welcome_message"],
            json!({"text": "Hi! Which plant do you like?"})
        );

        // Used once: a resend with the token (its ack lost, say) goes without a referral, and
        // so do later messages.
        sc.ada
            .post(
                &format!("/client/v1/chats/{chat}/messages"),
                json!({"type": "text", "text": {"body": "again"}, "referral": token}),
            )
            .await
            .unwrap();
        assert!(inbound(&sc, "again").await.get("referral").is_none());
        sc.ada.send_text(&chat, "Second question").await;
        assert!(inbound(&sc, "Second question")
            .await
            .get("referral")
            .is_none());

        // Counted, and the console shows where the chat came from.
        let day = sc
            .admin
            .get(&format!("/console/v1/ads/campaigns/{id}"))
            .await["days"][0]
            .clone();
        assert_eq!(day["taps"], 1);
        assert_eq!(day["chats_started"], 1);
        let inbox = sc.admin.get("/console/v1/inbox").await;
        let row = inbox["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["chat_id"] == chat.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("chat not in the inbox: {inbox}"));
        assert_eq!(row["ad_origin"]["headline"], "Succulents are here");
        assert_eq!(row["ad_origin"]["via"], "link");

        // The free entry point is open: the business's marketing reply costs nothing.
        let mut ws = sc.ada.ws(0).await;
        let st = promo_delivered(&sc, &chat, &mut ws).await;
        assert_eq!(st["pricing"]["type"], "free_entry_point", "{st}");
        assert_eq!(st["pricing"]["category"], "referral_conversion");
    }
}

#[tokio::test]
async fn a_tap_in_status_brings_the_referral_without_a_click_id() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2027, 1, 5, 12, 0));
        let sc = scene(&s).await;
        promo_template(&s, &sc).await;
        let (st, c) = create(
            &s,
            &sc.admin,
            fields(&[("headline", "Watch our greenhouse")]),
            Some((mp4(), "video/mp4")),
        )
        .await;
        assert_eq!(st, 200, "{c}");
        let c = approve(&s, c["id"].as_str().unwrap()).await;
        let ads = sc.ads().await;
        let placement = ads[0]["ad"]["id"].as_str().unwrap().to_string();
        assert_eq!(ads[0]["ad"]["media"]["type"], "video");
        let open = sc
            .ada
            .post(&format!("/client/v1/ads/{placement}/tap"), json!({}))
            .await
            .unwrap();
        let chat = open["chat_id"].as_str().unwrap().to_string();
        let token = open["referral"].as_str().unwrap().to_string();

        // The first message goes over the WebSocket.
        let mut ws = sc.ada.ws(0).await;
        ws.send(
            json!({"op": "send", "ref": "r1", "chat_id": chat, "client_id": "ad-1",
            "type": "text", "text": {"body": "Is it open on Sundays?"}, "referral": token}),
        )
        .await;
        // The ack comes once the message is committed and its referral recorded.
        let ack = ws
            .expect("ack", |f| f["type"] == "ack" && f["ref"] == "r1")
            .await;
        assert!(ack.get("error").is_none(), "{ack}");
        let m = inbound(&sc, "Is it open on Sundays?").await;
        let r = &m["referral"];
        let expected: BTreeSet<String> = [
            "source_url",
            "source_id",
            "source_type",
            "body",
            "headline",
            "media_type",
            "video_url",
            "thumbnail_url",
            "welcome_message",
        ]
        .iter()
        .map(|k| k.to_string())
        .collect();
        assert_eq!(keys(r), expected, "no ctwa_clid for Status: {r}");
        assert_eq!(r["media_type"], "video");
        assert_eq!(r["headline"], "Watch our greenhouse");
        assert_eq!(r["video_url"], c["creative"]["url"]);
        assert_eq!(r["thumbnail_url"], c["creative"]["thumbnail_url"]);
        assert_eq!(r["source_id"], c["id"]);

        let day = sc
            .admin
            .get(&format!(
                "/console/v1/ads/campaigns/{}",
                c["id"].as_str().unwrap()
            ))
            .await["days"][0]
            .clone();
        assert_eq!(day["taps"], 1);
        assert_eq!(day["chats_started"], 1);
        let st = promo_delivered(&sc, &chat, &mut ws).await;
        assert_eq!(st["pricing"]["type"], "free_entry_point", "{st}");
    }
}
