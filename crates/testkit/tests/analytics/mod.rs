//! Helpers of the analytics tests: the WABA node's fields read with a token, exact decimal
//! costs back to micros, approved templates, top-ups and template sends, sums of data points.

#![allow(dead_code)]

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Person, TestServer};

/// `GET /v23.0/{waba}?fields=…` with the fields URL-encoded.
pub async fn fields(shop: &Business, token: &str, waba: &str, fields: &str) -> (u16, Value) {
    let enc: String = url::form_urlencoded::byte_serialize(fields.as_bytes()).collect();
    shop.api_as(
        token,
        Method::GET,
        &format!("/v23.0/{waba}?fields={enc}"),
        None,
    )
    .await
}

/// A JSON number (`0.0034`, `12`, `1e-6`) as micros, exactly (integer arithmetic on its text).
pub fn micros(v: &Value) -> i64 {
    let text = v.to_string();
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap()),
        None => (text.clone(), 0),
    };
    let neg = mantissa.starts_with('-');
    let m = mantissa.trim_start_matches('-');
    let (whole, frac) = m.split_once('.').unwrap_or((m, ""));
    let digits: i128 = format!("{whole}{frac}").parse().unwrap();
    // value = digits × 10^(exp − len(frac)); micros = value × 10^6
    let shift = exp - frac.len() as i32 + 6;
    let value = if shift >= 0 {
        digits * 10i128.pow(shift as u32)
    } else {
        let d = 10i128.pow((-shift) as u32);
        assert_eq!(digits % d, 0, "{text} is finer than a micro");
        digits / d
    };
    (if neg { -value } else { value }) as i64
}

/// A two-button marketing template, created and approved.
pub async fn approved_template(
    s: &TestServer,
    shop: &Business,
    name: &str,
    category: &str,
) -> String {
    let (status, t) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/message_templates", shop.waba_id),
            Some(json!({"name": name, "language": "en_US", "category": category,
                "components": [{"type": "BODY", "text": "Hello from the shop"},
                    {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "More"}, {"type": "QUICK_REPLY", "text": "Stop"}]}]})),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let id = t["id"].as_str().unwrap().to_string();
    let (status, r) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/templates/{id}/review"),
            Some(json!({"status": "APPROVED"})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    id
}

/// Give a WABA money to spend.
pub async fn top_up(s: &TestServer, shop: &Business) {
    let (status, r) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/billing/accounts/{}/top-ups", shop.waba_id),
            Some(json!({"amount": "1000.00"})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

/// Send an approved template (no parameters) to a person; returns the wamid.
pub async fn send_template(shop: &Business, to: &Person, name: &str) -> String {
    let (status, r) = shop
        .send(
            json!({"messaging_product": "whatsapp", "to": to.wa_id, "type": "template",
            "template": {"name": name, "language": {"code": "en_US"}}}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    r["messages"][0]["id"].as_str().unwrap().to_string()
}

/// Sums of `analytics` data points: (sent, delivered).
pub fn sent_delivered(v: &Value) -> (i64, i64) {
    v["analytics"]["data_points"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(s, d), p| {
            (
                s + p["sent"].as_i64().unwrap(),
                d + p["delivered"].as_i64().unwrap(),
            )
        })
}

/// Sums of `pricing_analytics` data points: (volume, cost in micros).
pub fn volume_cost(v: &Value) -> (i64, i64) {
    v["pricing_analytics"]["data"][0]["data_points"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(n, c), p| {
            (n + p["volume"].as_i64().unwrap(), c + micros(&p["cost"]))
        })
}
