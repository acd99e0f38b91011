//! Extractors that authorise by type: a handler taking [`PersonSession`] only runs for a valid
//! person session, one taking [`OperatorToken`] only for the operator. Also [`Body`], JSON
//! whose rejections come out in the API's error format.

use crate::error::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use std::sync::Arc;
use wasla_core::accounts::AccountRow;
use wasla_core::{Error, Wasla};

/// The bearer token of a request (header, or `access_token` query parameter).
pub fn bearer(parts: &Parts) -> Option<String> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string())
        .filter(|t| !t.is_empty());
    if header.is_some() {
        return header;
    }
    let query = parts.uri.query()?;
    url_param(query, "access_token")
}

fn url_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// A signed-in person.
pub struct PersonSession {
    /// The account.
    pub account: AccountRow,
    /// The session (for logout).
    pub session_id: i64,
}

impl FromRequestParts<Arc<Wasla>> for PersonSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<Wasla>) -> Result<Self, ApiError> {
        let token = bearer(parts)
            .ok_or_else(|| Error::Unauthorized("sign in first: missing bearer token".into()))?;
        let (account, session_id) = app.accounts.person_by_token(&token).await?;
        Ok(PersonSession {
            account,
            session_id,
        })
    }
}

/// The operator.
pub struct OperatorToken;

impl FromRequestParts<Arc<Wasla>> for OperatorToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<Wasla>) -> Result<Self, ApiError> {
        let token =
            bearer(parts).ok_or_else(|| Error::Unauthorized("missing operator token".into()))?;
        app.check_operator(&token)?;
        Ok(OperatorToken)
    }
}

/// A JSON body; malformed input is a `bad_request` in the API's own format.
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(rejection) => {
                let status = rejection.status().as_u16();
                let msg = rejection.body_text();
                Err(ApiError(match status {
                    413 => Error::TooLarge("request body is too large".into()),
                    415 => Error::UnsupportedMedia(
                        "send JSON with Content-Type: application/json".into(),
                    ),
                    _ => Error::BadRequest(msg),
                }))
            }
        }
    }
}

/// A signed-in agent of a business (business console).
pub struct AgentSession {
    /// The agent.
    pub agent: wasla_core::tools::AgentRow,
    /// The session (for sign-out).
    pub session_id: i64,
}

impl FromRequestParts<Arc<Wasla>> for AgentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<Wasla>) -> Result<Self, ApiError> {
        let token = bearer(parts)
            .ok_or_else(|| Error::Unauthorized("sign in to the console first".into()))?;
        let (agent, session_id) = app.tools.agent_by_token(&token).await?;
        Ok(AgentSession { agent, session_id })
    }
}
