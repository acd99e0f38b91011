//! Business: the operator's side of a business. WABAs (business accounts), their phone numbers
//! (business accounts people can message), apps (webhook URL, verify token and app secret),
//! business access tokens, the business profile a number shows, and which apps are subscribed
//! to a WABA's webhooks. Uses accounts.

mod operator;
mod profile;
mod rows;
mod store;
mod subscriptions;

pub use rows::*;
pub use store::*;
