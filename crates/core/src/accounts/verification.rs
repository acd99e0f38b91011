//! Delivery of verification codes: to the server log by default, or as a POST to an
//! operator-configured URL (an SMS gateway, a test harness).

use async_trait::async_trait;

/// Sends a verification code to a phone number.
#[async_trait]
pub trait CodeSender: Send + Sync {
    /// Deliver `code` for `phone` (E.164) / `wa_id`.
    async fn send(&self, phone: &str, wa_id: &str, code: &str);
}

/// Writes codes to the log (the default, for self-hosting without an SMS gateway).
#[derive(Debug, Default)]
pub struct LogCodeSender;

#[async_trait]
impl CodeSender for LogCodeSender {
    async fn send(&self, phone: &str, _wa_id: &str, code: &str) {
        tracing::info!(target: "wasla::verification", "verification code for {phone}: {code}");
    }
}

/// POSTs `{"phone","wa_id","code"}` as JSON to a URL, retrying a few times.
#[derive(Debug, Clone)]
pub struct WebhookCodeSender {
    url: String,
    client: reqwest::Client,
}

impl WebhookCodeSender {
    /// Send codes to `url`.
    pub fn new(url: String) -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("http client");
        WebhookCodeSender { url, client }
    }
}

#[async_trait]
impl CodeSender for WebhookCodeSender {
    async fn send(&self, phone: &str, wa_id: &str, code: &str) {
        let body = serde_json::json!({ "phone": phone, "wa_id": wa_id, "code": code });
        for attempt in 0..3u32 {
            match self.client.post(&self.url).json(&body).send().await {
                Ok(r) if r.status().is_success() => return,
                Ok(r) => tracing::warn!(status = %r.status(), "verification webhook refused"),
                Err(e) => tracing::warn!(error = %e, "verification webhook failed"),
            }
            tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await;
        }
        tracing::error!(phone, "could not deliver verification code");
    }
}
