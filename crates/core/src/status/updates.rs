//! Posting and deleting a person's Status update, reading one by id and its media. Text is 1 to
//! 700 characters on a `#RRGGBB` background in one of five fonts; an image or video is media
//! the person uploaded, sniffed and size-limited as for messages, whose bytes the update keeps
//! as its own blob until it expires or is deleted. How updates are shown is here too.

use super::{AudienceRow, Status, StatusRow};
use crate::accounts::{AccountKind, AccountRow, MediaKind};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use std::collections::HashMap;
use wasla_types::status::{
    PostStatus, StatusAuthor, StatusBody, StatusContent, StatusFont, StatusMedia, StatusText,
    StatusUpdate,
};

/// How long an update lives: 24 hours.
pub const STATUS_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;
/// Longest text or caption.
const MAX_TEXT_CHARS: usize = 700;

/// An uploaded file of a business's media update (the console's multipart form).
pub struct StatusFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The part's Content-Type (only a hint: the bytes are sniffed).
    pub declared: Option<String>,
}

/// What an update holds, checked, before it has an id.
pub(super) struct Checked {
    pub kind: &'static str,
    pub body: String,
    pub background: Option<String>,
    pub font: Option<String>,
    pub media: Option<(String, Vec<u8>)>,
}

fn not_found() -> Error {
    Error::not_found("status update not found")
}

fn font_word(f: StatusFont) -> &'static str {
    match f {
        StatusFont::Sans => "sans",
        StatusFont::Serif => "serif",
        StatusFont::Mono => "mono",
        StatusFont::Script => "script",
        StatusFont::Bold => "bold",
    }
}

fn font_of(word: Option<&str>) -> StatusFont {
    match word {
        Some("serif") => StatusFont::Serif,
        Some("mono") => StatusFont::Mono,
        Some("script") => StatusFont::Script,
        Some("bold") => StatusFont::Bold,
        _ => StatusFont::Sans,
    }
}

/// Check a text update's text, colour and font.
pub(super) fn check_text(t: &StatusText) -> Result<Checked> {
    let n = t.body.trim().chars().count();
    if n == 0 || t.body.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::bad(format!(
            "text.body must be 1 to {MAX_TEXT_CHARS} characters"
        )));
    }
    let bg = t.background.as_bytes();
    if bg.len() != 7 || bg[0] != b'#' || !bg[1..].iter().all(u8::is_ascii_hexdigit) {
        return Err(Error::bad(
            "text.background must be a colour written #RRGGBB",
        ));
    }
    Ok(Checked {
        kind: "text",
        body: t.body.clone(),
        background: Some(t.background.to_ascii_uppercase()),
        font: Some(font_word(t.font).into()),
        media: None,
    })
}

/// Check a caption and that media of this MIME type and size fits a `kind` update.
pub(super) fn check_media(
    kind: &'static str,
    mime: &str,
    size: usize,
    caption: Option<&str>,
) -> Result<()> {
    let want = if kind == "image" {
        MediaKind::Image
    } else {
        MediaKind::Video
    };
    if MediaKind::of(mime) != want {
        return Err(Error::bad(format!("the media is {mime}, not an {kind}")));
    }
    if size > want.max_bytes() {
        return Err(Error::TooLarge(format!(
            "{kind} updates may be at most {} bytes",
            want.max_bytes()
        )));
    }
    if caption.is_some_and(|c| c.chars().count() > MAX_TEXT_CHARS) {
        return Err(Error::bad(format!(
            "a caption may be at most {MAX_TEXT_CHARS} characters"
        )));
    }
    Ok(())
}

