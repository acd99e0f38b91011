//! Live events after commit. Durable events are published to the account's topic once stored;
//! typing and presence are ephemeral. A subscriber that falls behind gets `Lagged` and resyncs
//! from the store, so the bus never needs to be reliable itself. The default bus is in-process;
//! the NATS bus carries the same messages between nodes.

use futures::StreamExt;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::broadcast;
use wasla_types::client::Event;

/// What a subscriber listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Topic {
    /// Everything for one account's devices.
    Account(i64),
    /// Online / last-seen changes of one account.
    Presence(i64),
    /// Membership changes of any chat (every node listens, to keep its cache correct).
    Memberships,
    /// Console notices of one WABA (chat changes, agents' presence).
    Waba(i64),
}

impl Topic {
    /// Subject name on a message broker.
    pub fn subject(&self) -> String {
        match self {
            Topic::Account(id) => format!("wasla.acct.{id}"),
            Topic::Presence(id) => format!("wasla.pres.{id}"),
            Topic::Memberships => "wasla.members".to_string(),
            Topic::Waba(id) => format!("wasla.waba.{id}"),
        }
    }
}

/// A live message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum BusMessage {
    /// A durable event was stored at `seq` in the account's stream. `event` is the rendered
    /// event when it is the same for every reader (messages, statuses); otherwise the
    /// subscriber loads and renders it from the store.
    Event {
        /// Position in the stream.
        seq: i64,
        /// The ready event, if any.
        event: Option<Arc<Event>>,
    },
    /// Someone is typing in a chat.
    Typing {
        /// The chat.
        chat_id: String,
        /// Who.
        wa_id: String,
        /// `composing` or `paused`.
        state: String,
    },
    /// Presence change.
    Presence {
        /// Whose.
        wa_id: String,
        /// Online now.
        online: bool,
        /// Last seen, Unix ms.
        last_seen: Option<i64>,
    },
    /// A chat's memberships changed: drop them from caches.
    MembersChanged {
        /// The chat.
        chat_id: i64,
    },
    /// A notice for a WABA's console streams, as JSON text.
    Console {
        /// The JSON object.
        data: String,
    },
    /// A Status frame for every device of the account (a new update it may see, a deleted
    /// one, a new viewer of its own).
    Status {
        /// The frame, sent as it is.
        frame: Box<wasla_types::client::ServerFrame>,
    },
    /// Call signalling for some of an account's devices.
    Call {
        /// Which of the account's devices it is for.
        devices: CallDevices,
        /// What to tell them.
        notice: Box<wasla_types::calls::CallNotice>,
    },
    /// Group call signalling for some of an account's devices.
    GroupCall {
        /// Which of the account's devices it is for.
        devices: CallDevices,
        /// What to tell them.
        notice: Box<wasla_types::group_calls::GroupCallNotice>,
    },
}

/// Which of an account's connected devices a call notice is for (devices are connections,
/// known by the id the gateway gives each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallDevices {
    /// Every device (a call ringing, a call ending).
    All,
    /// The one device in the call.
    Only(i64),
    /// Every device but one (the others stop ringing once one answers).
    AllBut(i64),
}

impl CallDevices {
    /// Whether the device with this id is meant.
    pub fn includes(self, device: i64) -> bool {
        match self {
            CallDevices::All => true,
            CallDevices::Only(d) => d == device,
            CallDevices::AllBut(d) => d != device,
        }
    }
}

/// What a subscriber receives: a [`BusMessage`] in three words. Each topic's channel holds
/// [`TOPIC_CAPACITY`] slots from the start, and every connected account has a topic, so the
/// slot size is paid per connection; events (the common case) stay inline, the rest is shared.
#[derive(Debug, Clone)]
pub enum Live {
    /// See [`BusMessage::Event`].
    Event {
        /// Position in the stream.
        seq: i64,
        /// The ready event, if any.
        event: Option<Arc<Event>>,
    },
    /// Any other message.
    Other(Arc<BusMessage>),
}

impl From<BusMessage> for Live {
    fn from(msg: BusMessage) -> Self {
        match msg {
            BusMessage::Event { seq, event } => Live::Event { seq, event },
            other => Live::Other(Arc::new(other)),
        }
    }
}

/// Publish/subscribe for live events.
#[async_trait::async_trait]
pub trait Bus: Send + Sync + 'static {
    /// Send to every current subscriber of `topic` (on every node).
    fn publish(&self, topic: Topic, msg: BusMessage);
    /// Listen to `topic`; returns once messages published after this call will arrive.
    async fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Live>;
}

/// Buffer per topic before a slow subscriber lags and resyncs from the store.
pub const TOPIC_CAPACITY: usize = 16;

type Topics = Arc<Mutex<HashMap<Topic, broadcast::Sender<Live>>>>;

/// The single-node bus: topics fan out to local subscribers.
#[derive(Default)]
pub struct InProcessBus {
    topics: Topics,
}

#[async_trait::async_trait]
impl Bus for InProcessBus {
    fn publish(&self, topic: Topic, msg: BusMessage) {
        let mut topics = self.topics.lock();
        if let Some(tx) = topics.get(&topic) {
            if tx.send(msg.into()).is_err() {
                // Nobody listens any more.
                topics.remove(&topic);
            }
        }
    }

