//! Objects and arrays that may arrive as JSON-encoded strings. Meta's Graph API lets a client
//! send any object or array parameter as a string holding its JSON (form fields and query
//! parameters can only be text, and the whatsapp-api-js SDK sends a contacts message's
//! `contacts` that way even in a JSON body). Fields that take such values name
//! [`deserialize`] (or [`option`]) in `#[serde(deserialize_with = …)]`; this matters where a
//! type is read through `#[serde(flatten)]` or an internally tagged enum, whose input serde
//! buffers before it knows the target types, so no outer decoder can do it for them.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, Deserializer, Error, MapAccess, SeqAccess, Unexpected, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// An object or array, given as itself or as a string holding its JSON.
pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(ObjectOrText(PhantomData))
}

/// [`deserialize`] for an optional field (`null` is `None`).
pub fn option<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_option(Optional(PhantomData))
}

struct ObjectOrText<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ObjectOrText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or an array (or one as a JSON-encoded string)")
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
        if !matches!(text.trim_start().chars().next(), Some('{' | '[')) {
            return Err(E::invalid_type(Unexpected::Str(text), &self));
        }
        serde_json::from_str(text).map_err(|e| E::custom(format!("in the JSON-encoded value: {e}")))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq))
    }
}

struct Optional<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for Optional<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null, an object or an array (or one as a JSON-encoded string)")
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use crate::cloud::SendRequest;
    use crate::Content;
    use serde_json::json;

    #[test]
    fn payloads_may_be_json_encoded_strings() {
        let contacts = json!([{"name": {"formatted_name": "Ann"}, "phones": [{"phone": "+1"}]}]);
        let req: SendRequest = serde_json::from_value(json!({
            "messaging_product": "whatsapp", "to": "1", "type": "contacts",
            "contacts": contacts.to_string(),
            "context": "{\"message_id\":\"wamid.x\"}"
        }))
        .unwrap();
        let Content::Contacts { contacts: cards } = &req.content else {
            panic!("{req:?}")
        };
        assert_eq!(cards[0].name.formatted_name, "Ann");
        assert_eq!(req.context.unwrap().message_id, "wamid.x");
        // The plain shapes still read as before, and text is not an object.
        let plain: Content =
            serde_json::from_value(json!({"type": "text", "text": {"body": "hi"}})).unwrap();
        assert_eq!(plain.preview(), "hi");
        let err = serde_json::from_value::<Content>(json!({"type": "text", "text": "hi"}));
        assert!(err.is_err());
    }
}
