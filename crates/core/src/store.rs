//! The whole store as one object: every domain's storage, which the `wasla-store` crate
//! implements on SQLite and PostgreSQL. The context hands each domain's service only its own
//! part (`Arc<dyn Store>` upcast to that domain's storage trait).

use crate::accounts::AccountsStorage;
use crate::billing::BillingStorage;
use crate::business::BusinessStore;
use crate::calls::CallStore;
use crate::chats::ChatsStorage;
use crate::commerce::CommerceStorage;
use crate::integration::IntegrationStorage;
use crate::status::StatusStorage;
use crate::throttle::ThrottleStore;
use crate::tools::ToolsStorage;

/// Everything, as one object (with the shared ground's throttle hits).
pub trait Store:
    AccountsStorage
    + BusinessStore
    + ChatsStorage
    + IntegrationStorage
    + CommerceStorage
    + ToolsStorage
    + BillingStorage
    + StatusStorage
    + CallStore
    + ThrottleStore
{
}

impl<T> Store for T where
    T: AccountsStorage
        + BusinessStore
        + ChatsStorage
        + IntegrationStorage
        + CommerceStorage
        + ToolsStorage
        + BillingStorage
        + StatusStorage
        + CallStore
        + ThrottleStore
{
}
