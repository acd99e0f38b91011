//! A business number as the Cloud API shows it: the business profile (about, address,
//! description, email, websites, vertical, picture; each field checked as Meta checks it),
//! the phone-number object, and the WABA.

use super::Business;
use crate::accounts::{sniff_media, AccountKind, AccountRow, MediaKind};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wasla_types::cloud::BusinessProfileUpdate;

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

/// Text of at most `max` characters, trimmed.
fn limited(field: &str, v: &Option<String>, max: usize) -> Result<Option<String>> {
    match v {
        None => Ok(None),
        Some(s) if s.chars().count() <= max => Ok(Some(s.trim().to_string())),
        Some(_) => Err(Error::invalid_param(format!(
            "{field} must be at most {max} characters"
        ))),
    }
}

/// An email address's shape: one `@`, something before it, a domain with a dot after it, no
/// spaces.
fn email_shaped(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An http(s) URL with a host and no spaces.
fn website_shaped(w: &str) -> bool {
    let rest = w
        .strip_prefix("https://")
        .or_else(|| w.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    host.is_some_and(|h| !h.is_empty() && !h.starts_with(':'))
        && !w.chars().any(|c| c.is_whitespace() || c.is_control())
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

    /// `POST /{phone-number-id}/whatsapp_business_profile`: change the fields given. Every
    /// field is checked before anything is saved, so a refused update changes nothing.
    pub async fn update_business_profile(
        &self,
        number: &AccountRow,
        req: &BusinessProfileUpdate,
    ) -> Result<()> {
        if req
            .messaging_product
            .as_deref()
            .is_some_and(|p| p != "whatsapp")
        {
            return Err(Error::invalid_param(
                "messaging_product must be \"whatsapp\"",
            ));
        }
        let mut account = number.clone();
        let mut p = self.store.business_profile(number.id).await?;
        if let Some(about) = limited("about", &req.about, 139)? {
            if about.is_empty() {
                return Err(Error::invalid_param("about must be 1 to 139 characters"));
            }
            account.about = about;
        }
        if let Some(a) = limited("address", &req.address, 256)? {
            p.address = a;
        }
        if let Some(d) = limited("description", &req.description, 512)? {
            p.description = d;
        }
        if let Some(e) = limited("email", &req.email, 128)? {
            if !e.is_empty() && !email_shaped(&e) {
                return Err(Error::invalid_param(format!(
                    "email {e:?} is not an email address"
                )));
            }
            p.email = e;
        }
        if let Some(sites) = &req.websites {
            let sites: Vec<String> = sites.iter().map(|w| w.trim().to_string()).collect();
            if sites.len() > 2
                || sites
                    .iter()
                    .any(|w| w.chars().count() > 256 || !website_shaped(w))
            {
                return Err(Error::invalid_param(
                    "websites holds at most 2 http(s) URLs of at most 256 characters",
                ));
            }
            p.websites = sites;
        }
        if let Some(v) = limited("vertical", &req.vertical, 32)? {
            if !VERTICALS.contains(&v.as_str()) {
                return Err(Error::invalid_param(format!(
                    "vertical must be one of {}",
                    VERTICALS.join(", ")
                )));
            }
            p.vertical = v;
        }
        if let Some(handle) = limited("profile_picture_handle", &req.profile_picture_handle, 64)? {
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

    /// Upload an image and make it the number's profile photo (the console's photo upload).
    /// Anything but an image is refused before it is stored.
    pub async fn set_profile_photo(
        &self,
        number: &AccountRow,
        bytes: &[u8],
        declared: Option<&str>,
    ) -> Result<()> {
        let mime = sniff_media(bytes, declared)?;
        if MediaKind::of(&mime) != MediaKind::Image {
            return Err(Error::bad(
                "photo must be an image (JPEG, PNG, WebP or GIF)",
            ));
        }
        let media = self
            .accounts
            .upload_media(number.id, bytes, Some(&mime), None)
            .await?;
        let req = BusinessProfileUpdate {
            profile_picture_handle: Some(media.id),
            ..Default::default()
        };
        self.update_business_profile(number, &req).await
    }

    /// The phone-number object, with its quality rating and its WABA's messaging limit tier
    /// from the billing domain ([`NumberStanding`]) and its throughput from the configuration.
    pub async fn phone_number_object(&self, n: &AccountRow) -> Result<Value> {
        let (quality, tier) = match self.standing.get() {
            Some(s) => s.standing(n).await?,
            None => ("GREEN".to_string(), "TIER_UNLIMITED".to_string()),
        };
        // Meta's STANDARD level is 80 messages per second; HIGH is 1,000 (or no limit here).
        let mps = self.ground.config.limits.messages_per_second;
        let level = if mps == 0 || mps >= 1000 {
            "HIGH"
        } else {
            "STANDARD"
        };
        Ok(json!({
            "id": n.id.to_string(),
            "display_phone_number": n.phone,
            "verified_name": n.verified_name.clone().unwrap_or_default(),
            "code_verification_status": "VERIFIED",
            "name_status": "APPROVED",
            "quality_rating": quality,
            "platform_type": "CLOUD_API",
            "throughput": {"level": level},
            "messaging_limit_tier": tier,
        }))
    }

    /// Register the billing domain's quality ratings and messaging limit tiers (once).
    pub fn set_number_standing(&self, standing: std::sync::Arc<dyn NumberStanding>) {
        let _ = self.standing.set(standing);
    }

    /// `GET /{waba-id}/phone_numbers`.
    pub async fn waba_phone_numbers(&self, waba_id: i64) -> Result<Value> {
        let numbers = self.store.phone_numbers(waba_id).await?;
        let mut data = Vec::with_capacity(numbers.len());
        for n in &numbers {
            data.push(self.phone_number_object(n).await?);
        }
        Ok(json!({ "data": data }))
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
                Some(self.phone_number_object(&a).await?)
            }
            _ => None,
        })
    }
}

/// A business number's standing as the billing domain keeps it: its quality rating (`GREEN`,
/// `YELLOW`, `RED`) and its WABA's messaging limit tier (`TIER_250` … `TIER_UNLIMITED`).
/// Registered once, when the context is built.
#[async_trait::async_trait]
pub trait NumberStanding: Send + Sync {
    /// `(quality_rating, messaging_limit_tier)` of a business number.
    async fn standing(&self, number: &AccountRow) -> Result<(String, String)>;
}
