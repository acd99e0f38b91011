//! Sending a template: find the approved template by name and language, substitute the send's
//! parameters (positional or named; text, currency, date_time; media headers; URL and
//! quick-reply buttons) and keep the rendered result in the message so the person sees it
//! exactly as composed. Mismatches are the Cloud API's 132xxx errors.

use super::templates::placeholders;
use super::Integration;
use super::TemplateRow;
use crate::accounts::AccountRow;
use crate::error::{Error, Result};
use serde_json::Value;
use wasla_types::content::Media;
use wasla_types::interactive::{Header, RenderedButton, RenderedTemplate, TemplateMessage};

fn mismatch(details: impl Into<String>) -> Error {
    Error::graph(
        132000,
        400,
        "Number of parameters does not match the expected number of params",
        details,
    )
}

fn format_error(details: impl Into<String>) -> Error {
    Error::graph(
        132012,
        400,
        "Parameter format does not match format in the created template",
        details,
    )
}

/// The text a parameter stands for.
fn param_text(p: &Value) -> Result<String> {
    let text = match p["type"].as_str().unwrap_or("text") {
        "text" => p["text"].as_str(),
        "currency" => p["currency"]["fallback_value"].as_str(),
        "date_time" => p["date_time"]["fallback_value"].as_str(),
        "payload" => p["payload"].as_str(),
        "coupon_code" => p["coupon_code"].as_str(),
        other => {
            return Err(format_error(format!(
                "a {other} parameter cannot fill text"
            )))
        }
    };
    match text {
        Some(t) if !t.trim().is_empty() && t.chars().count() <= 32_768 => Ok(t.to_string()),
        _ => Err(format_error(
            "parameter values must be 1 to 32768 characters",
        )),
    }
}

/// Fill `{{…}}` in `text` from `params` (positional in order, or by `parameter_name`).
fn fill(text: &str, params: &[Value], named: bool, what: &str) -> Result<String> {
    let ph = placeholders(text);
    let mut distinct: Vec<&String> = Vec::new();
    for p in &ph {
        if !distinct.contains(&p) {
            distinct.push(p);
        }
    }
    if distinct.len() != params.len() {
        return Err(mismatch(format!(
            "{what} expects {} parameters, got {}",
            distinct.len(),
            params.len()
        )));
    }
    let mut out = text.to_string();
    for (i, key) in distinct.iter().enumerate() {
        let value = if named {
            let p = params
                .iter()
                .find(|p| p["parameter_name"].as_str() == Some(key.as_str()))
                .ok_or_else(|| mismatch(format!("{what} has no parameter named {key}")))?;
            param_text(p)?
        } else {
            let n: usize = key.parse().unwrap_or(i + 1);
            param_text(
                params
                    .get(n - 1)
                    .ok_or_else(|| mismatch(format!("{what} has no parameter {n}")))?,
            )?
        };
        out = out.replace(&format!("{{{{{key}}}}}"), &value);
    }
    Ok(out)
}

