//! Rows of the accounts domain: people and business numbers as accounts, verification codes,
//! sessions, an event's place in an account's stream, uploaded media, and privacy settings
//! with the relations they are judged by.

use serde::{Deserialize, Serialize};
pub use wasla_types::privacy::Audience;

/// Whether an account is a person or a business phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// A person using the web client.
    Person,
    /// A business phone number (its id is the Cloud API phone-number id).
    Business,
}

impl AccountKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Person => "person",
            AccountKind::Business => "business",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Self {
        if s == "business" {
            AccountKind::Business
        } else {
            AccountKind::Person
        }
    }
}

/// A person or business phone number.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    /// Row id (for a business number: the phone-number id).
    pub id: i64,
    /// Person or business.
    pub kind: AccountKind,
    /// Digits of the number.
    pub wa_id: String,
    /// E.164 with `+`.
    pub phone: String,
    /// Display name.
    pub display_name: String,
    /// About line.
    pub about: String,
    /// Profile photo media id.
    pub photo: Option<i64>,
    /// Verified name of a business number.
    pub verified_name: Option<String>,
    /// Owning WABA of a business number.
    pub waba_id: Option<i64>,
    /// Last time seen online, Unix ms.
    pub last_seen: Option<i64>,
    /// Creation time, Unix ms.
    pub created_at: i64,
}

/// A pending verification code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeRow {
    /// E.164 number.
    pub phone: String,
    /// argon2 hash of the code.
    pub code_hash: String,
    /// Expiry, Unix ms.
    pub expires_at: i64,
    /// Wrong guesses so far.
    pub attempts: i64,
    /// When it was sent, Unix ms.
    pub sent_at: i64,
}

/// A signed-in device.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    /// Row id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// Device label.
    pub device: String,
    /// Creation time.
    pub created_at: i64,
}

/// An event's place in an account's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSeq {
    /// The account.
    pub account_id: i64,
    /// Its seq there.
    pub seq: i64,
}

/// Uploaded media.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRow {
    /// Row id.
    pub id: i64,
    /// Uploader.
    pub owner_id: i64,
    /// Sniffed MIME type.
    pub mime_type: String,
    /// Size in bytes.
    pub file_size: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Original name.
    pub filename: Option<String>,
    /// Upload time.
    pub created_at: i64,
}

/// A person's privacy settings, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrivacyRow {
    /// Who sees last seen and online.
    pub last_seen: Audience,
    /// Who sees the profile photo.
    pub photo: Audience,
    /// Who sees the about line.
    pub about: Audience,
}

/// How a viewer relates to the person whose profile they look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    /// They share no chat: the viewer only knows the number.
    Stranger,
    /// They are both members of some chat (a group).
    SharesChat,
    /// They have a direct chat: the viewer is one of the person's contacts.
    Contact,
}

impl Relation {
    /// Whether this relation is enough for something shown to `audience`.
    pub fn reaches(self, audience: Audience) -> bool {
        match audience {
            Audience::Everyone => self >= Relation::SharesChat,
            Audience::Contacts => self == Relation::Contact,
            Audience::Nobody => false,
        }
    }
}

/// One of a person's contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    /// The contact's account id.
    pub id: i64,
    /// Their number.
    pub wa_id: String,
    /// Their profile name.
    pub name: String,
    /// On the owner's editable list.
    pub in_list: bool,
    /// They have a direct chat with the owner.
    pub has_chat: bool,
}

/// An account on the other side of a direct chat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeerRow {
    /// Its id.
    pub id: i64,
    /// Person or business number.
    pub kind: AccountKind,
    /// A business number's WABA.
    pub waba_id: Option<i64>,
}
