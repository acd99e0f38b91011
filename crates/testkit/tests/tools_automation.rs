//! Automations end to end with the clock under test control: the away message outside
//! business hours in Europe/Berlin across the March daylight-saving change, the greeting for a
//! new customer and again after 14 silent days (not after 12), FAQ answers (Arabic included)
//! with a hand-off, stepping aside while an agent handles the chat, an away message held back
//! while an agent is online, the `request_welcome`
//! webhook exactly once, the greeting's include / exclude filters by label, and settings
//! refused with clear errors.

use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use wasla_testkit::{Db, Person, TestServer};

/// Move the test clock so that now is `rfc3339`.
fn set_time(s: &TestServer, rfc3339: &str) {
    let target = chrono_ms(rfc3339);
    let now = s.app.now();
    s.clock.advance_ms(target - now);
}

fn chrono_ms(s: &str) -> i64 {
    // 2027-03-27T16:30:00Z → Unix ms, without a date crate in the tests.
    let (date, time) = s.trim_end_matches('Z').split_once('T').unwrap();
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let t: Vec<i64> = time.split(':').map(|x| x.parse().unwrap()).collect();
    let (y, m, day) = (d[0], d[1], d[2]);
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    ((days * 24 + t[0]) * 60 + t[1]) * 60_000 + t[2] * 1000
}

/// Texts the business number sent in the chat, oldest first.
async fn business_texts(p: &Person, chat: &str, shop_wa: &str) -> Vec<String> {
    let page = p
        .get(&format!("/client/v1/chats/{chat}/messages?limit=200"))
        .await
        .expect("history");
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["from"] == shop_wa)
        .map(|m| m["text"]["body"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Wait until the business has sent `n` texts; returns them.
async fn wait_texts(p: &Person, chat: &str, shop_wa: &str, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let texts = business_texts(p, chat, shop_wa).await;
        if texts.len() >= n {
            return texts;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "expected {n} business messages, got {:?}",
        business_texts(p, chat, shop_wa).await
    );
}

fn settings() -> Value {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    json!({
        "time_zone": "Europe/Berlin",
        "hours": days.iter().map(|d| json!({"day": d, "open": "09:00", "close": "17:00"})).collect::<Vec<_>>(),
        "greeting": {"enabled": true, "text": "Welcome {{name}}!"},
        "away": {"enabled": true, "mode": "outside_hours", "text": "We are closed, {{name}}."},
        "faq": [
            {"keywords": ["opening hours", "ساعات العمل"], "reply": {"type": "text", "text": {"body": "Daily 9 to 5."}}},
            {"keywords": ["human"], "reply": {"type": "text", "text": {"body": "An agent will be with you."}}, "handoff": true}
        ]
    })
}

#[tokio::test]
async fn away_greeting_and_faq_follow_the_clock_across_daylight_saving() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Berlin Bikes", "+49 30 1234567").await;
        let (status, v) = s
            .admin(
                Method::PUT,
                &format!(
                    "/admin/v1/phone-numbers/{}/automations",
                    shop.phone_number_id
                ),
                Some(settings()),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let ada = s.register("+44 7911 123402", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;

        // Saturday 27 March 2027, 16:30 UTC = 17:30 CET: closed. A new customer is greeted
        // and told the business is away.
        set_time(&s, "2027-03-27T16:30:00Z");
        ada.send_text(&chat, "Hi there").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 2).await;
        assert_eq!(texts, ["Welcome Ada!", "We are closed, Ada."]);
        // Sent as the business: the integration sees their statuses.
        let log = s
            .wait_deliveries(&shop.app_id, "two sent statuses", |log| {
                log.iter()
                    .filter(|d| d["event"]["status"] == "sent")
                    .count()
                    >= 2
            })
            .await;
        assert!(!log.is_empty());

        // Sunday 28 March, 07:30 UTC = 09:30 CEST (the clocks went forward): open, so only
        // the FAQ answers (in CET it would still be 08:30 and closed).
        set_time(&s, "2027-03-28T07:30:00Z");
        ada.send_text(&chat, "What are your opening hours?").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 3).await;
        assert_eq!(texts[2], "Daily 9 to 5.");
        // Arabic keywords match too.
        ada.send_text(&chat, "ما هي ساعات العمل؟").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 4).await;
        assert_eq!(texts[3], "Daily 9 to 5.");

        // 15:30 UTC = 17:30 CEST: closed again (in CET it would be 16:30 and open).
        set_time(&s, "2027-03-28T15:30:00Z");
        ada.send_text(&chat, "Still there?").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 5).await;
        assert_eq!(texts[4], "We are closed, Ada.");
        // Once per customer and day: a second message gets no second away message.
        ada.send_text(&chat, "opening hours please").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 6).await;
        assert_eq!(texts[5], "Daily 9 to 5.");

        // 12 days of silence: no greeting (the FAQ answer proves the message was handled).
        set_time(&s, "2027-04-09T10:00:00Z");
        ada.send_text(&chat, "opening hours?").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 7).await;
        assert_eq!(texts[6], "Daily 9 to 5.");
        // 15 days later she is greeted again.
        set_time(&s, "2027-04-24T10:00:00Z");
        ada.send_text(&chat, "Hello again").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 8).await;
        assert_eq!(texts[7], "Welcome Ada!");

        // Hand-off: the chat becomes pending for the agents; while an agent has it, the
        // automations step aside.
        ada.send_text(&chat, "I need a human").await;
        let texts = wait_texts(&ada, &chat, &shop.wa_id, 9).await;
        assert_eq!(texts[8], "An agent will be with you.");
        let agent = s.agent(&shop, "sam@bikes.example", "agent").await;
        let inbox = agent.get("/console/v1/inbox?state=pending").await;
        assert_eq!(inbox["data"][0]["chat_id"], chat.as_str());
        agent
            .patch(
                &format!("/console/v1/chats/{chat}"),
                json!({"assignee_id": agent.id, "state": "open"}),
            )
            .await;
        ada.send_text(&chat, "opening hours?").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(business_texts(&ada, &chat, &shop.wa_id).await.len(), 9);
        // Every reply was answered once: running the worker again changes nothing.
        s.app.tools.run_automations().await.unwrap();
        assert_eq!(business_texts(&ada, &chat, &shop.wa_id).await.len(), 9);
    }
}

