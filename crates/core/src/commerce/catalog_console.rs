//! The catalog as the business console manages it: the WABA's one catalog (created on the
//! first change), products searched by name, retailer id or collection, the collections with
//! their product counts, and console forms whose prices are decimal text converted exactly
//! into minor units. Every rule of a product is the catalog API's own.

use super::catalog_csv::to_minor;
use super::Commerce;
use super::{product_view, CatalogRow, ProductRow};
use crate::accounts::{sniff_media, MediaKind};
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use wasla_types::commerce::{ConsoleProduct, Product, ProductInput};

impl Commerce {
    /// The WABA's catalog; with `create`, a missing one is created under the business's name.
    pub async fn console_catalog(&self, waba_id: i64, create: bool) -> Result<Option<CatalogRow>> {
        if let Some(c) = self.store.catalog_of_waba(waba_id).await? {
            return Ok(Some(c));
        }
        if !create {
            return Ok(None);
        }
        Ok(Some(self.create_catalog(waba_id, "Catalog").await?))
    }

    /// The catalog's products whose name, retailer id or a collection contains `q`
    /// (case-insensitive); every product when `q` is blank.
    pub async fn search_products(&self, catalog: &CatalogRow, q: &str) -> Result<Vec<Product>> {
        let q = q.trim().to_lowercase();
        Ok(self
            .all_products(catalog.id)
            .await?
            .iter()
            .filter(|p| q.is_empty() || matches(p, &q))
            .map(product_view)
            .collect())
    }

    /// Upload an image for the WABA's products (owned by its first number) and return its id
    /// and the public URL to put in `image_url`. Anything but an image is refused before it is
    /// stored.
    pub async fn upload_catalog_image(
        &self,
        waba_id: i64,
        bytes: &[u8],
        declared: Option<&str>,
    ) -> Result<Value> {
        let mime = sniff_media(bytes, declared)?;
        if MediaKind::of(&mime) != MediaKind::Image {
            return Err(Error::bad("image must be a JPEG, PNG, WebP or GIF picture"));
        }
        let owner = self
            .business
            .phone_numbers(waba_id)
            .await?
            .first()
            .map(|n| n.id)
            .ok_or_else(|| Error::bad("the business needs a phone number first"))?;
        let media = self
            .accounts
            .upload_media(owner, bytes, Some(&mime), None)
            .await?;
        let id = media.id.parse::<i64>().map_err(Error::internal)?;
        self.store
            .put_catalog_image(id, waba_id, &mime, self.ground.now())
            .await?;
        let url = format!("{}/catalog/images/{id}", self.ground.config.public_url());
        Ok(json!({"id": media.id, "url": url, "mime_type": mime}))
    }

    /// A catalog image's MIME type and bytes, for anyone (product images are public); any
    /// other media id is not found.
    pub async fn catalog_image(&self, id: &str) -> Result<(String, Vec<u8>)> {
        let missing = || Error::not_found("no such image");
        let id = crate::ids::parse_id(id).ok_or_else(missing)?;
        let mime = self.store.catalog_image(id).await?.ok_or_else(missing)?;
        Ok((mime, self.ground.blobs.get(id).await?))
    }

    /// A product of the WABA's catalog, or not found (the same for other WABAs' products).
    pub async fn console_product(&self, waba_id: i64, id: &str) -> Result<ProductRow> {
        self.owned_product(waba_id, id)
            .await?
            .ok_or_else(|| Error::not_found(format!("no product {id}")))
    }
}

fn matches(p: &ProductRow, q: &str) -> bool {
    p.name.to_lowercase().contains(q)
        || p.retailer_id.to_lowercase().contains(q)
        || p.collections.iter().any(|c| c.to_lowercase().contains(q))
}

/// Collections of these products with how many products each holds, by name.
pub fn collections(products: &[Product]) -> Vec<Value> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in products {
        for c in &p.collections {
            *counts.entry(c.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(name, n)| json!({"name": name, "products": n}))
        .collect()
}

/// A console form as catalog input: `price_text` and `sale_price_text` are converted with the
/// exponent of the form's currency (or `current_currency` when editing); giving a price both
/// as text and in minor units is an error.
pub fn console_input(form: ConsoleProduct, current_currency: Option<&str>) -> Result<ProductInput> {
    let mut input = form.fields;
    let currency = input
        .currency
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .or_else(|| current_currency.map(str::to_string));
    let convert = |text: &str, what: &str| -> Result<i64> {
        let c = currency
            .as_deref()
            .ok_or_else(|| Error::invalid_param(format!("{what} needs a currency")))?;
        to_minor(text.trim(), c).map_err(|m| Error::invalid_param(format!("{what}: {m}")))
    };
    if let Some(t) = form.price_text.filter(|t| !t.trim().is_empty()) {
        if input.price.is_some() {
            return Err(Error::invalid_param("give price or price_text, not both"));
        }
        input.price = Some(convert(&t, "price")?);
    }
    if let Some(t) = form.sale_price_text {
        if input.sale_price.is_some() {
            return Err(Error::invalid_param(
                "give sale_price or sale_price_text, not both",
            ));
        }
        input.sale_price = Some(if t.trim().is_empty() {
            0
        } else {
            convert(&t, "sale_price")?
        });
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(price: &str, currency: &str) -> ConsoleProduct {
        ConsoleProduct {
            fields: ProductInput {
                currency: Some(currency.into()),
                ..Default::default()
            },
            price_text: Some(price.into()),
            sale_price_text: None,
        }
    }

    #[test]
    fn decimal_prices_become_exact_minor_units() {
        assert_eq!(
            console_input(form("12.5", "EUR"), None).unwrap().price,
            Some(1250)
        );
        assert_eq!(
            console_input(form("1.234", "KWD"), None).unwrap().price,
            Some(1234)
        );
        assert_eq!(
            console_input(form("500", "JPY"), None).unwrap().price,
            Some(500)
        );
        assert!(console_input(form("1.5", "JPY"), None).is_err());
        assert!(console_input(form("0.1e2", "EUR"), None).is_err());
        assert!(console_input(form("-3", "EUR"), None).is_err());
    }
}
