//! Crypto: the device key directory, prekeys, per-device encrypted envelopes, at-rest keys and
//! retention. Uses accounts and chats. The room is laid out; its capability lands with the
//! end-to-end encryption issue.
