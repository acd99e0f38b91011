//! A business's Status updates, posted from the console by the WABA's admins: a text update,
//! or an image or video file with a caption. The update is shown under the business's name
//! with its first phone number's wa_id, to everyone who has a direct chat with one of the
//! WABA's numbers. The console lists the live ones with their viewer counts, reads each one's
//! viewers and deletes them.

use super::updates::{check_media, check_text, Checked, StatusFile};
use super::{AudienceRow, Status, StatusRow};
use crate::accounts::sniff_media;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use wasla_types::status::{
    BusinessStatus, BusinessStatuses, PostStatus, StatusBody, StatusViewers,
};

/// Where the console serves a business update's media.
const CONSOLE_BASE: &str = "/console/v1/status";

/// What a business posts.
pub enum BusinessPost {
    /// JSON: a text update.
    Json(PostStatus),
    /// A file with an optional caption.
    File {
        /// The uploaded file.
        file: StatusFile,
        /// Its caption.
        caption: Option<String>,
    },
}

fn not_found() -> Error {
    Error::not_found("status update not found")
}

impl Status {
    /// Post an update for a WABA.
    pub async fn post_business(&self, waba_id: i64, post: BusinessPost) -> Result<BusinessStatus> {
        let number = self
            .business
            .phone_numbers(waba_id)
            .await?
            .into_iter()
            .min_by_key(|n| n.id)
            .ok_or_else(|| Error::bad("the business has no phone number to post as"))?;
        let checked = match post {
            BusinessPost::Json(req) => match &req.body {
                StatusBody::Text { text } => check_text(text)?,
                _ => {
                    return Err(Error::bad(
                        "post an image or video as a multipart form with a file part",
                    ))
                }
            },
            BusinessPost::File { file, caption } => {
                if file.bytes.is_empty() {
                    return Err(Error::bad("the file is empty"));
                }
                let mime = sniff_media(&file.bytes, file.declared.as_deref())?;
                let kind = if mime.starts_with("video/") {
                    "video"
                } else {
                    "image"
                };
                check_media(kind, &mime, file.bytes.len(), caption.as_deref())?;
                Checked {
                    kind,
                    body: caption.unwrap_or_default(),
                    background: None,
                    font: None,
                    media: Some((mime, file.bytes)),
                }
            }
        };
        let row = self
            .store_update(number.id, Some(waba_id), AudienceRow::Business, checked)
            .await?;
        let authors = self.authors(std::slice::from_ref(&row)).await?;
        let author = &authors[&row.author_id];
        self.publish_new(&row, author).await;
        Ok(BusinessStatus {
            update: self.update_view(&row, author, true, None, CONSOLE_BASE),
            views: 0,
        })
    }

    /// A WABA's live updates, oldest first, with their viewer counts.
    pub async fn business_statuses(&self, waba_id: i64) -> Result<BusinessStatuses> {
        let rows = self
            .store
            .live_statuses(&[], &[waba_id], self.ground.now())
            .await?;
        let authors = self.authors(&rows).await?;
        let mut updates = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(author) = authors.get(&row.author_id) else {
                continue;
            };
            let views = self.store.views_of(row.id).await?.len() as u64;
            updates.push(BusinessStatus {
                update: self.update_view(row, author, true, None, CONSOLE_BASE),
                views,
            });
        }
        Ok(BusinessStatuses { updates })
    }

    /// A live update of this WABA.
    async fn business_update(&self, waba_id: i64, id: &str) -> Result<StatusRow> {
        let id = parse_id(id).ok_or_else(not_found)?;
        match self.store.status(id).await? {
            Some(r) if r.waba_id == Some(waba_id) && r.expires_at > self.ground.now() => Ok(r),
            _ => Err(not_found()),
        }
    }

    /// Delete an update of a WABA.
    pub async fn delete_business(&self, waba_id: i64, id: &str) -> Result<()> {
        let row = self.business_update(waba_id, id).await?;
        self.remove(&row).await
    }

    /// Who viewed an update of a WABA.
    pub async fn business_viewers(&self, waba_id: i64, id: &str) -> Result<StatusViewers> {
        let row = self.business_update(waba_id, id).await?;
        self.viewers_of(&row).await
    }

    /// The bytes of a WABA's media update (`thumbnail`: its preview).
    pub async fn business_media(
        &self,
        waba_id: i64,
        id: &str,
        thumbnail: bool,
    ) -> Result<(String, Vec<u8>)> {
        let row = self.business_update(waba_id, id).await?;
        self.bytes_of(&row, thumbnail).await
    }
}
