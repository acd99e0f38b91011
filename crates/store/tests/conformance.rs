//! The same store scenarios on SQLite always, and on PostgreSQL when
//! `WASLA_TEST_DATABASE_URL` is set: group-committed writes keep chat and event sequences
//! gap-free under concurrency, `client_id` makes sends idempotent, receipts only move forward,
//! and a direct chat exists once however many create it at the same time.

#[path = "common/chats.rs"]
mod chats;
mod common;

use chats::*;
use wasla_core::accounts::AccountStore;
use wasla_core::chats::{ChatStore, MessageStore};

use std::collections::HashSet;
use std::sync::Arc;
use wasla_core::accounts::AccountRow;
use wasla_core::chats::{Committed, EventKind, ReceiptStatus, ReceiptUpdate};
use wasla_store::{SqlStore, StoreOptions};

#[tokio::test]
async fn concurrent_sends_get_gap_free_sequences() {
    for (name, store, _dir) in common::stores("conf").await {
        let a = person(&store, 1).await;
        let b = person(&store, 2).await;
        let c = person(&store, 3).await;
        let ab = direct(&store, &a, &b).await;
        let ac = direct(&store, &a, &c).await;
        let mut tasks = vec![];
        for i in 0..200 {
            let (store, a, b, c, ab, ac) = (
                store.clone(),
                a.clone(),
                b.clone(),
                c.clone(),
                ab.clone(),
                ac.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let m = if i % 2 == 0 {
                    text(&ab, &a, &b, &format!("m{i}"), None)
                } else {
                    text(&ac, &a, &c, &format!("m{i}"), None)
                };
                store.commit_message(m).await.unwrap()
            }));
        }
        let mut chat_seqs = vec![vec![], vec![]];
        for t in tasks {
            match t.await.unwrap() {
                Committed::New { message, events } => {
                    chat_seqs[(message.chat_id == ac.id) as usize].push(message.seq);
                    assert_eq!(events.len(), 2);
                }
                Committed::Duplicate(_) => panic!("{name}: no client ids, no duplicates"),
            }
        }
        for mut seqs in chat_seqs {
            seqs.sort();
            assert_eq!(
                seqs,
                (1..=100).collect::<Vec<i64>>(),
                "{name}: chat seqs are 1..=100"
            );
        }
        // Ada's stream holds all 200 messages, seqs 1..=200 with no gaps.
        let events = store.events_after(a.id, 0, 1000).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            (1..=200).collect::<Vec<i64>>(),
            "{name}"
        );
        assert!(events.iter().all(|e| e.message.is_some()));
        assert_eq!(store.last_event_seq(a.id).await.unwrap(), 200);
        assert_eq!(store.last_event_seq(b.id).await.unwrap(), 100);
    }
}

