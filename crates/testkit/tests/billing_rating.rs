//! Rating delivered business messages into the ledger, end to end through the real server on
//! both backends: the recipient's market and the card's rate, free service and utility
//! messages inside the customer service window (its 24-hour edge), the free entry point,
//! the July 2025 and October 2026 rule switches at midnight of a non-UTC WABA's zone, volume
//! tiers across a month boundary, exactly once under repeated receipts, 131042 when the
//! balance cannot cover a send (nothing charged), status webhooks carrying the rated
//! `pricing`, and one WABA's card never touching another's.

use chrono::{TimeZone, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, Person, TestServer, Ws};

const GERMANY_MARKETING: i64 = 136_500;
const GERMANY_UTILITY: i64 = 55_000;

/// A business, a German person with a connected device, and their chat.
struct Scene {
    shop: Business,
    ada: Person,
    ws: Ws,
    chat: String,
    waba: i64,
}

async fn scene(s: &TestServer, number: &str, person: &str) -> Scene {
    let shop = s.business("Acme", number).await;
    let ada = s.register(person, "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    let ws = ada.ws(0).await;
    for (name, category) in [
        ("promo", "MARKETING"),
        ("notice", "UTILITY"),
        ("code", "AUTHENTICATION"),
    ] {
        let (status, t) = shop
            .api(
                Method::POST,
                &format!("/v23.0/{}/message_templates", shop.waba_id),
                Some(
                    json!({"name": name, "language": "en_US", "category": category,
                    "components": [{"type": "BODY", "text": "Hello from Acme"}]}),
                ),
            )
            .await;
        assert_eq!(status, 200, "{t}");
        let (status, r) = s
            .admin(
                Method::POST,
                &format!("/admin/v1/templates/{}/review", t["id"].as_str().unwrap()),
                Some(json!({"status": "APPROVED"})),
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }
    let waba = shop.waba_id.parse().unwrap();
    Scene {
        shop,
        ada,
        ws,
        chat,
        waba,
    }
}

impl Scene {
    /// Send a template; returns the wamid.
    async fn template(&self, name: &str) -> String {
        let (status, r) = self
            .shop
            .send(
                json!({"messaging_product": "whatsapp", "to": self.ada.wa_id, "type": "template",
                "template": {"name": name, "language": {"code": "en_US"}}}),
            )
            .await;
        assert_eq!(status, 200, "{r}");
        r["messages"][0]["id"].as_str().unwrap().to_string()
    }

    /// Ada writes to the business (opening its customer service window).
    async fn inbound(&self) {
        self.ada.send_text(&self.chat, "hello").await;
    }

    /// Ada's device has the message; returns the `delivered` status webhook.
    async fn deliver(&mut self, wamid: &str) -> Value {
        self.ws
            .send(json!({"op": "receipt", "chat_id": self.chat, "status": "delivered", "ids": [wamid]}))
            .await;
        self.shop.hooks.status(wamid, "delivered").await
    }
}

/// The rated messages of a WABA.
async fn rated(s: &TestServer, waba: &str) -> Vec<Value> {
    let (status, v) = s
        .admin(
            Method::GET,
            &format!("/admin/v1/billing/accounts/{waba}/rated"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{v}");
    v["data"].as_array().cloned().unwrap_or_default()
}

async fn rated_one(s: &TestServer, waba: &str, wamid: &str) -> Value {
    let rows: Vec<Value> = rated(s, waba)
        .await
        .into_iter()
        .filter(|r| r["wamid"] == wamid)
        .collect();
    assert_eq!(rows.len(), 1, "rated once: {rows:?}");
    rows[0].clone()
}

/// Move the server's clock so that now is `at` (Unix ms).
fn set_clock(s: &TestServer, at: i64) {
    s.clock.advance_ms(at - s.app.now());
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, sec: u32) -> i64 {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, sec)
        .unwrap()
        .timestamp_millis()
}

#[tokio::test]
async fn delivered_messages_are_rated_once_with_the_card_rate() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        // Rating follows the PMP set of July 2025 (not the reported October 2026 one).
        set_clock(&s, utc(2026, 3, 10, 12, 0, 0));
        let mut sc = scene(&s, "+1 650 555 1234", "+49 151 23456789").await;

        // A marketing template to Germany: charged once delivered, at Germany's rate.
        let promo = sc.template("promo").await;
        let sent = sc.shop.hooks.status(&promo, "sent").await;
        assert_eq!(sent["pricing"]["type"], "regular");
        assert!(
            rated(&s, &sc.shop.waba_id).await.is_empty(),
            "not before delivery"
        );
        let st = sc.deliver(&promo).await;
        assert_eq!(
            st["pricing"],
            json!({"billable": true, "pricing_model": "PMP", "category": "marketing", "type": "regular"})
        );
        let row = rated_one(&s, &sc.shop.waba_id, &promo).await;
        assert_eq!(row["amount_micros"], -GERMANY_MARKETING);
        assert_eq!(
            (row["market"].as_str(), row["country"].as_str()),
            (Some("Germany"), Some("DE"))
        );
        assert_eq!(row["currency"], "USD");

        // The same receipt again, a read, and a restart: still rated once.
        sc.ws
            .send(
                json!({"op": "receipt", "chat_id": sc.chat, "status": "delivered", "ids": [promo]}),
            )
            .await;
        sc.ws
            .send(json!({"op": "read", "chat_id": sc.chat, "up_to_seq": 1_000_000}))
            .await;
        sc.shop.hooks.status(&promo, "read").await;
        rated_one(&s, &sc.shop.waba_id, &promo).await;

        // Utility outside the window: charged. A failed send (131047, free-form outside the
        // window) is never rated.
        let notice = sc.template("notice").await;
        sc.deliver(&notice).await;
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &notice).await["amount_micros"],
            -GERMANY_UTILITY
        );
        let (_, r) = sc
            .shop
            .send(json!({"messaging_product": "whatsapp", "to": sc.ada.wa_id, "type": "text", "text": {"body": "hi"}}))
            .await;
        let failed = r["messages"][0]["id"].as_str().unwrap().to_string();
        sc.shop.hooks.status(&failed, "failed").await;

        // Ada writes: inside the window utility and service are free, marketing is not.
        sc.inbound().await;
        let opened = s.app.now();
        let notice = sc.template("notice").await;
        let st = sc.deliver(&notice).await;
        assert_eq!(st["pricing"]["type"], "free_customer_service");
        assert_eq!(st["pricing"]["billable"], false);
        let row = rated_one(&s, &sc.shop.waba_id, &notice).await;
        assert_eq!(
            (row["amount_micros"].as_i64(), row["pricing_type"].as_str()),
            (Some(0), Some("free_customer_service"))
        );
        let reply = sc.shop.send_text(&sc.ada.wa_id, "thanks").await;
        sc.deliver(&reply).await;
        let row = rated_one(&s, &sc.shop.waba_id, &reply).await;
        assert_eq!(
            (row["amount_micros"].as_i64(), row["category"].as_str()),
            (Some(0), Some("service"))
        );

        // The window's edge: 23:59:59 after the last inbound it is open, at 24:00:00 closed.
        set_clock(&s, opened + 24 * 3_600_000 - 1_000);
        let inside = sc.template("notice").await;
        set_clock(&s, opened + 24 * 3_600_000 + 50);
        let outside = sc.template("notice").await;
        sc.deliver(&inside).await;
        sc.deliver(&outside).await;
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &inside).await["amount_micros"],
            0
        );
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &outside).await["amount_micros"],
            -GERMANY_UTILITY
        );

        // Every row is a delivered message; nothing was rated twice or left waiting.
        let (_, list) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/billing/accounts/{}/rated", sc.shop.waba_id),
                None,
            )
            .await;
        assert_eq!(list["data"].as_array().unwrap().len(), 6, "{list}");
        assert_eq!(list["unrated"], 0);
        assert!(!list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["wamid"] == failed.as_str()));
        let waba = sc.waba;
        let _ = waba;
    }
}

