//! For random traffic (templates of random categories and free replies in and out of the
//! service window, to people in five countries, deliveries now or later, over about two
//! months of a moving clock), the ledger, `pricing_analytics` (daily and monthly, in total and
//! by category) and each month's invoice agree to the unit, and every delivered message is
//! rated once. The traffic comes from a seeded generator (`WASLA_TEST_SEED` picks another).

mod analytics;

use analytics::{approved_template, fields, micros, send_template, top_up, volume_cost};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use wasla_testkit::{Db, TestServer};

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
