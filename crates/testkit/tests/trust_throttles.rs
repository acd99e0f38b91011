//! Throttles against guessing and abuse, end to end on SQLite and PostgreSQL: verification
//! code requests and wrong codes per number and per client address (behind trusted proxies,
//! by `X-Forwarded-For`), console passwords per agent and per address with alerts to the
//! WABA's admins, all with growing waits that a refusal states (`retry_after` and
//! `Retry-After`) and that neither burning a code nor a restart resets; and the Cloud API's
//! rate limits holding across a restart and across two nodes sharing PostgreSQL.

use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use wasla_testkit::{Business, Db, Person, TestServer};

/// An answer: status, the `Retry-After` header, the body.
struct Answer {
    status: u16,
    retry_header: Option<u64>,
    body: Value,
}

/// `secs` is `expected` less the little real time the test took meanwhile.
fn near(secs: u64, expected: u64) {
    assert!(
        (expected.saturating_sub(8)..=expected).contains(&secs),
        "waits {secs} s, expected about {expected} s"
    );
}

impl Answer {
    /// Refused for too many attempts, with the same wait in the body and the header.
    fn refused(&self) -> u64 {
        assert_eq!(self.status, 429, "{}", self.body);
        assert_eq!(self.body["error"]["code"], "rate_limited", "{}", self.body);
        let secs = self.body["error"]["retry_after"]
            .as_u64()
            .unwrap_or_else(|| panic!("no retry_after: {}", self.body));
        assert_eq!(self.retry_header, Some(secs), "Retry-After matches");
        secs
    }
}

/// POST JSON to `path`, as the client at `from` when given (`X-Forwarded-For`).
async fn post(s: &TestServer, path: &str, body: Value, from: Option<&str>) -> Answer {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", s.url))
        .json(&body);
    if let Some(ip) = from {
        req = req.header("x-forwarded-for", ip);
    }
    let resp = req.send().await.expect("request");
    let retry_header = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    Answer {
        status: resp.status().as_u16(),
        retry_header,
        body: resp.json().await.unwrap_or(Value::Null),
    }
}

async fn ask_code(s: &TestServer, phone: &str, from: Option<&str>) -> Answer {
    post(s, "/client/v1/auth/code", json!({ "phone": phone }), from).await
}

async fn verify(s: &TestServer, phone: &str, code: &str, from: Option<&str>) -> Answer {
    let body = json!({"phone": phone, "code": code, "device": "test"});
    post(s, "/client/v1/auth/verify", body, from).await
}

/// A six-digit code that is not `code`.
fn wrong(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// Ask for a code (expecting it to be sent) and return it.
async fn fresh_code(s: &TestServer, phone: &str, from: Option<&str>) -> String {
    s.clear_codes();
    let a = ask_code(s, phone, from).await;
    assert_eq!(a.status, 200, "code for {phone}: {}", a.body);
    s.wait_code(phone).await
}

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;

#[tokio::test]
async fn code_requests_wait_longer_each_time_and_burning_a_code_resets_nothing() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let phone = "+447911123450";
        let code = fresh_code(&s, phone, None).await;
        // Burn the code: five wrong guesses, and a sixth attempt that finds it burnt and
        // deletes it. A new code is still not sent at once.
        for _ in 0..5 {
            assert_eq!(verify(&s, phone, wrong(&code), None).await.status, 401);
        }
        assert_eq!(verify(&s, phone, &code, None).await.status, 401);
        let a = ask_code(&s, phone, None).await;
        near(a.refused(), 30);
        let message = a.body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("too many verification codes for this number; try again in "),
            "{message}"
        );
        // The waits grow: 30 s, then 1 min, then 5 min, then an hour.
        for (wait, next) in [(30, 60), (60, 300), (300, 3600)] {
            s.clock.advance_ms(wait * SECOND - 10 * SECOND);
            ask_code(&s, phone, None).await.refused();
            s.clock.advance_ms(10 * SECOND);
            assert_eq!(ask_code(&s, phone, None).await.status, 200);
            near(ask_code(&s, phone, None).await.refused(), next);
        }
        // Kept in the store: a restart forgets nothing.
        let s = s.restart().await;
        near(ask_code(&s, phone, None).await.refused(), 3600);
        // Another number is not held back by this one.
        fresh_code(&s, "+447911123451", None).await;
    }
}

