//! A WABA's campaigns as its console admins run them: create one (checked whole, creative
//! stored as the business number's media, then waiting for the operator's review), list them,
//! read one with its daily counters, pause and resume it, end it. Also the public reads of a
//! campaign by its link's code: the page's facts and the creative's bytes.

use super::creative::{check, CampaignForm};
use super::pacing::day_of;
use super::rows::CampaignRow;
use super::views::with_today;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use crate::status::Status;
use rand::Rng;
use wasla_types::ads::{Campaign, CampaignUpdate};

/// Characters of a link's code.
const CODE_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

pub(super) fn not_found() -> Error {
    Error::not_found("campaign not found")
}

impl Status {
    /// Create a campaign of a WABA from the console's form; it waits for review.
    pub async fn create_campaign(&self, waba_id: i64, form: CampaignForm) -> Result<Campaign> {
        let now = self.ground.now();
        let number_choice = form.phone_number_id.clone();
        let c = check(form, now)?;
        let number = match number_choice
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(id) => self.business.owned_number(waba_id, id).await?,
            None => self
                .business
                .phone_numbers(waba_id)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    Error::bad("the WABA has no phone number for people to chat with")
                })?,
        };
        let (currency, _) = self.billing.ad_terms(waba_id).await?;
        let (file, mime) = &c.creative;
        let media = self
            .accounts
            .upload_media(number.id, &file.bytes, Some(mime), file.filename.as_deref())
            .await?;
        let thumbnail_id = match &c.thumbnail {
            Some((t, mime)) => Some(
                self.accounts
                    .upload_media(number.id, &t.bytes, Some(mime), t.filename.as_deref())
                    .await?
                    .id,
            ),
            None => None,
        };
        let row = CampaignRow {
            id: self.ground.ids.next(),
            waba_id,
            number_id: number.id,
            code: new_code(),
            name: c.name,
            status: "pending_review".into(),
            rejection_reason: None,
            media_id: parse_id(&media.id).ok_or_else(|| Error::internal("media id"))?,
            media_kind: c.media_kind,
            thumbnail_id: thumbnail_id.as_deref().and_then(parse_id),
            headline: c.headline,
            body: c.body,
            button_text: c.button_text,
            welcome_message: c.welcome_message,
            countries: c.countries,
            languages: c.languages,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            daily_budget: c.daily_budget,
            bid_cpm: c.bid_cpm,
            currency,
            created_at: now,
            updated_at: now,
        };
        self.store.insert_campaign(&row).await?;
        Ok(self.campaign_view(&row, 0, &[]))
    }

    /// A campaign of a WABA (another WABA's is not found).
    pub(super) async fn own_campaign(&self, waba_id: i64, id: &str) -> Result<CampaignRow> {
        let id = parse_id(id).ok_or_else(not_found)?;
        match self.store.campaign(id).await? {
            Some(c) if c.waba_id == waba_id => Ok(c),
            _ => Err(not_found()),
        }
    }

    /// Views of campaigns with their report counts.
    pub(super) async fn campaign_views(&self, rows: &[CampaignRow]) -> Result<Vec<Campaign>> {
        let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
        let counts = self.store.report_counts(&ids).await?;
        Ok(rows
            .iter()
            .map(|c| {
                let n = counts
                    .iter()
                    .find(|(id, _)| *id == c.id)
                    .map_or(0, |(_, n)| *n);
                self.campaign_view(c, n, &[])
            })
            .collect())
    }

    /// A WABA's campaigns, newest first.
    pub async fn campaigns_of(&self, waba_id: i64) -> Result<Vec<Campaign>> {
        let rows = self.store.campaigns_of(waba_id).await?;
        self.campaign_views(&rows).await
    }

    /// One campaign of a WABA with its daily counters, newest day first.
    pub async fn campaign_of(&self, waba_id: i64, id: &str) -> Result<Campaign> {
        let c = self.own_campaign(waba_id, id).await?;
        self.campaign_with_days(&c).await
    }

    /// A campaign with its days and reports.
    pub(super) async fn campaign_with_days(&self, c: &CampaignRow) -> Result<Campaign> {
        let (_, timezone) = self.billing.ad_terms(c.waba_id).await?;
        let today = day_of(&timezone, self.ground.now());
        let days = with_today(self.store.ad_days(c.id).await?, &today);
        let reports = self.store.report_counts(&[c.id]).await?;
        Ok(self.campaign_view(c, reports.first().map_or(0, |r| r.1), &days))
    }

    /// Pause (`paused`) or resume (`approved`) a campaign of a WABA.
    pub async fn update_campaign(
        &self,
        waba_id: i64,
        id: &str,
        update: CampaignUpdate,
    ) -> Result<Campaign> {
        let c = self.own_campaign(waba_id, id).await?;
        let (from, to) = match update.status.as_str() {
            "paused" => ("approved", "paused"),
            "approved" | "active" => ("paused", "approved"),
            other => {
                return Err(Error::bad(format!(
                    "status must be \"paused\" or \"approved\" (resume), not {other:?}"
                )))
            }
        };
        if c.status != to
            && !self
                .store
                .set_campaign_status(c.id, &[from], to, None, self.ground.now())
                .await?
        {
            return Err(Error::Conflict(format!(
                "a campaign that is {} cannot become {to}",
                c.status
            )));
        }
        self.campaign_of(waba_id, id).await
    }

    /// End a campaign of a WABA for good (it keeps its counters).
    pub async fn end_campaign(&self, waba_id: i64, id: &str) -> Result<Campaign> {
        let c = self.own_campaign(waba_id, id).await?;
        let from = ["pending_review", "approved", "rejected", "paused"];
        self.store
            .set_campaign_status(
                c.id,
                &from,
                "ended",
                c.rejection_reason.as_deref(),
                self.ground.now(),
            )
            .await?;
        self.campaign_of(waba_id, id).await
    }

    /// A campaign by its link's code.
    pub async fn campaign_by_code(&self, code: &str) -> Result<CampaignRow> {
        if code.is_empty() || code.len() > 32 {
            return Err(not_found());
        }
        self.store
            .campaign_by_code(code)
            .await?
            .ok_or_else(not_found)
    }

    /// A campaign's public page facts: only while it is approved or paused.
    pub async fn public_campaign(&self, code: &str) -> Result<(Campaign, String)> {
        let c = self.campaign_by_code(code).await?;
        if c.status != "approved" && c.status != "paused" {
            return Err(not_found());
        }
        let number = self
            .accounts
            .account(c.number_id)
            .await?
            .ok_or_else(not_found)?;
        let name = number.verified_name.clone().unwrap_or(number.display_name);
        Ok((self.campaign_view(&c, 0, &[]), name))
    }

    /// The creative's bytes and type (`thumbnail`: the still picture) by the link's code.
    pub async fn creative_bytes(&self, code: &str, thumbnail: bool) -> Result<(String, Vec<u8>)> {
        let c = self.campaign_by_code(code).await?;
        if c.status == "rejected" {
            return Err(not_found());
        }
        let id = match (thumbnail, c.media_kind.as_str(), c.thumbnail_id) {
            (false, _, _) | (true, "image", _) => c.media_id,
            (true, _, Some(t)) => t,
            (true, _, None) => return Ok(("image/png".into(), video_placeholder())),
        };
        let row = self.accounts.media(id).await?.ok_or_else(not_found)?;
        let bytes = self.ground.blobs.get(id).await?;
        Ok((row.mime_type, bytes))
    }
}

/// The still picture of a video given without one: a dark 16:9 tile.
fn video_placeholder() -> Vec<u8> {
    let (w, h) = (160u32, 90u32);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        if let Ok(mut writer) = enc.write_header() {
            let data: Vec<u8> = (0..w * h).flat_map(|_| [0x1f, 0x2c, 0x34]).collect();
            let _ = writer.write_image_data(&data);
        }
    }
    out
}
