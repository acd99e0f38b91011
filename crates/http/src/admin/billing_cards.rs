//! Rate cards in the admin API: `GET /admin/v1/billing/cards` lists every version,
//! `POST /admin/v1/billing/cards` imports one from CSV (refused whole, with a report per row),
//! `GET /admin/v1/billing/cards/{id}/csv` exports one, `PUT
//! /admin/v1/billing/accounts/{waba_id}/card` rates a WABA on a named card with a discount,
//! and `GET /admin/v1/billing/accounts/{waba_id}/rated` lists its rated messages.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::billing::CardSummary;
use wasla_core::ids::wamid;
use wasla_core::{Error, Wasla};
use wasla_types::rate_cards::*;

/// Routes of rate cards.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/billing/cards", get(list).post(import))
        .route("/admin/v1/billing/cards/{id}/csv", get(export))
        .route("/admin/v1/billing/accounts/{waba_id}/card", put(set_card))
        .route("/admin/v1/billing/accounts/{waba_id}/rated", get(rated))
}

fn view(s: CardSummary) -> CardView {
    CardView {
        id: s.card.id.to_string(),
        name: s.card.name,
        currency: s.card.currency,
        effective_from: wasla_core::billing::rules::utc_day(s.card.effective_from),
        source: s.card.source,
        rows: s.rows,
    }
}

fn id_of(id: &str, what: &str) -> Result<i64, Error> {
    wasla_core::ids::parse_id(id).ok_or_else(|| Error::not_found(format!("no such {what}")))
}

async fn list(State(app): State<Arc<Wasla>>, _: OperatorToken) -> ApiResult<Json<CardList>> {
    Ok(Json(CardList {
        data: app
            .billing
            .list_cards()
            .await?
            .into_iter()
            .map(view)
            .collect(),
    }))
}

async fn import(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<CardImport>,
) -> ApiResult<Response> {
    match app
        .billing
        .import_card_checked(&b.name, &b.effective_from, &b.source, &b.csv)
        .await?
    {
        Ok(summary) => Ok(Json(view(summary)).into_response()),
        Err(rejected) => {
            let problems: Vec<CardProblem> = rejected
                .problems
                .into_iter()
                .map(|p| CardProblem {
                    line: p.line,
                    message: p.message,
                })
                .collect();
            let refusal = CardRefusal {
                code: "bad_request".into(),
                message: format!("the card was not imported: {} problem(s)", problems.len()),
                problems,
            };
            Ok((
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({ "error": refusal })),
            )
                .into_response())
        }
    }
}

async fn export(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (card, csv) = app.billing.export_card(id_of(&id, "rate card")?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-{}.csv\"", card.name, card.id),
            ),
        ],
        csv,
    )
        .into_response())
}

async fn set_card(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(waba_id): Path<String>,
    Body(b): Body<PricingTerms>,
) -> ApiResult<Json<PricingTerms>> {
    let waba = app.business.waba(&waba_id).await?;
    app.billing
        .set_pricing_terms(waba.id, b.card_name.trim(), b.discount_bp)
        .await?;
    Ok(Json(b))
}

#[derive(serde::Deserialize)]
struct RatedParams {
    limit: Option<i64>,
}

async fn rated(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(waba_id): Path<String>,
    Query(q): Query<RatedParams>,
) -> ApiResult<Json<RatedList>> {
    let waba = app.business.waba(&waba_id).await?;
    let rows = app
        .billing
        .rated_messages(waba.id, q.limit.unwrap_or(1000))
        .await?;
    Ok(Json(RatedList {
        data: rows
            .into_iter()
            .map(|e| RatedMessage {
                wamid: e.message_id.map(wamid).unwrap_or_default(),
                recipient_id: e.recipient_id.unwrap_or_default().to_string(),
                phone_number_id: e.phone_number_id.unwrap_or_default().to_string(),
                country: e.country.unwrap_or_default(),
                market: e.market.unwrap_or_default(),
                category: e.category.unwrap_or_default(),
                pricing_type: e.pricing_type.unwrap_or_default(),
                tier: e.tier.unwrap_or_default(),
                amount_micros: e.amount_micros,
                currency: e.currency,
                at: e.at,
            })
            .collect(),
        unrated: app.billing.unrated_count(waba.id).await?,
    }))
}
