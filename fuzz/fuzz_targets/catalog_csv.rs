//! Catalog CSV imports (`POST /{catalog-id}/products_csv`): `parse_csv` must not panic, its
//! rows must survive being written out as CSV again, and prices in any cell must parse with
//! `to_minor` without panicking and agree with `money::format`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasla_core::commerce::{money, parse_csv, to_minor};

fn write_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fuzz_target!(|data: &[u8]| {
    // The endpoint reads the body as UTF-8 text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rows) = parse_csv(text) else {
        return;
    };
    let written = write_csv(&rows);
    let again = parse_csv(&written)
        .unwrap_or_else(|e| panic!("rows written as CSV do not parse: {e:?}\n{written}"));
    assert_eq!(again, rows, "CSV rows do not round-trip");

    // Prices: every cell against the next one as its currency (as in `price,currency`), and a
    // "12.50 EUR" cell split the way imports split it.
    for row in rows.iter().take(64) {
        for pair in row.windows(2).take(64) {
            let mut parts = pair[0].split_whitespace();
            let amount = parts.next().unwrap_or_default();
            let currency = parts.next().unwrap_or(pair[1].trim()).to_ascii_uppercase();
            if let Ok(minor) = to_minor(amount, &currency) {
                assert!(minor >= 0, "{amount:?} {currency} gave {minor}");
                let shown = money::format(minor, &currency);
                let back = shown.split_whitespace().next().unwrap_or_default();
                assert_eq!(
                    to_minor(back, &currency),
                    Ok(minor),
                    "{amount:?} {currency} → {minor} → {shown:?} does not parse back"
                );
            }
        }
    }
});
