//! Sequences filed in time buckets read back exactly, on SQLite always and on PostgreSQL when
//! `WASLA_TEST_DATABASE_URL` is set: an account's events after any seq, and a chat's history
//! pages, read ranges and unread counts, whatever the clock did while they were written
//! (times that cross many buckets, repeat, and go backwards).

#[path = "common/chats.rs"]
mod chats;
mod common;

use chats::*;
use wasla_core::accounts::AccountRow;
use wasla_core::chats::{ChatStore, MessageStore};
use wasla_core::chats::{EventKind, MessageRow, NewEvent, ReceiptStatus, ReceiptUpdate};

/// Times that cross many 4 s buckets, repeat one, and go backwards (a clock stepped back must
/// not hide later rows from a reader).
const TIMES: [i64; 15] = [
    0, 10, 3_999, 4_000, 4_001, 60_000, 59_000, 1_000, 61_000, 61_000, 200_000, 8_000, 200_001,
    1_000_000, 2_000,
];

#[tokio::test]
async fn event_streams_read_back_in_order_across_time_buckets_whatever_the_clock() {
    for (name, store, _dir) in common::stores("bucket").await {
        let a = person(&store, 1).await;
        let b = person(&store, 2).await;
        let mut appended: i64 = 0;
        for (i, at) in TIMES.iter().enumerate() {
            // Some commits carry several events of one account, some reach both accounts.
            let mut events = vec![profile_event(&a); 1 + i % 3];
            if i % 2 == 0 {
                events.push(profile_event(&b));
            }
            store.append_events(&events, *at).await.unwrap();
            appended += 1 + (i % 3) as i64;
        }
        for after in 0..=appended {
            for limit in [1, 3, 100] {
                let got: Vec<i64> = store
                    .events_after(a.id, after, limit)
                    .await
                    .unwrap()
                    .iter()
                    .map(|e| e.seq)
                    .collect();
                let want: Vec<i64> = (after + 1..=appended).take(limit as usize).collect();
                assert_eq!(got, want, "{name}: after {after}, limit {limit}");
            }
        }
        let b_seqs: Vec<i64> = store
            .events_after(b.id, 0, 100)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(b_seqs, (1..=8).collect::<Vec<i64>>(), "{name}");
        assert_eq!(store.last_event_seq(a.id).await.unwrap(), appended);
        // Cursors at the ends of the range read nothing or everything, and never fail.
        let none = store.events_after(a.id, i64::MAX, 10).await.unwrap();
        assert!(none.is_empty(), "{name}");
        let all = store.events_after(a.id, i64::MIN, 100).await.unwrap();
        assert_eq!(all.len() as i64, appended, "{name}");
    }
}

fn profile_event(account: &AccountRow) -> NewEvent {
    NewEvent {
        account_id: account.id,
        kind: EventKind::Profile,
        chat_id: None,
        message_id: None,
        payload: None,
    }
}

#[tokio::test]
async fn chat_history_read_ranges_and_unread_counts_cross_time_buckets_whatever_the_clock() {
    for (name, store, _dir) in common::stores("bucket").await {
        let (a, b, chat) = two_people_in_a_chat(&store).await;
        // Commits of one to three messages, each commit at one of the times.
        let mut n: i64 = 0;
        for (i, at) in TIMES.iter().enumerate() {
            let mut tasks = vec![];
            for k in 0..1 + i % 3 {
                let mut m = text(&chat, &a, &b, &format!("m{i}.{k}"), None);
                m.message.created_at = *at;
                let store = store.clone();
                tasks.push(tokio::spawn(async move { store.commit_message(m).await }));
            }
            for t in tasks {
                t.await.unwrap().unwrap();
            }
            n += 1 + (i % 3) as i64;
        }
        let seqs = |rows: Vec<MessageRow>| rows.iter().map(|m| m.seq).collect::<Vec<i64>>();
        for before in 1..=n + 2 {
            for max in [None, Some(0), Some(5), Some(n - 1), Some(n + 5)] {
                for limit in [1, 4, 100] {
                    let got = seqs(
                        store
                            .messages_before(chat.id, Some(before), max, limit)
                            .await
                            .unwrap(),
                    );
                    let top = (before - 1).min(max.unwrap_or(i64::MAX)).min(n);
                    let want: Vec<i64> = (1.max(top - limit + 1)..=top).collect();
                    assert_eq!(
                        got, want,
                        "{name}: before {before}, max {max:?}, limit {limit}"
                    );
                }
            }
        }
        for (before, max) in [(i64::MIN, None), (1, Some(i64::MIN)), (i64::MAX, Some(0))] {
            let got = store
                .messages_before(chat.id, Some(before), max, 10)
                .await
                .unwrap();
            assert!(got.is_empty(), "{name}: before {before}, max {max:?}");
        }
        assert_eq!(
            store
                .unread_count(chat.id, b.id, i64::MAX, None)
                .await
                .unwrap(),
            0,
            "{name}"
        );
        assert_eq!(
            store
                .unread_count(chat.id, b.id, i64::MIN, None)
                .await
                .unwrap(),
            n,
            "{name}"
        );
        let newest = seqs(store.messages_before(chat.id, None, None, 3).await.unwrap());
        assert_eq!(newest, vec![n - 2, n - 1, n], "{name}");
        for after in 0..=n {
            for max in [None, Some(after + 3), Some(n + 5)] {
                let count = store.unread_count(chat.id, b.id, after, max).await.unwrap();
                let top = max.unwrap_or(i64::MAX).min(n);
                assert_eq!(
                    count,
                    (top - after).max(0),
                    "{name}: after {after}, max {max:?}"
                );
                let own = store.unread_count(chat.id, a.id, after, max).await.unwrap();
                assert_eq!(own, 0, "{name}: one's own messages are not unread");
            }
        }
        // Reading in steps marks exactly the messages up to each step read.
        let history = store
            .messages_before(chat.id, None, None, 1000)
            .await
            .unwrap();
        assert_eq!(history.len() as i64, n, "{name}");
        let ids: Vec<i64> = history.iter().map(|m| m.id).collect();
        for up_to in [3, 3, 11, n - 1, n + 10] {
            store
                .update_receipts(ReceiptUpdate {
                    reader_id: b.id,
                    reader_wa_id: b.wa_id.clone(),
                    chat_id: chat.id,
                    status: ReceiptStatus::Read,
                    message_ids: vec![],
                    up_to_seq: Some(up_to),
                    now: 5_000_000,
                })
                .await
                .unwrap();
            let statuses = store.aggregate_status(&ids).await.unwrap();
            for m in &history {
                let read = statuses[&m.id] == ReceiptStatus::Read;
                assert_eq!(
                    read,
                    m.seq <= up_to,
                    "{name}: seq {} after reading to {up_to}",
                    m.seq
                );
            }
        }
    }
}
