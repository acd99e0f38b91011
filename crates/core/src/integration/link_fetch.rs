//! Fetching media a business sends by `link`: http(s) only, addresses checked to be public
//! (unless the operator allows private ones) and pinned for the request so DNS cannot change
//! them mid-way, no redirects, a timeout, and the kind's size limit enforced while reading.
//! The bytes then go through the same sniffing and storage as any upload.

use super::Integration;
use crate::accounts::{AccountRow, MediaKind};
use crate::error::{Error, Result};
use futures::StreamExt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use wasla_types::content::Media;

/// Whether an address is on the public internet.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| !is_public(IpAddr::V4(v4))))
        }
    }
}

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
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(failed("only http and https links are fetched"));
        }
        let host = url.host_str().ok_or_else(|| failed("no host"))?.to_string();
        let port = url.port_or_known_default().unwrap_or(443);
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
            .await
            .map_err(|_| failed("the host does not resolve"))?
            .collect();
        let allowed =
            |a: &SocketAddr| self.ground.config.media.allow_private_links || is_public(a.ip());
        let addr = *addrs
            .iter()
            .find(|a| allowed(a))
            .ok_or_else(|| failed("the host is not a public address"))?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(
                self.ground.config.media.fetch_timeout_ms,
            ))
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&host, addr)
            .build()
            .map_err(Error::internal)?;
        let resp = client
            .get(url.clone())
            .send()
            .await
            .map_err(|_| failed("the request failed"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
