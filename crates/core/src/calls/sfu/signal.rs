//! What a device's `group_call` frames do. Starting a call checks that the caller is an active
//! member of a group chat, opens its room and rings every other member's devices; joining
//! checks membership again (only members of the chat join its call) and the cap. Every
//! session description is size-limited, checked line by line and parsed strictly before the
//! SFU sees it; a refusal changes nothing. When the SFU reports a new offer, a participant
//! dropped or a new speaker order, the devices concerned are told.

use super::checks::check_group_sdp;
use super::engine::{Command, Report};
use super::rooms::{call_id, parse_call_id, Room, Seat};
use super::GroupCalls;
use crate::accounts::{AccountKind, AccountRow};
use crate::bus::{BusMessage, CallDevices, Topic};
use crate::chats::ChatKind;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use std::collections::{BTreeMap, HashMap};
use str0m::change::{SdpAnswer, SdpOffer};
use tokio::sync::oneshot;
use wasla_types::calls::CallMedia;
use wasla_types::group_calls::{GroupCallAction, GroupCallNotice, Participant};

impl GroupCalls {
    /// Act on a `group_call` frame from `device` (a connection of `me`).
    pub async fn act(&self, me: &AccountRow, device: i64, action: GroupCallAction) -> Result<()> {
        match action {
            GroupCallAction::Start {
                reference,
                chat_id,
                media,
                sdp,
            } => {
                self.open_call(me, device, reference, &chat_id, media, &sdp)
                    .await
            }
            GroupCallAction::Join {
                reference,
                call_id,
                sdp,
            } => {
                let room = self.room_for_member(me, &call_id).await?;
                self.join(me, device, reference, room, &sdp).await
            }
            GroupCallAction::Answer { call_id, sdp } => {
                let participant = self.mine(me, device, &call_id)?;
                check_group_sdp(&sdp, self.ground.config.calls.sfu.max_participants)?;
                let answer = SdpAnswer::from_sdp_string(&sdp)
                    .map_err(|e| Error::bad(format!("sdp is not a usable answer: {e}")))?;
                let (reply, got) = oneshot::channel();
                self.command(Command::Answer {
                    peer: participant,
                    answer,
                    reply,
                })
                .await?;
                got.await
                    .map_err(|_| Error::Conflict("the call has ended".into()))?
                    .map_err(Error::bad)
            }
            GroupCallAction::Media {
                call_id,
                audio,
                video,
            } => {
                let participant = self.mine(me, device, &call_id)?;
                let room = {
                    let mut rooms = self.rooms.lock();
                    let room_id = rooms.by_participant.get(&participant).copied();
                    let room = room_id.and_then(|r| rooms.rooms.get_mut(&r));
                    let Some(room) = room else {
                        return Err(Error::Conflict("the call has ended".into()));
                    };
                    if let Some(seat) = room.seats.get_mut(&participant) {
                        seat.shown.audio = audio;
                        seat.shown.video = video;
                    }
                    room.clone()
                };
                self.tell_participants(&room);
                Ok(())
            }
            GroupCallAction::View { call_id, tiles } => {
                let participant = self.mine(me, device, &call_id)?;
                let max = self.ground.config.calls.sfu.max_participants as usize;
                if tiles.len() > max {
                    return Err(Error::bad(format!("at most {max} tiles")));
                }
                let tiles: HashMap<u64, u32> =
                    tiles.iter().map(|t| (t.participant, t.height)).collect();
                self.command(Command::View {
                    peer: participant,
                    tiles,
                })
                .await
            }
            GroupCallAction::Decline { call_id } => {
                let room = self.room_for_member(me, &call_id).await?;
                let notice = GroupCallNotice::StopRinging {
                    call_id: call_id_of(&room),
                };
                self.notify(me.id, CallDevices::All, notice);
                Ok(())
            }
            GroupCallAction::Leave { call_id } => {
                let participant = self.mine(me, device, &call_id)?;
                self.leave(participant, "left").await;
                Ok(())
            }
        }
    }

