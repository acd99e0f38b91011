//! Public pages that need no sign-in: short links and click-to-chat landing pages, and QR
//! images.

pub(crate) mod links;
