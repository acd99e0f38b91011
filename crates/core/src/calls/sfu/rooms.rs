//! The group calls going on at this node: one room per call, at most one call per group chat,
//! each with its participants (a person's device) and the group's members it rings. Rooms live
//! in memory: a call is one room on one node, and it ends when its last participant leaves.

use std::collections::{BTreeMap, HashMap};
use wasla_types::calls::CallMedia;
use wasla_types::group_calls::{GroupCallInfo, Participant};

/// The prefix of a group call's id.
const PREFIX: &str = "wagcid.";

/// A group call's id as devices see it.
pub(super) fn call_id(room: u64) -> String {
    format!("{PREFIX}{room}")
}

/// The room a call id names, if it is one.
pub(super) fn parse_call_id(id: &str) -> Option<u64> {
    id.strip_prefix(PREFIX)?.parse().ok()
}

/// One device in a call.
#[derive(Debug, Clone)]
pub(super) struct Seat {
    /// The person's account.
    pub account: i64,
    /// The device (connection) id.
    pub device: i64,
    /// What the others see.
    pub shown: Participant,
}

/// One group call.
#[derive(Debug, Clone)]
pub(super) struct Room {
    /// The room id.
    pub id: u64,
    /// The group chat.
    pub chat_id: i64,
    /// The group's members when it started (who rings and hears that it ended).
    pub members: Vec<i64>,
    /// Who started it.
    pub started_by: String,
    /// Voice or video.
    pub media: CallMedia,
    /// When it started, Unix ms.
    pub started_at: i64,
    /// Its cap.
    pub max: u32,
    /// Who is in it, by participant id.
    pub seats: BTreeMap<u64, Seat>,
}

impl Room {
    /// The call as members see it.
    pub fn info(&self) -> GroupCallInfo {
        GroupCallInfo {
            call_id: call_id(self.id),
            chat_id: self.chat_id.to_string(),
            started_by: self.started_by.clone(),
            media: self.media,
            started_at: self.started_at,
            max_participants: self.max,
        }
    }

    /// Everyone in it.
    pub fn participants(&self) -> Vec<Participant> {
        self.seats.values().map(|s| s.shown.clone()).collect()
    }
}

/// Every room of this node.
#[derive(Debug, Default)]
pub(super) struct Rooms {
    /// Rooms by id.
    pub rooms: HashMap<u64, Room>,
    /// The room of each group chat with a call.
    pub by_chat: HashMap<i64, u64>,
    /// The room of each participant.
    pub by_participant: HashMap<u64, u64>,
}

impl Rooms {
    /// The room of a participant and its seat.
    pub fn seat(&self, participant: u64) -> Option<(&Room, &Seat)> {
        let room = self.rooms.get(self.by_participant.get(&participant)?)?;
        Some((room, room.seats.get(&participant)?))
    }

    /// The participant a device has in a room, if any.
    pub fn participant_of(&self, room: u64, account: i64, device: i64) -> Option<u64> {
        let room = self.rooms.get(&room)?;
        room.seats
            .iter()
            .find(|(_, s)| s.account == account && s.device == device)
            .map(|(p, _)| *p)
    }

    /// Remove a participant; returns its room as it is after, and whether it was the last.
    pub fn unseat(&mut self, participant: u64) -> Option<(Room, bool)> {
        let room_id = self.by_participant.remove(&participant)?;
        let room = self.rooms.get_mut(&room_id)?;
        room.seats.remove(&participant);
        if room.seats.is_empty() {
            let room = self.rooms.remove(&room_id)?;
            self.by_chat.remove(&room.chat_id);
            Some((room, true))
        } else {
            Some((room.clone(), false))
        }
    }
}
