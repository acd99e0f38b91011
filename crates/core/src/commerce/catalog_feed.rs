//! The rest of Meta's product feed: the fields a product may carry beyond what the shop uses
//! (`brand`, `condition`, `gtin`, `gender`, custom labels, …). Each is checked as Meta's
//! catalog API checks it (lengths, enumerations, URLs, whole numbers) and kept in the
//! product's JSON attributes beside its variant attributes, so no column is needed; an empty
//! text clears a field. Products read back with them at the top level, as Meta returns them.

use super::ProductRow;
use crate::error::{Error, Result};
use serde_json::{json, Map, Value};
use wasla_types::commerce::ProductInput;

/// Attribute keys that are variant attributes (rendered under `variant`); every other key of
/// a product's attributes is a feed field.
pub const VARIANT_KEYS: &[&str] = &["color", "size"];

/// `condition` values.
pub const CONDITIONS: &[&str] = &[
    "new",
    "refurbished",
    "used",
    "used_like_new",
    "used_good",
    "used_fair",
    "cpo",
    "open_box_new",
];
/// `gender` values.
pub const GENDERS: &[&str] = &["female", "male", "unisex"];
/// `age_group` values.
pub const AGE_GROUPS: &[&str] = &[
    "adult", "all ages", "infant", "kids", "newborn", "teen", "toddler",
];
/// `visibility` values.
pub const VISIBILITIES: &[&str] = &["published", "staging", "hidden", "whitelist_only"];
/// `wa_compliance_category` values.
pub const COMPLIANCE: &[&str] = &["DEFAULT", "COUNTRY_ORIGIN_EXEMPT"];

/// How one feed field is checked.
enum Rule {
    /// Text of at most this many characters.
    Text(usize),
    /// One of these words (compared ignoring case, stored as listed).
    OneOf(&'static [&'static str]),
    /// An http(s) URL.
    Url,
    /// A two-letter country code.
    Country,
}

/// Split a product's attributes into variant attributes and feed fields.
pub fn split_attributes(attrs: &Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    attrs
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .partition(|(k, _)| VARIANT_KEYS.contains(&k.as_str()))
}

/// Check the feed fields given and write them into the product's attributes.
pub(super) fn apply_feed(row: &mut ProductRow, i: &ProductInput) -> Result<()> {
    let texts: [(&str, &Option<String>, Rule); 28] = [
        ("brand", &i.brand, Rule::Text(100)),
        ("condition", &i.condition, Rule::OneOf(CONDITIONS)),
        ("category", &i.category, Rule::Text(750)),
        (
            "google_product_category",
            &i.google_product_category,
            Rule::Text(250),
        ),
        (
            "fb_product_category",
            &i.fb_product_category,
            Rule::Text(250),
        ),
        ("product_type", &i.product_type, Rule::Text(750)),
        ("gtin", &i.gtin, Rule::Text(70)),
        (
            "manufacturer_part_number",
            &i.manufacturer_part_number,
            Rule::Text(70),
        ),
        ("gender", &i.gender, Rule::OneOf(GENDERS)),
        ("age_group", &i.age_group, Rule::OneOf(AGE_GROUPS)),
        ("material", &i.material, Rule::Text(200)),
        ("pattern", &i.pattern, Rule::Text(100)),
        ("short_description", &i.short_description, Rule::Text(1000)),
        (
            "rich_text_description",
            &i.rich_text_description,
            Rule::Text(9999),
        ),
        ("visibility", &i.visibility, Rule::OneOf(VISIBILITIES)),
        (
            "sale_price_start_date",
            &i.sale_price_start_date,
            Rule::Text(64),
        ),
        (
            "sale_price_end_date",
            &i.sale_price_end_date,
            Rule::Text(64),
        ),
        ("expiration_date", &i.expiration_date, Rule::Text(64)),
        ("origin_country", &i.origin_country, Rule::Country),
        ("importer_name", &i.importer_name, Rule::Text(200)),
        ("manufacturer_info", &i.manufacturer_info, Rule::Text(1000)),
        (
            "wa_compliance_category",
            &i.wa_compliance_category,
            Rule::OneOf(COMPLIANCE),
        ),
        ("mobile_link", &i.mobile_link, Rule::Url),
        ("custom_label_0", &i.custom_label_0, Rule::Text(100)),
        ("custom_label_1", &i.custom_label_1, Rule::Text(100)),
        ("custom_label_2", &i.custom_label_2, Rule::Text(100)),
        ("custom_label_3", &i.custom_label_3, Rule::Text(100)),
        ("custom_label_4", &i.custom_label_4, Rule::Text(100)),
    ];
    // Check everything first, so a bad field changes nothing.
    let mut set: Vec<(&str, Option<Value>)> = vec![];
    for (name, value, rule) in texts {
        if let Some(v) = value {
            set.push((name, text_value(name, v, rule)?));
        }
    }
    let numbers = [
        ("custom_number_0", i.custom_number_0),
        ("custom_number_1", i.custom_number_1),
        ("custom_number_2", i.custom_number_2),
        ("custom_number_3", i.custom_number_3),
        ("custom_number_4", i.custom_number_4),
        ("return_policy_days", i.return_policy_days),
        (
            "quantity_to_sell_on_facebook",
            i.quantity_to_sell_on_facebook,
        ),
    ];
    for (name, n) in numbers {
        if let Some(n) = n {
            if !(0..=i64::from(u32::MAX)).contains(&n) {
                return Err(Error::invalid_param(format!(
                    "{name} must be a whole number from 0 to {}",
                    u32::MAX
                )));
            }
            set.push((name, Some(json!(n))));
        }
    }
    if let Some(attrs) = &i.additional_variant_attributes {
        set.push(("additional_variant_attributes", variant_attributes(attrs)?));
    }
    for (name, value) in set {
        match value {
            Some(v) => row.variant.insert(name.into(), v),
            None => row.variant.remove(name),
        };
    }
    Ok(())
}

