//! The accounts domain: people's and business numbers' accounts (`accounts`), their sessions
//! (`sessions`) and verification codes (`verification_codes`), media metadata (`media`), and
//! each account's event stream (`events`, `event_buckets`). Implements `wasla_core::accounts`'
//! [`AccountStore`](wasla_core::accounts::AccountStore) and
//! [`MediaStore`](wasla_core::accounts::MediaStore). The lowest domain: it imports only the
//! shared infrastructure, and the others use its row decoders and event appends.

mod account;
mod events;
mod media;
mod rows;

pub(crate) use events::{append_events, insert_events, ACCOUNT_EVENTS};
pub(crate) use rows::{account, ACCOUNT_COLS};
