//! Fetching media a business sends by `link`: http(s) only, through the outbound rule (only
//! public addresses, checked on every address the host resolves to), no redirects, a timeout,
//! and the kind's size limit enforced while reading. The bytes then go through the same
//! sniffing and storage as any upload.

use super::Integration;
use crate::accounts::{AccountRow, MediaKind};
use crate::error::{Error, Result};
use futures::StreamExt;
use std::time::Duration;
use wasla_types::content::Media;

impl Integration {
    /// Fetch `media.link` for `number` and store it as its upload; fills in `media.id`.
    pub(crate) async fn fetch_link(
        &self,
        number: &AccountRow,
        kind: &str,
        media: &mut Media,
    ) -> Result<()> {
        let link = media.link.clone().unwrap_or_default();
        let failed =
            |why: &str| Error::UnsupportedMedia(format!("could not fetch {kind} link: {why}"));
        let url = reqwest::Url::parse(&link).map_err(|_| failed("not a URL"))?;
        let rule = self.ground.outbound();
        rule.check_url(&url).map_err(failed)?;
        let timeout = Duration::from_millis(self.ground.config.media.fetch_timeout_ms);
        let client = rule
            .client(timeout, false)
            .build()
            .map_err(Error::internal)?;
        let resp = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| failed(&crate::outbound::short_error(&e)))?;
        if !resp.status().is_success() {
            return Err(failed(&format!("HTTP {}", resp.status().as_u16())));
        }
        let declared = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let max = match kind {
            "image" | "sticker" => MediaKind::Image.max_bytes(),
            "video" => MediaKind::Video.max_bytes(),
            "audio" => MediaKind::Audio.max_bytes(),
            _ => MediaKind::Document.max_bytes(),
        }
        .min(self.ground.config.limits.max_upload_bytes);
        let mut bytes = Vec::new();
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            bytes.extend_from_slice(&chunk.map_err(|_| failed("the download broke off"))?);
            if bytes.len() > max {
                return Err(failed(&format!("larger than {max} bytes")));
            }
        }
        let filename = media.filename.clone().or_else(|| {
            url.path_segments()
                .and_then(|mut s| s.next_back())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        });
        let info = self
            .accounts
            .upload_media(number.id, &bytes, declared.as_deref(), filename.as_deref())
            .await?;
        media.id = Some(info.id);
        media.link = None;
        Ok(())
    }
}
