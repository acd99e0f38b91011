//! Commerce's rules on the one send path, registered with the chats domain: carts, product
//! questions and `order_details` are checked (and order prices filled in) before a message is
//! committed.

use super::Commerce;
use crate::accounts::AccountRow;
use crate::chats::{ContentRules, MemberRow};
use crate::error::Result;
use wasla_types::content::{Content, MessageContext};

#[async_trait::async_trait]
impl ContentRules for Commerce {
    async fn check(
        &self,
        sender: &AccountRow,
        members: &[&MemberRow],
        content: &mut Content,
        context: Option<&MessageContext>,
    ) -> Result<()> {
        self.check_commerce(sender, members, content, context).await
    }
}
