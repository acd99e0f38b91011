//! The inbox keeps up with customers, end to end: a resolved or pending chat reopens when the
//! customer writes again and goes where the business's rule says (back to its agent while
//! online, back to its agent in any case, or to the unassigned queue), with the agent online
//! and offline; "waiting since" and the longest-waiting-first sort; mentions of agents in
//! notes; `notify` items on the agents' live streams for new chats, messages in chats assigned
//! to them and mentions, each reaching only whom it concerns; bad settings refused; tenancy.

use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use wasla_testkit::{Agent, Db, TestServer};

/// A `notify` item of this kind about this chat.
fn notify<'a>(kind: &'a str, chat: &'a str) -> impl Fn(&Value) -> bool + 'a {
    move |v| v["type"] == "notify" && v["kind"] == kind && v["chat_id"] == chat
}

/// Wait until the chat is open again; its assignee then.
async fn reopened(agent: &Agent, chat: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let c = agent
            .get(&format!("/console/v1/chats/{chat}/customer"))
            .await;
        if c["state"] == "open" {
            return c["assignee_id"].clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "chat never reopened: {c}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn set(agent: &Agent, chat: &str, body: Value) {
    agent
        .patch(&format!("/console/v1/chats/{chat}"), body)
        .await;
}

#[tokio::test]
async fn resolved_and_pending_chats_reopen_by_the_business_rule() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 7101").await;
        let rival = s.business("Rival", "+1 650 555 7102").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;
        let mut boss_live = boss.stream().await;
        let mut other_live = other.stream().await;
        let ada = s.register("+44 7911 127101", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "Hello, I ordered a lamp").await;
        boss_live
            .expect("new chat", notify("new_chat", &chat))
            .await;

        // The default rule: back to its agent while they are online.
        assert_eq!(
            boss.get("/console/v1/inbox/settings").await["reopen_to"],
            "agent_if_online"
        );

        // Sam handles it and resolves it; with Sam's console open, Ada writes again: the chat
        // reopens, Sam's again, and Sam is told.
        set(&sam, &chat, json!({"assignee_id": sam.id})).await;
        set(&sam, &chat, json!({"state": "resolved"})).await;
        let mut sam_live = sam.stream().await;
        ada.send_text(&chat, "It arrived broken").await;
        assert_eq!(reopened(&boss, &chat).await, sam.id.as_str());
        let told = sam_live
            .expect("reopened for sam", notify("reopened", &chat))
            .await;
        assert_eq!(told["to"], sam.id.as_str());
        assert_eq!(told["name"], "Ada");
        assert_eq!(told["preview"], "It arrived broken");
        boss_live
            .expect("chat reopened", |v| {
                v["type"] == "chat" && v["chat_id"] == chat.as_str() && v["reopened"] == true
            })
            .await;
        // Addressed to Sam: the boss's stream does not carry it.
        boss_live.never(notify("reopened", &chat)).await;

        // Pending, and Sam is offline (console closed, idle for ten minutes): to the queue,
        // and every agent is told.
        set(&boss, &chat, json!({"state": "pending"})).await;
        drop(sam_live);
        s.clock.advance_ms(10 * 60 * 1000);
        ada.send_text(&chat, "Anyone there?").await;
        assert_eq!(reopened(&boss, &chat).await, Value::Null);
        let told = boss_live
            .expect("reopened for all", notify("reopened", &chat))
            .await;
        assert_eq!(told.get("to"), None);

        // Rule "agent": back to Sam even while Sam is offline.
        let saved = boss
            .call(
                Method::PUT,
                "/console/v1/inbox/settings",
                Some(json!({"reopen_to": "agent"})),
            )
            .await;
        assert_eq!(saved, (200, json!({"reopen_to": "agent"})));
        set(&boss, &chat, json!({"assignee_id": sam.id})).await;
        set(&boss, &chat, json!({"state": "resolved"})).await;
        s.clock.advance_ms(10 * 60 * 1000);
        ada.send_text(&chat, "Still broken").await;
        assert_eq!(reopened(&boss, &chat).await, sam.id.as_str());

        // Rule "unassigned": to the queue even while Sam is online.
        boss.call(
            Method::PUT,
            "/console/v1/inbox/settings",
            Some(json!({"reopen_to": "unassigned"})),
        )
        .await;
        let _sam_live = sam.stream().await;
        set(&boss, &chat, json!({"state": "pending"})).await;
        ada.send_text(&chat, "Hello?").await;
        assert_eq!(reopened(&boss, &chat).await, Value::Null);

        // An open chat stays as it is when the customer writes.
        set(&boss, &chat, json!({"assignee_id": sam.id})).await;
        ada.send_text(&chat, "Thanks").await;
        let c = boss
            .get(&format!("/console/v1/chats/{chat}/customer"))
            .await;
        assert_eq!(
            (c["state"].clone(), c["assignee_id"].clone()),
            (json!("open"), json!(sam.id))
        );

        // Bad settings are refused and change nothing; agents cannot change them.
        for bad in [
            json!({"reopen_to": "nobody"}),
            json!({"reopen_to": "agent", "x": 1}),
            json!({}),
        ] {
            let (status, body) = boss
                .call(Method::PUT, "/console/v1/inbox/settings", Some(bad))
                .await;
            assert_eq!(status, 400, "{body}");
        }
        let (status, _) = sam
            .call(
                Method::PUT,
                "/console/v1/inbox/settings",
                Some(json!({"reopen_to": "agent"})),
            )
            .await;
        assert_eq!(status, 403);
        assert_eq!(
            boss.get("/console/v1/inbox/settings").await["reopen_to"],
            "unassigned"
        );

        // Tenancy: the rival's settings are its own, and its agents heard nothing of Ada.
        assert_eq!(
            other.get("/console/v1/inbox/settings").await["reopen_to"],
            "agent_if_online"
        );
        other
            .call(
                Method::PUT,
                "/console/v1/inbox/settings",
                Some(json!({"reopen_to": "agent"})),
            )
            .await;
        assert_eq!(
            boss.get("/console/v1/inbox/settings").await["reopen_to"],
            "unassigned"
        );
        other_live
            .never(|v| v.to_string().contains(&chat) || v["type"] == "notify")
            .await;
    }
}

