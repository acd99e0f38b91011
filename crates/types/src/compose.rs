//! Shapes of the console's composer: what a chat's composer may offer (the 24-hour window,
//! approved templates, payment providers), a payment request built from a customer's cart or
//! from picked products, and customer carts as the Orders page lists them. Money is integer
//! minor units with an ISO 4217 currency.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the composer of one customer chat may offer now.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComposeInfo {
    /// Whether the 24-hour customer service window is open (free-form messages allowed).
    pub window_open: bool,
    /// When the window closes (Unix ms), when it is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_closes_at: Option<i64>,
    /// The WABA's approved templates, in the Cloud API's shape.
    pub templates: Vec<Value>,
    /// The payment providers a payment request may name.
    pub providers: Vec<PaymentProviderInfo>,
}

/// A payment provider the business can ask customers to pay through.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentProviderInfo {
    /// Its id, named in a payment request.
    pub id: String,
    /// What agents read.
    pub name: String,
}

/// One line of a payment request: a catalog product and how many.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentRequestItem {
    /// The product's retailer id.
    pub retailer_id: String,
    /// How many (1 to 9999).
    pub quantity: i64,
}

/// An agent asks the customer to pay: for the lines of a cart they sent, or for products the
/// agent picked. Prices always come from the catalog.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PaymentRequest {
    /// The customer's cart (`order` message id) to ask payment for.
    #[serde(default)]
    pub cart_message_id: Option<String>,
    /// Picked products, when not from a cart.
    #[serde(default)]
    pub items: Vec<PaymentRequestItem>,
    /// The provider to pay through (one of the compose info's providers).
    #[serde(default)]
    pub provider: Option<String>,
    /// Shipping, minor units of the products' currency.
    #[serde(default)]
    pub shipping: i64,
    /// The total the agent was shown, minor units: the request is refused when the server's
    /// total differs (prices changed meanwhile, or a client added up wrongly).
    #[serde(default)]
    pub expected_total: Option<i64>,
    /// The message's text.
    #[serde(default)]
    pub body: Option<String>,
}

/// One line of a customer's cart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CartLine {
    /// The product's retailer id.
    pub retailer_id: String,
    /// The product's name (the retailer id when it left the catalog).
    pub name: String,
    /// The product's image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// How many.
    pub quantity: i64,
    /// Unit price when the cart was sent, minor units.
    pub unit_price: i64,
    /// Quantity × unit price, minor units.
    pub line_total: i64,
}

/// A cart a customer sent, as an order to act on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsoleCart {
    /// The `order` message's wamid.
    pub message_id: String,
    /// The chat with the customer.
    pub chat_id: String,
    /// The business number it was sent to.
    pub phone_number_id: String,
    /// The customer's number.
    pub wa_id: String,
    /// The customer's name.
    pub name: String,
    /// The customer's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The lines.
    pub items: Vec<CartLine>,
    /// ISO 4217.
    pub currency: String,
    /// Sum of the lines, minor units.
    pub total: i64,
    /// The total as people read it.
    pub total_text: String,
    /// The reference id a payment request for this cart uses.
    pub reference_id: String,
    /// That order's status, once payment was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_status: Option<String>,
    /// That order's payment status, once payment was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}
