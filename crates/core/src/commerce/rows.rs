//! Commerce rows: a WABA's catalog and its products, a number's commerce settings, orders a
//! business asks a person to pay, payments and the operator's fee ledger. Money is `i64` minor
//! units with an ISO 4217 currency.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A WABA's catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogRow {
    /// Graph id.
    pub id: i64,
    /// Owning WABA.
    pub waba_id: i64,
    /// Name.
    pub name: String,
    /// Unix ms.
    pub created_at: i64,
}

/// A product of a catalog.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductRow {
    /// Graph id of the product item.
    pub id: i64,
    /// Its catalog.
    pub catalog_id: i64,
    /// The business's own id, unique in the catalog.
    pub retailer_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Price, minor units.
    pub price: i64,
    /// Sale price, minor units.
    pub sale_price: Option<i64>,
    /// ISO 4217.
    pub currency: String,
    /// Main image.
    pub image_url: Option<String>,
    /// More images.
    pub extra_images: Vec<String>,
    /// Link.
    pub url: Option<String>,
    /// Availability word.
    pub availability: String,
    /// Stock, when tracked.
    pub inventory: Option<i64>,
    /// Variant group.
    pub item_group_id: Option<String>,
    /// Variant attributes.
    pub variant: Map<String, Value>,
    /// Collections.
    pub collections: Vec<String>,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

impl ProductRow {
    /// What one unit costs now: the sale price when there is one.
    pub fn unit_price(&self) -> i64 {
        self.sale_price.unwrap_or(self.price)
    }

    /// Whether people can order it.
    pub fn orderable(&self) -> bool {
        is_orderable(&self.availability, self.inventory)
    }
}

/// Whether a product with this availability word and stock can be ordered (and put in a
/// cart): in stock, preorder or available for order, and not tracked at zero units.
pub fn is_orderable(availability: &str, inventory: Option<i64>) -> bool {
    matches!(
        availability,
        "in stock" | "preorder" | "available for order"
    ) && inventory.is_none_or(|n| n > 0)
}

/// A business number's commerce settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommerceSettings {
    /// People can send carts as orders.
    pub is_cart_enabled: bool,
    /// The shop button shows in the chat header and profile.
    pub is_catalog_visible: bool,
}

impl Default for CommerceSettings {
    fn default() -> Self {
        CommerceSettings {
            is_cart_enabled: true,
            is_catalog_visible: true,
        }
    }
}

/// An order a business asked a person to pay (`order_details`).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    /// Row id.
    pub id: i64,
    /// The business number.
    pub business_id: i64,
    /// The person.
    pub person_id: i64,
    /// The business's reference id.
    pub reference_id: String,
    /// ISO 4217.
    pub currency: String,
    /// Total, minor units.
    pub total: i64,
    /// The order's items and amounts as sent (JSON of the `order_details` parameters).
    pub details: String,
    /// `pending`, `processing`, `partially_shipped`, `shipped`, `completed`, `canceled`.
    pub status: String,
    /// `unpaid`, `pending`, `paid`, `failed`, `refunded`.
    pub payment_status: String,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

/// A payment attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRow {
    /// Row id.
    pub id: i64,
    /// The order.
    pub order_id: i64,
    /// `sandbox` or `payment_link`.
    pub provider: String,
    /// Transaction id given to both sides.
    pub transaction_id: String,
    /// `pending`, `success`, `failed`, `refunded`.
    pub status: String,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// When a pending sandbox payment settles.
    pub settle_at: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// The `order_details` message paid.
    pub message_id: i64,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

/// One line of the operator's fee ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// Row id.
    pub id: i64,
    /// The payment.
    pub payment_id: i64,
    /// `payment` or `refund`.
    pub kind: String,
    /// The business number paid.
    pub business_id: i64,
    /// ISO 4217.
    pub currency: String,
    /// What the person paid (negative for a refund), minor units.
    pub gross: i64,
    /// The operator's fee, minor units.
    pub fee: i64,
    /// What the business keeps, minor units.
    pub net: i64,
    /// Unix ms.
    pub created_at: i64,
}

/// A payment's outcome, written with everything it causes in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// The payment.
    pub payment_id: i64,
    /// The order.
    pub order_id: i64,
    /// `success`, `failed` or `refunded`.
    pub status: String,
    /// The order's payment status after it.
    pub order_payment_status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Fee ledger line (success and refund).
    pub ledger: Option<LedgerRow>,
    /// The status webhook to the business.
    pub webhook: crate::chats::WebhookWork,
    /// Unix ms.
    pub now: i64,
}
