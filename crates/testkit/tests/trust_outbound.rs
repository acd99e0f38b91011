//! The outbound rule: a URL a tenant gives (a callback override, an app's webhook URL, a media
//! link) never makes the server connect to loopback, private or link-local addresses, whether
//! written as an address, reached through DNS or through a redirect, unless the operator
//! allows that network; and the refusal says why without echoing what an internal service
//! answered.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wasla_testkit::TestServer;

/// An internal service on `ip` that would pass any handshake, counting the requests it gets.
async fn internal_service(ip: &str) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let router =
        axum::Router::new()
            .route(
                "/hook",
                get(
                    |State(hits): State<Arc<AtomicUsize>>,
                     Query(q): Query<HashMap<String, String>>| async move {
                        hits.fetch_add(1, Ordering::SeqCst);
                        q.get("hub.challenge").cloned().unwrap_or_default()
                    },
                ),
            )
            .with_state(hits.clone());
    let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), hits)
}

/// A service on the allowed 127.0.0.1 that redirects every request to `to`.
async fn redirector(to: String) -> String {
    let router = axum::Router::new().route(
        "/hook",
        get(move || {
            let to = to.clone();
            async move { Redirect::temporary(&to).into_response() }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

fn refused(status: u16, err: &Value, why: &str) {
    assert_eq!(
        (status, err["error"]["code"].as_i64()),
        (400, Some(100)),
        "{err}"
    );
    let message = err["error"].to_string();
    assert!(message.contains(why), "{message}");
    assert!(
        !message.contains("HTTP"),
        "nothing of the answer is echoed: {message}"
    );
}

#[tokio::test]
async fn callback_overrides_cannot_reach_internal_addresses() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let path = format!("/v23.0/{}/subscribed_apps", shop.waba_id);
    let (internal, hits) = internal_service("127.0.0.2").await;

    // Written as an address: refused before any connection.
    for uri in [
        format!("{internal}/hook"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[::1]/hook".to_string(),
        "http://0.0.0.0/hook".to_string(),
    ] {
        let (status, err) = shop
            .api(
                Method::POST,
                &path,
                Some(json!({"override_callback_uri": uri, "verify_token": "t"})),
            )
            .await;
        refused(status, &err, "not a public address");
    }
    // Through a redirect from an allowed host: not followed.
    let via = redirector(format!("{internal}/hook?hub.challenge=1")).await;
    let (status, err) = shop
        .api(
            Method::POST,
            &path,
            Some(json!({"override_callback_uri": format!("{via}/hook"), "verify_token": "t"})),
        )
        .await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the internal service was never reached"
    );
    // Nothing changed: the WABA still has no override.
    let (_, list) = shop.api(Method::GET, &path, None).await;
    assert!(list["data"][0]["override_callback_uri"].is_null(), "{list}");
}

#[tokio::test]
async fn host_names_are_checked_after_resolution() {
    // Nothing private is allowed here, not even the receivers' 127.0.0.1.
    let s = TestServer::start_with(|c| c.outbound.allowed_networks.clear()).await;
    let (status, waba) = s
        .admin(
            Method::POST,
            "/admin/v1/businesses",
            Some(json!({"name": "Acme"})),
        )
        .await;
    assert_eq!(status, 200, "{waba}");
    let (local, hits) = internal_service("127.0.0.1").await;
    let port = local.rsplit(':').next().unwrap();
    // `localhost` resolves to loopback: the app cannot be created with it as its webhook URL.
    let (status, err) = s
        .admin(
            Method::POST,
            "/admin/v1/apps",
            Some(json!({"waba_id": waba["id"], "webhook_url": format!("http://localhost:{port}/hook"), "verify_token": "t"})),
        )
        .await;
    assert_eq!(status, 400, "{err}");
    let message = err.to_string();
    assert!(message.contains("not a public address"), "{message}");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_allowed_network_is_reachable() {
    let s = TestServer::start_with(|c| {
        c.outbound.allowed_networks = vec!["127.0.0.0/8".into()];
    })
    .await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let path = format!("/v23.0/{}/subscribed_apps", shop.waba_id);
    let (internal, hits) = internal_service("127.0.0.2").await;
    let (status, r) = shop
        .api(
            Method::POST,
            &path,
            Some(json!({"override_callback_uri": format!("{internal}/hook"), "verify_token": "t"})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}
