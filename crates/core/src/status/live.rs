//! Live Status frames, published after commit to every device of each account concerned: a
//! new update to its audience and to its author's devices, a deletion to the same, and a new
//! view (or reaction) to the author. Nothing is stored per recipient: a device that was away
//! reads the feed, which is computed on read.

use super::{Status, StatusRow};
use crate::bus::{BusMessage, Topic};
use wasla_types::client::ServerFrame;
use wasla_types::status::{StatusAuthor, StatusDeleted, StatusViewed, StatusViewer};

impl Status {
    fn send_frame(&self, to: impl IntoIterator<Item = i64>, frame: ServerFrame) {
        let frame = Box::new(frame);
        for id in to {
            self.ground.bus.publish(
                Topic::Account(id),
                BusMessage::Status {
                    frame: frame.clone(),
                },
            );
        }
    }

    /// Who hears about an update: its audience, and its author unless a business number.
    async fn listeners(&self, row: &StatusRow) -> Vec<i64> {
        let mut to = match self.audience_members(row).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!(error = %e, "status audience for live frames");
                Vec::new()
            }
        };
        if row.waba_id.is_none() {
            to.push(row.author_id);
        }
        to
    }

    /// Tell the audience (and the author's other devices) about a new update.
    pub(super) async fn publish_new(&self, row: &StatusRow, author: &StatusAuthor) {
        let to = self.listeners(row).await;
        let seen = self.update_view(row, author, false, None, super::updates::CLIENT_BASE);
        let mine = ServerFrame::StatusUpdate {
            update: Box::new(wasla_types::status::StatusUpdate {
                viewed: true,
                ..seen.clone()
            }),
        };
        let theirs = ServerFrame::StatusUpdate {
            update: Box::new(seen),
        };
        let (own, others): (Vec<i64>, Vec<i64>) =
            to.into_iter().partition(|id| *id == row.author_id);
        self.send_frame(others, theirs);
        self.send_frame(own, mine);
    }

    /// Tell the audience and the author that an update was deleted.
    pub(super) async fn publish_deleted(&self, row: &StatusRow) {
        let Ok(Some(author)) = self.accounts.account(row.author_id).await else {
            return;
        };
        let to = self.listeners(row).await;
        self.send_frame(
            to,
            ServerFrame::StatusDeleted {
                deleted: StatusDeleted {
                    id: row.id.to_string(),
                    author: author.wa_id,
                },
            },
        );
    }

    /// Tell a person author that someone viewed or reacted to an update.
    pub(super) fn publish_viewed(&self, row: &StatusRow, viewer: StatusViewer) {
        if row.waba_id.is_some() {
            return;
        }
        self.send_frame(
            [row.author_id],
            ServerFrame::StatusViewed {
                viewed: StatusViewed {
                    id: row.id.to_string(),
                    viewer,
                },
            },
        );
    }
}