#[tokio::test]
async fn notifications_reach_the_agents_they_concern() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 7111").await;
        let rival = s.business("Rival", "+1 650 555 7112").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let other = s.agent(&rival, "sam@rival.example", "admin").await;
        let mut boss_live = boss.stream().await;
        let mut sam_live = sam.stream().await;
        let mut other_live = other.stream().await;

        // A new chat: every agent of the business hears of it.
        let bob = s.register("+44 7911 127111", "Bob").await;
        let chat = bob.chat_with(&shop.wa_id).await;
        bob.send_text(&chat, "Do you ship to Oman?").await;
        for live in [&mut boss_live, &mut sam_live] {
            let v = live.expect("new chat", notify("new_chat", &chat)).await;
            assert_eq!(v["preview"], "Do you ship to Oman?");
            assert_eq!(v["phone_number_id"], shop.phone_number_id.as_str());
        }
        // More messages in an unassigned chat notify nobody.
        bob.send_text(&chat, "Or to Qatar?").await;
        boss_live
            .expect("the message", |v| {
                v["type"] == "event" && v.to_string().contains("Or to Qatar?")
            })
            .await;
        boss_live.never(notify("message", &chat)).await;

        // Sam claims it: Bob's next message notifies Sam only.
        set(&sam, &chat, json!({"assignee_id": sam.id})).await;
        bob.send_text(&chat, "Hello?").await;
        let v = sam_live
            .expect("message for sam", notify("message", &chat))
            .await;
        assert_eq!(v["preview"], "Hello?");
        boss_live.never(notify("message", &chat)).await;

        // The business's own replies notify nobody.
        sam.post(
            &format!("/console/v1/chats/{chat}/messages"),
            json!({"type": "text", "text": {"body": "Yes, we do"}}),
        )
        .await;
        sam_live
            .expect("the reply", |v| {
                v["type"] == "event" && v.to_string().contains("Yes, we do")
            })
            .await;
        sam_live
            .never(|v| v["type"] == "notify" && v["preview"] == "Yes, we do")
            .await;

        // Mentions: the boss mentions Sam in a note; Sam is told, the boss is not, and the
        // rival's agent also named "sam" hears nothing.
        let note = boss
            .post(
                &format!("/console/v1/chats/{chat}/notes"),
                json!({"body": "@Sam can you check the Oman rates?"}),
            )
            .await;
        assert_eq!(note["mentions"], json!([sam.id]));
        let v = sam_live.expect("mention", notify("mention", &chat)).await;
        assert_eq!(v["to"], sam.id.as_str());
        assert_eq!(v["by"], "boss");
        assert_eq!(v["note_id"], note["id"]);
        boss_live.never(notify("mention", &chat)).await;
        // Names of no agent of this business mention nobody.
        let note = boss
            .post(
                &format!("/console/v1/chats/{chat}/notes"),
                json!({"body": "ask @samir or sam@example.com"}),
            )
            .await;
        assert_eq!(note["mentions"], json!([]));
        let notes = sam.get(&format!("/console/v1/chats/{chat}/notes")).await;
        assert_eq!(notes["data"][0]["mentions"], json!([sam.id]));
        assert_eq!(notes["data"][1]["mentions"], json!([]));

        // Tenancy: the rival's agent cannot write notes in this chat, and heard nothing.
        let (status, _) = other
            .call(
                Method::POST,
                &format!("/console/v1/chats/{chat}/notes"),
                Some(json!({"body": "@sam hi"})),
            )
            .await;
        assert_eq!(status, 404);
        sam_live.never(|v| v["preview"] == "@sam hi").await;
        other_live
            .never(|v| v["type"] == "notify" || v.to_string().contains(&chat))
            .await;
    }
}

