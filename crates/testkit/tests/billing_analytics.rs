//! Analytics end to end: the WABA node's `analytics`, `pricing_analytics` and
//! `template_analytics` count what the server saw (sends per recipient, deliveries and reads
//! once each however often a receipt repeats, button replies to a template) and agree with the
//! ledger; a bad field expansion is Graph error 100 naming the problem; one WABA's token never
//! reads another's; the console's Billing page data is the agent's own WABA's (admins only)
//! and the operator's revenue report needs the operator token. The random traffic test that
//! checks the ledger, analytics and invoices agree is `billing_analytics_agree.rs`.

mod analytics;

use analytics::{
    approved_template, fields, micros, send_template, sent_delivered, top_up, volume_cost,
};
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn analytics_count_sends_receipts_and_clicks_once() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        top_up(&s, &shop).await;
        let template = approved_template(&s, &shop, "spring_sale", "MARKETING").await;
        let ada = s.register("+44 7911 123401", "Ada").await; // GG
        let bea = s.register("+49 30 1234567", "Bea").await; // DE
        let ada_chat = ada.chat_with(&shop.wa_id).await;
        let bea_chat = bea.chat_with(&shop.wa_id).await;
        ada.send_text(&ada_chat, "hello").await;
        shop.hooks
            .wait_for("inbound", 10, |v| v["messages"][0]["type"] == "text")
            .await;

        let t_ada = send_template(&shop, &ada, "spring_sale").await;
        let t_bea = send_template(&shop, &bea, "spring_sale").await;
        let text = shop.send_text(&ada.wa_id, "Thanks for writing").await;
        for w in [&t_ada, &t_bea, &text] {
            shop.hooks.status(w, "sent").await;
        }
        let mut ada_ws = ada.ws(0).await;
        ada_ws
            .send(json!({"op": "receipt", "chat_id": ada_chat, "status": "delivered", "ids": [t_ada, text]}))
            .await;
        shop.hooks.status(&t_ada, "delivered").await;
        shop.hooks.status(&text, "delivered").await;
        // Bea reads without a delivered receipt first: delivered and read, each once.
        bea.post(
            &format!("/client/v1/chats/{bea_chat}/read"),
            json!({"up_to_seq": 99}),
        )
        .await
        .unwrap();
        shop.hooks.status(&t_bea, "read").await;
        ada.post(
            &format!("/client/v1/chats/{ada_chat}/read"),
            json!({"up_to_seq": 99}),
        )
        .await
        .unwrap();
        shop.hooks.status(&t_ada, "read").await;
        // Ada taps a quick reply of the template: a click.
        ada.post(
            &format!("/client/v1/chats/{ada_chat}/messages"),
            json!({"type": "button", "context": {"message_id": t_ada}, "button": {"payload": "More", "text": "More"}}),
        )
        .await
        .unwrap();
        shop.hooks
            .wait_for("button reply", 10, |v| v["messages"][0]["type"] == "button")
            .await;
        // A repeated delivered receipt (with a new message's) counts only the new one.
        let again = shop.send_text(&ada.wa_id, "One more thing").await;
        ada_ws
            .send(json!({"op": "receipt", "chat_id": ada_chat, "status": "delivered", "ids": [t_ada, again]}))
            .await;
        shop.hooks.status(&again, "delivered").await;

        let today = s.app.now() / 1000 / 86_400 * 86_400;
        let (start, end) = (today - 86_400, today + 86_400);
        let (status, v) = fields(
            &shop,
            &shop.token,
            &shop.waba_id,
            &format!("analytics.start({start}).end({end}).granularity(DAY)"),
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["id"], shop.waba_id.as_str());
        assert_eq!(v["analytics"]["granularity"], "DAY");
        assert_eq!(v["analytics"]["phone_numbers"], json!([shop.wa_id]));
        assert_eq!(v["analytics"]["data_points"].as_array().unwrap().len(), 2);
        assert_eq!(sent_delivered(&v), (4, 4), "{v}");
        let (_, de) = fields(&shop, &shop.token, &shop.waba_id, &format!(
            "analytics.start({start}).end({end}).granularity(HALF_HOUR).country_codes([\"DE\"]).phone_numbers([\"{}\"])", shop.wa_id)).await;
        assert_eq!(sent_delivered(&de), (1, 1), "{de}");
        assert_eq!(de["analytics"]["data_points"].as_array().unwrap().len(), 96);
        let (_, month) = fields(
            &shop,
            &shop.token,
            &shop.waba_id,
            &format!("analytics.start({today}).end({end}).granularity(MONTH)"),
        )
        .await;
        assert_eq!(sent_delivered(&month), (4, 4), "{month}");

        let (status, t) = fields(&shop, &shop.token, &shop.waba_id, &format!(
            "template_analytics.start({start}).end({end}).granularity(DAILY).template_ids([{template}])")).await;
        assert_eq!(status, 200, "{t}");
        let points = t["template_analytics"]["data"][0]["data_points"]
            .as_array()
            .unwrap();
        assert_eq!(points.len(), 1, "{t}");
        let p = &points[0];
        assert_eq!(p["template_id"], template.as_str());
        assert_eq!(
            (
                p["sent"].as_i64(),
                p["delivered"].as_i64(),
                p["read"].as_i64()
            ),
            (Some(2), Some(2), Some(2)),
            "{p}"
        );
        assert_eq!(p["clicked"][0]["count"], 1, "{p}");

        // The ledger, pricing_analytics and the template's cost agree.
        let (count, charged) = s
            .app
            .billing
            .ledger_message_totals(shop.waba_id.parse().unwrap(), start * 1000, end * 1000)
            .await
            .unwrap();
        assert!(count >= 2, "both template deliveries are rated ({count})");
        for granularity in ["DAILY", "HALF_HOUR", "MONTHLY"] {
            let (status, p) = fields(&shop, &shop.token, &shop.waba_id, &format!(
                "pricing_analytics.start({start}).end({end}).granularity({granularity}).dimensions([PHONE,COUNTRY,PRICING_CATEGORY,PRICING_TYPE,TIER])")).await;
            assert_eq!(status, 200, "{p}");
            assert_eq!(volume_cost(&p), (count, charged), "{granularity}: {p}");
        }
        let (_, p) = fields(&shop, &shop.token, &shop.waba_id, &format!(
            "pricing_analytics.start({start}).end({end}).granularity(DAILY).pricing_categories([MARKETING]).dimensions([COUNTRY])")).await;
        let rows = p["pricing_analytics"]["data"][0]["data_points"]
            .as_array()
            .unwrap();
        let countries: Vec<&str> = rows
            .iter()
            .map(|r| r["country"].as_str().unwrap())
            .collect();
        assert!(
            countries.contains(&"DE") && countries.contains(&"GG"),
            "{p}"
        );
        assert!(rows
            .iter()
            .all(|r| r.get("pricing_category").is_none() && r.get("phone_number").is_none()));
        let marketing: i64 = rows.iter().map(|r| micros(&r["cost"])).sum();
        assert!(marketing > 0, "marketing templates cost something: {p}");
        assert_eq!(
            micros(&p_cost(&t)),
            marketing,
            "the template's cost is its deliveries' ({t})"
        );
        let (_, only_volume) = fields(&shop, &shop.token, &shop.waba_id, &format!(
            "pricing_analytics.start({start}).end({end}).granularity(DAILY).metric_types([VOLUME])")).await;
        let first = &only_volume["pricing_analytics"]["data"][0]["data_points"][0];
        assert!(
            first.get("cost").is_none() && first["volume"].as_i64() == Some(count),
            "{only_volume}"
        );

        // Plain fields alongside, as the Graph API allows.
        let (_, both) = fields(
            &shop,
            &shop.token,
            &shop.waba_id,
            &format!("name,analytics.start({start}).end({end}).granularity(DAY)"),
        )
        .await;
        assert_eq!(both["name"], "Acme");
        assert!(both["analytics"]["data_points"].is_array());
    }
}

