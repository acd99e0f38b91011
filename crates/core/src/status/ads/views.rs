//! How campaigns look on the wire: their public links (the click-to-chat page, its QR code,
//! the creative and its still picture, all under `/ad/{code}`), the HTML button snippet, the
//! campaign as the console and the operator see it, and the referral object a first message
//! carries to the business's webhook.

use super::pacing::AdDay;
use super::rows::{AdDayRow, CampaignRow};
use crate::status::Status;
use wasla_types::ads::{Campaign, CampaignDay, Creative, Referral, WelcomeMessage};

/// Escape text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

impl Status {
    /// The public base of a campaign's links.
    fn ad_base(&self, code: &str) -> String {
        format!("{}/ad/{code}", self.ground.config.public_url())
    }

    /// The click-to-chat link of a campaign.
    pub(super) fn ad_link(&self, c: &CampaignRow) -> String {
        self.ad_base(&c.code)
    }

    /// Where a campaign's creative is.
    pub(super) fn creative_url(&self, c: &CampaignRow) -> String {
        format!("{}/media", self.ad_base(&c.code))
    }

    /// Where a campaign's still picture is (the image itself for an image).
    pub(super) fn thumbnail_url(&self, c: &CampaignRow) -> String {
        if c.media_kind == "image" {
            self.creative_url(c)
        } else {
            format!("{}/thumbnail", self.ad_base(&c.code))
        }
    }

    /// A campaign as the console and the operator see it.
    pub(super) fn campaign_view(
        &self,
        c: &CampaignRow,
        reports: i64,
        days: &[AdDayRow],
    ) -> Campaign {
        let link = self.ad_link(c);
        let snippet = format!(
            "<a href=\"{l}\" target=\"_blank\" rel=\"noopener\" style=\"display:inline-block;\
             padding:10px 18px;border-radius:20px;background:#25d366;color:#fff;\
             font:600 15px sans-serif;text-decoration:none\">{t}</a>",
            l = esc(&link),
            t = esc(&c.button_text)
        );
        let micros = crate::billing::micros_per_minor(&c.currency);
        Campaign {
            id: c.id.to_string(),
            status: c.status.clone(),
            rejection_reason: c.rejection_reason.clone(),
            creative: Creative {
                kind: c.media_kind.clone(),
                url: self.creative_url(c),
                thumbnail_url: self.thumbnail_url(c),
            },
            name: c.name.clone(),
            headline: c.headline.clone(),
            body: c.body.clone(),
            button_text: c.button_text.clone(),
            welcome_message: c.welcome_message.clone(),
            countries: c.countries.clone(),
            languages: c.languages.clone(),
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            daily_budget: c.daily_budget,
            bid_cpm: c.bid_cpm,
            currency: c.currency.clone(),
            qr_url: format!("{link}/qr.png"),
            link,
            snippet,
            phone_number_id: c.number_id.to_string(),
            reports,
            created_at: c.created_at,
            days: days
                .iter()
                .map(|d| CampaignDay {
                    date: d.day.clone(),
                    impressions: d.impressions,
                    taps: d.taps,
                    chats_started: d.chats_started,
                    spend: d.spend_micros / micros,
                    spend_micros: d.spend_micros,
                })
                .collect(),
        }
    }

    /// The referral object of a first message from a campaign (`ctwa_clid` for link opens).
    pub(super) fn referral_of(&self, c: &CampaignRow, ctwa_clid: Option<String>) -> Referral {
        let video = c.media_kind == "video";
        Referral {
            source_url: self.ad_link(c),
            source_id: c.id.to_string(),
            source_type: "ad".into(),
            body: c.body.clone(),
            headline: c.headline.clone(),
            media_type: c.media_kind.clone(),
            image_url: (!video).then(|| self.creative_url(c)),
            video_url: video.then(|| self.creative_url(c)),
            thumbnail_url: video.then(|| self.thumbnail_url(c)),
            ctwa_clid,
            welcome_message: Some(WelcomeMessage {
                text: c.welcome_message.clone(),
            }),
        }
    }
}

/// Today's counters first when a campaign has none yet for today (so the console always shows
/// the current day).
pub(super) fn with_today(mut days: Vec<AdDayRow>, today: &AdDay) -> Vec<AdDayRow> {
    if days.first().is_none_or(|d| d.day != today.date) {
        days.insert(
            0,
            AdDayRow {
                day: today.date.clone(),
                ..Default::default()
            },
        );
    }
    days
}
