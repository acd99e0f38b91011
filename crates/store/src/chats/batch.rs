//! The body of a group commit ([`GroupCommit`], declared by the shared infrastructure in
//! `crate::work`): a batch of queued message commits and receipt updates run as a handful of
//! multi-row statements, with the effect of running them one after the other, followed by the
//! webhook worker's bookkeeping (attempts recorded, deliveries claimed), which the integration
//! domain's outbox helpers do. The SQL is the same on both backends.

use super::commit::store_messages;
use super::receipts::move_receipts;
use super::Caused;
use crate::accounts::insert_events;
use crate::db::Db;
use crate::integration::{claim_due, enqueue_webhooks, store_attempts, QueuedHook};
use crate::work::{Done, GroupCommit, Work};
use std::collections::HashMap;
use wasla_core::accounts::EventSeq;
use wasla_core::chats::{Committed, MessageRow, NewEvent, NewMessage, ReceiptUpdate, StoredEvent};
use wasla_core::{Error, Result};

impl GroupCommit for Db<'_> {
    fn apply_batch<'a>(
        &'a mut self,
        work: &'a [Work<'a>],
    ) -> impl std::future::Future<Output = Result<Vec<Result<Done>>>> + Send + 'a {
        apply_batch(self, work)
    }
}

/// Run a batch of writes in the caller's transaction, with the effect of running them one
/// after the other in order: chat seqs and every account's event seqs stay gap-free,
/// `client_id`s dedupe (within the batch too), receipts only move forward. A job can fail
/// alone (its sender is no longer a member); an `Err` means the batch must be rolled back.
async fn apply_batch(conn: &mut Db<'_>, work: &[Work<'_>]) -> Result<Vec<Result<Done>>> {
    let mut out: Vec<Option<Result<Done>>> = work.iter().map(|_| None).collect();
    // Every event of the batch with its time and the job it belongs to, in job order.
    let mut events: Vec<(NewEvent, i64)> = Vec::new();
    let mut owners: Vec<usize> = Vec::new();
    // Every webhook event of the batch, in job order.
    let mut hooks: Vec<QueuedHook> = Vec::new();

    let msgs: Vec<(usize, &NewMessage)> = work
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Work::Message(m) => Some((i, *m)),
            _ => None,
        })
        .collect();
    let caused = Caused {
        events: &mut events,
        owners: &mut owners,
        hooks: &mut hooks,
    };
    let stored = store_messages(conn, &msgs, &mut out, caused).await?;

    let updates: Vec<(usize, &ReceiptUpdate)> = work
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Work::Receipts(u) => Some((i, *u)),
            _ => None,
        })
        .collect();
    let mut receipt_jobs = Vec::new();
    if !updates.is_empty() {
        let caused = Caused {
            events: &mut events,
            owners: &mut owners,
            hooks: &mut hooks,
        };
        receipt_jobs = move_receipts(conn, &updates, &mut out, caused).await?;
    }

    enqueue_webhooks(conn, &hooks).await?;
    let seqs = insert_events(conn, &events).await?;
    let mut per_job: HashMap<usize, Vec<StoredEvent>> = HashMap::new();
    let mut per_msg: HashMap<usize, Vec<EventSeq>> = HashMap::new();
    for (((e, _), s), job) in events.into_iter().zip(seqs).zip(owners) {
        match work[job] {
            Work::Message(_) => per_msg.entry(job).or_default().push(s),
            _ => per_job.entry(job).or_default().push(StoredEvent {
                account_id: s.account_id,
                seq: s.seq,
                kind: e.kind,
                chat_id: e.chat_id,
                message: None,
                payload: e.payload,
            }),
        }
    }
    for job in receipt_jobs {
        out[job] = Some(Ok(Done::Receipts(per_job.remove(&job).unwrap_or_default())));
    }
    // Webhook bookkeeping last: attempts release their leases before claims take new ones,
    // and a claim sees the deliveries this batch queued.
    for (job, w) in work.iter().enumerate() {
        out[job] = match *w {
            Work::Attempts(a) => {
                store_attempts(conn, a).await?;
                Some(Ok(Done::Recorded))
            }
            Work::Claim(now, lease_until, limit) => Some(Ok(Done::Claimed(
                claim_due(conn, now, lease_until, limit).await?,
            ))),
            _ => continue,
        };
    }
    let mut rows: HashMap<usize, MessageRow> = HashMap::new();
    for (job, seq) in stored.fresh {
        let Work::Message(new) = work[job] else {
            unreachable!("a fresh message is a message job")
        };
        let mut message = new.message.clone();
        message.seq = seq;
        rows.insert(job, message.clone());
        out[job] = Some(Ok(Done::Message(Committed::New {
            message,
            events: per_msg.remove(&job).unwrap_or_default(),
        })));
    }
    for (job, first) in stored.duplicates {
        let original = rows
            .get(&first)
            .cloned()
            .ok_or_else(|| Error::internal("duplicate of an unstored message"))?;
        out[job] = Some(Ok(Done::Message(Committed::Duplicate(original))));
    }
    out.into_iter()
        .map(|o| o.ok_or_else(|| Error::internal("a job of the batch got no outcome")))
        .collect()
}