/// The parameters of the send's component of a type (and button index).
fn send_params(sent: &[Value], kind: &str, index: Option<usize>) -> Vec<Value> {
    sent.iter()
        .find(|c| {
            c["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
                && index.is_none_or(|i| {
                    c["index"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .or(c["index"].as_u64().map(|n| n as usize))
                        == Some(i)
                })
        })
        .and_then(|c| c["parameters"].as_array().cloned())
        .unwrap_or_default()
}

impl Integration {
    /// The approved template a send names, or the Cloud API's error.
    pub(crate) async fn template_for_send(
        &self,
        number: &AccountRow,
        msg: &TemplateMessage,
    ) -> Result<TemplateRow> {
        let waba = number.waba_id.unwrap_or_default();
        let missing = || {
            Error::graph(
                132001,
                404,
                "Template name does not exist in the translation",
                format!(
                    "template name ({}) does not exist in {}",
                    msg.name, msg.language.code
                ),
            )
        };
        let row = self
            .store
            .template_by_name(waba, &msg.name, &msg.language.code)
            .await?
            .ok_or_else(missing)?;
        match row.status.as_str() {
            "APPROVED" => Ok(row),
            "PAUSED" => Err(Error::graph(
                132015,
                400,
                "Template is paused",
                "The template is paused because of low quality.",
            )),
            "DISABLED" => Err(Error::graph(
                132016,
                400,
                "Template is disabled",
                "The template has been permanently disabled.",
            )),
            _ => Err(missing()),
        }
    }

    /// Substitute a send's parameters into the template; media headers are checked like any
    /// media the number sends.
    pub(crate) async fn render_template(
        &self,
        number: &AccountRow,
        row: &TemplateRow,
        msg: &mut TemplateMessage,
    ) -> Result<()> {
        let named = row.parameter_format == "NAMED";
        let components: Vec<Value> =
            serde_json::from_str(&row.components).map_err(Error::internal)?;
        let mut rendered = RenderedTemplate::default();
        for c in &components {
            match c["type"].as_str().unwrap_or_default() {
                "HEADER" => {
                    let params = send_params(&msg.components, "header", None);
                    rendered.header = Some(match c["format"].as_str().unwrap_or("TEXT") {
                        "TEXT" => Header {
                            kind: "text".into(),
                            text: Some(fill(
                                c["text"].as_str().unwrap_or_default(),
                                &params,
                                named,
                                "header",
                            )?),
                            ..Default::default()
                        },
                        "LOCATION" => Header {
                            kind: "location".into(),
                            ..Default::default()
                        },
                        format => {
                            let kind = format.to_ascii_lowercase();
                            let p = params.first().ok_or_else(|| {
                                format_error(format!("the {kind} header needs a media parameter"))
                            })?;
                            let mut media: Media = serde_json::from_value(p[kind.as_str()].clone()).map_err(|_| format_error(format!("the header parameter must be {{\"type\":\"{kind}\",\"{kind}\":{{\"id\":…}}}}")))?;
                            if media.id.is_none() {
                                return Err(format_error(
                                    "header media must be sent by id (upload it first)",
                                ));
                            }
                            self.chats
                                .fill_media(number.id, &mut media, &kind)
                                .await
                                .map_err(|e| format_error(e.to_string()))?;
                            let mut h = Header {
                                kind: kind.clone(),
                                ..Default::default()
                            };
                            match kind.as_str() {
                                "image" => h.image = Some(media),
                                "video" => h.video = Some(media),
                                _ => h.document = Some(media),
                            }
                            h
                        }
                    });
                }
                "BODY" => {
                    let body = fill(
                        c["text"].as_str().unwrap_or_default(),
                        &send_params(&msg.components, "body", None),
                        named,
                        "body",
                    )?;
                    if body.chars().count() > 1024 {
                        return Err(Error::graph(
                            132005,
                            400,
                            "Translated text too long",
                            "The body is longer than 1024 characters with its parameters.",
                        ));
                    }
                    rendered.body = body;
                }
                "FOOTER" => rendered.footer = c["text"].as_str().map(str::to_string),
                "BUTTONS" => {
                    for (i, b) in c["buttons"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                    {
                        let params = send_params(&msg.components, "button", Some(i));
                        let text = b["text"].as_str().unwrap_or("Copy code").to_string();
                        rendered
                            .buttons
                            .push(match b["type"].as_str().unwrap_or_default() {
                                "QUICK_REPLY" => RenderedButton {
                                    kind: "quick_reply".into(),
                                    payload: Some(
                                        params
                                            .first()
                                            .map(param_text)
                                            .transpose()?
                                            .unwrap_or_else(|| text.clone()),
                                    ),
                                    text,
                                    ..Default::default()
                                },
                                "URL" => RenderedButton {
                                    kind: "url".into(),
                                    url: Some(fill(
                                        b["url"].as_str().unwrap_or_default(),
                                        &params,
                                        false,
                                        "URL button",
                                    )?),
                                    text,
                                    ..Default::default()
                                },
                                "PHONE_NUMBER" => RenderedButton {
                                    kind: "phone_number".into(),
                                    phone_number: b["phone_number"].as_str().map(str::to_string),
                                    text,
                                    ..Default::default()
                                },
                                _ => RenderedButton {
                                    kind: "copy_code".into(),
                                    payload: Some(
                                        params
                                            .first()
                                            .map(param_text)
                                            .transpose()?
                                            .unwrap_or_default(),
                                    ),
                                    text,
                                    ..Default::default()
                                },
                            });
                    }
                }
                _ => {}
            }
        }
        msg.rendered = Some(rendered);
        Ok(())
    }
}
