//! Calls: signalling of voice and video calls over the WebSocket, the SFU for group and
//! business calls, STUN and TURN, the Cloud API's Calling API and call records. Uses accounts,
//! chats and business.
//!
//! 1:1 calls between people are here: a call is a row (`rows.rs`, stored through
//! `store.rs`) moved by a state machine (`machine.rs`) whose timers read the injected clock
//! (`worker.rs`); devices signal over the WebSocket (`signal.rs`: offer, answer, ICE, ringing,
//! accept, decline, cancel, hang-up), session descriptions are checked strictly before they
//! are relayed (`sdp.rs`), every end leaves a note in the chat and a record in the history
//! (`ending.rs`, `history.rs`). See `docs/calls.md`.

mod ending;
mod history;
mod machine;
mod rows;
mod sdp;
pub mod sfu;
mod signal;
mod store;
pub mod turn;
mod worker;

pub use machine::{RING_MS, SILENT_MS};
pub use rows::*;
pub use sdp::{check_candidate, check_sdp, MAX_SDP_BYTES};
pub use store::*;

use crate::accounts::Accounts;
use crate::chats::Chats;
use crate::ground::Ground;
use std::sync::Arc;

/// The calls domain: what it stores, the shared ground and the domains it uses.
pub struct Calls {
    ground: Ground,
    store: Arc<dyn CallStore>,
    accounts: Arc<Accounts>,
    chats: Arc<Chats>,
}

impl Calls {
    /// The calls service over its store.
    pub fn new(
        ground: Ground,
        store: Arc<dyn CallStore>,
        accounts: Arc<Accounts>,
        chats: Arc<Chats>,
    ) -> Calls {
        Calls {
            ground,
            store,
            accounts,
            chats,
        }
    }
}
