//! The audit log: what the operator, console agents and business tokens change is recorded
//! with who, what, when and from where (and message sends are not); the operator reads every
//! tenant's entries, a business admin only their own business's, an agent none; old entries
//! are purged on the clock.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer};

const DAY_MS: i64 = 86_400_000;

/// A call with a user agent of the test's choosing; returns status and body.
async fn call(
    s: &TestServer,
    token: &str,
    ua: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", s.url))
        .bearer_auth(token)
        .header("user-agent", ua);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

fn entries(page: &Value) -> Vec<Value> {
    page["data"].as_array().cloned().unwrap_or_default()
}

/// The newest entry of `route` with `method` by an actor of `kind`.
fn find<'a>(log: &'a [Value], kind: &str, method: &str, route: &str) -> &'a Value {
    let found: Vec<&Value> = log
        .iter()
        .filter(|e| e["actor"]["kind"] == kind && e["method"] == method && e["route"] == route)
        .collect();
    assert!(!found.is_empty(), "{kind} {method} {route} in {log:#?}");
    found[0]
}

#[tokio::test]
async fn operator_admin_and_token_actions_are_recorded_and_read_per_tenant() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        let shop = s.business("Acme", "+1 650 555 7101").await;
        let rival = s.business("Rival", "+1 650 555 7102").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let clerk = s.agent(&shop, "clerk@acme.example", "agent").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;
        let ada = s.register("+44 7911 127101", "Ada").await;
        let started = s.app.now();

        // The operator, through the admin API.
        let (status, label) = call(
            &s,
            &s.operator_token,
            "audit-test-operator/1.0",
            Method::POST,
            &format!("/admin/v1/businesses/{}/labels", shop.waba_id),
            Some(json!({"name": "Operator label", "color": "#112233"})),
        )
        .await;
        assert_eq!(status, 200, "{label}");
        // A business admin, through the console.
        let (status, vip) = call(
            &s,
            &boss.token,
            "audit-test-console/2.0",
            Method::POST,
            "/console/v1/labels",
            Some(json!({"name": "VIP", "color": "#aa00ff"})),
        )
        .await;
        assert_eq!(status, 200, "{vip}");
        let vip = vip["id"].as_str().unwrap().to_string();
        // An agent: a refused change is recorded with its outcome.
        let (status, _) = call(
            &s,
            &clerk.token,
            "audit-test-clerk",
            Method::DELETE,
            &format!("/console/v1/labels/{vip}"),
            None,
        )
        .await;
        assert_eq!(status, 403);
        // The business's token, through the Cloud API: a template and the profile.
        let (status, template) = call(
            &s,
            &shop.token,
            "audit-test-sdk",
            Method::POST,
            &format!("/v23.0/{}/message_templates", shop.waba_id),
            Some(
                json!({"name": "audit_check", "language": "en_US", "category": "UTILITY",
                        "components": [{"type": "BODY", "text": "Hello"}]}),
            ),
        )
        .await;
        assert_eq!(status, 200, "{template}");
        let template_id = template["id"].as_str().unwrap().to_string();
        let (status, _) = call(
            &s,
            &shop.token,
            "audit-test-sdk",
            Method::POST,
            &format!("/v23.0/{}/whatsapp_business_profile", shop.phone_number_id),
            Some(json!({"messaging_product": "whatsapp", "about": "Audited"})),
        )
        .await;
        assert_eq!(status, 200);
        // A message send and a console reply are conversation traffic, not audited.
        shop.send_text(&ada.wa_id, "Hello Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "Hi").await;
        let inbox = boss.get("/console/v1/inbox").await;
        let inbox_chat = inbox["data"][0]["chat_id"].as_str().unwrap().to_string();
        boss.post(
            &format!("/console/v1/chats/{inbox_chat}/messages"),
            json!({"type": "text", "text": {"body": "Hello from the team"}}),
        )
        .await;
        // The rival's token reaching for this business's template: refused, and recorded
        // as the rival's own action.
        let (status, _) = rival
            .api(
                Method::DELETE,
                &format!("/v23.0/{}/message_templates?name=audit_check", shop.waba_id),
                None,
            )
            .await;
        assert!(status >= 400, "{status}");

        // The operator reads this business's log.
        let (status, page) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/audit?waba_id={}&limit=200", shop.waba_id),
                None,
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let log = entries(&page);
        assert!(log.iter().all(|e| e["waba_id"] == shop.waba_id.as_str()));
        let op = find(&log, "operator", "POST", "/admin/v1/businesses/{id}/labels");
        assert_eq!(op["status"], 200);
        assert_eq!(op["actor"]["id"], Value::Null);
        assert_eq!(op["client_address"], "127.0.0.1");
        assert_eq!(op["user_agent"], "audit-test-operator/1.0");
        let target = op["target"].as_str().unwrap();
        assert!(target.contains(&format!("id={}", shop.waba_id)), "{target}");
        assert!(target.contains("created="), "{target}");
        let at = op["at"].as_i64().unwrap();
        assert!(at >= started && at <= s.app.now(), "{at}");
        // The operator's setup of the business is there too, under its WABA.
        find(&log, "operator", "POST", "/admin/v1/businesses/{id}/agents");
        find(&log, "operator", "POST", "/admin/v1/apps");

        let by_boss = find(&log, "agent", "POST", "/console/v1/labels");
        assert_eq!(by_boss["actor"]["id"], boss.id.as_str());
        assert_eq!(by_boss["actor"]["email"], "boss@acme.example");
        assert_eq!(by_boss["user_agent"], "audit-test-console/2.0");
        assert_eq!(by_boss["client_address"], "127.0.0.1");
        assert_eq!(by_boss["target"], format!("created={vip}"));
        let by_clerk = find(&log, "agent", "DELETE", "/console/v1/labels/{id}");
        assert_eq!(by_clerk["actor"]["email"], "clerk@acme.example");
        assert_eq!(by_clerk["status"], 403);
        assert_eq!(by_clerk["target"], format!("id={vip}"));

        let created = find(
            &log,
            "business_token",
            "POST",
            "/{version}/{waba_id}/message_templates",
        );
        assert_eq!(created["actor"]["id"], shop.waba_id.as_str());
        assert_eq!(created["status"], 200);
        assert_eq!(
            created["target"],
            format!("waba_id={} created={template_id}", shop.waba_id)
        );
        assert_eq!(created["user_agent"], "audit-test-sdk");
        find(
            &log,
            "business_token",
            "POST",
            "/{version}/{phone_number_id}/whatsapp_business_profile",
        );
        assert!(
            !log.iter().any(|e| {
                let route = e["route"].as_str().unwrap_or_default();
                route.ends_with("/messages") || route.ends_with("/read")
            }),
            "sends and reads are not audited: {log:#?}"
        );

        // The rival's refused reach is in the rival's log, not this business's.
        let (_, rival_page) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/audit?waba_id={}", rival.waba_id),
                None,
            )
            .await;
        let rival_log = entries(&rival_page);
        let refused = find(
            &rival_log,
            "business_token",
            "DELETE",
            "/{version}/{waba_id}/message_templates",
        );
        assert!(refused["status"].as_u64().unwrap() >= 400);
        assert_eq!(
            refused["target"],
            format!("waba_id={}", shop.waba_id),
            "the entry names what was reached for"
        );

        // The business admin reads their business's log, the operator's actions included.
        let (status, mine) = boss.call(Method::GET, "/console/v1/audit", None).await;
        assert_eq!(status, 200, "{mine}");
        let mine = entries(&mine);
        find(&mine, "agent", "POST", "/console/v1/labels");
        find(
            &mine,
            "operator",
            "POST",
            "/admin/v1/businesses/{id}/labels",
        );
        assert!(mine.iter().all(|e| e["waba_id"] == shop.waba_id.as_str()));
        // Another business's admin sees none of it.
        let (status, theirs) = other.call(Method::GET, "/console/v1/audit", None).await;
        assert_eq!(status, 200, "{theirs}");
        let theirs = entries(&theirs);
        assert!(!theirs.is_empty());
        assert!(
            theirs
                .iter()
                .all(|e| e["waba_id"] == rival.waba_id.as_str()),
            "{theirs:#?}"
        );
        assert!(!theirs.iter().any(|e| e["route"] == "/console/v1/labels"));
        // An agent who is not an admin sees nothing.
        let (status, refused) = clerk.call(Method::GET, "/console/v1/audit", None).await;
        assert_eq!(
            (status, refused["error"]["code"].as_str()),
            (403, Some("forbidden"))
        );
        // Nobody else reads the operator's view.
        let (status, _) = call(&s, &shop.token, "x", Method::GET, "/admin/v1/audit", None).await;
        assert_eq!(status, 401);

        // Pages go back through the log; bad parameters are refused in the API's format.
        let (_, first) = s.admin(Method::GET, "/admin/v1/audit?limit=2", None).await;
        assert_eq!(entries(&first).len(), 2);
        let next = first["next_before"].as_str().unwrap().to_string();
        let (_, second) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/audit?limit=2&before={next}"),
                None,
            )
            .await;
        let (a, b) = (entries(&first), entries(&second));
        assert!(b[0]["id"].as_str().unwrap().parse::<i64>().unwrap() < next.parse().unwrap());
        assert_ne!(a[1]["id"], b[0]["id"]);
        for bad in ["limit=0", "limit=abc", "before=abc", "waba_id=x"] {
            let (status, err) = s
                .admin(Method::GET, &format!("/admin/v1/audit?{bad}"), None)
                .await;
            assert_eq!(
                (status, err["error"]["code"].as_str()),
                (400, Some("bad_request")),
                "{bad}: {err}"
            );
        }
        let (status, err) = boss
            .call(Method::GET, "/console/v1/audit?limit=500", None)
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (400, Some("bad_request"))
        );
        eprintln!("audit log checked on {db:?}");
    }
}

