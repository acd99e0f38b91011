//! Business-initiated messaging limits, end to end on both backends with the clock under
//! control: a WABA on `TIER_250` reaches 250 unique recipients of templates sent outside the
//! customer service window, the 251st person's template is accepted and then fails with
//! 131048, people already counted still get theirs, and 24 hours later the window has rolled
//! on. Upgrades are evaluated every 6 hours once half the limit was used, announced by
//! `phone_number_quality_update` and `account_update` webhooks, and shown on the phone-number
//! node; the operator sets tiers through the admin API, with its errors.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, TestServer};

const HOUR: i64 = 3600 * 1000;

/// An approved UTILITY template `notice` on the business (automatic approval).
async fn notice_template(s: &TestServer, shop: &Business) {
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
            Some(
                json!({"name": "notice", "language": "en", "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Your order shipped."}]}),
            ),
        )
        .await;
    assert_eq!(
        (status, t["status"].as_str()),
        (200, Some("APPROVED")),
        "{t}"
    );
}

/// Send `notice` to a wa_id; the wamid.
async fn send_notice(shop: &Business, to: &str) -> String {
    let (status, v) = shop
        .send(
            json!({"messaging_product": "whatsapp", "to": to, "type": "template",
            "template": {"name": "notice", "language": {"code": "en"}}}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    v["messages"][0]["id"].as_str().expect("wamid").to_string()
}

/// People registered by the operator (no codes), by wa_id.
async fn people(s: &TestServer, prefix: &str, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let session = s
            .app
            .accounts
            .admin_register_person(&format!("{prefix}{i:04}"), "Customer")
            .await
            .expect("register");
        out.push(session.account.wa_id.clone());
    }
    out
}

/// The first webhook payload of `field` whose value matches, waiting up to 10 s.
async fn change(shop: &Business, field: &str, pred: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        if let Some(p) = shop.hooks.payloads().iter().find(|p| {
            let c = &p["entry"][0]["changes"][0];
            c["field"] == field && pred(&c["value"])
        }) {
            return p.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no {field} webhook; got {:#?}", shop.hooks.payloads());
}

async fn limits(s: &TestServer, waba: &str) -> Value {
    let (status, v) = s
        .admin(
            Method::GET,
            &format!("/admin/v1/businesses/{waba}/limits"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{v}");
    v
}

#[tokio::test]
async fn limit_reached_at_250_unique_recipients_and_released_after_24_hours() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db.clone(), |c| c.limits.messages_per_second = 0).await;
        let shop = s.business("Acme", "+1 650 555 2001").await;
        notice_template(&s, &shop).await;
        // New businesses are unlimited by default.
        assert_eq!(
            limits(&s, &shop.waba_id).await["messaging_limit_tier"],
            "TIER_UNLIMITED"
        );
        let (status, v) = s
            .admin(
                Method::PUT,
                &format!("/admin/v1/businesses/{}/limits", shop.waba_id),
                Some(json!({"tier": "TIER_250"})),
            )
            .await;
        assert_eq!(
            (status, v["messaging_limit_tier"].as_str()),
            (200, Some("TIER_250")),
            "{v}"
        );
        assert_eq!(v["max_daily_conversations_per_business"], 250);
        // The apps hear of it, in Meta's shapes.
        let p = change(&shop, "phone_number_quality_update", |v| {
            v["event"] == "DOWNGRADE"
        })
        .await;
        assert_eq!(p["entry"][0]["id"], shop.waba_id.as_str());
        let v = &p["entry"][0]["changes"][0]["value"];
        assert_eq!(v["display_phone_number"], shop.wa_id.as_str());
        assert_eq!(
            (v["old_limit"].as_str(), v["current_limit"].as_str()),
            (Some("TIER_UNLIMITED"), Some("TIER_250"))
        );
        assert_eq!(
            v["metadata"]["phone_number_id"],
            shop.phone_number_id.as_str()
        );
        let p = change(&shop, "account_update", |v| {
            v["event"] == "MESSAGING_LIMIT_UPDATE"
        })
        .await;
        assert_eq!(
            p["entry"][0]["changes"][0]["value"]["max_daily_conversations_per_business"],
            250
        );

        let crowd = people(&s, "+44 7911 20", 251).await;
        for to in &crowd[..250] {
            send_notice(&shop, to).await;
        }
        // The 251st unique recipient: accepted, then failed with 131048.
        let over = send_notice(&shop, &crowd[250]).await;
        let failed = shop.hooks.status(&over, "failed").await;
        assert_eq!(failed["errors"][0]["code"], 131048, "{failed}");
        assert!(
            failed["errors"][0]["error_data"]["details"]
                .as_str()
                .unwrap_or_default()
                .contains("Messaging limit reached"),
            "{failed}"
        );
        // Someone already counted still gets theirs.
        let again = send_notice(&shop, &crowd[0]).await;
        shop.hooks.status(&again, "sent").await;
        let v = limits(&s, &shop.waba_id).await;
        assert_eq!(
            (v["unique_recipients_24h"].as_i64(), v["peak_7d"].as_i64()),
            (Some(250), Some(250)),
            "{v}"
        );

        // 23 hours on, the window still holds all 250. Having used its whole limit, the WABA
        // is also due for its 6-hour evaluation: the worker moves it up to TIER_2K (waited
        // for, so that nothing depends on when the worker runs).
        s.clock.advance_ms(23 * HOUR);
        change(&shop, "phone_number_quality_update", |v| {
            v["event"] == "UPGRADE"
        })
        .await;
        let v = limits(&s, &shop.waba_id).await;
        assert_eq!(v["unique_recipients_24h"], 250, "{db:?}: {v}");
        // A day after the first sends the window has rolled on.
        s.clock.advance_ms(HOUR + 1);
        let later = send_notice(&shop, &crowd[250]).await;
        shop.hooks.status(&later, "sent").await;
        let v = limits(&s, &shop.waba_id).await;
        assert_eq!(v["unique_recipients_24h"], 1, "{db:?}: {v}");
        let reasons: Vec<&str> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["reason"].as_str())
            .collect();
        assert_eq!(reasons, ["upgrade", "operator"], "{v}");
    }
}

#[tokio::test]
async fn upgrade_after_six_hour_evaluation_once_half_the_limit_was_used() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db.clone(), |c| {
            c.limits.messages_per_second = 0;
            c.limits.messaging_tier = "TIER_250".into();
        })
        .await;
        let busy = s.business("Busy", "+1 650 555 2002").await;
        let quiet = s.business("Quiet", "+1 650 555 2003").await;
        notice_template(&s, &busy).await;
        notice_template(&s, &quiet).await;
        let crowd = people(&s, "+44 7911 21", 125).await;
        for to in &crowd {
            send_notice(&busy, to).await;
        }
        for to in &crowd[..10] {
            send_notice(&quiet, to).await;
        }
        // The phone-number node shows the configured default tier and a green rating.
        let node = format!("/v23.0/{}", busy.phone_number_id);
        let (_, n) = busy.api(Method::GET, &node, None).await;
        assert_eq!(
            (
                n["messaging_limit_tier"].as_str(),
                n["quality_rating"].as_str()
            ),
            (Some("TIER_250"), Some("GREEN")),
            "{n}"
        );
        assert_eq!(
            n["throughput"]["level"], "HIGH",
            "no per-number limit configured"
        );

        // Five hours later nothing was evaluated yet.
        s.clock.advance_ms(5 * HOUR);
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(
            limits(&s, &busy.waba_id).await["messaging_limit_tier"],
            "TIER_250"
        );
        // At six hours the busy WABA (125 of 250 used) moves up; the quiet one (10) does not.
        s.clock.advance_ms(HOUR + 1000);
        let p = change(&busy, "phone_number_quality_update", |v| {
            v["event"] == "UPGRADE"
        })
        .await;
        let v = &p["entry"][0]["changes"][0]["value"];
        assert_eq!(
            (v["old_limit"].as_str(), v["current_limit"].as_str()),
            (Some("TIER_250"), Some("TIER_2K")),
            "{v}"
        );
        assert_eq!(v["max_daily_conversations_per_business"], "TIER_2K");
        let p = change(&busy, "account_update", |_| true).await;
        assert_eq!(
            p["entry"][0]["changes"][0]["value"]["max_daily_conversations_per_business"],
            2000
        );
        let (_, n) = busy.api(Method::GET, &node, None).await;
        assert_eq!(n["messaging_limit_tier"], "TIER_2K", "{n}");
        let (_, list) = busy
            .api(
                Method::GET,
                &format!("/v23.0/{}/phone_numbers", busy.waba_id),
                None,
            )
            .await;
        assert_eq!(list["data"][0]["messaging_limit_tier"], "TIER_2K", "{list}");
        let v = limits(&s, &busy.waba_id).await;
        assert_eq!(
            (
                v["history"][0]["reason"].as_str(),
                v["history"][0]["new_tier"].as_str()
            ),
            (Some("upgrade"), Some("TIER_2K")),
            "{v}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let q = limits(&s, &quiet.waba_id).await;
        assert_eq!(
            (
                q["messaging_limit_tier"].as_str(),
                q["history"].as_array().map(Vec::len)
            ),
            (Some("TIER_250"), Some(0)),
            "{db:?}: {q}"
        );
        assert!(quiet
            .hooks
            .payloads()
            .iter()
            .all(|p| p["entry"][0]["changes"][0]["field"] != "account_update"));
        // 2,000 now allowed: the 126th unique person of the day gets the template.
        let newcomer = people(&s, "+44 7911 22", 1).await;
        let id = send_notice(&busy, &newcomer[0]).await;
        busy.hooks.status(&id, "sent").await;
    }
}

#[tokio::test]
async fn operator_sets_tiers_with_clear_errors() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 2004").await;
    let path = format!("/admin/v1/businesses/{}/limits", shop.waba_id);
    let (status, v) = s
        .admin(Method::PUT, &path, Some(json!({"tier": "TIER_5"})))
        .await;
    assert_eq!(status, 400, "{v}");
    assert!(v.to_string().contains("TIER_250"), "{v}");
    let (status, _) = s
        .admin(Method::PUT, &path, Some(json!({"level": "TIER_2K"})))
        .await;
    assert_eq!(status, 400);
    let (status, _) = s
        .admin(
            Method::PUT,
            "/admin/v1/businesses/999999/limits",
            Some(json!({"tier": "TIER_2K"})),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        s.admin(Method::GET, "/admin/v1/businesses/nope/limits", None)
            .await
            .0,
        404
    );
    // Nothing changed, and nobody but the operator may look.
    assert_eq!(
        limits(&s, &shop.waba_id).await["messaging_limit_tier"],
        "TIER_UNLIMITED"
    );
    let r = reqwest::Client::new()
        .get(format!("{}{path}", s.url))
        .bearer_auth(&shop.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