impl Status {
    /// Post an update as a person, to the audience given or my default one.
    pub async fn post(&self, me: &AccountRow, req: &PostStatus) -> Result<StatusUpdate> {
        if me.kind != AccountKind::Person {
            return Err(Error::bad("only people post Status updates here"));
        }
        let audience = match &req.audience {
            Some(a) => self.resolve_audience(me, a).await?,
            None => self
                .store
                .default_audience(me.id)
                .await?
                .unwrap_or(AudienceRow::Contacts),
        };
        let checked = match &req.body {
            StatusBody::Text { text } => check_text(text)?,
            StatusBody::Image { image } => self.own_media(me, "image", image).await?,
            StatusBody::Video { video } => self.own_media(me, "video", video).await?,
        };
        let row = self.store_update(me.id, None, audience, checked).await?;
        let author = author_of_person(me);
        self.publish_new(&row, &author).await;
        Ok(self.update_view(&row, &author, true, None, CLIENT_BASE))
    }

    /// Store a checked update (its bytes first, so a stored row always has them).
    pub(super) async fn store_update(
        &self,
        author_id: i64,
        waba_id: Option<i64>,
        audience: AudienceRow,
        c: Checked,
    ) -> Result<StatusRow> {
        let id = self.ground.ids.next();
        let now = self.ground.now();
        let (mime_type, file_size) = match &c.media {
            Some((mime, bytes)) => {
                self.ground.blobs.put(id, bytes).await?;
                (Some(mime.clone()), bytes.len() as i64)
            }
            None => (None, 0),
        };
        let row = StatusRow {
            id,
            author_id,
            waba_id,
            kind: c.kind.into(),
            body: c.body,
            background: c.background,
            font: c.font,
            mime_type,
            file_size,
            audience,
            posted_at: now,
            expires_at: now + STATUS_LIFETIME_MS,
        };
        if let Err(e) = self.store.insert_status(&row).await {
            if row.file_size > 0 {
                self.ground.blobs.delete(id).await.ok();
            }
            return Err(e);
        }
        Ok(row)
    }

    /// Media I uploaded, checked for a `kind` update, with a copy of its bytes.
    async fn own_media(
        &self,
        me: &AccountRow,
        kind: &'static str,
        r: &wasla_types::status::StatusMediaRef,
    ) -> Result<Checked> {
        let missing = || Error::bad(format!("{kind}.id is not media you uploaded"));
        let media = self
            .accounts
            .visible_media(me.id, &r.id)
            .await
            .map_err(|_| missing())?;
        if media.owner_id != me.id {
            return Err(missing());
        }
        check_media(
            kind,
            &media.mime_type,
            media.file_size as usize,
            r.caption.as_deref(),
        )?;
        let bytes = self.ground.blobs.get(media.id).await?;
        Ok(Checked {
            kind,
            body: r.caption.clone().unwrap_or_default(),
            background: None,
            font: None,
            media: Some((media.mime_type, bytes)),
        })
    }

    /// A live update I may see, by id.
    pub(super) async fn visible(&self, me: &AccountRow, id: &str) -> Result<StatusRow> {
        let id = parse_id(id).ok_or_else(not_found)?;
        let row = self.store.status(id).await?.ok_or_else(not_found)?;
        if !self.can_see(me, &row).await? {
            return Err(not_found());
        }
        Ok(row)
    }

    /// One update I may see, as I see it.
    pub async fn update(&self, me: &AccountRow, id: &str) -> Result<StatusUpdate> {
        let row = self.visible(me, id).await?;
        let authors = self.authors(std::slice::from_ref(&row)).await?;
        let view = self.store.views_by(me.id, &[row.id]).await?.pop();
        let viewed = row.author_id == me.id || view.is_some();
        let reaction = view.and_then(|v| v.reaction);
        Ok(self.update_view(
            &row,
            &authors[&row.author_id],
            viewed,
            reaction,
            CLIENT_BASE,
        ))
    }

    /// The bytes of an update I may see (`thumbnail`: its preview), with their MIME type.
    pub async fn media(
        &self,
        me: &AccountRow,
        id: &str,
        thumbnail: bool,
    ) -> Result<(String, Vec<u8>)> {
        let row = self.visible(me, id).await?;
        self.bytes_of(&row, thumbnail).await
    }

