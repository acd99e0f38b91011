//! Ads in a person's Status feed. A campaign is eligible for a person when it is approved, in
//! its schedule, targets the person's country (the region of their number) and language (when
//! known; otherwise any), the person has not hidden it, has had fewer impressions of it today
//! than the frequency cap, and its pace still allows an impression. The feed gets at most one
//! ad after every few contacts' rows (`ads.every_rows`; one after the last row of a shorter
//! feed), highest bid first, each campaign once. An ad is known to the client by an opaque
//! placement id; an impression of it is counted, capped, paced and charged in one transaction.

use super::pacing::{allowed_micros, day_of, impression_micros};
use super::rows::{CampaignRow, ImpressionOutcome, ImpressionWrite};
use crate::accounts::{AccountKind, AccountRow};
use crate::billing::markets::region_of;
use crate::error::{Error, Result};
use crate::status::Status;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use wasla_types::ads::{Ad, AdBusiness, AdMedia, PlacedAd};
use wasla_types::status::StatusFeed;

/// A placement id: the campaign and random bytes, URL-safe base64.
pub(super) fn placement_id(campaign_id: i64) -> String {
    let mut b = [0u8; 12];
    b[..8].copy_from_slice(&campaign_id.to_be_bytes());
    rand::thread_rng().fill_bytes(&mut b[8..]);
    URL_SAFE_NO_PAD.encode(b)
}

/// The campaign of a placement id.
pub(super) fn placement_campaign(id: &str) -> Result<i64> {
    let missing = || Error::not_found("ad not found");
    let b = URL_SAFE_NO_PAD.decode(id).map_err(|_| missing())?;
    let head: [u8; 8] = b
        .get(..8)
        .filter(|_| b.len() == 12)
        .and_then(|h| h.try_into().ok())
        .ok_or_else(missing)?;
    Ok(i64::from_be_bytes(head)).and_then(|v| if v > 0 { Ok(v) } else { Err(missing()) })
}

