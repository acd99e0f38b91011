//! Monthly invoices end to end, on SQLite and PostgreSQL: a month of seeded charges in a WABA
//! whose time zone is not UTC (entries on both sides of each month edge, sub-cent rates, a
//! daylight-saving change) adds up to the ledger to the micro, each line rounds half to even
//! once and the total is the sum of the rounded lines; top-ups and adjustments are listed
//! apart; the CSV and the printable page say the same; real template sends, rated when
//! delivered, are invoiced as rated; the console gives a business's admins its own invoice.

use chrono::{TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use wasla_core::billing::LedgerEntry;
use wasla_testkit::{Business, Db, TestServer};

fn utc(y: i32, mo: u32, d: u32, h: u32) -> i64 {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0)
        .unwrap()
        .timestamp_millis()
}

async fn ok(server: &TestServer, method: Method, path: &str, body: Option<Value>) -> Value {
    let (status, v) = server.admin(method.clone(), path, body).await;
    assert_eq!(status, 200, "{method} {path}: {v}");
    v
}

/// A GET of a document: status, content type, body.
async fn document(url: &str, token: &str) -> (u16, String, String) {
    let resp = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let kind = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (resp.status().as_u16(), kind, resp.text().await.unwrap())
}

/// Every entry of a WABA's ledger through the admin API, paging back.
async fn whole_ledger(server: &TestServer, waba: &str) -> Vec<Value> {
    let mut all = vec![];
    let mut before = String::new();
    loop {
        let page = ok(
            server,
            Method::GET,
            &format!("/admin/v1/billing/accounts/{waba}/ledger?limit=500&before={before}"),
            None,
        )
        .await;
        all.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_before"].as_str() {
            Some(b) => before = b.to_string(),
            None => return all,
        }
    }
}

