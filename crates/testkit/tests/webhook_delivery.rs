//! Webhook delivery survives a receiver outage and a server restart: failed POSTs are retried
//! with backoff, every attempt is logged, nothing is lost and nothing is skipped.

use reqwest::Method;
use std::time::{Duration, Instant};
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn a_receiver_that_was_down_gets_everything_afterwards() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        shop.hooks.set_failing(true);
        let mut sent = vec![];
        for i in 0..10 {
            sent.push(
                ada.send_text(&chat, &format!("while you were out {i}"))
                    .await["id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        // Attempts happen and fail; the log shows them pending with their last error. (The
        // log is what is waited for: the receiver counts a POST before the server has
        // recorded its answer.)
        let rows = s
            .wait_deliveries(&shop.app_id, "every event tried once", |log| {
                log.len() == 10 && log.iter().all(|d| d["last_status"] == 500)
            })
            .await;
        assert!(
            shop.hooks.attempts() >= 10,
            "every event reached the receiver"
        );
        assert!(
            rows.iter()
                .all(|d| d["state"] == "pending" && d["next_attempt_at"].is_i64()),
            "{rows:?}"
        );

        // The server restarts while the receiver is still down; an hour later it is back.
        let s = s.restart().await;
        shop.hooks.set_failing(false);
        s.clock.advance_ms(3600 * 1000);
        for id in &sent {
            shop.hooks
                .wait_for("a queued message", 15, |v| {
                    v["messages"][0]["id"] == id.as_str()
                })
                .await;
        }
        let log = s
            .wait_deliveries(&shop.app_id, "everything delivered", |log| {
                log.iter().all(|d| d["state"] == "delivered")
            })
            .await;
        assert!(
            log.iter().all(|d| d["attempts"].as_i64().unwrap() >= 2),
            "{log:?}"
        );
        assert_eq!(shop.hooks.rejected(), 0);
    }
}

#[tokio::test]
async fn deliveries_give_up_after_the_retry_window() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let chat = ada.chat_with(&shop.wa_id).await;
    shop.hooks.set_failing(true);
    ada.send_text(&chat, "nobody listens").await;
    // Eight days later the next attempt is the last.
    s.clock.advance_ms(8 * 24 * 3600 * 1000);
    let log = s
        .wait_deliveries(&shop.app_id, "the delivery given up", |log| {
            log.first().is_some_and(|d| d["state"] == "failed")
        })
        .await;
    // The operator can still deliver it again by hand once the receiver is back.
    shop.hooks.set_failing(false);
    let id = log[0]["id"].as_str().unwrap().to_string();
    let (status, _) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/apps/{}/deliveries/{id}/redeliver", shop.app_id),
            None,
        )
        .await;
    assert_eq!(status, 200);
    shop.hooks
        .wait_for("redelivery", 10, |v| {
            v["messages"][0]["text"]["body"] == "nobody listens"
        })
        .await;
}

#[tokio::test]
async fn a_receiver_that_stops_answering_does_not_hold_up_other_apps() {
    // Each POST to the hanging receiver waits out this timeout.
    let s = TestServer::start_with(|c| c.webhooks.timeout_ms = 3_000).await;
    let slow = s.business("Slow Co", "+1 650 555 1234").await;
    let quick = s.business("Quick Co", "+1 650 555 1235").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let to_slow = ada.chat_with(&slow.wa_id).await;
    let to_quick = ada.chat_with(&quick.wa_id).await;
    slow.hooks.set_hanging(true);
    for i in 0..5 {
        ada.send_text(&to_slow, &format!("first {i}")).await;
    }
    while slow.hooks.attempts() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Messages to both keep coming while the slow receiver's first POSTs wait (before any
    // has timed out), and again once they have: the quick app's webhooks never wait for
    // the slow receiver's timeout.
    let mut sent_to_slow = (0..5).map(|i| format!("first {i}")).collect::<Vec<_>>();
    for phase in ["waiting", "timed out"] {
        if phase == "timed out" {
            // The test clock stands still, so the pause lasts until the clock moves on.
            s.wait_deliveries(&slow.app_id, "a timed-out attempt", |log| {
                log.iter().any(|d| d["last_error"] == "timed out")
            })
            .await;
        }
        let started = Instant::now();
        for i in 0..5 {
            let text = format!("{phase} {i}");
            ada.send_text(&to_slow, &text).await;
            ada.send_text(&to_quick, &text).await;
            sent_to_slow.push(text);
        }
        for i in 0..5 {
            let text = format!("{phase} {i}");
            quick
                .hooks
                .wait_for("a quick app's message", 10, |v| {
                    v["messages"][0]["text"]["body"] == text.as_str()
                })
                .await;
        }
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(2_000),
            "{phase}: the quick app waited {took:?} behind the slow receiver"
        );
    }

    // The slow receiver answers again: after its pause everything reaches it.
    slow.hooks.set_hanging(false);
    s.clock.advance_ms(3600 * 1000);
    for text in &sent_to_slow {
        slow.hooks
            .wait_for("a held-back message", 30, |v| {
                v["messages"][0]["text"]["body"] == text.as_str()
            })
            .await;
    }
    assert_eq!(slow.hooks.rejected() + quick.hooks.rejected(), 0);
}