/// The `amount_spent` of a template analytics answer's first point.
fn p_cost(t: &Value) -> Value {
    t["template_analytics"]["data"][0]["data_points"][0]["cost"][0]["value"].clone()
}

#[tokio::test]
async fn bad_expansions_and_other_tenants_are_refused() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let other = s.business("Bravo", "+1 650 555 9876").await;
        let now = s.app.now() / 1000;
        let cases = [
            (format!("analytcs.start({now}).end({now})"), "analytcs"),
            (
                format!("analytics.start({now}).end({}).granularity(WEEK)", now + 10),
                "WEEK",
            ),
            (
                format!("analytics.start({}).end({now}).granularity(DAY)", now + 10),
                "before end",
            ),
            (
                format!(
                    "pricing_analytics.start({}).end({now}).granularity(DAILY)",
                    now - 91 * 86_400
                ),
                "over 90 days",
            ),
            (
                format!(
                    "pricing_analytics.start({}).end({now}).granularity(DAY)",
                    now - 100
                ),
                "DAY",
            ),
            (
                format!("analytics.start({}.end({now}).granularity(DAY)", now - 100),
                "unbalanced",
            ),
            (
                format!(
                    "analytics.start({}).end({now}).granularity(DAY).colour(red)",
                    now - 100
                ),
                "colour",
            ),
            (
                format!(
                    "analytics.start({}).end({now}).granularity(DAY).phone_numbers([\"{}\"])",
                    now - 100,
                    other.wa_id
                ),
                other.wa_id.as_str(),
            ),
            (
                format!(
                    "template_analytics.start({}).end({now}).template_ids([abc])",
                    now - 100
                ),
                "abc",
            ),
        ];
        for (expansion, named) in &cases {
            let (status, v) = fields(&shop, &shop.token, &shop.waba_id, expansion).await;
            assert_eq!(
                (status, v["error"]["code"].as_i64()),
                (400, Some(100)),
                "{expansion}: {v}"
            );
            let details = v["error"]["error_data"]["details"]
                .as_str()
                .unwrap_or_default();
            let message = v["error"]["message"].as_str().unwrap_or_default();
            assert!(
                details.contains(named) || message.contains(named),
                "{expansion}: {v}"
            );
        }

        // Another WABA's token cannot read Acme's analytics.
        let good = format!(
            "analytics.start({}).end({now}).granularity(DAY)",
            now - 86_400
        );
        let (status, v) = fields(&shop, &other.token, &shop.waba_id, &good).await;
        assert!(
            status >= 400 && v.get("analytics").is_none(),
            "{status} {v}"
        );
        let (status, v) = fields(&shop, &shop.token, &shop.waba_id, &good).await;
        assert_eq!(status, 200, "{v}");

        // The console: admins of the WABA only, their own WABA's data.
        let admin = s.agent(&shop, "boss@acme.example", "admin").await;
        let agent = s.agent(&shop, "clerk@acme.example", "agent").await;
        let page = admin.get("/console/v1/billing/analytics").await;
        assert_eq!(page["currency"].as_str().map(str::len), Some(3), "{page}");
        assert_eq!(page["days"].as_array().unwrap().len(), 30);
        assert_eq!(page["total"]["cost"], "0");
        let (status, _) = agent
            .call(Method::GET, "/console/v1/billing/analytics", None)
            .await;
        assert_eq!(status, 403);
        let (status, v) = admin
            .call(
                Method::GET,
                &format!(
                    "/console/v1/billing/analytics?start={now}&end={}",
                    now - 86_400 * 2
                ),
                None,
            )
            .await;
        assert_eq!(status, 400, "{v}");

        // The operator's revenue: the operator token only.
        let (status, r) = s.admin(Method::GET, "/admin/v1/revenue", None).await;
        assert_eq!(status, 200, "{r}");
        assert!(r["rows"].is_array() && r["totals"].is_array());
        let (status, _) = shop.api(Method::GET, "/admin/v1/revenue", None).await;
        assert_eq!(status, 401);
        let (status, _) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/revenue?start=0&end={now}"),
                None,
            )
            .await;
        assert_eq!(status, 400, "over 90 days");
    }
}
