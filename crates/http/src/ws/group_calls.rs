//! Group call signalling on a connection: `group_call` frames go to the group calls domain in
//! the order they arrive, refusals come back as `group_call` error frames, and notices from
//! the bus reach this device only when they are for it. A device in a group call leaves it
//! when its connection closes.

use super::{Connection, WsResult};
use std::sync::Arc;
use wasla_core::bus::CallDevices;
use wasla_core::Wasla;
use wasla_types::client::ServerFrame;
use wasla_types::group_calls::{GroupCallAction, GroupCallNotice};

/// A connection's place in group calls: the device id the group calls domain knows it by,
/// and whether it ever joined one.
pub(super) struct GroupSeat {
    device: i64,
    joined: bool,
}

impl GroupSeat {
    /// A new device id for a connection.
    pub(super) fn new(app: &Arc<Wasla>) -> GroupSeat {
        GroupSeat {
            device: app.ground.ids.next(),
            joined: false,
        }
    }
}

impl Connection {
    /// Act on a `group_call` frame; a refusal is answered with an `error` notice.
    pub(super) async fn on_group_call(&mut self, action: GroupCallAction) -> WsResult {
        if matches!(
            action,
            GroupCallAction::Start { .. } | GroupCallAction::Join { .. }
        ) {
            self.group_call.joined = true;
        }
        let reference = action.reference().map(str::to_string);
        let call_id = action.call_id().map(str::to_string);
        let app = self.app.clone();
        let device = self.group_call.device;
        match app.group_calls.act(&self.account, device, action).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let notice = GroupCallNotice::Error {
                    reference,
                    call_id,
                    error: crate::error::error_body(&e),
                };
                self.send(&ServerFrame::GroupCall(Box::new(notice))).await
            }
        }
    }

    /// The frame for a group call notice from the bus, if it is for this device.
    pub(super) fn group_call_notice(
        &self,
        devices: CallDevices,
        notice: &GroupCallNotice,
    ) -> Option<ServerFrame> {
        devices
            .includes(self.group_call.device)
            .then(|| ServerFrame::GroupCall(Box::new(notice.clone())))
    }

    /// The connection is closing: this device leaves its group calls.
    pub(super) async fn leave_group_call(&mut self) {
        if self.group_call.joined {
            let app = self.app.clone();
            app.group_calls
                .device_gone(&self.account, self.group_call.device)
                .await;
        }
    }
}
