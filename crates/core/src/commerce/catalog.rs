//! Catalogs as the Cloud API manages them: one catalog per WABA (`/{waba-id}/product_catalogs`),
//! its products (`/{catalog-id}/products` list and create, `/{product-id}` get, update and
//! delete, `/{catalog-id}/batch` upserts by retailer id), every field validated, and each
//! number's commerce settings (`/{phone-number-id}/whatsapp_commerce_settings`).

use super::money;
use super::Commerce;
use super::{CatalogRow, ProductRow};
use crate::accounts::AccountRow;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use serde_json::{json, Value};
use wasla_types::commerce::{Product, ProductInput};

/// Product availability words, as Meta's catalogs use them.
pub const AVAILABILITY: &[&str] = &[
    "in stock",
    "out of stock",
    "preorder",
    "available for order",
    "discontinued",
];
/// Most products one batch request may carry.
pub const MAX_BATCH: usize = 1000;

impl Commerce {
    /// `POST /{waba-id}/product_catalogs`: the WABA's catalog (one per WABA, as on Meta).
    pub async fn create_catalog(&self, waba_id: i64, name: &str) -> Result<CatalogRow> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid_param("name must be 1 to 100 characters"));
        }
        if self.store.catalog_of_waba(waba_id).await?.is_some() {
            return Err(Error::invalid_param(
                "this WhatsApp Business Account already has a catalog",
            ));
        }
        let row = CatalogRow {
            id: self.ground.ids.next(),
            waba_id,
            name: name.into(),
            created_at: self.ground.now(),
        };
        self.store.create_catalog(&row).await?;
        Ok(row)
    }

    /// `GET /{waba-id}/product_catalogs`.
    pub async fn waba_catalogs(&self, waba_id: i64) -> Result<Value> {
        let data: Vec<Value> = self
            .store
            .catalog_of_waba(waba_id)
            .await?
            .into_iter()
            .map(|c| json!({"id": c.id.to_string(), "name": c.name}))
            .collect();
        Ok(json!({"data": data}))
    }

    /// A catalog the WABA owns; any other id is the same "does not exist" error.
    pub async fn owned_catalog(&self, waba_id: i64, catalog_id: &str) -> Result<CatalogRow> {
        let missing = || Error::unknown_object(catalog_id);
        match self
            .store
            .catalog(parse_id(catalog_id).ok_or_else(missing)?)
            .await?
        {
            Some(c) if c.waba_id == waba_id => Ok(c),
            _ => Err(missing()),
        }
    }

    /// A product of the WABA's catalog, by Graph id; `None` when it is not one.
    pub async fn owned_product(&self, waba_id: i64, id: &str) -> Result<Option<ProductRow>> {
        let Some(id) = parse_id(id) else {
            return Ok(None);
        };
        let Some(p) = self.store.product(id).await? else {
            return Ok(None);
        };
        match self.store.catalog(p.catalog_id).await? {
            Some(c) if c.waba_id == waba_id => Ok(Some(p)),
            _ => Ok(None),
        }
    }

    /// `POST /{catalog-id}/products`.
    pub async fn create_product(
        &self,
        catalog: &CatalogRow,
        input: ProductInput,
    ) -> Result<ProductRow> {
        let now = self.ground.now();
        let mut row = ProductRow {
            id: self.ground.ids.next(),
            catalog_id: catalog.id,
            availability: "in stock".into(),
            created_at: now,
            updated_at: now,
            ..Default::default()
        };
        apply_input(&mut row, input, true)?;
        self.store.insert_product(&row).await.map_err(|e| match e {
            Error::Conflict(_) => Error::invalid_param(format!(
                "a product with retailer_id {:?} already exists in this catalog",
                row.retailer_id
            )),
            other => other,
        })?;
        Ok(row)
    }

    /// `POST /{product-id}`: change the fields given.
    pub async fn update_product(
        &self,
        mut row: ProductRow,
        input: ProductInput,
    ) -> Result<ProductRow> {
        apply_input(&mut row, input, false)?;
        row.updated_at = self.ground.now();
        self.store.update_product(&row).await.map_err(|e| match e {
            Error::Conflict(_) => Error::invalid_param("that retailer_id is taken in this catalog"),
            other => other,
        })?;
        Ok(row)
    }

    /// `DELETE /{product-id}`.
    pub async fn delete_product(&self, row: &ProductRow) -> Result<()> {
        self.store.delete_product(row.id).await?;
        Ok(())
    }

    /// A page of a catalog's products and the cursor of the next page.
    pub async fn list_products(
        &self,
        catalog: &CatalogRow,
        after: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<Product>, Option<i64>)> {
        let limit = limit.clamp(1, 500);
        let mut rows = self.store.products(catalog.id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = more.then(|| rows.last().map(|r| r.id)).flatten();
        Ok((rows.iter().map(product_view).collect(), next))
    }

    /// Every product of a catalog (for the shop and public pages), in creation order.
    pub async fn all_products(&self, catalog_id: i64) -> Result<Vec<ProductRow>> {
        let mut out = vec![];
        let mut after = None;
        loop {
            let page = self.store.products(catalog_id, after, 500).await?;
            let done = page.len() < 500;
            after = page.last().map(|p| p.id);
            out.extend(page);
            if done || out.len() >= 10_000 {
                return Ok(out);
            }
        }
    }

    /// `POST /{catalog-id}/batch`: `requests: [{method: CREATE|UPDATE|DELETE, retailer_id,
    /// data}]`, applied one by one; UPDATE creates missing products unless `allow_upsert` is
    /// false. Returns per-request errors; valid requests apply even when others fail.
    pub async fn batch_products(&self, catalog: &CatalogRow, req: &Value) -> Result<Value> {
        let requests = req["requests"]
            .as_array()
            .ok_or_else(|| Error::invalid_param("requests must be an array"))?;
        if requests.is_empty() || requests.len() > MAX_BATCH {
            return Err(Error::invalid_param(format!(
                "send 1 to {MAX_BATCH} requests"
            )));
        }
        let allow_upsert = req["allow_upsert"].as_bool().unwrap_or(true);
        let mut status = vec![];
        let mut applied = 0;
        for r in requests {
            let retailer_id = r["retailer_id"]
                .as_str()
                .or(r["data"]["retailer_id"].as_str())
                .unwrap_or_default()
                .to_string();
            match self.batch_one(catalog, r, &retailer_id, allow_upsert).await {
                Ok(()) => applied += 1,
                Err(e) => status.push(
                    json!({"retailer_id": retailer_id, "errors": [{"message": graph_details(&e)}]}),
                ),
            }
        }
        Ok(
            json!({"handles": [self.ground.ids.next().to_string()], "applied": applied, "validation_status": status}),
        )
    }

    async fn batch_one(
        &self,
        catalog: &CatalogRow,
        r: &Value,
        retailer_id: &str,
        allow_upsert: bool,
    ) -> Result<()> {
        if retailer_id.is_empty() {
            return Err(Error::invalid_param("retailer_id is required"));
        }
        let existing = self
            .store
            .product_by_retailer_id(catalog.id, retailer_id)
            .await?;
        let input = || -> Result<ProductInput> {
            let mut data = r["data"].clone();
            if data.is_null() {
                data = json!({});
            }
            data["retailer_id"] = json!(retailer_id);
            serde_json::from_value(data).map_err(|e| Error::invalid_param(e.to_string()))
        };
        match (
            r["method"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_uppercase()
                .as_str(),
            existing,
        ) {
            ("DELETE", Some(p)) => self.delete_product(&p).await,
            ("DELETE", None) => Err(Error::invalid_param("no product with that retailer_id")),
            ("CREATE", None) => self.create_product(catalog, input()?).await.map(|_| ()),
            ("CREATE", Some(_)) => Err(Error::invalid_param(
                "a product with that retailer_id exists",
            )),
            ("UPDATE", Some(p)) => self.update_product(p, input()?).await.map(|_| ()),
            ("UPDATE", None) if allow_upsert => {
                self.create_product(catalog, input()?).await.map(|_| ())
            }
            ("UPDATE", None) => Err(Error::invalid_param("no product with that retailer_id")),
            _ => Err(Error::invalid_param(
                "method must be CREATE, UPDATE or DELETE",
            )),
        }
    }

    /// `GET /{phone-number-id}/whatsapp_commerce_settings`.
    pub async fn commerce_settings_json(&self, number: &AccountRow) -> Result<Value> {
        let s = self.store.commerce_settings(number.id).await?;
        Ok(
            json!({"data": [{"id": number.id.to_string(), "is_cart_enabled": s.is_cart_enabled,
            "is_catalog_visible": s.is_catalog_visible}]}),
        )
    }

    /// `POST /{phone-number-id}/whatsapp_commerce_settings?is_cart_enabled=…&is_catalog_visible=…`.
    pub async fn set_commerce_settings(
        &self,
        number: &AccountRow,
        cart: Option<&str>,
        visible: Option<&str>,
    ) -> Result<()> {
        let flag = |name: &str, v: Option<&str>, current: bool| -> Result<bool> {
            match v {
                None => Ok(current),
                Some("true") | Some("1") => Ok(true),
                Some("false") | Some("0") => Ok(false),
                Some(other) => Err(Error::invalid_param(format!(
                    "{name} must be true or false, not {other:?}"
                ))),
            }
        };
        if cart.is_none() && visible.is_none() {
            return Err(Error::invalid_param(
                "send is_cart_enabled and/or is_catalog_visible",
            ));
        }
        let mut s = self.store.commerce_settings(number.id).await?;
        s.is_cart_enabled = flag("is_cart_enabled", cart, s.is_cart_enabled)?;
        s.is_catalog_visible = flag("is_catalog_visible", visible, s.is_catalog_visible)?;
        self.store
            .save_commerce_settings(number.id, s, self.ground.now())
            .await
    }
}

/// The details of an error, for per-row reports.
pub(crate) fn graph_details(e: &Error) -> String {
    match e {
        Error::Graph { details, .. } => details.clone(),
        other => other.to_string(),
    }
}

/// A product as the API and clients read it.
pub fn product_view(p: &ProductRow) -> Product {
    let (variant, feed) = super::catalog_feed::split_attributes(&p.variant);
    Product {
        id: p.id.to_string(),
        retailer_id: p.retailer_id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        price: p.price,
        sale_price: p.sale_price,
        currency: p.currency.clone(),
        price_text: money::format(p.unit_price(), &p.currency),
        image_url: p.image_url.clone(),
        additional_image_urls: p.extra_images.clone(),
        url: p.url.clone(),
        availability: p.availability.clone(),
        inventory: p.inventory,
        item_group_id: p.item_group_id.clone(),
        variant,
        collections: p.collections.clone(),
        feed,
    }
}

fn check_text(name: &str, v: &str, min: usize, max: usize) -> Result<String> {
    let v = v.trim();
    let n = v.chars().count();
    if n < min || n > max {
        return Err(Error::invalid_param(format!(
            "{name} must be {min} to {max} characters"
        )));
    }
    Ok(v.to_string())
}

fn check_url(name: &str, v: &str) -> Result<String> {
    let v = v.trim();
    if !(v.starts_with("https://") || v.starts_with("http://")) || v.len() > 2000 {
        return Err(Error::invalid_param(format!(
            "{name} must be an http(s) URL of at most 2000 characters"
        )));
    }
    Ok(v.to_string())
}

/// Apply the fields given to a product, checking each; creating needs the essentials.
fn apply_input(row: &mut ProductRow, i: ProductInput, creating: bool) -> Result<()> {
    let required = |name: &str, present: bool| {
        if creating && !present {
            Err(Error::invalid_param(format!("{name} is required")))
        } else {
            Ok(())
        }
    };
    required("retailer_id", i.retailer_id.is_some())?;
    required("name", i.name.is_some())?;
    required("price", i.price.is_some())?;
    required("currency", i.currency.is_some())?;
    super::catalog_feed::apply_feed(row, &i)?;
    if let Some(v) = i.retailer_id {
        row.retailer_id = check_text("retailer_id", &v, 1, 100)?;
    }
    if let Some(v) = i.name {
        row.name = check_text("name", &v, 1, 150)?;
    }
    if let Some(v) = i.description {
        row.description = check_text("description", &v, 0, 5000)?;
    }
    if let Some(c) = i.currency {
        let c = c.trim().to_ascii_uppercase();
        money::exponent(&c).map_err(|_| {
            Error::invalid_param(format!("currency {c:?} is not a supported ISO 4217 code"))
        })?;
        row.currency = c;
    }
    if let Some(p) = i.price {
        if !(0..=1_000_000_000_000).contains(&p) {
            return Err(Error::invalid_param(
                "price is in minor units and must be 0 or more",
            ));
        }
        row.price = p;
    }
    if let Some(s) = i.sale_price {
        row.sale_price = (s != 0).then_some(s);
    }
    if row.sale_price.is_some_and(|s| s < 0 || s > row.price) {
        return Err(Error::invalid_param(
            "sale_price must be between 0 and price (minor units)",
        ));
    }
    if let Some(v) = i.image_url {
        row.image_url = Some(check_url("image_url", &v)?);
    }
    if let Some(v) = i.additional_image_urls {
        if v.len() > 20 {
            return Err(Error::invalid_param("at most 20 additional_image_urls"));
        }
        row.extra_images = v
            .iter()
            .map(|u| check_url("additional_image_urls", u))
            .collect::<Result<_>>()?;
    }
    if let Some(v) = i.url {
        row.url = Some(check_url("url", &v)?);
    }
    if let Some(a) = i.availability {
        let a = a.trim().to_ascii_lowercase().replace('_', " ");
        if !AVAILABILITY.contains(&a.as_str()) {
            return Err(Error::invalid_param(format!(
                "availability must be one of: {}",
                AVAILABILITY.join(", ")
            )));
        }
        row.availability = a;
    }
    if let Some(n) = i.inventory {
        if n < 0 {
            return Err(Error::invalid_param("inventory must be 0 or more"));
        }
        row.inventory = Some(n);
    }
    if let Some(g) = i.item_group_id {
        row.item_group_id = Some(check_text("item_group_id", &g, 1, 100)?);
    }
    for (key, v) in [("color", i.color), ("size", i.size)] {
        if let Some(v) = v {
            row.variant
                .insert(key.into(), json!(check_text(key, &v, 1, 100)?));
        }
    }
    if let Some(c) = i.collections {
        if c.len() > 20 {
            return Err(Error::invalid_param("at most 20 collections"));
        }
        row.collections = c
            .iter()
            .map(|n| check_text("collection name", n, 1, 60))
            .collect::<Result<_>>()?;
    }
    Ok(())
}