#[tokio::test]
async fn client_ids_make_sends_idempotent_even_when_concurrent() {
    for (name, store, _dir) in common::stores("conf").await {
        let (a, b, chat) = two_people_in_a_chat(&store).await;
        let mut tasks = vec![];
        for _ in 0..20 {
            let m = text(&chat, &a, &b, "once", Some("same-key"));
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store.commit_message(m).await.unwrap()
            }));
        }
        let mut ids = HashSet::new();
        let mut new = 0;
        for t in tasks {
            match t.await.unwrap() {
                Committed::New { message, .. } => {
                    new += 1;
                    ids.insert(message.id);
                }
                Committed::Duplicate(m) => {
                    ids.insert(m.id);
                }
            }
        }
        assert_eq!((new, ids.len()), (1, 1), "{name}: stored exactly once");
        assert_eq!(
            store.chat(chat.id).await.unwrap().unwrap().last_seq,
            1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_client_id_is_unique_per_sender_only() {
    for (name, store, _dir) in common::stores("conf").await {
        let (a, b, chat) = two_people_in_a_chat(&store).await;
        let key = Some("0195f3c2-7a10-7000-8000-000000000001");
        let from_a = store
            .commit_message(text(&chat, &a, &b, "a", key))
            .await
            .unwrap();
        let from_b = store
            .commit_message(text(&chat, &b, &a, "b", key))
            .await
            .unwrap();
        let again = store
            .commit_message(text(&chat, &b, &a, "b", key))
            .await
            .unwrap();
        let (Committed::New { message: ma, .. }, Committed::New { message: mb, .. }) =
            (from_a, from_b)
        else {
            panic!("{name}: both senders' first use of the key is stored");
        };
        assert_ne!(ma.id, mb.id, "{name}");
        match again {
            Committed::Duplicate(m) => assert_eq!(m.id, mb.id, "{name}: the retry is b's message"),
            Committed::New { .. } => panic!("{name}: b's retry was stored again"),
        }
        assert_eq!(
            store.chat(chat.id).await.unwrap().unwrap().last_seq,
            2,
            "{name}"
        );
    }
}

#[tokio::test]
async fn receipts_only_move_forward() {
    for (name, store, _dir) in common::stores("conf").await {
        let (a, b, chat) = two_people_in_a_chat(&store).await;
        let mut ids = vec![];
        for i in 0..3 {
            if let Committed::New { message, .. } = store
                .commit_message(text(&chat, &a, &b, &format!("{i}"), None))
                .await
                .unwrap()
            {
                ids.push(message.id);
            }
        }
        let update = |status, message_ids: Vec<i64>, up_to_seq| ReceiptUpdate {
            reader_id: b.id,
            reader_wa_id: b.wa_id.clone(),
            chat_id: chat.id,
            status,
            message_ids,
            up_to_seq,
            now: 5,
        };
        // Read up to seq 2: messages 1 and 2 become read, with a read event for Bob. They
        // were never acknowledged as delivered, so each is delivered first, then read.
        let evs = store
            .update_receipts(update(ReceiptStatus::Read, vec![], Some(2)))
            .await
            .unwrap();
        let statuses: Vec<(i64, String)> = evs
            .iter()
            .filter(|e| e.kind == EventKind::Status)
            .map(|e| {
                let p: serde_json::Value =
                    serde_json::from_str(e.payload.as_deref().unwrap()).unwrap();
                (e.seq, p["status"].as_str().unwrap().to_string())
            })
            .collect();
        let order: Vec<&str> = statuses.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(order, ["delivered", "read", "delivered", "read"], "{name}");
        assert!(statuses.windows(2).all(|w| w[0].0 < w[1].0), "{name}");
        assert_eq!(
            evs.iter()
                .filter(|e| e.kind == EventKind::Read && e.account_id == b.id)
                .count(),
            1,
            "{name}"
        );
        // A late "delivered" for all three only moves the third.
        let evs = store
            .update_receipts(update(ReceiptStatus::Delivered, ids.clone(), None))
            .await
            .unwrap();
        assert_eq!(evs.len(), 1, "{name}");
        let statuses = store.aggregate_status(&ids).await.unwrap();
        assert_eq!(statuses[&ids[0]], ReceiptStatus::Read);
        assert_eq!(statuses[&ids[2]], ReceiptStatus::Delivered);
        // Reading an older position again changes nothing.
        assert!(
            store
                .update_receipts(update(ReceiptStatus::Read, vec![], Some(1)))
                .await
                .unwrap()
                .is_empty(),
            "{name}"
        );
        let position = store.member(chat.id, b.id).await.unwrap().unwrap();
        assert_eq!(position.last_read_seq, 2, "{name}");
        // A position past the chat's end is clamped to its last message.
        let evs = store
            .update_receipts(update(ReceiptStatus::Read, vec![], Some(99)))
            .await
            .unwrap();
        let read: Vec<&str> = evs
            .iter()
            .filter(|e| e.kind == EventKind::Read)
            .map(|e| e.payload.as_deref().unwrap())
            .collect();
        assert_eq!(read, ["3"], "{name}");
        let position = store.member(chat.id, b.id).await.unwrap().unwrap();
        assert_eq!(position.last_read_seq, 3, "{name}");
    }
}

#[tokio::test]
async fn a_direct_chat_exists_once() {
    for (name, store, _dir) in common::stores("conf").await {
        let a = person(&store, 1).await;
        let b = person(&store, 2).await;
        let mut tasks = vec![];
        for _ in 0..10 {
            let (store, a, b) = (store.clone(), a.clone(), b.clone());
            tasks.push(tokio::spawn(async move { direct(&store, &a, &b).await.id }));
        }
        let ids: HashSet<i64> = futures::future::join_all(tasks)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(ids.len(), 1, "{name}");
        assert_eq!(store.chats_of(a.id).await.unwrap().len(), 1, "{name}");
        // Duplicate numbers are refused.
        let dup = AccountRow {
            id: id(),
            ..a.clone()
        };
        assert!(
            matches!(
                store.create_account(&dup).await,
                Err(wasla_core::Error::Conflict(_))
            ),
            "{name}"
        );
    }
}

/// Frames in the WAL of the SQLite file at `path` (a passive checkpoint reports them).
fn wal_frames(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
        .unwrap()
}

#[tokio::test]
async fn the_wal_starts_over_while_readers_never_stop() {
    // Two readers whose read transactions (4 ms each) overlap, while writes never pause: some
    // snapshot always predates the last commit, so a passive checkpoint never copies every
    // frame and the WAL never starts over by itself.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let opts = StoreOptions {
        wal_restart_frames: 50,
        ..StoreOptions::default()
    };
    let store = SqlStore::open(&format!("sqlite://{}", path.display()), &opts)
        .await
        .unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|i| {
            let (path, stop) = (path.clone(), stop.clone());
            std::thread::spawn(move || {
                let conn = rusqlite::Connection::open(&path).unwrap();
                conn.busy_timeout(std::time::Duration::from_secs(10))
                    .unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2 * i));
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    conn.execute_batch("BEGIN").unwrap();
                    let _: i64 = conn
                        .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))
                        .unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(4));
                    conn.execute_batch("COMMIT").unwrap();
                }
            })
        })
        .collect();
    let (a, b) = (person(&store, 90_001).await, person(&store, 90_002).await);
    let chat = direct(&store, &a, &b).await;
    let mut samples = vec![];
    let started = std::time::Instant::now();
    let mut i = 0;
    while started.elapsed() < std::time::Duration::from_secs(2) {
        let body = format!("message {i} {}", "x".repeat(2000));
        store
            .commit_message(text(&chat, &a, &b, &body, None))
            .await
            .unwrap();
        i += 1;
        // -1: another checkpoint was running, no figure.
        let frames = if i % 20 == 0 { wal_frames(&path) } else { -1 };
        if frames >= 0 {
            samples.push(frames);
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    // Without the restart the WAL only grows here; with it, it starts over about every
    // checkpoint interval (250 ms).
    let restarts = samples.windows(2).filter(|w| w[1] < w[0]).count();
    assert!(
        restarts >= 3,
        "the WAL started over {restarts} times: {samples:?}"
    );
}
