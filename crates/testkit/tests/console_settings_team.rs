//! The team, templates and integrations in the business console, end to end: an admin changes
//! agents' roles and deactivates them (a deactivated agent's sessions and password stop
//! working), creates templates and sees their review status and rejection reason, and
//! manages the apps' webhook URLs. Each endpoint refuses what the API refuses and changes
//! nothing then; agents cannot change agents, templates or apps (nor read apps); another
//! business's agents reach none of it.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer, WebhookReceiver};

fn message(v: &Value) -> String {
    v["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn admins_change_roles_and_deactivate_agents() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6401").await;
        let other = s.business("Bravo", "+1 650 555 6402").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let kim = s.agent(&shop, "kim@acme.example", "agent").await;
        let rival = s.agent(&other, "boss@bravo.example", "admin").await;
        let sam_path = format!("/console/v1/agents/{}", sam.id);

        let v = boss.patch(&sam_path, json!({"role": "admin"})).await;
        assert_eq!(
            (v["role"].as_str(), v["status"].as_str()),
            (Some("admin"), Some("active"))
        );
        let v = boss.patch(&sam_path, json!({"role": "agent"})).await;
        assert_eq!(v["role"], "agent");
        for (bad, field) in [
            (json!({"role": "owner"}), "role"),
            (json!({}), "role"),
            (json!({"role": "agent", "extra": 1}), "extra"),
        ] {
            let (status, v) = boss.call(Method::PATCH, &sam_path, Some(bad.clone())).await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(message(&v).contains(field), "{bad} → {v}");
        }
        // An admin cannot lock themselves out.
        let (status, v) = boss
            .call(
                Method::PATCH,
                &format!("/console/v1/agents/{}", boss.id),
                Some(json!({"active": false})),
            )
            .await;
        assert_eq!(status, 400, "{v}");
        // Agents cannot change agents; another business cannot name ours.
        let (status, _) = sam
            .call(
                Method::PATCH,
                &format!("/console/v1/agents/{}", kim.id),
                Some(json!({"role": "admin"})),
            )
            .await;
        assert_eq!(status, 403);
        let (status, _) = rival
            .call(Method::PATCH, &sam_path, Some(json!({"active": false})))
            .await;
        assert_eq!(status, 404);
        let (status, _) = sam
            .call(
                Method::POST,
                "/console/v1/agents",
                Some(json!({"email": "x@acme.example", "name": "X"})),
            )
            .await;
        assert_eq!(status, 403);
        let listed = boss.get("/console/v1/agents").await;
        let sam_row = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == sam.id.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (sam_row["role"].as_str(), sam_row["status"].as_str()),
            (Some("agent"), Some("active"))
        );

        // Deactivation ends the sessions and the password.
        let v = boss.patch(&sam_path, json!({"active": false})).await;
        assert_eq!(
            (v["status"].as_str(), v["active"].as_bool()),
            (Some("deactivated"), Some(false))
        );
        let (status, _) = sam.call(Method::GET, "/console/v1/me", None).await;
        assert_eq!(status, 401);
        let resp = reqwest::Client::new()
            .post(format!("{}/console/v1/auth/sign-in", s.url))
            .json(&json!({"email": "sam@acme.example", "password": "correct horse battery"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        let (status, v) = boss
            .call(Method::PATCH, &sam_path, Some(json!({"active": true})))
            .await;
        assert_eq!(status, 400, "{v}");
        // An invited agent who has not accepted shows as invited.
        let invite = boss
            .post(
                "/console/v1/agents",
                json!({"email": "new@acme.example", "name": "New"}),
            )
            .await;
        assert_eq!(invite["agent"]["status"], "invited");
        kim.get("/console/v1/me").await;
    }
}

#[tokio::test]
async fn templates_are_created_and_their_review_is_shown() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6501").await;
        let other = s.business("Bravo", "+1 650 555 6502").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let rival = s.agent(&other, "boss@bravo.example", "admin").await;
        let body = |name: &str| {
            json!({"name": name, "language": "en_US", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Your order {{1}} has shipped",
                            "example": {"body_text": [["A-1"]]}}]})
        };
        let t = boss
            .post("/console/v1/templates", body("order_shipped"))
            .await;
        assert_eq!(t["status"], "PENDING", "{t}");
        let id = t["id"].as_str().unwrap().to_string();
        for (bad, field) in [
            (body("Order Shipped"), "name"),
            (
                json!({"name": "x", "language": "en_US", "category": "SPAM", "components": []}),
                "category",
            ),
            (
                json!({"name": "x", "language": "e", "category": "UTILITY", "components": []}),
                "language",
            ),
        ] {
            let (status, v) = boss
                .call(Method::POST, "/console/v1/templates", Some(bad.clone()))
                .await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(message(&v).contains(field), "{bad} → {v}");
        }
        let (status, _) = sam
            .call(
                Method::POST,
                "/console/v1/templates",
                Some(body("from_sam")),
            )
            .await;
        assert_eq!(status, 403);
        let list = sam.get("/console/v1/templates").await;
        assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");

        // The operator rejects it: the console shows the status and the reason.
        let (status, v) = s
            .admin(
                Method::POST,
                &format!("/admin/v1/templates/{id}/review"),
                Some(json!({"status": "REJECTED", "reason": "INVALID_FORMAT"})),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let list = boss.get("/console/v1/templates").await;
        assert_eq!(list["data"][0]["status"], "REJECTED");
        assert_eq!(list["data"][0]["rejected_reason"], "INVALID_FORMAT");

        // Another business sees none of them.
        let theirs = rival.get("/console/v1/templates").await;
        assert_eq!(theirs["data"], json!([]));
        let (status, _) = rival
            .call(
                Method::POST,
                "/console/v1/templates",
                Some(body("order_shipped")),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            boss.get("/console/v1/templates").await["data"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn admins_manage_apps_and_webhook_urls() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6601").await;
        let other = s.business("Bravo", "+1 650 555 6602").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let sam = s.agent(&shop, "sam@acme.example", "agent").await;
        let rival = s.agent(&other, "boss@bravo.example", "admin").await;
        let apps = boss.get("/console/v1/apps").await;
        assert_eq!(apps["data"][0]["id"], shop.app_id.as_str());
        assert!(apps["data"][0]["app_secret"].is_null());
        let (status, _) = sam.call(Method::GET, "/console/v1/apps", None).await;
        assert_eq!(status, 403);

        let path = format!("/console/v1/apps/{}", shop.app_id);
        let before = shop.hooks.url.clone();
        for (bad, field) in [
            (json!({"webhook_url": "not a url"}), "webhook_url"),
            (
                json!({"webhook_url": before, "verify_token": ""}),
                "verify_token",
            ),
        ] {
            let (status, v) = boss.call(Method::PATCH, &path, Some(bad.clone())).await;
            assert_eq!(status, 400, "{bad} → {v}");
            assert!(message(&v).contains(field), "{bad} → {v}");
        }
        // A receiver that fails the handshake is refused too.
        let wrong = WebhookReceiver::start("another-token").await;
        let (status, v) = boss
            .call(
                Method::PATCH,
                &path,
                Some(json!({"webhook_url": wrong.url})),
            )
            .await;
        assert_eq!(status / 100, 4, "{v}");
        assert_eq!(
            boss.get("/console/v1/apps").await["data"][0]["webhook_url"],
            before.as_str()
        );

        let (status, _) = sam
            .call(
                Method::PATCH,
                &path,
                Some(json!({"webhook_url": wrong.url, "verify_token": "another-token"})),
            )
            .await;
        assert_eq!(status, 403);
        let (status, _) = rival
            .call(
                Method::PATCH,
                &path,
                Some(json!({"webhook_url": wrong.url, "verify_token": "another-token"})),
            )
            .await;
        assert_eq!(status, 404);
        let v = boss
            .patch(
                &path,
                json!({"webhook_url": wrong.url, "verify_token": "another-token"}),
            )
            .await;
        assert_eq!(v["webhook_url"], wrong.url.as_str());
        assert!(rival
            .get("/console/v1/apps")
            .await
            .to_string()
            .find(&shop.app_id)
            .is_none());

        // A new app: its secret is shown once.
        let created = boss
            .post(
                "/console/v1/apps",
                json!({"webhook_url": before, "verify_token": "verify-me"}),
            )
            .await;
        assert_eq!(created["app_secret"].as_str().map(str::len), Some(32));
        assert_eq!(
            boss.get("/console/v1/apps").await["data"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let (status, _) = sam
            .call(
                Method::POST,
                "/console/v1/apps",
                Some(json!({"webhook_url": before, "verify_token": "verify-me"})),
            )
            .await;
        assert_eq!(status, 403);
    }
}
