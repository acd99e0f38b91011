//! The business console's API (`/console/v1/…`, agent sessions): signing in and out, the
//! agents of the business, the shared inbox and its chats, labels, quick replies, and the
//! automations and QR codes of the business's numbers, and the catalog. Every handler authorises with
//! [`AgentSession`] and is scoped to the agent's WABA.

mod ads;
mod analytics;
mod audit;
mod billing;
mod catalog;
mod compose;
mod inbox;
mod live;
mod settings;
mod settings_catalog;
mod settings_profile;
mod settings_team;
mod settings_templates;
mod status;
mod stickers;

use crate::error::ApiResult;
use crate::extract::{AgentSession, Body, ClientAddr};
use axum::extract::State;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::tools::Tools;
use wasla_core::Wasla;
use wasla_types::tools::{AgentLogin, AgentSessionInfo, Invite, NewAgent};

/// Routes of the console API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/console/v1/auth/sign-in", post(sign_in))
        .route("/console/v1/auth/sign-out", post(sign_out))
        .route("/console/v1/sign-in-alerts", get(sign_in_alerts))
        .route("/console/v1/me", get(me))
        .route("/console/v1/stream", get(live::stream))
        .route("/console/v1/agents", get(agents).post(invite))
        .route("/console/v1/inbox", get(inbox::list))
        .route(
            "/console/v1/inbox/settings",
            get(inbox::settings).put(inbox::set_settings),
        )
        .route(
            "/console/v1/chats/{chat_id}",
            axum::routing::patch(inbox::update),
        )
        .route(
            "/console/v1/chats/{chat_id}/messages",
            get(inbox::history).post(inbox::reply),
        )
        .route("/console/v1/chats/{chat_id}/read", post(inbox::read))
        .route(
            "/console/v1/chats/{chat_id}/notes",
            get(inbox::notes).post(inbox::add_note),
        )
        .route(
            "/console/v1/chats/{chat_id}/labels/{label_id}",
            put(inbox::label_on).delete(inbox::label_off),
        )
        .route(
            "/console/v1/chats/{chat_id}/contact-labels/{label_id}",
            put(inbox::contact_label_on).delete(inbox::contact_label_off),
        )
        .route("/console/v1/chats/{chat_id}/customer", get(inbox::customer))
        .route("/console/v1/failed-sends", get(inbox::failed_sends))
        .route("/console/v1/media/{id}", get(inbox::media))
        .route("/console/v1/catalog", get(catalog::show))
        .route("/console/v1/catalog/products", post(catalog::create))
        .route(
            "/console/v1/catalog/products/{id}",
            axum::routing::patch(catalog::update).delete(catalog::delete),
        )
        .route("/console/v1/catalog/import", post(catalog::import))
        .route("/console/v1/orders", get(catalog::orders))
        .route(
            "/console/v1/labels",
            get(settings::labels).post(settings::create_label),
        )
        .route("/console/v1/labels/{id}", delete(settings::delete_label))
        .route(
            "/console/v1/quick-replies",
            get(settings::quick_replies).post(settings::put_quick_reply),
        )
        .route(
            "/console/v1/quick-replies/{id}",
            delete(settings::delete_quick_reply),
        )
        .route(
            "/console/v1/numbers/{id}/automations",
            get(settings::automations).put(settings::save_automations),
        )
        .route(
            "/console/v1/numbers/{id}/qr",
            get(settings::qrs).post(settings::create_qr),
        )
        .route(
            "/console/v1/numbers/{id}/qr/{code}",
            delete(settings::delete_qr),
        )
        .route(
            "/console/v1/agents/{id}",
            axum::routing::patch(settings_team::update_agent),
        )
        .route(
            "/console/v1/apps",
            get(settings_team::apps).post(settings_team::create_app),
        )
        .route(
            "/console/v1/apps/{id}",
            axum::routing::patch(settings_team::update_app),
        )
        .route(
            "/console/v1/templates",
            get(settings_templates::list).post(settings_templates::create),
        )
        .route(
            "/console/v1/numbers/{id}/profile",
            get(settings_profile::profile).put(settings_profile::save_profile),
        )
        .route(
            "/console/v1/numbers/{id}/photo",
            get(settings_profile::photo)
                .post(settings_profile::upload_photo)
                .layer(axum::extract::DefaultBodyLimit::max(
                    settings_catalog::IMAGE_BODY_LIMIT,
                )),
        )
        .route(
            "/console/v1/numbers/{id}/commerce",
            get(settings_profile::commerce).put(settings_profile::save_commerce),
        )
        .route(
            "/console/v1/catalog/images",
            post(settings_catalog::upload).layer(axum::extract::DefaultBodyLimit::max(
                settings_catalog::IMAGE_BODY_LIMIT,
            )),
        )
        .merge(audit::routes())
        .merge(analytics::routes())
        .merge(billing::routes())
        .merge(compose::routes())
        .merge(stickers::routes())
        .merge(ads::routes())
        .merge(status::routes())
}

async fn sign_in(
    State(app): State<Arc<Wasla>>,
    ClientAddr(from): ClientAddr,
    Body(b): Body<AgentLogin>,
) -> ApiResult<Json<AgentSessionInfo>> {
    Ok(Json(app.tools.agent_sign_in(b, from).await?))
}

/// Repeated failed sign-ins of the WABA's agents (admins only), newest first.
async fn sign_in_alerts(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.tools.sign_in_alerts(&s.agent).await?}),
    ))
}

async fn sign_out(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    app.tools.agent_sign_out(s.session_id).await?;
    Ok(Json(json!({"success": true})))
}

async fn me(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    let numbers: Vec<Value> = app
        .business
        .phone_numbers(s.agent.waba_id)
        .await?
        .iter()
        .map(|n| {
            json!({"id": n.id.to_string(), "wa_id": n.wa_id,
                   "name": n.verified_name.clone().unwrap_or_else(|| n.display_name.clone())})
        })
        .collect();
    Ok(Json(
        json!({"agent": app.tools.agent_view(&s.agent), "numbers": numbers}),
    ))
}

async fn agents(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.tools.list_agents(s.agent.waba_id).await?}),
    ))
}

async fn invite(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(mut b): Body<NewAgent>,
) -> ApiResult<Json<Invite>> {
    Tools::require_admin(&s.agent)?;
    b.waba_id = None;
    Ok(Json(app.tools.invite_agent(s.agent.waba_id, b).await?))
}
