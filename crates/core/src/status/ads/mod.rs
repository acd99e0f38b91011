//! Ads on Status and click-to-chat ads: a WABA's campaigns (`campaigns.rs`, checked by
//! `creative.rs`), the operator's review (`review.rs`), ads placed between Status updates with
//! targeting, a frequency cap and paced spend charged to billing's ledger (`placement.rs`,
//! `pacing.rs`), taps, link opens and the referral a first message carries (`referral.rs`),
//! how they look on the wire (`views.rs`), the sweeper of what must not outlive its day
//! (`sweep.rs`), and their rows and storage (`rows.rs`, `store.rs`).

mod campaigns;
mod creative;
mod pacing;
mod placement;
mod referral;
mod review;
mod rows;
mod store;
mod sweep;
mod views;

pub use creative::{CampaignForm, CreativeFile, DEFAULT_BUTTON, DEFAULT_WELCOME};
pub use pacing::{allowed_micros, day_of, impression_micros, AdDay};
pub use placement::primary_language;
pub use referral::REFERRAL_TTL_MS;
pub use review::MAX_REASON;
pub use rows::*;
pub use store::*;
