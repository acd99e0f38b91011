//! QR codes and short links of a business number (the Cloud API's `message_qrdls`): 14-char
//! codes with a prefilled message, a deep link `{public_url}/message/{code}`, PNG and SVG images
//! drawn on the server, and scan/open counters per code (no per-person tracking).

use super::QrRow;
use super::Tools;
use crate::accounts::AccountRow;
use crate::error::{Error, Result};
use qrcode::{Color, QrCode};
use rand::Rng;
use wasla_types::tools::{QrCode as QrView, QrCodeRequest, QrCodeStats};

/// Longest prefilled message.
pub const MAX_PREFILLED: usize = 140;
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl Tools {
    /// A QR code by its code, whoever owns it (for the public short link).
    pub async fn qr_by_code(&self, code: &str) -> Result<Option<QrRow>> {
        self.store.qr(code).await
    }

    /// `POST /{phone-number-id}/message_qrdls`: create, or update when `code` is given.
    pub async fn put_qr(&self, number: &AccountRow, req: QrCodeRequest) -> Result<QrView> {
        let text = req
            .prefilled_message
            .clone()
            .ok_or_else(|| Error::invalid_param("The parameter prefilled_message is required."))?;
        if text.trim().is_empty() || text.chars().count() > MAX_PREFILLED {
            return Err(Error::invalid_param(
                "prefilled_message must be 1 to 140 characters.",
            ));
        }
        let format = match req.generate_qr_image.as_deref() {
            None => None,
            Some(f) if f.eq_ignore_ascii_case("svg") => Some("svg"),
            Some(f) if f.eq_ignore_ascii_case("png") => Some("png"),
            Some(f) => {
                return Err(Error::invalid_param(format!(
                    "generate_qr_image must be SVG or PNG, not {f:?}."
                )))
            }
        };
        let now = self.ground.now();
        let row = match req.code {
            Some(code) => {
                let mut row = self.owned_qr(number, &code).await?;
                self.store.update_qr(&row.code, &text, now).await?;
                row.prefilled_message = text;
                row
            }
            None => {
                let row = QrRow {
                    code: new_code(),
                    business_id: number.id,
                    prefilled_message: text,
                    scans: 0,
                    opens: 0,
                    created_at: now,
                    updated_at: now,
                };
                self.store.create_qr(&row).await?;
                row
            }
        };
        Ok(self.qr_view(&row, format))
    }

    /// A code of this number; another number's code, or none, is Graph's unknown object.
    pub async fn owned_qr(&self, number: &AccountRow, code: &str) -> Result<QrRow> {
        match self.store.qr(code).await? {
            Some(row) if row.business_id == number.id => Ok(row),
            _ => Err(Error::unknown_object(code)),
        }
    }

    /// A page of the number's codes, newest first, created before `before`.
    pub async fn list_qrs(
        &self,
        number: &AccountRow,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<QrRow>> {
        self.store.qrs(number.id, before, limit.clamp(1, 100)).await
    }

    /// Delete one of the number's codes.
    pub async fn delete_qr(&self, number: &AccountRow, code: &str) -> Result<()> {
        let row = self.owned_qr(number, code).await?;
        self.store.delete_qr(&row.code).await
    }

    /// The Graph rendering of a code, with an image URL in `format` when asked.
    pub fn qr_view(&self, row: &QrRow, format: Option<&str>) -> QrView {
        let base = self.ground.config.public_url();
        QrView {
            code: row.code.clone(),
            prefilled_message: row.prefilled_message.clone(),
            deep_link_url: format!("{base}/message/{}", row.code),
            qr_image_url: format.map(|f| format!("{base}/qr/{}.{f}", row.code)),
        }
    }

    /// A code with its counters.
    pub fn qr_stats(row: &QrRow) -> QrCodeStats {
        QrCodeStats {
            code: row.code.clone(),
            prefilled_message: row.prefilled_message.clone(),
            scans: row.scans,
            opens: row.opens,
        }
    }

    /// The short link was followed: count a scan and return the code with its number.
    pub async fn follow_qr(&self, code: &str) -> Result<(QrRow, AccountRow)> {
        let row = self
            .store
            .qr(code)
            .await?
            .ok_or_else(|| Error::not_found("this link does not exist (any more)"))?;
        let number = self
            .accounts
            .account(row.business_id)
            .await?
            .ok_or_else(|| Error::not_found("this business is gone"))?;
        self.store.count_qr(code, false).await?;
        Ok((row, number))
    }

    /// A chat was opened from a short link.
    pub async fn count_qr_open(&self, code: &str) -> Result<()> {
        if self.store.qr(code).await?.is_none() {
            return Err(Error::not_found("unknown code"));
        }
        self.store.count_qr(code, true).await
    }
}

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..14)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn matrix(data: &str) -> Result<(usize, Vec<bool>)> {
    let code = QrCode::new(data.as_bytes()).map_err(Error::internal)?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((width, dark))
}

/// `data` as an SVG QR code.
pub fn qr_svg(data: &str) -> Result<String> {
    let (width, dark) = matrix(data)?;
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (i % width + quiet, i / width + quiet);
        path.push_str(&format!("M{x} {y}h1v1h-1z"));
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        px = size * 8
    ))
}

/// `data` as a PNG QR code, 8 pixels per module with a 4-module quiet zone.
pub fn qr_png(data: &str) -> Result<Vec<u8>> {
    let (width, dark) = matrix(data)?;
    let (quiet, scale) = (4, 8);
    let size = (width + 2 * quiet) * scale;
    let mut pixels = vec![255u8; size * size];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (mx, my) = (i % width + quiet, i / width + quiet);
        for y in my * scale..(my + 1) * scale {
            pixels[y * size + mx * scale..y * size + (mx + 1) * scale].fill(0);
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size as u32, size as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(Error::internal)?;
        writer.write_image_data(&pixels).map_err(Error::internal)?;
    }
    Ok(out)
}
