//! Message templates as the Cloud API manages them: create (validated like Meta's review
//! would), list with paging and `summary`, get, edit, delete; a review workflow (the operator
//! approves or rejects, or turns on automatic approval per WABA), and the
//! `message_template_status_update` webhook for every status change.

use super::Integration;
use super::{TemplateFilter, TemplateRow};
use crate::chats::WebhookEvent;
use crate::chats::WebhookWork;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Templates a WABA may hold.
pub const TEMPLATE_LIMIT: i64 = 250;
const CATEGORIES: &[&str] = &["MARKETING", "UTILITY", "AUTHENTICATION"];
/// Statuses the operator can set.
pub const REVIEW_STATUSES: &[&str] = &["APPROVED", "REJECTED", "PAUSED", "DISABLED"];
const REJECTION_REASONS: &[&str] = &[
    "ABUSIVE_CONTENT",
    "INCORRECT_CATEGORY",
    "INVALID_FORMAT",
    "PROMOTIONAL",
    "TAG_CONTENT_MISMATCH",
    "SCAM",
    "NONE",
];

/// The `{{…}}` placeholders of a text, in order of appearance.
pub(crate) fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                out.push(after[..end].trim().to_string());
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    out
}

/// Check placeholders: `{{1}}…{{n}}` with no gaps (positional) or lowercase names (named).
fn check_placeholders(text: &str, named: bool, what: &str) -> Result<usize> {
    let ph = placeholders(text);
    if named {
        if let Some(bad) = ph.iter().find(|p| {
            p.is_empty()
                || !p
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) {
            return Err(Error::invalid_param(format!(
                "{what}: named parameter {{{{{bad}}}}} must be lowercase letters, digits and _"
            )));
        }
        Ok(ph.iter().collect::<BTreeSet<_>>().len())
    } else {
        let nums: BTreeSet<usize> = ph
            .iter()
            .map(|p| {
                p.parse::<usize>().map_err(|_| {
                    Error::invalid_param(format!(
                        "{what}: {{{{{p}}}}} is not a positional parameter"
                    ))
                })
            })
            .collect::<Result<_>>()?;
        if nums.iter().copied().ne(1..=nums.len()) {
            return Err(Error::invalid_param(format!(
                "{what}: parameters must be numbered {{{{1}}}} to {{{{{}}}}} without gaps",
                nums.len()
            )));
        }
        Ok(nums.len())
    }
}

fn text_field<'a>(c: &'a Value, max: usize, what: &str) -> Result<&'a str> {
    let t = c["text"].as_str().unwrap_or_default();
    if t.trim().is_empty() || t.chars().count() > max {
        return Err(Error::invalid_param(format!(
            "{what} text must be 1 to {max} characters"
        )));
    }
    Ok(t)
}

/// Validate and normalise a template's components (types upper-cased).
fn check_components(components: &Value, named: bool) -> Result<Value> {
    let list = components
        .as_array()
        .ok_or_else(|| Error::invalid_param("components must be an array"))?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for c in list {
        if !c.is_object() {
            return Err(Error::invalid_param(
                "each component is an object with a type",
            ));
        }
        let kind = c["type"].as_str().unwrap_or_default().to_ascii_uppercase();
        if !seen.insert(kind.clone()) {
            return Err(Error::invalid_param(format!(
                "only one {kind} component is allowed"
            )));
        }
        let mut c = c.clone();
        c["type"] = json!(kind);
        match kind.as_str() {
            "HEADER" => {
                let format = c["format"].as_str().unwrap_or("TEXT").to_ascii_uppercase();
                match format.as_str() {
                    "TEXT" => {
                        let t = text_field(&c, 60, "HEADER")?;
                        if check_placeholders(t, named, "HEADER")? > 1 {
                            return Err(Error::invalid_param(
                                "HEADER text may have at most one parameter",
                            ));
                        }
                    }
                    "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION" => {}
                    other => {
                        return Err(Error::invalid_param(format!(
                            "HEADER format {other} is not supported"
                        )))
                    }
                }
                c["format"] = json!(format);
            }
            "BODY" => {
                let t = text_field(&c, 1024, "BODY")?;
                check_placeholders(t, named, "BODY")?;
            }
            "FOOTER" => {
                let t = text_field(&c, 60, "FOOTER")?;
                if !placeholders(t).is_empty() {
                    return Err(Error::invalid_param("FOOTER text cannot have parameters"));
                }
            }
            "BUTTONS" => c["buttons"] = check_buttons(&c["buttons"])?,
            other => {
                return Err(Error::invalid_param(format!(
                    "unknown component type {other}"
                )))
            }
        }
        out.push(c);
    }
    if !seen.contains("BODY") {
        return Err(Error::invalid_param("a template needs a BODY component"));
    }
    Ok(Value::Array(out))
}

