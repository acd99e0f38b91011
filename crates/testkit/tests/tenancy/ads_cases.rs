//! The tenancy cases of ads: A's admin created a campaign (waiting for review, so no feed
//! shows it). B's console lists and creates only its own campaigns and every call naming A's
//! campaign (read, pause, end) is refused; the operator's review refuses tokens that are not
//! the operator's; nobody opens the link of a campaign that is not running. Ads in the Status
//! feed are public by design, and the public pages show only running campaigns.

use super::World;
use crate::{c, cb, Call, Kind};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use wasla_testkit::{Agent, TestServer, PNG};

/// A's campaign.
pub struct Ads {
    /// Its id.
    pub campaign: String,
    /// Its link's code.
    pub code: String,
}

/// Create A's campaign (its texts carry the marker).
pub async fn make(s: &TestServer, a_admin: &Agent) -> Ads {
    let form = Form::new()
        .text("name", "alpha spring")
        .text("headline", "alpha plants")
        .text("body", "alpha succulents")
        .text("daily_budget", "1000")
        .text("bid_cpm", "1000")
        .part(
            "creative",
            Part::bytes(PNG.to_vec())
                .file_name("a.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let resp = reqwest::Client::new()
        .post(format!("{}/console/v1/ads/campaigns", s.url))
        .bearer_auth(&a_admin.token)
        .multipart(form)
        .send()
        .await
        .expect("create campaign");
    assert_eq!(resp.status().as_u16(), 200);
    let v: Value = resp.json().await.unwrap();
    let link = v["link"].as_str().expect("link").to_string();
    Ads {
        campaign: v["id"].as_str().expect("id").to_string(),
        code: link.rsplit('/').next().unwrap().to_string(),
    }
}

/// The ads routes' cases.
pub fn cases(w: &World) -> Vec<(&'static str, &'static str, Kind)> {
    use Kind::*;
    let (q, bt, ba) = (&*w.q.token, &*w.b.token, &*w.b_admin.token);
    let (id, code) = (&w.x.ads.campaign, &w.x.ads.code);
    let not_operator = |path: String, body: Value| -> Vec<Call> {
        vec![cb(bt, path.clone(), body.clone()), cb(ba, path, body)]
    };
    let public = "ads in the Status feed are public by design: a placement names a campaign any person may be shown, and acts only on the caller's own cap, hides and reports";
    let page = "public click-to-chat page of a running campaign (a campaign waiting for review is not found)";
    #[rustfmt::skip]
    let cases = vec![
        ("GET", "/console/v1/ads/campaigns", Own(vec![c(ba, "/console/v1/ads/campaigns")])),
        ("POST", "/console/v1/ads/campaigns", Own(vec![cb(ba, "/console/v1/ads/campaigns", json!({"headline": "bravo"}))])),
        ("GET", "/console/v1/ads/campaigns/{id}", Foreign(vec![c(ba, format!("/console/v1/ads/campaigns/{id}"))])),
        ("PATCH", "/console/v1/ads/campaigns/{id}", Foreign(vec![cb(ba, format!("/console/v1/ads/campaigns/{id}"), json!({"status": "paused"}))])),
        ("DELETE", "/console/v1/ads/campaigns/{id}", Foreign(vec![c(ba, format!("/console/v1/ads/campaigns/{id}"))])),
        ("GET", "/admin/v1/ads/campaigns", Foreign(not_operator("/admin/v1/ads/campaigns".into(), Value::Null))),
        ("GET", "/admin/v1/ads/campaigns/{id}", Foreign(not_operator(format!("/admin/v1/ads/campaigns/{id}"), Value::Null))),
        ("GET", "/admin/v1/ads/campaigns/{id}/reports", Foreign(not_operator(format!("/admin/v1/ads/campaigns/{id}/reports"), Value::Null))),
        ("POST", "/admin/v1/ads/campaigns/{id}/approve", Foreign(not_operator(format!("/admin/v1/ads/campaigns/{id}/approve"), Value::Null))),
        ("POST", "/admin/v1/ads/campaigns/{id}/reject", Foreign(not_operator(format!("/admin/v1/ads/campaigns/{id}/reject"), json!({"reason": "bravo"})))),
        ("POST", "/client/v1/ads/links/{code}/open", Foreign(vec![c(q, format!("/client/v1/ads/links/{code}/open"))])),
        ("POST", "/client/v1/ads/{id}/impression", Allowed(public)),
        ("POST", "/client/v1/ads/{id}/tap", Allowed(public)),
        ("POST", "/client/v1/ads/{id}/hide", Allowed(public)),
        ("POST", "/client/v1/ads/{id}/report", Allowed(public)),
        ("GET", "/ad/{code}", Allowed(page)),
        ("GET", "/ad/{code}/qr.png", Allowed(page)),
        ("GET", "/ad/{code}/media", Allowed(page)),
        ("GET", "/ad/{code}/thumbnail", Allowed(page)),
    ];
    cases
}
