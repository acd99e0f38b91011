//! The business domain: WhatsApp Business Accounts (`wabas`), their apps and webhook
//! subscriptions (`apps`, whose secrets are stored sealed), business tokens
//! (`business_tokens`) and business profiles (`business_profiles`, with the number's `about`
//! and photo in `accounts`). Implements `wasla_core::business`'
//! [`BusinessStore`](wasla_core::business::BusinessStore). Above accounts (it reads a WABA's
//! phone numbers with the accounts' row decoder).

mod audit;
mod rows;
mod sealing;
mod wabas;

pub(crate) use rows::{app, app_cols};
pub(crate) use sealing::seal_legacy_secrets;
