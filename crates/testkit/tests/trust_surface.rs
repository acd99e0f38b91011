//! What every surface trusts at its edge: a token in the URL (`access_token=`) is taken by the
//! Cloud API only, as Meta's is, and refused by the admin, client and console APIs; and every
//! response, pages and APIs alike, carries the security headers (a Content Security Policy with
//! nothing inline and no framing, `nosniff`, a referrer policy, `X-Frame-Options` and a
//! permissions policy), with pages whose markup holds no inline script or style.

use reqwest::Method;
use serde_json::json;
use wasla_testkit::{TestServer, PNG};

/// Status of a GET with no `Authorization` header.
async fn status_of(url: &str) -> u16 {
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn tokens_in_urls_are_taken_by_the_cloud_api_only() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let agent = s.agent(&shop, "ann@acme.example", "admin").await;
    let url = |path: &str, token: &str| format!("{}{path}?access_token={token}", s.url);

    // Each token works in the Authorization header …
    assert_eq!(
        s.admin(Method::GET, "/admin/v1/businesses", None).await.0,
        200
    );
    assert!(ada.get("/client/v1/me").await.is_ok());
    assert_eq!(agent.call(Method::GET, "/console/v1/me", None).await.0, 200);
    // … but in the URL only on the Cloud API.
    let refused = [
        url("/admin/v1/businesses", &s.operator_token),
        url("/client/v1/me", &ada.token),
        url("/client/v1/chats", &ada.token),
        url("/console/v1/me", &agent.token),
        url("/console/v1/inbox", &agent.token),
    ];
    for u in refused {
        let r = reqwest::get(&u).await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{u}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{u}: {body}");
    }
    let cloud = url(&format!("/v23.0/{}", shop.phone_number_id), &shop.token);
    let r = reqwest::get(&cloud).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{cloud}");
    let node: serde_json::Value = r.json().await.unwrap();
    assert_eq!(node["id"], shop.phone_number_id.as_str());
    // A media download by session in the URL is refused too.
    let media = ada
        .upload(PNG.to_vec(), "image/png", "a.png")
        .await
        .unwrap();
    let id = media["id"].as_str().unwrap();
    assert_eq!(
        status_of(&url(&format!("/client/v1/media/{id}"), &ada.token)).await,
        401
    );
}

/// The security headers of a response, asserted; returns its CSP.
fn assert_headers(what: &str, r: &reqwest::Response) -> String {
    let h = |name: &str| {
        r.headers()
            .get(name)
            .unwrap_or_else(|| panic!("{what}: no {name}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    assert_eq!(
        h("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    let permissions = h("permissions-policy");
    assert!(
        permissions.contains("camera=(self)") && permissions.contains("microphone=(self)"),
        "{what}: {permissions}"
    );
    h("content-security-policy")
}

#[tokio::test]
async fn every_page_and_api_response_carries_the_security_headers() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let (_, catalog) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/product_catalogs", shop.waba_id),
            Some(json!({"name": "Main"})),
        )
        .await;
    let (status, p) = shop
        .api(
            Method::POST,
            &format!("/v23.0/{}/products", catalog["id"].as_str().unwrap()),
            Some(json!({"retailer_id": "jacket", "name": "Rain jacket", "price": 4999, "currency": "EUR",
                "image_url": "https://img.example/jacket.png"})),
        )
        .await;
    assert_eq!(status, 200, "{p}");
    let ada = s.register("+44 7911 123401", "Ada").await;
    let http = reqwest::Client::new();

    // Pages: the web client, the console, a catalog, a product, click-to-chat, a 404.
    let pages = [
        "/".to_string(),
        "/console/".to_string(),
        format!("/c/{}", shop.wa_id),
        format!("/c/{}/p/jacket", shop.wa_id),
        format!("/{}?text=hi", shop.wa_id),
        "/c/15550000000".to_string(),
    ];
    for page in pages {
        let r = http.get(format!("{}{page}", s.url)).send().await.unwrap();
        let csp = assert_headers(&page, &r);
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{page}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{page}: {csp}"
        );
        let html = r.text().await.unwrap();
        // No inline script or style, nor inline handlers: what the policy would block.
        assert!(!html.contains("<style"), "{page}: inline style");
        assert!(!html.contains(" style="), "{page}: style attribute");
        assert!(
            !html.contains(" onclick=") && !html.contains(" onload="),
            "{page}"
        );
        for script in html.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap_or_default();
            assert!(tag.contains("src="), "{page}: inline script {tag}");
        }
    }
    // The pages' stylesheets are served from the server itself.
    for css in ["/pages/catalog.css", "/pages/landing.css"] {
        let r = http.get(format!("{}{css}", s.url)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{css}");
        assert_eq!(r.headers()["content-type"], "text/css", "{css}");
    }

    // APIs, errors included: client, Cloud API, admin, console, health.
    let apis = [
        (format!("{}/client/v1/me", s.url), Some(ada.token.clone())),
        (format!("{}/client/v1/me", s.url), None),
        (
            format!("{}/v23.0/{}", s.url, shop.phone_number_id),
            Some(shop.token.clone()),
        ),
        (format!("{}/v23.0/{}", s.url, shop.phone_number_id), None),
        (
            format!("{}/admin/v1/businesses", s.url),
            Some(s.operator_token.clone()),
        ),
        (format!("{}/console/v1/me", s.url), None),
        (format!("{}/healthz", s.url), None),
        (format!("{}/client/v1/nope", s.url), None),
    ];
    for (url, token) in apis {
        let mut req = http.get(&url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let csp = assert_headers(&url, &r);
        assert!(csp.contains("frame-ancestors 'none'"), "{url}: {csp}");
    }

    // A media download keeps its own, stricter policy.
    let media = ada
        .upload(PNG.to_vec(), "image/png", "a.png")
        .await
        .unwrap();
    let r = http
        .get(format!(
            "{}/client/v1/media/{}",
            s.url,
            media["id"].as_str().unwrap()
        ))
        .bearer_auth(&ada.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let csp = assert_headers("media", &r);
    assert!(csp.contains("sandbox"), "{csp}");
}
