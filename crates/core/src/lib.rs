//! Wasla's core: the shared ground every domain stands on (ids, configuration, errors, the
//! injectable clock, the live-event bus, blobs, metrics, phone numbers, throttles) and one module per
//! domain, each with its rows, its storage trait, its rules and its workers. [`Wasla`] is the
//! context that wires the domains together; HTTP handlers call the domains through it and never
//! touch SQL or make rules of their own. `docs/architecture.md` has the domains' dependency
//! table, which `tests/layering.rs` enforces.

pub mod blob;
pub mod bus;
pub mod cache;
pub mod clock;
pub mod config;
pub mod error;
pub mod ground;
pub mod ids;
pub mod metrics;
pub mod outbound;
pub mod phone;
pub mod throttle;

pub mod accounts;
pub mod business;
pub mod chats;
pub mod commerce;
pub mod integration;
pub mod tools;

pub mod billing;
pub mod calls;
pub mod crypto;
pub mod status;

mod app;
pub mod store;

pub use app::{Parts, Wasla};
pub use config::Config;
pub use error::{Error, Result};
