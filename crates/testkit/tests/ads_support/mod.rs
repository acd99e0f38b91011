//! What the ads tests share: a scene (a business with an admin agent, two people in Germany
//! who chat, one of whom posts Status so the other's feed has a row for an ad to follow),
//! creating campaigns through the console's form, the operator's approval, the clock, and the
//! WABA's `ad_spend` ledger entries.

#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Agent, Business, Person, TestServer, PNG};

/// The smallest file `infer` takes for an MP4 video.
pub fn mp4() -> Vec<u8> {
    let mut v = vec![0, 0, 0, 0x18];
    v.extend_from_slice(b"ftypmp42");
    v.extend_from_slice(&[0, 0, 0, 0]);
    v.extend_from_slice(b"mp42isom");
    v.extend_from_slice(&[0u8; 64]);
    v
}

/// The people and the business of a test.
pub struct Scene {
    /// The advertiser.
    pub shop: Business,
    /// Its admin agent.
    pub admin: Agent,
    /// A person in Germany who sees ads.
    pub ada: Person,
    /// Ada's friend, whose Status gives Ada's feed a row.
    pub bob: Person,
}

/// Set the scene.
pub async fn scene(s: &TestServer) -> Scene {
    let shop = s.business("Acme Plants", "+1 650 555 1234").await;
    let admin = s.agent(&shop, "admin@acme.test", "admin").await;
    let ada = s.register("+49 151 23456789", "Ada").await;
    let bob = s.register("+49 151 23456790", "Bob").await;
    let chat = ada.chat_with(&bob.wa_id).await;
    ada.send_text(&chat, "hi Bob").await;
    let sc = Scene {
        shop,
        admin,
        ada,
        bob,
    };
    sc.bob_posts().await;
    sc
}

impl Scene {
    /// Bob posts a text update (Ada's feed then has his row).
    pub async fn bob_posts(&self) {
        self.bob
            .post(
                "/client/v1/status",
                json!({"type": "text", "text": {"body": "Morning!", "background": "#114477", "font": "sans"}}),
            )
            .await
            .expect("bob posts");
    }

    /// The ads of Ada's feed.
    pub async fn ads(&self) -> Vec<Value> {
        self.ada.get("/client/v1/status").await.expect("feed")["ads"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// The standard fields of a campaign, overridden by `extra`.
pub fn fields(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("name", "Spring"),
        ("headline", "Succulents are here"),
        ("body", "Fresh plants every week"),
        ("welcome_message", "Hi! Which plant do you like?"),
        ("daily_budget", "1000"),
        ("bid_cpm", "100000"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        f.retain(|(name, _)| name != k);
        if !v.is_empty() {
            f.push((k.to_string(), v.to_string()));
        }
    }
    f
}

/// Post the console's form; `creative` is (bytes, mime) or none.
pub async fn create(
    s: &TestServer,
    agent: &Agent,
    fields: Vec<(String, String)>,
    creative: Option<(Vec<u8>, &str)>,
) -> (u16, Value) {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k, v);
    }
    if let Some((bytes, mime)) = creative {
        form = form.part(
            "creative",
            Part::bytes(bytes)
                .file_name("creative")
                .mime_str(mime)
                .unwrap(),
        );
    }
    let r = reqwest::Client::new()
        .post(format!("{}/console/v1/ads/campaigns", s.url))
        .bearer_auth(&agent.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Create an image campaign and have the operator approve it; returns it.
pub async fn running(s: &TestServer, agent: &Agent, extra: &[(&str, &str)]) -> Value {
    let (st, c) = create(s, agent, fields(extra), Some((PNG.to_vec(), "image/png"))).await;
    assert_eq!(st, 200, "{c}");
    approve(s, c["id"].as_str().unwrap()).await
}

/// The operator approves a campaign.
pub async fn approve(s: &TestServer, id: &str) -> Value {
    let (st, c) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/ads/campaigns/{id}/approve"),
            None,
        )
        .await;
    assert_eq!(st, 200, "{c}");
    c
}

/// Move the clock to `at`.
pub fn set_clock(s: &TestServer, at: i64) {
    s.clock.advance_ms(at - s.app.now());
}

/// A UTC time, Unix ms.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .timestamp_millis()
}

/// The WABA's `ad_spend` ledger entries, newest first.
pub async fn ad_spend(s: &TestServer, waba: &str) -> Vec<Value> {
    let (st, page) = s
        .admin(
            Method::GET,
            &format!("/admin/v1/billing/accounts/{waba}/ledger?limit=500"),
            None,
        )
        .await;
    assert_eq!(st, 200, "{page}");
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "ad_spend")
        .cloned()
        .collect()
}
