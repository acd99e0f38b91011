//! Commerce shapes: a person's `order` message (a cart sent to a business), the
//! `referred_product` of "ask about this product", catalog products as the catalog API reads and
//! writes them, the money amounts of `order_details` (`{value, offset}`) and the payment objects
//! the client API returns. Prices are integers in minor units; the only exception is the
//! Cloud API's own `item_price` of an order, which Meta defines in major units and which the
//! server derives from integer minor units at the wire boundary.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A cart sent as an order (`{"type":"order","order":{…}}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Order {
    /// The catalog the products come from (filled in by the server).
    #[serde(default)]
    pub catalog_id: String,
    /// A note from the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The cart's lines.
    pub product_items: Vec<OrderItem>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OrderItem {
    /// The product's retailer id.
    pub product_retailer_id: String,
    /// How many.
    pub quantity: i64,
    /// Unit price in major units, as the Cloud API sends it (filled in by the server).
    #[serde(default)]
    pub item_price: f64,
    /// Unit price in minor units (filled in by the server).
    #[serde(default)]
    pub item_price_minor: i64,
    /// ISO 4217 currency (filled in by the server).
    #[serde(default)]
    pub currency: String,
}

/// The product a message asks about.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReferredProduct {
    /// The catalog.
    pub catalog_id: String,
    /// The product's retailer id.
    pub product_retailer_id: String,
}

/// A product as the catalog API and the client read it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Product {
    /// Graph id of the product item.
    pub id: String,
    /// The business's own id for it.
    pub retailer_id: String,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Price in minor units.
    pub price: i64,
    /// Sale price in minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<i64>,
    /// ISO 4217 currency.
    pub currency: String,
    /// The price as people read it (`12.50 EUR`).
    #[serde(default)]
    pub price_text: String,
    /// Main image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// More images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_image_urls: Vec<String>,
    /// The product's page on the business's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `in stock`, `out of stock`, `preorder`, `available for order`, `discontinued`.
    pub availability: String,
    /// Units in stock, when tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<i64>,
    /// Variants of one product share this id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_group_id: Option<String>,
    /// Variant attributes (`color`, `size`, …).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub variant: Map<String, Value>,
    /// Collections the product is in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<String>,
    /// The other fields of Meta's product feed that were set (`brand`, `condition`, `gtin`,
    /// …), at the top level as Meta returns them.
    #[serde(flatten)]
    pub feed: Map<String, Value>,
}

/// Fields to create or change a product (everything optional on update).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// The business's own id.
    #[serde(default)]
    pub retailer_id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Price in minor units.
    #[serde(default)]
    pub price: Option<i64>,
    /// Sale price in minor units (0 clears it).
    #[serde(default)]
    pub sale_price: Option<i64>,
    /// ISO 4217 currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Main image.
    #[serde(default)]
    pub image_url: Option<String>,
    /// More images.
    #[serde(default)]
    pub additional_image_urls: Option<Vec<String>>,
    /// Link.
    #[serde(default)]
    pub url: Option<String>,
    /// Availability.
    #[serde(default)]
    pub availability: Option<String>,
    /// Stock.
    #[serde(default)]
    pub inventory: Option<i64>,
    /// Variant group.
    #[serde(default)]
    pub item_group_id: Option<String>,
    /// Variant colour.
    #[serde(default)]
    pub color: Option<String>,
    /// Variant size.
    #[serde(default)]
    pub size: Option<String>,
    /// Collections.
    #[serde(default)]
    pub collections: Option<Vec<String>>,
    /// Brand name.
    #[serde(default)]
    pub brand: Option<String>,
    /// `new`, `refurbished`, `used`, `used_like_new`, `used_good`, `used_fair`, `cpo` or `open_box_new`.
    #[serde(default)]
    pub condition: Option<String>,
    /// The product's category as the business names it.
    #[serde(default)]
    pub category: Option<String>,
    /// Google's product category (name or numeric id).
    #[serde(default)]
    pub google_product_category: Option<String>,
    /// Meta's product category (name or numeric id).
    #[serde(default)]
    pub fb_product_category: Option<String>,
    /// The business's own category path (`Home > Kitchen`).
    #[serde(default)]
    pub product_type: Option<String>,
    /// Global trade item number (UPC, EAN, JAN or ISBN).
    #[serde(default)]
    pub gtin: Option<String>,
    /// Manufacturer part number (MPN).
    #[serde(default)]
    pub manufacturer_part_number: Option<String>,
    /// `female`, `male` or `unisex`.
    #[serde(default)]
    pub gender: Option<String>,
    /// `adult`, `all ages`, `infant`, `kids`, `newborn`, `teen` or `toddler`.
    #[serde(default)]
    pub age_group: Option<String>,
    /// Material.
    #[serde(default)]
    pub material: Option<String>,
    /// Pattern or print.
    #[serde(default)]
    pub pattern: Option<String>,
    /// A short description.
    #[serde(default)]
    pub short_description: Option<String>,
    /// The description with HTML formatting.
    #[serde(default)]
    pub rich_text_description: Option<String>,
    /// `published`, `staging`, `hidden` or `whitelist_only`.
    #[serde(default)]
    pub visibility: Option<String>,
    /// When the sale price starts (ISO 8601).
    #[serde(default)]
    pub sale_price_start_date: Option<String>,
    /// When the sale price ends (ISO 8601).
    #[serde(default)]
    pub sale_price_end_date: Option<String>,
    /// When the product stops being offered (ISO 8601).
    #[serde(default)]
    pub expiration_date: Option<String>,
    /// Country of origin (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub origin_country: Option<String>,
    /// Legal name of the importer.
    #[serde(default)]
    pub importer_name: Option<String>,
    /// Manufacturer's name and address.
    #[serde(default)]
    pub manufacturer_info: Option<String>,
    /// `DEFAULT` or `COUNTRY_ORIGIN_EXEMPT`.
    #[serde(default)]
    pub wa_compliance_category: Option<String>,
    /// A page for mobile devices.
    #[serde(default)]
    pub mobile_link: Option<String>,
    /// Custom label 0 (for filtering sets).
    #[serde(default)]
    pub custom_label_0: Option<String>,
    /// Custom label 1.
    #[serde(default)]
    pub custom_label_1: Option<String>,
    /// Custom label 2.
    #[serde(default)]
    pub custom_label_2: Option<String>,
    /// Custom label 3.
    #[serde(default)]
    pub custom_label_3: Option<String>,
    /// Custom label 4.
    #[serde(default)]
    pub custom_label_4: Option<String>,
    /// Custom number 0.
    #[serde(default)]
    pub custom_number_0: Option<i64>,
    /// Custom number 1.
    #[serde(default)]
    pub custom_number_1: Option<i64>,
    /// Custom number 2.
    #[serde(default)]
    pub custom_number_2: Option<i64>,
    /// Custom number 3.
    #[serde(default)]
    pub custom_number_3: Option<i64>,
    /// Custom number 4.
    #[serde(default)]
    pub custom_number_4: Option<i64>,
    /// Days within which the product can be returned.
    #[serde(default)]
    pub return_policy_days: Option<i64>,
    /// Units offered for sale (besides `inventory`).
    #[serde(default)]
    pub quantity_to_sell_on_facebook: Option<i64>,
    /// More variant attributes, name to value.
    #[serde(default)]
    pub additional_variant_attributes: Option<Map<String, Value>>,
}

