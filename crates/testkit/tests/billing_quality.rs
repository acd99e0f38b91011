//! Blocking, reporting, marketing opt-outs and quality, end to end on both backends: a person
//! blocks (or reports) a business number and its sends are accepted and then fail with
//! 131026, delivering nothing; a person who opted out of a business's marketing gets none of
//! its marketing templates (131050); a number's quality rating follows the blocks and reports
//! of the people it messaged in the last 7 days, with `phone_number_quality_update` webhooks
//! (FLAGGED, UNFLAGGED); and `/{phone-number-id}/block_users` lets a business block people
//! who wrote to it, with Meta's shapes and errors, for its own numbers only.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, Person, TestServer};

const HOUR: i64 = 3600 * 1000;

async fn approved(s: &TestServer, shop: &Business, name: &str, category: &str) {
    let (status, _) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/businesses/{}/auto-approve", shop.waba_id),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, t) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/message_templates", shop.waba_id),
            Some(json!({"name": name, "language": "en", "category": category,
                "components": [{"type": "BODY", "text": "News from us."}]})),
        )
        .await;
    assert_eq!(
        (status, t["status"].as_str()),
        (200, Some("APPROVED")),
        "{t}"
    );
}

async fn send_template(shop: &Business, to: &str, name: &str) -> String {
    let (status, v) = shop
        .send(
            json!({"messaging_product": "whatsapp", "to": to, "type": "template",
            "template": {"name": name, "language": {"code": "en"}}}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    v["messages"][0]["id"].as_str().expect("wamid").to_string()
}

async fn failed_code(shop: &Business, wamid: &str) -> i64 {
    shop.hooks.status(wamid, "failed").await["errors"][0]["code"]
        .as_i64()
        .unwrap_or_default()
}

async fn history(p: &Person, chat: &str) -> String {
    p.get(&format!("/client/v1/chats/{chat}/messages"))
        .await
        .expect("history")
        .to_string()
}

async fn node(shop: &Business) -> Value {
    shop.api(
        Method::GET,
        &format!("/v23.0/{}", shop.phone_number_id),
        None,
    )
    .await
    .1
}

#[tokio::test]
async fn blocked_or_reported_business_sends_fail_with_131026() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        let shop = s.business("Acme", "+1 650 555 3001").await;
        let ada = s.register("+44 7911 124001", "Ada").await;
        let bob = s.register("+44 7911 124002", "Bob").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "hi").await;
        let bob_chat = bob.chat_with(&shop.wa_id).await;
        bob.send_text(&bob_chat, "hello").await;
        let first = shop.send_text(&ada.wa_id, "welcome").await;
        shop.hooks.status(&first, "sent").await;

        // Ada blocks Acme from the chat: its next send is accepted, then fails; she gets nothing.
        let r = ada
            .call(
                Method::PUT,
                &format!("/client/v1/blocks/{}", shop.wa_id),
                Some(json!({"reason": "spam"})),
            )
            .await
            .expect("block");
        assert_eq!(
            (r["blocked"].as_bool(), r["is_business"].as_bool()),
            (Some(true), Some(true)),
            "{r}"
        );
        let list = ada.get("/client/v1/blocks").await.expect("list");
        assert_eq!(list["data"][0]["wa_id"], shop.wa_id.as_str(), "{list}");
        assert_eq!(list["data"][0]["display_name"], "Acme");
        let blocked = shop.send_text(&ada.wa_id, "after the block").await;
        assert_eq!(failed_code(&shop, &blocked).await, 131026);
        assert!(!history(&ada, &chat).await.contains("after the block"));
        // Bob did not block anyone: his messages still arrive.
        let to_bob = shop.send_text(&bob.wa_id, "for bob").await;
        shop.hooks.status(&to_bob, "sent").await;
        assert!(history(&bob, &bob_chat).await.contains("for bob"));
        let rb = bob
            .get(&format!("/client/v1/blocks/{}", shop.wa_id))
            .await
            .expect("relation");
        assert_eq!(rb["blocked"], false, "{rb}");

        // Unblocked, Acme reaches her again.
        let r = ada
            .delete(&format!("/client/v1/blocks/{}", shop.wa_id))
            .await
            .expect("unblock");
        assert_eq!(r["blocked"], false);
        let again = shop.send_text(&ada.wa_id, "back again").await;
        shop.hooks.status(&again, "sent").await;

        // A report blocks too (unless told not to) and is remembered.
        let r = ada
            .post(
                &format!("/client/v1/businesses/{}/report", shop.wa_id),
                json!({"reason": "scam"}),
            )
            .await
            .expect("report");
        assert_eq!(
            (r["reported"].as_bool(), r["blocked"].as_bool()),
            (Some(true), Some(true)),
            "{r}"
        );
        let reported = shop.send_text(&ada.wa_id, "after the report").await;
        assert_eq!(failed_code(&shop, &reported).await, 131026);
        assert!(!history(&ada, &chat).await.contains("after the report"));

        // Bad input gets clear errors and changes nothing.
        let me = ada.wa_id.clone();
        for (method, path, body, status) in [
            (
                Method::PUT,
                format!("/client/v1/blocks/{me}"),
                json!({}),
                400,
            ),
            (
                Method::PUT,
                "/client/v1/blocks/15550000000".to_string(),
                json!({}),
                404,
            ),
            (
                Method::PUT,
                "/client/v1/blocks/not-a-number".to_string(),
                json!({}),
                400,
            ),
            (
                Method::PUT,
                format!("/client/v1/blocks/{}", bob.wa_id),
                json!({"reason": "x".repeat(201)}),
                400,
            ),
            (
                Method::PUT,
                format!("/client/v1/blocks/{}", bob.wa_id),
                json!({"why": "x"}),
                400,
            ),
            (
                Method::POST,
                format!("/client/v1/businesses/{}/report", bob.wa_id),
                json!({}),
                400,
            ),
        ] {
            let err = ada
                .call(method.clone(), &path, Some(body))
                .await
                .expect_err(&path);
            assert_eq!(err.0, status, "{method} {path}: {}", err.1);
        }
        let list = ada.get("/client/v1/blocks").await.expect("list");
        assert_eq!(list["data"].as_array().map(Vec::len), Some(1), "{list}");
        // Any chat partner can be blocked, a person too.
        let r = ada
            .call(
                Method::PUT,
                &format!("/client/v1/blocks/{}", bob.wa_id),
                Some(json!({})),
            )
            .await
            .expect("block bob");
        assert_eq!(
            (r["blocked"].as_bool(), r["is_business"].as_bool()),
            (Some(true), Some(false))
        );
    }
}

