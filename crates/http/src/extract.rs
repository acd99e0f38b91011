//! Extractors that authorise by type: a handler taking [`PersonSession`] only runs for a valid
//! person session, one taking [`OperatorToken`] only for the operator. Their tokens come from
//! the `Authorization` header only; the Cloud API alone also takes `access_token=` from the
//! URL, as Meta's does. Also [`Body`], JSON whose rejections come out in the API's error
//! format, and [`Form`], a multipart body whose rejections do too.

use crate::error::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use std::sync::Arc;
use wasla_core::accounts::AccountRow;
use wasla_core::{Error, Wasla};

/// The bearer token of a Cloud API request: the `Authorization` header, or the
/// `access_token` query parameter, which Meta's Graph API accepts too. Only the Cloud API
/// takes a token from the URL; every other surface uses [`bearer_header`].
pub fn bearer(parts: &Parts) -> Option<String> {
    let header = bearer_header(parts);
    if header.is_some() {
        return header;
    }
    let query = parts.uri.query()?;
    url_param(query, "access_token")
}

/// The bearer token of the `Authorization` header only. Sessions of the client API and the
/// console and the operator's token are never taken from the URL, where they would end up in
/// access logs, browser history and `Referer` headers; a request that puts one there is
/// refused as unauthenticated.
pub fn bearer_header(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string())
        .filter(|t| !t.is_empty())
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
        let token = bearer_header(parts).ok_or_else(|| {
            Error::Unauthorized("sign in first: send Authorization: Bearer <session token>".into())
        })?;
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
        let token = bearer_header(parts).ok_or_else(|| {
            Error::Unauthorized(
                "missing operator token: send Authorization: Bearer <operator token>".into(),
            )
        })?;
        app.check_operator(&token)?;
        crate::audit::note(parts, wasla_core::business::Actor::Operator);
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
        let token = bearer_header(parts)
            .ok_or_else(|| Error::Unauthorized("sign in to the console first".into()))?;
        let (agent, session_id) = app.tools.agent_by_token(&token).await?;
        crate::audit::note(
            parts,
            wasla_core::business::Actor::Agent {
                id: agent.id,
                email: agent.email.clone(),
                waba_id: agent.waba_id,
            },
        );
        Ok(AgentSession { agent, session_id })
    }
}

/// The address a request comes from: the connection's peer, or, when the peer is one of the
/// operator's `trusted_proxies`, the client its `X-Forwarded-For` names. For the throttles of
/// verification codes and console sign-ins. A server not serving with connect info (a router
/// used on its own) sees every client as `0.0.0.0`.
pub struct ClientAddr(pub std::net::IpAddr);

impl FromRequestParts<Arc<Wasla>> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<Wasla>,
    ) -> Result<Self, std::convert::Infallible> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |c| c.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientAddr(app.ground.throttles.client_ip(peer, &forwarded)))
    }
}

/// A multipart body; a request that is not multipart is a `bad_request` in the API's own
/// format (axum's own rejection would be plain text).
pub struct Form(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Form)
            .map_err(|rejection| {
                ApiError(Error::BadRequest(format!(
                    "send a multipart/form-data body: {}",
                    rejection.body_text()
                )))
            })
    }
}
