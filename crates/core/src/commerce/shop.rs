//! Shopping inside a chat: the shop a person opens from a business chat (visible catalog,
//! collections, products), the rules of commerce content on the one send path (a person's
//! `order` carts, "ask about this product" texts with `context.referred_product`, and the
//! `product`, `product_list` and `catalog_message` interactive messages a business sends).

use super::money;
use super::Commerce;
use super::{product_view, CatalogRow, CommerceSettings, ProductRow};
use crate::accounts::{AccountKind, AccountRow};
use crate::chats::MemberRow;
use crate::error::{Error, Result};
use std::collections::{BTreeSet, HashSet};
use wasla_types::commerce::{Order, Product, ReferredProduct};
use wasla_types::content::{Content, MessageContext};
use wasla_types::interactive::Interactive;

/// Most lines in one cart.
const MAX_ORDER_LINES: usize = 100;
/// Most units of one product in a cart.
const MAX_QUANTITY: i64 = 999;
/// Most products in a `product_list`.
const MAX_LIST_PRODUCTS: usize = 30;

/// A business's shop as a person sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Shop {
    /// The business number's wa_id.
    pub wa_id: String,
    /// Its name.
    pub name: String,
    /// The catalog id.
    pub catalog_id: String,
    /// Whether carts can be sent as orders.
    pub is_cart_enabled: bool,
    /// Collection names, in order of first appearance.
    pub collections: Vec<String>,
    /// Every product.
    pub products: Vec<Product>,
}

impl Commerce {
    /// The catalog a business number shows, when it has one and shows it.
    pub async fn visible_catalog(
        &self,
        number: &AccountRow,
    ) -> Result<Option<(CatalogRow, CommerceSettings)>> {
        let Some(waba_id) = number.waba_id else {
            return Ok(None);
        };
        let settings = self.store.commerce_settings(number.id).await?;
        if !settings.is_catalog_visible {
            return Ok(None);
        }
        Ok(self
            .store
            .catalog_of_waba(waba_id)
            .await?
            .map(|c| (c, settings)))
    }

    /// The shop of the business number `wa_id` (not found unless its catalog is visible).
    pub async fn shop(&self, wa_id: &str) -> Result<Shop> {
        let missing = || Error::not_found("this business has no shop");
        let number = self
            .accounts
            .account_by_wa_id(wa_id)
            .await?
            .filter(|a| a.kind == AccountKind::Business)
            .ok_or_else(missing)?;
        let (catalog, settings) = self.visible_catalog(&number).await?.ok_or_else(missing)?;
        let rows = self.all_products(catalog.id).await?;
        let mut seen = BTreeSet::new();
        let mut collections = vec![];
        for c in rows.iter().flat_map(|p| p.collections.iter()) {
            if seen.insert(c.clone()) {
                collections.push(c.clone());
            }
        }
        Ok(Shop {
            wa_id: number.wa_id.clone(),
            name: number
                .verified_name
                .clone()
                .unwrap_or(number.display_name.clone()),
            catalog_id: catalog.id.to_string(),
            is_cart_enabled: settings.is_cart_enabled,
            collections,
            products: rows.iter().map(product_view).collect(),
        })
    }

    /// Commerce rules of a message about to be committed: `sender` writes to the active
    /// `members` of a chat. Fills in order prices; records `order_details` and applies
    /// `order_status`.
    pub(crate) async fn check_commerce(
        &self,
        sender: &AccountRow,
        members: &[&MemberRow],
        content: &mut Content,
        context: Option<&MessageContext>,
    ) -> Result<()> {
        let other = |kind: AccountKind| {
            members
                .iter()
                .find(|m| m.account_id != sender.id && m.account_kind == kind)
                .map(|m| m.account_id)
        };
        let is_pair = members.len() == 2;
        if let Some(referred) = context.and_then(|c| c.referred_product.as_ref()) {
            let business = match (sender.kind, other(AccountKind::Business)) {
                (AccountKind::Person, Some(b)) if is_pair => b,
                _ => {
                    return Err(Error::bad(
                        "referred_product is for a person asking a business about a product",
                    ))
                }
            };
            Box::pin(self.check_referred_product(business, referred)).await?;
        }
        match (sender.kind, content) {
            (AccountKind::Person, Content::Order { order }) => {
                let business = other(AccountKind::Business)
                    .filter(|_| is_pair)
                    .ok_or_else(|| Error::bad("orders are sent to a business"))?;
                Box::pin(self.check_order(business, order)).await
            }
            (AccountKind::Business, Content::Order { .. }) => {
                Err(Error::bad("order messages are sent by people"))
            }
            (AccountKind::Business, Content::Interactive { interactive }) => {
                let person = other(AccountKind::Person).filter(|_| is_pair);
                Box::pin(self.check_business_commerce(sender, person, interactive)).await
            }
            _ => Ok(()),
        }
    }

    /// A product a person asks a business about is in that business's catalog.
    async fn check_referred_product(
        &self,
        business: i64,
        referred: &ReferredProduct,
    ) -> Result<()> {
        let catalog = self.catalog_of_number(business).await?;
        if referred.catalog_id != catalog.id.to_string() {
            return Err(Error::bad("that catalog is not this business's"));
        }
        self.catalog_product(&catalog, &referred.product_retailer_id)
            .await
            .map(drop)
    }

    /// The catalog of a business number's WABA.
    async fn catalog_of_number(&self, business_id: i64) -> Result<CatalogRow> {
        let missing = || Error::bad("this business has no catalog");
        let number = self
            .accounts
            .account(business_id)
            .await?
            .ok_or_else(missing)?;
        self.store
            .catalog_of_waba(number.waba_id.ok_or_else(missing)?)
            .await?
            .ok_or_else(missing)
    }

