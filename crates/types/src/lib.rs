//! Wire types shared by every Wasla surface: message content in the Cloud API's own shapes,
//! the client API and WebSocket frames, admin API bodies, and the Graph error envelope.
//! Serde only: nothing here knows about storage or transport.

pub mod account;
pub mod admin;
pub mod ads;
pub mod analytics;
pub mod audit;
pub mod billing;
pub mod calls;
pub mod client;
pub mod cloud;
pub mod commerce;
pub mod compose;
pub mod content;
pub mod encoded;
pub mod errors;
pub mod graph;
pub mod group_calls;
pub mod ice;
pub mod interactive;
pub mod limits;
pub mod media;
pub mod privacy;
pub mod rate_cards;
pub mod status;
pub mod stickers;
pub mod tools;

pub use content::{Content, MessageContext};