#[tokio::test]
async fn free_entry_point_lasts_72_hours_from_a_timely_reply() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2026, 3, 10, 12, 0, 0));
        let mut sc = scene(&s, "+1 650 555 1234", "+49 151 23456789").await;
        // Ada comes from a click-to-chat ad (an inbound message carrying a referral).
        sc.inbound().await;
        let number: i64 = sc.shop.phone_number_id.parse().unwrap();
        let ada_id = s
            .app
            .accounts
            .identity_by_wa_id(&sc.ada.wa_id)
            .await
            .unwrap()
            .unwrap()
            .id;
        let referral = s.app.now();
        s.app
            .billing
            .open_entry_point(number, ada_id, referral)
            .await
            .unwrap();
        // The business answers within 24 hours: 72 hours of free messages from that answer.
        s.clock.advance_ms(3_600_000);
        let replied = s.app.now();
        let first = sc.template("promo").await;
        let st = sc.deliver(&first).await;
        assert_eq!(st["pricing"]["type"], "free_entry_point");
        assert_eq!(st["pricing"]["category"], "referral_conversion");
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &first).await["amount_micros"],
            0
        );
        // Ada keeps the service window open; marketing stays free until 72 h after the reply.
        set_clock(&s, replied + 71 * 3_600_000);
        sc.inbound().await;
        let late = sc.template("promo").await;
        set_clock(&s, replied + 72 * 3_600_000 + 50);
        let after = sc.template("promo").await;
        sc.deliver(&late).await;
        sc.deliver(&after).await;
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &late).await["pricing_type"],
            "free_entry_point"
        );
        let row = rated_one(&s, &sc.shop.waba_id, &after).await;
        assert_eq!(
            (row["pricing_type"].as_str(), row["amount_micros"].as_i64()),
            (Some("regular"), Some(-GERMANY_MARKETING))
        );

        // A referral answered only after 24 hours opens nothing.
        s.app
            .billing
            .open_entry_point(number, ada_id, s.app.now())
            .await
            .unwrap();
        s.clock.advance_ms(24 * 3_600_000 + 1_000);
        sc.inbound().await;
        let slow = sc.template("promo").await;
        sc.deliver(&slow).await;
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &slow).await["pricing_type"],
            "regular"
        );
    }
}

