//! Commerce: a WABA's catalog (products, collections, CSV import), the shop a person opens in
//! a business chat, carts and orders, payments through providers with confirmations to both
//! sides and the operator's fee ledger, and money as integer minor units with an ISO 4217
//! currency. Uses accounts, chats, business and integration.

mod carts_console;
mod catalog;
mod catalog_console;
mod catalog_csv;
mod catalog_feed;
mod content_rules;
pub mod money;
mod orders;
mod orders_console;
mod payment_provider;
mod payment_render;
mod payment_request;
mod payments;
mod rows;
mod shop;
mod store;

pub use catalog::product_view;
pub use catalog_console::{collections, console_input};
pub use catalog_csv::{parse_csv, to_minor};
pub use catalog_feed::{split_attributes, VARIANT_KEYS};
pub use money::format as format_money;
pub use payment_provider::{Charge, Outcome, PaymentLink, PaymentProvider, Sandbox};
pub use payments::OrderView;
pub use rows::*;
pub use shop::Shop;
pub use store::*;

use crate::accounts::Accounts;
use crate::business::Business;
use crate::chats::Chats;
use crate::ground::Ground;
use crate::integration::Integration;
use std::sync::Arc;

/// The commerce domain: what it stores, the shared ground and the domains it uses.
pub struct Commerce {
    ground: Ground,
    store: Arc<dyn CommerceStorage>,
    accounts: Arc<Accounts>,
    chats: Arc<Chats>,
    business: Arc<Business>,
    integration: Arc<Integration>,
}

impl Commerce {
    /// The commerce service over its store.
    pub fn new(
        ground: Ground,
        store: Arc<dyn CommerceStorage>,
        accounts: Arc<Accounts>,
        chats: Arc<Chats>,
        business: Arc<Business>,
        integration: Arc<Integration>,
    ) -> Commerce {
        Commerce {
            ground,
            store,
            accounts,
            chats,
            business,
            integration,
        }
    }
}
