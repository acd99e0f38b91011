//! Wasla's domain: identifiers, configuration, the injectable clock, the store traits that the
//! `store` crate implements, the live-event bus, and the services that hold every business rule.
//! HTTP handlers call these services; they never touch SQL or make rules of their own.

pub mod blob;
pub mod bus;
pub mod clock;
pub mod config;
pub mod error;
pub mod ids;
pub mod metrics;
pub mod model;
pub mod phone;
pub mod services;
pub mod store;
pub mod verification;

pub use config::Config;
pub use error::{Error, Result};
pub use services::Wasla;
