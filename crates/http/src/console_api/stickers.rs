//! Console handlers of a business's sticker packs: list them (agents), publish one and delete
//! one (admins). Publishing is a multipart form: `name`, `cover` (the index of the cover among
//! the stickers, 0 when left out) and one `sticker` part per WebP file, in order.

use crate::error::{ApiError, ApiResult};
use crate::extract::{AgentSession, Form};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::accounts::MAX_ANIMATED_STICKER;
use wasla_core::status::{StickerFile, MAX_PACK_STICKERS};
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::stickers::{StickerPack, StickerPacks};

/// The largest publish form: a full pack of the largest stickers, plus room for the fields.
const PACK_BODY_LIMIT: usize = MAX_PACK_STICKERS * MAX_ANIMATED_STICKER + (64 << 10);

/// Routes of sticker packs in the console API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route(
            "/console/v1/sticker-packs",
            get(list)
                .post(publish)
                .layer(DefaultBodyLimit::max(PACK_BODY_LIMIT)),
        )
        .route("/console/v1/sticker-packs/{id}", delete(remove))
}

/// `GET /console/v1/sticker-packs`: the WABA's packs.
async fn list(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<StickerPacks>> {
    let data = app.status.packs_of(s.agent.waba_id).await?;
    Ok(Json(StickerPacks { data }))
}

/// `POST /console/v1/sticker-packs` (admin): publish a pack.
async fn publish(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Form(mut form): Form,
) -> ApiResult<Json<StickerPack>> {
    Tools::require_admin(&s.agent)?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError(if e.status().as_u16() == 413 {
            Error::TooLarge("the pack is too large".into())
        } else {
            Error::bad(format!("malformed multipart body: {}", e.body_text()))
        })
    };
    let (mut name, mut cover, mut files) = (String::new(), 0usize, Vec::new());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "name" => name = field.text().await.map_err(bad)?,
            "cover" => {
                cover = field
                    .text()
                    .await
                    .map_err(bad)?
                    .trim()
                    .parse()
                    .map_err(|_| Error::bad("cover must be the index of a sticker"))?
            }
            "sticker" => {
                if files.len() == MAX_PACK_STICKERS {
                    return Err(Error::bad(format!(
                        "a pack holds at most {MAX_PACK_STICKERS} stickers"
                    ))
                    .into());
                }
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                files.push(StickerFile { bytes });
            }
            other => return Err(Error::bad(format!("unknown field '{other}'")).into()),
        }
    }
    let pack = app
        .status
        .publish_pack(s.agent.waba_id, &name, cover, files)
        .await?;
    Ok(Json(pack))
}

/// `DELETE /console/v1/sticker-packs/{id}` (admin): delete a pack of the WABA.
async fn remove(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    app.status.delete_pack(s.agent.waba_id, &id).await?;
    Ok(Json(json!({"success": true})))
}
