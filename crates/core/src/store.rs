//! The whole store as one object: every domain's storage trait, which the `wasla-store` crate
//! implements on SQLite and PostgreSQL. Each domain's service holds only its own part.

use crate::accounts::{AccountStore, MediaStore};
use crate::business::BusinessStore;
use crate::chats::{ChatStore, MessageStore};
use crate::commerce::{CatalogStore, OrderStore};
use crate::integration::{TemplateStore, WebhookStore};
use crate::tools::{AgentStore, ContactStore, ToolsStore};

/// Everything, as one object.
pub trait Store:
    AccountStore
    + BusinessStore
    + ChatStore
    + MessageStore
    + MediaStore
    + WebhookStore
    + TemplateStore
    + CatalogStore
    + OrderStore
    + AgentStore
    + ToolsStore
    + ContactStore
{
}

impl<T> Store for T where
    T: AccountStore
        + BusinessStore
        + ChatStore
        + MessageStore
        + MediaStore
        + WebhookStore
        + TemplateStore
        + CatalogStore
        + OrderStore
        + AgentStore
        + ToolsStore
        + ContactStore
{
}
