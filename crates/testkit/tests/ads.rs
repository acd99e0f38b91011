//! Ads on Status end to end, on each backend: a campaign's form is checked whole (bad input
//! changes nothing); the operator reviews campaigns through the admin API and the CLI; an
//! approved campaign is placed between Status updates for the people it targets, at most
//! twice a day per person (the next day again), each impression charged to the WABA's ledger
//! as `ad_spend` at exactly bid/1000 and counted per day; the rows that enforce the cap are
//! gone once their day is over and no endpoint tells the business who saw its ad; spend is
//! paced over the day and never passes the daily budget; people hide and report ads.

mod ads_support;

use ads_support::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use wasla_testkit::{Db, TestServer, PNG};

/// A bad form: a word its error names, its fields and its creative.
type Case<'a> = (&'a str, Vec<(String, String)>, Option<(Vec<u8>, &'a str)>);

async fn console_list(agent: &wasla_testkit::Agent) -> usize {
    agent.get("/console/v1/ads/campaigns").await["data"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_bad_form_is_refused_whole_and_stores_nothing() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let sc = scene(&s).await;
        let png = || Some((PNG.to_vec(), "image/png"));
        let cases: Vec<Case> = vec![
            ("creative", fields(&[]), None),
            (
                "image or a video",
                fields(&[]),
                Some((b"just some text".to_vec(), "text/plain")),
            ),
            (
                "not a valid image/png",
                fields(&[]),
                Some((b"just some text".to_vec(), "image/png")),
            ),
            ("daily_budget", fields(&[("daily_budget", "0")]), png()),
            ("bid_cpm", fields(&[("bid_cpm", "-5")]), png()),
            ("bid_cpm", fields(&[("bid_cpm", "1.5")]), png()),
            ("daily_budget", fields(&[("daily_budget", "")]), png()),
            ("headline", fields(&[("headline", "")]), png()),
            ("body", fields(&[("body", "   ")]), png()),
            ("countries", fields(&[("countries", "Germany")]), png()),
            ("languages", fields(&[("languages", "english!")]), png()),
            ("ends_at", fields(&[("ends_at", "1000")]), png()),
        ];
        for (word, f, creative) in cases {
            let (st, e) = create(&s, &sc.admin, f, creative).await;
            assert_eq!(st, 400, "{word}: {e}");
            assert_eq!(e["error"]["code"], "bad_request", "{e}");
            let msg = e["error"]["message"].as_str().unwrap();
            assert!(msg.contains(word), "{word}: {msg}");
        }
        // An agent who is not an admin cannot create one.
        let clerk = s.agent(&sc.shop, "clerk@acme.test", "agent").await;
        let (st, _) = create(&s, &clerk, fields(&[]), png()).await;
        assert_eq!(st, 403);
        assert_eq!(console_list(&sc.admin).await, 0);
        let (_, all) = s.admin(Method::GET, "/admin/v1/ads/campaigns", None).await;
        assert!(all["data"].as_array().unwrap().is_empty(), "{all}");

        // A good video campaign: its page and pictures appear once it is approved.
        let (st, c) = create(
            &s,
            &sc.admin,
            fields(&[("button_text", ""), ("countries", "de, AT")]),
            Some((mp4(), "video/mp4")),
        )
        .await;
        assert_eq!(st, 200, "{c}");
        assert_eq!(c["status"], "pending_review");
        assert_eq!(c["creative"]["type"], "video");
        assert_eq!(c["button_text"], "Message us");
        assert_eq!(c["countries"], json!(["DE", "AT"]));
        assert_eq!(c["currency"], "USD");
        assert_eq!(c["phone_number_id"], sc.shop.phone_number_id.as_str());
        let link = c["link"].as_str().unwrap().to_string();
        assert!(link.ends_with(&format!("/ad/{}", link.rsplit('/').next().unwrap())));
        assert!(c["snippet"].as_str().unwrap().contains(&link));
        let http = reqwest::Client::new();
        assert_eq!(http.get(&link).send().await.unwrap().status().as_u16(), 404);
        approve(&s, c["id"].as_str().unwrap()).await;
        let page = http.get(&link).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Succulents are here"), "{html}");
        assert!(html.contains("#/ad/"), "{html}");
        let qr = http
            .get(c["qr_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(qr.status().as_u16(), 200);
        assert_eq!(&qr.bytes().await.unwrap()[..4], b"\x89PNG");
        let thumb = http
            .get(c["creative"]["thumbnail_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(thumb.status().as_u16(), 200);
        let video = http
            .get(c["creative"]["url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(video.bytes().await.unwrap().to_vec(), mp4());
    }
}

/// Run the CLI against the test server; its `--json` answer.
async fn cli(s: &TestServer, args: &[&str]) -> Value {
    let bin = wasla_testkit::wasla_bin().await;
    let mut cmd = std::process::Command::new(bin);
    cmd.args(["--server", &s.url, "--json", "admin", "ads"])
        .args(args)
        .env("WASLA_OPERATOR_TOKEN", &s.operator_token);
    // The server answers on this test's runtime while the CLI runs.
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_operator_approves_and_rejects_by_api_and_cli() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let sc = scene(&s).await;
        let mut ids = Vec::new();
        for name in ["One", "Two", "Three"] {
            let (st, c) = create(
                &s,
                &sc.admin,
                fields(&[("name", name)]),
                Some((PNG.to_vec(), "image/png")),
            )
            .await;
            assert_eq!(st, 200, "{c}");
            ids.push(c["id"].as_str().unwrap().to_string());
        }
        let (_, q) = s
            .admin(
                Method::GET,
                "/admin/v1/ads/campaigns?status=pending_review",
                None,
            )
            .await;
        assert_eq!(q["data"].as_array().unwrap().len(), 3, "{q}");
        let (st, _) = s
            .admin(Method::GET, "/admin/v1/ads/campaigns?status=nonsense", None)
            .await;
        assert_eq!(st, 400);

        // The API approves; a rejection without a reason changes nothing.
        let a = approve(&s, &ids[0]).await;
        assert_eq!(a["status"], "approved");
        let (st, _) = s
            .admin(
                Method::POST,
                &format!("/admin/v1/ads/campaigns/{}/reject", ids[1]),
                Some(json!({"reason": " "})),
            )
            .await;
        assert_eq!(st, 400);
        let (_, two) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/ads/campaigns/{}", ids[1]),
                None,
            )
            .await;
        assert_eq!(two["status"], "pending_review");

        // The CLI lists, rejects with a reason and approves.
        let listed = cli(&s, &["list", "--status", "pending_review"]).await;
        assert_eq!(listed["data"].as_array().unwrap().len(), 2, "{listed}");
        let r = cli(&s, &["reject", &ids[1], "--reason", "Misleading claims"]).await;
        assert_eq!(r["status"], "rejected");
        assert_eq!(r["rejection_reason"], "Misleading claims");
        let ok = cli(&s, &["approve", &ids[2]]).await;
        assert_eq!(ok["status"], "approved");
        // The business sees the outcome and the reason.
        let mine = sc
            .admin
            .get(&format!("/console/v1/ads/campaigns/{}", ids[1]))
            .await;
        assert_eq!(mine["status"], "rejected");
        assert_eq!(mine["rejection_reason"], "Misleading claims");
        // Approving twice is a conflict; pause, resume and end from the console.
        let (st, _) = s
            .admin(
                Method::POST,
                &format!("/admin/v1/ads/campaigns/{}/approve", ids[0]),
                None,
            )
            .await;
        assert_eq!(st, 409);
        let p = sc
            .admin
            .patch(
                &format!("/console/v1/ads/campaigns/{}", ids[0]),
                json!({"status": "paused"}),
            )
            .await;
        assert_eq!(p["status"], "paused");
        let p = sc
            .admin
            .patch(
                &format!("/console/v1/ads/campaigns/{}", ids[0]),
                json!({"status": "approved"}),
            )
            .await;
        assert_eq!(p["status"], "approved");
        let (st, e) = sc
            .admin
            .call(
                Method::PATCH,
                &format!("/console/v1/ads/campaigns/{}", ids[1]),
                Some(json!({"status": "approved"})),
            )
            .await;
        assert_eq!(st, 409, "{e}");
        let (st, ended) = sc
            .admin
            .call(
                Method::DELETE,
                &format!("/console/v1/ads/campaigns/{}", ids[0]),
                None,
            )
            .await;
        assert_eq!(st, 200);
        assert_eq!(ended["status"], "ended");
    }
}

async fn impression(sc: &Scene, placement: &str) -> bool {
    let r = sc
        .ada
        .post(&format!("/client/v1/ads/{placement}/impression"), json!({}))
        .await
        .expect("impression");
    r["counted"].as_bool().unwrap()
}

/// Wait for the sweeper (a background worker) to delete the frequency rows.
async fn frequency_rows_become(s: &TestServer, n: i64) {
    for _ in 0..100 {
        if s.app.status.ad_frequency_rows().await.unwrap() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("frequency rows never became {n}");
}

#[tokio::test]
async fn ads_sit_between_updates_twice_a_day_and_every_impression_is_charged() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        set_clock(&s, utc(2027, 1, 5, 12, 0));
        let sc = scene(&s).await;
        // One campaign for Germany at 10.00 per thousand (0.01 an impression, 10,000 micros)
        // and a richer one for the US only, which Ada (German number) never gets.
        let c = running(&s, &sc.admin, &[("bid_cpm", "1000"), ("countries", "DE")]).await;
        let id = c["id"].as_str().unwrap().to_string();
        running(&s, &sc.admin, &[("bid_cpm", "90000"), ("countries", "US")]).await;

        let ads = sc.ads().await;
        assert_eq!(ads.len(), 1, "{ads:?}");
        assert_eq!(ads[0]["after"], 0);
        let ad = &ads[0]["ad"];
        assert_eq!(ad["sponsored"], true);
        assert_eq!(ad["headline"], "Succulents are here");
        assert_eq!(ad["business"]["name"], "Acme Plants");
        assert_eq!(ad["business"]["wa_id"], sc.shop.wa_id.as_str());
        assert_eq!(ad["media"]["type"], "image");
        assert!(impression(&sc, ad["id"].as_str().unwrap()).await);
        let again = sc.ads().await;
        assert_eq!(again.len(), 1);
        let second = again[0]["ad"]["id"].as_str().unwrap().to_string();
        assert!(impression(&sc, &second).await);
        // The third view of the day shows no ad, and a third impression is not counted.
        assert!(sc.ads().await.is_empty());
        assert!(!impression(&sc, &second).await);
        assert_eq!(s.app.status.ad_frequency_rows().await.unwrap(), 1);

        // Each impression is one ledger entry of exactly bid/1000.
        let spend = ad_spend(&s, &sc.shop.waba_id).await;
        assert_eq!(spend.len(), 2);
        for e in &spend {
            assert_eq!(e["amount_micros"], -10_000, "{e}");
            assert_eq!(e["currency"], "USD");
        }
        let day = sc
            .admin
            .get(&format!("/console/v1/ads/campaigns/{id}"))
            .await;
        assert_eq!(
            day["days"][0],
            json!({"date": "2027-01-05", "impressions": 2, "taps": 0, "chats_started": 0,
                   "spend": 2, "spend_micros": 20_000})
        );
        // Nothing the business reads names who saw it, and there is no viewers route.
        assert!(!day.to_string().contains(&sc.ada.wa_id));
        let (st, _) = sc
            .admin
            .call(
                Method::GET,
                &format!("/console/v1/ads/campaigns/{id}/viewers"),
                None,
            )
            .await;
        assert!(st == 404 || st == 405, "{st}");

        // The next day: the day's rows are gone, the ad shows again.
        set_clock(&s, utc(2027, 1, 6, 0, 5));
        frequency_rows_become(&s, 0).await;
        set_clock(&s, utc(2027, 1, 6, 11, 0));
        let ads = sc.ads().await;
        assert_eq!(ads.len(), 1);
        assert!(impression(&sc, ads[0]["ad"]["id"].as_str().unwrap()).await);
        let days = sc
            .admin
            .get(&format!("/console/v1/ads/campaigns/{id}"))
            .await["days"]
            .clone();
        assert_eq!(days[0]["date"], "2027-01-06");
        assert_eq!(days[0]["impressions"], 1);
        assert_eq!(days[1]["date"], "2027-01-05");
        assert_eq!(days[1]["impressions"], 2);
        assert_eq!(ad_spend(&s, &sc.shop.waba_id).await.len(), 3);
        // The invoice of the month carries the spend as its own line.
        let (_, inv) = s
            .admin(
                Method::GET,
                &format!(
                    "/admin/v1/billing/accounts/{}/invoices/2027-01",
                    sc.shop.waba_id
                ),
                None,
            )
            .await;
        let line = inv["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["kind"] == "ad_spend")
            .cloned()
            .unwrap_or_else(|| panic!("no ad_spend line: {inv}"));
        assert_eq!(line["amount_micros"], 30_000);
    }
}

#[tokio::test]
async fn spend_is_paced_over_the_day_and_never_passes_the_budget() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db, |c| c.ads.frequency_cap = 100).await;
        set_clock(&s, utc(2027, 1, 5, 6, 0));
        let sc = scene(&s).await;
        // 10.00 a day at 1.00 an impression: by 06:00 a quarter of the day plus an hour's
        // burst (2.92) allows two.
        let c = running(
            &s,
            &sc.admin,
            &[("daily_budget", "1000"), ("bid_cpm", "100000")],
        )
        .await;
        let id = c["id"].as_str().unwrap().to_string();
        let placement = sc.ads().await[0]["ad"]["id"].as_str().unwrap().to_string();
        assert!(impression(&sc, &placement).await);
        assert!(impression(&sc, &placement).await);
        assert!(!impression(&sc, &placement).await);
        assert!(sc.ads().await.is_empty(), "paced out of the feed too");

        // At the end of the day the rest of the budget goes through, and not a cent more.
        set_clock(&s, utc(2027, 1, 5, 23, 59));
        let mut counted = 2;
        while impression(&sc, &placement).await {
            counted += 1;
            assert!(counted <= 10, "spent beyond the budget");
        }
        assert_eq!(counted, 10);
        let day = sc
            .admin
            .get(&format!("/console/v1/ads/campaigns/{id}"))
            .await["days"][0]
            .clone();
        assert_eq!(day["impressions"], 10);
        assert_eq!(day["spend_micros"], 10_000_000);
        let spend = ad_spend(&s, &sc.shop.waba_id).await;
        assert_eq!(spend.len(), 10);
        let total: i64 = spend
            .iter()
            .map(|e| e["amount_micros"].as_i64().unwrap())
            .sum();
        assert_eq!(total, -10_000_000);
        let (_, acct) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/billing/accounts/{}", sc.shop.waba_id),
                None,
            )
            .await;
        assert_eq!(acct["balance_micros"], -10_000_000, "{acct}");
    }
}

#[tokio::test]
async fn people_hide_and_report_ads() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let sc = scene(&s).await;
        let a = running(&s, &sc.admin, &[("name", "A"), ("bid_cpm", "5000")]).await;
        let b = running(&s, &sc.admin, &[("name", "B"), ("bid_cpm", "4000")]).await;
        let first = sc.ads().await;
        assert_eq!(first.len(), 1);
        let pa = first[0]["ad"]["id"].as_str().unwrap().to_string();
        sc.ada
            .post(&format!("/client/v1/ads/{pa}/hide"), json!({}))
            .await
            .unwrap();
        // Hidden for good: the other campaign takes the place, and A's impressions no longer
        // count.
        let next = sc.ads().await;
        assert_eq!(next.len(), 1);
        let pb = next[0]["ad"]["id"].as_str().unwrap().to_string();
        assert_ne!(pa, pb);
        assert!(sc
            .ada
            .post(&format!("/client/v1/ads/{pa}/impression"), json!({}))
            .await
            .is_err());
        let (st, e) = sc
            .ada
            .post(
                &format!("/client/v1/ads/{pb}/report"),
                json!({"reason": ""}),
            )
            .await
            .unwrap_err();
        assert_eq!(st, 400, "{e}");
        sc.ada
            .post(
                &format!("/client/v1/ads/{pb}/report"),
                json!({"reason": "Misleading prices"}),
            )
            .await
            .unwrap();
        assert!(sc.ads().await.is_empty());
        // The operator sees the report counts and the reason, never the reporter.
        let (_, all) = s.admin(Method::GET, "/admin/v1/ads/campaigns", None).await;
        let count = |id: &Value| {
            all["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == *id)
                .unwrap()["reports"]
                .clone()
        };
        assert_eq!(count(&a["id"]), 0);
        assert_eq!(count(&b["id"]), 1);
        let (_, reports) = s
            .admin(
                Method::GET,
                &format!(
                    "/admin/v1/ads/campaigns/{}/reports",
                    b["id"].as_str().unwrap()
                ),
                None,
            )
            .await;
        assert_eq!(reports["data"][0]["reason"], "Misleading prices");
        assert!(!reports.to_string().contains(&sc.ada.wa_id));
        // Another person still gets the ads.
        let bob_feed = sc.bob.get("/client/v1/status").await.unwrap();
        assert!(
            bob_feed["ads"].as_array().unwrap().is_empty(),
            "Bob's feed has no rows"
        );
    }
}
