//! A business number as the Cloud API shows it: the business profile (about, address,
//! description, email, websites, vertical, picture), the phone-number object, and the WABA.

use super::Business;
use crate::accounts::{AccountKind, AccountRow};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Industries a profile may name.
pub const VERTICALS: &[&str] = &[
    "OTHER",
    "AUTO",
    "BEAUTY",
    "APPAREL",
    "EDU",
    "ENTERTAIN",
    "EVENT_PLAN",
    "FINANCE",
    "GROCERY",
    "GOVT",
    "HOTEL",
    "HEALTH",
    "NONPROFIT",
    "PROF_SERVICES",
    "RETAIL",
    "TRAVEL",
    "RESTAURANT",
    "ALCOHOL",
    "ONLINE_GAMBLING",
    "PHYSICAL_GAMBLING",
    "OTC_DRUGS",
];

fn limited(v: &Value, field: &str, max: usize) -> Result<Option<String>> {
    match &v[field] {
        Value::Null => Ok(None),
        Value::String(s) if s.chars().count() <= max => Ok(Some(s.trim().to_string())),
        _ => Err(Error::invalid_param(format!(
            "{field} must be a string of at most {max} characters"
        ))),
    }
}

impl Business {
    /// `GET /{phone-number-id}/whatsapp_business_profile`.
    pub async fn business_profile(&self, number: &AccountRow) -> Result<Value> {
        let p = self.store.business_profile(number.id).await?;
        let mut v = json!({
            "messaging_product": "whatsapp",
            "about": number.about,
            "address": p.address,
            "description": p.description,
            "email": p.email,
            "websites": p.websites,
            "vertical": p.vertical,
        });
        if let Some(photo) = number.photo {
            v["profile_picture_url"] =
                json!(format!("{}/v23.0/{photo}", self.ground.config.public_url()));
        }
        Ok(json!({"data": [v]}))
    }

    /// `POST /{phone-number-id}/whatsapp_business_profile`.
    pub async fn update_business_profile(&self, number: &AccountRow, req: &Value) -> Result<()> {
        let mut account = number.clone();
        let mut p = self.store.business_profile(number.id).await?;
        if let Some(about) = limited(req, "about", 139)? {
            if about.is_empty() {
                return Err(Error::invalid_param("about must be 1 to 139 characters"));
            }
            account.about = about;
        }
        if let Some(a) = limited(req, "address", 256)? {
            p.address = a;
        }
        if let Some(d) = limited(req, "description", 512)? {
            p.description = d;
        }
        if let Some(e) = limited(req, "email", 128)? {
            let plausible = e.contains('@') && !e.starts_with('@') && !e.ends_with('@');
            if !e.is_empty() && !plausible {
                return Err(Error::invalid_param("email is not an email address"));
            }
            p.email = e;
        }
        if !req["websites"].is_null() {
            let sites: Vec<String> = serde_json::from_value(req["websites"].clone())
                .map_err(|_| Error::invalid_param("websites must be a list of URLs"))?;
            if sites.len() > 2
                || sites.iter().any(|w| {
                    w.len() > 256 || !(w.starts_with("https://") || w.starts_with("http://"))
                })
            {
                return Err(Error::invalid_param(
                    "websites holds at most 2 http(s) URLs of at most 256 characters",
                ));
            }
            p.websites = sites;
        }
        if let Some(v) = limited(req, "vertical", 32)? {
            if !VERTICALS.contains(&v.as_str()) {
                return Err(Error::invalid_param(format!(
                    "vertical must be one of {}",
                    VERTICALS.join(", ")
                )));
            }
            p.vertical = v;
        }
        if let Some(handle) = limited(req, "profile_picture_handle", 64)? {
            // The handle is the id of an image the number uploaded.
            account.photo = Some(self.accounts.own_image(number.id, &handle).await.map_err(
                |_| {
                    Error::invalid_param(
                        "profile_picture_handle must be the id of an uploaded image",
                    )
                },
            )?);
        }
        self.store.save_business_profile(&account, &p).await
    }

    /// The phone-number object.
    pub fn phone_number_object(&self, n: &AccountRow) -> Value {
        json!({
            "id": n.id.to_string(),
            "display_phone_number": n.phone,
            "verified_name": n.verified_name.clone().unwrap_or_default(),
            "code_verification_status": "VERIFIED",
            "name_status": "APPROVED",
            "quality_rating": "GREEN",
            "platform_type": "CLOUD_API",
            "throughput": {"level": "STANDARD"},
            "messaging_limit_tier": "TIER_UNLIMITED",
        })
    }

    /// `GET /{waba-id}/phone_numbers`.
    pub async fn waba_phone_numbers(&self, waba_id: i64) -> Result<Value> {
        let numbers = self.store.phone_numbers(waba_id).await?;
        Ok(json!({"data": numbers.iter().map(|n| self.phone_number_object(n)).collect::<Vec<_>>()}))
    }

    /// A Graph node of the WABA by id: the WABA itself or one of its numbers.
    pub async fn waba_node(&self, waba_id: i64, id: &str) -> Result<Option<Value>> {
        let Some(n) = parse_id(id) else {
            return Ok(None);
        };
        if n == waba_id {
            let waba = self
                .store
                .waba(waba_id)
                .await?
                .ok_or_else(|| Error::internal("token of a missing WABA"))?;
            let namespace = hex::encode(&Sha256::digest(format!("namespace:{}", waba.id))[..16]);
            return Ok(Some(json!({
                "id": waba.id.to_string(),
                "name": waba.name,
                "timezone_id": "1",
                "message_template_namespace": namespace,
                "account_review_status": "APPROVED",
                "currency": "USD",
            })));
        }
        Ok(match self.accounts.account(n).await? {
            Some(a) if a.kind == AccountKind::Business && a.waba_id == Some(waba_id) => {
                Some(self.phone_number_object(&a))
            }
            _ => None,
        })
    }
}
