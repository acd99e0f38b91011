//! What a group commit carries: the queued writes ([`Work`]), what each produced ([`Done`]),
//! and the body that runs a batch of them ([`GroupCommit`]). The writer ([`crate::writer`],
//! [`crate::lite`]) only queues, batches and commits; what a batch does is the domains'
//! business, so the body is declared here and implemented on [`Db`](crate::db::Db) by the chats domain
//! (`chats::batch`), which keeps the shared infrastructure free of domain imports.

use std::future::Future;
use wasla_core::chats::{Committed, NewMessage, ReceiptUpdate, StoredEvent};
use wasla_core::integration::{AttemptRecord, OutboxRow};
use wasla_core::Result;

/// One queued write, as the writer hands it over.
pub(crate) enum Work<'a> {
    /// A message with its receipts, events and outbox rows.
    Message(&'a NewMessage),
    /// Receipts moving forward.
    Receipts(&'a ReceiptUpdate),
    /// Webhook delivery attempts to record.
    Attempts(&'a [AttemptRecord]),
    /// Due webhook deliveries to lease: (now, lease until, most rows).
    Claim(i64, i64, i64),
}

// Outcomes move once, to their caller; their size does not matter.
#[allow(clippy::large_enum_variant)]
/// What one write produced.
pub(crate) enum Done {
    /// The message was stored (or was there already).
    Message(Committed),
    /// The events the receipts caused.
    Receipts(Vec<StoredEvent>),
    /// The attempts were recorded.
    Recorded,
    /// The deliveries leased.
    Claimed(Vec<OutboxRow>),
}

/// The body of a group commit, run on the connection of the open write transaction.
pub(crate) trait GroupCommit {
    /// Run a batch of writes in the caller's transaction, with the effect of running them one
    /// after the other in order. A job can fail alone; an `Err` means the batch must be rolled
    /// back.
    fn apply_batch<'a>(
        &'a mut self,
        work: &'a [Work<'a>],
    ) -> impl Future<Output = Result<Vec<Result<Done>>>> + Send + 'a;
}
