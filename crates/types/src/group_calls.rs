//! Group calls: the signalling a device and the server exchange over the WebSocket
//! (`{"op":"group_call","action":…}` from a device, `{"type":"group_call","event":…}` from
//! the server) for a voice or video call in a group chat whose media goes through the
//! server's SFU. See `docs/group-calls.md`.

use crate::calls::CallMedia;
use crate::errors::ErrorBody;
use serde::{Deserialize, Serialize};

/// What a device asks of a group call: the `group_call` frame's `action`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum GroupCallAction {
    /// Start a call in a group chat (or join the one already going on there) with this
    /// device's SDP offer; the group's other members ring. Answered with `joined`.
    Start {
        /// Correlates the answer.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The group chat.
        chat_id: String,
        /// Voice or video.
        media: CallMedia,
        /// The device's SDP offer (its microphone and, for video, camera).
        sdp: String,
    },
    /// Join a call that is going on, with this device's SDP offer. Answered with `joined`.
    Join {
        /// Correlates the answer.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The call.
        call_id: String,
        /// The device's SDP offer.
        sdp: String,
    },
    /// The device's answer to an `offer` the server sent when the room changed.
    Answer {
        /// The call.
        call_id: String,
        /// The SDP answer.
        sdp: String,
    },
    /// The device's microphone or camera was turned on or off (shown to the others).
    Media {
        /// The call.
        call_id: String,
        /// Microphone on.
        audio: bool,
        /// Camera on.
        video: bool,
    },
    /// The size at which the device shows each participant's video, so the server sends a
    /// layer that fits; participants not listed are not shown (thumbnail layer or none).
    View {
        /// The call.
        call_id: String,
        /// The tiles on screen.
        tiles: Vec<TileView>,
    },
    /// Stop ringing on this person's devices without joining.
    Decline {
        /// The call.
        call_id: String,
    },
    /// Leave the call.
    Leave {
        /// The call.
        call_id: String,
    },
}

impl GroupCallAction {
    /// The call the action is about, when it names one.
    pub fn call_id(&self) -> Option<&str> {
        match self {
            GroupCallAction::Start { .. } => None,
            GroupCallAction::Join { call_id, .. }
            | GroupCallAction::Answer { call_id, .. }
            | GroupCallAction::Media { call_id, .. }
            | GroupCallAction::View { call_id, .. }
            | GroupCallAction::Decline { call_id }
            | GroupCallAction::Leave { call_id } => Some(call_id),
        }
    }

    /// The `ref` of a start or join.
    pub fn reference(&self) -> Option<&str> {
        match self {
            GroupCallAction::Start { reference, .. } | GroupCallAction::Join { reference, .. } => {
                reference.as_deref()
            }
            _ => None,
        }
    }
}

/// One participant's tile as a device shows it, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileView {
    /// The participant shown.
    pub participant: u64,
    /// Tile width.
    pub width: u32,
    /// Tile height.
    pub height: u32,
}

/// A group call as its members see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCallInfo {
    /// The call (`wagcid.…`).
    pub call_id: String,
    /// The group chat.
    pub chat_id: String,
    /// Who started it.
    pub started_by: String,
    /// Voice or video.
    pub media: CallMedia,
    /// When it started, Unix ms.
    pub started_at: i64,
    /// How many can be in it at once.
    pub max_participants: u32,
}

/// One person's device in a group call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// The participant's id in this call (the media streams it sends carry it as their
    /// stream id).
    pub participant: u64,
    /// The person.
    pub wa_id: String,
    /// Their profile name, when they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Microphone on.
    pub audio: bool,
    /// Camera on.
    pub video: bool,
}

/// What the server tells a device about a group call: the `group_call` frame's `event`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum GroupCallNotice {
    /// A call started in a group this person is in: ring (every device).
    Ringing {
        /// The call.
        call: GroupCallInfo,
        /// Who is in it now.
        participants: Vec<Participant>,
    },
    /// This device is in the call: the SFU's answer to its offer.
    Joined {
        /// The `ref` of the start or join.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The call.
        call: GroupCallInfo,
        /// This device's participant id.
        participant: u64,
        /// The SDP answer.
        sdp: String,
        /// Who is in it (this device included).
        participants: Vec<Participant>,
    },
    /// The room changed (someone joined or left): the SFU's new offer, to answer with
    /// `answer`.
    Offer {
        /// The call.
        call_id: String,
        /// The SDP offer.
        sdp: String,
    },
    /// Who is in the call now, with their microphone and camera states.
    Participants {
        /// The call.
        call_id: String,
        /// Everyone in it.
        participants: Vec<Participant>,
    },
    /// Who is speaking, most recent first (from the audio levels they send).
    Speakers {
        /// The call.
        call_id: String,
        /// Participant ids, the active speaker first.
        speakers: Vec<u64>,
    },
    /// Someone left or was dropped (their connection stopped answering).
    Left {
        /// The call.
        call_id: String,
        /// Who.
        participant: u64,
        /// `left` or `dropped`.
        reason: String,
    },
    /// Stop ringing: this person joined or declined on another device, or the call ended.
    StopRinging {
        /// The call.
        call_id: String,
    },
    /// The call ended (its last participant left).
    Ended {
        /// The call.
        call_id: String,
    },
    /// A group call action was refused; nothing changed.
    Error {
        /// The `ref` of a refused start or join.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The call, when the action named one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call_id: Option<String>,
        /// Why.
        error: ErrorBody,
    },
}