    /// Start a call in the group chat `chat_id` (or join the one going on there).
    async fn open_call(
        &self,
        me: &AccountRow,
        device: i64,
        reference: Option<String>,
        chat_id: &str,
        media: CallMedia,
        sdp: &str,
    ) -> Result<()> {
        check_group_sdp(sdp, self.ground.config.calls.sfu.max_participants)?;
        if media == CallMedia::Video && !has_video(sdp) {
            return Err(Error::bad("a video call's offer needs a video section"));
        }
        let not_found = || Error::not_found("chat not found");
        let chat_row_id = parse_id(chat_id).ok_or_else(not_found)?;
        let members = self.chats.members(chat_row_id).await?;
        if !members.iter().any(|m| m.account_id == me.id && m.active()) {
            return Err(not_found());
        }
        let chat = self.chats.chat(chat_row_id).await?.ok_or_else(not_found)?;
        if chat.kind != ChatKind::Group {
            return Err(Error::bad("group calls are made in group chats"));
        }
        if me.kind != AccountKind::Person {
            return Err(Error::bad("only people can start group calls"));
        }
        if self.bound().is_none() {
            return Err(Error::Conflict(
                "group calls are not available on this server".into(),
            ));
        }
        let (room_id, ring) = {
            let mut rooms = self.rooms.lock();
            match rooms.by_chat.get(&chat.id) {
                Some(id) => (*id, None),
                None => {
                    let id = self.ground.ids.next() as u64;
                    let room = Room {
                        id,
                        chat_id: chat.id,
                        members: members
                            .iter()
                            .filter(|m| m.active() && m.account_kind == AccountKind::Person)
                            .map(|m| m.account_id)
                            .collect(),
                        started_by: me.wa_id.clone(),
                        media,
                        started_at: self.ground.now(),
                        max: self.ground.config.calls.sfu.max_participants,
                        seats: BTreeMap::new(),
                    };
                    rooms.by_chat.insert(chat.id, id);
                    rooms.rooms.insert(id, room.clone());
                    (id, Some(room))
                }
            }
        };
        let joined = self.join(me, device, reference, room_id, sdp).await;
        match (joined, ring) {
            (Ok(()), Some(room)) => {
                let notice = GroupCallNotice::Ringing {
                    call: room.info(),
                    participants: self
                        .snapshot(room_id)
                        .map(|r| r.participants())
                        .unwrap_or_default(),
                };
                for member in room.members.iter().filter(|m| **m != me.id) {
                    self.notify(*member, CallDevices::All, notice.clone());
                }
                Ok(())
            }
            (Ok(()), None) => Ok(()),
            (Err(e), ring) => {
                if ring.is_some() {
                    let mut rooms = self.rooms.lock();
                    if rooms
                        .rooms
                        .get(&room_id)
                        .is_some_and(|r| r.seats.is_empty())
                    {
                        rooms.rooms.remove(&room_id);
                        rooms.by_chat.remove(&chat.id);
                    }
                }
                Err(e)
            }
        }
    }

    /// Seat `device` of `me` in the room and hand its offer to the SFU.
    async fn join(
        &self,
        me: &AccountRow,
        device: i64,
        reference: Option<String>,
        room_id: u64,
        sdp: &str,
    ) -> Result<()> {
        check_group_sdp(sdp, self.ground.config.calls.sfu.max_participants)?;
        let offer = SdpOffer::from_sdp_string(sdp)
            .map_err(|e| Error::bad(format!("sdp is not a usable offer: {e}")))?;
        let participant = self
            .last_participant
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        {
            let mut rooms = self.rooms.lock();
            if rooms.participant_of(room_id, me.id, device).is_some() {
                return Err(Error::Conflict("this device is in the call already".into()));
            }
            let room = rooms
                .rooms
                .get_mut(&room_id)
                .ok_or_else(|| Error::Conflict("the call has ended".into()))?;
            if room.seats.len() >= room.max as usize {
                return Err(Error::Conflict(format!(
                    "the call is full ({} people)",
                    room.max
                )));
            }
            let name = Some(me.display_name.clone()).filter(|n| !n.is_empty());
            let shown = Participant {
                participant,
                wa_id: me.wa_id.clone(),
                name,
                audio: true,
                video: room.media == CallMedia::Video,
            };
            room.seats.insert(
                participant,
                Seat {
                    account: me.id,
                    device,
                    shown,
                },
            );
            rooms.by_participant.insert(participant, room_id);
        }
        let (reply, got) = oneshot::channel();
        let cmd = Command::Join {
            room: room_id,
            peer: participant,
            offer,
            reply,
        };
        let answer = match self.command(cmd).await {
            Ok(()) => got
                .await
                .map_err(|_| Error::Conflict("the server is stopping".into()))
                .and_then(|a| a.map_err(Error::bad)),
            Err(e) => Err(e),
        };
        let sdp = match answer {
            Ok(sdp) => sdp,
            Err(e) => {
                self.rooms.lock().unseat(participant);
                return Err(e);
            }
        };
        let Some(room) = self.snapshot(room_id) else {
            return Err(Error::Conflict("the call has ended".into()));
        };
        let joined = GroupCallNotice::Joined {
            reference,
            call: room.info(),
            participant,
            sdp,
            participants: room.participants(),
        };
        self.notify(me.id, CallDevices::Only(device), joined);
        let stop = GroupCallNotice::StopRinging {
            call_id: call_id(room_id),
        };
        self.notify(me.id, CallDevices::AllBut(device), stop);
        self.tell_participants(&room);
        Ok(())
    }