/// The stored value of a text field; `None` clears it.
fn text_value(name: &str, v: &str, rule: Rule) -> Result<Option<Value>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let stored = match rule {
        Rule::Text(max) => {
            if v.chars().count() > max {
                return Err(Error::invalid_param(format!(
                    "{name} must be at most {max} characters"
                )));
            }
            v.to_string()
        }
        Rule::OneOf(words) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(v))
            .map(|w| w.to_string())
            .ok_or_else(|| {
                Error::invalid_param(format!("{name} must be one of: {}", words.join(", ")))
            })?,
        Rule::Url => {
            let ok = (v.starts_with("https://") || v.starts_with("http://"))
                && v.len() <= 2000
                && !v.chars().any(char::is_whitespace);
            if !ok {
                return Err(Error::invalid_param(format!(
                    "{name} must be an http(s) URL of at most 2000 characters"
                )));
            }
            v.to_string()
        }
        Rule::Country => {
            if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::invalid_param(format!(
                    "{name} must be a two-letter ISO 3166-1 country code"
                )));
            }
            v.to_ascii_uppercase()
        }
    };
    Ok(Some(json!(stored)))
}

/// `additional_variant_attributes`: at most 20 names of at most 100 characters, each with a
/// text value of at most 200; an empty object clears them.
fn variant_attributes(attrs: &Map<String, Value>) -> Result<Option<Value>> {
    if attrs.len() > 20 {
        return Err(Error::invalid_param(
            "additional_variant_attributes holds at most 20 attributes",
        ));
    }
    let mut out = Map::new();
    for (k, v) in attrs {
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let name = k.trim();
        if name.is_empty()
            || name.chars().count() > 100
            || text.is_empty()
            || text.chars().count() > 200
        {
            return Err(Error::invalid_param(
                "additional_variant_attributes maps names (1 to 100 characters) to text (1 to 200 characters)",
            ));
        }
        out.insert(name.to_string(), json!(text));
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_fields_are_checked_stored_and_cleared() {
        let mut row = ProductRow::default();
        let input = ProductInput {
            brand: Some(" Acme ".into()),
            condition: Some("Refurbished".into()),
            custom_number_0: Some(7),
            origin_country: Some("de".into()),
            ..Default::default()
        };
        apply_feed(&mut row, &input).unwrap();
        assert_eq!(row.variant["brand"], "Acme");
        assert_eq!(row.variant["condition"], "refurbished");
        assert_eq!(row.variant["custom_number_0"], 7);
        assert_eq!(row.variant["origin_country"], "DE");
        let bad = ProductInput {
            brand: Some("Other".into()),
            condition: Some("broken".into()),
            ..Default::default()
        };
        assert!(apply_feed(&mut row, &bad).is_err());
        assert_eq!(
            row.variant["brand"], "Acme",
            "a refused input changes nothing"
        );
        let clear = ProductInput {
            brand: Some(String::new()),
            ..Default::default()
        };
        apply_feed(&mut row, &clear).unwrap();
        assert!(!row.variant.contains_key("brand"));
        let (variant, feed) = split_attributes(&row.variant);
        assert!(variant.is_empty());
        assert_eq!(feed["condition"], "refurbished");
    }
}