fn check_buttons(buttons: &Value) -> Result<Value> {
    let list = buttons
        .as_array()
        .filter(|b| !b.is_empty() && b.len() <= 10)
        .ok_or_else(|| Error::invalid_param("BUTTONS holds 1 to 10 buttons"))?;
    let mut out = Vec::new();
    for b in list {
        if !b.is_object() {
            return Err(Error::invalid_param("each button is an object with a type"));
        }
        let mut b = b.clone();
        let kind = b["type"].as_str().unwrap_or_default().to_ascii_uppercase();
        b["type"] = json!(kind);
        if !matches!(kind.as_str(), "COPY_CODE" | "OTP") {
            text_field(&b, 25, "button")?;
        }
        match kind.as_str() {
            "QUICK_REPLY" | "COPY_CODE" | "OTP" => {}
            "URL" => {
                let url = b["url"].as_str().unwrap_or_default();
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(Error::invalid_param("URL buttons need an http(s) url"));
                }
                let ph = placeholders(url);
                if ph.len() > 1 || (ph.len() == 1 && !url.trim_end().ends_with("}}")) {
                    return Err(Error::invalid_param(
                        "a URL button may end with one {{1}} parameter",
                    ));
                }
            }
            "PHONE_NUMBER" => {
                crate::phone::normalize(b["phone_number"].as_str().unwrap_or_default()).map_err(
                    |_| Error::invalid_param("PHONE_NUMBER buttons need a valid phone_number"),
                )?;
            }
            other => {
                return Err(Error::invalid_param(format!(
                    "button type {other} is not supported"
                )))
            }
        }
        out.push(b);
    }
    Ok(Value::Array(out))
}

