//! Refuse what is wrong, changing nothing: bad conversational automation and business profile
//! updates are refused and leave the stored values as they were; client API errors are always
//! its JSON envelope; an oversized WebSocket frame gets an error frame and close code 1009.

mod graph;

use graph::*;
use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Db, TestServer, Ws};

#[tokio::test]
async fn conversational_automation_refuses_bad_input_and_changes_nothing() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Cafe", "+1 650 555 4006").await;
        let path = format!("/v23.0/{}/conversational_automation", shop.phone_number_id);
        let good = json!({"enable_welcome_message": true, "prompts": ["Book a table"],
            "commands": [{"command_name": "menu", "command_description": "See the menu"}]});
        let (status, v) = shop.api(Method::POST, &path, Some(good)).await;
        assert_eq!(status, 200, "{v}");
        let (_, before) = shop.api(Method::GET, &path, None).await;

        for (body, names) in [
            ("[]", "JSON object"),
            ("\"welcome\"", "JSON object"),
            ("{}", "enable_welcome_message"),
            (
                r#"{"enable_welcome_message": "yes"}"#,
                "enable_welcome_message",
            ),
            (r#"{"prompts": "Book a table"}"#, "prompts"),
            (r#"{"prompts": [{"text": "Book"}]}"#, "prompts[0]"),
            (
                r#"{"enable_welcome_message": null, "prompts": null}"#,
                "enable_welcome_message",
            ),
            (
                r#"{"enable_welcome_mesage": true}"#,
                "enable_welcome_mesage",
            ),
            (
                r#"{"commands": [{"command_name": "a", "command_description": "b", "extra": 1}]}"#,
                "extra",
            ),
            (r#"{"commands": {"command_name": "a"}}"#, "commands"),
            (
                r#"{"prompts": ["ok"], "commands": [{"command_name": "bad name", "command_description": "x"}]}"#,
                "command_name",
            ),
        ] {
            let (status, v) = raw(&s, &shop, Method::POST, &path, JSON, body).await;
            assert_eq!(status, 400, "{body}: {v}");
            invalid_param(status, &v, names);
            let (_, now) = shop.api(Method::GET, &path, None).await;
            assert_eq!(now, before, "{body} changed the automation");
        }

        // A partial update changes only what it names; a form's arrays come JSON-encoded.
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &path,
            FORM,
            "enable_welcome_message=false",
        )
        .await;
        assert_eq!(status, 200, "{v}");
        let (_, now) = shop.api(Method::GET, &path, None).await;
        let conv = &now["conversational_automation"];
        assert_eq!(conv["enable_welcome_message"], false);
        assert_eq!(conv["prompts"], json!(["Book a table"]));
        assert_eq!(conv["commands"][0]["command_name"], "menu");
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &path,
            FORM,
            "prompts=%5B%22Hours%22%2C%22Menu%22%5D",
        )
        .await;
        assert_eq!(status, 200, "{v}");
        let (_, now) = shop.api(Method::GET, &path, None).await;
        assert_eq!(
            now["conversational_automation"]["prompts"],
            json!(["Hours", "Menu"])
        );
    }
}

#[tokio::test]
async fn business_profile_is_validated_and_unchanged_when_refused() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 4007").await;
        let path = format!("/v23.0/{}/whatsapp_business_profile", shop.phone_number_id);
        let good = json!({"messaging_product": "whatsapp", "about": "Fixing things",
            "email": "help@acme.example", "websites": ["https://acme.example"], "vertical": "RETAIL"});
        let (status, v) = shop.api(Method::POST, &path, Some(good)).await;
        assert_eq!(status, 200, "{v}");
        let (_, before) = shop.api(Method::GET, &path, None).await;

        let long_about = "a".repeat(140);
        for (body, names) in [
            (json!([]), "JSON object"),
            (json!({"abuot": "typo"}), "abuot"),
            (
                json!({"about": "New", "vertical": "SPACESHIPS"}),
                "vertical",
            ),
            (json!({"about": long_about}), "about"),
            (json!({"websites": "https://acme.example"}), "websites"),
            (json!({"websites": ["ftp://acme.example"]}), "websites"),
            (
                json!({"websites": ["https://a.example", "https://b.example", "https://c.example"]}),
                "websites",
            ),
            (json!({"websites": ["https://"]}), "websites"),
            (json!({"email": "not an email"}), "email"),
            (json!({"email": "a@b"}), "email"),
            (
                json!({"about": "New", "messaging_product": "sms"}),
                "messaging_product",
            ),
            (json!({"address": {"street": "Main"}}), "address"),
            (
                json!({"about": "New", "profile_picture_handle": "123"}),
                "profile_picture_handle",
            ),
        ] {
            let (status, v) = shop.api(Method::POST, &path, Some(body.clone())).await;
            invalid_param(status, &v, names);
            let (_, now) = shop.api(Method::GET, &path, None).await;
            assert_eq!(now, before, "{body} changed the profile");
        }
        // A form works, the websites list JSON-encoded.
        let (status, v) = raw(
            &s,
            &shop,
            Method::POST,
            &path,
            FORM,
            "about=Open+late&websites=%5B%22https%3A%2F%2Fshop.example%22%5D",
        )
        .await;
        assert_eq!(status, 200, "{v}");
        let (_, now) = shop.api(Method::GET, &path, None).await;
        assert_eq!(now["data"][0]["about"], "Open late");
        assert_eq!(now["data"][0]["websites"], json!(["https://shop.example"]));
        assert_eq!(now["data"][0]["vertical"], "RETAIL");
    }
}

