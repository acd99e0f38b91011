//! The call history a person reads (`GET /client/v1/calls`): their calls, placed and
//! received, newest first, with the other person as they may see them.

use super::rows::{parse_wacid, wacid, CallRow, CallState, EndReason};
use super::Calls;
use crate::accounts::AccountRow;
use crate::error::{Error, Result};
use wasla_types::calls::{CallPage, CallRecord};

/// Largest history page.
const MAX_PAGE: i64 = 100;

impl Calls {
    /// A page of `me`'s calls older than the call `before` (a wacid), newest first.
    pub async fn history(
        &self,
        me: &AccountRow,
        before: Option<&str>,
        limit: Option<i64>,
    ) -> Result<CallPage> {
        let before = match before {
            Some(b) => Some(parse_wacid(b).ok_or_else(|| Error::bad("before must be a wacid"))?),
            None => None,
        };
        let limit = limit.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::bad(format!("limit must be 1 to {MAX_PAGE}")));
        }
        let mut rows = self.store.calls_of(me.id, before, limit + 1).await?;
        let next = (rows.len() as i64 > limit).then(|| {
            rows.truncate(limit as usize);
            wacid(rows[rows.len() - 1].id)
        });
        let mut ids: Vec<i64> = rows.iter().map(|r| r.peer_of(me.id)).collect();
        ids.sort_unstable();
        ids.dedup();
        let peers = self.accounts.accounts(&ids).await?;
        let mut data = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(peer) = peers.iter().find(|p| p.id == row.peer_of(me.id)) else {
                continue;
            };
            data.push(record(
                row,
                me.id,
                self.accounts.profile_for(me, peer).await?,
            ));
        }
        Ok(CallPage { data, next })
    }
}

/// A call as `viewer` sees it in the history.
fn record(row: &CallRow, viewer: i64, peer: wasla_types::client::Account) -> CallRecord {
    let outgoing = row.caller_id == viewer;
    let outcome = (row.state == CallState::Ended).then(|| {
        match (row.answered_at, row.end_reason) {
            (Some(_), _) => "answered",
            (None, Some(EndReason::Declined)) => "declined",
            (None, _) if outgoing => "unanswered",
            (None, _) => "missed",
        }
        .to_string()
    });
    CallRecord {
        call_id: wacid(row.id),
        chat_id: row.chat_id.to_string(),
        peer,
        direction: if outgoing { "outgoing" } else { "incoming" }.into(),
        media: row.media,
        state: row.state.as_str().into(),
        outcome,
        end_reason: row.end_reason.map(|r| r.as_str().to_string()),
        created_at: row.created_at,
        answered_at: row.answered_at,
        ended_at: row.ended_at,
        duration_secs: row.duration_secs().filter(|_| row.answered_at.is_some()),
    }
}
