//! An invoice written out: as CSV (one row per line, credit and total, through the `csv`
//! crate) and as a printable HTML page, server-rendered, with no script and its stylesheet
//! linked from `web/pages/invoice.css` (nothing inline, for the Content Security Policy; light
//! and dark follow the reader's colour scheme, and printing drops the colours).

use super::amounts::format_micros;
use crate::error::{Error, Result};
use chrono::TimeZone;
use chrono_tz::Tz;
use wasla_types::billing::Invoice;

/// The invoice as CSV: a header, then `charge` rows, the `total`, and `credit` rows.
pub fn invoice_csv(inv: &Invoice) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cols: [&str; 11]| w.write_record(cols).map_err(Error::internal);
    row([
        "section",
        "kind",
        "category",
        "market",
        "count",
        "amount_micros",
        "amount",
        "currency",
        "at",
        "note",
        "actor",
    ])?;
    let tz: Tz = inv.timezone.parse().unwrap_or(chrono_tz::UTC);
    for l in &inv.lines {
        row([
            "charge",
            &l.kind,
            &l.category,
            &l.market,
            &l.count.to_string(),
            &l.amount_micros.to_string(),
            &l.amount,
            &inv.currency,
            "",
            "",
            "",
        ])?;
    }
    let count: i64 = inv.lines.iter().map(|l| l.count).sum();
    row([
        "total",
        "",
        "",
        "",
        &count.to_string(),
        &inv.charges_micros.to_string(),
        &inv.total,
        &inv.currency,
        "",
        "",
        "",
    ])?;
    for c in &inv.credits {
        row([
            "credit",
            &c.kind,
            "",
            "",
            "",
            &c.amount_micros.to_string(),
            &c.amount,
            &inv.currency,
            &local_time(tz, c.at),
            c.note.as_deref().unwrap_or(""),
            c.actor.as_deref().unwrap_or(""),
        ])?;
    }
    let bytes = w.into_inner().map_err(Error::internal)?;
    String::from_utf8(bytes).map_err(Error::internal)
}

/// The invoice as a printable HTML page.
pub fn invoice_html(inv: &Invoice) -> String {
    let tz: Tz = inv.timezone.parse().unwrap_or(chrono_tz::UTC);
    let cur = &inv.currency;
    let mut lines = String::new();
    for l in &inv.lines {
        lines.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\" title=\"{} micros\">{}</td></tr>",
            esc(&label(&l.kind, &l.category)),
            esc(if l.market.is_empty() {
                "—"
            } else {
                &l.market
            }),
            esc(&format_micros(
                if l.count > 0 {
                    l.amount_micros / l.count
                } else {
                    0
                },
                cur
            )),
            l.count,
            l.amount_micros,
            esc(&l.amount),
        ));
    }
    if inv.lines.is_empty() {
        lines.push_str("<tr><td colspan=\"5\" class=\"none\">No charges this month.</td></tr>");
    }
    let mut credits = String::new();
    for c in &inv.credits {
        credits.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&local_time(tz, c.at)),
            if c.kind == "top_up" {
                "Top-up"
            } else {
                "Adjustment"
            },
            esc(c.note.as_deref().unwrap_or("")),
            esc(c.actor.as_deref().unwrap_or("")),
            esc(&c.amount),
        ));
    }
    if inv.credits.is_empty() {
        credits
            .push_str("<tr><td colspan=\"5\" class=\"none\">No top-ups or adjustments.</td></tr>");
    }
    let count: i64 = inv.lines.iter().map(|l| l.count).sum();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta name=\"color-scheme\" content=\"light dark\">\
<title>Invoice {month} · {name}</title>\
<link rel=\"stylesheet\" href=\"/pages/invoice.css\"></head><body>\
<main class=\"invoice\" data-testid=\"invoice\">\
<header><div><h1>Invoice</h1><p class=\"muted\">{name} · WABA {waba}</p></div>\
<dl><dt>Month</dt><dd>{month}</dd><dt>Period</dt><dd>{start} – {end} ({tzname})</dd>\
<dt>Currency</dt><dd>{cur}</dd></dl></header>\
<section><h2>Charges</h2><table><thead><tr><th>Category</th><th>Market</th>\
<th>Average price</th><th class=\"num\">Count</th><th class=\"num\">Amount</th></tr></thead>\
<tbody>{lines}</tbody><tfoot><tr><th colspan=\"3\">Total</th><td class=\"num\">{count}</td>\
<td class=\"num total\" data-testid=\"invoice-total\">{total} {cur}</td></tr></tfoot></table>\
<p class=\"note\">Each line is the exact sum of its charges ({exact} {cur} in all, kept in \
millionths of the currency unit), rounded half to even to the currency's minor unit; the \
total is the sum of the rounded lines.</p></section>\
<section><h2>Top-ups and adjustments</h2><table><thead><tr><th>When</th><th>Kind</th>\
<th>Note</th><th>By</th><th class=\"num\">Amount</th></tr></thead><tbody>{credits}</tbody>\
</table></section>\
<section class=\"balances\"><dl><dt>Balance at the start</dt><dd>{opening} {cur}</dd>\
<dt>Balance at the end</dt><dd>{closing} {cur}</dd></dl></section>\
</main></body></html>",
        month = esc(&inv.month),
        name = esc(&inv.business_name),
        waba = esc(&inv.waba_id),
        start = esc(&local_time(tz, inv.period_start)),
        end = esc(&local_time(tz, inv.period_end)),
        tzname = esc(&inv.timezone),
        cur = esc(cur),
        total = esc(&inv.total),
        exact = esc(&format_micros(inv.charges_micros, cur)),
        opening = esc(&format_micros(inv.opening_balance_micros, cur)),
        closing = esc(&format_micros(inv.closing_balance_micros, cur)),
    )
}

/// A line's readable label: the category, or the kind when it has none.
fn label(kind: &str, category: &str) -> String {
    let name = if category.is_empty() { kind } else { category };
    let mut s = name.replace('_', " ");
    if let Some(first) = s.get(0..1) {
        s.replace_range(0..1, &first.to_uppercase());
    }
    if kind != "message" && !category.is_empty() {
        s.push_str(&format!(" ({})", kind.replace('_', " ")));
    }
    s
}

/// Unix ms as `YYYY-MM-DD HH:MM` in `tz`.
fn local_time(tz: Tz, ms: i64) -> String {
    tz.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// Text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
