//! Message content, shaped exactly like the Cloud API's send payloads: `{"type":"text","text":{…}}`.
//! The client API, the Cloud API and webhooks all use these types, so content is never
//! translated between surfaces.

/// Media references live in [`crate::media`], which interactive headers share; they are named
/// here too, with the content that carries them.
pub use crate::media::Media;
use serde::{Deserialize, Serialize};

/// The content of one message, tagged by `type` with the payload under the key of the same name
/// (given as itself or, as Graph allows, as a JSON-encoded string: [`crate::encoded`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Content {
    /// Plain text.
    Text {
        /// The text payload.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        text: Text,
    },
    /// A picture.
    Image {
        /// The media reference.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        image: Media,
    },
    /// A video clip.
    Video {
        /// The media reference.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        video: Media,
    },
    /// A voice note or audio file.
    Audio {
        /// The media reference.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        audio: Media,
    },
    /// Any file.
    Document {
        /// The media reference.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        document: Media,
    },
    /// A sticker image.
    Sticker {
        /// The media reference.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        sticker: Media,
    },
    /// A map pin.
    Location {
        /// The coordinates and labels.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        location: Location,
    },
    /// One to five contact cards.
    Contacts {
        /// The cards.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        contacts: Vec<ContactCard>,
    },
    /// A reaction to an earlier message; an empty emoji removes it.
    Reaction {
        /// The target and emoji.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        reaction: Reaction,
    },
    /// Buttons, lists, links and location requests from a business, or a person's reply.
    Interactive {
        /// The interactive part (boxed: it is several times larger than other content, and
        /// every message, event and send future is as large as the largest variant).
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        interactive: Box<crate::interactive::Interactive>,
    },
    /// A pre-approved template message from a business.
    Template {
        /// Name, language, parameters and the rendered result (boxed, as `Interactive` is).
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        template: Box<crate::interactive::TemplateMessage>,
    },
    /// A person's tap on a template's quick-reply button.
    Button {
        /// Payload and label.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        button: crate::interactive::ButtonTap,
    },
    /// A cart a person sends to a business.
    Order {
        /// The catalog and the cart's lines.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        order: crate::commerce::Order,
    },
    /// A line written by the server into a chat (group created, member added, …).
    System {
        /// What happened, as readable text.
        #[serde(deserialize_with = "crate::encoded::deserialize")]
        system: SystemNote,
    },
}

impl Content {
    /// The `type` word of this content.
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text { .. } => "text",
            Content::Image { .. } => "image",
            Content::Video { .. } => "video",
            Content::Audio { .. } => "audio",
            Content::Document { .. } => "document",
            Content::Sticker { .. } => "sticker",
            Content::Location { .. } => "location",
            Content::Contacts { .. } => "contacts",
            Content::Reaction { .. } => "reaction",
            Content::Interactive { .. } => "interactive",
            Content::Template { .. } => "template",
            Content::Button { .. } => "button",
            Content::Order { .. } => "order",
            Content::System { .. } => "system",
        }
    }

    /// The media reference carried by a media message.
    pub fn media(&self) -> Option<&Media> {
        match self {
            Content::Image { image: m }
            | Content::Video { video: m }
            | Content::Audio { audio: m }
            | Content::Document { document: m }
            | Content::Sticker { sticker: m } => Some(m),
            _ => None,
        }
    }

    /// Mutable access to the media reference of a media message.
    pub fn media_mut(&mut self) -> Option<&mut Media> {
        match self {
            Content::Image { image: m }
            | Content::Video { video: m }
            | Content::Audio { audio: m }
            | Content::Document { document: m }
            | Content::Sticker { sticker: m } => Some(m),
            _ => None,
        }
    }

    /// A short one-line preview for chat lists and quoted replies.
    pub fn preview(&self) -> String {
        let clip = |s: &str| s.chars().take(120).collect::<String>();
        match self {
            Content::Text { text } => clip(&text.body),
            Content::Location { location } => {
                format!(
                    "📍 {}",
                    location.name.clone().unwrap_or_else(|| "Location".into())
                )
            }
            Content::Contacts { contacts } => format!(
                "👤 {}",
                contacts
                    .first()
                    .map(|c| c.name.formatted_name.clone())
                    .unwrap_or_default()
            ),
            Content::Reaction { reaction } => reaction.emoji.clone(),
            Content::Interactive { interactive: i } => clip(
                i.button_reply
                    .as_ref()
                    .or(i.list_reply.as_ref())
                    .map(|c| c.title.as_str())
                    .or(i.body.as_ref().map(|b| b.text.as_str()))
                    .unwrap_or("Interactive message"),
            ),
            Content::Template { template } => clip(
                template
                    .rendered
                    .as_ref()
                    .map(|r| r.body.as_str())
                    .unwrap_or(template.name.as_str()),
            ),
            Content::Button { button } => clip(&button.text),
            Content::Order { order } => {
                let n: i64 = order.product_items.iter().map(|i| i.quantity).sum();
                format!("🛒 Order: {n} item{}", if n == 1 { "" } else { "s" })
            }
            Content::System { system } => clip(&system.body),
            media => {
                let m = media.media().expect("media variant");
                let label = match media.kind() {
                    "image" => "📷 Photo",
                    "video" => "🎥 Video",
                    "audio" => "🎵 Audio",
                    "sticker" => "Sticker",
                    _ => "📄 Document",
                };
                match m.caption.as_deref().or(m.filename.as_deref()) {
                    Some(c) if !c.is_empty() => format!("{label}: {}", clip(c)),
                    _ => label.to_string(),
                }
            }
        }
    }
}