/// The primary subtag of a language (`pt-BR` → `pt`), lower-cased.
pub fn primary_language(lang: &str) -> Option<String> {
    let first = lang.split([',', ';']).next()?.trim();
    let primary = first.split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

impl Status {
    /// Whether a campaign may be shown to `me` now, before caps and pacing.
    pub(super) fn targets(&self, c: &CampaignRow, me: &AccountRow, lang: Option<&str>) -> bool {
        let now = self.ground.now();
        me.kind == AccountKind::Person
            && c.status == "approved"
            && c.starts_at.is_none_or(|s| s <= now)
            && c.ends_at.is_none_or(|e| now < e)
            && (c.countries.is_empty() || c.countries.contains(&region_of(&me.wa_id)))
            && (c.languages.is_empty()
                || lang
                    .and_then(primary_language)
                    .is_none_or(|l| c.languages.contains(&l)))
    }

    /// Fill the feed's sponsored places for `me`.
    pub async fn place_ads(
        &self,
        me: &AccountRow,
        feed: &mut StatusFeed,
        lang: Option<&str>,
    ) -> Result<()> {
        let rows = feed.contacts.len();
        if rows == 0 || me.kind != AccountKind::Person {
            return Ok(());
        }
        let every = self.ground.config.ads.every_rows.max(1);
        let mut slots: Vec<usize> = (1..=rows / every).map(|k| k * every - 1).collect();
        if slots.is_empty() {
            slots.push(rows - 1);
        }
        let now = self.ground.now();
        let hidden = self.store.hidden_by(me.id).await?;
        let mut candidates: Vec<CampaignRow> = self
            .store
            .running_campaigns(now)
            .await?
            .into_iter()
            .filter(|c| !hidden.contains(&c.id) && self.targets(c, me, lang))
            .collect();
        candidates.sort_by(|a, b| b.bid_cpm.cmp(&a.bid_cpm).then(a.id.cmp(&b.id)));
        let mut placed = Vec::new();
        for c in candidates {
            if placed.len() == slots.len() {
                break;
            }
            if !self.may_show(me.id, &c, now).await? {
                continue;
            }
            let ad = self.ad_view(&c).await?;
            placed.push(PlacedAd {
                after: slots[placed.len()],
                ad,
            });
        }
        feed.ads = placed
            .into_iter()
            .map(|p| serde_json::to_value(p).map_err(Error::internal))
            .collect::<Result<_>>()?;
        Ok(())
    }

    /// Under the person's cap and the campaign's pace right now.
    async fn may_show(&self, person: i64, c: &CampaignRow, now: i64) -> Result<bool> {
        let (_, timezone) = self.billing.ad_terms(c.waba_id).await?;
        let day = day_of(&timezone, now);
        let shown = self
            .store
            .shown_today(person, &[(c.id, day.date.clone())])
            .await?;
        if shown
            .first()
            .is_some_and(|(_, n)| *n >= self.ground.config.ads.frequency_cap)
        {
            return Ok(false);
        }
        let spent = self.store.ad_day(c.id, &day.date).await?.spend_micros;
        let cost = impression_micros(c.bid_cpm, &c.currency);
        Ok(spent + cost <= allowed_micros(c.daily_budget, &c.currency, &day, now))
    }

    /// The ad as a person sees it.
    async fn ad_view(&self, c: &CampaignRow) -> Result<Ad> {
        let number = self
            .accounts
            .account(c.number_id)
            .await?
            .ok_or_else(|| Error::not_found("ad not found"))?;
        Ok(Ad {
            id: placement_id(c.id),
            business: AdBusiness {
                wa_id: number.wa_id.clone(),
                name: number.verified_name.clone().unwrap_or(number.display_name),
            },
            headline: c.headline.clone(),
            body: c.body.clone(),
            button_text: c.button_text.clone(),
            media: AdMedia {
                kind: c.media_kind.clone(),
                url: self.creative_url(c),
                thumbnail_url: self.thumbnail_url(c),
            },
            sponsored: true,
        })
    }

    /// The campaign of a placement, when it may be shown to `me`.
    pub(super) async fn placed_campaign(
        &self,
        me: &AccountRow,
        placement: &str,
        lang: Option<&str>,
    ) -> Result<CampaignRow> {
        let id = placement_campaign(placement)?;
        let c = self
            .store
            .campaign(id)
            .await?
            .ok_or_else(|| Error::not_found("ad not found"))?;
        let hidden = self.store.hidden_by(me.id).await?;
        if hidden.contains(&c.id) || !self.targets(&c, me, lang) {
            return Err(Error::not_found("ad not found"));
        }
        Ok(c)
    }

    /// `me` saw an ad: counted, capped, paced and charged together. Returns whether it was
    /// counted (false once the cap or the pace stops it).
    pub async fn ad_impression(
        &self,
        me: &AccountRow,
        placement: &str,
        lang: Option<&str>,
    ) -> Result<ImpressionOutcome> {
        let c = self.placed_campaign(me, placement, lang).await?;
        let now = self.ground.now();
        let (_, timezone) = self.billing.ad_terms(c.waba_id).await?;
        let day = day_of(&timezone, now);
        let cost = impression_micros(c.bid_cpm, &c.currency);
        let write = ImpressionWrite {
            campaign_id: c.id,
            person_id: me.id,
            day: day.date.clone(),
            day_ends_at: day.end,
            cap: self.ground.config.ads.frequency_cap,
            spend_allowed_micros: allowed_micros(c.daily_budget, &c.currency, &day, now),
            ledger: self
                .billing
                .ad_spend_entry(c.waba_id, c.number_id, c.id, cost, &c.currency),
        };
        let outcome = self.store.record_impression(&write).await?;
        if outcome == ImpressionOutcome::Recorded {
            self.billing.ad_spend_written(c.waba_id).await?;
        }
        Ok(outcome)
    }

    /// The campaign of a placement, when it ever ran (one waiting for review or rejected was
    /// never shown).
    async fn shown_campaign(&self, placement: &str) -> Result<i64> {
        let id = placement_campaign(placement)?;
        match self.store.campaign(id).await? {
            Some(c) if matches!(c.status.as_str(), "approved" | "paused" | "ended") => Ok(c.id),
            _ => Err(Error::not_found("ad not found")),
        }
    }

    /// `me` never wants to see this campaign again.
    pub async fn hide_ad(&self, me: &AccountRow, placement: &str) -> Result<()> {
        let id = self.shown_campaign(placement).await?;
        self.store.hide_ad(me.id, id).await
    }

    /// `me` reports a campaign to the operator (it is hidden for them too).
    pub async fn report_ad(&self, me: &AccountRow, placement: &str, why: &str) -> Result<()> {
        let why = super::review::reason(why)?;
        let id = self.shown_campaign(placement).await?;
        self.store
            .report_ad(me.id, id, &why, self.ground.now())
            .await?;
        self.store.hide_ad(me.id, id).await
    }
}