/// A client API request (method, path, content type, body) and the status and code it gets.
type Case = (
    Method,
    String,
    Option<&'static str>,
    String,
    u16,
    &'static str,
);

#[tokio::test]
async fn client_api_errors_are_always_its_json_envelope() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 124008", "Ada").await;
    let bob = s.register("+44 7911 124009", "Bob").await;
    let chat = ada.chat_with(&bob.wa_id).await;
    let http = reqwest::Client::new();
    let big = format!("{{\"text\":\"{}\"}}", "x".repeat(2 << 20));
    let cases: Vec<Case> = vec![
        (
            Method::GET,
            format!("/client/v1/chats/{chat}/messages?limit=abc"),
            None,
            String::new(),
            400,
            "bad_request",
        ),
        (
            Method::GET,
            "/client/v1/accounts/lookup".into(),
            None,
            String::new(),
            400,
            "bad_request",
        ),
        (
            Method::GET,
            "/client/v1/chats/%FF%FE".into(),
            None,
            String::new(),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            "/client/v1/media".into(),
            Some("application/json"),
            "{}".into(),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            format!("/client/v1/chats/{chat}/messages"),
            Some("application/json"),
            "{".into(),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            format!("/client/v1/chats/{chat}/messages"),
            Some("text/plain"),
            "hi".into(),
            415,
            "unsupported_media_type",
        ),
        (
            Method::POST,
            format!("/client/v1/chats/{chat}/messages"),
            Some("application/json"),
            "{}".into(),
            400,
            "bad_request",
        ),
        (
            Method::POST,
            format!("/client/v1/chats/{chat}/messages"),
            Some("application/json"),
            big,
            413,
            "too_large",
        ),
        (
            Method::GET,
            "/client/v1/ws".into(),
            None,
            String::new(),
            400,
            "bad_request",
        ),
    ];
    for (method, path, ct, body, status, code) in cases {
        let mut req = http
            .request(method.clone(), format!("{}{path}", s.url))
            .bearer_auth(&ada.token)
            .body(body);
        if let Some(ct) = ct {
            req = req.header(CONTENT_TYPE, ct);
        }
        let resp = req.send().await.unwrap();
        let got = resp.status().as_u16();
        let kind = resp
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = resp.text().await.unwrap();
        assert!(
            kind.starts_with("application/json"),
            "{method} {path}: {kind} {text}"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (got, v["error"]["code"].as_str()),
            (status, Some(code)),
            "{method} {path}: {v}"
        );
        assert!(!v["error"]["message"].as_str().unwrap().is_empty(), "{v}");
    }
}

#[tokio::test]
async fn oversized_websocket_frames_get_an_error_and_close_1009() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 124010", "Ada").await;
    let pad = "x".repeat(300 << 10);
    // After hello.
    let mut ws = ada.ws(0).await;
    ws.send(json!({"op": "ping", "pad": pad})).await;
    let err = ws.expect("an error frame", |f| f["type"] != "event").await;
    assert_eq!(
        (err["type"].as_str(), err["error"]["code"].as_str()),
        (Some("error"), Some("too_large")),
        "{err}"
    );
    assert_eq!(ws.closed_by_server().await, Some(1009));
    // A frame too big to read at all is refused from its header.
    let mut ws = ada.ws(0).await;
    ws.send(json!({"op": "ping", "pad": "y".repeat(3 << 20)}))
        .await;
    let err = ws.expect("an error frame", |f| f["type"] != "event").await;
    assert_eq!(err["error"]["code"], "too_large", "{err}");
    assert_eq!(ws.closed_by_server().await, Some(1009));
    // As the first frame.
    let first = Ws::raw_hello(
        &s.ws_url(),
        json!({"op": "hello", "token": ada.token, "pad": pad}),
    )
    .await;
    assert_eq!(first.expect("an error frame")["error"]["code"], "too_large");
    // The account still connects.
    let mut again = ada.ws(0).await;
    again.send(json!({"op": "ping"})).await;
    again.expect("pong", |f| f["type"] == "pong").await;
}
