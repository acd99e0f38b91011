//! The syntax of the Graph API's field expansion: `fields=name,other.modifier(arg).next([a,b])`
//! split into fields and their modifiers, and the argument forms modifiers take (Unix times,
//! lists, lists of known values, country codes). Every mistake is Graph error 100 naming it.

use crate::error::{Error, Result};

/// One requested field and its modifiers, in order: `pricing_analytics.start(1)` is
/// `("pricing_analytics", [("start", "1")])`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldExpansion {
    /// The field's name.
    pub name: String,
    /// `(modifier, raw argument)` pairs.
    pub modifiers: Vec<(String, String)>,
}

pub(super) fn bad(details: impl Into<String>) -> Error {
    Error::invalid_param(details)
}

/// Split `fields` into its fields at top-level commas, each with its modifiers.
pub fn parse_fields(text: &str) -> Result<Vec<FieldExpansion>> {
    let mut out = Vec::new();
    for part in split_top(text, ',')? {
        let part = part.trim();
        if part.is_empty() {
            return Err(bad("fields has an empty field name"));
        }
        let pieces = split_top(part, '.')?;
        let name = pieces[0].trim().to_string();
        if !is_name(&name) {
            return Err(bad(format!("'{name}' is not a field name")));
        }
        let mut modifiers = Vec::new();
        for m in &pieces[1..] {
            let m = m.trim();
            let open = m.find('(').ok_or_else(|| {
                bad(format!(
                    "modifier '{m}' of {name} needs an argument in parentheses"
                ))
            })?;
            if !m.ends_with(')') {
                return Err(bad(format!("modifier '{m}' of {name} is not closed")));
            }
            let key = m[..open].trim().to_string();
            if !is_name(&key) {
                return Err(bad(format!("'{key}' is not a modifier name ({name})")));
            }
            modifiers.push((key, m[open + 1..m.len() - 1].trim().to_string()));
        }
        out.push(FieldExpansion { name, modifiers });
    }
    Ok(out)
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Split at `sep` outside parentheses, brackets and quotes; unbalanced text is an error.
fn split_top(text: &str, sep: char) -> Result<Vec<&str>> {
    let mut parts = Vec::new();
    let mut depth: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut from = 0;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if depth.pop() != Some(want) {
                    return Err(bad(format!("unbalanced '{c}' in fields")));
                }
            }
            _ if c == sep && depth.is_empty() => {
                parts.push(&text[from..i]);
                from = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if quote.is_some() || !depth.is_empty() {
        return Err(bad("unbalanced brackets or quotes in fields"));
    }
    parts.push(&text[from..]);
    Ok(parts)
}

/// A list argument: `[a, "b", 'c']`; items unquoted and trimmed.
pub(super) fn list(field: &str, key: &str, raw: &str) -> Result<Vec<String>> {
    let inner = raw
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .ok_or_else(|| bad(format!("{field}.{key} takes a list such as [\"A\",\"B\"]")))?;
    if inner.trim().is_empty() {
        return Ok(vec![]);
    }
    inner
        .split(',')
        .map(|item| {
            let t = item.trim();
            let t = t
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .or_else(|| t.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
                .unwrap_or(t)
                .trim();
            if t.is_empty() {
                Err(bad(format!("{field}.{key} has an empty item")))
            } else {
                Ok(t.to_string())
            }
        })
        .collect()
}

/// A list whose items must be among `allowed` (compared ignoring case); upper case.
pub(super) fn enum_list(
    field: &str,
    key: &str,
    raw: &str,
    allowed: &[&str],
) -> Result<Vec<String>> {
    let items = list(field, key, raw)?;
    for item in &items {
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(item)) {
            return Err(bad(format!(
                "{field}.{key}: '{item}' is not one of {}",
                allowed.join(", ")
            )));
        }
    }
    Ok(items.iter().map(|i| i.to_ascii_uppercase()).collect())
}

pub(super) fn unix(field: &str, key: &str, raw: &str) -> Result<i64> {
    raw.trim_matches(|c| c == '"' || c == '\'')
        .parse::<i64>()
        .ok()
        .filter(|t| *t >= 0)
        .ok_or_else(|| {
            bad(format!(
                "{field}.{key} must be a Unix timestamp in seconds, got '{raw}'"
            ))
        })
}

/// Two-letter country codes, upper case.
pub(super) fn countries(field: &str, key: &str, raw: &str) -> Result<Vec<String>> {
    let items = list(field, key, raw)?;
    for c in &items {
        if c.len() != 2 || !c.chars().all(|x| x.is_ascii_alphabetic()) {
            return Err(bad(format!(
                "{field}.{key}: '{c}' is not a two-letter country code"
            )));
        }
    }
    Ok(items.iter().map(|c| c.to_ascii_uppercase()).collect())
}
