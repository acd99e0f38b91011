//! The commerce domain's storage: catalogs and products, commerce settings, orders, payments
//! and the fee ledger.

use super::rows::*;
use crate::error::Result;
use async_trait::async_trait;

/// Catalogs, products and commerce settings.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Insert a catalog; `Conflict` if the WABA has one.
    async fn create_catalog(&self, row: &CatalogRow) -> Result<()>;
    /// By id.
    async fn catalog(&self, id: i64) -> Result<Option<CatalogRow>>;
    /// The WABA's catalog.
    async fn catalog_of_waba(&self, waba_id: i64) -> Result<Option<CatalogRow>>;
    /// Insert a product; `Conflict` if the retailer id is taken in its catalog.
    async fn insert_product(&self, row: &ProductRow) -> Result<()>;
    /// Save every field of an existing product.
    async fn update_product(&self, row: &ProductRow) -> Result<()>;
    /// By id.
    async fn product(&self, id: i64) -> Result<Option<ProductRow>>;
    /// By catalog and retailer id.
    async fn product_by_retailer_id(
        &self,
        catalog_id: i64,
        retailer_id: &str,
    ) -> Result<Option<ProductRow>>;
    /// A page of a catalog's products with ids above `after`, ascending.
    async fn products(
        &self,
        catalog_id: i64,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ProductRow>>;
    /// Delete a product; false if it did not exist.
    async fn delete_product(&self, id: i64) -> Result<bool>;
    /// A number's commerce settings (defaults when never set).
    async fn commerce_settings(&self, account_id: i64) -> Result<CommerceSettings>;
    /// Save a number's commerce settings.
    async fn save_commerce_settings(
        &self,
        account_id: i64,
        settings: CommerceSettings,
        now: i64,
    ) -> Result<()>;
    /// Record an upload as a public catalog image of a WABA.
    async fn put_catalog_image(
        &self,
        media_id: i64,
        waba_id: i64,
        mime: &str,
        at: i64,
    ) -> Result<()>;
    /// A catalog image's MIME type, if the media is one.
    async fn catalog_image(&self, media_id: i64) -> Result<Option<String>>;
}

/// Orders, payments and the fee ledger.
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Insert an order, or replace the amounts of an unpaid one with the same reference id;
    /// `Conflict` when that order is paid or being paid. Returns the stored row.
    async fn put_order(&self, row: &OrderRow) -> Result<OrderRow>;
    /// By business number and reference id.
    async fn order_by_reference(
        &self,
        business_id: i64,
        reference_id: &str,
    ) -> Result<Option<OrderRow>>;
    /// By id.
    async fn order(&self, id: i64) -> Result<Option<OrderRow>>;
    /// A business number's orders, newest first.
    async fn orders_of_business(&self, business_id: i64, limit: i64) -> Result<Vec<OrderRow>>;
    /// Set an order's status.
    async fn set_order_status(&self, id: i64, status: &str, now: i64) -> Result<()>;
    /// Record a new payment and mark its order as being paid, unless the order is already
    /// paid or being paid (then false and nothing changes).
    async fn start_payment(&self, row: &PaymentRow) -> Result<bool>;
    /// By id.
    async fn payment(&self, id: i64) -> Result<Option<PaymentRow>>;
    /// By transaction id.
    async fn payment_by_transaction(&self, transaction_id: &str) -> Result<Option<PaymentRow>>;
    /// The latest payment of an order.
    async fn latest_payment(&self, order_id: i64) -> Result<Option<PaymentRow>>;
    /// Pending payments due to settle by `now`.
    async fn due_payments(&self, now: i64, limit: i64) -> Result<Vec<PaymentRow>>;
    /// Apply a settlement if the payment is still in the state it expects (`pending`, or
    /// `success` for a refund), with its ledger line and webhook, in one transaction. False
    /// when it was settled before: a retried callback changes nothing.
    async fn settle_payment(&self, s: &Settlement) -> Result<bool>;
    /// A business number's ledger lines, newest first.
    async fn ledger(&self, business_id: i64) -> Result<Vec<LedgerRow>>;
}

/// Everything the commerce domain stores.
pub trait CommerceStorage: CatalogStore + OrderStore {}
impl<T: CatalogStore + OrderStore> CommerceStorage for T {}
