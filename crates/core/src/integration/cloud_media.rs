//! Media through the Cloud API: a business number uploads files, reads a media object (with a
//! short-lived, signed download URL on this server), downloads with its bearer token and
//! deletes. Uploads are usable for 30 days and media received from people for 7, as on Meta's
//! platform; after that the Cloud API answers as if the id never existed.

use super::Integration;
use crate::accounts::{AccountKind, AccountRow, MediaRow};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

/// How long business uploads stay usable.
pub const UPLOAD_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// How long media received from people stays usable through the Cloud API.
pub const INBOUND_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long a download URL works.
pub const URL_TTL_MS: i64 = 5 * 60 * 1000;

impl Integration {
    /// Store an upload of a business number.
    pub async fn cloud_upload(
        &self,
        number: &AccountRow,
        bytes: &[u8],
        declared: Option<&str>,
        filename: Option<&str>,
    ) -> Result<Value> {
        // WebP is the sticker format on the Cloud API: it must pass the sticker rules.
        let webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
        let checked = if webp {
            crate::accounts::sniff_sticker(bytes).map(|_| ())
        } else {
            Ok(())
        };
        let info = async {
            checked?;
            self.accounts
                .upload_media(number.id, bytes, declared, filename)
                .await
        }
        .await
        .map_err(|e| match e {
            Error::UnsupportedMedia(d) | Error::TooLarge(d) | Error::BadRequest(d) => {
                Error::graph(131053, 400, "Media upload error", d)
            }
            other => other,
        })?;
        Ok(json!({"id": info.id}))
    }

    /// A media object the WABA may use (uploaded by one of its numbers, or sent to one), still
    /// within its retention window.
    pub async fn waba_media(
        &self,
        waba_id: i64,
        id: &str,
        phone_number_id: Option<&str>,
    ) -> Result<MediaRow> {
        let mid = parse_id(id).ok_or_else(|| Error::unknown_object(id))?;
        let row = self
            .accounts
            .media(mid)
            .await?
            .ok_or_else(|| Error::unknown_object(id))?;
        let numbers: Vec<AccountRow> = self
            .business
            .phone_numbers(waba_id)
            .await?
            .into_iter()
            .filter(|n| phone_number_id.is_none_or(|p| p == n.id.to_string()))
            .collect();
        let mut visible = false;
        for n in &numbers {
            if row.owner_id == n.id || self.accounts.media_visible_to(mid, n.id).await? {
                visible = true;
                break;
            }
        }
        if !visible {
            return Err(Error::unknown_object(id));
        }
        let owner_is_business = numbers.iter().any(|n| n.id == row.owner_id)
            || self
                .accounts
                .account(row.owner_id)
                .await?
                .is_some_and(|a| a.kind == AccountKind::Business);
        let ttl = if owner_is_business {
            UPLOAD_TTL_MS
        } else {
            INBOUND_TTL_MS
        };
        if self.ground.now() - row.created_at > ttl {
            return Err(Error::unknown_object(id));
        }
        Ok(row)
    }

    /// `GET /{media-id}`: the media object with a download URL valid for five minutes.
    pub async fn cloud_media_object(
        &self,
        waba_id: i64,
        id: &str,
        phone_number_id: Option<&str>,
    ) -> Result<Value> {
        let row = self.waba_media(waba_id, id, phone_number_id).await?;
        let exp = self.ground.now() + URL_TTL_MS;
        let url = format!(
            "{}/media/download/{}?exp={exp}&sig={}",
            self.ground.config.public_url(),
            row.id,
            self.media_url_signature(row.id, exp)
        );
        Ok(json!({
            "messaging_product": "whatsapp",
            "url": url,
            "mime_type": row.mime_type,
            "sha256": row.sha256,
            "file_size": row.file_size.to_string(),
            "id": row.id.to_string(),
        }))
    }

    /// The bytes behind a download URL, for a token of a WABA that may see them.
    pub async fn cloud_download(
        &self,
        waba_id: i64,
        id: &str,
        exp: i64,
        sig: &str,
    ) -> Result<(MediaRow, Vec<u8>)> {
        let mid = parse_id(id).ok_or_else(|| Error::unknown_object(id))?;
        let expected = self.media_url_signature(mid, exp);
        if !crate::ids::same_secret(&expected, sig) || exp < self.ground.now() {
            return Err(Error::graph(
                100,
                400,
                "Invalid parameter",
                "The download URL is invalid or expired; get a new one from GET /{media-id}.",
            ));
        }
        let row = self.waba_media(waba_id, id, None).await?;
        let bytes = self.ground.blobs.get(row.id).await?;
        Ok((row, bytes))
    }

    /// `DELETE /{media-id}`: only the WABA's own uploads.
    pub async fn cloud_delete_media(
        &self,
        waba_id: i64,
        id: &str,
        phone_number_id: Option<&str>,
    ) -> Result<()> {
        let row = self.waba_media(waba_id, id, phone_number_id).await?;
        let owner_in_waba = self
            .accounts
            .account(row.owner_id)
            .await?
            .is_some_and(|a| a.waba_id == Some(waba_id));
        if !owner_in_waba {
            return Err(Error::graph(
                10,
                403,
                "Permission denied",
                "Only media uploaded by this business can be deleted.",
            ));
        }
        self.accounts.delete_media(row.id).await?;
        self.ground.blobs.delete(row.id).await
    }

    fn media_url_signature(&self, id: i64, exp: i64) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.url_key.as_bytes()).expect("any key length");
        mac.update(format!("{id}:{exp}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}
