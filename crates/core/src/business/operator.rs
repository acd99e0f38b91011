//! Operator actions on businesses: WABAs, their phone numbers (business accounts people can
//! message), apps (webhook target + secret) and access tokens; and acting as a person for demos
//! and tests.

use super::Business;
use super::{AppRow, WabaRow};
use crate::accounts::{AccountKind, AccountRow};
use crate::error::{Error, Result};
use crate::ids::{new_token, parse_id, token_hash};
use crate::phone::normalize;
use rand::RngCore;
use wasla_types::admin::{App, IssuedToken, NewApp, NewPhoneNumber, PhoneNumber, Waba};

impl Business {
    /// Create a WABA.
    pub async fn create_waba(&self, name: &str) -> Result<Waba> {
        let name = crate::accounts::clean_text(name, 128, "name")?;
        if name.is_empty() {
            return Err(Error::bad("a business needs a name"));
        }
        let row = WabaRow {
            id: self.ground.ids.next(),
            name,
            auto_approve_templates: false,
            created_at: self.ground.now(),
        };
        self.store.create_waba(&row).await?;
        Ok(waba_view(&row))
    }

    /// All WABAs.
    pub async fn list_wabas(&self) -> Result<Vec<Waba>> {
        Ok(self.store.wabas().await?.iter().map(waba_view).collect())
    }

    /// A WABA by id string.
    pub async fn waba(&self, id: &str) -> Result<WabaRow> {
        let not_found = || Error::not_found(format!("no business account {id}"));
        self.store
            .waba(parse_id(id).ok_or_else(not_found)?)
            .await?
            .ok_or_else(not_found)
    }

    /// Register a business phone number under a WABA.
    pub async fn create_phone_number(&self, req: &NewPhoneNumber) -> Result<PhoneNumber> {
        let waba = self.waba(&req.waba_id).await?;
        let phone = normalize(&req.number)?;
        let name = crate::accounts::clean_text(&req.verified_name, 128, "verified name")?;
        if name.is_empty() {
            return Err(Error::bad("a phone number needs a verified name"));
        }
        if self
            .accounts
            .account_by_wa_id(&phone.wa_id)
            .await?
            .is_some()
        {
            return Err(Error::Conflict(format!(
                "{} is already registered",
                phone.e164
            )));
        }
        let row = AccountRow {
            id: self.ground.ids.next(),
            kind: AccountKind::Business,
            wa_id: phone.wa_id,
            phone: phone.e164,
            display_name: name.clone(),
            about: String::new(),
            photo: None,
            verified_name: Some(name),
            waba_id: Some(waba.id),
            last_seen: None,
            created_at: self.ground.now(),
        };
        self.accounts.create_account(&row).await?;
        Ok(phone_number_view(&row))
    }

    /// Phone numbers of a WABA.
    pub async fn list_phone_numbers(&self, waba_id: &str) -> Result<Vec<PhoneNumber>> {
        let waba = self.waba(waba_id).await?;
        Ok(self
            .store
            .phone_numbers(waba.id)
            .await?
            .iter()
            .map(phone_number_view)
            .collect())
    }