#[tokio::test]
async fn marketing_opt_out_stops_marketing_templates_with_131050() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        let shop = s.business("Acme", "+1 650 555 3002").await;
        let other = s.business("Other", "+1 650 555 3003").await;
        approved(&s, &shop, "promo", "MARKETING").await;
        approved(&s, &shop, "notice", "UTILITY").await;
        approved(&s, &other, "promo", "MARKETING").await;
        let ada = s.register("+44 7911 124011", "Ada").await;

        let r = ada
            .call(
                Method::PUT,
                &format!("/client/v1/businesses/{}/marketing", shop.wa_id),
                Some(json!({"opt_out": true})),
            )
            .await
            .expect("opt out");
        assert_eq!(r["marketing_opt_out"], true, "{r}");
        let promo = send_template(&shop, &ada.wa_id, "promo").await;
        let failed = shop.hooks.status(&promo, "failed").await;
        assert_eq!(failed["errors"][0]["code"], 131050, "{failed}");
        // Utility templates still arrive, and other businesses' marketing too.
        let notice = send_template(&shop, &ada.wa_id, "notice").await;
        shop.hooks.status(&notice, "sent").await;
        let theirs = send_template(&other, &ada.wa_id, "promo").await;
        other.hooks.status(&theirs, "sent").await;

        // Opting back in.
        let r = ada
            .call(
                Method::PUT,
                &format!("/client/v1/businesses/{}/marketing", shop.wa_id),
                Some(json!({"opt_out": false})),
            )
            .await
            .expect("opt in");
        assert_eq!(r["marketing_opt_out"], false);
        let promo = send_template(&shop, &ada.wa_id, "promo").await;
        shop.hooks.status(&promo, "sent").await;

        // People send no marketing; a missing field is an error.
        let bob = s.register("+44 7911 124012", "Bob").await;
        let err = ada
            .call(
                Method::PUT,
                &format!("/client/v1/businesses/{}/marketing", bob.wa_id),
                Some(json!({"opt_out": true})),
            )
            .await
            .expect_err("person");
        assert_eq!(err.0, 400);
        let err = ada
            .call(
                Method::PUT,
                &format!("/client/v1/businesses/{}/marketing", shop.wa_id),
                Some(json!({})),
            )
            .await
            .expect_err("missing");
        assert_eq!(err.0, 400);
    }
}

