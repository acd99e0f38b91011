//! Media upload (multipart `file`) and download for members of the chats it was sent in.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Form, PersonSession};
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use wasla_core::accounts::MediaKind;
use wasla_core::{Error, Wasla};
use wasla_types::client::MediaInfo;

/// A `file` part read from a multipart body, with what the form said of it.
pub struct UploadedFile {
    /// The bytes.
    pub bytes: bytes::Bytes,
    /// The part's Content-Type.
    pub content_type: Option<String>,
    /// The part's file name.
    pub filename: Option<String>,
}

/// Read the `file` part of a multipart upload (other fields are ignored).
pub async fn read_file_part(mut form: Multipart) -> Result<UploadedFile, ApiError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status().as_u16() == 413 {
            Error::TooLarge("the file is too large".into())
        } else {
            Error::bad(format!("malformed multipart body: {}", e.body_text()))
        }
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let content_type = field.content_type().map(str::to_string);
            let filename = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(bad)?;
            return Ok(UploadedFile {
                bytes,
                content_type,
                filename,
            });
        }
    }
    Err(ApiError(Error::bad("the form has no 'file' part")))
}

pub async fn upload(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Form(form): Form,
) -> ApiResult<Json<MediaInfo>> {
    let file = read_file_part(form).await?;
    let info = app
        .accounts
        .upload_media(
            me.account.id,
            &file.bytes,
            file.content_type.as_deref(),
            file.filename.as_deref(),
        )
        .await?;
    Ok(Json(info))
}

pub async fn download(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (row, bytes) = app.accounts.download_media(me.account.id, &id).await?;
    Ok(media_response(&row, bytes))
}

/// Bytes with headers that keep browsers from treating uploads as pages.
pub(crate) fn media_response(row: &wasla_core::accounts::MediaRow, bytes: Vec<u8>) -> Response {
    let disposition = match (MediaKind::of(&row.mime_type), &row.filename) {
        (MediaKind::Document, Some(name)) => format!(
            "attachment; filename=\"{}\"",
            name.replace(['"', '\\'], "_")
        ),
        (MediaKind::Document, None) => "attachment".to_string(),
        _ => "inline".to_string(),
    };
    (
        [
            (header::CONTENT_TYPE, row.mime_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (
                header::CACHE_CONTROL,
                "private, max-age=86400, immutable".into(),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".into(),
            ),
        ],
        bytes,
    )
        .into_response()
}
