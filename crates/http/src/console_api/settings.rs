//! Console handlers of what business admins manage: labels, quick replies, the automations of
//! a number, and its QR codes with their scan and open counts. Agents may read them.

use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::accounts::AccountRow;
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::tools::{AutomationSettings, Label, QrCodeRequest, QuickReply};

/// A number of the agent's WABA, or not found.
pub(super) async fn number(app: &Wasla, s: &AgentSession, id: &str) -> Result<AccountRow, Error> {
    app.business
        .owned_number(s.agent.waba_id, id)
        .await
        .map_err(|_| Error::not_found(format!("no phone number {id}")))
}

pub async fn labels(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.tools.labels(s.agent.waba_id).await?}),
    ))
}

pub async fn create_label(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(b): Body<Label>,
) -> ApiResult<Json<Label>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(app.tools.create_label(s.agent.waba_id, b).await?))
}

pub async fn delete_label(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    app.tools.delete_label(s.agent.waba_id, &id).await?;
    Ok(Json(json!({"success": true})))
}

pub async fn quick_replies(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.tools.quick_replies(s.agent.waba_id).await?}),
    ))
}

pub async fn put_quick_reply(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(b): Body<QuickReply>,
) -> ApiResult<Json<QuickReply>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(app.tools.put_quick_reply(s.agent.waba_id, b).await?))
}

pub async fn delete_quick_reply(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    app.tools.delete_quick_reply(s.agent.waba_id, &id).await?;
    Ok(Json(json!({"success": true})))
}

pub async fn automations(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<AutomationSettings>> {
    let n = number(&app, &s, &id).await?;
    Ok(Json(app.tools.automation_settings(&n).await?))
}

pub async fn save_automations(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<AutomationSettings>,
) -> ApiResult<Json<AutomationSettings>> {
    Tools::require_admin(&s.agent)?;
    let n = number(&app, &s, &id).await?;
    app.tools.save_automation_settings(&n, &b).await?;
    Ok(Json(b))
}

pub async fn qrs(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let n = number(&app, &s, &id).await?;
    let data: Vec<Value> = app
        .tools
        .list_qrs(&n, None, 100)
        .await?
        .iter()
        .map(|r| {
            let mut v = json!(app.tools.qr_view(r, Some("png")));
            let stats = Tools::qr_stats(r);
            v["scans"] = json!(stats.scans);
            v["opens"] = json!(stats.opens);
            v["svg_url"] = json!(app.tools.qr_view(r, Some("svg")).qr_image_url);
            v
        })
        .collect();
    Ok(Json(json!({"data": data})))
}

pub async fn create_qr(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<QrCodeRequest>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let n = number(&app, &s, &id).await?;
    let req = QrCodeRequest {
        generate_qr_image: Some("PNG".into()),
        ..b
    };
    Ok(Json(json!(app.tools.put_qr(&n, req).await?)))
}

pub async fn delete_qr(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path((id, code)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let n = number(&app, &s, &id).await?;
    // Another number's code, or none, is not found here (the Cloud API's words are Graph's).
    app.tools.delete_qr(&n, &code).await.map_err(|e| match e {
        Error::Graph { .. } => Error::not_found(format!("no QR code {code} on this number")),
        other => other,
    })?;
    Ok(Json(json!({"success": true})))
}
