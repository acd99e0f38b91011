//! A business set up through the admin API (WABA, phone number, app with a webhook receiver,
//! access token), and its Cloud API client.

use crate::webhooks::WebhookReceiver;
use crate::TestServer;
use reqwest::Method;
use serde_json::{json, Value};

/// A business with one number and one app.
pub struct Business {
    /// WABA id.
    pub waba_id: String,
    /// Phone-number id.
    pub phone_number_id: String,
    /// The number's wa_id.
    pub wa_id: String,
    /// Access token.
    pub token: String,
    /// App id.
    pub app_id: String,
    /// The app's secret (signs its webhooks).
    pub app_secret: String,
    /// Where its webhooks arrive.
    pub hooks: WebhookReceiver,
    base: String,
    http: reqwest::Client,
}

impl TestServer {
    /// Create a business with `number` and an app whose webhooks a fresh receiver checks.
    pub async fn business(&self, name: &str, number: &str) -> Business {
        Business::create(&self.url, &self.operator_token, name, number).await
    }
}

impl Business {
    /// Create a business with `number` and an app whose webhooks a fresh receiver checks,
    /// through the admin API of the server at `base`.
    pub(crate) async fn create(
        base: &str,
        operator_token: &str,
        name: &str,
        number: &str,
    ) -> Business {
        let http = reqwest::Client::new();
        let admin = |path: &str, body: Value| {
            let req = http
                .post(format!("{base}{path}"))
                .bearer_auth(operator_token)
                .json(&body);
            async move {
                let resp = req.send().await.expect("admin request");
                let status = resp.status().as_u16();
                (status, resp.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let (_, waba) = admin("/admin/v1/businesses", json!({"name": name})).await;
        let waba_id = waba["id"].as_str().expect("waba id").to_string();
        let (status, pn) = admin(
            "/admin/v1/phone-numbers",
            json!({"waba_id": waba_id, "number": number, "verified_name": name}),
        )
        .await;
        assert_eq!(status, 200, "{pn}");
        let hooks = WebhookReceiver::start("verify-me").await;
        let (status, app) = admin(
            "/admin/v1/apps",
            json!({"waba_id": waba_id, "webhook_url": hooks.url, "verify_token": "verify-me"}),
        )
        .await;
        assert_eq!(status, 200, "{app}");
        hooks.set_secret(app["app_secret"].as_str().expect("secret"));
        let (_, token) = admin("/admin/v1/tokens", json!({"waba_id": waba_id})).await;
        Business {
            waba_id,
            phone_number_id: pn["id"].as_str().expect("id").to_string(),
            wa_id: pn["wa_id"].as_str().expect("wa_id").to_string(),
            token: token["access_token"].as_str().expect("token").to_string(),
            app_id: app["id"].as_str().expect("app id").to_string(),
            app_secret: app["app_secret"].as_str().expect("secret").to_string(),
            hooks,
            base: base.to_string(),
            http,
        }
    }
}

impl Business {
    /// Call the Cloud API with this business's token; returns status and body.
    pub async fn api(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.api_as(&self.token, method, path, body).await
    }

    /// Call the Cloud API with any token.
    pub async fn api_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        (
            resp.status().as_u16(),
            resp.json().await.unwrap_or(Value::Null),
        )
    }

    /// `POST /v23.0/{phone-number-id}/messages`.
    pub async fn send(&self, body: Value) -> (u16, Value) {
        self.api(
            Method::POST,
            &format!("/v23.0/{}/messages", self.phone_number_id),
            Some(body),
        )
        .await
    }

    /// Send a text to a wa_id; returns the wamid (panics on error).
    pub async fn send_text(&self, to: &str, text: &str) -> String {
        let (status, v) = self.send(json!({"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": text}})).await;
        assert_eq!(status, 200, "{v}");
        v["messages"][0]["id"].as_str().expect("wamid").to_string()
    }
}

impl TestServer {
    /// An app's webhook delivery log (newest first), through the admin API.
    pub async fn deliveries(&self, app_id: &str) -> Vec<Value> {
        let (status, log) = self
            .admin(
                Method::GET,
                &format!("/admin/v1/apps/{app_id}/deliveries?limit=100"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{log}");
        log["data"].as_array().cloned().unwrap_or_default()
    }

    /// The delivery log once `done` holds for it (attempts are recorded just after the
    /// receiver answers), waiting up to 10 s.
    pub async fn wait_deliveries(
        &self,
        app_id: &str,
        what: &str,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        for _ in 0..200 {
            let log = self.deliveries(app_id).await;
            if done(&log) {
                return log;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "the delivery log never showed {what}: {:#?}",
            self.deliveries(app_id).await
        );
    }
}