#[tokio::test]
async fn entries_are_purged_after_the_retention_period_on_the_clock() {
    let s = TestServer::start_with(|c| c.audit.retention_days = 400).await;
    let shop = s.business("Acme", "+1 650 555 7201").await;
    let log = || async {
        let (status, page) = s
            .admin(
                Method::GET,
                &format!("/admin/v1/audit?waba_id={}&limit=200", shop.waba_id),
                None,
            )
            .await;
        assert_eq!(status, 200, "{page}");
        entries(&page)
    };
    let old = log().await.len();
    assert!(old >= 2, "the business's setup is recorded");

    // 399 days on, nothing is old enough.
    s.clock.advance_ms(399 * DAY_MS);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(log().await.len(), old);
    // A newer entry, then two more days: the setup goes, the newer entry stays.
    let (status, _) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/businesses/{}/auto-approve", shop.waba_id),
            Some(json!({"enabled": true})),
        )
        .await;
    assert!(status < 500);
    s.clock.advance_ms(2 * DAY_MS);
    for _ in 0..100 {
        let now = log().await;
        if now.len() == 1 {
            assert_eq!(now[0]["route"], "/admin/v1/businesses/{id}/auto-approve");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("old entries were not purged: {:#?}", log().await);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_recorded() {
    let s = TestServer::start_with(|c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let shop = s.business("Acme", "+1 650 555 7301").await;
    let http = reqwest::Client::new();
    let (status, _) = http
        .post(format!(
            "{}/admin/v1/businesses/{}/auto-approve",
            s.url, shop.waba_id
        ))
        .bearer_auth(&s.operator_token)
        .header("x-forwarded-for", "198.51.100.23")
        .json(&json!({"enabled": true}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 200);
    let (_, page) = s
        .admin(
            Method::GET,
            &format!("/admin/v1/audit?waba_id={}", shop.waba_id),
            None,
        )
        .await;
    let log = entries(&page);
    let e = find(
        &log,
        "operator",
        "POST",
        "/admin/v1/businesses/{id}/auto-approve",
    );
    assert_eq!(e["client_address"], "198.51.100.23");
    // Calls straight from the proxy's own address are recorded as such.
    let setup = find(&log, "operator", "POST", "/admin/v1/apps");
    assert_eq!(setup["client_address"], "127.0.0.1");
}
