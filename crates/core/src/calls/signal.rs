//! Signalling: what a device's `call` frames do. Placing a call checks that the caller is a
//! member of a direct chat with another person and claims both people; the callee's devices
//! all ring. Accepting binds the call to the answering device (the others stop ringing);
//! offers, answers, ICE candidates and microphone/camera states are then relayed between the
//! two devices in the call and nowhere else. Every description and candidate is checked
//! (`sdp.rs`) before it is relayed. A device that is heard from keeps its side of the call
//! alive; one that goes away ends it.

use super::machine::{apply, Side, Step};
use super::rows::{parse_wacid, wacid, CallRow, CallState, Placed};
use super::sdp::{check_candidate, check_sdp};
use super::Calls;
use crate::accounts::{AccountKind, AccountRow};
use crate::bus::{BusMessage, CallDevices, Topic};
use crate::chats::ChatKind;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use wasla_types::calls::{CallAction, CallInfo, CallMedia, CallNotice};

impl Calls {
    /// Act on a `call` frame from `device` (a connection of `me`). A refusal changes nothing.
    pub async fn act(&self, me: &AccountRow, device: i64, action: CallAction) -> Result<()> {
        let call_id = match action {
            CallAction::Start {
                reference,
                chat_id,
                media,
                sdp,
            } => {
                return self
                    .start(me, device, reference, &chat_id, media, &sdp)
                    .await
            }
            ref other => other.call_id().unwrap_or_default().to_string(),
        };
        let (row, side) = self.mine(me, &call_id).await?;
        let now = self.ground.now();
        match action {
            CallAction::Start { .. } => unreachable!("handled above"),
            CallAction::Ringing { .. } => {
                if side == Side::Callee && row.state == CallState::Ringing {
                    let notice = CallNotice::Ringing { call_id };
                    self.notify(row.caller_id, CallDevices::Only(row.caller_device), notice);
                }
                Ok(())
            }
            CallAction::Accept { sdp, .. } => {
                check_sdp(&sdp)?;
                let next = apply(&row, Some(side), Step::Accept { device }, now)?;
                self.store_step(&row, &next).await?;
                let to_caller = CallNotice::Accepted {
                    call_id: call_id.clone(),
                    sdp,
                };
                self.notify(
                    row.caller_id,
                    CallDevices::Only(row.caller_device),
                    to_caller,
                );
                let elsewhere = CallNotice::Ended {
                    call_id,
                    reason: "answered_elsewhere".into(),
                    duration_secs: None,
                };
                self.notify(row.callee_id, CallDevices::AllBut(device), elsewhere);
                Ok(())
            }
            CallAction::Decline { .. } => self.step(&row, Some(side), Step::Decline).await,
            CallAction::Cancel { .. } => self.step(&row, Some(side), Step::Cancel).await,
            CallAction::Hangup { .. } => self.step(&row, Some(side), Step::Hangup).await,
            CallAction::Ice { candidate, .. } => {
                check_candidate(&candidate)?;
                self.relay(&row, side, device, CallNotice::Ice { call_id, candidate })
                    .await
            }
            CallAction::Offer { sdp, .. } => {
                let facts = check_sdp(&sdp)?;
                self.in_call(&row, side, device)?;
                if facts.video {
                    self.upgrade_to_video(&row).await?;
                }
                self.relay(&row, side, device, CallNotice::Offer { call_id, sdp })
                    .await
            }
            CallAction::Answer { sdp, .. } => {
                check_sdp(&sdp)?;
                self.relay(&row, side, device, CallNotice::Answer { call_id, sdp })
                    .await
            }
            CallAction::Media { audio, video, .. } => {
                self.in_call(&row, side, device)?;
                if video {
                    self.upgrade_to_video(&row).await?;
                }
                let notice = CallNotice::Media {
                    call_id,
                    audio,
                    video,
                };
                self.relay(&row, side, device, notice).await
            }
        }
    }

    /// Place a call from `me` on `device` into the direct chat `chat_id`.
    async fn start(
        &self,
        me: &AccountRow,
        device: i64,
        reference: Option<String>,
        chat_id: &str,
        media: CallMedia,
        sdp: &str,
    ) -> Result<()> {
        let facts = check_sdp(sdp)?;
        if media == CallMedia::Video && !facts.video {
            return Err(Error::bad("a video call's offer needs a video section"));
        }
        let not_found = || Error::not_found("chat not found");
        let chat_row_id = parse_id(chat_id).ok_or_else(not_found)?;
        let members = self.chats.members(chat_row_id).await?;
        if !members.iter().any(|m| m.account_id == me.id && m.active()) {
            return Err(not_found());
        }
        let chat = self.chats.chat(chat_row_id).await?.ok_or_else(not_found)?;
        if chat.kind != ChatKind::Direct {
            return Err(Error::bad(
                "calls are between the two people of a direct chat",
            ));
        }
        let peer = members
            .iter()
            .find(|m| m.account_id != me.id && m.active())
            .ok_or_else(|| Error::bad("nobody else is in this chat"))?;
        if me.kind != AccountKind::Person || peer.account_kind != AccountKind::Person {
            return Err(Error::bad("only people can call each other here"));
        }
        let callee = self
            .accounts
            .account(peer.account_id)
            .await?
            .ok_or_else(not_found)?;
        let now = self.ground.now();
        let mut row = CallRow {
            id: self.ground.ids.next(),
            chat_id: chat.id,
            caller_id: me.id,
            callee_id: callee.id,
            media,
            state: CallState::Ringing,
            end_reason: None,
            caller_device: device,
            callee_device: None,
            created_at: now,
            answered_at: None,
            ended_at: None,
            caller_seen_at: now,
            callee_seen_at: None,
        };
        let placed = self.store.place_call(&row).await?;
        if placed == Placed::CallerBusy {
            return Err(Error::Conflict("you are in another call".into()));
        }
        let info = CallInfo {
            call_id: wacid(row.id),
            chat_id: chat.id.to_string(),
            from: me.wa_id.clone(),
            to: callee.wa_id.clone(),
            media,
            created_at: now,
        };
        let outgoing = CallNotice::Outgoing {
            reference,
            call: info.clone(),
        };
        self.notify(me.id, CallDevices::Only(device), outgoing);
        if placed == Placed::CalleeBusy {
            row.state = CallState::Ended;
            row.end_reason = Some(super::EndReason::Busy);
            row.ended_at = Some(now);
            self.ended(&row, me).await;
            return Ok(());
        }
        let caller = self.accounts.profile_for(&callee, me).await?;
        let incoming = CallNotice::Incoming {
            call: info,
            sdp: sdp.to_string(),
            caller,
        };
        self.notify(callee.id, CallDevices::All, incoming);
        Ok(())
    }