    /// Create an app (webhook URL, verify token, generated secret).
    pub async fn create_app(&self, req: &NewApp) -> Result<App> {
        let waba = self.waba(&req.waba_id).await?;
        let url = url_ok(&req.webhook_url)?;
        if req.verify_token.is_empty() || req.verify_token.len() > 256 {
            return Err(Error::bad("verify_token must be 1 to 256 characters"));
        }
        self.ground
            .outbound()
            .verify_callback(
                self.ground.config.webhooks.timeout_ms,
                &url,
                &req.verify_token,
            )
            .await?;
        let mut secret = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut secret);
        let row = AppRow {
            id: self.ground.ids.next(),
            waba_id: waba.id,
            webhook_url: url,
            verify_token: req.verify_token.clone(),
            app_secret: hex::encode(secret),
            created_at: self.ground.now(),
        };
        self.store.create_app(&row).await?;
        Ok(App {
            app_secret: Some(row.app_secret.clone()),
            ..app_view(&row)
        })
    }

    /// Change the webhook URL (and, when given, the verify token) of an app of the WABA; the
    /// new URL must answer the verification handshake, as when the app was created.
    pub async fn update_app(
        &self,
        waba_id: i64,
        app_id: &str,
        webhook_url: &str,
        verify_token: Option<&str>,
    ) -> Result<App> {
        let missing = || Error::not_found(format!("no app {app_id}"));
        let mut row = self
            .store
            .apps(waba_id)
            .await?
            .into_iter()
            .find(|a| a.id.to_string() == app_id)
            .ok_or_else(missing)?;
        let url = url_ok(webhook_url)?;
        let token = verify_token.unwrap_or(&row.verify_token).to_string();
        if token.is_empty() || token.len() > 256 {
            return Err(Error::bad("verify_token must be 1 to 256 characters"));
        }
        self.ground
            .outbound()
            .verify_callback(self.ground.config.webhooks.timeout_ms, &url, &token)
            .await?;
        self.store.set_app_webhook(row.id, &url, &token).await?;
        row.webhook_url = url;
        row.verify_token = token;
        Ok(app_view(&row))
    }

    /// Apps of a WABA (secrets not shown).
    pub async fn list_apps(&self, waba_id: &str) -> Result<Vec<App>> {
        let waba = self.waba(waba_id).await?;
        Ok(self
            .store
            .apps(waba.id)
            .await?
            .iter()
            .map(app_view)
            .collect())
    }

    /// Issue a business access token for a WABA (shown once, stored hashed).
    pub async fn create_business_token(&self, waba_id: &str) -> Result<IssuedToken> {
        let waba = self.waba(waba_id).await?;
        let token = new_token();
        let id = self.ground.ids.next();
        self.store
            .create_business_token(id, waba.id, &token_hash(&token), self.ground.now())
            .await?;
        Ok(IssuedToken {
            id: id.to_string(),
            waba_id: waba.id.to_string(),
            access_token: token,
        })
    }

    /// Revoke a business token.
    pub async fn revoke_business_token(&self, id: &str) -> Result<()> {
        let not_found = || Error::not_found(format!("no token {id}"));
        let revoked = self
            .store
            .revoke_business_token(parse_id(id).ok_or_else(not_found)?, self.ground.now())
            .await?;
        // Cached tokens are keyed by hash: forget them all (a lookup that raced the
        // revocation re-reads within the cache's TTL).
        self.forget_tokens();
        if revoked {
            Ok(())
        } else {
            Err(not_found())
        }
    }
}

fn url_ok(u: &str) -> Result<String> {
    let u = u.trim();
    if !(u.starts_with("http://") || u.starts_with("https://"))
        || u.len() > 2048
        || u.contains(char::is_whitespace)
    {
        return Err(Error::bad("webhook_url must be an http(s) URL"));
    }
    Ok(u.to_string())
}

fn waba_view(r: &WabaRow) -> Waba {
    Waba {
        id: r.id.to_string(),
        name: r.name.clone(),
        created_at: r.created_at,
    }
}

fn phone_number_view(r: &AccountRow) -> PhoneNumber {
    PhoneNumber {
        id: r.id.to_string(),
        waba_id: r.waba_id.unwrap_or_default().to_string(),
        display_phone_number: r.phone.clone(),
        wa_id: r.wa_id.clone(),
        verified_name: r.verified_name.clone().unwrap_or_default(),
    }
}

fn app_view(r: &AppRow) -> App {
    App {
        id: r.id.to_string(),
        waba_id: r.waba_id.to_string(),
        webhook_url: r.webhook_url.clone(),
        verify_token: r.verify_token.clone(),
        app_secret: None,
    }
}
