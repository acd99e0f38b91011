//! A business console agent for tests: invited through the admin API (or by an admin agent),
//! signed in with a password, and a typed client of the console API.

use crate::business::Business;
use crate::TestServer;
use reqwest::Method;
use serde_json::{json, Value};

/// A signed-in agent.
pub struct Agent {
    /// Agent id.
    pub id: String,
    /// Console session token.
    pub token: String,
    base: String,
    http: reqwest::Client,
}

impl TestServer {
    /// Invite an agent of `shop`'s WABA through the admin API and sign them in.
    pub async fn agent(&self, shop: &Business, email: &str, role: &str) -> Agent {
        let (status, invite) = self
            .admin(
                Method::POST,
                &format!("/admin/v1/businesses/{}/agents", shop.waba_id),
                Some(json!({"email": email, "name": email.split('@').next(), "role": role})),
            )
            .await;
        assert_eq!(status, 200, "{invite}");
        self.accept_invite(invite["invite_token"].as_str().expect("invite token"))
            .await
    }

    /// Accept an invite with a password and sign in.
    pub async fn accept_invite(&self, invite_token: &str) -> Agent {
        let http = reqwest::Client::new();
        let resp = http
            .post(format!("{}/console/v1/auth/sign-in", self.url))
            .json(&json!({"invite_token": invite_token, "password": "correct horse battery"}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(resp.status().as_u16(), 200);
        let v: Value = resp.json().await.expect("json");
        Agent {
            id: v["agent"]["id"].as_str().expect("id").to_string(),
            token: v["token"].as_str().expect("token").to_string(),
            base: self.url.clone(),
            http,
        }
    }
}

impl Agent {
    /// Open this agent's live console stream.
    pub async fn stream(&self) -> crate::ConsoleStream {
        crate::ConsoleStream::open(self).await
    }

    /// The server's URL of `path`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Call the console API; returns status and body.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("console request");
        (
            resp.status().as_u16(),
            resp.json().await.unwrap_or(Value::Null),
        )
    }

    /// GET, expecting 200.
    pub async fn get(&self, path: &str) -> Value {
        let (status, v) = self.call(Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }

    /// POST, expecting 200.
    pub async fn post(&self, path: &str, body: Value) -> Value {
        let (status, v) = self.call(Method::POST, path, Some(body)).await;
        assert_eq!(status, 200, "POST {path}: {v}");
        v
    }

    /// PATCH, expecting 200.
    pub async fn patch(&self, path: &str, body: Value) -> Value {
        let (status, v) = self.call(Method::PATCH, path, Some(body)).await;
        assert_eq!(status, 200, "PATCH {path}: {v}");
        v
    }
}
