//! CSV import into a catalog, with the column names of Meta's catalog feeds: a header row,
//! then one product per row, upserted by `id` (the retailer id). Prices are written as people
//! write them (`12.50 EUR`, or `12.50` with a `currency` column) and parsed exactly into minor
//! units; the feed's other columns (`brand`, `condition`, `gtin`, `mpn`, …) are kept as the
//! catalog API keeps them. Every row is applied on its own; the report names each row that
//! failed and why.

use super::catalog::graph_details;
use super::money;
use super::CatalogRow;
use super::Commerce;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use wasla_types::commerce::ProductInput;

/// Most rows one import may carry.
pub const MAX_ROWS: usize = 10_000;
/// How often (in rows) an import reports progress.
pub const PROGRESS_EVERY: usize = 25;

impl Commerce {
    /// `POST /{catalog-id}/products_csv`: import rows; returns counts and per-row errors.
    /// `progress(processed, total)` is called every [`PROGRESS_EVERY`] rows and at the end.
    pub async fn import_products_csv(
        &self,
        catalog: &CatalogRow,
        text: &str,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<Value> {
        let rows = parse_csv(text)?;
        let Some((header, body)) = rows.split_first() else {
            return Err(Error::invalid_param("the CSV is empty"));
        };
        let header: Vec<String> = header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        if !header.iter().any(|h| h == "id" || h == "retailer_id") {
            return Err(Error::invalid_param(
                "the header row needs an id (or retailer_id) column",
            ));
        }
        if body.len() > MAX_ROWS {
            return Err(Error::invalid_param(format!(
                "at most {MAX_ROWS} rows per import"
            )));
        }
        let (mut created, mut updated, mut errors) = (0, 0, vec![]);
        for (n, cells) in body.iter().enumerate() {
            let line = n + 2;
            if n > 0 && n % PROGRESS_EVERY == 0 {
                progress(n, body.len());
            }
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let get = |names: &[&str]| -> Option<String> {
                names.iter().find_map(|name| {
                    header
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| cells.get(i))
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                })
            };
            let retailer_id = get(&["id", "retailer_id"]).unwrap_or_default();
            let result = async {
                let input = row_input(&get)?;
                match self
                    .store
                    .product_by_retailer_id(catalog.id, &retailer_id)
                    .await?
                {
                    Some(p) => self.update_product(p, input).await.map(|_| false),
                    None => self.create_product(catalog, input).await.map(|_| true),
                }
            }
            .await;
            match result {
                Ok(true) => created += 1,
                Ok(false) => updated += 1,
                Err(e) => errors.push(
                    json!({"row": line, "retailer_id": retailer_id, "message": graph_details(&e)}),
                ),
            }
        }
        progress(body.len(), body.len());
        Ok(json!({
            "rows": body.len(),
            "created": created,
            "updated": updated,
            "failed": errors.len(),
            "errors": errors,
        }))
    }
}

