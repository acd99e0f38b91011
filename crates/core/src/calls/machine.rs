//! The state machine of one call: which step may happen in which state, by which side, and
//! what the row becomes. Pure: the service applies a step to the row it read and stores the
//! result only if the state did not move meanwhile (compare and set), so two devices or two
//! nodes acting at once cannot both win.
//!
//! ```text
//! ringing ──accept (callee)──────────▶ active ──hang-up (either)──▶ ended (hangup)
//!    │ decline (callee)    ▶ ended (declined)   │ silent or gone ──▶ ended (dropped)
//!    │ cancel (caller)     ▶ ended (cancelled)
//!    │ 45 s on the clock   ▶ ended (no_answer)
//!    │ caller gone         ▶ ended (cancelled)
//! (callee in another call: stored ended (busy) at once)
//! ```

use super::rows::{CallRow, CallState, EndReason};
use crate::error::{Error, Result};

/// How long a call rings before it ends unanswered, ms.
pub const RING_MS: i64 = 45_000;
/// How long a side of an active call may stay silent (no ping, no signalling) before the
/// call is dropped, ms.
pub const SILENT_MS: i64 = 60_000;

/// Which side acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The person who called.
    Caller,
    /// The person called.
    Callee,
}

/// Something that happens to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The callee answers on `device`.
    Accept {
        /// The answering device.
        device: i64,
    },
    /// The callee refuses.
    Decline,
    /// The caller gives up.
    Cancel,
    /// A side ends the call.
    Hangup,
    /// The ringing time ran out.
    NoAnswer,
    /// A side stopped answering.
    Dropped,
}

/// The row after `step` by `side` (none for the clock's steps) at `now`, or why not.
pub fn apply(row: &CallRow, side: Option<Side>, step: Step, now: i64) -> Result<CallRow> {
    use CallState::*;
    let ended = |reason: EndReason| CallRow {
        state: Ended,
        end_reason: Some(reason),
        ended_at: Some(now),
        ..row.clone()
    };
    let wrong_side = || Error::bad("that is not for this side of the call");
    match (row.state, step, side) {
        (Ended, _, _) => Err(Error::Conflict("the call has ended".into())),
        (Ringing, Step::Accept { device }, Some(Side::Callee)) => Ok(CallRow {
            state: Active,
            callee_device: Some(device),
            answered_at: Some(now),
            caller_seen_at: now,
            callee_seen_at: Some(now),
            ..row.clone()
        }),
        (Active, Step::Accept { .. }, Some(Side::Callee)) => {
            Err(Error::Conflict("the call was answered already".into()))
        }
        (Ringing, Step::Decline, Some(Side::Callee)) => Ok(ended(EndReason::Declined)),
        (Ringing, Step::Cancel, Some(Side::Caller)) => Ok(ended(EndReason::Cancelled)),
        (Ringing, Step::Hangup, Some(Side::Caller)) => Ok(ended(EndReason::Cancelled)),
        (Ringing, Step::Hangup, Some(Side::Callee)) => Ok(ended(EndReason::Declined)),
        (Active, Step::Hangup, Some(_)) => Ok(ended(EndReason::Hangup)),
        (Ringing, Step::NoAnswer, None) => Ok(ended(EndReason::NoAnswer)),
        (Ringing, Step::Dropped, _) => Ok(ended(EndReason::Cancelled)),
        (Active, Step::Dropped, _) => Ok(ended(EndReason::Dropped)),
        (Active, Step::Decline | Step::Cancel, _) => {
            Err(Error::Conflict("the call was answered already".into()))
        }
        _ => Err(wrong_side()),
    }
}

/// Whether a ringing call has rung out, or an active one has a silent side, at `now`.
pub fn due(row: &CallRow, now: i64) -> Option<Step> {
    match row.state {
        CallState::Ringing if now - row.created_at >= RING_MS => Some(Step::NoAnswer),
        CallState::Active => {
            let quiet = row
                .caller_seen_at
                .min(row.callee_seen_at.unwrap_or(row.caller_seen_at));
            (now - quiet >= SILENT_MS).then_some(Step::Dropped)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasla_types::calls::CallMedia;

    fn ringing() -> CallRow {
        CallRow {
            id: 1,
            chat_id: 2,
            caller_id: 3,
            callee_id: 4,
            media: CallMedia::Voice,
            state: CallState::Ringing,
            end_reason: None,
            caller_device: 5,
            callee_device: None,
            created_at: 1_000,
            answered_at: None,
            ended_at: None,
            caller_seen_at: 1_000,
            callee_seen_at: None,
        }
    }

    #[test]
    fn an_answered_call_is_timed_and_ends_once() {
        let active = apply(
            &ringing(),
            Some(Side::Callee),
            Step::Accept { device: 9 },
            2_000,
        )
        .unwrap();
        assert_eq!(active.state, CallState::Active);
        assert_eq!(active.callee_device, Some(9));
        assert!(apply(
            &active,
            Some(Side::Callee),
            Step::Accept { device: 8 },
            2_100
        )
        .is_err());
        let ended = apply(&active, Some(Side::Caller), Step::Hangup, 135_000).unwrap();
        assert_eq!(ended.end_reason, Some(EndReason::Hangup));
        assert_eq!(ended.duration_secs(), Some(133));
        assert!(apply(&ended, Some(Side::Callee), Step::Hangup, 136_000).is_err());
    }

    #[test]
    fn each_side_has_its_own_steps() {
        let r = ringing();
        assert!(apply(&r, Some(Side::Caller), Step::Accept { device: 5 }, 1).is_err());
        assert!(apply(&r, Some(Side::Caller), Step::Decline, 1).is_err());
        assert!(apply(&r, Some(Side::Callee), Step::Cancel, 1).is_err());
        let declined = apply(&r, Some(Side::Callee), Step::Decline, 1).unwrap();
        assert_eq!(declined.end_reason, Some(EndReason::Declined));
        let cancelled = apply(&r, Some(Side::Caller), Step::Hangup, 1).unwrap();
        assert_eq!(cancelled.end_reason, Some(EndReason::Cancelled));
    }

    #[test]
    fn the_clock_ends_ringing_and_silent_calls() {
        let r = ringing();
        assert_eq!(due(&r, 1_000 + RING_MS - 1), None);
        assert_eq!(due(&r, 1_000 + RING_MS), Some(Step::NoAnswer));
        let active = apply(&r, Some(Side::Callee), Step::Accept { device: 9 }, 2_000).unwrap();
        assert_eq!(due(&active, 2_000 + SILENT_MS - 1), None);
        let caller_spoke = CallRow {
            caller_seen_at: 2_000 + SILENT_MS,
            ..active
        };
        assert_eq!(due(&caller_spoke, 2_000 + SILENT_MS), Some(Step::Dropped));
    }
}
