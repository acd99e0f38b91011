//! What the person's client shows of a business number's tools: whether it is open now (or
//! when it opens), its weekly hours and time zone, and the conversational automation's
//! ice-breaker prompts and `/` commands, and the business profile's details (description,
//! address, email, websites, category).

use crate::error::ApiResult;
use crate::extract::PersonSession;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::accounts::AccountKind;
use wasla_core::tools::hours;
use wasla_core::{Error, Wasla};

pub async fn business_tools(
    State(app): State<Arc<Wasla>>,
    _: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let number = app.accounts.find_by_wa_id(&wa_id).await?;
    if number.kind != AccountKind::Business {
        return Err(Error::not_found(format!("{wa_id} is not a business")).into());
    }
    let s = app.tools.automation_settings(&number).await?;
    let profile = app.business.profile_row(number.id).await?;
    let open = if s.hours.is_empty() {
        None
    } else {
        Some(hours::open_state(&s, app.now())?)
    };
    Ok(Json(json!({
        "wa_id": number.wa_id,
        "hours": s.hours,
        "holidays": s.holidays,
        "time_zone": s.time_zone.clone().unwrap_or_else(|| "UTC".into()),
        "open": open,
        "prompts": s.conversational.prompts,
        "commands": s.conversational.commands,
        "profile": {
            "description": profile.description,
            "address": profile.address,
            "email": profile.email,
            "websites": profile.websites,
            "vertical": profile.vertical,
        },
    })))
}