#[tokio::test]
async fn wrong_codes_lock_the_number_across_codes() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let phone = "+447911123460";
        // Two codes' worth of wrong guesses pass as plain 401s.
        let code = fresh_code(&s, phone, None).await;
        for _ in 0..5 {
            assert_eq!(verify(&s, phone, wrong(&code), None).await.status, 401);
        }
        s.clock.advance_ms(30 * SECOND);
        let code = fresh_code(&s, phone, None).await;
        for _ in 0..5 {
            assert_eq!(verify(&s, phone, wrong(&code), None).await.status, 401);
        }
        // After ten wrong codes every further guess waits, longer each time, whatever code
        // is pending: a third code gets one guess after the minute, then five minutes.
        s.clock.advance_ms(MINUTE);
        let code = fresh_code(&s, phone, None).await;
        assert_eq!(verify(&s, phone, wrong(&code), None).await.status, 401);
        // Even the right code waits.
        near(verify(&s, phone, &code, None).await.refused(), 300);
        s.clock.advance_ms(5 * MINUTE);
        let a = verify(&s, phone, &code, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert!(a.body["token"].is_string());
        // Signing in cleared the number's counts: a new code comes at once.
        s.clock.advance_ms(SECOND);
        fresh_code(&s, phone, None).await;
    }
}

#[tokio::test]
async fn client_addresses_are_limited_across_numbers_behind_trusted_proxies() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db, |c| {
            c.trusted_proxies = vec!["127.0.0.1".into()];
        })
        .await;
        let (a, b) = (Some("198.51.100.7"), Some("203.0.113.9"));
        let number = |i: usize| format!("+4479111235{i:02}");
        // One address: twenty codes a day for any numbers, then it waits.
        let mut codes = vec![];
        for i in 0..20 {
            codes.push(fresh_code(&s, &number(i), a).await);
        }
        near(ask_code(&s, &number(20), a).await.refused(), 60);
        assert_eq!(
            ask_code(&s, &number(20), b).await.status,
            200,
            "b is another client"
        );
        // Thirty wrong codes from one address, across numbers: then even a right one waits,
        // while another address may still try it.
        for (i, code) in codes.iter().enumerate().take(6) {
            for _ in 0..5 {
                assert_eq!(verify(&s, &number(i), wrong(code), a).await.status, 401);
            }
        }
        near(verify(&s, &number(6), &codes[6], a).await.refused(), 60);
        let signed_in = verify(&s, &number(6), &codes[6], b).await;
        assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    }
}

/// An agent's console stream, read as Server-Sent Events until an item matches.
async fn stream_item(resp: &mut reqwest::Response, pred: impl Fn(&Value) -> bool) -> Value {
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let items = block.lines().filter_map(|l| l.strip_prefix("data: "));
            for v in items.filter_map(|d| serde_json::from_str::<Value>(d).ok()) {
                if pred(&v) {
                    return v;
                }
            }
        }
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .expect("a matching stream item within 10 s")
            .unwrap()
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn sign_in(s: &TestServer, email: &str, password: &str, from: Option<&str>) -> Answer {
    let body = json!({"email": email, "password": password});
    post(s, "/console/v1/auth/sign-in", body, from).await
}

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn console_passwords_are_throttled_and_admins_are_told() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let boss = s.agent(&shop, "boss@acme.test", "admin").await;
        let ann = s.agent(&shop, "ann@acme.test", "agent").await;
        let mut live = reqwest::Client::new()
            .get(format!("{}/console/v1/stream", s.url))
            .bearer_auth(&boss.token)
            .send()
            .await
            .unwrap();
        assert_eq!(live.status(), 200);

        for _ in 0..5 {
            assert_eq!(
                sign_in(&s, "ann@acme.test", "guess", None).await.status,
                401
            );
        }
        // Locked: even the right password waits, and the answer says how long.
        let a = sign_in(&s, "ann@acme.test", PASSWORD, None).await;
        near(a.refused(), 30);
        let message = a.body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("too many failed sign-ins for this account; try again in "),
            "{message}"
        );
        // The admins heard of it, live and in the list; agents may not read the list.
        let item = stream_item(&mut live, |v| v["type"] == "sign_in_alert").await;
        assert_eq!(item["agent_id"], ann.id.as_str());
        assert_eq!(item["failures"], 5);
        let alerts = boss.get("/console/v1/sign-in-alerts").await;
        let alert = &alerts["data"][0];
        assert_eq!(alert["email"], "ann@acme.test");
        assert_eq!(alert["failures"], 5);
        assert_eq!(alert["address"], "127.0.0.1");
        let (status, _) = ann
            .call(Method::GET, "/console/v1/sign-in-alerts", None)
            .await;
        assert_eq!(status, 403);

        // Growing: after the wait one more failure, then a minute.
        s.clock.advance_ms(30 * SECOND);
        assert_eq!(
            sign_in(&s, "ann@acme.test", "guess", None).await.status,
            401
        );
        near(
            sign_in(&s, "ann@acme.test", "guess", None).await.refused(),
            60,
        );
        // Kept in the store across a restart.
        let s = s.restart().await;
        sign_in(&s, "ann@acme.test", PASSWORD, None).await.refused();
        s.clock.advance_ms(MINUTE);
        let a = sign_in(&s, "ann@acme.test", PASSWORD, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        // Success cleared the agent's count: a failure now is a plain 401 again.
        for _ in 0..4 {
            assert_eq!(
                sign_in(&s, "ann@acme.test", "guess", None).await.status,
                401
            );
        }
    }
}

