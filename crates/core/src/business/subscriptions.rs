//! `subscribed_apps`: which of a WABA's apps receive its webhooks, and a WABA-level callback
//! override (checked with the verification handshake before it takes effect).

use super::Business;
use crate::error::{Error, Result};
use serde_json::{json, Value};

impl Business {
    /// `GET /{waba-id}/subscribed_apps`.
    pub async fn subscribed_apps(&self, waba_id: i64) -> Result<Value> {
        let (apps, over) = self.store.subscriptions(waba_id).await?;
        let data: Vec<Value> = apps
            .iter()
            .map(|a| {
                let mut v = json!({"whatsapp_business_api_data": {"id": a.id.to_string(), "link": a.webhook_url, "name": format!("app {}", a.id)}});
                if let Some(o) = &over {
                    v["override_callback_uri"] = json!(o);
                }
                v
            })
            .collect();
        Ok(json!({"data": data}))
    }

    /// `POST /{waba-id}/subscribed_apps`: subscribe the WABA's apps; with
    /// `override_callback_uri` (and `verify_token`), send its webhooks there instead once the
    /// URL passes the handshake.
    pub async fn subscribe_apps(
        &self,
        waba_id: i64,
        override_uri: Option<&str>,
        verify_token: Option<&str>,
    ) -> Result<()> {
        if let Some(uri) = override_uri.filter(|u| !u.is_empty()) {
            if !(uri.starts_with("https://") || uri.starts_with("http://")) || uri.len() > 2048 {
                return Err(Error::invalid_param(
                    "override_callback_uri must be an http(s) URL",
                ));
            }
            let token = verify_token.filter(|t| !t.is_empty()).ok_or_else(|| {
                Error::invalid_param("verify_token is required with override_callback_uri")
            })?;
            self.ground
                .outbound()
                .verify_callback(self.ground.config.webhooks.timeout_ms, uri, token)
                .await
                .map_err(|e| Error::invalid_param(e.to_string()))?;
            self.store
                .set_callback_override(waba_id, Some(uri), Some(token))
                .await?;
        } else if override_uri.is_some() {
            // An empty override removes it.
            self.store
                .set_callback_override(waba_id, None, None)
                .await?;
        }
        self.store.set_subscribed(waba_id, true).await
    }

    /// `DELETE /{waba-id}/subscribed_apps`: no more webhooks for this WABA.
    pub async fn unsubscribe_apps(&self, waba_id: i64) -> Result<()> {
        self.store.set_subscribed(waba_id, false).await
    }
}
