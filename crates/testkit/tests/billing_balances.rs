//! Balances end to end, on SQLite and PostgreSQL: the operator's top-ups and adjustments
//! (minor units or exact decimal strings, stored in micros, with who and why), credit limits
//! and low-balance thresholds through the admin API; the low-balance warning given once per
//! crossing (an `account_update` webhook and the console's `low_balance`), re-armed by a
//! top-up, and found by the worker when charges cross it; bad input refused with the field
//! named and nothing changed; the console showing the business its own account only.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_core::billing::LedgerEntry;
use wasla_testkit::{Business, Db, TestServer};

fn account_path(b: &Business) -> String {
    format!("/admin/v1/billing/accounts/{}", b.waba_id)
}

async fn ok(server: &TestServer, method: Method, path: &str, body: Option<Value>) -> Value {
    let (status, v) = server.admin(method.clone(), path, body).await;
    assert_eq!(status, 200, "{method} {path}: {v}");
    v
}

/// The `LOW_BALANCE` account updates a business got so far.
fn low_balance_hooks(b: &Business) -> Vec<Value> {
    b.hooks
        .payloads()
        .into_iter()
        .filter(|p| p["entry"][0]["changes"][0]["field"] == "account_update")
        .map(|p| p["entry"][0]["changes"][0]["value"].clone())
        .filter(|v| v["event"] == "LOW_BALANCE")
        .collect()
}

/// A message charge as rating writes it (seeded directly: what matters here is the sum).
fn charge(server: &TestServer, b: &Business, micros: i64, at: i64) -> LedgerEntry {
    LedgerEntry {
        id: server.app.ground.ids.next(),
        waba_id: b.waba_id.parse().unwrap(),
        kind: "message".into(),
        message_id: Some(server.app.ground.ids.next()),
        recipient_id: Some(1),
        phone_number_id: b.phone_number_id.parse().ok(),
        country: Some("DE".into()),
        market: Some("Germany".into()),
        category: Some("marketing".into()),
        pricing_type: Some("regular".into()),
        tier: Some("0".into()),
        card_id: None,
        template_id: None,
        amount_micros: -micros,
        currency: "USD".into(),
        note: None,
        actor: None,
        at,
    }
}