/// A text body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    /// The text, at most 4096 characters.
    pub body: String,
    /// Whether the sender asked for a link preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<bool>,
}

/// A map pin; the Cloud API accepts coordinates as numbers or strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude in degrees.
    #[serde(deserialize_with = "number_or_string")]
    pub latitude: f64,
    /// Longitude in degrees.
    #[serde(deserialize_with = "number_or_string")]
    pub longitude: f64,
    /// Name of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

fn number_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        Num(f64),
        Str(String),
    }
    let n = match NumOrStr::deserialize(d)? {
        NumOrStr::Num(n) => n,
        NumOrStr::Str(s) => s.trim().parse().map_err(serde::de::Error::custom)?,
    };
    // "NaN", "inf" and "1e999" parse as floats but are no place on earth (and would not
    // survive being written back as JSON).
    if n.is_finite() {
        Ok(n)
    } else {
        Err(serde::de::Error::custom(
            "a coordinate must be a finite number",
        ))
    }
}

/// A contact card (subset of the Cloud API's contact object; unknown fields are kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactCard {
    /// The contact's name.
    pub name: ContactName,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPhone>,
    /// Other Cloud API fields (emails, addresses, org, urls, birthday), passed through.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A contact card's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactName {
    /// The full name as shown.
    pub formatted_name: String,
    /// Other name parts, passed through.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A phone number on a contact card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactPhone {
    /// The number as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The WhatsApp id of that number, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    /// Free-text label (CELL, WORK, …).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A reaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reaction {
    /// The wamid reacted to.
    pub message_id: String,
    /// The emoji; empty removes the reaction.
    #[serde(default)]
    pub emoji: String,
}

/// A server-written note in a chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemNote {
    /// Readable text.
    pub body: String,
    /// The call this note records (voice and video calls between people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<crate::calls::CallNote>,
}

/// A reply's reference to the quoted message.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MessageContext {
    /// The quoted wamid (empty when the context only names a product).
    #[serde(default)]
    pub message_id: String,
    /// Who wrote the quoted message (filled in by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The quoted message's type (filled in by the server).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A short preview of the quoted message (filled in by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// The catalog product a person asks about ("ask about this product").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_product: Option<crate::commerce::ReferredProduct>,
    /// The Status update a reply answers (filled in by the server; a client cannot set it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Box<crate::status::StatusQuote>>,
    /// The click-to-chat ad a person's first message of a chat came from (filled in by the
    /// server from the send's `referral` token; a client cannot set it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Box<crate::ads::Referral>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_finite_numbers() {
        let loc = |lat: &str| {
            serde_json::from_str::<Content>(&format!(
                r#"{{"type":"location","location":{{"latitude":{lat},"longitude":"1.5"}}}}"#
            ))
        };
        assert!(loc("\"51.5\"").is_ok());
        for bad in ["\"NaN\"", "\"inf\"", "\"1e999\""] {
            assert!(loc(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_stays_small() {
        // Every message row, event and send future holds one; large variants are boxed.
        let size = std::mem::size_of::<Content>();
        assert!(size <= 192, "Content is {size} bytes");
    }

    #[test]
    fn content_round_trips_in_cloud_api_shape() {
        let json = r#"{"type":"text","text":{"body":"hi"}}"#;
        let c: Content = serde_json::from_str(json).unwrap();
        assert_eq!(c.preview(), "hi");
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        let loc: Content = serde_json::from_str(
            r#"{"type":"location","location":{"latitude":"1.5","longitude":2}}"#,
        )
        .unwrap();
        assert!(matches!(loc, Content::Location { location } if location.latitude == 1.5));
    }
}
