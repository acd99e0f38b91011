//! The chats domain: chats and memberships (`chats`, `chat_members`), messages filed in time
//! buckets (`messages`, `message_buckets`), receipts (`receipts`) and service windows
//! (`service_windows`), plus the body of the group commit that writes messages and receipts
//! ([`batch`]). Implements `wasla_core::chats`' [`ChatStore`](wasla_core::chats::ChatStore)
//! and [`MessageStore`](wasla_core::chats::MessageStore). Above accounts (events go to the
//! accounts' streams) and integration (messages and receipts queue webhooks; a batch also
//! runs the outbox's claims and attempts).

mod batch;
mod chat;
mod commit;
mod messages;
mod receipts;
mod rows;

use crate::buckets::SeqOwner;
use crate::integration::QueuedHook;
use wasla_core::chats::NewEvent;

/// A chat's messages (`messages`); a chat's `updated_at` is its last message's time.
const CHAT_MESSAGES: SeqOwner = SeqOwner {
    table: "chats",
    seq: "last_seq",
    bucket: "seq_bucket",
    first: "seq_bucket_first",
    touch: true,
    buckets: "message_buckets",
    owner: "chat_id",
};

/// Where a batch's jobs put what they cause: events (with their time and owning job) and
/// webhook events, each in job order.
struct Caused<'a> {
    events: &'a mut Vec<(NewEvent, i64)>,
    owners: &'a mut Vec<usize>,
    hooks: &'a mut Vec<QueuedHook>,
}