#[tokio::test]
async fn top_ups_adjustments_and_one_warning_per_crossing() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let shop = server.business("Balance Shop", "+4915112340001").await;
        let path = account_path(&shop);
        let fresh = ok(&server, Method::GET, &path, None).await;
        assert_eq!(fresh["balance_micros"], 0);
        assert_eq!(fresh["credit_limit_micros"], Value::Null, "{fresh}");
        assert_eq!(fresh["low_balance"], Value::Null);

        // Prepaid with a warning below 5.00: an empty balance is below it at once.
        let acct = ok(
            &server,
            Method::PATCH,
            &path,
            Some(json!({"credit_limit": 0, "low_balance_threshold": "5.00",
                        "timezone": "Europe/Berlin"})),
        )
        .await;
        assert_eq!(acct["low_balance_threshold_micros"], 5_000_000);
        assert_eq!(acct["timezone"], "Europe/Berlin");
        assert!(acct["low_balance"]["since"].is_i64(), "{acct}");
        let hook = shop
            .hooks
            .wait_for("a low-balance warning", 10, |v| v["event"] == "LOW_BALANCE")
            .await;
        assert_eq!(hook["balance_info"]["balance_micros"], 0);
        assert_eq!(hook["balance_info"]["threshold"], "5.00");
        assert_eq!(hook["balance_info"]["currency"], "USD");

        // A top-up of 1250 minor units (12.50) climbs back above: the warning is re-armed.
        let top = ok(
            &server,
            Method::POST,
            &format!("{path}/top-ups"),
            Some(json!({"amount": 1250, "note": "wire 4411", "actor": "Ines"})),
        )
        .await;
        assert_eq!(top["amount_micros"], 12_500_000);
        assert_eq!(top["amount"], "12.50");
        assert_eq!(top["actor"], "operator (Ines)");
        let acct = ok(&server, Method::GET, &path, None).await;
        assert_eq!(acct["balance"], "12.50");
        assert_eq!(acct["low_balance"], Value::Null, "{acct}");

        // An exact decimal adjustment takes it below again: a second warning, one only.
        let adj = ok(
            &server,
            Method::POST,
            &format!("{path}/adjustments"),
            Some(json!({"amount": "-8.0034", "note": "refund of a duplicate top-up"})),
        )
        .await;
        assert_eq!(adj["amount_micros"], -8_003_400);
        ok(
            &server,
            Method::POST,
            &format!("{path}/adjustments"),
            Some(json!({"amount": "-0.01"})),
        )
        .await;
        let acct = ok(&server, Method::GET, &path, None).await;
        assert_eq!(acct["balance_micros"], 4_486_600);
        assert_eq!(acct["balance"], "4.4866");
        assert!(acct["low_balance"]["message"]
            .as_str()
            .unwrap()
            .contains("4.4866 USD"));
        shop.hooks
            .wait_for("the second warning", 10, |v| {
                v["event"] == "LOW_BALANCE" && v["balance_info"]["balance_micros"] == 4_496_600
            })
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(
            low_balance_hooks(&shop).len(),
            2,
            "one warning per crossing"
        );

        // The ledger lists them newest first, with who and why, in pages.
        let page = ok(
            &server,
            Method::GET,
            &format!("{path}/ledger?limit=2"),
            None,
        )
        .await;
        assert_eq!(page["data"][0]["amount"], "-0.01");
        assert_eq!(page["data"][1]["note"], "refund of a duplicate top-up");
        let next = page["next_before"].as_str().expect("another page");
        let rest = ok(
            &server,
            Method::GET,
            &format!("{path}/ledger?before={next}"),
            None,
        )
        .await;
        assert_eq!(rest["data"].as_array().unwrap().len(), 1);
        assert_eq!(rest["data"][0]["kind"], "top_up");
        assert_eq!(rest["data"][0]["note"], "wire 4411");
        assert!(rest["next_before"].is_null());
        assert_eq!(shop.hooks.rejected(), 0);
    }
}

#[tokio::test]
async fn the_worker_warns_when_delivered_charges_cross_the_threshold() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let shop = server.business("Charged Shop", "+4915112340002").await;
        let path = account_path(&shop);
        let ada = server.register("+4915112349998", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let mut ws = ada.ws(0).await;
        let (status, t) = shop
            .api(
                Method::POST,
                &format!("/v23.0/{}/message_templates", shop.waba_id),
                Some(
                    json!({"name": "promo", "language": "en_US", "category": "MARKETING",
                    "components": [{"type": "BODY", "text": "Spring sale"}]}),
                ),
            )
            .await;
        assert_eq!(status, 200, "{t}");
        ok(
            &server,
            Method::POST,
            &format!("/admin/v1/templates/{}/review", t["id"].as_str().unwrap()),
            Some(json!({"status": "APPROVED"})),
        )
        .await;
        // Prepaid 0.50 with a warning below 0.30: fine until two German marketing templates
        // (0.1365 each) are delivered.
        ok(
            &server,
            Method::POST,
            &format!("{path}/top-ups"),
            Some(json!({"amount": "0.50"})),
        )
        .await;
        ok(
            &server,
            Method::PATCH,
            &path,
            Some(json!({"credit_limit": 0, "low_balance_threshold": 30})),
        )
        .await;
        for _ in 0..2 {
            let (status, r) = shop
                .send(
                    json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "template",
                    "template": {"name": "promo", "language": {"code": "en_US"}}}),
                )
                .await;
            assert_eq!(status, 200, "{r}");
            let wamid = r["messages"][0]["id"].as_str().unwrap().to_string();
            assert!(low_balance_hooks(&shop).is_empty(), "not before delivery");
            ws.send(
                json!({"op": "receipt", "chat_id": chat, "status": "delivered", "ids": [wamid]}),
            )
            .await;
            shop.hooks.status(&wamid, "delivered").await;
        }
        // The delivery commit wrote the charges; the worker finds them on its next pass.
        let hook = shop
            .hooks
            .wait_for("the worker's warning", 15, |v| v["event"] == "LOW_BALANCE")
            .await;
        let balance = hook["balance_info"]["balance_micros"].as_i64().unwrap();
        assert!((0..300_000).contains(&balance), "{hook}");
        assert_eq!(hook["balance_info"]["threshold"], "0.30");
        assert!(hook["metadata"]["phone_number_id"].is_string());
        let acct = ok(&server, Method::GET, &path, None).await;
        assert!(acct["low_balance"].is_object(), "{acct}");
        assert_eq!(acct["balance_micros"], balance);
        // Restarting changes nothing: the mark is stored, no second warning.
        let server = server.restart().await;
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(low_balance_hooks(&shop).len(), 1);
        let acct = ok(&server, Method::GET, &path, None).await;
        assert!(acct["low_balance"].is_object(), "{acct}");
    }
}

