//! The accounts domain: people's and business numbers' accounts (`accounts`), their sessions
//! (`sessions`) and verification codes (`verification_codes`), media metadata (`media`), and
//! each account's event stream (`events`, `event_buckets`), and people's privacy settings
//! (`privacy_settings`). Implements `wasla_core::accounts`'
//! [`AccountStore`](wasla_core::accounts::AccountStore),
//! [`MediaStore`](wasla_core::accounts::MediaStore) and
//! [`PrivacyStore`](wasla_core::accounts::PrivacyStore). The lowest domain: it imports only the
//! shared infrastructure, and the others use its row decoders and event appends.

mod account;
mod contacts;
mod events;
mod media;
mod privacy;
mod rows;

pub(crate) use events::{append_events, insert_events, ACCOUNT_EVENTS};
pub(crate) use rows::{account, ACCOUNT_COLS};