    /// A device of `me` went away (its connection closed): it leaves the calls it is in.
    pub async fn device_gone(&self, me: &AccountRow, device: i64) {
        let seats: Vec<u64> = {
            let rooms = self.rooms.lock();
            rooms
                .rooms
                .values()
                .flat_map(|r| r.seats.iter())
                .filter(|(_, s)| s.account == me.id && s.device == device)
                .map(|(p, _)| *p)
                .collect()
        };
        for participant in seats {
            self.leave(participant, "left").await;
        }
    }

    /// A participant leaves (or was dropped): the SFU lets go of it and the room hears.
    async fn leave(&self, participant: u64, reason: &str) {
        let Some((room, last)) = self.rooms.lock().unseat(participant) else {
            return;
        };
        let _ = self.command(Command::Leave { peer: participant }).await;
        let left = GroupCallNotice::Left {
            call_id: call_id(room.id),
            participant,
            reason: reason.into(),
        };
        for seat in room.seats.values() {
            self.notify(seat.account, CallDevices::Only(seat.device), left.clone());
        }
        if last {
            let ended = GroupCallNotice::Ended {
                call_id: call_id(room.id),
            };
            for member in &room.members {
                self.notify(*member, CallDevices::All, ended.clone());
            }
        } else {
            self.tell_participants(&room);
        }
    }

    /// Act on what the SFU reports.
    pub(super) async fn on_report(&self, report: Report) {
        match report {
            Report::Offer { peer, sdp } => {
                let seat = self.rooms.lock().seat(peer).map(|(r, s)| (r.id, s.clone()));
                if let Some((room, seat)) = seat {
                    let notice = GroupCallNotice::Offer {
                        call_id: call_id(room),
                        sdp,
                    };
                    self.notify(seat.account, CallDevices::Only(seat.device), notice);
                }
            }
            Report::Dropped { peer } => {
                let seat = self.rooms.lock().seat(peer).map(|(r, s)| (r.id, s.clone()));
                if let Some((room, seat)) = seat {
                    let notice = GroupCallNotice::Left {
                        call_id: call_id(room),
                        participant: peer,
                        reason: "dropped".into(),
                    };
                    self.notify(seat.account, CallDevices::Only(seat.device), notice);
                }
                self.leave(peer, "dropped").await;
            }
            Report::Speakers { room, order } => {
                if let Some(room) = self.snapshot(room) {
                    let notice = GroupCallNotice::Speakers {
                        call_id: call_id(room.id),
                        speakers: order,
                    };
                    for seat in room.seats.values() {
                        self.notify(seat.account, CallDevices::Only(seat.device), notice.clone());
                    }
                }
            }
        }
    }

    /// The room a call id names, if `me` is an active member of its chat.
    async fn room_for_member(&self, me: &AccountRow, id: &str) -> Result<u64> {
        let not_found = || Error::not_found("call not found");
        let room_id = parse_call_id(id).ok_or_else(not_found)?;
        let chat = self.snapshot(room_id).ok_or_else(not_found)?.chat_id;
        let members = self.chats.members(chat).await?;
        if !members.iter().any(|m| m.account_id == me.id && m.active()) {
            return Err(not_found());
        }
        Ok(room_id)
    }

    /// The participant `device` of `me` is in the call `id`.
    fn mine(&self, me: &AccountRow, device: i64, id: &str) -> Result<u64> {
        let not_found = || Error::not_found("call not found");
        let room = parse_call_id(id).ok_or_else(not_found)?;
        self.rooms
            .lock()
            .participant_of(room, me.id, device)
            .ok_or_else(not_found)
    }

    /// A copy of a room.
    fn snapshot(&self, room: u64) -> Option<Room> {
        self.rooms.lock().rooms.get(&room).cloned()
    }

    /// Tell everyone in a room who is in it.
    fn tell_participants(&self, room: &Room) {
        let notice = GroupCallNotice::Participants {
            call_id: call_id(room.id),
            participants: room.participants(),
        };
        for seat in room.seats.values() {
            self.notify(seat.account, CallDevices::Only(seat.device), notice.clone());
        }
    }

    /// Publish a notice to some of an account's devices.
    fn notify(&self, account: i64, devices: CallDevices, notice: GroupCallNotice) {
        self.ground.bus.publish(
            Topic::Account(account),
            BusMessage::GroupCall {
                devices,
                notice: Box::new(notice),
            },
        );
    }
}

/// The call id of a room.
fn call_id_of(room: &u64) -> String {
    call_id(*room)
}

/// Whether a description has a video section that is not disabled (port 0).
fn has_video(sdp: &str) -> bool {
    sdp.lines()
        .any(|l| l.starts_with("m=video ") && !l.starts_with("m=video 0 "))
}
