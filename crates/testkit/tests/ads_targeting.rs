//! An ad's language targeting in the Status feed, on each backend: the feed places a campaign
//! for languages `ar` only for a reader whose `Accept-Language` is Arabic, and a reader who
//! names no language sees it too (profiles carry no language).

mod ads_support;

use ads_support::*;
use serde_json::Value;
use wasla_testkit::{Db, TestServer};

/// Ada's feed read with `accept_language`, if any: its ads.
async fn ads_for(s: &TestServer, sc: &Scene, accept_language: Option<&str>) -> Vec<Value> {
    let mut req = reqwest::Client::new()
        .get(format!("{}/client/v1/status", s.url))
        .bearer_auth(&sc.ada.token);
    if let Some(lang) = accept_language {
        req = req.header("accept-language", lang);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), 200);
    let feed: Value = r.json().await.unwrap();
    feed["ads"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn the_feed_places_an_ad_only_for_its_languages() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        // Midday, so the campaign's pace lets an impression through.
        set_clock(&s, utc(2027, 1, 5, 12, 0));
        let sc = scene(&s).await;
        running(&s, &sc.admin, &[("languages", "ar")]).await;
        assert!(
            ads_for(&s, &sc, Some("de-DE,de;q=0.9,en;q=0.5"))
                .await
                .is_empty(),
            "{db:?}: a German reader gets no Arabic-only ad"
        );
        assert_eq!(
            ads_for(&s, &sc, Some("ar-SA,ar;q=0.9")).await.len(),
            1,
            "{db:?}"
        );
        assert_eq!(ads_for(&s, &sc, None).await.len(), 1, "{db:?}");
    }
}