    /// The bytes of a media update or its preview: an image is its own preview; a video's is
    /// a plain dark frame (no decoder is built in).
    pub(super) async fn bytes_of(
        &self,
        row: &StatusRow,
        thumbnail: bool,
    ) -> Result<(String, Vec<u8>)> {
        let Some(mime) = row.mime_type.clone() else {
            return Err(Error::not_found("a text update has no media"));
        };
        if thumbnail && row.kind == "video" {
            return Ok(("image/png".into(), video_preview()?));
        }
        let bytes = self
            .ground
            .blobs
            .get(row.id)
            .await
            .map_err(|_| not_found())?;
        Ok((mime, bytes))
    }

    /// Delete my own update: it goes from every feed, with its views and bytes.
    pub async fn delete(&self, me: &AccountRow, id: &str) -> Result<()> {
        let row = self.visible(me, id).await?;
        if row.author_id != me.id || row.waba_id.is_some() {
            return Err(not_found());
        }
        self.remove(&row).await
    }

    /// Delete an update with its views and bytes, and tell its audience.
    pub(super) async fn remove(&self, row: &StatusRow) -> Result<()> {
        if self.store.delete_status(row.id).await? {
            if row.file_size > 0 {
                self.ground.blobs.delete(row.id).await.ok();
            }
            self.publish_deleted(row).await;
        }
        Ok(())
    }

    /// The authors of some updates, by author id.
    pub(super) async fn authors(&self, rows: &[StatusRow]) -> Result<HashMap<i64, StatusAuthor>> {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.author_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = HashMap::new();
        let mut waba_names: HashMap<i64, String> = HashMap::new();
        for a in self.accounts.accounts(&ids).await? {
            let author = match a.waba_id {
                Some(w) if a.kind == AccountKind::Business => {
                    let name = match waba_names.get(&w) {
                        Some(n) => n.clone(),
                        None => {
                            let n = self
                                .business
                                .waba_row(w)
                                .await?
                                .map(|r| r.name)
                                .unwrap_or_else(|| a.display_name.clone());
                            waba_names.insert(w, n.clone());
                            n
                        }
                    };
                    StatusAuthor {
                        wa_id: a.wa_id.clone(),
                        name,
                        business: true,
                    }
                }
                _ => author_of_person(&a),
            };
            out.insert(a.id, author);
        }
        Ok(out)
    }

    /// An update as shown, its URLs under `base` (the client API's or the console's).
    pub(super) fn update_view(
        &self,
        row: &StatusRow,
        author: &StatusAuthor,
        viewed: bool,
        reaction: Option<String>,
        base: &str,
    ) -> StatusUpdate {
        let media = || StatusMedia {
            caption: Some(row.body.clone()).filter(|c| !c.is_empty()),
            mime_type: row.mime_type.clone().unwrap_or_default(),
            url: format!("{base}/{}/media", row.id),
            thumbnail_url: format!("{base}/{}/thumbnail", row.id),
        };
        let content = match row.kind.as_str() {
            "image" => StatusContent::Image { image: media() },
            "video" => StatusContent::Video { video: media() },
            _ => StatusContent::Text {
                text: StatusText {
                    body: row.body.clone(),
                    background: row.background.clone().unwrap_or_default(),
                    font: font_of(row.font.as_deref()),
                },
            },
        };
        StatusUpdate {
            id: row.id.to_string(),
            author: author.clone(),
            content,
            posted_at: row.posted_at,
            expires_at: row.expires_at,
            viewed,
            reaction,
        }
    }
}

/// Where the client API serves an update's media.
pub(super) const CLIENT_BASE: &str = "/client/v1/status";

/// A person as an author.
pub(super) fn author_of_person(a: &AccountRow) -> StatusAuthor {
    StatusAuthor {
        wa_id: a.wa_id.clone(),
        name: a.display_name.clone(),
        business: false,
    }
}

/// The preview of a video update: a small dark frame.
fn video_preview() -> Result<Vec<u8>> {
    const SIDE: u32 = 64;
    let pixels = vec![0x30u8; (SIDE * SIDE) as usize];
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, SIDE, SIDE);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(Error::internal)?;
        writer.write_image_data(&pixels).map_err(Error::internal)?;
    }
    Ok(out)
}