impl Integration {
    /// `POST /{waba-id}/message_templates`.
    pub async fn create_template(&self, waba_id: i64, req: &Value) -> Result<Value> {
        let name = req["name"].as_str().unwrap_or_default();
        if name.is_empty()
            || name.len() > 512
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Error::invalid_param(
                "name must be 1 to 512 characters of a-z, 0-9 and _",
            ));
        }
        let language = req["language"].as_str().unwrap_or_default();
        if language.len() < 2
            || language.len() > 15
            || !language
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            return Err(Error::invalid_param(
                "language must be a locale code such as en_US",
            ));
        }
        let category = req["category"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_uppercase();
        if !CATEGORIES.contains(&category.as_str()) {
            return Err(Error::invalid_param(
                "category must be MARKETING, UTILITY or AUTHENTICATION",
            ));
        }
        let format = req["parameter_format"]
            .as_str()
            .unwrap_or("POSITIONAL")
            .to_ascii_uppercase();
        if format != "POSITIONAL" && format != "NAMED" {
            return Err(Error::invalid_param(
                "parameter_format must be POSITIONAL or NAMED",
            ));
        }
        let components = check_components(&req["components"], format == "NAMED")?;
        if self.store.count_templates(waba_id).await? >= TEMPLATE_LIMIT {
            return Err(Error::invalid_param(format!(
                "a business account holds at most {TEMPLATE_LIMIT} templates"
            )));
        }
        if self
            .store
            .template_by_name(waba_id, name, language)
            .await?
            .is_some()
        {
            return Err(Error::graph(
                100,
                400,
                "Invalid parameter",
                format!("Content in this language already exists: {name} ({language})"),
            ));
        }
        let now = self.ground.now();
        let mut row = TemplateRow {
            id: self.ground.ids.next(),
            waba_id,
            name: name.into(),
            language: language.into(),
            category: category.clone(),
            parameter_format: format,
            components: components.to_string(),
            status: "PENDING".into(),
            rejected_reason: None,
            created_at: now,
            updated_at: now,
        };
        self.store
            .create_template(&row)
            .await
            .map_err(|e| match e {
                Error::Conflict(_) => Error::invalid_param(format!(
                    "Content in this language already exists: {name} ({language})"
                )),
                other => other,
            })?;
        if self.auto_approves(waba_id).await? {
            self.set_template_status(&mut row, "APPROVED", None).await?;
        }
        Ok(json!({"id": row.id.to_string(), "status": row.status, "category": category}))
    }

    async fn auto_approves(&self, waba_id: i64) -> Result<bool> {
        Ok(self
            .business
            .waba_row(waba_id)
            .await?
            .is_some_and(|w| w.auto_approve_templates))
    }

    /// Change a template's status and tell the WABA's apps.
    async fn set_template_status(
        &self,
        row: &mut TemplateRow,
        status: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        row.status = status.into();
        row.rejected_reason = reason.map(str::to_string);
        row.updated_at = self.ground.now();
        let event = WebhookEvent::TemplateStatus {
            template_id: row.id,
            name: row.name.clone(),
            language: row.language.clone(),
            status: status.into(),
            reason: reason.unwrap_or("NONE").into(),
        };
        let work = WebhookWork {
            business_id: 0,
            waba_id: Some(row.waba_id),
            event,
        };
        self.store.save_template(row, Some(&work)).await?;
        self.webhooks_queued();
        Ok(())
    }

    /// A template of the WABA by id (Graph 100 for anything else).
    pub async fn owned_template(&self, waba_id: i64, id: &str) -> Result<TemplateRow> {
        let missing = || Error::unknown_object(id);
        let row = self
            .store
            .template(parse_id(id).ok_or_else(missing)?)
            .await?
            .ok_or_else(missing)?;
        if row.waba_id != waba_id {
            return Err(missing());
        }
        Ok(row)
    }

    /// `GET /{waba-id}/message_templates`: a page, the cursor of its last item, and a summary.
    pub async fn list_templates(
        &self,
        waba_id: i64,
        filter: &TemplateFilter,
        after: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<Value>, Option<i64>, Value)> {
        let limit = limit.clamp(1, 100);
        let mut rows = self
            .store
            .templates(waba_id, filter, after, limit + 1)
            .await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = more.then(|| rows.last().map(|r| r.id)).flatten();
        let total = self.store.count_templates(waba_id).await?;
        let summary = json!({"total_count": total, "message_template_count": total, "message_template_limit": TEMPLATE_LIMIT, "are_translations_complete": true});
        Ok((rows.iter().map(template_json).collect(), next, summary))
    }

    /// `POST /{template-id}`: new components or category; the template goes back to review.
    pub async fn edit_template(&self, waba_id: i64, id: &str, req: &Value) -> Result<()> {
        let mut row = self.owned_template(waba_id, id).await?;
        if row.status == "DISABLED" {
            return Err(Error::invalid_param("a disabled template cannot be edited"));
        }
        if let Some(c) = req["category"].as_str() {
            let c = c.to_ascii_uppercase();
            if !CATEGORIES.contains(&c.as_str()) {
                return Err(Error::invalid_param(
                    "category must be MARKETING, UTILITY or AUTHENTICATION",
                ));
            }
            row.category = c;
        }
        if !req["components"].is_null() {
            row.components =
                check_components(&req["components"], row.parameter_format == "NAMED")?.to_string();
        }
        let status = if self.auto_approves(waba_id).await? {
            "APPROVED"
        } else {
            "PENDING"
        };
        self.set_template_status(&mut row, status, None).await
    }

    /// `DELETE /{waba-id}/message_templates?name=…[&hsm_id=…]`.
    pub async fn delete_template(
        &self,
        waba_id: i64,
        name: &str,
        hsm_id: Option<&str>,
    ) -> Result<()> {
        let id = match hsm_id {
            Some(h) => Some(
                parse_id(h).ok_or_else(|| Error::invalid_param("hsm_id is not a template id"))?,
            ),
            None => None,
        };
        if self.store.delete_templates(waba_id, name, id).await? == 0 {
            return Err(Error::invalid_param(format!("no template named {name}")));
        }
        Ok(())
    }

    /// The operator's review decision (`APPROVED`, `REJECTED` with a reason, `PAUSED`, `DISABLED`).
    pub async fn review_template(
        &self,
        id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> Result<Value> {
        let not_found = || Error::not_found(format!("no template {id}"));
        let mut row = self
            .store
            .template(parse_id(id).ok_or_else(not_found)?)
            .await?
            .ok_or_else(not_found)?;
        let status = status.to_ascii_uppercase();
        if !REVIEW_STATUSES.contains(&status.as_str()) {
            return Err(Error::bad(format!(
                "status must be one of {}",
                REVIEW_STATUSES.join(", ")
            )));
        }
        let reason = match (status.as_str(), reason) {
            ("REJECTED", Some(r)) if REJECTION_REASONS.contains(&r) => Some(r),
            ("REJECTED", Some(_)) => {
                return Err(Error::bad(format!(
                    "reason must be one of {}",
                    REJECTION_REASONS.join(", ")
                )))
            }
            ("REJECTED", None) => Some("NONE"),
            _ => None,
        };
        self.set_template_status(&mut row, &status, reason).await?;
        Ok(template_json(&row))
    }

    /// Turn automatic template approval on or off for a WABA.
    pub async fn set_auto_approve(&self, waba_id: &str, on: bool) -> Result<()> {
        let waba = self.business.waba(waba_id).await?;
        self.store.set_auto_approve(waba.id, on).await
    }
}

/// A template in the Cloud API's shape.
pub fn template_json(t: &TemplateRow) -> Value {
    let mut v = json!({
        "id": t.id.to_string(),
        "name": t.name,
        "language": t.language,
        "status": t.status,
        "category": t.category,
        "parameter_format": t.parameter_format,
        "components": serde_json::from_str::<Value>(&t.components).unwrap_or(Value::Array(vec![])),
    });
    if let Some(r) = &t.rejected_reason {
        v["rejected_reason"] = json!(r);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_checked() {
        assert_eq!(placeholders("Hi {{1}}, code {{2}}"), vec!["1", "2"]);
        assert_eq!(
            check_placeholders("Hi {{1}} {{2}} {{1}}", false, "BODY").unwrap(),
            2
        );
        assert!(check_placeholders("Hi {{2}}", false, "BODY").is_err());
        assert!(check_placeholders("Hi {{name}}", false, "BODY").is_err());
        assert_eq!(
            check_placeholders("Hi {{first_name}}", true, "BODY").unwrap(),
            1
        );
        assert!(check_placeholders("Hi {{First}}", true, "BODY").is_err());
    }
}
