//! Accounts: the people who use Wasla and the business phone numbers they write to, as one
//! kind of account known by its `wa_id`. This domain owns registration by verification code,
//! sessions, profiles (name, about, photo), presence (online and last seen), an account's place
//! in its event stream, and uploads: media an account owns, sniffed, size-limited and kept as
//! blobs. It uses no other domain.

mod media;
mod presence;
pub(crate) mod registration;
mod rows;
mod store;
mod verification;

pub use media::MediaKind;
pub use presence::Presence;
pub use rows::*;
pub use store::*;
pub use verification::*;
