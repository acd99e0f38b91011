//! Rate cards through the admin API on both backends: the shipped default card is loaded at
//! start (every market priced), a card is imported and exported in Meta's CSV layout, a
//! malformed card is refused whole with a report per row, a card that leaves a market
//! unpriced without an `Other` row is refused, and only the operator manages cards.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Db, TestServer};

const HEADER: &str =
    "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service,Tier From\n";

#[tokio::test]
async fn cards_import_export_and_refusals() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        // The shipped card, loaded as `default` at start.
        let (status, list) = s.admin(Method::GET, "/admin/v1/billing/cards", None).await;
        assert_eq!(status, 200, "{list}");
        let cards = list["data"].as_array().unwrap();
        assert_eq!(cards.len(), 1, "{list}");
        assert_eq!(cards[0]["name"], "default");
        assert_eq!(cards[0]["effective_from"], "2025-07-01");
        assert_eq!(cards[0]["currency"], "USD");
        assert!(cards[0]["source"].as_str().unwrap().contains("Meta"));
        let default_id = cards[0]["id"].as_str().unwrap().to_string();
        let resp = reqwest::Client::new()
            .get(format!("{}/admin/v1/billing/cards/{default_id}/csv", s.url))
            .bearer_auth(&s.operator_token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let exported = resp.text().await.unwrap();
        assert!(exported.starts_with(HEADER.trim_end()), "{exported}");
        assert!(
            exported.contains("Germany,USD,0.1365,0.0550,0.0550,,0.0000,"),
            "{exported}"
        );
        assert!(
            exported.contains("India,USD,0.0107,0.0014,0.0014,0.0280,0.0000,"),
            "{exported}"
        );

        // A malformed card: every bad row reported with its line, nothing stored.
        let bad = format!(
            "# a comment line\n{HEADER}Germany,USD,0.1365,abc,0.0550,,0,\nAtlantis,USD,1,1,1,,0,\nFrance,EUR,0.08,0.03,0.03,,0,\nSpain,USD,0.06,0.02,0.02,,0,\nOther,USD,0.06,0.0077,0.0077,,0,\nOther,USD,0.01,,,,,500\nPeru,USD,0.07\n"
        );
        let (status, v) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "broken", "effective_from": "2026-01-01", "source": "test", "csv": bad})))
            .await;
        assert_eq!(status, 400, "{v}");
        let lines: Vec<u64> = v["error"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [3, 4, 5, 8, 9], "{v}");
        let text = v["error"].to_string();
        assert!(text.contains("Utility"), "{text}");
        assert!(text.contains("Atlantis"), "{text}");
        assert!(text.contains("EUR"), "{text}");
        assert!(text.contains("Marketing has no volume tiers"), "{text}");

        // A card that leaves markets unpriced and has no Other row.
        let unpriced = format!("{HEADER}Germany,USD,0.1365,0.0550,0.0550,,0,\n");
        let (status, v) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "partial", "effective_from": "2026-01-01", "source": "test", "csv": unpriced})))
            .await;
        assert_eq!(status, 400, "{v}");
        assert!(
            v["error"]["problems"][0]["message"]
                .as_str()
                .unwrap()
                .contains("no Other row"),
            "{v}"
        );
        let (_, list) = s.admin(Method::GET, "/admin/v1/billing/cards", None).await;
        assert_eq!(
            list["data"].as_array().unwrap().len(),
            1,
            "nothing stored: {list}"
        );

        // A good card with tiers: stored, and exported as imported.
        let good = format!(
            "{HEADER}Germany,USD,0.1365,0.0550,0.0550,,0,\nOther,USD,0.05,0.004,0.004,,0,\nOther,USD,,0.003,0.0035,,,100000\n"
        );
        let (status, v) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "vip", "effective_from": "2026-02-01", "source": "contract 7", "csv": good})))
            .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["rows"], 10);
        let id = v["id"].as_str().unwrap().to_string();
        let again = reqwest::Client::new()
            .get(format!("{}/admin/v1/billing/cards/{id}/csv", s.url))
            .bearer_auth(&s.operator_token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let (status, v) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "vip", "effective_from": "2026-03-01", "source": "re-import", "csv": again})))
            .await;
        assert_eq!((status, v["rows"].as_i64()), (200, Some(10)), "{v}");
        // The same name and date twice is a conflict.
        let (status, _) = s
            .admin(Method::POST, "/admin/v1/billing/cards", Some(json!({"name": "vip", "effective_from": "2026-03-01", "source": "again", "csv": good})))
            .await;
        assert_eq!(status, 409);

        // Assigning a card that does not exist, a bad discount, an unknown WABA.
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let path = format!("/admin/v1/billing/accounts/{}/card", shop.waba_id);
        let (status, _) = s
            .admin(Method::PUT, &path, Some(json!({"card_name": "nope"})))
            .await;
        assert_eq!(status, 400);
        let (status, _) = s
            .admin(
                Method::PUT,
                &path,
                Some(json!({"card_name": "vip", "discount_bp": 20000})),
            )
            .await;
        assert_eq!(status, 400);
        let (status, _) = s
            .admin(
                Method::PUT,
                "/admin/v1/billing/accounts/999/card",
                Some(json!({"card_name": "vip"})),
            )
            .await;
        assert_eq!(status, 404);
        let (status, _) = s
            .admin(
                Method::PUT,
                &path,
                Some(json!({"card_name": "vip", "discount_bp": 500})),
            )
            .await;
        assert_eq!(status, 200);

        // Only the operator.
        let (status, _) = shop
            .api_as(&shop.token, Method::GET, "/admin/v1/billing/cards", None)
            .await;
        assert_eq!(status, 401);
    }
}