/// Micros rounded half to even to cents, written independently of the server's.
fn cents_half_even(micros: i64) -> i64 {
    let (q, r) = (micros.div_euclid(10_000), micros.rem_euclid(10_000));
    if r * 2 > 10_000 || (r * 2 == 10_000 && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

fn entry(server: &TestServer, shop: &Business, kind: &str, at: i64, micros: i64) -> LedgerEntry {
    LedgerEntry {
        id: server.app.ground.ids.next(),
        waba_id: shop.waba_id.parse().unwrap(),
        kind: kind.into(),
        message_id: (kind == "message").then(|| server.app.ground.ids.next()),
        recipient_id: (kind == "message").then_some(7),
        phone_number_id: shop.phone_number_id.parse().ok(),
        country: None,
        market: None,
        category: None,
        pricing_type: None,
        tier: None,
        card_id: None,
        template_id: None,
        amount_micros: micros,
        currency: "USD".into(),
        note: None,
        actor: None,
        at,
    }
}

const MARKETS: [&str; 4] = ["Germany", "India", "Rest of Western Europe", "Other"];
const CATEGORIES: [(&str, [i64; 3]); 4] = [
    ("marketing", [136_500, 107_900, 12_345]),
    ("utility", [55_000, 3_400, 5_000]),
    ("authentication", [15_000, 25_000, 3_333]),
    ("service", [0, 0, 0]),
];

#[tokio::test]
async fn a_month_of_seeded_traffic_adds_up_to_the_ledger() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let shop = server.business("Müller & Söhne", "+4915112350001").await;
        let other = server.business("Elsewhere", "+4915112350002").await;
        let base = format!("/admin/v1/billing/accounts/{}", shop.waba_id);
        ok(
            &server,
            Method::PATCH,
            &base,
            Some(json!({"timezone": "America/New_York"})),
        )
        .await;
        // March 2026 in New York: from 05:00 UTC on the 1st (EST) to 04:00 UTC on April 1st
        // (EDT, after the change on the 8th).
        let (start, end) = (utc(2026, 3, 1, 5), utc(2026, 4, 1, 4));
        let mut rng = StdRng::seed_from_u64(25);
        let mut seeded = vec![];
        for i in 0..1500 {
            let (category, rates) = CATEGORIES[rng.gen_range(0..CATEGORIES.len())];
            let mut e = entry(
                &server,
                &shop,
                "message",
                match i {
                    0 => start - 1,
                    1 => start,
                    2 => end - 1,
                    3 => end,
                    _ => rng.gen_range(start - 86_400_000 * 3..end + 86_400_000 * 3),
                },
                -rates[rng.gen_range(0..3)],
            );
            e.market = Some(MARKETS[rng.gen_range(0..MARKETS.len())].into());
            e.category = Some(category.into());
            e.pricing_type = Some(
                if e.amount_micros == 0 {
                    "free_customer_service"
                } else {
                    "regular"
                }
                .into(),
            );
            seeded.push(e);
        }
        let credit = |kind: &str, at: i64, micros: i64, note: &str| {
            let mut e = entry(&server, &shop, kind, at, micros);
            e.note = Some(note.into());
            e.actor = Some("operator".into());
            e
        };
        seeded.push(credit("top_up", start - 10, 500_000_000, "opening top-up"));
        seeded.push(credit(
            "top_up",
            start + 86_400_000,
            100_000_000,
            "wire, \"ref 7\"",
        ));
        seeded.push(credit("adjustment", end - 5, -1_234_567, "goodwill"));
        let mut foreign = entry(&server, &other, "message", start + 1000, -999_999);
        foreign.market = Some("Germany".into());
        foreign.category = Some("marketing".into());
        seeded.push(foreign);
        for chunk in seeded.chunks(400) {
            server.app.billing.append_ledger(chunk).await.unwrap();
        }

        let inv = ok(
            &server,
            Method::GET,
            &format!("{base}/invoices/2026-03"),
            None,
        )
        .await;
        assert_eq!(inv["timezone"], "America/New_York");
        assert_eq!(inv["period_start"], start);
        assert_eq!(inv["period_end"], end);
        assert_eq!(inv["currency"], "USD");

        // The expected lines, from the ledger as the API lists it.
        let ledger = whole_ledger(&server, &shop.waba_id).await;
        assert_eq!(
            ledger.len(),
            seeded.len() - 1,
            "the other WABA's entry is not listed"
        );
        let in_month = |e: &&Value| {
            let at = e["at"].as_i64().unwrap();
            at >= start && at < end
        };
        let mut expected: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for e in ledger
            .iter()
            .filter(in_month)
            .filter(|e| e["kind"] == "message")
        {
            let key = (
                e["category"].as_str().unwrap().to_string(),
                e["market"].as_str().unwrap().to_string(),
            );
            let line = expected.entry(key).or_default();
            line.0 += 1;
            line.1 -= e["amount_micros"].as_i64().unwrap();
        }
        let lines = inv["lines"].as_array().unwrap();
        assert_eq!(lines.len(), expected.len());
        let mut total_cents = 0;
        for l in lines {
            let key = (
                l["category"].as_str().unwrap().to_string(),
                l["market"].as_str().unwrap().to_string(),
            );
            let (count, micros) = expected[&key];
            assert_eq!(l["kind"], "message");
            assert_eq!(l["count"], count, "{key:?}");
            assert_eq!(l["amount_micros"], micros, "{key:?}");
            assert_eq!(l["amount_minor"], cents_half_even(micros), "{key:?}");
            total_cents += cents_half_even(micros);
        }
        let charges: i64 = expected.values().map(|v| v.1).sum();
        assert_eq!(
            inv["charges_micros"], charges,
            "equal to the ledger to the micro"
        );
        assert_eq!(inv["total_minor"], total_cents);
        assert_eq!(
            inv["total"],
            format!("{}.{:02}", total_cents / 100, total_cents % 100)
        );
        // The boundary entries: the first instant of the month is in, the next month's not.
        let count: i64 = lines.iter().map(|l| l["count"].as_i64().unwrap()).sum();
        let expected_count = seeded
            .iter()
            .filter(|e| e.kind == "message" && e.waba_id == shop.waba_id.parse::<i64>().unwrap())
            .filter(|e| e.at >= start && e.at < end)
            .count() as i64;
        assert_eq!(count, expected_count);

        // Credits apart, oldest first; balances before and after the month.
        let credits = inv["credits"].as_array().unwrap();
        assert_eq!(credits.len(), 2);
        assert_eq!(credits[0]["note"], "wire, \"ref 7\"");
        assert_eq!(credits[1]["kind"], "adjustment");
        assert_eq!(credits[1]["amount_minor"], -123);
        assert_eq!(inv["credits_micros"], 100_000_000 - 1_234_567);
        let before: i64 = ledger
            .iter()
            .filter(|e| e["at"].as_i64().unwrap() < start)
            .map(|e| e["amount_micros"].as_i64().unwrap())
            .sum();
        assert_eq!(inv["opening_balance_micros"], before);
        assert_eq!(
            inv["closing_balance_micros"],
            before + 100_000_000 - 1_234_567 - charges
        );

        // The CSV: a charge row per line, the total, the credits (quoted as CSV quotes).
        let (status, kind, csv) = document(
            &format!("{}{base}/invoices/2026-03/csv", server.url),
            &server.operator_token,
        )
        .await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/csv"), "{kind}");
        let rows: Vec<&str> = csv.lines().collect();
        assert!(rows[0].starts_with("section,kind,category,market,count,amount_micros,amount"));
        assert_eq!(
            rows.iter().filter(|r| r.starts_with("charge,")).count(),
            lines.len()
        );
        let total_row = rows.iter().find(|r| r.starts_with("total,")).unwrap();
        assert!(
            total_row.contains(&format!(
                ",{count},{charges},{},USD",
                inv["total"].as_str().unwrap()
            )),
            "{total_row}"
        );
        assert!(csv.contains("\"wire, \"\"ref 7\"\"\""), "{csv}");

        // The printable page: escaped, styled by the server's own stylesheet.
        let (status, kind, html) = document(
            &format!("{}{base}/invoices/2026-03/html", server.url),
            &server.operator_token,
        )
        .await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(html.contains("Müller &amp; Söhne"));
        assert!(html.contains(&format!(
            "data-testid=\"invoice-total\">{} USD<",
            inv["total"].as_str().unwrap()
        )));
        assert!(html.contains("href=\"/pages/invoice.css\""));
        assert!(!html.contains("<script") && !html.contains("style=\""));
        let (status, kind, css) = document(&format!("{}/pages/invoice.css", server.url), "").await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/css"), "{kind}");
        assert!(css.contains("prefers-color-scheme:dark") && css.contains("@media print"));

        // A month with nothing is an empty invoice, not an error.
        let empty = ok(
            &server,
            Method::GET,
            &format!("{base}/invoices/2025-01"),
            None,
        )
        .await;
        assert_eq!(empty["lines"], json!([]));
        assert_eq!(empty["total"], "0.00");
    }
}

