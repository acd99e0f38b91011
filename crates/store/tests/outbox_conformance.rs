//! The webhook outbox on SQLite always, and on PostgreSQL when `WASLA_TEST_DATABASE_URL` is
//! set: claims running at the same time lease disjoint deliveries, a leased delivery is not
//! claimed again until its lease runs out, and recorded attempts release their deliveries: a
//! delivered one never comes back, a retry comes back when it is due, with its attempt count.

mod common;

use std::collections::HashSet;
use wasla_core::model::*;
use wasla_core::store::{BusinessStore, WebhookStore};

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