    async fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Live> {
        self.topics
            .lock()
            .entry(topic)
            .or_insert_with(|| broadcast::channel(TOPIC_CAPACITY).0)
            .subscribe()
    }
}

/// The bus across nodes: every publish goes to NATS (in order, from one task), and each
/// topic this node listens to has one NATS subscription feeding its local subscribers. The
/// subscription ends once nobody here listens any more.
pub struct NatsBus {
    client: async_nats::Client,
    outgoing: tokio::sync::mpsc::UnboundedSender<(String, Vec<u8>)>,
    topics: Topics,
}

impl NatsBus {
    /// Connect to the NATS server at `url`.
    pub async fn connect(url: &str) -> Result<NatsBus, String> {
        let client = async_nats::connect(url)
            .await
            .map_err(|e| format!("NATS at {url}: {e}"))?;
        let (outgoing, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, Vec<u8>)>();
        let publisher = client.clone();
        tokio::spawn(async move {
            while let Some((subject, payload)) = rx.recv().await {
                if let Err(e) = publisher.publish(subject, payload.into()).await {
                    tracing::warn!(error = %e, "NATS publish failed; subscribers resync from the store");
                }
            }
        });
        Ok(NatsBus {
            client,
            outgoing,
            topics: Arc::default(),
        })
    }

    /// Feed one NATS subscription into the local channel until nobody listens.
    fn forward(&self, topic: Topic, tx: broadcast::Sender<Live>, mut sub: async_nats::Subscriber) {
        let topics = self.topics.clone();
        tokio::spawn(async move {
            let mut check = tokio::time::interval(std::time::Duration::from_secs(30));
            loop {
                tokio::select! {
                    msg = sub.next() => match msg {
                        Some(m) => match serde_json::from_slice::<BusMessage>(&m.payload) {
                            Ok(bm) => { let _ = tx.send(Live::from(bm)); }
                            Err(e) => tracing::warn!(error = %e, "bad bus message"),
                        },
                        None => break,
                    },
                    _ = check.tick() => {}
                }
                if tx.receiver_count() == 0 {
                    let mut map = topics.lock();
                    if map.get(&topic).is_some_and(|t| t.same_channel(&tx))
                        && tx.receiver_count() == 0
                    {
                        map.remove(&topic);
                        break;
                    }
                }
            }
        });
    }
}

#[async_trait::async_trait]
impl Bus for NatsBus {
    fn publish(&self, topic: Topic, msg: BusMessage) {
        match serde_json::to_vec(&msg) {
            Ok(payload) => {
                let _ = self.outgoing.send((topic.subject(), payload));
            }
            Err(e) => tracing::error!(error = %e, "unserialisable bus message"),
        }
    }

    async fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Live> {
        if let Some(tx) = self.topics.lock().get(&topic) {
            return tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(TOPIC_CAPACITY);
        match self.client.subscribe(topic.subject()).await {
            Ok(sub) => {
                // The server has the subscription once a round trip completes.
                let _ = self.client.flush().await;
                let mut map = self.topics.lock();
                if let Some(existing) = map.get(&topic) {
                    // Another connection subscribed meanwhile; use its channel.
                    return existing.subscribe();
                }
                map.insert(topic, tx.clone());
                drop(map);
                self.forward(topic, tx, sub);
            }
            // Live events are lost until the next subscribe; readers resync from the store.
            Err(e) => tracing::error!(error = %e, "NATS subscribe failed"),
        }
        rx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn delivers_to_subscribers_only() {
        let bus = InProcessBus::default();
        bus.publish(
            Topic::Account(1),
            BusMessage::Event {
                seq: 1,
                event: None,
            },
        );
        let mut rx = bus.subscribe(Topic::Account(1)).await;
        bus.publish(
            Topic::Account(2),
            BusMessage::Event {
                seq: 5,
                event: None,
            },
        );
        bus.publish(
            Topic::Account(1),
            BusMessage::Event {
                seq: 2,
                event: None,
            },
        );
        match rx.recv().await.unwrap() {
            Live::Event { seq, .. } => assert_eq!(seq, 2),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn channel_slots_stay_small() {
        assert!(std::mem::size_of::<Live>() <= 24);
        let typing = BusMessage::Typing {
            chat_id: "1".into(),
            wa_id: "2".into(),
            state: "composing".into(),
        };
        assert!(matches!(Live::from(typing), Live::Other(_)));
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;
    use wasla_types::client::Message;
    use wasla_types::content::{Content, Text};

    #[test]
    fn bus_messages_cross_the_wire_intact() {
        let message = Message {
            id: "wamid.x".into(),
            chat_id: "1".into(),
            seq: 1,
            from: "1".into(),
            timestamp: 1,
            content: Content::Text {
                text: Text {
                    body: "hi".into(),
                    preview_url: None,
                },
            },
            context: None,
            forwarded: false,
            client_id: None,
            status: Some("sent".into()),
        };
        let msg = BusMessage::Event {
            seq: 3,
            event: Some(Arc::new(Event::Message { message })),
        };
        let bytes = serde_json::to_vec(&msg).unwrap();
        let back: BusMessage = serde_json::from_slice(&bytes).unwrap();
        assert!(matches!(
            back,
            BusMessage::Event {
                seq: 3,
                event: Some(_)
            }
        ));
    }
}