#[tokio::test]
async fn a_console_sign_in_does_not_reset_its_address() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db, |c| {
            c.trusted_proxies = vec!["127.0.0.1".into()];
        })
        .await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        s.agent(&shop, "ann@acme.test", "agent").await;
        let (a, b) = (Some("198.51.100.7"), Some("203.0.113.9"));
        // Nineteen failures from one address, across accounts (unknown ones count too).
        for i in 0..19 {
            let email = format!("nobody{i}@acme.test");
            assert_eq!(sign_in(&s, &email, "guess", a).await.status, 401);
        }
        // A right password from it works and takes nothing back from the address.
        assert_eq!(sign_in(&s, "ann@acme.test", PASSWORD, a).await.status, 200);
        assert_eq!(sign_in(&s, "x@acme.test", "guess", a).await.status, 401);
        near(
            sign_in(&s, "ann@acme.test", PASSWORD, a).await.refused(),
            60,
        );
        assert_eq!(sign_in(&s, "ann@acme.test", PASSWORD, b).await.status, 200);
    }
}

/// POST a text from `shop` to `to` through the server at `base`; returns status and body.
async fn cloud_send(base: &str, shop: &Business, to: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/v23.0/{}/messages", shop.phone_number_id))
        .bearer_auth(&shop.token)
        .json(&json!({"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": "update"}}))
        .send()
        .await
        .expect("send");
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

fn graph_code(v: &Value) -> Option<i64> {
    v["error"]["code"].as_i64()
}

/// A person who wrote to `shop`, so its customer service window is open.
async fn customer(s: &TestServer, shop: &Business, phone: &str) -> Person {
    let p = s.register(phone, "Ada").await;
    let chat = p.chat_with(&shop.wa_id).await;
    p.send_text(&chat, "hi").await;
    p
}

#[tokio::test]
async fn rate_limits_survive_a_restart() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db, |c| {
            c.limits.pair_burst = 3;
            c.limits.pair_interval_ms = 600_000;
        })
        .await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let ada = customer(&s, &shop, "+44 7911 123401").await;
        for _ in 0..3 {
            assert_eq!(cloud_send(&s.url, &shop, &ada.wa_id).await.0, 200);
        }
        let (status, err) = cloud_send(&s.url, &shop, &ada.wa_id).await;
        assert_eq!((status, graph_code(&err)), (400, Some(131056)), "{err}");
        // Stopped and started on the same database: the budget is still spent.
        let s = s.restart().await;
        let (status, err) = cloud_send(&s.url, &shop, &ada.wa_id).await;
        assert_eq!((status, graph_code(&err)), (400, Some(131056)), "{err}");
        // And refills with time as before.
        s.clock.advance_ms(600_000);
        assert_eq!(cloud_send(&s.url, &shop, &ada.wa_id).await.0, 200);
    }
}

#[tokio::test]
async fn two_nodes_share_one_rate_limit_budget() {
    let Some((a, b)) = TestServer::start_cluster_with(|c| {
        c.limits.pair_burst = 3;
        c.limits.pair_interval_ms = 600_000;
    })
    .await
    else {
        eprintln!("skipped: set WASLA_TEST_DATABASE_URL and WASLA_TEST_NATS_URL to test a cluster");
        return;
    };
    let shop = a.business("Acme", "+1 650 555 1234").await;
    let ada = customer(&a, &shop, "+44 7911 123401").await;
    // Node A spends two of the three, node B the third; then neither sends more.
    for _ in 0..2 {
        assert_eq!(cloud_send(&a.url, &shop, &ada.wa_id).await.0, 200);
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(cloud_send(&b.url, &shop, &ada.wa_id).await.0, 200);
    let (status, err) = cloud_send(&b.url, &shop, &ada.wa_id).await;
    assert_eq!((status, graph_code(&err)), (400, Some(131056)), "{err}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (status, err) = cloud_send(&a.url, &shop, &ada.wa_id).await;
    assert_eq!((status, graph_code(&err)), (400, Some(131056)), "{err}");
}
