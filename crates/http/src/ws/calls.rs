//! Call signalling on a connection: `call` frames go to the calls domain in the order they
//! arrive (an accept before the candidates that follow it), refusals come back as `call`
//! error frames naming the call, and notices from the bus reach this device only when they
//! are for it (every device rings; once one answers only that one hears the call). A device
//! that took part in a call keeps its side alive with its pings and ends the call when its
//! connection closes.

use super::{Connection, WsResult};
use std::sync::Arc;
use wasla_core::bus::CallDevices;
use wasla_core::Wasla;
use wasla_types::calls::{CallAction, CallNotice};
use wasla_types::client::ServerFrame;

/// A connection's place in calls: the device id the calls domain knows it by, and whether
/// it placed or answered one.
pub(super) struct CallSeat {
    device: i64,
    joined: bool,
}

impl CallSeat {
    /// A new device id for a connection.
    pub(super) fn new(app: &Arc<Wasla>) -> CallSeat {
        CallSeat {
            device: app.ground.ids.next(),
            joined: false,
        }
    }
}

impl Connection {
    /// Act on a `call` frame; a refusal is answered with an `error` call notice.
    pub(super) async fn on_call(&mut self, action: CallAction) -> WsResult {
        if matches!(action, CallAction::Start { .. } | CallAction::Accept { .. }) {
            self.call.joined = true;
        }
        let reference = match &action {
            CallAction::Start { reference, .. } => reference.clone(),
            _ => None,
        };
        let call_id = action.call_id().map(str::to_string);
        let app = self.app.clone();
        let result = app.calls.act(&self.account, self.call.device, action).await;
        match result {
            Ok(()) => Ok(()),
            Err(e) => {
                let notice = CallNotice::Error {
                    reference,
                    call_id,
                    error: crate::error::error_body(&e),
                };
                self.send(&ServerFrame::Call(Box::new(notice))).await
            }
        }
    }

    /// The frame for a call notice from the bus, if it is for this device.
    pub(super) fn call_notice(
        &self,
        devices: CallDevices,
        notice: &CallNotice,
    ) -> Option<ServerFrame> {
        devices
            .includes(self.call.device)
            .then(|| ServerFrame::Call(Box::new(notice.clone())))
    }

    /// A ping keeps this device's side of its call alive.
    pub(super) fn call_heartbeat(&mut self) {
        if self.call.joined {
            let (app, me, device) = (self.app.clone(), self.account.clone(), self.call.device);
            self.spawn(async move { app.calls.heartbeat(&me, device).await.map(|_| ()) });
        }
    }

    /// The connection is closing: the call this device is in ends.
    pub(super) async fn leave_call(&mut self) {
        if self.call.joined {
            if let Err(e) = self
                .app
                .calls
                .device_gone(&self.account, self.call.device)
                .await
            {
                tracing::debug!(error = %e, "ending the call of a closed connection");
            }
        }
    }
}
