//! Rules for interactive content: the limits of reply buttons, lists, call-to-action URLs and
//! location requests a business sends, and the replies a person may send back (a button or
//! list row of the interactive message they answer, or a template's quick-reply button).

use crate::accounts::AccountKind;
use crate::chats::MessageRow;
use crate::error::{Error, Result};
use std::collections::HashSet;
use wasla_types::content::Content;
use wasla_types::interactive::{Choice, Interactive};

fn too_long(what: &str, max: usize) -> Error {
    Error::bad(format!("{what} must be 1 to {max} characters"))
}

fn text_ok(s: &str, max: usize) -> bool {
    !s.trim().is_empty() && s.chars().count() <= max
}

/// Check an interactive message a business sends.
pub(crate) fn check_business_interactive(i: &Interactive) -> Result<()> {
    let body = i.body.as_ref().map(|b| b.text.as_str()).unwrap_or_default();
    let needs_body = || {
        if text_ok(body, 1024) {
            Ok(())
        } else {
            Err(too_long("body.text", 1024))
        }
    };
    if let Some(f) = &i.footer {
        if !text_ok(&f.text, 60) {
            return Err(too_long("footer.text", 60));
        }
    }
    if let Some(h) = &i.header {
        match h.kind.as_str() {
            "text" if h.text.as_deref().is_some_and(|t| text_ok(t, 60)) => {}
            "text" => return Err(too_long("header.text", 60)),
            "image" | "video" | "document" => {}
            other => return Err(Error::bad(format!("header type {other} is not supported"))),
        }
    }
    let action = i
        .action
        .as_ref()
        .ok_or_else(|| Error::bad("interactive.action is required"))?;
    match i.kind.as_str() {
        "button" => {
            needs_body()?;
            let buttons = action.buttons.as_deref().unwrap_or_default();
            if buttons.is_empty() || buttons.len() > 3 {
                return Err(Error::bad("send 1 to 3 reply buttons"));
            }
            let mut ids = HashSet::new();
            for b in buttons {
                if b.kind != "reply" {
                    return Err(Error::bad("button type must be reply"));
                }
                check_choice(&b.reply, 256, 20)?;
                if !ids.insert(b.reply.id.as_str()) {
                    return Err(Error::bad(format!(
                        "button id {} is used twice",
                        b.reply.id
                    )));
                }
            }
        }
        "list" => {
            needs_body()?;
            if !action.button.as_deref().is_some_and(|b| text_ok(b, 20)) {
                return Err(too_long("action.button", 20));
            }
            let sections = action.sections.as_deref().unwrap_or_default();
            if sections.is_empty() || sections.len() > 10 {
                return Err(Error::bad("send 1 to 10 sections"));
            }
            let rows: usize = sections.iter().map(|s| s.rows.len()).sum();
            if rows == 0 || rows > 10 {
                return Err(Error::bad("a list has 1 to 10 rows in all"));
            }
            let mut ids = HashSet::new();
            for s in sections {
                match &s.title {
                    Some(t) if !text_ok(t, 24) => return Err(too_long("section title", 24)),
                    None if sections.len() > 1 => {
                        return Err(Error::bad(
                            "each section needs a title when there are several",
                        ))
                    }
                    _ => {}
                }
                for r in &s.rows {
                    check_choice(r, 200, 24)?;
                    if r.description
                        .as_ref()
                        .is_some_and(|d| d.chars().count() > 72)
                    {
                        return Err(Error::bad("row description is longer than 72 characters"));
                    }
                    if !ids.insert(r.id.as_str()) {
                        return Err(Error::bad(format!("row id {} is used twice", r.id)));
                    }
                }
            }
        }
        "cta_url" => {
            needs_body()?;
            let p = action.parameters.as_ref();
            let display = p
                .and_then(|p| p["display_text"].as_str())
                .unwrap_or_default();
            let url = p.and_then(|p| p["url"].as_str()).unwrap_or_default();
            if action.name.as_deref() != Some("cta_url") || !text_ok(display, 20) {
                return Err(Error::bad("cta_url needs action.name \"cta_url\" and parameters.display_text of 1 to 20 characters"));
            }
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Error::bad("parameters.url must be an http(s) URL"));
            }
        }
        "location_request_message" => {
            needs_body()?;
            if action.name.as_deref() != Some("send_location") {
                return Err(Error::bad(
                    "location_request_message needs action.name \"send_location\"",
                ));
            }
        }
        // Commerce messages name catalogs, products and orders: checked by the shop and
        // payments rules, which can look them up.
        "product" | "product_list" | "catalog_message" | "order_details" | "order_status" => {}
        other => {
            return Err(Error::bad(format!(
                "interactive type {other} is not supported"
            )))
        }
    }
    Ok(())
}