#[tokio::test]
async fn delivered_template_sends_are_invoiced_as_rated() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let shop = server.business("Acme Invoices", "+4915112350003").await;
        let ada = server.register("+4915112359999", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let mut ws = ada.ws(0).await;
        for (name, category) in [("promo", "MARKETING"), ("notice", "UTILITY")] {
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
            ok(
                &server,
                Method::POST,
                &format!("/admin/v1/templates/{}/review", t["id"].as_str().unwrap()),
                Some(json!({"status": "APPROVED"})),
            )
            .await;
        }
        for name in ["promo", "promo", "notice"] {
            let (status, r) = shop
                .send(
                    json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "template",
                    "template": {"name": name, "language": {"code": "en_US"}}}),
                )
                .await;
            assert_eq!(status, 200, "{r}");
            let wamid = r["messages"][0]["id"].as_str().unwrap().to_string();
            ws.send(
                json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [wamid]}),
            )
            .await;
            shop.hooks.status(&wamid, "delivered").await;
        }
        let ledger = whole_ledger(&server, &shop.waba_id).await;
        let charges: Vec<&Value> = ledger.iter().filter(|e| e["kind"] == "message").collect();
        assert_eq!(charges.len(), 3, "{ledger:?}");
        let inv = ok(
            &server,
            Method::GET,
            &format!(
                "/admin/v1/billing/accounts/{}/invoices/current",
                shop.waba_id
            ),
            None,
        )
        .await;
        let sum: i64 = charges
            .iter()
            .map(|e| e["amount_micros"].as_i64().unwrap())
            .sum();
        assert!(sum < 0, "template sends to Germany are charged");
        assert_eq!(inv["charges_micros"], -sum);
        let marketing = inv["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["category"] == "marketing")
            .expect("a marketing line");
        assert_eq!(marketing["market"], "Germany");
        assert_eq!(marketing["count"], 2);
        let lines_minor: i64 = inv["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["amount_minor"].as_i64().unwrap())
            .sum();
        assert_eq!(inv["total_minor"], lines_minor);

        // The business's admin gets the same invoice from the console; an agent does not.
        let admin = server.agent(&shop, "admin@acme.example", "admin").await;
        let mine = admin.get("/console/v1/billing/invoices/current").await;
        assert_eq!(mine["lines"], inv["lines"]);
        let (status, kind, html) = document(
            &format!("{}/console/v1/billing/invoices/current/html", server.url),
            &admin.token,
        )
        .await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/html"));
        assert!(html.contains("Acme Invoices") && html.contains("Germany"));
        let (status, _, csv) = document(
            &format!("{}/console/v1/billing/invoices/current/csv", server.url),
            &admin.token,
        )
        .await;
        assert_eq!(status, 200);
        assert!(csv.contains("charge,message,marketing,Germany,2,"), "{csv}");
    }
}
