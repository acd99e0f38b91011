//! Markets: which line of a rate card prices a recipient. A recipient's region comes from
//! their number (`phonenumber`'s region code for the wa_id); the region maps to one of the
//! single-country markets Meta prices, or to a regional bucket, by the table below (Meta's
//! published market list). A region the table does not name is priced as `Other`.

/// The regional bucket for regions the table does not name.
pub const OTHER: &str = "Other";

/// Single-country markets: (region code, market name).
const COUNTRIES: &[(&str, &str)] = &[
    ("AR", "Argentina"),
    ("BR", "Brazil"),
    ("CL", "Chile"),
    ("CO", "Colombia"),
    ("EG", "Egypt"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("IN", "India"),
    ("ID", "Indonesia"),
    ("IL", "Israel"),
    ("IT", "Italy"),
    ("MY", "Malaysia"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NG", "Nigeria"),
    ("PK", "Pakistan"),
    ("PE", "Peru"),
    ("RU", "Russia"),
    ("SA", "Saudi Arabia"),
    ("ZA", "South Africa"),
    ("ES", "Spain"),
    ("TR", "Turkey"),
    ("AE", "United Arab Emirates"),
    ("GB", "United Kingdom"),
];

/// Regional buckets: (market name, region codes).
const BUCKETS: &[(&str, &[&str])] = &[
    ("North America", &["US", "CA"]),
    (
        "Rest of Africa",
        &[
            "DZ", "AO", "BJ", "BW", "BF", "BI", "CM", "TD", "CG", "ER", "ET", "GA", "GM", "GH",
            "GW", "CI", "KE", "LS", "LR", "LY", "MG", "MW", "ML", "MR", "MA", "MZ", "NA", "NE",
            "RW", "SN", "SL", "SO", "SS", "SD", "SZ", "TZ", "TG", "TN", "UG", "ZM", "ZW",
        ],
    ),
    (
        "Rest of Asia Pacific",
        &[
            "AF", "AU", "BD", "KH", "CN", "HK", "JP", "LA", "MN", "NP", "NZ", "PG", "PH", "SG",
            "LK", "TW", "TJ", "TH", "TM", "UZ", "VN",
        ],
    ),
    (
        "Rest of Central & Eastern Europe",
        &[
            "AL", "AM", "AZ", "BY", "BG", "HR", "CZ", "GE", "GR", "HU", "LV", "LT", "MK", "MD",
            "PL", "RO", "RS", "SK", "SI", "UA",
        ],
    ),
    (
        "Rest of Latin America",
        &[
            "BO", "CR", "DO", "EC", "SV", "GT", "HT", "HN", "JM", "NI", "PA", "PY", "PR", "UY",
            "VE",
        ],
    ),
    (
        "Rest of Middle East",
        &["BH", "IQ", "JO", "KW", "LB", "OM", "QA", "YE"],
    ),
    (
        "Rest of Western Europe",
        &["AT", "BE", "DK", "FI", "IE", "NO", "PT", "SE", "CH"],
    ),
];

/// The market of a region code (`DE` → `Germany`, `AT` → `Rest of Western Europe`).
pub fn market_of(region: &str) -> &'static str {
    if let Some((_, m)) = COUNTRIES.iter().find(|(r, _)| *r == region) {
        return m;
    }
    BUCKETS
        .iter()
        .find(|(_, regions)| regions.contains(&region))
        .map_or(OTHER, |(m, _)| m)
}

/// The region code of a wa_id (`ZZ` when unknown).
pub fn region_of(wa_id: &str) -> String {
    let user = crate::phone::user_id(wa_id);
    user.split('.').next().unwrap_or("ZZ").to_string()
}

/// Every market a card can name, countries first, `Other` last.
pub fn all_markets() -> Vec<&'static str> {
    let mut v: Vec<&str> = COUNTRIES.iter().map(|(_, m)| *m).collect();
    v.extend(BUCKETS.iter().map(|(m, _)| *m));
    v.push(OTHER);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_markets() {
        assert_eq!(market_of("DE"), "Germany");
        assert_eq!(market_of("AT"), "Rest of Western Europe");
        assert_eq!(market_of("US"), "North America");
        assert_eq!(market_of("DZ"), "Rest of Africa");
        assert_eq!(market_of("ZZ"), OTHER);
        assert_eq!(region_of("4915112345678"), "DE");
        assert_eq!(market_of(&region_of("16505551234")), "North America");
    }
}
