//! Console handlers of the WABA's message templates: the list with each template's review
//! status and rejection reason, and creating one (admins). The rules are the Cloud API's
//! (`integration::templates`), so the console refuses what the API refuses.

use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::integration::TemplateFilter;
use wasla_core::tools::Tools;
use wasla_core::Wasla;

/// `GET /console/v1/templates`: up to 100 templates, newest last, and the summary.
pub async fn list(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    let (data, _, summary) = app
        .integration
        .list_templates(s.agent.waba_id, &TemplateFilter::default(), None, 100)
        .await?;
    Ok(Json(json!({"data": data, "summary": summary})))
}

/// `POST /console/v1/templates` (admin): the Cloud API's create body; the new template with
/// its status (`PENDING` until reviewed, unless the operator approves automatically).
pub async fn create(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(b): Body<Value>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(
        app.integration.create_template(s.agent.waba_id, &b).await?,
    ))
}
