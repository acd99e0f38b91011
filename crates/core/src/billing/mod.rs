//! Billing: rate cards by market and category, rating each delivered business message once,
//! the ledger, balances, invoices, analytics, messaging limits and quality. Uses accounts,
//! chats (the charge a message carries to its delivery), business and integration. Each concern has its own file with its `impl Billing` block and
//! its own storage trait in `store.rs`.

mod ad_spend;
mod amounts;
mod analytics;
pub mod analytics_query;
mod analytics_views;
mod balances;
mod blocks;
pub mod card_csv;
mod cards;
mod field_expansion;
mod invoice_docs;
mod invoices;
mod limits;
mod low_balance;
pub mod markets;
mod quality;
mod rating;
mod rows;
pub mod rules;
mod store;

pub use ad_spend::AD_SPEND;
pub use amounts::{
    format_micros, format_minor, micros_per_minor, minor_digits, parse_amount, round_to_minor,
};
pub use analytics::{
    micros_decimal, micros_number, AnalyticsStore, PricingRead, PricingRollupRow, RevenueRollupRow,
    TemplateRollupRow,
};
pub use analytics_views::day_range;
pub use cards::{CardBook, CardRejected, CardSummary, LoadedCard, DEFAULT_CARD};
pub use invoice_docs::{invoice_csv, invoice_html};
pub use invoices::{month_bounds, parse_month};
pub use limits::{
    next_tier, tier_limit, Admission, BlockRow, ReportRow, TierChangeRow, TierRow, TIERS,
};
pub use low_balance::PASS_EVERY as LOW_BALANCE_PASS_EVERY;
pub use quality::{rating_for, QualityRow};
pub use rating::{ENTRY_POINT_MS, ENTRY_POINT_REPLY_MS, PAYMENT_ERROR};
pub use rows::*;
pub use store::*;

use crate::accounts::Accounts;
use crate::business::Business;
use crate::ground::Ground;
use crate::integration::Integration;
use std::sync::Arc;

/// The billing domain: what it stores, the shared ground and the domains it uses.
pub struct Billing {
    #[allow(dead_code)]
    ground: Ground,
    #[allow(dead_code)]
    store: Arc<dyn BillingStorage>,
    #[allow(dead_code)]
    accounts: Arc<Accounts>,
    #[allow(dead_code)]
    business: Arc<Business>,
    #[allow(dead_code)]
    integration: Arc<Integration>,
    /// What the limits, blocks and quality keep in memory for the send path.
    limits: limits::LimitsState,
    /// Rules, cards, accounts and balances rating keeps in memory.
    rating: rating::RatingState,
}

impl Billing {
    /// The billing service over its store.
    pub fn new(
        ground: Ground,
        store: Arc<dyn BillingStorage>,
        accounts: Arc<Accounts>,
        business: Arc<Business>,
        integration: Arc<Integration>,
    ) -> Billing {
        let rating = rating::RatingState::new(&ground.config.billing.rules_file);
        Billing {
            ground,
            store,
            accounts,
            business,
            integration,
            limits: limits::LimitsState::default(),
            rating,
        }
    }
}
