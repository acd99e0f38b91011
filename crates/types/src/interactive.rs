//! Interactive and template content in the Cloud API's shapes. A business sends
//! `interactive` messages (reply buttons, lists, call-to-action URLs, location requests) and
//! `template` messages; a person answers with `interactive` replies (`button_reply`,
//! `list_reply`) or, for a template's quick-reply button, a `button` message.

use crate::media::Media;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An interactive message (sent by a business) or an interactive reply (sent by a person).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Interactive {
    /// `button`, `list`, `cta_url`, `location_request_message`, … or, for replies,
    /// `button_reply` / `list_reply`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Optional header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Header>,
    /// Body text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<TextPart>,
    /// Footer text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<TextPart>,
    /// What the person can do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// A tapped reply button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_reply: Option<Choice>,
    /// A chosen list row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_reply: Option<Choice>,
}

/// A header: text or media.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Header {
    /// `text`, `image`, `video` or `document`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Text (≤ 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Media>,
    /// Video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<Media>,
    /// Document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Media>,
}

impl Header {
    /// The media of a media header.
    pub fn media_mut(&mut self) -> Option<&mut Media> {
        self.image
            .as_mut()
            .or(self.video.as_mut())
            .or(self.document.as_mut())
    }
}

/// `{"text": …}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TextPart {
    /// The text.
    pub text: String,
}

/// The `action` of an interactive message.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Action {
    /// Reply buttons (1–3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<ReplyButton>>,
    /// The list's button label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<String>,
    /// List sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<Section>>,
    /// Named actions: `cta_url`, `send_location`, `catalog_message`, `flow`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Parameters of a named action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Other fields (catalog ids, …), passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reply button.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReplyButton {
    /// Always `reply`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id and title.
    pub reply: Choice,
}

/// An id with a title (and, for list rows, a description).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Choice {
    /// What the business gets back.
    pub id: String,
    /// What the person sees.
    pub title: String,
    /// A list row's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A list section.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Section {
    /// Title (required when there are several sections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Rows.
    #[serde(default)]
    pub rows: Vec<Choice>,
    /// Other fields (product items), passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A template message: what the business sent, and (filled in by the server) the template
/// rendered with its parameters, as the person sees it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TemplateMessage {
    /// Template name.
    pub name: String,
    /// `{"code": "en_US", "policy": "deterministic"}`.
    pub language: TemplateLanguage,
    /// Parameters per component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Value>,
    /// The rendered message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<RenderedTemplate>,
}

/// A template's language.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TemplateLanguage {
    /// Locale code.
    pub code: String,
    /// Always `deterministic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// A template with its parameters substituted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RenderedTemplate {
    /// Header (text, or media with its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Header>,
    /// Body text.
    pub body: String,
    /// Footer text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<RenderedButton>,
}

/// A template button as rendered.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RenderedButton {
    /// `quick_reply`, `url`, `phone_number`, `copy_code`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Label.
    pub text: String,
    /// Where a URL button goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The number a call button dials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The payload a quick-reply tap sends back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// A person's tap on a template quick-reply button.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ButtonTap {
    /// The button's payload.
    pub payload: String,
    /// The button's label.
    pub text: String,
}
