//! Analytics end to end: the WABA node's `analytics`, `pricing_analytics` and
//! `template_analytics` count what the server saw (sends per recipient, deliveries and reads
//! once each however often a receipt repeats, button replies to a template) and agree with the
//! ledger; a bad field expansion is Graph error 100 naming the problem; one WABA's token never
//! reads another's; the console's Billing page data is the agent's own WABA's (admins only)
//! and the operator's revenue report needs the operator token. A seeded random traffic test
//! checks that the ledger, `pricing_analytics` (daily and monthly) and the monthly invoice
//! agree to the unit over two months.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, Person, TestServer};

/// `GET /v23.0/{waba}?fields=…` with the fields URL-encoded.
async fn fields(shop: &Business, token: &str, waba: &str, fields: &str) -> (u16, Value) {
    let enc: String = url::form_urlencoded::byte_serialize(fields.as_bytes()).collect();
    shop.api_as(
        token,
        Method::GET,
        &format!("/v23.0/{waba}?fields={enc}"),
        None,
    )
    .await
}

/// A JSON number (`0.0034`, `12`, `1e-6`) as micros, exactly (integer arithmetic on its text).
fn micros(v: &Value) -> i64 {
    let text = v.to_string();
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap()),
        None => (text.clone(), 0),
    };
    let neg = mantissa.starts_with('-');
    let m = mantissa.trim_start_matches('-');
    let (whole, frac) = m.split_once('.').unwrap_or((m, ""));
    let digits: i128 = format!("{whole}{frac}").parse().unwrap();
    // value = digits × 10^(exp − len(frac)); micros = value × 10^6
    let shift = exp - frac.len() as i32 + 6;
    let value = if shift >= 0 {
        digits * 10i128.pow(shift as u32)
    } else {
        let d = 10i128.pow((-shift) as u32);
        assert_eq!(digits % d, 0, "{text} is finer than a micro");
        digits / d
    };
    (if neg { -value } else { value }) as i64
}

/// A two-button marketing template, created and approved.
async fn approved_template(s: &TestServer, shop: &Business, name: &str, category: &str) -> String {
    let (status, t) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/message_templates", shop.waba_id),
            Some(json!({"name": name, "language": "en_US", "category": category,
                "components": [{"type": "BODY", "text": "Hello from the shop"},
                    {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "More"}, {"type": "QUICK_REPLY", "text": "Stop"}]}]})),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let id = t["id"].as_str().unwrap().to_string();
    let (status, r) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/templates/{id}/review"),
            Some(json!({"status": "APPROVED"})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    id
}

