//! Blocking, reporting and marketing opt-outs. A person blocks (and unblocks) anyone they
//! chat with, reports a business number (blocking it too unless they say not to), and opts
//! out of a business's marketing templates (per WABA: every number of the business). A
//! business number blocks people through `/{phone-number-id}/block_users` (only people who
//! wrote to it in the last 24 hours, as on the Cloud API; all or nothing). The send path asks
//! here through integration's [`SendGuard`] hook: a send between a number and a person where
//! either blocked the other fails with 131026, a marketing template to a person who opted out
//! with 131050, a business-initiated message over the WABA's limit with 131048; a person's
//! messages to a number that blocked them reach no webhook. What the hook reads it keeps for
//! 2 seconds per node (dropped at once on this node when it changes).

use super::limits::{ReportRow, CACHE_TTL, DAY_MS};
use super::Billing;
use crate::accounts::{AccountKind, AccountRow};
use crate::error::{Error, Result};
use crate::integration::SendGuard;
use crate::phone::normalize;
use std::time::Instant;
use wasla_types::limits::{
    BlockList, BlockUsersRequest, BlockUsersResponse, BlockUsersResult, BlockView, BlockedUser,
    BlockedUserOperation, Relation,
};

/// Longest reason of a block or a report.
const MAX_REASON_CHARS: usize = 200;
/// Most people one `block_users` request names.
const MAX_BLOCK_USERS: usize = 1000;
/// A business may block only people who wrote to it this recently.
const BLOCKABLE_AFTER_MS: i64 = 24 * 3600 * 1000;

impl Billing {
    /// The account a person names by number (digits or `+E.164`).
    async fn other_account(&self, me: &AccountRow, wa_id: &str) -> Result<AccountRow> {
        let phone =
            normalize(wa_id).map_err(|_| Error::bad(format!("{wa_id:?} is not a phone number")))?;
        let other = self
            .accounts
            .account_by_wa_id(&phone.wa_id)
            .await?
            .ok_or_else(|| Error::not_found("no account has this number"))?;
        if other.id == me.id {
            return Err(Error::bad("you cannot block or report yourself"));
        }
        Ok(other)
    }

    /// Forget what this node read about a pair's blocks.
    fn forget_pair(&self, a: i64, b: i64) {
        self.limits
            .pairs_changed
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.limits.pairs.with(|m| {
            m.remove(&(a, b));
            m.remove(&(b, a));
        });
    }

    /// A person blocks someone.
    pub async fn block(
        &self,
        me: &AccountRow,
        wa_id: &str,
        reason: Option<String>,
    ) -> Result<Relation> {
        let other = self.other_account(me, wa_id).await?;
        let reason = clean_reason(reason)?;
        self.store
            .put_blocks(me.id, &[other.id], reason.as_deref(), self.ground.now())
            .await?;
        self.after_change(me, &other).await
    }

    /// A person unblocks someone.
    pub async fn unblock(&self, me: &AccountRow, wa_id: &str) -> Result<Relation> {
        let other = self.other_account(me, wa_id).await?;
        self.store.delete_blocks(me.id, &[other.id]).await?;
        self.after_change(me, &other).await
    }

    /// A person reports a business number, blocking it too unless `block` is false.
    pub async fn report(
        &self,
        me: &AccountRow,
        wa_id: &str,
        reason: Option<String>,
        block: bool,
    ) -> Result<Relation> {
        let other = self.other_account(me, wa_id).await?;
        if other.kind != AccountKind::Business {
            return Err(Error::bad("only business numbers can be reported"));
        }
        let reason = clean_reason(reason)?.unwrap_or_else(|| "spam".into());
        let now = self.ground.now();
        self.store
            .put_report(&ReportRow {
                id: self.ground.ids.next(),
                reporter_id: me.id,
                reported_id: other.id,
                reason: reason.clone(),
                created_at: now,
            })
            .await?;
        if block {
            self.store
                .put_blocks(me.id, &[other.id], Some(&reason), now)
                .await?;
        }
        self.after_change(me, &other).await
    }

    /// After a block, unblock or report: drop the cached pair, rate the number again, and
    /// say where the person stands.
    async fn after_change(&self, me: &AccountRow, other: &AccountRow) -> Result<Relation> {
        self.forget_pair(me.id, other.id);
        if other.kind == AccountKind::Business {
            self.recompute_quality(other).await?;
        }
        self.relation_with(me, other).await
    }

    /// Where a person stands with the account of `wa_id`.
    pub async fn relation(&self, me: &AccountRow, wa_id: &str) -> Result<Relation> {
        let other = self.other_account(me, wa_id).await?;
        self.relation_with(me, &other).await
    }

