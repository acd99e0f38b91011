//! The operator's review: campaigns waiting for review (or in any status), with how many
//! reports people filed about each; approving one lets it run, rejecting one (with a reason the
//! business sees) stops it. A running campaign that draws reports can be rejected too.

use super::campaigns::not_found;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use crate::status::Status;
use wasla_types::ads::{AdReport, Campaign};

/// Most campaigns in one listing.
const LIST_LIMIT: i64 = 500;
/// Longest reason for a rejection or a report.
pub const MAX_REASON: usize = 500;
const STATUSES: [&str; 5] = ["pending_review", "approved", "rejected", "paused", "ended"];

/// A reason checked to be 1 to [`MAX_REASON`] characters of text.
pub(super) fn reason(r: &str) -> Result<String> {
    let r = r.trim();
    if r.is_empty() || r.chars().count() > MAX_REASON {
        return Err(Error::bad(format!(
            "reason must be 1 to {MAX_REASON} characters"
        )));
    }
    Ok(r.to_string())
}

impl Status {
    /// Campaigns for the operator, newest first, in one status or all.
    pub async fn review_list(&self, status: Option<&str>) -> Result<Vec<Campaign>> {
        let status = status.map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = status {
            if !STATUSES.contains(&s) {
                return Err(Error::bad(format!(
                    "status must be one of {}",
                    STATUSES.join(", ")
                )));
            }
        }
        let rows = self.store.campaigns_in(status, LIST_LIMIT).await?;
        self.campaign_views(&rows).await
    }

    /// One campaign for the operator with its days.
    pub async fn review_campaign(&self, id: &str) -> Result<Campaign> {
        let id = parse_id(id).ok_or_else(not_found)?;
        let c = self.store.campaign(id).await?.ok_or_else(not_found)?;
        self.campaign_with_days(&c).await
    }

    /// The reports people filed about a campaign, newest first (reasons only: never who).
    pub async fn campaign_reports(&self, id: &str) -> Result<Vec<AdReport>> {
        let c = self.review_campaign(id).await?;
        let reports = self
            .store
            .reports(parse_id(&c.id).unwrap_or_default())
            .await?;
        Ok(reports
            .into_iter()
            .map(|(reason, created_at)| AdReport {
                campaign_id: c.id.clone(),
                reason,
                created_at,
            })
            .collect())
    }

    /// Approve a campaign waiting for review (or rejected before).
    pub async fn approve_campaign(&self, id: &str) -> Result<Campaign> {
        let c = self.review_campaign(id).await?;
        let cid = parse_id(&c.id).ok_or_else(not_found)?;
        if !self
            .store
            .set_campaign_status(
                cid,
                &["pending_review", "rejected"],
                "approved",
                None,
                self.ground.now(),
            )
            .await?
        {
            return Err(Error::Conflict(format!(
                "a campaign that is {} cannot be approved",
                c.status
            )));
        }
        self.review_campaign(id).await
    }

    /// Reject a campaign waiting for review or running, with a reason.
    pub async fn reject_campaign(&self, id: &str, why: &str) -> Result<Campaign> {
        let why = reason(why)?;
        let c = self.review_campaign(id).await?;
        let cid = parse_id(&c.id).ok_or_else(not_found)?;
        if !self
            .store
            .set_campaign_status(
                cid,
                &["pending_review", "approved", "paused"],
                "rejected",
                Some(&why),
                self.ground.now(),
            )
            .await?
        {
            return Err(Error::Conflict(format!(
                "a campaign that is {} cannot be rejected",
                c.status
            )));
        }
        self.review_campaign(id).await
    }
}
