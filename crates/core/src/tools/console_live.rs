//! The live stream of a console agent: events (new messages and statuses) of every chat of the
//! WABA's phone numbers, chat state and assignment changes, and agents' presence (an agent is
//! online while one of their console streams is open: the first announces them online, the
//! last to close offline), and `notify` items (new chats, messages in chats assigned to the
//! agent, mentions); an item addressed `to` one agent reaches only that agent's streams.
//! Everything comes from the bus, scoped to the agent's WABA; a stream that falls behind is
//! told to resync from the API.

use super::AgentRow;
use super::Tools;
use crate::bus::{BusMessage, Live, Topic};
use crate::error::Result;
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

/// An open console stream: JSON texts arrive on `rx`. Dropping it stops the forwarding and,
/// when it was the agent's last, announces the agent offline.
pub struct ConsoleStream {
    /// One JSON object per item.
    pub rx: mpsc::Receiver<String>,
    tasks: Vec<JoinHandle<()>>,
    app: Arc<Tools>,
    waba_id: i64,
    agent_id: i64,
}

fn presence(agent_id: i64, online: bool) -> BusMessage {
    BusMessage::Console {
        data: json!({"type": "agent_presence", "agent_id": agent_id.to_string(), "online": online})
            .to_string(),
    }
}

impl Drop for ConsoleStream {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        if self.app.accounts.presence.console_closed(self.agent_id) {
            self.app
                .ground
                .bus
                .publish(Topic::Waba(self.waba_id), presence(self.agent_id, false));
        }
    }
}

/// Whether a console item is for this agent: items addressed `to` someone else are not.
fn for_me(data: &str, me: &str) -> bool {
    if !data.contains("\"to\"") {
        return true;
    }
    serde_json::from_str::<Value>(data).map_or(true, |v| v["to"].as_str().is_none_or(|t| t == me))
}

impl Tools {
    /// Tell every console stream of a WABA.
    pub(crate) fn console_notice(&self, waba_id: i64, data: Value) {
        self.ground.bus.publish(
            Topic::Waba(waba_id),
            BusMessage::Console {
                data: data.to_string(),
            },
        );
    }

    /// Open an agent's live stream and announce the agent online.
    pub async fn console_stream(self: &Arc<Self>, me: &AgentRow) -> Result<ConsoleStream> {
        let (tx, rx) = mpsc::channel(64);
        let mut receivers = vec![(
            None,
            self.ground.bus.subscribe(Topic::Waba(me.waba_id)).await,
        )];
        for n in self.business.phone_numbers(me.waba_id).await? {
            let r = self.ground.bus.subscribe(Topic::Account(n.id)).await;
            receivers.push((Some(n.id.to_string()), r));
        }
        let mut tasks = vec![];
        for (pn, mut r) in receivers {
            let tx = tx.clone();
            let me_id = me.id.to_string();
            tasks.push(tokio::spawn(async move {
                loop {
                    let text = match r.recv().await {
                        Ok(Live::Event { event: Some(e), .. }) => {
                            json!({"type": "event", "phone_number_id": pn, "event": e}).to_string()
                        }
                        Ok(Live::Event { .. }) | Err(broadcast::error::RecvError::Lagged(_)) => {
                            json!({"type": "resync"}).to_string()
                        }
                        Ok(Live::Other(m)) => match &*m {
                            BusMessage::Console { data } if for_me(data, &me_id) => data.clone(),
                            _ => continue,
                        },
                        Err(broadcast::error::RecvError::Closed) => break,
                    };
                    if tx.send(text).await.is_err() {
                        break;
                    }
                }
            }));
        }
        self.store.touch_agent(me.id, self.ground.now()).await?;
        if self.accounts.presence.console_opened(me.id) {
            self.ground
                .bus
                .publish(Topic::Waba(me.waba_id), presence(me.id, true));
        }
        Ok(ConsoleStream {
            rx,
            tasks,
            app: self.clone(),
            waba_id: me.waba_id,
            agent_id: me.id,
        })
    }
}