#[tokio::test]
async fn rule_sets_switch_at_midnight_in_the_wabas_zone() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2025, 6, 30, 12, 0, 0));
        let mut sc = scene(&s, "+1 650 555 1234", "+49 151 23456789").await;
        // A default card in force before July 2025 too.
        let (status, v) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "default", "effective_from": "2025-01-01",
                "source": "test", "csv": "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service,Tier From\nOther,USD,0.05,0.01,0.01,,0,\n"})))
            .await;
        assert_eq!(status, 200, "{v}");
        s.app
            .billing
            .set_billing_terms(
                sc.waba,
                serde_json::from_value(json!({"timezone": "Asia/Tokyo"})).unwrap(),
            )
            .await
            .unwrap();
        s.app.billing.forget_rating_account(sc.waba);
        // Tokyo is 9 hours ahead: 14:59:58 UTC is 23:59:58 on June 30th there.
        let mut utility_in_window = async |at: i64| {
            set_clock(&s, at);
            sc.inbound().await;
            let w = sc.template("notice").await;
            let st = sc.deliver(&w).await;
            (
                st["pricing"].clone(),
                rated_one(&s, &sc.shop.waba_id, &w).await,
            )
        };
        let (p, row) = utility_in_window(utc(2025, 6, 30, 14, 59, 58)).await;
        assert_eq!(
            (p["pricing_model"].as_str(), p["type"].as_str()),
            (Some("CBP"), Some("regular")),
            "{p}"
        );
        assert_eq!(row["amount_micros"], -10_000);
        let (p, row) = utility_in_window(utc(2025, 6, 30, 15, 0, 1)).await;
        assert_eq!(
            (p["pricing_model"].as_str(), p["type"].as_str()),
            (Some("PMP"), Some("free_customer_service")),
            "{p}"
        );
        assert_eq!(row["amount_micros"], 0);
        // October 2026 (reported): utility inside the window is charged again.
        let (p, _) = utility_in_window(utc(2026, 9, 30, 14, 59, 58)).await;
        assert_eq!(p["type"], "free_customer_service");
        let (p, row) = utility_in_window(utc(2026, 9, 30, 15, 0, 1)).await;
        assert_eq!(p["type"], "regular");
        assert_eq!(row["amount_micros"], -GERMANY_UTILITY);
    }
}

