//! Crypto: the device key directory, prekeys, per-device encrypted envelopes, at-rest keys and
//! retention. Uses accounts and chats. Today it holds the at-rest keys (`at_rest`): secrets
//! the server keeps in its database sealed under a key derived from the operator's token; the
//! end-to-end encryption capability lands here with its issue.

mod at_rest;

pub use at_rest::{is_sealed, AtRestKey, SEALED_PREFIX};