#[tokio::test]
async fn welcome_webhook_once_and_custom_away_period() {
    let s = TestServer::start().await;
    let shop = s.business("Cafe", "+1 650 555 2001").await;
    let (status, v) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/conversational_automation", shop.phone_number_id),
            Some(json!({"enable_welcome_message": true, "prompts": ["Book a table", "Opening hours"],
                        "commands": [{"command_name": "menu", "command_description": "See the menu"}]})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v, json!({"success": true}));
    let (_, got) = shop
        .api(
            Method::GET,
            &format!("/v23.0/{}/conversational_automation", shop.phone_number_id),
            None,
        )
        .await;
    assert_eq!(
        got["conversational_automation"]["prompts"][1],
        "Opening hours"
    );

    let bob = s.register("+44 7911 123403", "Bob").await;
    // The person's client sees the prompts and commands.
    let tools = bob
        .get(&format!("/client/v1/businesses/{}/tools", shop.wa_id))
        .await
        .unwrap();
    assert_eq!(tools["prompts"][0], "Book a table");
    assert_eq!(tools["commands"][0]["command_name"], "menu");

    let chat = bob.chat_with(&shop.wa_id).await;
    let v = shop
        .hooks
        .wait_for("request_welcome", 10, |v| {
            v["messages"][0]["type"] == "request_welcome"
        })
        .await;
    assert_eq!(v["messages"][0]["from"], bob.wa_id.as_str());
    assert_eq!(v["contacts"][0]["profile"]["name"], "Bob");
    // Opening again and writing sends no second welcome.
    assert_eq!(bob.chat_with(&shop.wa_id).await, chat);
    bob.send_text(&chat, "/menu").await;
    shop.hooks
        .wait_for("the text", 10, |v| v["messages"][0]["type"] == "text")
        .await;
    s.app.tools.run_automations().await.unwrap();
    let welcomes = shop
        .hooks
        .payloads()
        .iter()
        .filter(|p| wasla_testkit::value_of(p)["messages"][0]["type"] == "request_welcome")
        .count();
    assert_eq!(welcomes, 1);

    // A custom away period in New York time, and an away message only when nobody is online.
    let (status, v) = s
        .admin(
            Method::PUT,
            &format!("/admin/v1/phone-numbers/{}/automations", shop.phone_number_id),
            Some(json!({"time_zone": "America/New_York",
                "away": {"enabled": true, "mode": "custom", "from": "2027-11-07T01:30", "until": "2027-11-08T09:00",
                         "text": "Closed for the holiday", "only_when_no_agent_online": true}})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    // 7 November 2027 05:00 UTC = 01:00 EDT: before the period.
    set_time(&s, "2027-11-07T05:00:00Z");
    bob.send_text(&chat, "early").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(business_texts(&bob, &chat, &shop.wa_id).await.is_empty());
    // 06:45 UTC = 01:45 EST (the repeated hour, after clocks went back): inside.
    set_time(&s, "2027-11-07T06:45:00Z");
    bob.send_text(&chat, "anyone?").await;
    let texts = wait_texts(&bob, &chat, &shop.wa_id, 1).await;
    assert_eq!(texts, ["Closed for the holiday"]);
    // The next day, still inside the period: while an agent is online, no away message; once
    // nobody was seen for a while, it goes out.
    set_time(&s, "2027-11-08T06:00:00Z");
    let _agent = s.agent(&shop, "night@cafe.example", "agent").await;
    bob.send_text(&chat, "hello?").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(business_texts(&bob, &chat, &shop.wa_id).await.len(), 1);
    set_time(&s, "2027-11-08T06:05:00Z");
    bob.send_text(&chat, "hello??").await;
    let texts = wait_texts(&bob, &chat, &shop.wa_id, 2).await;
    assert_eq!(texts[1], "Closed for the holiday");

    // Bad settings change nothing and say why.
    for (bad, why) in [
        (json!({"time_zone": "Mars/Olympus"}), "time zone"),
        (
            json!({"hours": [{"day": "mon", "open": "18:00", "close": "09:00"}]}),
            "open before",
        ),
        (
            json!({"away": {"enabled": true, "mode": "sometimes", "text": "x"}}),
            "mode",
        ),
        (json!({"unknown": 1}), "unknown"),
    ] {
        let (status, v) = s
            .admin(
                Method::PUT,
                &format!(
                    "/admin/v1/phone-numbers/{}/automations",
                    shop.phone_number_id
                ),
                Some(bad),
            )
            .await;
        assert_eq!(status, 400, "{v}");
        assert!(v.to_string().contains(why), "{v}");
    }
    let (_, kept) = s
        .admin(
            Method::GET,
            &format!(
                "/admin/v1/phone-numbers/{}/automations",
                shop.phone_number_id
            ),
            None,
        )
        .await;
    assert_eq!(kept["time_zone"], "America/New_York");
    let (status, v) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/conversational_automation", shop.phone_number_id),
            Some(json!({"commands": [{"command_name": "bad name!", "command_description": "x"}]})),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(v["error"]["code"], 100, "{v}");
}

#[tokio::test]
async fn automation_endpoints_are_tenant_scoped() {
    let s = TestServer::start().await;
    let a = s.business("A", "+1 650 555 3001").await;
    let b = s.business("B", "+1 650 555 3002").await;
    // B's token cannot read or change A's conversational automation.
    for method in [Method::GET, Method::POST] {
        let (status, v) = b
            .api(
                method.clone(),
                &format!("/v23.0/{}/conversational_automation", a.phone_number_id),
                (method == Method::POST).then(|| json!({"enable_welcome_message": true})),
            )
            .await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"]["code"], 100);
    }
    // An admin of B cannot read A's automations through the console.
    let agent = s.agent(&b, "boss@b.example", "admin").await;
    let (status, _) = agent
        .call(
            Method::GET,
            &format!("/console/v1/numbers/{}/automations", a.phone_number_id),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = agent
        .call(
            Method::PUT,
            &format!("/console/v1/numbers/{}/automations", a.phone_number_id),
            Some(json!({"greeting": {"enabled": true, "text": "hijacked"}})),
        )
        .await;
    assert_eq!(status, 404);
    // Without the operator token the admin endpoints refuse.
    let (status, _) = agent
        .call(
            Method::GET,
            &format!("/admin/v1/phone-numbers/{}/automations", a.phone_number_id),
            None,
        )
        .await;
    assert_eq!(status, 401);
}

async fn put(agent: &wasla_testkit::Agent, path: &str, body: Value) {
    let (status, v) = agent.call(Method::PUT, path, Some(body)).await;
    assert_eq!(status, 200, "{path}: {v}");
}

#[tokio::test]
async fn greeting_filters_by_label() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Label Shop", "+1 650 555 6021").await;
        let boss = s.agent(&shop, "boss@labels.example", "admin").await;
        let lid = boss
            .post(
                "/console/v1/labels",
                json!({"name": "VIP", "color": "#ffaa00"}),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let path = format!("/console/v1/numbers/{}/automations", shop.phone_number_id);
        let with = |greeting: Value| {
            json!({"greeting": greeting, "faq": [{"keywords": ["hello"],
                "reply": {"type": "text", "text": {"body": "Hi."}}}]})
        };
        // Unknown label ids are refused and change nothing.
        let (status, v) = boss
            .call(
                Method::PUT,
                &path,
                Some(with(
                    json!({"enabled": true, "text": "Welcome!", "include_labels": ["999"]}),
                )),
            )
            .await;
        assert_eq!(status, 400, "{v}");
        assert!(boss.get(&path).await["greeting"].is_null());
        put(
            &boss,
            &path,
            with(json!({"enabled": true, "text": "Welcome {{name}}!", "include_labels": [lid]})),
        )
        .await;

        let ada = s.register("+44 7911 126021", "Ada").await;
        let bob = s.register("+44 7911 126022", "Bob").await;
        let ada_chat = ada.chat_with(&shop.wa_id).await;
        let bob_chat = bob.chat_with(&shop.wa_id).await;
        put(
            &boss,
            &format!("/console/v1/chats/{ada_chat}/labels/{lid}"),
            json!({}),
        )
        .await;
        // Only the labelled customer is greeted; the FAQ answer shows Bob's message was handled.
        bob.send_text(&bob_chat, "hello").await;
        assert_eq!(wait_texts(&bob, &bob_chat, &shop.wa_id, 1).await, ["Hi."]);
        ada.send_text(&ada_chat, "hello").await;
        assert_eq!(
            wait_texts(&ada, &ada_chat, &shop.wa_id, 2).await,
            ["Welcome Ada!", "Hi."]
        );

        // Excluding the label: a labelled new customer is not greeted, others are.
        put(
            &boss,
            &path,
            with(json!({"enabled": true, "text": "Welcome {{name}}!", "exclude_labels": [lid]})),
        )
        .await;
        let cy = s.register("+44 7911 126023", "Cy").await;
        let dee = s.register("+44 7911 126024", "Dee").await;
        let cy_chat = cy.chat_with(&shop.wa_id).await;
        let dee_chat = dee.chat_with(&shop.wa_id).await;
        put(
            &boss,
            &format!("/console/v1/chats/{cy_chat}/labels/{lid}"),
            json!({}),
        )
        .await;
        cy.send_text(&cy_chat, "hello").await;
        assert_eq!(wait_texts(&cy, &cy_chat, &shop.wa_id, 1).await, ["Hi."]);
        dee.send_text(&dee_chat, "hello").await;
        assert_eq!(
            wait_texts(&dee, &dee_chat, &shop.wa_id, 2).await,
            ["Welcome Dee!", "Hi."]
        );
    }
}
