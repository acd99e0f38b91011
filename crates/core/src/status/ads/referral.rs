//! Click-to-chat: a tap on an ad in Status, or an open of its link or QR code, opens (or
//! creates) the person's chat with the business number and hands out a referral token bound
//! to that person and chat (the tap counted in the same transaction). The campaign's welcome
//! message comes back for display as the business's greeting; it is not stored as a message.
//! The person's first message carrying the token gets the referral object (Meta's fields,
//! `ctwa_clid` only for link and QR opens, as Meta leaves it out for ads in Status) stored in
//! its context, so the business's webhook renders it from the stored message; once that
//! message is committed the token is used up, the chat records its ad origin, the chat is
//! counted as started and billing's 72-hour free entry point opens.

use super::campaigns::not_found;
use super::pacing::day_of;
use super::rows::{CampaignRow, ChatOriginRow, ReferralRow};
use crate::accounts::AccountRow;
use crate::chats::{MessageRow, ReferralRules};
use crate::error::{Error, Result};
use crate::ids::new_token;
use crate::status::Status;
use wasla_types::ads::{AdBusiness, AdOpen, AdOrigin, Referral};
use wasla_types::tools::InboxChat;

/// A referral token is good for this long after it was handed out.
pub const REFERRAL_TTL_MS: i64 = 24 * 3_600_000;

fn bad_token() -> Error {
    Error::bad("referral: the token is unknown, used, expired or for another chat")
}

impl Status {
    /// A tap on an ad in the Status feed.
    pub async fn tap_ad(
        &self,
        me: &AccountRow,
        placement: &str,
        lang: Option<&str>,
    ) -> Result<AdOpen> {
        let c = self.placed_campaign(me, placement, lang).await?;
        self.open_chat_from(me, &c, "status").await
    }

    /// An open of a campaign's click-to-chat link or QR code.
    pub async fn open_ad_link(&self, me: &AccountRow, code: &str) -> Result<AdOpen> {
        let c = self.campaign_by_code(code).await?;
        let now = self.ground.now();
        let live =
            (c.status == "approved" || c.status == "paused") && c.ends_at.is_none_or(|e| now < e);
        if !live {
            return Err(not_found());
        }
        self.open_chat_from(me, &c, "link").await
    }

    async fn open_chat_from(&self, me: &AccountRow, c: &CampaignRow, via: &str) -> Result<AdOpen> {
        if me.kind != crate::accounts::AccountKind::Person {
            return Err(Error::Forbidden("only people open chats from ads".into()));
        }
        let number = self
            .accounts
            .account(c.number_id)
            .await?
            .ok_or_else(not_found)?;
        let chat = self.chats.direct_chat_with(me, &number).await?;
        let now = self.ground.now();
        let (_, timezone) = self.billing.ad_terms(c.waba_id).await?;
        let row = ReferralRow {
            token: new_token(),
            campaign_id: c.id,
            person_id: me.id,
            chat_id: chat.id,
            via: via.to_string(),
            ctwa_clid: (via == "link").then(new_token),
            created_at: now,
            used_at: None,
        };
        self.store
            .insert_referral(&row, &day_of(&timezone, now).date)
            .await?;
        Ok(AdOpen {
            chat_id: chat.id.to_string(),
            welcome_message: c.welcome_message.clone(),
            referral: row.token,
            business: AdBusiness {
                wa_id: number.wa_id.clone(),
                name: number.verified_name.clone().unwrap_or(number.display_name),
            },
            headline: c.headline.clone(),
        })
    }

    /// The referral a token stands for, when `sender` may use it in `chat_id`; `None` when
    /// `sender` already used it there (a resend of the first message).
    async fn resolve_referral(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        token: &str,
    ) -> Result<Option<Referral>> {
        if token.is_empty() || token.len() > 128 {
            return Err(bad_token());
        }
        let row = self.store.referral(token).await?.ok_or_else(bad_token)?;
        if row.person_id != sender.id || row.chat_id != chat_id {
            return Err(bad_token());
        }
        if row.used_at.is_some() {
            return Ok(None);
        }
        if self.ground.now() - row.created_at >= REFERRAL_TTL_MS {
            return Err(bad_token());
        }
        let c = self
            .store
            .campaign(row.campaign_id)
            .await?
            .ok_or_else(bad_token)?;
        Ok(Some(self.referral_of(&c, row.ctwa_clid)))
    }

    /// The message carrying a token was committed: use the token up, record the chat's origin,
    /// count the chat and open the free entry point.
    async fn referral_committed(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        message: &MessageRow,
        token: &str,
    ) -> Result<()> {
        let Some(row) = self.store.referral(token).await? else {
            return Ok(());
        };
        let Some(c) = self.store.campaign(row.campaign_id).await? else {
            return Ok(());
        };
        let (_, timezone) = self.billing.ad_terms(c.waba_id).await?;
        let origin = ChatOriginRow {
            chat_id,
            campaign_id: c.id,
            via: row.via.clone(),
            at: message.created_at,
        };
        let day = day_of(&timezone, message.created_at);
        if self.store.use_referral(token, &origin, &day.date).await? {
            self.billing
                .open_entry_point(c.number_id, sender.id, message.created_at)
                .await?;
        }
        Ok(())
    }

    /// Fill in the ad origins of inbox chats ("came from ad …").
    pub async fn fill_ad_origins(&self, chats: &mut [InboxChat]) -> Result<()> {
        let ids: Vec<i64> = chats
            .iter()
            .filter_map(|c| c.chat_id.parse().ok())
            .collect();
        let origins = self.store.chat_origins(&ids).await?;
        for o in origins {
            let Some(c) = self.store.campaign(o.campaign_id).await? else {
                continue;
            };
            for chat in chats
                .iter_mut()
                .filter(|v| v.chat_id == o.chat_id.to_string())
            {
                chat.ad_origin = Some(AdOrigin {
                    campaign_id: c.id.to_string(),
                    headline: c.headline.clone(),
                    via: o.via.clone(),
                    at: o.at,
                });
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ReferralRules for Status {
    async fn resolve(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        token: &str,
    ) -> Result<Option<Referral>> {
        self.resolve_referral(sender, chat_id, token).await
    }

    async fn committed(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        message: &MessageRow,
        token: &str,
    ) {
        if let Err(e) = self
            .referral_committed(sender, chat_id, message, token)
            .await
        {
            tracing::error!(error = %e, "recording an ad referral");
        }
    }
}
