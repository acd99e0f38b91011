//! A person's privacy settings in the client API (`GET`/`PUT /client/v1/me/privacy`): who may
//! see their last seen and online status, their profile photo and their about line. See
//! `docs/client-api.md`.

use serde::{Deserialize, Serialize};

/// Who may see one part of a person's profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Everyone who shares a chat with the person (a group or a direct chat).
    #[default]
    Everyone,
    /// Only the person's contacts: those who have a direct chat with them.
    Contacts,
    /// Nobody.
    Nobody,
}

impl Audience {
    /// The wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Contacts => "contacts",
            Audience::Nobody => "nobody",
        }
    }

    /// Parse the stored form; anything unknown is the strictest, `nobody`.
    pub fn parse(s: &str) -> Audience {
        match s {
            "everyone" => Audience::Everyone,
            "contacts" => Audience::Contacts,
            _ => Audience::Nobody,
        }
    }
}

/// A person's privacy settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Privacy {
    /// Who sees when the person was last seen, and whether they are online.
    pub last_seen: Audience,
    /// Who sees the profile photo.
    pub photo: Audience,
    /// Who sees the about line.
    pub about: Audience,
}

/// A change of privacy settings: the fields given are set, the others kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyUpdate {
    /// Who sees last seen and online.
    #[serde(default)]
    pub last_seen: Option<Audience>,
    /// Who sees the photo.
    #[serde(default)]
    pub photo: Option<Audience>,
    /// Who sees the about line.
    #[serde(default)]
    pub about: Option<Audience>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        let p: Privacy =
            serde_json::from_str(r#"{"last_seen":"nobody","photo":"contacts","about":"everyone"}"#)
                .unwrap();
        assert_eq!(p.last_seen, Audience::Nobody);
        assert_eq!(p.photo, Audience::Contacts);
        assert_eq!(
            serde_json::to_value(Audience::Everyone).unwrap(),
            "everyone"
        );
        assert!(serde_json::from_str::<PrivacyUpdate>(r#"{"last_seen":"friends"}"#).is_err());
        assert!(serde_json::from_str::<PrivacyUpdate>(r#"{"lastseen":"nobody"}"#).is_err());
        for a in [Audience::Everyone, Audience::Contacts, Audience::Nobody] {
            assert_eq!(Audience::parse(a.as_str()), a);
        }
    }
}
