//! The webhook outbox on SQLite always, and on PostgreSQL when `WASLA_TEST_DATABASE_URL` is
//! set: claims running at the same time lease disjoint deliveries, a leased delivery is not
//! claimed again until its lease runs out, and recorded attempts release their deliveries: a
//! delivered one never comes back, a retry comes back when it is due, with its attempt count;
//! the events of a batch become one row per subscribed app of the number's WABA, in order.

#[path = "common/chats.rs"]
mod chats;
mod common;

use std::collections::HashSet;
use wasla_core::accounts::AccountStore;
use wasla_core::accounts::{AccountKind, AccountRow};
use wasla_core::business::BusinessStore;
use wasla_core::business::{AppRow, WabaRow};
use wasla_core::chats::MessageStore;
use wasla_core::chats::WebhookEvent;
use wasla_core::chats::WebhookWork;
use wasla_core::chats::{MessageRow, NewMessage, ReceiptStatus, ReceiptUpdate};
use wasla_core::integration::WebhookStore;
use wasla_core::integration::{AttemptOutcome, AttemptRecord, OutboxRow};

const LEASE_MS: i64 = 60_000;

#[tokio::test]
async fn claims_lease_each_delivery_once_and_attempts_release_it() {
    for (name, store, _dir) in common::stores("outbox").await {
        let waba = WabaRow {
            id: 7_001,
            name: "Outbox Shop".into(),
            auto_approve_templates: false,
            created_at: 1,
        };
        store.create_waba(&waba).await.unwrap();
        let app = AppRow {
            id: 7_002,
            waba_id: waba.id,
            webhook_url: "http://127.0.0.1:9/hook".into(),
            verify_token: "v".into(),
            app_secret: "s".into(),
            created_at: 1,
        };
        store.create_app(&app).await.unwrap();
        for n in 0..40 {
            let work = WebhookWork {
                business_id: 0,
                waba_id: Some(waba.id),
                event: WebhookEvent::TemplateStatus {
                    template_id: n,
                    name: format!("t{n}"),
                    language: "en".into(),
                    status: "APPROVED".into(),
                    reason: "NONE".into(),
                },
            };
            store.enqueue_webhook(&work, 1_000).await.unwrap();
        }

        // Four claims at once share the forty deliveries without overlap.
        let now = 2_000;
        let claims = futures::future::join_all(
            (0..4).map(|_| store.claim_webhooks(now, now + LEASE_MS, 10)),
        )
        .await;
        let mut claimed = vec![];
        for c in claims {
            claimed.extend(c.unwrap());
        }
        let ids: HashSet<i64> = claimed.iter().map(|r| r.id).collect();
        assert_eq!(claimed.len(), 40, "{name}: every delivery claimed");
        assert_eq!(ids.len(), 40, "{name}: no delivery claimed twice");
        assert!(claimed
            .iter()
            .all(|r| r.app_id == app.id && r.attempts == 0));
        let leased = store.claim_webhooks(3_000, 3_000 + LEASE_MS, 100).await;
        assert!(leased.unwrap().is_empty(), "{name}: leased rows stay ours");

        // Half delivered, half to be retried at 10 s.
        let (delivered, retried) = claimed.split_at(20);
        let attempt = |row: &OutboxRow, outcome| AttemptRecord {
            outbox_id: row.id,
            attempt: 1,
            at: 4_000,
            status_code: Some(if outcome == AttemptOutcome::Delivered {
                200
            } else {
                500
            }),
            error: (outcome != AttemptOutcome::Delivered).then(|| "HTTP 500".into()),
            duration_ms: 3,
            outcome,
        };
        let attempts: Vec<AttemptRecord> = delivered
            .iter()
            .map(|r| attempt(r, AttemptOutcome::Delivered))
            .chain(
                retried
                    .iter()
                    .map(|r| attempt(r, AttemptOutcome::RetryAt(10_000))),
            )
            .collect();
        store.record_attempts(attempts).await.unwrap();

        let early = store.claim_webhooks(5_000, 5_000 + LEASE_MS, 100).await;
        assert!(early.unwrap().is_empty(), "{name}: a retry waits until due");
        let again = store
            .claim_webhooks(10_000, 10_000 + LEASE_MS, 100)
            .await
            .unwrap();
        let again_ids: HashSet<i64> = again.iter().map(|r| r.id).collect();
        let retried_ids: HashSet<i64> = retried.iter().map(|r| r.id).collect();
        assert_eq!(again_ids, retried_ids, "{name}: only the retries come back");
        assert!(again.iter().all(|r| r.attempts == 1));

        // The delivery log shows what happened to each.
        let log = store.deliveries(app.id, None, 100).await.unwrap();
        assert_eq!(log.len(), 40);
        for d in &log {
            if retried_ids.contains(&d.id) {
                assert_eq!(d.state, "pending", "{name}");
                assert_eq!(d.last_status, Some(500));
                assert_eq!(d.delivered_at, None);
            } else {
                assert_eq!(d.state, "delivered", "{name}");
                assert_eq!(d.delivered_at, Some(4_000));
            }
            assert_eq!(d.attempts, 1);
        }

        // The retries are put back without an attempt: due later, attempts and last answer
        // unchanged, no attempt logged.
        let put_back: Vec<AttemptRecord> = again
            .iter()
            .map(|r| AttemptRecord {
                outbox_id: r.id,
                attempt: r.attempts,
                at: 20_000,
                status_code: None,
                error: None,
                duration_ms: 0,
                outcome: AttemptOutcome::PutBack(20_000),
            })
            .collect();
        store.record_attempts(put_back).await.unwrap();
        let early = store.claim_webhooks(15_000, 15_000 + LEASE_MS, 100).await;
        assert!(early.unwrap().is_empty(), "{name}: put back until due");
        let due = store
            .claim_webhooks(20_000, 20_000 + LEASE_MS, 100)
            .await
            .unwrap();
        let due_ids: HashSet<i64> = due.iter().map(|r| r.id).collect();
        assert_eq!(due_ids, retried_ids, "{name}: the put-back rows come back");
        assert!(due.iter().all(|r| r.attempts == 1), "{name}");
        let log = store.deliveries(app.id, None, 100).await.unwrap();
        for d in log.iter().filter(|d| retried_ids.contains(&d.id)) {
            assert_eq!((d.attempts, d.last_status), (1, Some(500)), "{name}");
            assert_eq!(d.state, "pending", "{name}");
        }
    }
}