#[tokio::test]
async fn a_send_the_balance_cannot_cover_fails_with_131042() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2026, 3, 10, 12, 0, 0));
        let mut sc = scene(&s, "+1 650 555 1234", "+49 151 23456789").await;
        // Prepaid: no credit, one marketing message's worth of balance.
        s.app
            .billing
            .set_billing_terms(
                sc.waba,
                serde_json::from_value(json!({"credit_limit": 0})).unwrap(),
            )
            .await
            .unwrap();
        s.app
            .billing
            .post_credit(
                sc.waba,
                "top_up",
                serde_json::from_value(json!({"amount": "0.1365"})).unwrap(),
                "test",
            )
            .await
            .unwrap();
        s.app.billing.forget_rating_account(sc.waba);
        let paid = sc.template("promo").await;
        sc.deliver(&paid).await;
        assert_eq!(
            rated_one(&s, &sc.shop.waba_id, &paid).await["amount_micros"],
            -GERMANY_MARKETING
        );
        // Nothing left: accepted, then failed with 131042, and not charged.
        let refused = sc.template("promo").await;
        let st = sc.shop.hooks.status(&refused, "failed").await;
        assert_eq!(st["errors"][0]["code"], 131042);
        assert!(st["pricing"].is_null());
        // Free messages still go (a service reply in the window).
        sc.inbound().await;
        let reply = sc.shop.send_text(&sc.ada.wa_id, "still here").await;
        sc.deliver(&reply).await;
        let rows = rated(&s, &sc.shop.waba_id).await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(s.app.billing.balance(sc.waba).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn one_wabas_card_and_discount_leave_others_alone() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2026, 3, 10, 12, 0, 0));
        let mut a = scene(&s, "+1 650 555 1234", "+49 151 23456789").await;
        let mut b = scene(&s, "+1 650 555 9876", "+49 151 23456780").await;
        let csv = "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service,Tier From\n\
                   Other,USD,0.02,0.004,0.004,,0,\nOther,USD,,0.002,,,,2\n";
        let (status, v) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "vip", "effective_from": "2026-01-01", "source": "contract 7", "csv": csv})))
            .await;
        assert_eq!(status, 200, "{v}");
        let (status, v) = s
            .admin(
                Method::PUT,
                &format!("/admin/v1/billing/accounts/{}/card", a.shop.waba_id),
                Some(json!({"card_name": "vip", "discount_bp": 1000})),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        s.app.billing.forget_rating_account(a.waba);
        let wa = a.template("promo").await;
        let wb = b.template("promo").await;
        a.deliver(&wa).await;
        b.deliver(&wb).await;
        assert_eq!(
            rated_one(&s, &a.shop.waba_id, &wa).await["amount_micros"],
            -18_000
        );
        assert_eq!(
            rated_one(&s, &b.shop.waba_id, &wb).await["amount_micros"],
            -GERMANY_MARKETING
        );
        assert!(rated(&s, &b.shop.waba_id)
            .await
            .iter()
            .all(|r| r["wamid"] != wa.as_str()));

        // Volume tiers: the month's third utility message and on cost the tier's rate; a new
        // month (in the WABA's zone) starts again from the base rate.
        let mut amounts = vec![];
        for _ in 0..3 {
            let w = a.template("notice").await;
            a.deliver(&w).await;
            let row = rated_one(&s, &a.shop.waba_id, &w).await;
            amounts.push((
                row["amount_micros"].as_i64().unwrap(),
                row["tier"].as_str().unwrap().to_string(),
            ));
        }
        assert_eq!(
            amounts,
            [
                (-3_600, "0".into()),
                (-3_600, "0".into()),
                (-1_800, "2".into())
            ]
        );
        set_clock(&s, utc(2026, 4, 1, 0, 0, 5));
        let w = a.template("notice").await;
        a.deliver(&w).await;
        assert_eq!(
            rated_one(&s, &a.shop.waba_id, &w).await["amount_micros"],
            -3_600
        );
    }
}

#[tokio::test]
async fn a_rules_file_charges_service_beyond_its_monthly_allowance() {
    for db in Db::all() {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.toml");
        std::fs::write(
            &rules,
            "[[rule_set]]\nname = \"strict\"\neffective_from = \"2026-01-01\"\npricing_model = \"PMP\"\n\
             utility_free_in_window = false\nfree_entry_point = true\nservice_free_per_month = 2\n",
        )
        .unwrap();
        let path = rules.display().to_string();
        let s = TestServer::start_on_with(db, move |c| c.billing.rules_file = path.clone()).await;
        set_clock(&s, utc(2026, 3, 10, 12, 0, 0));
        let mut sc = scene(&s, "+1 650 555 1234", "+49 151 23456789").await;
        sc.inbound().await;
        let mut rows = vec![];
        for n in 0..3 {
            let w = sc
                .shop
                .send_text(&sc.ada.wa_id, &format!("reply {n}"))
                .await;
            let st = sc.deliver(&w).await;
            let row = rated_one(&s, &sc.shop.waba_id, &w).await;
            rows.push((
                st["pricing"]["type"].as_str().unwrap().to_string(),
                row["pricing_type"].as_str().unwrap().to_string(),
                row["amount_micros"].as_i64().unwrap(),
            ));
        }
        let free = (
            "free_customer_service".to_string(),
            "free_customer_service".to_string(),
            0,
        );
        assert_eq!(rows[..2], [free.clone(), free]);
        assert_eq!(
            rows[2],
            ("regular".into(), "regular".into(), -GERMANY_UTILITY)
        );
    }
}
