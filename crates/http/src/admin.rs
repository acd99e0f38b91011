//! The admin API (`/admin/v1`, operator token): businesses (WABAs), phone numbers, apps,
//! business tokens, and acting as a person for demos and tests. The CLI calls these.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::admin::*;
use wasla_types::client::{Message, Session};

/// Routes of the admin API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/businesses", post(create_waba).get(list_wabas))
        .route(
            "/admin/v1/businesses/{id}/phone-numbers",
            get(list_phone_numbers),
        )
        .route("/admin/v1/businesses/{id}/apps", get(list_apps))
        .route("/admin/v1/phone-numbers", post(create_phone_number))
        .route("/admin/v1/phone-numbers/{id}/ledger", get(ledger))
        .route("/admin/v1/apps", post(create_app))
        .route("/admin/v1/tokens", post(create_token))
        .route("/admin/v1/tokens/{id}", delete(revoke_token))
        .route("/admin/v1/apps/{id}/deliveries", get(deliveries))
        .route(
            "/admin/v1/apps/{id}/deliveries/{delivery_id}/redeliver",
            post(redeliver),
        )
        .route("/admin/v1/templates/{id}/review", post(review_template))
        .route("/admin/v1/businesses/{id}/auto-approve", post(auto_approve))
        .route("/admin/v1/persons", post(register_person))
        .route("/admin/v1/persons/{wa_id}/messages", post(person_send))
}

async fn create_waba(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewWaba>,
) -> ApiResult<Json<Waba>> {
    Ok(Json(app.business.create_waba(&b.name).await?))
}

async fn list_wabas(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
) -> ApiResult<Json<List<Waba>>> {
    Ok(Json(List {
        data: app.business.list_wabas().await?,
    }))
}

async fn list_phone_numbers(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<List<PhoneNumber>>> {
    Ok(Json(List {
        data: app.business.list_phone_numbers(&id).await?,
    }))
}

async fn list_apps(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<List<App>>> {
    Ok(Json(List {
        data: app.business.list_apps(&id).await?,
    }))
}

async fn create_phone_number(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewPhoneNumber>,
) -> ApiResult<Json<PhoneNumber>> {
    Ok(Json(app.business.create_phone_number(&b).await?))
}

async fn create_app(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewApp>,
) -> ApiResult<Json<App>> {
    Ok(Json(app.business.create_app(&b).await?))
}

async fn create_token(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewToken>,
) -> ApiResult<Json<IssuedToken>> {
    Ok(Json(app.business.create_business_token(&b.waba_id).await?))
}

async fn revoke_token(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.business.revoke_business_token(&id).await?;
    Ok(Json(json!({"success": true})))
}

async fn register_person(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewPerson>,
) -> ApiResult<Json<Session>> {
    Ok(Json(
        app.accounts
            .admin_register_person(&b.phone, &b.name)
            .await?,
    ))
}

async fn person_send(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(wa_id): Path<String>,
    Body(b): Body<PersonText>,
) -> ApiResult<Json<Message>> {
    Ok(Json(
        app.chats.person_send_text(&wa_id, &b.to, &b.text).await?,
    ))
}

#[derive(serde::Deserialize)]
struct LogQuery {
    before: Option<i64>,
    limit: Option<i64>,
}

async fn deliveries(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<LogQuery>,
) -> ApiResult<Json<List<Delivery>>> {
    let rows = app
        .integration
        .delivery_log(&id, q.before, q.limit.unwrap_or(50))
        .await?;
    let data = rows
        .into_iter()
        .map(|d| Delivery {
            id: d.id.to_string(),
            next_attempt_at: (d.state == "pending").then_some(d.next_attempt_at),
            state: d.state,
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
            event: serde_json::from_str(&d.event).unwrap_or(Value::Null),
        })
        .collect();
    Ok(Json(List { data }))
}

async fn redeliver(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, delivery_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    app.integration.redeliver(&id, &delivery_id).await?;
    Ok(Json(json!({"success": true})))
}

#[derive(serde::Deserialize)]
struct Review {
    status: String,
    #[serde(default)]
    reason: Option<String>,
}

async fn review_template(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<Review>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        app.integration
            .review_template(&id, &b.status, b.reason.as_deref())
            .await?,
    ))
}

#[derive(serde::Deserialize)]
struct AutoApprove {
    enabled: bool,
}

async fn auto_approve(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<AutoApprove>,
) -> ApiResult<Json<Value>> {
    app.integration.set_auto_approve(&id, b.enabled).await?;
    Ok(Json(
        json!({"success": true, "auto_approve_templates": b.enabled}),
    ))
}

async fn ledger(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(app.commerce.fee_ledger(&id).await?))
}
