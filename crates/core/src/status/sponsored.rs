//! The sponsored places of the Status feed: where ads go between the authors of
//! [`StatusFeed::contacts`]. Nothing is placed yet; the ads part of this domain fills
//! [`StatusFeed::ads`] here.

use super::Status;
use crate::accounts::AccountRow;
use crate::error::Result;
use wasla_types::status::StatusFeed;

impl Status {
    /// Add sponsored places to a feed assembled for `me` (none until ads exist).
    pub(super) async fn add_sponsored(&self, me: &AccountRow, feed: &mut StatusFeed) -> Result<()> {
        self.place_ads(me, feed, None).await
    }
}
