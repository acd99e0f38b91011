//! A webhook receiver for tests, strict like real SDKs: it answers the verification handshake,
//! and accepts a POST only with `Content-Type: application/json`, a Content-Length, an ASCII
//! body holding exactly one entry, one change and one message or status, and an
//! `X-Hub-Signature-256` that matches the app secret. It can be told to fail with 500, or to
//! hang without answering, and be stopped (connections refused) and started again on its URL.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Shared {
    verify_token: String,
    secret: Mutex<Option<String>>,
    payloads: Mutex<Vec<Value>>,
    failing: AtomicBool,
    hanging: AtomicBool,
    rejected: AtomicUsize,
    attempts: AtomicUsize,
    notify: tokio::sync::Notify,
}

/// The serving task of a receiver and how to stop it.
type Serving = (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
);

/// A running receiver.
#[derive(Clone)]
pub struct WebhookReceiver {
    /// Its callback URL.
    pub url: String,
    shared: Arc<Shared>,
    addr: std::net::SocketAddr,
    serving: Arc<tokio::sync::Mutex<Option<Serving>>>,
}

impl WebhookReceiver {
    /// Listen on a free port; the handshake expects `verify_token`.
    pub async fn start(verify_token: &str) -> WebhookReceiver {
        let shared = Arc::new(Shared {
            verify_token: verify_token.into(),
            ..Default::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let serving = serve(listener, shared.clone());
        WebhookReceiver {
            url: format!("http://{addr}/hook"),
            shared,
            addr,
            serving: Arc::new(tokio::sync::Mutex::new(Some(serving))),
        }
    }

    /// Stop listening and close every connection: POSTs are refused until [`Self::resume`].
    /// POSTs being answered may finish first, for up to 5 s.
    pub async fn stop(&self) {
        let Some((stop, mut task)) = self.serving.lock().await.take() else {
            return;
        };
        let _ = stop.send(());
        if tokio::time::timeout(Duration::from_secs(5), &mut task)
            .await
            .is_err()
        {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listen again on the same URL after [`Self::stop`].
    pub async fn resume(&self) {
        let mut serving = self.serving.lock().await;
        if serving.is_some() {
            return;
        }
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .expect("bind the receiver's port again");
        *serving = Some(serve(listener, self.shared.clone()));
    }

    /// The app secret to check signatures with.
    pub fn set_secret(&self, secret: &str) {
        *self.shared.secret.lock().expect("lock") = Some(secret.into());
    }

    /// Answer 500 to every POST while `true`.
    pub fn set_failing(&self, failing: bool) {
        self.shared.failing.store(failing, Ordering::SeqCst);
    }

    /// While `true`, hold every POST without answering (the server's timeout ends it).
    pub fn set_hanging(&self, hanging: bool) {
        self.shared.hanging.store(hanging, Ordering::SeqCst);
    }

    /// Every accepted payload so far.
    pub fn payloads(&self) -> Vec<Value> {
        self.shared.payloads.lock().expect("lock").clone()
    }

    /// POSTs refused for a bad signature or shape (must stay 0).
    pub fn rejected(&self) -> usize {
        self.shared.rejected.load(Ordering::SeqCst)
    }

    /// POSTs received, failed ones included.
    pub fn attempts(&self) -> usize {
        self.shared.attempts.load(Ordering::SeqCst)
    }

    /// The first accepted payload's `value` that matches, waiting up to `secs`.
    pub async fn wait_for(&self, what: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let notified = self.shared.notify.notified();
            if let Some(v) = self.payloads().iter().map(value_of).find(|v| pred(v)) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "no webhook for {what} within {secs} s; got {:#?}",
                    self.payloads()
                );
            }
        }
    }

    /// The status webhook for a wamid and status.
    pub async fn status(&self, wamid: &str, status: &str) -> Value {
        self.wait_for(&format!("{status} of {wamid}"), 10, |v| {
            v["statuses"][0]["id"] == wamid && v["statuses"][0]["status"] == status
        })
        .await["statuses"][0]
            .clone()
    }
}

/// Serve the receiver on `listener` until told to stop.
fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) -> Serving {
    let router = axum::Router::new()
        .route("/hook", get(handshake).post(receive))
        .with_state(shared);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    (stop, task)
}

/// `entry[0].changes[0].value` of a payload.
pub fn value_of(payload: &Value) -> Value {
    payload["entry"][0]["changes"][0]["value"].clone()
}

async fn handshake(
    State(s): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, String) {
    let ok = q.get("hub.mode").map(String::as_str) == Some("subscribe")
        && q.get("hub.verify_token") == Some(&s.verify_token);
    match (ok, q.get("hub.challenge")) {
        (true, Some(c)) => (StatusCode::OK, c.clone()),
        _ => (StatusCode::FORBIDDEN, "bad verify token".into()),
    }
}

async fn receive(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    s.attempts.fetch_add(1, Ordering::SeqCst);
    if s.hanging.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
    if s.failing.load(Ordering::SeqCst) {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let secret = s.secret.lock().expect("lock").clone().unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(&body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let parsed: Option<Value> = serde_json::from_slice(&body).ok();
    let shape_ok = parsed.as_ref().is_some_and(|p| {
        let v = value_of(p);
        // A messages change carries exactly one message or status, with contacts.
        let one_event = p["entry"][0]["changes"][0]["field"] != "messages"
            || (v["contacts"].is_array()
                && (v["messages"].as_array().is_some_and(|m| m.len() == 1)
                    || v["statuses"].as_array().is_some_and(|m| m.len() == 1)));
        p["object"] == "whatsapp_business_account"
            && p["entry"].as_array().is_some_and(|e| e.len() == 1)
            && p["entry"][0]["changes"]
                .as_array()
                .is_some_and(|c| c.len() == 1)
            && v["metadata"]["phone_number_id"].is_string()
            && one_event
    });
    let ok = header("x-hub-signature-256") == expected
        && header("content-type") == "application/json"
        && !header("content-length").is_empty()
        && body.is_ascii()
        && shape_ok;
    if !ok {
        s.rejected.fetch_add(1, Ordering::SeqCst);
        eprintln!("webhook rejected: {}", String::from_utf8_lossy(&body));
        return StatusCode::UNAUTHORIZED;
    }
    s.payloads
        .lock()
        .expect("lock")
        .push(parsed.expect("parsed"));
    s.notify.notify_waiters();
    StatusCode::OK
}
