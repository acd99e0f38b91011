//! Status webhooks of one message reach an app in order, on SQLite always and on PostgreSQL
//! when `WASLA_TEST_DATABASE_URL` is set: a claim hands out a status only when no earlier one
//! of the same app, message and recipient is pending (due, leased or waiting for a retry),
//! while other messages, other recipients of the same message and other apps go on; a row
//! waiting behind a retry moves with it (quickly, with a large backlog); a given-up row lets
//! the next one go; and however claims, retries and deliveries interleave, each key's rows
//! come out once each, in order.

mod common;

use std::collections::{HashMap, HashSet};
use wasla_core::business::BusinessStore;
use wasla_core::business::{AppRow, WabaRow};
use wasla_core::chats::{WebhookEvent, WebhookWork};
use wasla_core::integration::WebhookStore;
use wasla_core::integration::{AttemptOutcome, AttemptRecord, OutboxRow};

const LEASE_MS: i64 = 60_000;
const WABA: i64 = 8_001;
const APPS: [i64; 2] = [8_002, 8_003];

/// A WABA with two subscribed apps; returns the store ready for webhooks of that WABA.
async fn two_apps(store: &wasla_store::SqlStore) {
    store
        .create_waba(&WabaRow {
            id: WABA,
            name: "Ordered".into(),
            auto_approve_templates: false,
            created_at: 1,
        })
        .await
        .unwrap();
    for id in APPS {
        store
            .create_app(&AppRow {
                id,
                waba_id: WABA,
                webhook_url: "http://127.0.0.1:9/hook".into(),
                verify_token: "v".into(),
                app_secret: "s".into(),
                created_at: 1,
            })
            .await
            .unwrap();
    }
}

/// The `status` webhook of message `message` to recipient `recipient`.
fn status(message: i64, recipient: i64, status: &str) -> WebhookWork {
    WebhookWork {
        business_id: 0,
        waba_id: Some(WABA),
        event: WebhookEvent::Status {
            message_id: Some(message),
            wamid: format!("wamid.{message}"),
            recipient_id: Some(recipient),
            recipient_wa_id: format!("4479{recipient}"),
            status: status.into(),
            timestamp: 1,
            error_code: None,
            category: None,
            callback_data: None,
        },
    }
}

/// A template status: an event without an ordering key.
fn unordered(n: i64) -> WebhookWork {
    WebhookWork {
        business_id: 0,
        waba_id: Some(WABA),
        event: WebhookEvent::TemplateStatus {
            template_id: n,
            name: format!("t{n}"),
            language: "en".into(),
            status: "APPROVED".into(),
            reason: "NONE".into(),
        },
    }
}

