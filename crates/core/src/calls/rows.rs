//! The calls domain's rows: a call between two people with its state, the devices that placed
//! and answered it, and the times the state machine and the history read.

use wasla_types::calls::CallMedia;

/// Where a call is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    /// Placed; the callee's devices ring.
    Ringing,
    /// Answered on one of the callee's devices.
    Active,
    /// Over (see [`EndReason`]).
    Ended,
}

impl CallState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Ringing => "ringing",
            CallState::Active => "active",
            CallState::Ended => "ended",
        }
    }

    /// From the stored word.
    pub fn parse(s: &str) -> CallState {
        match s {
            "ringing" => CallState::Ringing,
            "active" => CallState::Active,
            _ => CallState::Ended,
        }
    }
}

/// Why a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The callee refused it.
    Declined,
    /// The callee was in another call.
    Busy,
    /// The caller gave up before an answer.
    Cancelled,
    /// Nobody answered within the ringing time.
    NoAnswer,
    /// One side hung up an answered call.
    Hangup,
    /// A side stopped answering (its connection closed or went silent).
    Dropped,
}

impl EndReason {
    /// The stored (and signalled) word.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Declined => "declined",
            EndReason::Busy => "busy",
            EndReason::Cancelled => "cancelled",
            EndReason::NoAnswer => "no_answer",
            EndReason::Hangup => "hangup",
            EndReason::Dropped => "dropped",
        }
    }

    /// From the stored word.
    pub fn parse(s: &str) -> Option<EndReason> {
        Some(match s {
            "declined" => EndReason::Declined,
            "busy" => EndReason::Busy,
            "cancelled" => EndReason::Cancelled,
            "no_answer" => EndReason::NoAnswer,
            "hangup" => EndReason::Hangup,
            "dropped" => EndReason::Dropped,
            _ => return None,
        })
    }
}

/// One call between two people of a direct chat.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    /// Row id (the wacid encodes it).
    pub id: i64,
    /// The direct chat.
    pub chat_id: i64,
    /// Who called.
    pub caller_id: i64,
    /// Who was called.
    pub callee_id: i64,
    /// Voice, or video once either side sent video.
    pub media: CallMedia,
    /// Where it is.
    pub state: CallState,
    /// Why it ended.
    pub end_reason: Option<EndReason>,
    /// The caller's device (its connection id).
    pub caller_device: i64,
    /// The callee's device that answered.
    pub callee_device: Option<i64>,
    /// Placed, Unix ms.
    pub created_at: i64,
    /// Answered, Unix ms.
    pub answered_at: Option<i64>,
    /// Ended, Unix ms.
    pub ended_at: Option<i64>,
    /// When the caller's device was last heard from, Unix ms.
    pub caller_seen_at: i64,
    /// When the callee's answering device was last heard from, Unix ms.
    pub callee_seen_at: Option<i64>,
}

impl CallRow {
    /// Seconds between answer and end, for an answered call that ended.
    pub fn duration_secs(&self) -> Option<i64> {
        match (self.answered_at, self.ended_at) {
            (Some(a), Some(e)) => Some(((e - a).max(0)) / 1000),
            _ => None,
        }
    }

    /// The other side of the call from `account_id`'s view.
    pub fn peer_of(&self, account_id: i64) -> i64 {
        if account_id == self.caller_id {
            self.callee_id
        } else {
            self.caller_id
        }
    }
}

/// What placing a call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// Stored as ringing.
    Ringing,
    /// The caller is in another call already: nothing was stored.
    CallerBusy,
    /// The callee is in another call: stored as ended (busy).
    CalleeBusy,
}

const WACID_TAG: &[u8; 4] = b"WCAL";

/// The `wacid.…` of a call row id.
pub fn wacid(id: i64) -> String {
    use base64::Engine;
    let mut bytes = Vec::with_capacity(12);
    bytes.extend_from_slice(WACID_TAG);
    bytes.extend_from_slice(&id.to_be_bytes());
    format!(
        "wacid.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The call row id of a `wacid.…`, if it is one of ours.
pub fn parse_wacid(s: &str) -> Option<i64> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.strip_prefix("wacid.")?)
        .ok()?;
    if raw.len() != 12 || &raw[..4] != WACID_TAG {
        return None;
    }
    Some(i64::from_be_bytes(raw[4..].try_into().ok()?))
}
