//! Tools: what a business's staff work with. Console agents (invites, roles, sessions), the
//! shared inbox of customer chats (assignment, state, notes, unread counts), labels and quick
//! replies, automations run from stored events (greeting, away message, FAQ rules, the
//! conversational automation), business hours with holidays in the business's time zone, and
//! QR codes with short and click-to-chat links. Uses accounts, chats, business, integration and
//! commerce.

mod agents;
mod automation;
mod console_live;
pub mod hours;
mod inbox;
mod labels;
mod qrdls;
mod rows;
mod store;

pub use console_live::ConsoleStream;
pub use inbox::{CustomerChat, InboxFilter};
pub use labels::LabelTarget;
pub use qrdls::{qr_png, qr_svg};
pub use rows::*;
pub use store::*;
