//! Voice and video calls between two people: the signalling a device and the server exchange
//! over the WebSocket (`{"op":"call","action":…}` from a device, `{"type":"call","event":…}`
//! from the server), the note a call leaves in its chat, and a call as the history lists it.
//! See `docs/calls.md`.

use crate::account::Account;
use crate::errors::ErrorBody;
use serde::{Deserialize, Serialize};

/// Whether a call carries video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallMedia {
    /// Audio only.
    Voice,
    /// Audio and video.
    Video,
}

impl CallMedia {
    /// `voice` or `video`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallMedia::Voice => "voice",
            CallMedia::Video => "video",
        }
    }

    /// From `voice` or `video` (anything else is voice).
    pub fn parse(s: &str) -> CallMedia {
        if s == "video" {
            CallMedia::Video
        } else {
            CallMedia::Voice
        }
    }
}

/// One ICE candidate, as the browser's `RTCIceCandidate.toJSON()` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IceCandidate {
    /// The `candidate:` line (empty at the end of candidates).
    pub candidate: String,
    /// The media section's id.
    #[serde(rename = "sdpMid", default, skip_serializing_if = "Option::is_none")]
    pub sdp_mid: Option<String>,
    /// The media section's index.
    #[serde(
        rename = "sdpMLineIndex",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sdp_m_line_index: Option<u32>,
    /// The ICE username fragment.
    #[serde(
        rename = "usernameFragment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub username_fragment: Option<String>,
}

/// What a device asks of a call: the `call` frame's `action`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CallAction {
    /// Call the other person of a direct chat; answered with `outgoing` (carrying `ref`).
    Start {
        /// Correlates the answer.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The direct chat.
        chat_id: String,
        /// Voice or video.
        media: CallMedia,
        /// The caller's SDP offer.
        sdp: String,
    },
    /// A callee's device is ringing (tells the caller once).
    Ringing {
        /// The call.
        call_id: String,
    },
    /// Answer on this device.
    Accept {
        /// The call.
        call_id: String,
        /// The callee's SDP answer.
        sdp: String,
    },
    /// Refuse a ringing call.
    Decline {
        /// The call.
        call_id: String,
    },
    /// The caller gives up before an answer.
    Cancel {
        /// The call.
        call_id: String,
    },
    /// End a call (a caller's hang-up before an answer is a cancel).
    Hangup {
        /// The call.
        call_id: String,
    },
    /// An ICE candidate for the other side.
    Ice {
        /// The call.
        call_id: String,
        /// The candidate.
        candidate: IceCandidate,
    },
    /// A new offer during the call (renegotiation, such as voice to video).
    Offer {
        /// The call.
        call_id: String,
        /// The SDP offer.
        sdp: String,
    },
    /// The answer to a renegotiation offer.
    Answer {
        /// The call.
        call_id: String,
        /// The SDP answer.
        sdp: String,
    },
    /// This side's microphone and camera are on or off.
    Media {
        /// The call.
        call_id: String,
        /// Microphone on.
        audio: bool,
        /// Camera on.
        video: bool,
    },
}

impl CallAction {
    /// The call the action is about (none for `start`).
    pub fn call_id(&self) -> Option<&str> {
        match self {
            CallAction::Start { .. } => None,
            CallAction::Ringing { call_id }
            | CallAction::Accept { call_id, .. }
            | CallAction::Decline { call_id }
            | CallAction::Cancel { call_id }
            | CallAction::Hangup { call_id }
            | CallAction::Ice { call_id, .. }
            | CallAction::Offer { call_id, .. }
            | CallAction::Answer { call_id, .. }
            | CallAction::Media { call_id, .. } => Some(call_id),
        }
    }
}

/// A call as its two sides see it in signalling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallInfo {
    /// `wacid.…`
    pub call_id: String,
    /// The direct chat.
    pub chat_id: String,
    /// The caller's wa_id.
    pub from: String,
    /// The callee's wa_id.
    pub to: String,
    /// Voice or video (as placed).
    pub media: CallMedia,
    /// When it was placed, Unix ms.
    pub created_at: i64,
}

/// What the server tells a device about a call: the `call` frame's `event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CallNotice {
    /// The call this device placed (answer to `start`).
    Outgoing {
        /// The `ref` of the start.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The call.
        call: CallInfo,
    },
    /// A call for this account: every device rings.
    Incoming {
        /// The call.
        call: CallInfo,
        /// The caller's offer.
        sdp: String,
        /// The caller as the callee may see them.
        caller: Account,
    },
    /// The callee's device is ringing.
    Ringing {
        /// The call.
        call_id: String,
    },
    /// The callee answered (to the caller's device, with the answer).
    Accepted {
        /// The call.
        call_id: String,
        /// The callee's SDP answer.
        sdp: String,
    },
    /// An ICE candidate from the other side.
    Ice {
        /// The call.
        call_id: String,
        /// The candidate.
        candidate: IceCandidate,
    },
    /// A renegotiation offer from the other side.
    Offer {
        /// The call.
        call_id: String,
        /// The SDP offer.
        sdp: String,
    },
    /// The other side's answer to this side's renegotiation offer.
    Answer {
        /// The call.
        call_id: String,
        /// The SDP answer.
        sdp: String,
    },
    /// The other side's microphone and camera.
    Media {
        /// The call.
        call_id: String,
        /// Their microphone is on.
        audio: bool,
        /// Their camera is on.
        video: bool,
    },
    /// The call is over (or, with `answered_elsewhere`, over for this device).
    Ended {
        /// The call.
        call_id: String,
        /// `declined`, `busy`, `cancelled`, `no_answer`, `hangup`, `dropped` or
        /// `answered_elsewhere`.
        reason: String,
        /// Seconds between the answer and the end, for an answered call.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_secs: Option<i64>,
    },
    /// An action of this device was refused.
    Error {
        /// The `ref` of a refused start.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The call the action named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call_id: Option<String>,
        /// Why.
        error: ErrorBody,
    },
}

/// What a call left in its chat: the structured side of the note (its `body` is the text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallNote {
    /// `wacid.…`
    pub call_id: String,
    /// Voice or video (video once either side turned a camera on in it).
    pub media: CallMedia,
    /// `answered`, `missed` or `declined`.
    pub outcome: String,
    /// The caller's wa_id.
    pub from: String,
    /// Seconds the answered call lasted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<i64>,
}

/// A call in the history (`GET /client/v1/calls`), as the viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    /// `wacid.…`
    pub call_id: String,
    /// The direct chat.
    pub chat_id: String,
    /// The other person.
    pub peer: Account,
    /// `outgoing` (the viewer called) or `incoming`.
    pub direction: String,
    /// Voice or video.
    pub media: CallMedia,
    /// `ringing`, `active` or `ended`.
    pub state: String,
    /// Once ended: `answered`, `declined`, `missed` (an incoming call nobody answered) or
    /// `unanswered` (an outgoing one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Why it ended (see [`CallNotice::Ended`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    /// Placed, Unix ms.
    pub created_at: i64,
    /// Answered, Unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
    /// Ended, Unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
    /// Seconds between answer and end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<i64>,
}

/// A page of call history, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallPage {
    /// The calls.
    pub data: Vec<CallRecord>,
    /// Pass as `before` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