#[tokio::test]
async fn seeded_charges_are_checked_at_once() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let shop = server.business("Seeded Shop", "+4915112340006").await;
        let path = account_path(&shop);
        ok(
            &server,
            Method::POST,
            &format!("{path}/top-ups"),
            Some(json!({"amount": "5"})),
        )
        .await;
        ok(
            &server,
            Method::PATCH,
            &path,
            Some(json!({"credit_limit": "1.00", "low_balance_threshold": 300})),
        )
        .await;
        assert!(low_balance_hooks(&shop).is_empty());
        // 6.00 available − 3.50 of charges < 3.00.
        let now = server.app.now();
        let seeded = [
            charge(&server, &shop, 2_000_000, now),
            charge(&server, &shop, 1_500_000, now),
        ];
        server.app.billing.append_ledger(&seeded).await.unwrap();
        let acct = ok(&server, Method::GET, &path, None).await;
        assert!(acct["low_balance"].is_object(), "{acct}");
        let hook = shop
            .hooks
            .wait_for("the warning", 10, |v| v["event"] == "LOW_BALANCE")
            .await;
        assert_eq!(hook["balance_info"]["balance_micros"], 1_500_000);
        assert_eq!(hook["balance_info"]["available_micros"], 2_500_000);
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let shop = server.business("Careful Shop", "+4915112340003").await;
        let path = account_path(&shop);
        ok(
            &server,
            Method::POST,
            &format!("{path}/top-ups"),
            Some(json!({"amount": "10.00"})),
        )
        .await;
        let before = ok(&server, Method::GET, &path, None).await;
        let cases = [
            ("top-ups", json!({"amount": 12.5}), "amount"),
            ("top-ups", json!({"amount": "12.3456789"}), "amount"),
            ("top-ups", json!({"amount": "1e3"}), "amount"),
            ("top-ups", json!({"amount": "-5"}), "amount"),
            ("top-ups", json!({"amount": 0}), "amount"),
            ("top-ups", json!({"amount": "ten"}), "amount"),
            ("adjustments", json!({"amount": "0.00"}), "amount"),
            (
                "adjustments",
                json!({"amount": 1, "note": "x".repeat(501)}),
                "note",
            ),
            ("top-ups", json!({"note": "no amount"}), "amount"),
        ];
        for (kind, body, field) in cases {
            let (status, v) = server
                .admin(Method::POST, &format!("{path}/{kind}"), Some(body.clone()))
                .await;
            assert_eq!(status, 400, "{body}: {v}");
            let msg = v["error"]["message"].as_str().unwrap_or_default();
            assert!(msg.contains(field), "{body}: {msg}");
        }
        for (body, field) in [
            (json!({"credit_limit": "-1"}), "credit_limit"),
            (json!({"credit_limit": 1.5}), "credit_limit"),
            (
                json!({"low_balance_threshold": "abc"}),
                "low_balance_threshold",
            ),
            (json!({"timezone": "Mars/Olympus"}), "timezone"),
            (json!({"currency": "EUR"}), "currency"),
        ] {
            let (status, v) = server.admin(Method::PATCH, &path, Some(body.clone())).await;
            assert_eq!(status, 400, "{body}: {v}");
            let msg = v["error"]["message"].as_str().unwrap_or_default();
            assert!(msg.contains(field), "{body}: {msg}");
        }
        for bad in [
            "/admin/v1/billing/accounts/999999999",
            "/admin/v1/billing/accounts/nope/ledger",
            "/admin/v1/billing/accounts/999999999/invoices/2026-07",
        ] {
            let (status, v) = server.admin(Method::GET, bad, None).await;
            assert_eq!(status, 404, "{bad}: {v}");
            assert!(v["error"]["message"].is_string());
        }
        let (status, _) = server
            .admin(
                Method::POST,
                "/admin/v1/billing/accounts/999999999/top-ups",
                Some(json!({"amount": 100})),
            )
            .await;
        assert_eq!(status, 404);
        let (status, v) = server
            .admin(Method::GET, &format!("{path}/invoices/2026-13"), None)
            .await;
        assert_eq!(status, 400);
        assert!(v["error"]["message"].as_str().unwrap().contains("month"));
        // Not the operator: the business's own token, or none.
        let http = reqwest::Client::new();
        for token in [Some(shop.token.as_str()), None] {
            let mut req = http
                .post(format!("{}{path}/top-ups", server.url))
                .json(&json!({"amount": 100000}));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status().as_u16(), 401);
        }
        let after = ok(&server, Method::GET, &path, None).await;
        assert_eq!(before, after);
        let page = ok(&server, Method::GET, &format!("{path}/ledger"), None).await;
        assert_eq!(page["data"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_console_shows_a_business_its_own_account_only() {
    for db in Db::all() {
        let server = TestServer::start_on(db).await;
        let alpha = server.business("Alpha", "+4915112340004").await;
        let bravo = server.business("Bravo", "+4915112340005").await;
        ok(
            &server,
            Method::PATCH,
            &account_path(&alpha),
            Some(json!({"credit_limit": 0, "low_balance_threshold": "1"})),
        )
        .await;
        ok(
            &server,
            Method::POST,
            &format!("{}/adjustments", account_path(&alpha)),
            Some(json!({"amount": "0.25", "note": "alpha only"})),
        )
        .await;
        let a_admin = server.agent(&alpha, "admin@alpha.example", "admin").await;
        let a_agent = server.agent(&alpha, "agent@alpha.example", "agent").await;
        let b_admin = server.agent(&bravo, "admin@bravo.example", "admin").await;

        let mine = a_admin.get("/console/v1/billing/account").await;
        assert_eq!(mine["waba_id"], alpha.waba_id.as_str());
        assert_eq!(mine["balance"], "0.25");
        assert!(mine["low_balance"]["message"]
            .as_str()
            .unwrap()
            .contains("0.25 USD"));
        let ledger = a_admin.get("/console/v1/billing/ledger").await;
        assert_eq!(ledger["data"][0]["note"], "alpha only");

        // Bravo's admin sees Bravo's own, empty account and nothing of Alpha's.
        let theirs = b_admin.get("/console/v1/billing/account").await;
        assert_eq!(theirs["waba_id"], bravo.waba_id.as_str());
        assert_eq!(theirs["balance_micros"], 0);
        assert!(theirs["low_balance"].is_null());
        let ledger = b_admin.get("/console/v1/billing/ledger").await;
        assert_eq!(ledger["data"], json!([]));
        let invoice = b_admin.get("/console/v1/billing/invoices/current").await;
        assert_eq!(invoice["waba_id"], bravo.waba_id.as_str());
        assert!(!invoice.to_string().contains("alpha only"));

        // Agents who are not admins get nothing.
        for path in [
            "/console/v1/billing/account",
            "/console/v1/billing/ledger",
            "/console/v1/billing/invoices/current",
            "/console/v1/billing/invoices/current/csv",
            "/console/v1/billing/invoices/current/html",
        ] {
            let (status, v) = a_agent.call(Method::GET, path, None).await;
            assert_eq!(status, 403, "{path}: {v}");
        }
        let (status, _) = a_admin
            .call(Method::GET, "/console/v1/billing/ledger?limit=0", None)
            .await;
        assert_eq!(status, 400);
    }
}
