//! An account as other people see it in the client API: a person or a business phone number,
//! known by its `wa_id`. Its own module so that the payloads of the WebSocket's frames can use
//! it without importing the frames (`client.rs` re-exports it).

use serde::{Deserialize, Serialize};

/// A person or a business phone number, as other people see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Digits of the E.164 number.
    pub wa_id: String,
    /// The E.164 number with `+`.
    pub phone: String,
    /// `person` or `business`.
    pub kind: String,
    /// The chosen display name.
    pub display_name: String,
    /// The about line.
    pub about: String,
    /// Media id of the profile photo.
    pub photo: Option<String>,
    /// A business number's verified name.
    pub verified_name: Option<String>,
    /// When last seen, in Unix ms; null while online or unknown.
    pub last_seen: Option<i64>,
}
