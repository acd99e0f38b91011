//! Console handlers of the team and the integrations: an admin changes an agent's role or
//! deactivates them, and manages the WABA's apps (webhook URL and verify token; a new app's
//! secret is shown once). Apps are for admins only, reading included.

use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::tools::Tools;
use wasla_core::Wasla;
use wasla_types::admin::{App, NewApp};
use wasla_types::tools::{Agent, AgentUpdate};

/// `PATCH /console/v1/agents/{id}` (admin): `{role}` and/or `{active: false}`.
pub async fn update_agent(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<AgentUpdate>,
) -> ApiResult<Json<Agent>> {
    Ok(Json(app.tools.update_agent(&s.agent, &id, b).await?))
}

/// `GET /console/v1/apps` (admin): the WABA's apps, without secrets.
pub async fn apps(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let waba = s.agent.waba_id.to_string();
    Ok(Json(json!({"data": app.business.list_apps(&waba).await?})))
}

/// A webhook form: the callback URL and its verify token.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookForm {
    webhook_url: String,
    #[serde(default)]
    verify_token: Option<String>,
}

/// `POST /console/v1/apps` (admin): a new app; its secret is in this answer only.
pub async fn create_app(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(b): Body<WebhookForm>,
) -> ApiResult<Json<App>> {
    Tools::require_admin(&s.agent)?;
    let req = NewApp {
        waba_id: s.agent.waba_id.to_string(),
        webhook_url: b.webhook_url,
        verify_token: b.verify_token.unwrap_or_default(),
    };
    Ok(Json(app.business.create_app(&req).await?))
}

/// `PATCH /console/v1/apps/{id}` (admin): a new webhook URL (and verify token).
pub async fn update_app(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<WebhookForm>,
) -> ApiResult<Json<App>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(
        app.business
            .update_app(
                s.agent.waba_id,
                &id,
                &b.webhook_url,
                b.verify_token.as_deref(),
            )
            .await?,
    ))
}