/// The `phone_number_quality_update` webhooks with `event`.
fn quality_events(shop: &Business, event: &str) -> Vec<Value> {
    shop.hooks
        .payloads()
        .into_iter()
        .filter(|p| {
            let c = &p["entry"][0]["changes"][0];
            c["field"] == "phone_number_quality_update" && c["value"]["event"] == event
        })
        .collect()
}

async fn wait_event(shop: &Business, event: &str) -> Value {
    for _ in 0..200 {
        if let Some(p) = quality_events(shop, event).first() {
            return p.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no {event} webhook; got {:#?}", shop.hooks.payloads());
}

#[tokio::test]
async fn quality_follows_blocks_and_reports_of_people_messaged() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db.clone(), |c| c.limits.messages_per_second = 0).await;
        let shop = s.business("Acme", "+1 650 555 3004").await;
        approved(&s, &shop, "notice", "UTILITY").await;
        let ada = s.register("+44 7911 124021", "Ada").await;
        let bob = s.register("+44 7911 124022", "Bob").await;
        let carol = s.register("+44 7911 124023", "Carol").await;
        let mut reached = vec![ada.wa_id.clone(), bob.wa_id.clone()];
        for i in 0..38 {
            let p = s
                .app
                .accounts
                .admin_register_person(&format!("+44 7911 23{i:04}"), "Customer")
                .await
                .expect("register");
            reached.push(p.account.wa_id.clone());
        }
        for to in &reached {
            send_template(&shop, to, "notice").await;
        }
        assert_eq!(node(&shop).await["quality_rating"], "GREEN");

        // One block among 40 people messaged (2.5 %): YELLOW, no webhook yet.
        ada.call(
            Method::PUT,
            &format!("/client/v1/blocks/{}", shop.wa_id),
            Some(json!({})),
        )
        .await
        .expect("block");
        assert_eq!(node(&shop).await["quality_rating"], "YELLOW");
        // A report with a block (5 %): RED, flagged.
        bob.post(
            &format!("/client/v1/businesses/{}/report", shop.wa_id),
            json!({"reason": "spam"}),
        )
        .await
        .expect("report");
        let n = node(&shop).await;
        assert_eq!(n["quality_rating"], "RED", "{n}");
        let p = wait_event(&shop, "FLAGGED").await;
        assert_eq!(p["entry"][0]["id"], shop.waba_id.as_str());
        let v = &p["entry"][0]["changes"][0]["value"];
        assert_eq!(v["display_phone_number"], shop.wa_id.as_str());
        assert_eq!(v["current_limit"], "TIER_UNLIMITED");
        assert_eq!(
            v["metadata"]["phone_number_id"],
            shop.phone_number_id.as_str()
        );
        let (_, limits) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/businesses/{}/limits", shop.waba_id),
                None,
            )
            .await;
        assert_eq!(
            (
                limits["numbers"][0]["signals"].as_i64(),
                limits["numbers"][0]["reach"].as_i64()
            ),
            (Some(2), Some(40)),
            "{limits}"
        );
        // Carol was never messaged by Acme: her block does not count against it.
        carol
            .call(
                Method::PUT,
                &format!("/client/v1/blocks/{}", shop.wa_id),
                Some(json!({})),
            )
            .await
            .expect("carol blocks");
        assert_eq!(node(&shop).await["quality_rating"], "RED");

        // Ada unblocks: back to YELLOW, unflagged.
        ada.delete(&format!("/client/v1/blocks/{}", shop.wa_id))
            .await
            .expect("unblock");
        assert_eq!(node(&shop).await["quality_rating"], "YELLOW");
        wait_event(&shop, "UNFLAGGED").await;
        assert_eq!(quality_events(&shop, "FLAGGED").len(), 1);

        // A week later the signals have aged out; the worker rates it GREEN again.
        s.clock.advance_ms(7 * 24 * HOUR + 6 * HOUR + 1000);
        let mut rating = Value::Null;
        for _ in 0..100 {
            rating = node(&shop).await["quality_rating"].clone();
            if rating == "GREEN" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(rating, "GREEN", "{db:?}");
    }
}

