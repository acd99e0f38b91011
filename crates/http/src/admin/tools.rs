//! The business tools in the admin API: a WABA's agents (creating the first business admin),
//! labels (and their use on contacts) and quick replies, and a number's automations and QR
//! code counters. Paths name the WABA or the number by id; an unknown one is not found.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, State};
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::accounts::{AccountKind, AccountRow};
use wasla_core::ids::parse_id;
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::tools::{AutomationSettings, Invite, Label, NewAgent, QuickReply};

/// Routes of the business tools.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route(
            "/admin/v1/businesses/{id}/agents",
            get(agents).post(create_agent),
        )
        .route(
            "/admin/v1/businesses/{id}/labels",
            get(labels).post(create_label),
        )
        .route(
            "/admin/v1/businesses/{id}/labels/{label}",
            delete(delete_label),
        )
        .route(
            "/admin/v1/businesses/{id}/contacts/{wa_id}/labels",
            get(contact_labels),
        )
        .route(
            "/admin/v1/businesses/{id}/contacts/{wa_id}/labels/{label}",
            put(contact_label_on).delete(contact_label_off),
        )
        .route(
            "/admin/v1/businesses/{id}/quick-replies",
            get(quick_replies).post(put_quick_reply),
        )
        .route(
            "/admin/v1/businesses/{id}/quick-replies/{reply}",
            delete(delete_quick_reply),
        )
        .route(
            "/admin/v1/phone-numbers/{id}/automations",
            get(automations).put(save_automations),
        )
        .route("/admin/v1/phone-numbers/{id}/qr-codes", get(qr_codes))
}

async fn waba(app: &Wasla, id: &str) -> Result<i64, Error> {
    let missing = || Error::not_found(format!("no business {id}"));
    let id = parse_id(id).ok_or_else(missing)?;
    app.business.waba_row(id).await?.ok_or_else(missing)?;
    Ok(id)
}

async fn number(app: &Wasla, id: &str) -> Result<AccountRow, Error> {
    let missing = || Error::not_found(format!("no phone number {id}"));
    let id = parse_id(id).ok_or_else(missing)?;
    match app.accounts.account(id).await? {
        Some(a) if a.kind == AccountKind::Business => Ok(a),
        _ => Err(missing()),
    }
}

async fn agents(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    Ok(Json(json!({"data": app.tools.list_agents(w).await?})))
}

async fn create_agent(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<NewAgent>,
) -> ApiResult<Json<Invite>> {
    let w = waba(&app, &id).await?;
    Ok(Json(app.tools.invite_agent(w, b).await?))
}

async fn labels(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    Ok(Json(json!({"data": app.tools.labels(w).await?})))
}

async fn create_label(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<Label>,
) -> ApiResult<Json<Label>> {
    let w = waba(&app, &id).await?;
    Ok(Json(app.tools.create_label(w, b).await?))
}

async fn delete_label(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, label)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    app.tools.delete_label(w, &label).await?;
    Ok(Json(json!({"success": true})))
}

async fn contact_labels(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, wa_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    Ok(Json(
        json!({"data": app.tools.contact_labels(w, &wa_id).await?}),
    ))
}

async fn contact_label_on(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, wa_id, label)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    app.tools
        .label_contact_by_wa_id(w, &wa_id, &label, true)
        .await?;
    Ok(Json(json!({"success": true})))
}

async fn contact_label_off(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, wa_id, label)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    app.tools
        .label_contact_by_wa_id(w, &wa_id, &label, false)
        .await?;
    Ok(Json(json!({"success": true})))
}

async fn quick_replies(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    Ok(Json(json!({"data": app.tools.quick_replies(w).await?})))
}

async fn put_quick_reply(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<QuickReply>,
) -> ApiResult<Json<QuickReply>> {
    let w = waba(&app, &id).await?;
    Ok(Json(app.tools.put_quick_reply(w, b).await?))
}

async fn delete_quick_reply(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, reply)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let w = waba(&app, &id).await?;
    app.tools.delete_quick_reply(w, &reply).await?;
    Ok(Json(json!({"success": true})))
}

async fn automations(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<AutomationSettings>> {
    let n = number(&app, &id).await?;
    Ok(Json(app.tools.automation_settings(&n).await?))
}

async fn save_automations(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<AutomationSettings>,
) -> ApiResult<Json<AutomationSettings>> {
    let n = number(&app, &id).await?;
    app.tools.save_automation_settings(&n, &b).await?;
    Ok(Json(b))
}

async fn qr_codes(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let n = number(&app, &id).await?;
    let data: Vec<Value> = app
        .tools
        .list_qrs(&n, None, 100)
        .await?
        .iter()
        .map(|r| json!(Tools::qr_stats(r)))
        .collect();
    Ok(Json(json!({"data": data})))
}
