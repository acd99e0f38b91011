//! The billing domain's storage: one trait per concern (rate cards, the ledger, balances and
//! invoices, analytics rollups, limits and quality), gathered in [`BillingStorage`].

/// Everything the billing domain stores.
pub trait BillingStorage: Send + Sync {}
impl<T: Send + Sync> BillingStorage for T {}