#[tokio::test]
async fn waiting_since_and_the_longest_waiting_first() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 7121").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let ada = s.register("+44 7911 127121", "Ada").await;
        let bob = s.register("+44 7911 127122", "Bob").await;
        let ada_chat = ada.chat_with(&shop.wa_id).await;
        let bob_chat = bob.chat_with(&shop.wa_id).await;
        ada.send_text(&ada_chat, "First question").await;
        s.clock.advance_ms(60_000);
        bob.send_text(&bob_chat, "Second question").await;
        s.clock.advance_ms(60_000);
        ada.send_text(&ada_chat, "Hello again").await;

        let list = |q: &'static str| {
            let boss = &boss;
            async move {
                let v = boss.get(&format!("/console/v1/inbox{q}")).await;
                v["data"].as_array().unwrap().clone()
            }
        };
        let names = |rows: &[Value]| -> Vec<String> {
            rows.iter()
                .map(|r| r["name"].as_str().unwrap().to_string())
                .collect()
        };
        // Latest activity first, by default and by name; the longest waiting first on request.
        let latest = list("").await;
        assert_eq!(names(&latest), ["Ada", "Bob"]);
        assert_eq!(names(&list("?sort=latest").await), ["Ada", "Bob"]);
        let ada_since = latest[0]["waiting_since"].as_i64().unwrap();
        let bob_since = latest[1]["waiting_since"].as_i64().unwrap();
        // Ada waits since her first unanswered message, not her latest.
        // (The clock also runs on by itself between the sends.)
        assert!(
            (60_000..120_000).contains(&(bob_since - ada_since)),
            "{latest:?}"
        );
        assert_eq!(names(&list("?sort=waiting").await), ["Ada", "Bob"]);

        // Answered, Ada waits no more: Bob is the longest waiting, Ada after.
        boss.post(
            &format!("/console/v1/chats/{ada_chat}/messages"),
            json!({"type": "text", "text": {"body": "Here to help"}}),
        )
        .await;
        let waiting = list("?sort=waiting").await;
        assert_eq!(names(&waiting), ["Bob", "Ada"]);
        assert_eq!(waiting[1].get("waiting_since"), None);
        assert_eq!(names(&list("").await), ["Ada", "Bob"]);

        // She writes again: waiting since that message.
        s.clock.advance_ms(60_000);
        ada.send_text(&ada_chat, "One more thing").await;
        let waiting = list("?sort=waiting").await;
        assert_eq!(names(&waiting), ["Bob", "Ada"]);
        let since = waiting[1]["waiting_since"].as_i64().unwrap() - bob_since;
        assert!((120_000..180_000).contains(&since), "{waiting:?}");

        // An unknown sort is refused.
        let (status, body) = boss
            .call(Method::GET, "/console/v1/inbox?sort=oldest", None)
            .await;
        assert_eq!(status, 400);
        assert!(body.to_string().contains("latest or waiting"), "{body}");
    }
}