/// A product from one row's cells.
fn row_input(get: &dyn Fn(&[&str]) -> Option<String>) -> Result<ProductInput> {
    let (price, price_currency) = match get(&["price"]) {
        Some(p) => {
            let (amount, cur) = split_price(&p);
            (Some(amount), cur)
        }
        None => (None, None),
    };
    let currency = get(&["currency"])
        .or(price_currency)
        .map(|c| c.to_ascii_uppercase());
    let minor = |amount: Option<String>, what: &str| -> Result<Option<i64>> {
        match (amount, &currency) {
            (None, _) => Ok(None),
            (Some(a), Some(c)) => to_minor(&a, c)
                .map(Some)
                .map_err(|m| Error::invalid_param(format!("{what}: {m}"))),
            (Some(_), None) => Err(Error::invalid_param(format!(
                "{what} needs a currency (\"12.50 EUR\" or a currency column)"
            ))),
        }
    };
    let inventory = match get(&["inventory", "quantity_to_sell_on_facebook"]) {
        Some(n) => Some(
            n.parse::<i64>()
                .map_err(|_| Error::invalid_param("inventory must be a whole number"))?,
        ),
        None => None,
    };
    Ok(ProductInput {
        retailer_id: get(&["id", "retailer_id"]),
        name: get(&["title", "name"]),
        description: get(&["description"]),
        price: minor(price, "price")?,
        sale_price: minor(
            get(&["sale_price"]).map(|s| split_price(&s).0),
            "sale_price",
        )?,
        currency,
        image_url: get(&["image_link", "image_url"]),
        additional_image_urls: get(&["additional_image_link", "additional_image_urls"]).map(|s| {
            s.split(',')
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty())
                .collect()
        }),
        url: get(&["link", "url"]),
        availability: get(&["availability"]),
        inventory,
        item_group_id: get(&["item_group_id"]),
        color: get(&["color"]),
        size: get(&["size"]),
        collections: get(&["collections", "product_type"]).map(|s| {
            s.split(['|', '>'])
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect()
        }),
        brand: get(&["brand"]),
        condition: get(&["condition"]),
        gtin: get(&["gtin"]),
        manufacturer_part_number: get(&["mpn", "manufacturer_part_number"]),
        google_product_category: get(&["google_product_category"]),
        fb_product_category: get(&["fb_product_category"]),
        gender: get(&["gender"]),
        age_group: get(&["age_group"]),
        material: get(&["material"]),
        pattern: get(&["pattern"]),
        custom_label_0: get(&["custom_label_0"]),
        custom_label_1: get(&["custom_label_1"]),
        custom_label_2: get(&["custom_label_2"]),
        custom_label_3: get(&["custom_label_3"]),
        custom_label_4: get(&["custom_label_4"]),
        ..Default::default()
    })
}

/// `"12.50 EUR"` → (`"12.50"`, `Some("EUR")`).
fn split_price(s: &str) -> (String, Option<String>) {
    let mut parts = s.split_whitespace();
    let amount = parts.next().unwrap_or_default().to_string();
    (amount, parts.next().map(str::to_string))
}

/// A decimal written in major units, exactly in minor units of `currency`.
pub fn to_minor(amount: &str, currency: &str) -> std::result::Result<i64, String> {
    let exp = money::exponent(currency).map_err(|e| graph_details(&e))? as usize;
    let (whole, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || digits(frac)) {
        return Err(format!("{amount:?} is not a price"));
    }
    if frac.len() > exp {
        return Err(format!(
            "{currency} has {exp} decimals, {amount:?} has more"
        ));
    }
    let padded = format!("{whole}{frac:0<exp$}");
    padded
        .parse::<i64>()
        .map_err(|_| format!("{amount:?} is too large"))
}

/// RFC 4180 CSV (fields separated by commas, optionally quoted with `"`, doubled inside), read
/// with the `csv` crate; rows may have any number of fields.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // An odd number of quotes leaves a field open at the end (doubled quotes come in pairs).
    if text.bytes().filter(|b| *b == b'"').count() % 2 == 1 {
        return Err(Error::invalid_param("the CSV ends inside a quoted field"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    for record in reader.records() {
        let record = record.map_err(|e| Error::invalid_param(format!("unreadable CSV: {e}")))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_prices_parse_exactly() {
        let rows = parse_csv("id,title\r\n\"a,1\",\"He said \"\"hi\"\"\"\nb,x").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["id", "title"],
                vec!["a,1", "He said \"hi\""],
                vec!["b", "x"]
            ]
        );
        assert_eq!(to_minor("12.5", "EUR"), Ok(1250));
        assert_eq!(to_minor("12", "JPY"), Ok(12));
        assert!(to_minor("1.234", "EUR").is_err());
        assert!(to_minor("-1", "EUR").is_err());
        assert_eq!(to_minor("0.100", "KWD"), Ok(100));
        assert!(parse_csv("id,title\n\"open,1\n").is_err());
        assert_eq!(parse_csv("").unwrap(), Vec::<Vec<String>>::new());
    }
}
