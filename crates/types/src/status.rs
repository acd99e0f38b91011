//! Status updates as the client API, the console API and the WebSocket show them: the editable
//! contact list, audiences, posting, the feed, viewers, replies and reactions, and the live
//! frames' payloads. Times are Unix milliseconds.

use serde::{Deserialize, Serialize};

/// One of my contacts: a person I have a direct chat with, or one I added to my list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Their number's digits.
    pub wa_id: String,
    /// Their profile name.
    pub name: String,
    /// On my editable list.
    pub in_list: bool,
    /// We have a direct chat.
    pub has_chat: bool,
}

/// `GET /client/v1/contacts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contacts {
    /// My contacts, by name.
    pub contacts: Vec<Contact>,
}

/// Who an audience is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AudienceMode {
    /// All my contacts.
    #[default]
    Contacts,
    /// My contacts except the listed ones.
    ContactsExcept,
    /// Only the listed contacts.
    OnlyShareWith,
}

/// Who sees an update: `GET/PUT /client/v1/status/audience`, and the optional `audience` of a
/// post. Every `wa_ids` entry must be one of my contacts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// How the audience is built.
    pub mode: AudienceMode,
    /// The excepted (`contacts_except`) or chosen (`only_share_with`) contacts.
    #[serde(default)]
    pub wa_ids: Vec<String>,
}

/// Typeface of a text update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusFont {
    /// Sans-serif (the default).
    #[default]
    Sans,
    /// Serif.
    Serif,
    /// Monospace.
    Mono,
    /// Handwriting.
    Script,
    /// Heavy sans-serif.
    Bold,
}

/// A text update's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusText {
    /// The text (1 to 700 characters).
    pub body: String,
    /// Background colour, `#RRGGBB`.
    pub background: String,
    /// Typeface.
    #[serde(default)]
    pub font: StatusFont,
}

/// A media update as posted: a media id from `POST /client/v1/media` and an optional caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusMediaRef {
    /// The uploaded media's id.
    pub id: String,
    /// Caption (up to 700 characters).
    #[serde(default)]
    pub caption: Option<String>,
}

/// What is posted, tagged by `type` like message content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum StatusBody {
    /// Text on a coloured background.
    Text {
        /// The text.
        text: StatusText,
    },
    /// A picture.
    Image {
        /// The uploaded picture.
        image: StatusMediaRef,
    },
    /// A video clip.
    Video {
        /// The uploaded clip.
        video: StatusMediaRef,
    },
}

/// `POST /client/v1/status` (and the JSON form of `POST /console/v1/status`, which ignores
/// `audience`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostStatus {
    /// The content.
    #[serde(flatten)]
    pub body: StatusBody,
    /// This update's own audience; absent means my default audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
}

/// Who posted an update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusAuthor {
    /// The person's number, or the business phone number's digits.
    pub wa_id: String,
    /// Profile name, or the business's name.
    pub name: String,
    /// Posted by a business.
    #[serde(default)]
    pub business: bool,
}

/// A media update's payload as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusMedia {
    /// Caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// MIME type of the bytes.
    pub mime_type: String,
    /// `GET /client/v1/status/{id}/media` (audience only).
    pub url: String,
    /// `GET /client/v1/status/{id}/thumbnail` (audience only).
    pub thumbnail_url: String,
}

/// An update's content as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum StatusContent {
    /// Text on a coloured background.
    Text {
        /// The text.
        text: StatusText,
    },
    /// A picture.
    Image {
        /// The picture.
        image: StatusMedia,
    },
    /// A video clip.
    Video {
        /// The clip.
        video: StatusMedia,
    },
}

/// One Status update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// Update id.
    pub id: String,
    /// Who posted it.
    pub author: StatusAuthor,
    /// The content, tagged by `type`.
    #[serde(flatten)]
    pub content: StatusContent,
    /// When it was posted.
    pub posted_at: i64,
    /// When it disappears (24 hours later).
    pub expires_at: i64,
    /// Whether I viewed it (always true for my own).
    pub viewed: bool,
    /// My reaction to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction: Option<String>,
}

/// One author's live updates in my feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorUpdates {
    /// The author.
    pub author: StatusAuthor,
    /// Their updates, oldest to newest.
    pub updates: Vec<StatusUpdate>,
    /// How many of them I have not viewed.
    pub unseen: u32,
    /// When the newest was posted.
    pub latest_at: i64,
}

/// `GET /client/v1/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusFeed {
    /// My own live updates, oldest to newest.
    pub mine: Vec<StatusUpdate>,
    /// Authors I have not muted, newest first.
    pub contacts: Vec<AuthorUpdates>,
    /// Authors I muted, newest first.
    pub muted: Vec<AuthorUpdates>,
    /// Sponsored placements between `contacts` entries: `{"after": index, "ad": {…}}` (filled
    /// in by the ads part of the status domain; empty until then).
    #[serde(default)]
    pub ads: Vec<serde_json::Value>,
}

/// One viewer of my update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusViewer {
    /// Their number.
    pub wa_id: String,
    /// Their profile name.
    pub name: String,
    /// First view.
    pub viewed_at: i64,
    /// Their reaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction: Option<String>,
}

/// `GET /client/v1/status/{id}/viewers` and `GET /console/v1/status/{id}/viewers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusViewers {
    /// Viewers, most recent first.
    pub viewers: Vec<StatusViewer>,
}

/// `POST /client/v1/status/{id}/reply`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusReply {
    /// The reply's text.
    pub text: String,
}

/// `POST /client/v1/status/{id}/react`; an empty emoji removes my reaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusReaction {
    /// One emoji.
    pub emoji: String,
}

/// The quoted Status of a reply, carried in the message's `context.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusQuote {
    /// The update's id.
    pub id: String,
    /// `text`, `image` or `video`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Who posted it.
    pub author: String,
    /// The start of its text or caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// Its thumbnail (media updates; 404 once the update is gone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// A text update's background colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
}

/// `{"muted": …}`: answer to `PUT/DELETE /client/v1/status/mutes/{wa_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusMute {
    /// The author.
    pub wa_id: String,
    /// Muted now.
    pub muted: bool,
}

/// A business's own update in the console, with its viewer count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessStatus {
    /// The update.
    #[serde(flatten)]
    pub update: StatusUpdate,
    /// How many people viewed it.
    pub views: u64,
}

/// `GET /console/v1/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessStatuses {
    /// Live updates, oldest to newest.
    pub updates: Vec<BusinessStatus>,
}

/// Live frame payload: an update was deleted by its author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusDeleted {
    /// The update's id.
    pub id: String,
    /// Its author's wa_id.
    pub author: String,
}

/// Live frame payload, to the author's devices: someone viewed an update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusViewed {
    /// The update's id.
    pub id: String,
    /// The viewer.
    pub viewer: StatusViewer,
}
