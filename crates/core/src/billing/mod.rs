//! Billing: rate cards by market and category, rating each delivered business message once,
//! the ledger, balances, invoices, analytics, messaging limits and quality. Uses accounts,
//! business and integration. Each concern has its own file with its `impl Billing` block and
//! its own storage trait in `store.rs`.

mod store;

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
        Billing {
            ground,
            store,
            accounts,
            business,
            integration,
        }
    }
}