    /// A product of a catalog by retailer id, or a clear error.
    async fn catalog_product(&self, catalog: &CatalogRow, retailer_id: &str) -> Result<ProductRow> {
        self.store
            .product_by_retailer_id(catalog.id, retailer_id)
            .await?
            .ok_or_else(|| {
                Error::bad(format!(
                    "product {retailer_id:?} is not in catalog {}",
                    catalog.id
                ))
            })
    }

    /// A cart: the business takes orders, every product exists and can be ordered, one
    /// currency; prices come from the catalog, never from the sender.
    async fn check_order(&self, business_id: i64, order: &mut Order) -> Result<()> {
        let settings = self.store.commerce_settings(business_id).await?;
        if !settings.is_cart_enabled {
            return Err(Error::bad("this business does not take orders in chat"));
        }
        let catalog = self.catalog_of_number(business_id).await?;
        if order.product_items.is_empty() || order.product_items.len() > MAX_ORDER_LINES {
            return Err(Error::bad(format!(
                "an order has 1 to {MAX_ORDER_LINES} lines"
            )));
        }
        if order
            .text
            .as_ref()
            .is_some_and(|t| t.chars().count() > 1024)
        {
            return Err(Error::bad(
                "the order's text is longer than 1024 characters",
            ));
        }
        let mut ids = HashSet::new();
        let mut currency: Option<String> = None;
        for item in &mut order.product_items {
            if !ids.insert(item.product_retailer_id.clone()) {
                return Err(Error::bad(format!(
                    "product {:?} appears twice in the order",
                    item.product_retailer_id
                )));
            }
            if !(1..=MAX_QUANTITY).contains(&item.quantity) {
                return Err(Error::bad(format!("quantity must be 1 to {MAX_QUANTITY}")));
            }
            let p = self
                .catalog_product(&catalog, &item.product_retailer_id)
                .await?;
            if !p.orderable() {
                return Err(Error::bad(format!("{} is not available", p.name)));
            }
            if p.inventory.is_some_and(|n| n < item.quantity) {
                return Err(Error::bad(format!(
                    "only {} of {} left",
                    p.inventory.unwrap_or(0),
                    p.name
                )));
            }
            if currency.get_or_insert(p.currency.clone()) != &p.currency {
                return Err(Error::bad(
                    "every product of an order must have the same currency",
                ));
            }
            item.item_price_minor = p.unit_price();
            item.item_price = money::major(p.unit_price(), &p.currency);
            item.currency = p.currency.clone();
        }
        order.catalog_id = catalog.id.to_string();
        Ok(())
    }

    /// `product`, `product_list` and `catalog_message` name the business's own catalog and
    /// products; `order_details` and `order_status` go to the payments rules.
    async fn check_business_commerce(
        &self,
        business: &AccountRow,
        person: Option<i64>,
        i: &Interactive,
    ) -> Result<()> {
        let action = i.action.clone().unwrap_or_default();
        let catalog_id = action.extra.get("catalog_id").and_then(|v| v.as_str());
        let named_catalog = || async {
            let catalog = self.catalog_of_number(business.id).await?;
            if catalog_id != Some(catalog.id.to_string().as_str()) {
                return Err(Error::bad(format!(
                    "catalog_id {} is not this business's catalog",
                    catalog_id.unwrap_or("(missing)")
                )));
            }
            Ok(catalog)
        };
        match i.kind.as_str() {
            "product" => {
                let catalog = named_catalog().await?;
                let id = action
                    .extra
                    .get("product_retailer_id")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                self.catalog_product(&catalog, id).await?;
            }
            "product_list" => {
                let catalog = named_catalog().await?;
                if i.header.as_ref().is_none_or(|h| h.kind != "text") {
                    return Err(Error::bad("a product_list needs a text header"));
                }
                if i.body.is_none() {
                    return Err(Error::bad("a product_list needs body.text"));
                }
                let sections = action.sections.unwrap_or_default();
                if sections.is_empty() || sections.len() > 10 {
                    return Err(Error::bad("send 1 to 10 sections"));
                }
                let mut count = 0;
                for s in &sections {
                    if !s
                        .title
                        .as_ref()
                        .is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= 24)
                    {
                        return Err(Error::bad(
                            "every section needs a title of 1 to 24 characters",
                        ));
                    }
                    let items = s
                        .extra
                        .get("product_items")
                        .and_then(|v| v.as_array())
                        .cloned()
                        .unwrap_or_default();
                    if items.is_empty() {
                        return Err(Error::bad("every section needs product_items"));
                    }
                    for item in items {
                        count += 1;
                        let id = item["product_retailer_id"].as_str().unwrap_or_default();
                        self.catalog_product(&catalog, id).await?;
                    }
                }
                if count > MAX_LIST_PRODUCTS {
                    return Err(Error::bad(format!(
                        "a product_list has at most {MAX_LIST_PRODUCTS} products"
                    )));
                }
            }
            "catalog_message" => {
                if action.name.as_deref() != Some("catalog_message") {
                    return Err(Error::bad(
                        "catalog_message needs action.name \"catalog_message\"",
                    ));
                }
                if i.body.is_none() {
                    return Err(Error::bad("a catalog_message needs body.text"));
                }
                let catalog = self.catalog_of_number(business.id).await?;
                if let Some(id) = action
                    .parameters
                    .as_ref()
                    .and_then(|p| p["thumbnail_product_retailer_id"].as_str())
                {
                    self.catalog_product(&catalog, id).await?;
                }
            }
            "order_details" | "order_status" => {
                let person =
                    person.ok_or_else(|| Error::bad("order messages are sent to one person"))?;
                if i.kind == "order_details" {
                    self.record_order_details(business, person, i).await?;
                } else {
                    self.apply_order_status(business, person, i).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}
