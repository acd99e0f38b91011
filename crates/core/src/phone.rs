//! Phone numbers: parsed and normalised to E.164 with the `phonenumber` crate. A `wa_id` is the
//! E.164 number's digits.

use crate::error::{Error, Result};

/// A valid phone number in both forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+15551234567`.
    pub e164: String,
    /// `15551234567`.
    pub wa_id: String,
}

/// Parse a number written in any common international format (`+1 (555) 123-4567`,
/// `0044 20 …`, or bare digits with the country code).
pub fn normalize(input: &str) -> Result<Phone> {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.len() > 40 {
        return Err(Error::bad("phone number is empty or too long"));
    }
    let candidate = if let Some(rest) = trimmed.strip_prefix("00") {
        format!("+{rest}")
    } else if trimmed.starts_with('+') {
        trimmed.to_string()
    } else {
        format!("+{trimmed}")
    };
    let parsed = phonenumber::parse(None, &candidate)
        .map_err(|_| Error::bad(format!("'{trimmed}' is not a phone number")))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(Error::bad(format!("'{trimmed}' is not a valid phone number")));
    }
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    let wa_id = e164.trim_start_matches('+').to_string();
    Ok(Phone { e164, wa_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_formats() {
        let p = normalize("+1 (201) 555-0123").unwrap();
        assert_eq!(p.e164, "+12015550123");
        assert_eq!(p.wa_id, "12015550123");
        assert_eq!(normalize("0044 20 7946 0958").unwrap().wa_id, "442079460958");
        assert_eq!(normalize("12015550123").unwrap().e164, "+12015550123");
        assert!(normalize("12").is_err());
        assert!(normalize("hello").is_err());
    }
}