    async fn relation_with(&self, me: &AccountRow, other: &AccountRow) -> Result<Relation> {
        let blocks = self.store.blocks_between(me.id, other.id).await?;
        let business = other.kind == AccountKind::Business;
        let opted_out = match other.waba_id {
            Some(w) if business => self.store.marketing_opted_out(me.id, w).await?,
            _ => false,
        };
        Ok(Relation {
            wa_id: other.wa_id.clone(),
            is_business: business,
            blocked: blocks.contains(&(me.id, other.id)),
            reported: business && self.store.has_reported(me.id, other.id).await?,
            marketing_opt_out: opted_out,
        })
    }

    /// Everyone a person blocked, newest first.
    pub async fn my_blocks(&self, me: &AccountRow) -> Result<BlockList> {
        let rows = self.store.blocks_by(me.id, None, 500).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.blocked_id).collect();
        let accounts = self.accounts.accounts(&ids).await?;
        let data = rows
            .into_iter()
            .filter_map(|r| {
                let a = accounts.iter().find(|a| a.id == r.blocked_id)?;
                Some(BlockView {
                    wa_id: a.wa_id.clone(),
                    display_name: a
                        .verified_name
                        .clone()
                        .unwrap_or_else(|| a.display_name.clone()),
                    is_business: a.kind == AccountKind::Business,
                    reason: r.reason,
                    blocked_at: r.created_at,
                })
            })
            .collect();
        Ok(BlockList { data })
    }

    /// A person opts out of (or back into) a business's marketing templates.
    pub async fn set_marketing_opt_out(
        &self,
        me: &AccountRow,
        wa_id: &str,
        opt_out: bool,
    ) -> Result<Relation> {
        let other = self.other_account(me, wa_id).await?;
        let Some(waba) = other
            .waba_id
            .filter(|_| other.kind == AccountKind::Business)
        else {
            return Err(Error::bad("only business numbers send marketing messages"));
        };
        self.store
            .set_marketing_opt_out(me.id, waba, opt_out, self.ground.now())
            .await?;
        self.relation_with(me, &other).await
    }

    /// The people a `block_users` request names, each as (input, person); every problem is
    /// collected so that the request fails as a whole, naming them all.
    async fn block_targets(
        &self,
        number: &AccountRow,
        req: &BlockUsersRequest,
        blocking: bool,
    ) -> Result<Vec<(String, AccountRow)>> {
        if req.messaging_product.as_deref() != Some("whatsapp") {
            return Err(Error::invalid_param(
                "messaging_product must be \"whatsapp\"",
            ));
        }
        let users = req.block_users.as_deref().unwrap_or_default();
        if users.is_empty() || users.len() > MAX_BLOCK_USERS {
            return Err(Error::invalid_param(format!(
                "block_users must list 1 to {MAX_BLOCK_USERS} users as {{\"user\": \"<phone number>\"}}"
            )));
        }
        let now = self.ground.now();
        let (mut found, mut failed) = (Vec::new(), Vec::new());
        for u in users {
            let Ok(phone) = normalize(&u.user) else {
                failed.push(format!("{:?} is not a valid phone number", u.user));
                continue;
            };
            let person = match self.accounts.account_by_wa_id(&phone.wa_id).await? {
                Some(p) if p.kind == AccountKind::Person => p,
                _ => {
                    failed.push(format!("{} is not a WhatsApp user on this server", u.user));
                    continue;
                }
            };
            if blocking {
                let wrote = self.integration.last_inbound(number.id, person.id).await?;
                if wrote.is_none_or(|t| now - t >= BLOCKABLE_AFTER_MS) {
                    failed.push(format!(
                        "{} has not messaged this number in the last 24 hours",
                        u.user
                    ));
                    continue;
                }
            }
            found.push((u.user.clone(), person));
        }
        if !failed.is_empty() {
            let what = if blocking { "block" } else { "unblock" };
            return Err(Error::graph(
                139100,
                400,
                "Failed to block/unblock users",
                format!("Nobody was {what}ed: {}.", failed.join("; ")),
            ));
        }
        Ok(found)
    }

    /// `POST /{phone-number-id}/block_users`: the number blocks people.
    pub async fn block_users(
        &self,
        number: &AccountRow,
        req: BlockUsersRequest,
    ) -> Result<BlockUsersResponse> {
        let targets = self.block_targets(number, &req, true).await?;
        let ids: Vec<i64> = targets.iter().map(|(_, p)| p.id).collect();
        self.store
            .put_blocks(number.id, &ids, None, self.ground.now())
            .await?;
        Ok(self.block_answer(number, targets, true))
    }

    /// `DELETE /{phone-number-id}/block_users`: the number unblocks people.
    pub async fn unblock_users(
        &self,
        number: &AccountRow,
        req: BlockUsersRequest,
    ) -> Result<BlockUsersResponse> {
        let targets = self.block_targets(number, &req, false).await?;
        let ids: Vec<i64> = targets.iter().map(|(_, p)| p.id).collect();
        self.store.delete_blocks(number.id, &ids).await?;
        Ok(self.block_answer(number, targets, false))
    }

    fn block_answer(
        &self,
        number: &AccountRow,
        targets: Vec<(String, AccountRow)>,
        added: bool,
    ) -> BlockUsersResponse {
        let ops: Vec<BlockedUserOperation> = targets
            .into_iter()
            .map(|(input, p)| {
                self.forget_pair(number.id, p.id);
                BlockedUserOperation {
                    input,
                    wa_id: p.wa_id,
                }
            })
            .collect();
        let (added_users, removed_users) = if added {
            (Some(ops), None)
        } else {
            (None, Some(ops))
        };
        BlockUsersResponse {
            messaging_product: "whatsapp".into(),
            block_users: BlockUsersResult {
                added_users,
                removed_users,
            },
        }
    }

    /// `GET /{phone-number-id}/block_users`: the people the number blocked, newest first,
    /// after the cursor `after`; with the cursor of the next page when there is one.
    pub async fn blocked_users(
        &self,
        number: &AccountRow,
        limit: i64,
        after: Option<&str>,
    ) -> Result<(Vec<BlockedUser>, Option<String>)> {
        if !(1..=1000).contains(&limit) {
            return Err(Error::invalid_param("limit must be between 1 and 1000"));
        }
        let cursor = match after {
            Some(a) => Some(parse_cursor(a).ok_or_else(|| {
                Error::invalid_param(format!("after: {a:?} is not a cursor of this list"))
            })?),
            None => None,
        };
        let mut rows = self.store.blocks_by(number.id, cursor, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = rows
            .last()
            .filter(|_| more)
            .map(|r| format!("{}.{}", r.created_at, r.blocked_id));
        let ids: Vec<i64> = rows.iter().map(|r| r.blocked_id).collect();
        let accounts = self.accounts.accounts(&ids).await?;
        let data = rows
            .iter()
            .filter_map(|r| accounts.iter().find(|a| a.id == r.blocked_id))
            .map(|a| BlockedUser {
                messaging_product: "whatsapp".into(),
                wa_id: a.wa_id.clone(),
            })
            .collect();
        Ok((data, next))
    }

    /// The blocks between a number and a person: bit 1 the person blocked the number, bit 2
    /// the number blocked the person.
    async fn pair_blocks(&self, number_id: i64, person_id: i64) -> Result<u8> {
        if let Some((at, bits)) = self.limits.pairs.get(&(number_id, person_id)) {
            if at.elapsed() < CACHE_TTL {
                return Ok(bits);
            }
        }
        let changes = &self.limits.pairs_changed;
        let before = changes.load(std::sync::atomic::Ordering::SeqCst);
        let mut bits = 0;
        for (blocker, _) in self.store.blocks_between(number_id, person_id).await? {
            bits |= if blocker == person_id { 1 } else { 2 };
        }
        if changes.load(std::sync::atomic::Ordering::SeqCst) == before {
            self.limits
                .pairs
                .put((number_id, person_id), (Instant::now(), bits));
        }
        Ok(bits)
    }

    /// Record that the number messaged the person today (once per pair and day per node).
    async fn note_reach(&self, number_id: i64, person_id: i64) -> Result<()> {
        let day = self.ground.now() / DAY_MS;
        if self.limits.reach.get(&(number_id, person_id)) == Some(day) {
            return Ok(());
        }
        self.store.note_reach(number_id, person_id, day).await?;
        self.limits.reach.put((number_id, person_id), day);
        Ok(())
    }
}

