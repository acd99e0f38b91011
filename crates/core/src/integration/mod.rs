//! Integration: the Cloud API's rules for a business's back end. Business sends through the
//! one send path with the 24-hour customer service window, interactive content limits,
//! templates (review, parameters, rendering), business media, rate limits, fetching media by
//! link, and webhooks: rendering stored events into Meta's payloads, signing them, and
//! delivering them from the outbox with retries, a gate for slow receivers and a delivery log.
//! Uses accounts, chats and business.

mod cloud;
mod cloud_media;
mod delivery;
mod gate;
mod hot_cache;
pub(crate) mod interactive;
mod limits;
mod link_fetch;
pub(crate) mod render;
mod rows;
mod store;
mod template_send;
mod templates;
mod welcome;

pub(crate) use gate::WebhookGate;
pub use hot_cache::{HotCache, Identity};
pub(crate) use limits::RateLimiter;
pub use rows::*;
pub use store::*;
pub use templates::template_json;