fn check_choice(c: &Choice, max_id: usize, max_title: usize) -> Result<()> {
    if !text_ok(&c.id, max_id) {
        return Err(too_long("id", max_id));
    }
    if !text_ok(&c.title, max_title) {
        return Err(too_long("title", max_title));
    }
    Ok(())
}

/// Check what a sender may send of the business-only and reply-only kinds: persons answer an
/// interactive or template message quoted in `quoted`; businesses send interactive messages.
pub(crate) fn check_structured(
    sender: AccountKind,
    content: &Content,
    quoted: Option<&MessageRow>,
) -> Result<()> {
    match (sender, content) {
        (AccountKind::Business, Content::Interactive { interactive }) => {
            check_business_interactive(interactive)
        }
        (AccountKind::Business, Content::Button { .. }) => {
            Err(Error::bad("button messages are sent by people"))
        }
        (AccountKind::Person, Content::Interactive { interactive }) => {
            check_reply(interactive, quoted)
        }
        (AccountKind::Person, Content::Button { button }) => match quoted.map(|q| &q.content) {
            Some(Content::Template { template }) => {
                let offered = template.rendered.as_ref().is_some_and(|r| {
                    r.buttons.iter().any(|b| {
                        b.kind == "quick_reply" && b.payload.as_deref() == Some(&button.payload)
                    })
                });
                if offered {
                    Ok(())
                } else {
                    Err(Error::bad("that template has no such quick-reply button"))
                }
            }
            _ => Err(Error::bad(
                "a button reply must quote the template it answers",
            )),
        },
        (AccountKind::Person, Content::Template { .. }) => {
            Err(Error::bad("templates are sent by businesses"))
        }
        _ => Ok(()),
    }
}

/// A person's reply must pick a button or row the quoted message offered.
fn check_reply(reply: &Interactive, quoted: Option<&MessageRow>) -> Result<()> {
    let Some(Content::Interactive { interactive: asked }) = quoted.map(|q| &q.content) else {
        return Err(Error::bad(
            "an interactive reply must quote the message it answers",
        ));
    };
    let action = asked.action.clone().unwrap_or_default();
    let (choice, offered): (&Choice, Vec<Choice>) =
        match (reply.kind.as_str(), &reply.button_reply, &reply.list_reply) {
            ("button_reply", Some(c), _) if asked.kind == "button" => (
                c,
                action
                    .buttons
                    .unwrap_or_default()
                    .into_iter()
                    .map(|b| b.reply)
                    .collect(),
            ),
            ("list_reply", _, Some(c)) if asked.kind == "list" => (
                c,
                action
                    .sections
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|s| s.rows)
                    .collect(),
            ),
            _ => {
                return Err(Error::bad(
                    "reply with button_reply to buttons or list_reply to a list",
                ))
            }
        };
    if offered.iter().any(|o| o.id == choice.id) {
        Ok(())
    } else {
        Err(Error::bad(format!(
            "the quoted message offers no option {}",
            choice.id
        )))
    }
}