/// A status webhook of `m` for the business `biz`.
fn status_work(biz: &AccountRow, m: &MessageRow, status: &str) -> WebhookWork {
    WebhookWork {
        business_id: biz.id,
        waba_id: None,
        event: WebhookEvent::Status {
            message_id: Some(m.id),
            wamid: format!("wamid.{}", m.id),
            recipient_id: None,
            recipient_wa_id: "447911100002".into(),
            status: status.into(),
            timestamp: m.created_at,
            error_code: None,
            category: None,
            callback_data: None,
        },
    }
}

/// (app, message id, status) of claimed rows, in outbox order.
fn statuses(rows: &[OutboxRow]) -> Vec<(i64, i64, String)> {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| r.id);
    rows.iter()
        .map(|r| {
            let w: WebhookWork = serde_json::from_str(&r.event).unwrap();
            match w.event {
                WebhookEvent::Status {
                    message_id, status, ..
                } => (r.app_id, message_id.unwrap(), status),
                other => panic!("not a status: {other:?}"),
            }
        })
        .collect()
}

#[tokio::test]
async fn a_batch_queues_one_row_per_subscribed_app_of_the_number_in_order() {
    for (name, store, _dir) in common::stores("outbox_fanout").await {
        let app = |id, waba_id| AppRow {
            id,
            waba_id,
            webhook_url: "http://127.0.0.1:9/hook".into(),
            verify_token: "v".into(),
            app_secret: "s".into(),
            created_at: 1,
        };
        for (waba, apps) in [(7_101, [7_102, 7_103]), (7_201, [7_202, 7_203])] {
            store
                .create_waba(&WabaRow {
                    id: waba,
                    name: format!("WABA {waba}"),
                    auto_approve_templates: false,
                    created_at: 1,
                })
                .await
                .unwrap();
            for id in apps {
                store.create_app(&app(id, waba)).await.unwrap();
            }
        }
        let biz = chats::account(AccountKind::Business, "15550007101", Some(7_101));
        store.create_account(&biz).await.unwrap();
        let person = chats::person(&store, 2).await;
        let chat = chats::direct(&store, &biz, &person).await;

        // Sends committed together share a batch; each queues its `sent` status.
        let sends: Vec<NewMessage> = (0..6)
            .map(|n| {
                let mut m = chats::text(&chat, &biz, &person, &format!("m{n}"), None);
                m.webhooks = vec![status_work(&biz, &m.message, "sent")];
                m
            })
            .collect();
        let committed =
            futures::future::join_all(sends.iter().cloned().map(|m| store.commit_message(m))).await;
        assert!(committed.iter().all(Result::is_ok), "{name}");
        // The person's device acks them all: one `delivered` status each.
        let ids: Vec<i64> = sends.iter().map(|m| m.message.id).collect();
        store
            .update_receipts(ReceiptUpdate {
                reader_id: person.id,
                reader_wa_id: person.wa_id.clone(),
                chat_id: chat.id,
                status: ReceiptStatus::Delivered,
                message_ids: ids.clone(),
                up_to_seq: None,
                now: 3,
            })
            .await
            .unwrap();

        // A message's `delivered` waits for its `sent` (statuses of one message go out in
        // order), so the first claim takes the `sent`s and, once they are delivered, the
        // next one the `delivered`s.
        let rows = store
            .claim_webhooks(10, 10 + LEASE_MS, 1_000)
            .await
            .unwrap();
        let done = rows
            .iter()
            .map(|r| AttemptRecord {
                outbox_id: r.id,
                attempt: 1,
                at: 11,
                status_code: Some(200),
                error: None,
                duration_ms: 1,
                outcome: AttemptOutcome::Delivered,
            })
            .collect();
        store.record_attempts(done).await.unwrap();
        let mut rows = rows;
        rows.extend(
            store
                .claim_webhooks(12, 12 + LEASE_MS, 1_000)
                .await
                .unwrap(),
        );
        let got = statuses(&rows);
        // Commit order is the order the sends reached the writer; within it each event goes
        // to both apps of the number's WABA, never to the other WABA's.
        let mut sent_order: Vec<i64> = got
            .iter()
            .filter(|(_, _, s)| s == "sent")
            .map(|(_, id, _)| *id)
            .collect();
        sent_order.dedup();
        let mut want = vec![];
        for id in &sent_order {
            want.push((7_102, *id, "sent".to_string()));
            want.push((7_103, *id, "sent".to_string()));
        }
        for id in &sent_order {
            want.push((7_102, *id, "delivered".to_string()));
            want.push((7_103, *id, "delivered".to_string()));
        }
        assert_eq!(got, want, "{name}");
        let mut sorted = sent_order.clone();
        sorted.sort();
        assert_eq!(sorted, ids, "{name}: every send queued once");

        // Unsubscribed apps get nothing.
        store.set_subscribed(7_101, false).await.unwrap();
        let mut late = chats::text(&chat, &biz, &person, "late", None);
        late.webhooks = vec![status_work(&biz, &late.message, "sent")];
        store.commit_message(late).await.unwrap();
        let none = store
            .claim_webhooks(20, 20 + LEASE_MS, 1_000)
            .await
            .unwrap();
        assert!(none.is_empty(), "{name}: {none:?}");
    }
}
