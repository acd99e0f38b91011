//! A business's webhook receiver goes through an outage while messages, receipts and reads
//! keep coming: first it answers 500, then it is stopped (connections refused), then it comes
//! back. Every webhook queued meanwhile arrives, signed; each inbound message and each status
//! of each message exactly once (every attempt's outcome was known here: a 500 or a refused
//! connection, so at-least-once leaves no room for a repeat); and the statuses of each message
//! in order: `sent`, then `delivered`, then `read`. On SQLite, and on PostgreSQL when
//! `WASLA_TEST_DATABASE_URL` is set.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;
use wasla_testkit::{value_of, Business, Db, Person, TestServer, Ws};

/// A person writing to the business, with their chat and a connected device.
struct Customer {
    person: Person,
    chat: String,
    ws: Ws,
}

const PHASES: [&str; 4] = ["healthy", "failing", "stopped", "back"];
const PER_PHASE: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_webhook_arrives_once_and_in_order_per_message_after_an_outage() {
    for db in Db::all() {
        let name = match &db {
            Db::Sqlite => "sqlite",
            Db::Postgres(_) => "postgres",
        };
        let s = TestServer::start_on(db).await;
        outage(&s, name).await;
    }
}

async fn outage(s: &TestServer, name: &str) {
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let mut customers = vec![];
    let mut inbound = vec![];
    for n in 0..3 {
        let person = s
            .register(&format!("+44 7911 1234{n:02}"), &format!("P{n}"))
            .await;
        let chat = person.chat_with(&shop.wa_id).await;
        // Opens the customer service window.
        let m = person.send_text(&chat, "hello").await;
        inbound.push(m["id"].as_str().unwrap().to_string());
        let ws = person.ws(0).await;
        customers.push(Customer { person, chat, ws });
    }

    // Per phase, every customer gets messages; their devices ack the previous phase's as
    // delivered and read the ones of the phase before that; and they write back.
    let mut sent: Vec<Vec<(usize, String)>> = vec![];
    for (p, phase) in PHASES.iter().enumerate() {
        match *phase {
            "failing" => shop.hooks.set_failing(true),
            "stopped" => {
                wait_for_failed_attempts(s, &shop, "an HTTP 500").await;
                shop.hooks.stop().await;
            }
            "back" => {
                wait_for_failed_attempts(s, &shop, "a refused connection").await;
                shop.hooks.set_failing(false);
                shop.hooks.resume().await;
            }
            _ => {}
        }
        let mut batch = vec![];
        for (i, c) in customers.iter().enumerate() {
            for k in 0..PER_PHASE {
                let wamid = shop
                    .send_text(&c.person.wa_id, &format!("{phase} {k}"))
                    .await;
                batch.push((i, wamid));
            }
        }
        sent.push(batch);
        if p >= 1 {
            ack_delivered(&mut customers, &sent[p - 1]).await;
        }
        if p >= 2 {
            read_up_to(&customers, &sent[p - 2]).await;
        }
        for c in &customers {
            let m = c.person.send_text(&c.chat, &format!("reply {phase}")).await;
            inbound.push(m["id"].as_str().unwrap().to_string());
        }
        if *phase == "failing" || *phase == "stopped" {
            // The outage lasts: what was queued early is tried again and again, its backoff
            // growing, so it is due again later than what was queued after it.
            for _ in 0..8 {
                s.clock.advance_ms(2_000);
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        }
    }
    ack_delivered(&mut customers, &sent[PHASES.len() - 1]).await;
    for batch in &sent[PHASES.len() - 2..] {
        read_up_to(&customers, batch).await;
    }

    // Everything queued arrives. Retries and the receiver's pause run on the server's clock,
    // moved on a few seconds at a time (well inside a delivery's lease, so no POST still
    // running is ever taken up again).
    let business_messages: Vec<String> = sent.iter().flatten().map(|(_, w)| w.clone()).collect();
    let expected = business_messages.len() * 3 + inbound.len();
    for _ in 0..300 {
        if shop.hooks.payloads().len() >= expected {
            break;
        }
        s.clock.advance_ms(3_000);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Anything more (a repeat) would have arrived by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let payloads = shop.hooks.payloads();

    let mut statuses: HashMap<String, Vec<String>> = HashMap::new();
    let mut messages: HashMap<String, usize> = HashMap::new();
    for p in &payloads {
        let v = value_of(p);
        if let Some(st) = v["statuses"].get(0) {
            statuses
                .entry(st["id"].as_str().unwrap().to_string())
                .or_default()
                .push(st["status"].as_str().unwrap().to_string());
        } else if let Some(m) = v["messages"].get(0) {
            *messages
                .entry(m["id"].as_str().unwrap().to_string())
                .or_default() += 1;
        } else {
            panic!("{name}: unexpected webhook {p}");
        }
    }
    let duplicates: usize = messages.values().map(|n| n - 1).sum::<usize>()
        + statuses
            .values()
            .map(|list| {
                let mut unique = list.clone();
                unique.sort();
                unique.dedup();
                list.len() - unique.len()
            })
            .sum::<usize>();
    assert_eq!(duplicates, 0, "{name}: repeated webhooks: {statuses:?}");
    for id in &inbound {
        assert_eq!(messages.get(id), Some(&1), "{name}: inbound message {id}");
    }
    assert_eq!(messages.len(), inbound.len(), "{name}: {messages:?}");
    let out_of_order: Vec<(&String, Option<&Vec<String>>)> = business_messages
        .iter()
        .map(|w| (w, statuses.get(w)))
        .filter(|(_, got)| !got.is_some_and(|g| *g == ["sent", "delivered", "read"]))
        .collect();
    assert!(
        out_of_order.is_empty(),
        "{name}: {} of {} messages' statuses missing or out of order: {out_of_order:?}",
        out_of_order.len(),
        business_messages.len()
    );
    assert_eq!(statuses.len(), business_messages.len(), "{name}");
    assert_eq!(payloads.len(), expected, "{name}");
    assert_eq!(shop.hooks.rejected(), 0, "{name}: every POST was signed");

    // The outage was real: deliveries were tried and failed before they got through.
    let log = s.deliveries(&shop.app_id).await;
    assert!(
        log.iter().any(|d| d["attempts"].as_i64().unwrap_or(0) >= 2),
        "{name}: {log:?}"
    );
    assert!(log.iter().all(|d| d["state"] == "delivered"), "{name}");
    for c in customers {
        c.ws.close().await;
    }
}

/// Wait until the delivery log shows an attempt that failed with `what` (500 or a refused
/// connection) and is waiting for a retry.
async fn wait_for_failed_attempts(s: &TestServer, shop: &Business, what: &str) {
    let refused = what != "an HTTP 500";
    s.wait_deliveries(&shop.app_id, what, |log| {
        log.iter().any(|d| {
            d["state"] == "pending"
                && match d["last_error"].as_str() {
                    Some("HTTP 500") => !refused,
                    Some(_) => refused,
                    None => false,
                }
        })
    })
    .await;
}

/// Each customer's device acks its messages of `batch` as delivered.
async fn ack_delivered(customers: &mut [Customer], batch: &[(usize, String)]) {
    for (i, c) in customers.iter_mut().enumerate() {
        let ids: Vec<&String> = batch
            .iter()
            .filter(|(to, _)| *to == i)
            .map(|(_, w)| w)
            .collect();
        c.ws.send(json!({"op": "receipt", "chat_id": c.chat, "status": "delivered", "ids": ids}))
            .await;
    }
}

/// Each customer reads their chat up to their last message of `batch`.
async fn read_up_to(customers: &[Customer], batch: &[(usize, String)]) {
    for (i, c) in customers.iter().enumerate() {
        let Some((_, last)) = batch.iter().rev().find(|(to, _)| *to == i) else {
            continue;
        };
        let page = c
            .person
            .get(&format!("/client/v1/chats/{}/messages?limit=100", c.chat))
            .await
            .unwrap();
        let seq = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m: &&Value| m["id"] == last.as_str())
            .and_then(|m| m["seq"].as_i64())
            .unwrap_or_else(|| panic!("{last} not in the history: {page}"));
        c.person
            .post(
                &format!("/client/v1/chats/{}/read", c.chat),
                json!({"up_to_seq": seq}),
            )
            .await
            .unwrap();
    }
}
