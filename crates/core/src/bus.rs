//! Live events after commit. Durable events are published to the account's topic once stored;
//! typing and presence are ephemeral. A subscriber that falls behind gets `Lagged` and resyncs
//! from the store, so the bus never needs to be reliable itself. The default bus is in-process;
//! the NATS bus carries the same messages between nodes.

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
}

impl Topic {
    /// Subject name on a message broker.
    pub fn subject(&self) -> String {
        match self {
            Topic::Account(id) => format!("wasla.acct.{id}"),
            Topic::Presence(id) => format!("wasla.pres.{id}"),
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
}

/// Publish/subscribe for live events.
pub trait Bus: Send + Sync + 'static {
    /// Send to every current subscriber of `topic` (on every node).
    fn publish(&self, topic: Topic, msg: BusMessage);
    /// Listen to `topic`.
    fn subscribe(&self, topic: Topic) -> broadcast::Receiver<BusMessage>;
}

/// Buffer per topic before a slow subscriber lags and resyncs from the store.
pub const TOPIC_CAPACITY: usize = 256;

/// Fan-out of topics to local subscribers; used by every bus implementation.
#[derive(Default)]
pub struct LocalFanout {
    topics: Mutex<HashMap<Topic, broadcast::Sender<BusMessage>>>,
}

impl LocalFanout {
    /// Deliver to local subscribers; forgets topics nobody listens to any more.
    pub fn deliver(&self, topic: Topic, msg: BusMessage) {
        let mut topics = self.topics.lock();
        if let Some(tx) = topics.get(&topic) {
            if tx.send(msg).is_err() {
                topics.remove(&topic);
            }
        }
    }

    /// A receiver for `topic`; the flag says whether the topic is new on this node.
    pub fn subscribe(&self, topic: Topic) -> (broadcast::Receiver<BusMessage>, bool) {
        let mut topics = self.topics.lock();
        match topics.get(&topic) {
            Some(tx) => (tx.subscribe(), false),
            None => {
                let (tx, rx) = broadcast::channel(TOPIC_CAPACITY);
                topics.insert(topic, tx);
                (rx, true)
            }
        }
    }

    /// Whether anyone on this node listens to `topic`.
    pub fn has_subscribers(&self, topic: Topic) -> bool {
        self.topics
            .lock()
            .get(&topic)
            .is_some_and(|tx| tx.receiver_count() > 0)
    }
}

/// The single-node bus.
#[derive(Default)]
pub struct InProcessBus {
    fanout: LocalFanout,
}

impl Bus for InProcessBus {
    fn publish(&self, topic: Topic, msg: BusMessage) {
        self.fanout.deliver(topic, msg);
    }

    fn subscribe(&self, topic: Topic) -> broadcast::Receiver<BusMessage> {
        self.fanout.subscribe(topic).0
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
        let mut rx = bus.subscribe(Topic::Account(1));
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
            BusMessage::Event { seq, .. } => assert_eq!(seq, 2),
            other => panic!("unexpected {other:?}"),
        }
    }
}
