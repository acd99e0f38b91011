//! The audit middleware: every mutating call that an authorising extractor let through as the
//! operator ([`OperatorToken`](crate::OperatorToken)), a console agent
//! ([`AgentSession`](crate::AgentSession)) or a business token (the Cloud API's) is reported to
//! the business domain's audit log after its handler ran: who, the route template (axum's
//! [`MatchedPath`], so a new route is covered without a line here), the ids its path named
//! and what it created, the status it was answered with, the client's address and user agent.
//! Conversation traffic is left out, so the hot path pays nothing: Cloud API sends and media
//! uploads, console replies and reads. Calls nobody authenticated for are not recorded.

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use wasla_core::business::{Actor, AuditAction};
use wasla_core::Wasla;

/// Largest response body read for the id of what a call created.
const PEEK_LIMIT: u64 = 64 << 10;

/// Where an authorising extractor leaves the actor it authenticated, for the middleware.
#[derive(Clone, Default)]
pub(crate) struct Who(Arc<Mutex<Option<Actor>>>);

impl Who {
    fn take(&self) -> Option<Actor> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Note who an audited request acts as (the authorising extractors call this on success).
pub(crate) fn note(parts: &Parts, actor: Actor) {
    if let Some(who) = parts.extensions.get::<Who>() {
        *who.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(actor);
    }
}

/// Whether calls to `route` with `method` are audited.
pub fn audited(method: &Method, route: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    // The operator's calls are all audited; the tenants' conversation traffic is not.
    route.starts_with("/admin/")
        || !(route.ends_with("/messages") || route.ends_with("/media") || route.ends_with("/read"))
}

/// The middleware (installed with `axum::middleware::from_fn_with_state`).
pub(crate) async fn record(State(app): State<Arc<Wasla>>, req: Request, next: Next) -> Response {
    let route = match req.extensions().get::<MatchedPath>() {
        Some(m) if audited(req.method(), m.as_str()) => m.as_str().to_string(),
        _ => return next.run(req).await,
    };
    let (mut parts, body) = req.into_parts();
    let params: Vec<(String, String)> = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .map(|p| {
            p.iter()
                .filter(|(k, _)| *k != "version")
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let who = Who::default();
    parts.extensions.insert(who.clone());
    let method = parts.method.to_string();
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // The peer, or the client a trusted proxy names (the address the throttles see too).
    let client_addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| {
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        app.ground
            .throttles
            .client_ip(c.0.ip(), &forwarded)
            .to_string()
    });
    let resp = next.run(Request::from_parts(parts, body)).await;
    let Some(actor) = who.take() else {
        return resp;
    };
    let (resp, answer) = peek(resp).await;
    let created = answer
        .as_ref()
        .filter(|_| method == "POST")
        .and_then(|v| id_field(v, "id"));
    let waba_id = match actor {
        Actor::Operator => operator_waba(&app, &route, &params, answer.as_ref()).await,
        _ => None,
    };
    let mut target: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if let Some(id) = created.filter(|id| !params.iter().any(|(_, v)| v == id)) {
        target.push(format!("created={id}"));
    }
    app.business
        .record_action(AuditAction {
            actor,
            waba_id,
            method,
            route,
            target: (!target.is_empty()).then(|| target.join(" ")),
            status: resp.status().as_u16(),
            client_addr,
            user_agent,
        })
        .await;
    resp
}

/// A successful JSON answer's body, read (when small) to see what it created; the response
/// goes on with the same bytes.
async fn peek(resp: Response) -> (Response, Option<serde_json::Value>) {
    let json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    let small = axum::body::HttpBody::size_hint(resp.body())
        .exact()
        .is_some_and(|n| n <= PEEK_LIMIT);
    if !resp.status().is_success() || !json || !small {
        return (resp, None);
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, PEEK_LIMIT as usize).await {
        Ok(bytes) => {
            let value = serde_json::from_slice(&bytes).ok();
            (Response::from_parts(parts, Body::from(bytes)), value)
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading a response for the audit log");
            (Response::from_parts(parts, Body::empty()), None)
        }
    }
}

/// A top-level id field of a JSON object, as a string.
fn id_field(v: &serde_json::Value, name: &str) -> Option<String> {
    match &v[name] {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The WABA an operator's call acted on, when it names one: in its path (a business, or a
/// phone number's owner) or in its answer (what it created, or the business it created).
async fn operator_waba(
    app: &Wasla,
    route: &str,
    params: &[(String, String)],
    answer: Option<&serde_json::Value>,
) -> Option<i64> {
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if let Some(w) = param("waba_id") {
        return w.parse().ok();
    }
    if route.starts_with("/admin/v1/businesses/{id}") {
        return param("id").and_then(|w| w.parse().ok());
    }
    if let Some(w) = answer.and_then(|v| id_field(v, "waba_id")) {
        return w.parse().ok();
    }
    if route == "/admin/v1/businesses" {
        // The business it created.
        return answer.and_then(|v| id_field(v, "id")?.parse().ok());
    }
    if route.starts_with("/admin/v1/phone-numbers/{id}") {
        let id = param("id")?;
        return app.business.number_waba(id).await.ok().flatten();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_traffic_is_not_audited() {
        let post = Method::POST;
        assert!(!audited(&post, "/{version}/{phone_number_id}/messages"));
        assert!(!audited(&post, "/{phone_number_id}/media"));
        assert!(!audited(&post, "/console/v1/chats/{chat_id}/messages"));
        assert!(!audited(&post, "/console/v1/chats/{chat_id}/read"));
        assert!(!audited(&Method::GET, "/console/v1/labels"));
        assert!(audited(&post, "/console/v1/labels"));
        assert!(audited(
            &Method::DELETE,
            "/{version}/{waba_id}/message_templates"
        ));
        assert!(audited(&post, "/admin/v1/persons/{wa_id}/messages"));
    }
}
