//! The throttle hits of the shared ground and the Cloud API's shared rate-limit buckets read
//! back as the rules expect, on SQLite always and on PostgreSQL when
//! `WASLA_TEST_DATABASE_URL` is set: hits per scope and subject since a time, taken back,
//! cleared and pruned; bucket uses added as `max(stored, since) + used` by several writers,
//! read back by change time, and pruned once full.

mod common;

use wasla_core::integration::{RateLimitStore, RateState, RateUse};
use wasla_core::throttle::{ThrottleHit, ThrottleStore};

fn hit(id: i64, scope: &str, key: &str, at: i64) -> ThrottleHit {
    ThrottleHit {
        id,
        scope: scope.into(),
        key: key.into(),
        at,
    }
}

#[tokio::test]
async fn throttle_hits_are_counted_per_scope_and_subject_over_a_window() {
    for (name, store, _dir) in common::stores("throttle").await {
        assert_eq!(
            store
                .add_throttle_hit(&hit(1, "a", "k", 100), 0)
                .await
                .unwrap(),
            [(100, 1)]
        );
        store
            .add_throttle_hit(&hit(2, "b", "k", 110), 0)
            .await
            .unwrap();
        store
            .add_throttle_hit(&hit(3, "a", "j", 120), 0)
            .await
            .unwrap();
        let got = store
            .add_throttle_hit(&hit(4, "a", "k", 130), 0)
            .await
            .unwrap();
        assert_eq!(got, [(100, 1), (130, 4)], "{name}: only a/k");
        let got = store
            .add_throttle_hit(&hit(5, "a", "k", 140), 101)
            .await
            .unwrap();
        assert_eq!(got, [(130, 4), (140, 5)], "{name}: only since 101");

        store.remove_throttle_hits(&[4, 5]).await.unwrap();
        store.remove_throttle_hits(&[]).await.unwrap();
        let got = store
            .add_throttle_hit(&hit(6, "a", "k", 150), 0)
            .await
            .unwrap();
        assert_eq!(got, [(100, 1), (150, 6)], "{name}: taken back");

        store.clear_throttle("a", "k").await.unwrap();
        let got = store
            .add_throttle_hit(&hit(7, "a", "k", 160), 0)
            .await
            .unwrap();
        assert_eq!(got, [(160, 7)], "{name}: cleared");
        let got = store
            .add_throttle_hit(&hit(8, "b", "k", 170), 0)
            .await
            .unwrap();
        assert_eq!(got, [(110, 2), (170, 8)], "{name}: b/k untouched");

        assert_eq!(
            store.throttle_hits("b", "k", 0).await.unwrap(),
            [(110, 2), (170, 8)],
            "{name}: read alone"
        );
        assert!(store.throttle_hits("b", "k", 171).await.unwrap().is_empty());
        assert_eq!(store.prune_throttle_hits(150).await.unwrap(), 2, "{name}");
        let got = store
            .add_throttle_hit(&hit(9, "a", "j", 180), 0)
            .await
            .unwrap();
        assert_eq!(got, [(180, 9)], "{name}: pruned");
    }
}

fn use_of(number_id: i64, person_id: i64, since_us: i64, used_us: i64) -> RateUse {
    RateUse {
        number_id,
        person_id,
        since_us,
        used_us,
    }
}

fn state(number_id: i64, person_id: i64, full_at_us: i64) -> RateState {
    RateState {
        number_id,
        person_id,
        full_at_us,
    }
}

#[tokio::test]
async fn rate_buckets_add_every_writers_use() {
    for (name, store, _dir) in common::stores("ratelimit").await {
        // New buckets are full at the start of their use plus the use.
        store
            .add_rate_use(&[use_of(1, 0, 1_000, 500), use_of(1, 7, 1_000, 9_000)], 10)
            .await
            .unwrap();
        let mut got = store.rate_states(0, 0).await.unwrap();
        got.sort_by_key(|s| s.person_id);
        assert_eq!(got, [state(1, 0, 1_500), state(1, 7, 10_000)], "{name}");
        // Another writer's use adds to the stored time when it is later than its start…
        store
            .add_rate_use(&[use_of(1, 7, 2_000, 3_000)], 20)
            .await
            .unwrap();
        // …and starts from its own start when the bucket was full by then.
        store
            .add_rate_use(&[use_of(1, 0, 5_000, 500)], 20)
            .await
            .unwrap();
        let mut got = store.rate_states(15, 0).await.unwrap();
        got.sort_by_key(|s| s.person_id);
        assert_eq!(got, [state(1, 0, 5_500), state(1, 7, 13_000)], "{name}");
        // Read by change time and by whether still in the future.
        assert!(store.rate_states(21, 0).await.unwrap().is_empty(), "{name}");
        assert_eq!(
            store.rate_states(0, 6_000).await.unwrap(),
            [state(1, 7, 13_000)],
            "{name}"
        );
        // Pruned: buckets unchanged since before 30 and full by 6,000 µs.
        assert_eq!(
            store.prune_rate_states(30, 6_000).await.unwrap(),
            1,
            "{name}"
        );
        assert_eq!(
            store.rate_states(0, 0).await.unwrap(),
            [state(1, 7, 13_000)],
            "{name}"
        );
        // Many keys in one round (several statements, one transaction).
        let many: Vec<RateUse> = (0..300).map(|p| use_of(2, p, 100, 10)).collect();
        store.add_rate_use(&many, 40).await.unwrap();
        assert_eq!(store.rate_states(40, 0).await.unwrap().len(), 300, "{name}");
    }
}
