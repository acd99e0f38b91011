//! The shared inbox end to end: agents invited by the operator and by a business admin, sign
//! in and out, the inbox with filters and unread counts (messages from the Cloud API
//! included), claim, transfer and state, replies and quick replies through the one send path
//! with status webhooks, notes, labels, the customer panel; and tenancy for every console
//! endpoint.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{Db, TestServer};

#[tokio::test]
async fn agents_handle_a_chat_from_claim_to_resolved() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 5001").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        // The admin invites an agent; the agent accepts with a password and can sign in again.
        let invite = boss
            .post(
                "/console/v1/agents",
                json!({"email": "Sam@Acme.example", "name": "Sam"}),
            )
            .await;
        assert_eq!(invite["agent"]["role"], "agent");
        let sam = s
            .accept_invite(invite["invite_token"].as_str().unwrap())
            .await;
        let http = reqwest::Client::new();
        let again = http
            .post(format!("{}/console/v1/auth/sign-in", s.url))
            .json(&json!({"email": "sam@acme.example", "password": "correct horse battery"}))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 200);
        let wrong = http
            .post(format!("{}/console/v1/auth/sign-in", s.url))
            .json(&json!({"email": "sam@acme.example", "password": "wrong password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        // The invite works once.
        let reuse = http
            .post(format!("{}/console/v1/auth/sign-in", s.url))
            .json(&json!({"invite_token": invite["invite_token"], "password": "another password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(reuse.status(), 401);
        let agents = boss.get("/console/v1/agents").await;
        assert_eq!(agents["data"].as_array().unwrap().len(), 2);
        assert_eq!(agents["data"][1]["online"], true);
        // Agents cannot invite.
        let (status, _) = sam
            .call(
                Method::POST,
                "/console/v1/agents",
                Some(json!({"email": "x@y.z", "name": "X"})),
            )
            .await;
        assert_eq!(status, 403);

        let ada = s.register("+44 7911 123405", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "Where is my order?").await;
        // The integration answers through the Cloud API at the same time.
        shop.send_text(&ada.wa_id, "Looking into it").await;
        ada.send_text(&chat, "Thanks").await;
        let inbox = sam.get("/console/v1/inbox").await;
        let row = &inbox["data"][0];
        assert_eq!(row["chat_id"], chat.as_str());
        assert_eq!(row["wa_id"], ada.wa_id.as_str());
        assert_eq!(row["name"], "Ada");
        assert_eq!(row["state"], "open");
        assert_eq!(row["unread"], 2);
        assert_eq!(row["last_message"], "Thanks");
        let history = sam.get(&format!("/console/v1/chats/{chat}/messages")).await;
        let texts: Vec<&str> = history["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"]["body"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["Where is my order?", "Looking into it", "Thanks"]);

        // Claim; a second claim by another agent fails; the admin may transfer.
        sam.patch(
            &format!("/console/v1/chats/{chat}"),
            json!({"assignee_id": sam.id}),
        )
        .await;
        let (status, _) = boss
            .call(
                Method::PATCH,
                &format!("/console/v1/chats/{chat}"),
                Some(json!({"assignee_id": boss.id})),
            )
            .await;
        assert_eq!(status, 200, "admins reassign");
        let (status, v) = sam
            .call(
                Method::PATCH,
                &format!("/console/v1/chats/{chat}"),
                Some(json!({"assignee_id": sam.id})),
            )
            .await;
        assert_eq!(status, 409, "{v}");
        boss.patch(
            &format!("/console/v1/chats/{chat}"),
            json!({"assignee_id": sam.id}),
        )
        .await;
        let mine = sam.get("/console/v1/inbox?assignee=me").await;
        assert_eq!(mine["data"].as_array().unwrap().len(), 1);
        let none = sam.get("/console/v1/inbox?assignee=none").await;
        assert!(none["data"].as_array().unwrap().is_empty());

        // Labels and a quick reply, managed by the admin.
        let label = boss
            .post(
                "/console/v1/labels",
                json!({"name": "VIP", "color": "#FFAA00"}),
            )
            .await;
        assert_eq!(label["color"], "#ffaa00");
        let lid = label["id"].as_str().unwrap();
        let (status, _) = sam
            .call(
                Method::PUT,
                &format!("/console/v1/chats/{chat}/labels/{lid}"),
                None,
            )
            .await;
        assert_eq!(status, 200);
        let vip = sam.get(&format!("/console/v1/inbox?label={lid}")).await;
        assert_eq!(vip["data"][0]["labels"][0], lid);
        let searched = sam.get("/console/v1/inbox?q=ad").await;
        assert_eq!(searched["data"].as_array().unwrap().len(), 1);
        let qr = boss
            .post(
                "/console/v1/quick-replies",
                json!({"shortcut": "/thanks", "body": "Thank you, {{name}}!"}),
            )
            .await;
        assert_eq!(qr["shortcut"], "thanks");
        let listed = sam.get("/console/v1/quick-replies").await;
        assert_eq!(listed["data"][0]["shortcut"], "thanks");

        // Replies as the business number: statuses and webhooks as for API sends.
        let mut ada_ws = ada.ws(0).await;
        let sent = sam
            .post(
                &format!("/console/v1/chats/{chat}/messages"),
                json!({"type": "text", "text": {"body": "It ships today"}}),
            )
            .await;
        let wamid = sent["id"].as_str().unwrap().to_string();
        assert_eq!(sent["from"], shop.wa_id.as_str());
        shop.hooks.status(&wamid, "sent").await;
        let quick = sam
            .post(
                &format!("/console/v1/chats/{chat}/messages"),
                json!({"quick_reply_id": qr["id"]}),
            )
            .await;
        assert_eq!(quick["text"]["body"], "Thank you, Ada!");
        ada_ws
            .expect("the quick reply", |f| {
                f["event"]["message"]["text"]["body"] == "Thank you, Ada!"
            })
            .await;
        sam.post(&format!("/console/v1/chats/{chat}/read"), json!({}))
            .await;
        let inbox = sam.get("/console/v1/inbox").await;
        assert_eq!(inbox["data"][0]["unread"], 0);

        // Notes stay internal; state moves to resolved.
        sam.post(
            &format!("/console/v1/chats/{chat}/notes"),
            json!({"body": "Refund if late"}),
        )
        .await;
        let notes = boss.get(&format!("/console/v1/chats/{chat}/notes")).await;
        assert_eq!(notes["data"][0]["body"], "Refund if late");
        let (status, _) = sam
            .call(
                Method::PATCH,
                &format!("/console/v1/chats/{chat}"),
                Some(json!({"state": "closed"})),
            )
            .await;
        assert_eq!(status, 400);
        sam.patch(
            &format!("/console/v1/chats/{chat}"),
            json!({"state": "resolved"}),
        )
        .await;
        let customer = sam.get(&format!("/console/v1/chats/{chat}/customer")).await;
        assert_eq!(customer["state"], "resolved");
        assert_eq!(customer["labels"][0], lid);
        assert_eq!(customer["orders"], serde_json::json!([]));
        let resolved = sam.get("/console/v1/inbox?state=resolved").await;
        assert_eq!(resolved["data"].as_array().unwrap().len(), 1);
        let person_history = ada
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap();
        assert!(!person_history.to_string().contains("Refund if late"));

        // Signed out: the token no longer works.
        sam.post("/console/v1/auth/sign-out", json!({})).await;
        let (status, _) = sam.call(Method::GET, "/console/v1/inbox", None).await;
        assert_eq!(status, 401);
    }
}

#[tokio::test]
async fn console_endpoints_are_tenant_scoped() {
    let s = TestServer::start().await;
    let a = s.business("A", "+1 650 555 6001").await;
    let b = s.business("B", "+1 650 555 6002").await;
    let a_admin = s.agent(&a, "boss@a.example", "admin").await;
    let b_admin = s.agent(&b, "boss@b.example", "admin").await;
    let ada = s.register("+44 7911 123406", "Ada").await;
    let chat = ada.chat_with(&a.wa_id).await;
    ada.send_text(&chat, "Hello A").await;
    let label = a_admin
        .post(
            "/console/v1/labels",
            json!({"name": "A-only", "color": "#00ff00"}),
        )
        .await;
    let lid = label["id"].as_str().unwrap().to_string();
    let quick = a_admin
        .post(
            "/console/v1/quick-replies",
            json!({"shortcut": "hi", "body": "Hi"}),
        )
        .await;
    let qid = quick["id"].as_str().unwrap().to_string();
    let (_, qr) = a
        .api(
            Method::POST,
            &format!("/v23.0/{}/message_qrdls", a.phone_number_id),
            Some(json!({"prefilled_message": "A"})),
        )
        .await;
    let code = qr["code"].as_str().unwrap().to_string();

    // B's admin sees nothing of A and changes nothing.
    assert!(b_admin.get("/console/v1/inbox").await["data"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(b_admin.get("/console/v1/labels").await["data"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(b_admin.get("/console/v1/quick-replies").await["data"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        b_admin.get("/console/v1/agents").await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let pn = &a.phone_number_id;
    let attempts = [
        (
            Method::GET,
            format!("/console/v1/chats/{chat}/messages"),
            None,
        ),
        (
            Method::POST,
            format!("/console/v1/chats/{chat}/messages"),
            Some(json!({"type": "text", "text": {"body": "hijack"}})),
        ),
        (Method::POST, format!("/console/v1/chats/{chat}/read"), None),
        (
            Method::PATCH,
            format!("/console/v1/chats/{chat}"),
            Some(json!({"state": "resolved"})),
        ),
        (Method::GET, format!("/console/v1/chats/{chat}/notes"), None),
        (
            Method::POST,
            format!("/console/v1/chats/{chat}/notes"),
            Some(json!({"body": "x"})),
        ),
        (
            Method::PUT,
            format!("/console/v1/chats/{chat}/labels/{lid}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/console/v1/chats/{chat}/labels/{lid}"),
            None,
        ),
        (
            Method::GET,
            format!("/console/v1/chats/{chat}/customer"),
            None,
        ),
        (Method::DELETE, format!("/console/v1/labels/{lid}"), None),
        (
            Method::DELETE,
            format!("/console/v1/quick-replies/{qid}"),
            None,
        ),
        (Method::GET, format!("/console/v1/numbers/{pn}/qr"), None),
        (
            Method::POST,
            format!("/console/v1/numbers/{pn}/qr"),
            Some(json!({"prefilled_message": "x"})),
        ),
        (
            Method::DELETE,
            format!("/console/v1/numbers/{pn}/qr/{code}"),
            None,
        ),
        (
            Method::GET,
            format!("/console/v1/numbers/{pn}/automations"),
            None,
        ),
    ];
    for (method, path, body) in attempts {
        let (status, v) = b_admin.call(method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}: {v}");
    }
    // B's admin cannot label B's own view of A's chat, nor send A's quick reply.
    let b_pn_chat = ada.chat_with(&b.wa_id).await;
    ada.send_text(&b_pn_chat, "Hello B").await;
    let (status, _) = b_admin
        .call(
            Method::PUT,
            &format!("/console/v1/chats/{b_pn_chat}/labels/{lid}"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = b_admin
        .call(
            Method::POST,
            &format!("/console/v1/chats/{b_pn_chat}/messages"),
            Some(json!({"quick_reply_id": qid})),
        )
        .await;
    assert_eq!(status, 404);
    // A's things are intact.
    assert_eq!(
        a_admin.get("/console/v1/labels").await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        a_admin.get("/console/v1/quick-replies").await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        a_admin.get(&format!("/console/v1/numbers/{pn}/qr")).await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let inbox = a_admin.get("/console/v1/inbox").await;
    assert_eq!(inbox["data"][0]["state"], "open");
    assert!(a_admin
        .get(&format!("/console/v1/chats/{chat}/notes"))
        .await["data"]
        .as_array()
        .unwrap()
        .is_empty());

    // Admin API: unknown WABA ids are 404, and a person's session is not a console session.
    let (status, _) = s
        .admin(
            Method::POST,
            "/admin/v1/businesses/123/agents",
            Some(json!({"email": "x@y.z", "name": "X"})),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = s
        .admin(
            Method::POST,
            &format!("/admin/v1/businesses/{}/agents", a.waba_id),
            Some(json!({"email": "boss@a.example", "name": "Dup"})),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = ada
        .get("/console/v1/inbox")
        .await
        .map(|_| (200, ()))
        .unwrap_or_else(|(s, _)| (s, ()));
    assert_eq!(status, 401);
    // The business token is not a console session either.
    let (status, _) = a.api(Method::GET, "/console/v1/inbox", None).await;
    assert_eq!(status, 401);
}
