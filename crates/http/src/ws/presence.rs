//! Presence over the WebSocket: a device follows some accounts (`{"op":"presence"}`) and hears
//! when each comes online or goes offline, with last seen. Only what the followed person's
//! privacy settings let this account see is sent (`wasla_core::accounts`' privacy rules): an
//! account it may not see is skipped, as an unknown number is, and each live change is
//! checked again, so a person who hides their last seen stops being followed at once.

use super::{Connection, Presences, WsResult, MAX_PRESENCE};
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;
use wasla_core::bus::Topic;
use wasla_core::Wasla;
use wasla_types::client::ServerFrame;

impl Connection {
    /// Replace the presence subscriptions and report each visible account's current state.
    pub(super) async fn follow(
        &mut self,
        wa_ids: Vec<String>,
        presence: &mut Presences,
    ) -> WsResult {
        presence.clear();
        for wa_id in wa_ids.into_iter().take(MAX_PRESENCE) {
            let Ok(Some(acc)) = self.app.accounts.account_by_wa_id(&wa_id).await else {
                continue;
            };
            let visible = self.app.accounts.may_see_presence(self.account.id, &acc);
            if !Box::pin(visible).await.unwrap_or(false) {
                continue;
            }
            let rx = self.app.bus.subscribe(Topic::Presence(acc.id)).await;
            presence.insert(acc.id, BroadcastStream::new(rx));
            let online = self.app.accounts.presence.is_online(acc.id);
            self.send(&ServerFrame::Presence {
                wa_id,
                online,
                last_seen: if online { None } else { acc.last_seen },
            })
            .await?;
        }
        Ok(())
    }

    /// Whether this connection's account may see `wa_id`'s presence now.
    pub(super) async fn presence_allowed(&mut self, wa_id: &str) -> bool {
        // Boxed: a rare branch of the socket loop's frequent future.
        Box::pin(allowed(
            self.app.clone(),
            self.account.id,
            wa_id.to_string(),
        ))
        .await
    }
}

/// Whether `viewer` may see the presence of the account `wa_id`.
async fn allowed(app: Arc<Wasla>, viewer: i64, wa_id: String) -> bool {
    match app.accounts.account_by_wa_id(&wa_id).await {
        Ok(Some(acc)) => app
            .accounts
            .may_see_presence(viewer, &acc)
            .await
            .unwrap_or(false),
        _ => false,
    }
}