#[async_trait::async_trait]
impl SendGuard for Billing {
    async fn check_send(
        &self,
        number: &AccountRow,
        person_id: i64,
        category: Option<&str>,
        business_initiated: bool,
    ) -> Result<Option<i64>> {
        if self.pair_blocks(number.id, person_id).await? != 0 {
            return Ok(Some(131026));
        }
        if category == Some("marketing") {
            if let Some(waba) = number.waba_id {
                if self.store.marketing_opted_out(person_id, waba).await? {
                    return Ok(Some(131050));
                }
            }
        }
        if business_initiated && category.is_some() {
            if let Some(code) = self.admit_business_initiated(number, person_id).await? {
                return Ok(Some(code));
            }
        }
        self.note_reach(number.id, person_id).await?;
        Ok(None)
    }

    async fn withholds_inbound(&self, number_id: i64, person_id: i64) -> Result<bool> {
        Ok(self.pair_blocks(number_id, person_id).await? & 2 != 0)
    }
}

/// A reason as given: trimmed, at most 200 characters, none when empty.
fn clean_reason(reason: Option<String>) -> Result<Option<String>> {
    let Some(r) = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
    else {
        return Ok(None);
    };
    if r.chars().count() > MAX_REASON_CHARS || r.chars().any(char::is_control) {
        return Err(Error::bad(format!(
            "reason must be at most {MAX_REASON_CHARS} characters of text"
        )));
    }
    Ok(Some(r))
}

/// `created_at.blocked_id`.
fn parse_cursor(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}
