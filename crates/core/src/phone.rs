//! Phone numbers: parsed and normalised to E.164 with the `phonenumber` crate. A `wa_id` is the
//! E.164 number's digits.

use crate::error::{Error, Result};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A valid phone number in both forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+15551234567`.
    pub e164: String,
    /// `15551234567`.
    pub wa_id: String,
}

/// Parse a number written in any common international format (`+1 (555) 123-4567`,
/// `0044 20 …`, or bare digits with the country code). Every Cloud API send names its
/// recipient this way, so valid numbers are remembered.
pub fn normalize(input: &str) -> Result<Phone> {
    static VALID: Memo<Phone> = Memo::new();
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.len() > 40 {
        return Err(Error::bad("phone number is empty or too long"));
    }
    if let Some(phone) = VALID.get(trimmed) {
        return Ok(phone);
    }
    let phone = parse_valid(trimmed)?;
    VALID.insert(trimmed, phone.clone());
    Ok(phone)
}

fn parse_valid(trimmed: &str) -> Result<Phone> {
    let candidate = if let Some(rest) = trimmed.strip_prefix("00") {
        format!("+{rest}")
    } else if trimmed.starts_with('+') {
        trimmed.to_string()
    } else {
        format!("+{trimmed}")
    };
    let parsed = phonenumber::parse(None, &candidate)
        .map_err(|_| Error::bad(format!("'{trimmed}' is not a phone number")))?;
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    if !phonenumber::is_valid(&parsed) && !is_nanp_test_number(&e164) {
        return Err(Error::bad(format!(
            "'{trimmed}' is not a valid phone number"
        )));
    }
    let wa_id = e164.trim_start_matches('+').to_string();
    Ok(Phone { e164, wa_id })
}

/// The business-scoped user id of a wa_id (`US.15551234567`): region code, dot, digits.
pub fn user_id(wa_id: &str) -> String {
    format!("{}.{wa_id}", region_of(wa_id))
}

/// The region code of a wa_id (`ZZ` when unknown). Every webhook names its person's user id,
/// so the answer is remembered.
fn region_of(wa_id: &str) -> String {
    static REGIONS: Memo<String> = Memo::new();
    if let Some(region) = REGIONS.get(wa_id) {
        return region;
    }
    let region = phonenumber::parse(None, format!("+{wa_id}"))
        .ok()
        .and_then(|p| p.country().id())
        .map(|id| id.as_ref().to_string())
        .unwrap_or_else(|| "ZZ".into());
    REGIONS.insert(wa_id, region.clone());
    region
}

/// Most answers a [`Memo`] keeps; it starts over when it is full.
const MAX_REMEMBERED: usize = 100_000;

/// Answers that take libphonenumber's regexes to work out, by the text they were worked out
/// from.
struct Memo<V>(LazyLock<Mutex<HashMap<String, V>>>);

impl<V: Clone> Memo<V> {
    const fn new() -> Self {
        Memo(LazyLock::new(Default::default))
    }

    fn get(&self, key: &str) -> Option<V> {
        self.0.lock().get(key).cloned()
    }

    fn insert(&self, key: &str, value: V) {
        let mut map = self.0.lock();
        if map.len() >= MAX_REMEMBERED {
            map.clear();
        }
        map.insert(key.to_string(), value);
    }
}

/// North American 555 numbers (`+1 555 XXX XXXX` and `+1 NXX 555 XXXX`) are fictional, so libphonenumber calls them
/// invalid; Meta's own test business numbers use them, so Wasla accepts them.
fn is_nanp_test_number(e164: &str) -> bool {
    let digits = e164.strip_prefix("+1").unwrap_or_default();
    digits.len() == 10
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (&digits[..3] == "555" || &digits[3..6] == "555")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_formats() {
        let p = normalize("+1 (201) 555-0123").unwrap();
        assert_eq!(p.e164, "+12015550123");
        assert_eq!(p.wa_id, "12015550123");
        assert_eq!(
            normalize("0044 20 7946 0958").unwrap().wa_id,
            "442079460958"
        );
        assert_eq!(normalize("12015550123").unwrap().e164, "+12015550123");
        assert_eq!(normalize("+1 555 078 3881").unwrap().wa_id, "15550783881");
        assert!(normalize("+1 555 078 38812").is_err());
        assert!(normalize("12").is_err());
        assert!(normalize("hello").is_err());
        // Remembered: the same answers again, and failures are not remembered as valid.
        assert_eq!(normalize(" 12015550123 ").unwrap().e164, "+12015550123");
        assert!(normalize("+1 555 078 38812").is_err());
    }

    #[test]
    fn user_ids_name_the_region() {
        assert_eq!(user_id("12015550123"), "US.12015550123");
        assert_eq!(user_id("442079460958"), "GB.442079460958");
        // Remembered: the same answer again.
        assert_eq!(user_id("442079460958"), "GB.442079460958");
        assert_eq!(user_id("999"), "ZZ.999");
    }
}
