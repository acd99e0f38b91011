//! Helpers shared by the Graph parsing and validation tests: raw requests with any body,
//! and checks of the Graph errors they expect.

#![allow(dead_code)]

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use serde_json::Value;
use wasla_testkit::{Business, TestServer, Ws};

/// A request with the business's token and a raw body of `content_type`.
pub async fn raw(
    s: &TestServer,
    shop: &Business,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", s.url))
        .bearer_auth(&shop.token)
        .body(body.to_string());
    if let Some(ct) = content_type {
        req = req.header(CONTENT_TYPE, ct);
    }
    let resp = req.send().await.unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

pub const FORM: Option<&str> = Some("application/x-www-form-urlencoded");
pub const JSON: Option<&str> = Some("application/json");

pub fn invalid_param(status: u16, v: &Value, names: &str) {
    assert_eq!(
        (status, v["error"]["code"].as_i64()),
        (400, Some(100)),
        "{v}"
    );
    let details = v["error"]["error_data"]["details"]
        .as_str()
        .unwrap_or_default();
    assert!(details.contains(names), "{names:?} not named in {v}");
}

/// Graph's answer for an unknown or foreign id, word for word.
pub fn unknown_object(status: u16, v: &Value, method: &str, id: &str) {
    assert_eq!(status, 400, "{v}");
    let e = &v["error"];
    assert_eq!(e["code"], 100, "{v}");
    assert_eq!(e["error_subcode"], 33, "{v}");
    assert_eq!(e["type"], "GraphMethodException", "{v}");
    let want = format!(
        "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation"
    );
    assert!(e["message"].as_str().unwrap().starts_with(&want), "{v}");
    assert!(e["fbtrace_id"].is_string());
}

/// The message a send answered with `v` arrives at the person's device.
pub async fn arrives(ws: &mut Ws, v: &Value) -> Value {
    let id = v["messages"][0]["id"].as_str().expect("wamid").to_string();
    ws.expect("the send", |f| f["event"]["message"]["id"] == id.as_str())
        .await["event"]["message"]
        .clone()
}
