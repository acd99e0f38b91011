//! Graph parameters decoded as Meta's Graph API decodes them. Parameters arrive as JSON, as
//! form fields or in the query string, so a value may be text where the handler expects
//! something else: the decoding here follows the type the handler asks for. Text is read as a
//! boolean (`true`, `false`, `1`, `0`) or a number when the target is one, and as a
//! JSON-encoded object or array when the target is a map, a struct or a sequence (the
//! whatsapp-api-js SDK sends `contacts` that way); a number or boolean given where text is
//! expected is read as its text. Everything else is as strict as JSON: an unknown field or a
//! wrong type fails, and the error names the parameter.
//!
//! A struct with a `#[serde(flatten)]` field buffers its input before it knows the target
//! types, so the decoding cannot reach below it; such types decode JSON-encoded strings
//! themselves (`wasla_types::encoded`).

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};

/// Decode gathered parameters into `T`; the error text names the parameter that failed.
pub fn decode<T: DeserializeOwned>(params: Map<String, Value>) -> Result<T, String> {
    serde_path_to_error::deserialize(Lenient(Value::Object(params))).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if path == "." || path.is_empty() {
            inner
        } else {
            format!("{path}: {inner}")
        }
    })
}

/// A JSON value read with Graph's coercions (see the module note).
struct Lenient(Value);

/// The object (or array, when `array`) a string holds as JSON, if it holds one.
fn encoded(text: &str, array: bool) -> Option<Value> {
    let first = text.trim_start().chars().next()?;
    if first != if array { '[' } else { '{' } {
        return None;
    }
    match serde_json::from_str::<Value>(text).ok()? {
        v @ Value::Array(_) if array => Some(v),
        v @ Value::Object(_) if !array => Some(v),
        _ => None,
    }
}

/// Methods that read the value exactly as JSON does.
macro_rules! as_json {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            self.0.$method(v)
        })*
    };
}

/// Methods for integers: text that is a whole number is one.
macro_rules! integer {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            if let Value::String(s) = &self.0 {
                if let Ok(n) = s.trim().parse::<i64>() {
                    return v.visit_i64(n);
                }
                if let Ok(n) = s.trim().parse::<u64>() {
                    return v.visit_u64(n);
                }
            }
            self.0.$method(v)
        })*
    };
}

impl Lenient {
    fn map<'de, V: Visitor<'de>>(
        map: Map<String, Value>,
        v: V,
    ) -> Result<V::Value, serde_json::Error> {
        v.visit_map(Fields {
            iter: map.into_iter(),
            value: None,
        })
    }

    fn seq<'de, V: Visitor<'de>>(items: Vec<Value>, v: V) -> Result<V::Value, serde_json::Error> {
        v.visit_seq(Items(items.into_iter()))
    }

    /// A sequence, from an array or an array encoded as text.
    fn sequence<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Array(items) => Lenient::seq(items, v),
            Value::String(s) => match encoded(&s, true) {
                Some(Value::Array(items)) => Lenient::seq(items, v),
                _ => Value::String(s).deserialize_seq(v),
            },
            other => other.deserialize_seq(v),
        }
    }

    /// An object, from an object or an object encoded as text; never from an array.
    fn object<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Object(map) => Lenient::map(map, v),
            Value::String(s) => match encoded(&s, false) {
                Some(Value::Object(map)) => Lenient::map(map, v),
                _ => Err(de::Error::invalid_type(Unexpected::Str(&s), &v)),
            },
            Value::Array(_) => Err(de::Error::invalid_type(Unexpected::Seq, &v)),
            other => other.deserialize_map(v),
        }
    }

    /// Text, from text or from a number or boolean.
    fn text<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Number(n) => v.visit_string(n.to_string()),
            Value::Bool(b) => v.visit_string(b.to_string()),
            other => other.deserialize_string(v),
        }
    }
}

impl<'de> Deserializer<'de> for Lenient {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => Lenient::map(map, v),
            Value::Array(items) => Lenient::seq(items, v),
            other => other.deserialize_any(v),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        if let Value::String(s) = &self.0 {
            match s.trim() {
                "true" | "1" => return v.visit_bool(true),
                "false" | "0" => return v.visit_bool(false),
                _ => {}
            }
        }
        self.0.deserialize_bool(v)
    }

    integer!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        if let Value::String(s) = &self.0 {
            if let Ok(n) = s.trim().parse::<f64>() {
                if n.is_finite() {
                    return v.visit_f64(n);
                }
            }
        }
        self.0.deserialize_f64(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.text(v)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.text(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => v.visit_none(),
            other => v.visit_some(Lenient(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.sequence(v)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.sequence(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.sequence(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.object(v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.object(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(s) => match encoded(&s, false) {
                Some(object) => object.deserialize_enum(name, variants, v),
                None => Value::String(s).deserialize_enum(name, variants, v),
            },
            other => other.deserialize_enum(name, variants, v),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_unit()
    }

    as_json!(deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier);

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, v)
    }
}

/// The fields of an object, each read leniently.
struct Fields {
    iter: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key: de::value::StringDeserializer<serde_json::Error> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| <serde_json::Error as de::Error>::custom("a value is missing"))?;
        seed.deserialize(Lenient(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// The items of an array, each read leniently.
struct Items(std::vec::IntoIter<Value>);

impl<'de> de::SeqAccess<'de> for Items {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        match self.0.next() {
            Some(v) => seed.deserialize(Lenient(v)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Target {
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        count: Option<i64>,
        #[serde(default)]
        items: Option<Vec<String>>,
        #[serde(default)]
        inner: Option<Inner>,
        #[serde(default)]
        text: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        name: String,
    }

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn text_becomes_what_the_target_type_is() {
        let t: Target = decode(map(json!({
            "flag": "true", "count": "12", "items": "[\"a\",\"b\"]",
            "inner": "{\"name\":\"x\"}", "text": 5
        })))
        .unwrap();
        assert_eq!(t.flag, Some(true));
        assert_eq!(t.count, Some(12));
        assert_eq!(t.items, Some(vec!["a".into(), "b".into()]));
        assert_eq!(t.inner, Some(Inner { name: "x".into() }));
        assert_eq!(t.text.as_deref(), Some("5"));
        // Text that looks like JSON stays text where text is expected.
        let t: Target = decode(map(json!({"text": "{\"name\":\"x\"}"}))).unwrap();
        assert_eq!(t.text.as_deref(), Some("{\"name\":\"x\"}"));
    }

    #[test]
    fn wrong_types_and_unknown_fields_name_the_parameter() {
        let e = decode::<Target>(map(json!({"flag": "yes"}))).unwrap_err();
        assert!(e.starts_with("flag: "), "{e}");
        let e = decode::<Target>(map(json!({"inner": {"name": "x", "extra": 1}}))).unwrap_err();
        assert!(e.contains("extra"), "{e}");
        let e = decode::<Target>(map(json!({"bogus": 1}))).unwrap_err();
        assert!(e.contains("unknown field `bogus`"), "{e}");
        let e = decode::<Target>(map(json!({"inner": ["name"]}))).unwrap_err();
        assert!(e.starts_with("inner: "), "{e}");
        let e = decode::<Target>(map(json!({"items": "a,b"}))).unwrap_err();
        assert!(e.starts_with("items: "), "{e}");
    }
}