    /// A device of `me` was heard from: keep its side of its live call alive.
    pub async fn heartbeat(&self, me: &AccountRow, device: i64) -> Result<bool> {
        let Some(row) = self.store.live_call_of(me.id).await? else {
            return Ok(false);
        };
        let caller = row.caller_id == me.id && row.caller_device == device;
        let callee = row.callee_id == me.id && row.callee_device == Some(device);
        if caller || callee {
            self.store
                .touch_call(row.id, caller, self.ground.now())
                .await?;
        }
        Ok(caller || callee)
    }

    /// A device of `me` went away (its connection closed): the call it was in ends.
    pub async fn device_gone(&self, me: &AccountRow, device: i64) -> Result<()> {
        let Some(row) = self.store.live_call_of(me.id).await? else {
            return Ok(());
        };
        let caller = row.caller_id == me.id && row.caller_device == device;
        let callee = row.callee_id == me.id && row.callee_device == Some(device);
        if caller || callee {
            let side = if caller { Side::Caller } else { Side::Callee };
            self.step(&row, Some(side), Step::Dropped).await?;
        }
        Ok(())
    }

    /// The call `call_id` if `me` is in it, and on which side.
    async fn mine(&self, me: &AccountRow, call_id: &str) -> Result<(CallRow, Side)> {
        let not_found = || Error::not_found("call not found");
        let id = parse_wacid(call_id).ok_or_else(not_found)?;
        let row = self.store.call(id).await?.ok_or_else(not_found)?;
        let side = if row.caller_id == me.id {
            Side::Caller
        } else if row.callee_id == me.id {
            Side::Callee
        } else {
            return Err(not_found());
        };
        Ok((row, side))
    }

    /// Apply a step and, when it ends the call, tell both sides and write the note.
    pub(super) async fn step(&self, row: &CallRow, side: Option<Side>, step: Step) -> Result<()> {
        let next = apply(row, side, step, self.ground.now())?;
        self.store_step(row, &next).await?;
        if next.state == CallState::Ended {
            if let Some(caller) = self.accounts.account(row.caller_id).await? {
                self.ended(&next, &caller).await;
            }
        }
        Ok(())
    }

    /// Store `next` if `row` is still current; a lost race is the other winner's.
    async fn store_step(&self, row: &CallRow, next: &CallRow) -> Result<()> {
        if self.store.update_call(row.state, next).await? {
            Ok(())
        } else {
            Err(Error::Conflict("the call changed meanwhile".into()))
        }
    }

    /// Refuse relays from anyone but the two devices of an active call.
    fn in_call(&self, row: &CallRow, side: Side, device: i64) -> Result<()> {
        let mine = match side {
            Side::Caller => row.caller_device == device,
            Side::Callee => row.callee_device == Some(device),
        };
        match row.state {
            CallState::Active if mine => Ok(()),
            CallState::Active => Err(Error::Forbidden(
                "the call is on another of your devices".into(),
            )),
            CallState::Ringing => Err(Error::Conflict("the call is not answered yet".into())),
            CallState::Ended => Err(Error::Conflict("the call has ended".into())),
        }
    }

    /// Relay a notice to the other side: while ringing, a caller's candidates go to every
    /// callee device (whichever answers uses them); otherwise only to the device in the call.
    async fn relay(
        &self,
        row: &CallRow,
        side: Side,
        device: i64,
        notice: CallNotice,
    ) -> Result<()> {
        match (row.state, side) {
            (CallState::Ringing, Side::Caller) if row.caller_device == device => {
                self.notify(row.callee_id, CallDevices::All, notice);
                Ok(())
            }
            _ => {
                self.in_call(row, side, device)?;
                let (to, devices) = match side {
                    Side::Caller => (
                        row.callee_id,
                        CallDevices::Only(row.callee_device.unwrap_or_default()),
                    ),
                    Side::Callee => (row.caller_id, CallDevices::Only(row.caller_device)),
                };
                self.notify(to, devices, notice);
                Ok(())
            }
        }
    }

    /// Record that an active call carries video.
    async fn upgrade_to_video(&self, row: &CallRow) -> Result<()> {
        if row.media == CallMedia::Video {
            return Ok(());
        }
        let next = CallRow {
            media: CallMedia::Video,
            ..row.clone()
        };
        // A lost race means the call moved on; the relay still goes out.
        self.store.update_call(row.state, &next).await.map(|_| ())
    }

    /// Publish a notice to some of an account's devices.
    pub(super) fn notify(&self, account: i64, devices: CallDevices, notice: CallNotice) {
        self.ground.bus.publish(
            Topic::Account(account),
            BusMessage::Call {
                devices,
                notice: Box::new(notice),
            },
        );
    }
}
