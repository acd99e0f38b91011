//! A person's typed client of the client API, as the web client uses it.

use crate::{TestServer, Ws};
use reqwest::Method;
use serde_json::{json, Value};

/// A signed-in person.
#[derive(Clone)]
pub struct Person {
    /// Session token.
    pub token: String,
    /// Their wa_id.
    pub wa_id: String,
    /// Their E.164 number.
    pub phone: String,
    base: String,
    ws_url: String,
    http: reqwest::Client,
}

/// An API failure: HTTP status and body.
pub type Failure = (u16, Value);

impl Person {
    pub(crate) fn new(server: &TestServer, token: String, account: Value) -> Person {
        Person::at(&server.url, token, account)
    }

    /// A person signed in to the server at `base` (`http://…`).
    pub(crate) fn at(base: &str, token: String, account: Value) -> Person {
        Person {
            token,
            wa_id: account["wa_id"].as_str().expect("wa_id").to_string(),
            phone: account["phone"].as_str().expect("phone").to_string(),
            base: base.to_string(),
            ws_url: format!("{}/client/v1/ws", base.replace("http://", "ws://")),
            http: reqwest::Client::new(),
        }
    }

    /// The same person talking to a restarted server.
    pub fn rebase(&self, server: &TestServer) -> Person {
        Person {
            base: server.url.clone(),
            ws_url: server.ws_url(),
            ..self.clone()
        }
    }

    /// A client for the same person with another token (for impersonation tests).
    pub fn with_token(&self, token: &str) -> Person {
        Person {
            token: token.to_string(),
            ..self.clone()
        }
    }

    /// Call the client API.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Failure> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let value = resp.json().await.unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            Ok(value)
        } else {
            Err((status, value))
        }
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Result<Value, Failure> {
        self.call(Method::GET, path, None).await
    }

    /// POST JSON.
    pub async fn post(&self, path: &str, body: Value) -> Result<Value, Failure> {
        self.call(Method::POST, path, Some(body)).await
    }

    /// PATCH JSON.
    pub async fn patch(&self, path: &str, body: Value) -> Result<Value, Failure> {
        self.call(Method::PATCH, path, Some(body)).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> Result<Value, Failure> {
        self.call(Method::DELETE, path, None).await
    }

    /// Open (or get) the direct chat with another person; returns the chat id.
    pub async fn chat_with(&self, wa_id: &str) -> String {
        let chat = self
            .post("/client/v1/chats", json!({"wa_id": wa_id}))
            .await
            .expect("open chat");
        chat["chat_id"].as_str().expect("chat_id").to_string()
    }

    /// Send a text; returns the committed message.
    pub async fn send_text(&self, chat_id: &str, body: &str) -> Value {
        self.post(
            &format!("/client/v1/chats/{chat_id}/messages"),
            json!({"type": "text", "text": {"body": body}}),
        )
        .await
        .expect("send text")
    }

    /// Upload a file.
    pub async fn upload(
        &self,
        bytes: Vec<u8>,
        mime: &str,
        filename: &str,
    ) -> Result<Value, Failure> {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(filename.to_string())
            .mime_str(mime)
            .expect("mime");
        let form = reqwest::multipart::Form::new().part("file", part);
        let resp = self
            .http
            .post(format!("{}/client/v1/media", self.base))
            .bearer_auth(&self.token)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = resp.status().as_u16();
        let value = resp.json().await.unwrap_or(Value::Null);
        if status == 200 {
            Ok(value)
        } else {
            Err((status, value))
        }
    }

    /// Download media: status, content type and bytes.
    pub async fn download(&self, id: &str) -> (u16, String, Vec<u8>) {
        let resp = self
            .http
            .get(format!("{}/client/v1/media/{id}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("download");
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, ct, resp.bytes().await.expect("body").to_vec())
    }

    /// Connect a device's WebSocket, resuming after event `after`.
    pub async fn ws(&self, after: i64) -> Ws {
        Ws::connect(&self.ws_url, &self.token, after).await
    }
}
