//! Console handlers of a WABA's click-to-chat ad campaigns: list and read them (agents), create
//! one (admins; a multipart form with the `creative` file, an optional `thumbnail` for a
//! video, and the fields `phone_number_id`, `name`, `headline`, `body`, `button_text`,
//! `welcome_message`, `countries`, `languages`, `starts_at`, `ends_at`, `daily_budget`,
//! `bid_cpm`), pause or resume one (`PATCH {"status"}`) and end one (`DELETE`).

use crate::error::{ApiError, ApiResult};
use crate::extract::AgentSession;
use crate::extract::{Body, Form};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::status::ads::{CampaignForm, CreativeFile};
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::ads::{Campaign, CampaignUpdate, Campaigns};

/// The largest form: a video at the media limit plus a thumbnail and the fields.
const FORM_LIMIT: usize = (16 << 20) + (5 << 20) + (64 << 10);
/// Longest text field.
const MAX_FIELD: usize = 8 << 10;

/// Routes of ad campaigns in the console API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route(
            "/console/v1/ads/campaigns",
            get(list)
                .post(create)
                .layer(DefaultBodyLimit::max(FORM_LIMIT)),
        )
        .route(
            "/console/v1/ads/campaigns/{id}",
            get(one).patch(update).delete(end),
        )
}

/// `GET /console/v1/ads/campaigns`: the WABA's campaigns, newest first.
async fn list(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Campaigns>> {
    let data = app.status.campaigns_of(s.agent.waba_id).await?;
    Ok(Json(Campaigns { data }))
}

/// `GET /console/v1/ads/campaigns/{id}`: one campaign with its days.
async fn one(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(app.status.campaign_of(s.agent.waba_id, &id).await?))
}

/// `POST /console/v1/ads/campaigns` (admin): create a campaign; it waits for review.
async fn create(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Form(mut form): Form,
) -> ApiResult<Json<Campaign>> {
    Tools::require_admin(&s.agent)?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError(if e.status().as_u16() == 413 {
            Error::TooLarge("the form is too large".into())
        } else {
            Error::bad(format!("malformed multipart body: {}", e.body_text()))
        })
    };
    let mut f = CampaignForm::default();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "creative" || name == "thumbnail" {
            let file = CreativeFile {
                declared: field.content_type().map(str::to_string),
                filename: field.file_name().map(str::to_string),
                bytes: field.bytes().await.map_err(bad)?.to_vec(),
            };
            if name == "creative" {
                f.creative = Some(file);
            } else {
                f.thumbnail = Some(file);
            }
            continue;
        }
        let value = field.text().await.map_err(bad)?;
        if value.len() > MAX_FIELD {
            return Err(Error::bad(format!("{name} is too long")).into());
        }
        let slot = match name.as_str() {
            "phone_number_id" => &mut f.phone_number_id,
            "name" => &mut f.name,
            "headline" => &mut f.headline,
            "body" => &mut f.body,
            "button_text" => &mut f.button_text,
            "welcome_message" => &mut f.welcome_message,
            "countries" => &mut f.countries,
            "languages" => &mut f.languages,
            "starts_at" => &mut f.starts_at,
            "ends_at" => &mut f.ends_at,
            "daily_budget" => &mut f.daily_budget,
            "bid_cpm" => &mut f.bid_cpm,
            other => return Err(Error::bad(format!("unknown field '{other}'")).into()),
        };
        *slot = Some(value);
    }
    Ok(Json(app.status.create_campaign(s.agent.waba_id, f).await?))
}

/// `PATCH /console/v1/ads/campaigns/{id}` (admin) `{"status":"paused"|"approved"}`.
async fn update(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(body): Body<CampaignUpdate>,
) -> ApiResult<Json<Campaign>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(
        app.status
            .update_campaign(s.agent.waba_id, &id, body)
            .await?,
    ))
}

/// `DELETE /console/v1/ads/campaigns/{id}` (admin): end the campaign.
async fn end(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(app.status.end_campaign(s.agent.waba_id, &id).await?))
}