/// A money amount of `order_details`: `value / offset` in major units.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Amount {
    /// The amount times `offset`.
    pub value: i64,
    /// 10^exponent of the currency (100 for two decimals).
    pub offset: i64,
}

/// A payment as the paying person sees it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PaymentView {
    /// Payment id.
    pub id: String,
    /// The order's reference id.
    pub reference_id: String,
    /// `pending`, `success`, `failed` or `refunded`.
    pub status: String,
    /// The provider's transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// Where to finish paying, for providers that host their own page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A product as the business console creates or edits it: the catalog fields, with prices
/// optionally written as decimal text in major units (`"12.50"`), converted exactly with the
/// currency's exponent. Unknown fields are refused, as in [`ProductInput`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ConsoleProduct {
    /// The catalog fields (prices in minor units, if given that way).
    #[serde(flatten)]
    pub fields: ProductInput,
    /// The price as decimal text in major units.
    pub price_text: Option<String>,
    /// The sale price as decimal text in major units (empty clears it).
    pub sale_price_text: Option<String>,
}

impl<'de> Deserialize<'de> for ConsoleProduct {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = serde_json::Map::deserialize(d)?;
        let mut text = |key: &str| -> Result<Option<String>, D::Error> {
            match map.remove(key) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(D::Error::custom(format!("{key} must be a string"))),
            }
        };
        let price_text = text("price_text")?;
        let sale_price_text = text("sale_price_text")?;
        let fields =
            ProductInput::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(ConsoleProduct {
            fields,
            price_text,
            sale_price_text,
        })
    }
}

/// A CSV import from the business console.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleCsvImport {
    /// The CSV text, with the column names of the catalog CSV import.
    pub csv: String,
}

/// An order as the business console lists it: totals, the payment with its transaction id
/// and the operator's fee, refunds, and the chat to send status updates in.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConsoleOrder {
    /// The business's reference id.
    pub reference_id: String,
    /// The business number's id.
    pub phone_number_id: String,
    /// The customer's WhatsApp id.
    pub wa_id: String,
    /// The customer's name.
    pub name: String,
    /// The direct chat with the customer, if any.
    pub chat_id: Option<String>,
    /// Order status (`pending`, `processing`, `shipped`, `completed`, `canceled`, …).
    pub status: String,
    /// `unpaid`, `pending`, `paid`, `failed`, `refunded`.
    pub payment_status: String,
    /// Total, minor units.
    pub total: i64,
    /// ISO 4217.
    pub currency: String,
    /// The total as people read it.
    pub total_text: String,
    /// The latest payment.
    pub payment: Option<PaymentView>,
    /// The operator's fee on the payment, minor units.
    pub fee: Option<i64>,
    /// The amount refunded, minor units.
    pub refunded: Option<i64>,
    /// Created, ms since the epoch.
    pub created_at: i64,
}