/// Give a WABA money to spend.
async fn top_up(s: &TestServer, shop: &Business) {
    let (status, r) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/billing/accounts/{}/top-ups", shop.waba_id),
            Some(json!({"amount": "1000.00"})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

async fn send_template(shop: &Business, to: &Person, name: &str) -> String {
    let (status, r) = shop
        .send(
            json!({"messaging_product": "whatsapp", "to": to.wa_id, "type": "template",
            "template": {"name": name, "language": {"code": "en_US"}}}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    r["messages"][0]["id"].as_str().unwrap().to_string()
}

/// Sums of `analytics` data points: (sent, delivered).
fn sent_delivered(v: &Value) -> (i64, i64) {
    v["analytics"]["data_points"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(s, d), p| {
            (
                s + p["sent"].as_i64().unwrap(),
                d + p["delivered"].as_i64().unwrap(),
            )
        })
}

/// Sums of `pricing_analytics` data points: (volume, cost in micros).
fn volume_cost(v: &Value) -> (i64, i64) {
    v["pricing_analytics"]["data"][0]["data_points"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(n, c), p| {
            (n + p["volume"].as_i64().unwrap(), c + micros(&p["cost"]))
        })
}

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

/// Month bounds (Unix seconds, UTC) of the month holding `t`, and its `YYYY-MM`.
fn month_of(t: i64) -> (i64, i64, String) {
    use wasla_core::billing::analytics_query::Granularity;
    let start = Granularity::Month.floor(t);
    let end = Granularity::Month.next(start);
    // Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar).
    let z = start / 86_400 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (start, end, format!("{year:04}-{month:02}"))
}

#[tokio::test]
async fn ledger_analytics_and_invoices_agree_for_random_traffic() {
    let seed: u64 = std::env::var("WASLA_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026);
    for db in Db::all() {
        let mut rng = StdRng::seed_from_u64(seed);
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        top_up(&s, &shop).await;
        approved_template(&s, &shop, "promo", "MARKETING").await;
        approved_template(&s, &shop, "receipt", "UTILITY").await;
        let numbers = [
            "+44 7911 123401",   // GG
            "+49 30 1234567",    // DE
            "+33 6 12 34 56 78", // FR
            "+91 98765 43210",   // IN
            "+55 11 91234 5678", // BR
        ];
        let mut people = Vec::new();
        for (i, n) in numbers.iter().enumerate() {
            let p = s.register(n, &format!("P{i}")).await;
            let chat = p.chat_with(&shop.wa_id).await;
            people.push((p, chat, None::<i64>));
        }
        let waba: i64 = shop.waba_id.parse().unwrap();
        // (delivery time in seconds) of every business message sent.
        let mut delivered_at: Vec<i64> = Vec::new();
        let first = s.app.now() / 1000;
        let steps = 36;
        for step in 0..steps {
            // Move on: minutes to three days, over about two months in all.
            s.clock.advance_ms(rng.gen_range(60_000..3 * 86_400_000));
            let who = rng.gen_range(0..people.len());
            let now = s.app.now();
            if rng.gen_bool(0.4) {
                let (p, chat, last) = &mut people[who];
                p.send_text(chat, &format!("question {step}")).await;
                *last = Some(now);
                let wa = p.wa_id.clone();
                let body = format!("question {step}");
                shop.hooks
                    .wait_for("inbound", 10, move |v| {
                        v["messages"][0]["from"] == wa.as_str()
                            && v["messages"][0]["text"]["body"] == body.as_str()
                    })
                    .await;
            }
            let (p, chat, last) = &people[who];
            let open = last.is_some_and(|t| now - t < 86_400_000);
            let wamid = match rng.gen_range(0..3) {
                0 => send_template(&shop, p, "promo").await,
                1 => send_template(&shop, p, "receipt").await,
                _ if open => shop.send_text(&p.wa_id, "on it").await,
                _ => send_template(&shop, p, "promo").await,
            };
            shop.hooks.status(&wamid, "sent").await;
            if rng.gen_bool(0.15) {
                // Not delivered in this step: a later read delivers it.
                continue;
            }
            p.post(
                &format!("/client/v1/chats/{chat}/read"),
                json!({"up_to_seq": 1_000_000}),
            )
            .await
            .unwrap();
            shop.hooks.status(&wamid, "delivered").await;
            delivered_at.push(s.app.now() / 1000);
        }
        // Whatever was left undelivered is delivered now.
        for (p, chat, _) in &people {
            p.post(
                &format!("/client/v1/chats/{chat}/read"),
                json!({"up_to_seq": 1_000_000}),
            )
            .await
            .unwrap();
        }
        let expected_total = steps as usize;
        // Wait until every business message's delivery was rated: the ledger count settles.
        let mut tries = 0;
        loop {
            let (n, _) = s
                .app
                .billing
                .ledger_message_totals(waba, 0, i64::MAX)
                .await
                .unwrap();
            if n as usize >= expected_total || tries > 100 {
                assert_eq!(
                    n as usize, expected_total,
                    "every delivered message is rated once"
                );
                break;
            }
            tries += 1;
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(delivered_at.len() <= expected_total);

        let mut months = vec![month_of(first)];
        let mut t = months[0].1;
        while t <= s.app.now() / 1000 {
            months.push(month_of(t));
            t = months.last().unwrap().1;
        }
        assert!(months.len() >= 2, "the traffic spans two months");
        let (mut all_volume, mut all_cost) = (0, 0);
        for (start, end, name) in &months {
            let (count, charged) = s
                .app
                .billing
                .ledger_message_totals(waba, start * 1000, end * 1000)
                .await
                .unwrap();
            let invoice = s.app.billing.invoice(waba, name).await.unwrap();
            let lines: Vec<_> = invoice
                .lines
                .iter()
                .filter(|l| l.kind == "message")
                .collect();
            let inv_count: i64 = lines.iter().map(|l| l.count).sum();
            let inv_micros: i64 = lines.iter().map(|l| l.amount_micros).sum();
            assert_eq!(
                (inv_count, inv_micros),
                (count, charged),
                "invoice {name} vs ledger"
            );
            for granularity in ["MONTHLY", "DAILY"] {
                let (status, p) = fields(&shop, &shop.token, &shop.waba_id, &format!(
                    "pricing_analytics.start({start}).end({end}).granularity({granularity}).dimensions([PRICING_CATEGORY,COUNTRY,PRICING_TYPE,TIER,PHONE])")).await;
                assert_eq!(status, 200, "{p}");
                assert_eq!(
                    volume_cost(&p),
                    (count, charged),
                    "{name} {granularity}: {p}"
                );
            }
            // By category, as the invoice lines group them.
            let (_, p) = fields(&shop, &shop.token, &shop.waba_id, &format!(
                "pricing_analytics.start({start}).end({end}).granularity(MONTHLY).dimensions([PRICING_CATEGORY])")).await;
            for point in p["pricing_analytics"]["data"][0]["data_points"]
                .as_array()
                .unwrap()
            {
                let category = point["pricing_category"]
                    .as_str()
                    .unwrap()
                    .to_ascii_lowercase();
                let (n, c) = lines
                    .iter()
                    .filter(|l| l.category.eq_ignore_ascii_case(&category))
                    .fold((0, 0), |(n, c), l| (n + l.count, c + l.amount_micros));
                assert_eq!(
                    (point["volume"].as_i64().unwrap(), micros(&point["cost"])),
                    (n, c),
                    "{name} {category}"
                );
            }
            all_volume += count;
            all_cost += charged;
        }
        let (n, c) = s
            .app
            .billing
            .ledger_message_totals(waba, 0, i64::MAX)
            .await
            .unwrap();
        assert_eq!(
            (all_volume, all_cost),
            (n, c),
            "the months cover the ledger"
        );
        assert!(c > 0, "some traffic was charged");
    }
}