/// What a claimed row is: (app, message, recipient, status), or the template for others.
fn what(row: &OutboxRow) -> (i64, i64, i64, String) {
    let w: WebhookWork = serde_json::from_str(&row.event).unwrap();
    match w.event {
        WebhookEvent::Status {
            message_id,
            recipient_id,
            status,
            ..
        } => (
            row.app_id,
            message_id.unwrap(),
            recipient_id.unwrap(),
            status,
        ),
        WebhookEvent::TemplateStatus { template_id, .. } => {
            (row.app_id, template_id, 0, "template".into())
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn claimed_set(rows: &[OutboxRow]) -> HashSet<(i64, i64, i64, String)> {
    rows.iter().map(what).collect()
}

fn record(row: &OutboxRow, at: i64, outcome: AttemptOutcome) -> AttemptRecord {
    let ok = outcome == AttemptOutcome::Delivered;
    AttemptRecord {
        outbox_id: row.id,
        attempt: row.attempts + 1,
        at,
        status_code: Some(if ok { 200 } else { 500 }),
        error: (!ok).then(|| "HTTP 500".into()),
        duration_ms: 1,
        outcome,
    }
}

fn rows_of(
    app: i64,
    message: i64,
    recipient: i64,
    statuses: &[&str],
) -> Vec<(i64, i64, i64, String)> {
    statuses
        .iter()
        .map(|s| (app, message, recipient, s.to_string()))
        .collect()
}

#[tokio::test]
async fn a_later_status_waits_for_the_earlier_one_of_its_message_and_recipient_only() {
    for (name, store, _dir) in common::stores("outbox_order").await {
        two_apps(&store).await;
        // Message 1 to person 10: sent, delivered, read. Message 2 to person 10: sent,
        // delivered. Message 1 to person 11 (a second recipient): sent, delivered. And two
        // events without an order.
        for w in [
            status(1, 10, "sent"),
            status(2, 10, "sent"),
            status(1, 11, "sent"),
            unordered(1),
            status(1, 10, "delivered"),
            status(2, 10, "delivered"),
            status(1, 11, "delivered"),
            status(1, 10, "read"),
            unordered(2),
        ] {
            store.enqueue_webhook(&w, 1_000).await.unwrap();
        }

        // The first claim takes the head of every key for both apps, and the unordered rows.
        let first = store
            .claim_webhooks(2_000, 2_000 + LEASE_MS, 100)
            .await
            .unwrap();
        let mut want = HashSet::new();
        for app in APPS {
            want.extend(rows_of(app, 1, 10, &["sent"]));
            want.extend(rows_of(app, 2, 10, &["sent"]));
            want.extend(rows_of(app, 1, 11, &["sent"]));
            want.insert((app, 1, 0, "template".into()));
            want.insert((app, 2, 0, "template".into()));
        }
        assert_eq!(claimed_set(&first), want, "{name}: only the heads");
        // While the heads are leased, nothing behind them is handed out.
        let leased = store
            .claim_webhooks(2_500, 2_500 + LEASE_MS, 100)
            .await
            .unwrap();
        assert!(leased.is_empty(), "{name}: {:?}", claimed_set(&leased));

        // The first app's receiver fails `sent` of message 1 to person 10 (retry at 10 s);
        // everything else is delivered.
        let failed_head = |r: &&OutboxRow| what(r) == (APPS[0], 1, 10, "sent".to_string());
        let head = first.iter().find(failed_head).unwrap().clone();
        let attempts: Vec<AttemptRecord> = first
            .iter()
            .map(|r| {
                if r.id == head.id {
                    record(r, 3_000, AttemptOutcome::RetryAt(10_000))
                } else {
                    record(r, 3_000, AttemptOutcome::Delivered)
                }
            })
            .collect();
        store.record_attempts(attempts).await.unwrap();

        // Next: every key moves on except that one, for that app only.
        let second = store
            .claim_webhooks(4_000, 4_000 + LEASE_MS, 100)
            .await
            .unwrap();
        let mut want = HashSet::new();
        want.extend(rows_of(APPS[0], 2, 10, &["delivered"]));
        want.extend(rows_of(APPS[0], 1, 11, &["delivered"]));
        want.extend(rows_of(APPS[1], 1, 10, &["delivered"]));
        want.extend(rows_of(APPS[1], 2, 10, &["delivered"]));
        want.extend(rows_of(APPS[1], 1, 11, &["delivered"]));
        assert_eq!(
            claimed_set(&second),
            want,
            "{name}: one slow message holds only its own statuses"
        );
        let done: Vec<AttemptRecord> = second
            .iter()
            .map(|r| record(r, 4_500, AttemptOutcome::Delivered))
            .collect();
        store.record_attempts(done).await.unwrap();

        // The rows behind the retried head moved to its time; the other app's went on.
        let log = store.deliveries(APPS[0], None, 100).await.unwrap();
        for d in &log {
            let w: WebhookWork = serde_json::from_str(&d.event).unwrap();
            if let WebhookEvent::Status {
                message_id: Some(1),
                recipient_id: Some(10),
                status,
                ..
            } = &w.event
            {
                assert_eq!(d.state, "pending", "{name}: {status}");
                assert_eq!(
                    d.next_attempt_at, 10_000,
                    "{name}: {status} waits with its head"
                );
            }
        }
        let third = store
            .claim_webhooks(5_000, 5_000 + LEASE_MS, 100)
            .await
            .unwrap();
        assert_eq!(
            claimed_set(&third),
            rows_of(APPS[1], 1, 10, &["read"]).into_iter().collect(),
            "{name}"
        );
        store
            .record_attempts(vec![record(&third[0], 5_500, AttemptOutcome::Delivered)])
            .await
            .unwrap();

        // At 10 s the head is tried again, alone; once delivered, the rest follow in order.
        let mut order = vec![];
        for at in [10_000, 10_100, 10_200] {
            let rows = store.claim_webhooks(at, at + LEASE_MS, 100).await.unwrap();
            assert_eq!(rows.len(), 1, "{name} at {at}: {:?}", claimed_set(&rows));
            order.push(what(&rows[0]));
            let done = record(&rows[0], at + 50, AttemptOutcome::Delivered);
            store.record_attempts(vec![done]).await.unwrap();
        }
        assert_eq!(
            order,
            rows_of(APPS[0], 1, 10, &["sent", "delivered", "read"]),
            "{name}"
        );
        let none = store.claim_webhooks(20_000, 20_000 + LEASE_MS, 100).await;
        assert!(none.unwrap().is_empty(), "{name}: nothing left");
        assert_eq!(store.pending_webhooks().await.unwrap(), 0, "{name}");
    }
}

#[tokio::test]
async fn a_given_up_status_lets_the_next_one_go_and_a_put_back_holds_its_followers() {
    for (name, store, _dir) in common::stores("outbox_order_give_up").await {
        two_apps(&store).await;
        for s in ["sent", "delivered", "read"] {
            store
                .enqueue_webhook(&status(5, 50, s), 1_000)
                .await
                .unwrap();
        }
        let claim = |at: i64| {
            let store = store.clone();
            async move {
                let rows = store.claim_webhooks(at, at + LEASE_MS, 100).await.unwrap();
                rows.into_iter()
                    .filter(|r| r.app_id == APPS[0])
                    .collect::<Vec<_>>()
            }
        };
        // `sent` is put back (its receiver is paused) until 30 s: `delivered` and `read` wait
        // with it, without being handed out.
        let sent = claim(2_000).await;
        assert_eq!(sent.len(), 1, "{name}");
        let put_back = AttemptRecord {
            outbox_id: sent[0].id,
            attempt: 0,
            at: 30_000,
            status_code: None,
            error: None,
            duration_ms: 0,
            outcome: AttemptOutcome::PutBack(30_000),
        };
        store.record_attempts(vec![put_back]).await.unwrap();
        assert!(claim(29_000).await.is_empty(), "{name}");
        let log = store.deliveries(APPS[0], None, 10).await.unwrap();
        assert!(
            log.iter().all(|d| d.next_attempt_at == 30_000),
            "{name}: {log:?}"
        );
        // Tried at 30 s, it is too old and given up: `delivered` goes next.
        let again = claim(30_000).await;
        assert_eq!(what(&again[0]).3, "sent", "{name}");
        store
            .record_attempts(vec![record(&again[0], 30_100, AttemptOutcome::Failed)])
            .await
            .unwrap();
        let next = claim(30_200).await;
        assert_eq!(next.len(), 1, "{name}");
        assert_eq!(what(&next[0]).3, "delivered", "{name}");
    }
}

#[tokio::test]
async fn interleaved_claims_retries_and_deliveries_keep_each_message_in_order() {
    for (name, store, _dir) in common::stores("outbox_order_mix").await {
        two_apps(&store).await;
        let statuses = ["sent", "delivered", "read"];
        // 30 messages, their statuses queued interleaved across messages.
        for s in statuses {
            for m in 0..30 {
                store
                    .enqueue_webhook(&status(100 + m, 7, s), 1_000)
                    .await
                    .unwrap();
            }
        }
        let mut now = 2_000;
        let mut delivered: HashMap<(i64, i64), Vec<String>> = HashMap::new();
        let mut seen_ids = HashSet::new();
        let mut rounds = 0;
        loop {
            rounds += 1;
            assert!(rounds < 200, "{name}: the outbox never drained");
            // Three claims at once, as overlapping rounds and nodes do.
            let claims = futures::future::join_all(
                (0..3).map(|_| store.claim_webhooks(now, now + LEASE_MS, 7)),
            )
            .await;
            let rows: Vec<OutboxRow> = claims.into_iter().flat_map(Result::unwrap).collect();
            let pending = store.pending_webhooks().await.unwrap();
            if rows.is_empty() && pending == 0 {
                break;
            }
            // Never two rows of one app and key out at once.
            let keys: HashSet<(i64, i64)> = rows
                .iter()
                .map(|r| {
                    let w = what(r);
                    (w.0, w.1)
                })
                .collect();
            assert_eq!(
                keys.len(),
                rows.len(),
                "{name}: two rows of one key claimed"
            );
            // Every third claimed row fails and is retried a little later; others arrive.
            let attempts: Vec<AttemptRecord> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    if (i + rounds) % 3 == 0 {
                        record(r, now, AttemptOutcome::RetryAt(now + 150))
                    } else {
                        let w = what(r);
                        assert!(seen_ids.insert(r.id), "{name}: {w:?} delivered twice");
                        delivered.entry((w.0, w.1)).or_default().push(w.3);
                        record(r, now, AttemptOutcome::Delivered)
                    }
                })
                .collect();
            store.record_attempts(attempts).await.unwrap();
            now += 100;
        }
        assert_eq!(delivered.len(), 60, "{name}: every app and message");
        for (key, got) in &delivered {
            assert_eq!(got, &statuses, "{name}: {key:?} out of order");
        }
    }
}

#[tokio::test]
async fn a_retry_moves_its_followers_quickly_however_long_the_backlog() {
    // SQLite only: without statistics its planner once took every pending row first and
    // looked for its head among all the app's rows, for every row moved (PostgreSQL plans
    // the statement from the given rows).
    let (name, store, dir) = common::stores("outbox_order_backlog")
        .await
        .into_iter()
        .next()
        .unwrap();
    two_apps(&store).await;
    // 8,000 messages with `sent`, `delivered` and `read` queued for one app: a receiver's
    // outage at 1,000 sends a second for a few seconds.
    {
        use sqlx::Connection;
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 23999) \
             INSERT INTO outbox (app_id, event, next_attempt_at, created_at, order_subject, order_recipient) \
             SELECT $1, '{}', 1000, 1000, 100000 + i % 8000, 7 FROM n ORDER BY i",
        )
        .bind(APPS[0])
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let heads = store
        .claim_webhooks(2_000, 2_000 + LEASE_MS, 1_024)
        .await
        .unwrap();
    assert_eq!(heads.len(), 1_024, "{name}: one row per message, the first");
    let retries: Vec<AttemptRecord> = heads
        .iter()
        .map(|r| record(r, 3_000, AttemptOutcome::RetryAt(60_000)))
        .collect();
    let started = std::time::Instant::now();
    store.record_attempts(retries).await.unwrap();
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(3),
        "{name}: recording 1,024 retries took {took:?}"
    );
    // Their 2,048 followers moved with them; the other 6,976 messages' rows did not.
    let due = store
        .claim_webhooks(4_000, 4_000 + LEASE_MS, 100_000)
        .await
        .unwrap();
    assert_eq!(due.len(), 8_000 - 1_024, "{name}: the other heads only");
    let later = store
        .claim_webhooks(60_000, 60_000 + LEASE_MS, 100_000)
        .await
        .unwrap();
    assert_eq!(later.len(), 1_024, "{name}: the retried heads, alone again");
}
