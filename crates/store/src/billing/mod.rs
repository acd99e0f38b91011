//! The billing domain's SQL: rate cards, the ledger, balances and invoices, limits and quality,
//! and the analytics rollups (`rollups.rs` writes them inside the group commit, `analytics.rs`
//! reads them).

mod analytics;
mod balances;
mod cards;
mod invoices;
pub(crate) mod ledger;
mod limits;
pub(crate) mod rollups;