#[tokio::test]
async fn block_users_api_with_its_errors_and_tenancy() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        let shop = s.business("Acme", "+1 650 555 3005").await;
        let rival = s.business("Rival", "+1 650 555 3006").await;
        let ada = s.register("+44 7911 124031", "Ada").await;
        let bob = s.register("+44 7911 124032", "Bob").await;
        let dan = s.register("+44 7911 124033", "Dan").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "hi").await;
        let bob_chat = bob.chat_with(&shop.wa_id).await;
        bob.send_text(&bob_chat, "hello").await;
        let path = format!("/v23.0/{}/block_users", shop.phone_number_id);
        let body = |users: &[&str]| {
            json!({"messaging_product": "whatsapp",
                "block_users": users.iter().map(|u| json!({"user": u})).collect::<Vec<_>>()})
        };
        let ada_plus = format!("+{}", ada.wa_id);

        let (status, v) = shop
            .api(Method::POST, &path, Some(body(&[&ada_plus])))
            .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            v,
            json!({"messaging_product": "whatsapp", "block_users": {"added_users": [{"input": ada_plus, "wa_id": ada.wa_id}]}})
        );
        // Without a version too (whatsapp-api-js), and blocking twice is harmless.
        let (status, v) = shop
            .api(
                Method::POST,
                &format!("/{}/block_users", shop.phone_number_id),
                Some(body(&[&bob.wa_id])),
            )
            .await;
        assert_eq!(status, 200, "{v}");

        // Errors: the request fails as a whole and nothing changes.
        for (b, code) in [
            (json!({"block_users": [{"user": bob.wa_id}]}), 100),
            (
                json!({"messaging_product": "whatsapp", "block_users": []}),
                100,
            ),
            (json!({"messaging_product": "whatsapp"}), 100),
            (body(&[&dan.wa_id]), 139100),
            (body(&[&ada.wa_id, "not a number"]), 139100),
            (body(&["15550001111"]), 139100),
        ] {
            let (status, err) = shop.api(Method::POST, &path, Some(b.clone())).await;
            assert_eq!(
                (status, err["error"]["code"].as_i64()),
                (400, Some(code)),
                "{b}: {err}"
            );
        }
        let (_, err) = shop
            .api(Method::POST, &path, Some(body(&[&dan.wa_id])))
            .await;
        assert!(
            err["error"]["error_data"]["details"]
                .as_str()
                .unwrap_or_default()
                .contains("last 24 hours"),
            "{err}"
        );

        // The list, newest first, with cursors.
        let (status, list) = shop
            .api(Method::GET, &format!("{path}?limit=1"), None)
            .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["data"].as_array().map(Vec::len), Some(1), "{list}");
        assert_eq!(list["data"][0]["messaging_product"], "whatsapp");
        let after = list["paging"]["cursors"]["after"]
            .as_str()
            .expect("cursor")
            .to_string();
        let (_, rest) = shop
            .api(Method::GET, &format!("{path}?limit=1&after={after}"), None)
            .await;
        let mut seen: Vec<String> = [&list, &rest]
            .iter()
            .map(|l| {
                l["data"][0]["wa_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        seen.sort();
        let mut want = vec![ada.wa_id.clone(), bob.wa_id.clone()];
        want.sort();
        assert_eq!(seen, want);
        assert!(rest["paging"].is_null(), "{rest}");
        let (status, _) = shop
            .api(Method::GET, &format!("{path}?after=bogus"), None)
            .await;
        assert_eq!(status, 400);

        // Another business can neither see nor change this number's list.
        for method in [Method::GET, Method::POST, Method::DELETE] {
            let (status, err) = rival
                .api(method.clone(), &path, Some(body(&[&ada.wa_id])))
                .await;
            assert_eq!(
                (status, err["error"]["code"].as_i64()),
                (400, Some(100)),
                "{method}: {err}"
            );
        }
        let (_, full) = shop.api(Method::GET, &path, None).await;
        assert_eq!(full["data"].as_array().map(Vec::len), Some(2), "{full}");

        // Blocked: Ada's messages reach no webhook, and Acme's sends to her fail with 131026.
        ada.send_text(&chat, "are you there").await;
        let blocked = shop.send_text(&ada.wa_id, "hello ada").await;
        assert_eq!(failed_code(&shop, &blocked).await, 131026);
        assert!(!history(&ada, &chat).await.contains("hello ada"));
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        assert!(!shop
            .hooks
            .payloads()
            .iter()
            .any(|p| p.to_string().contains("are you there")));

        // Unblocked (DELETE), she is heard again.
        let (status, v) = shop
            .api(Method::DELETE, &path, Some(body(&[&ada.wa_id])))
            .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            v["block_users"]["removed_users"][0]["wa_id"],
            ada.wa_id.as_str(),
            "{v}"
        );
        ada.send_text(&chat, "now?").await;
        shop.hooks
            .wait_for("Ada's message", 10, |v| {
                v["messages"][0]["text"]["body"] == "now?"
            })
            .await;
        let sent = shop.send_text(&ada.wa_id, "yes").await;
        shop.hooks.status(&sent, "sent").await;
    }
}
