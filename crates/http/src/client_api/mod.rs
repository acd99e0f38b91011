//! The client API under `/client/v1` (see `docs/client-api.md`): sign-in, profile, chats,
//! messages and media for the web client. Every error, axum's own rejections included, is the
//! JSON envelope.

mod ads;
mod blocks;
mod business_tools;
mod calls;
mod chats;
mod contacts;
mod ice;
pub(crate) mod media;
mod people;
mod shop;
pub(crate) mod status;
mod stickers;

use axum::routing::{delete, get, post};
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the client API.
pub fn routes(app: &Arc<Wasla>) -> Router<Arc<Wasla>> {
    let upload_limit = app.config.limits.max_upload_bytes + (64 << 10);
    Router::new()
        .route("/client/v1/auth/code", post(people::request_code))
        .route(
            "/client/v1/businesses/{wa_id}/tools",
            get(business_tools::business_tools),
        )
        .route("/client/v1/auth/verify", post(people::verify))
        .route("/client/v1/blocks", get(blocks::list))
        .route("/client/v1/calls/ice-servers", get(ice::ice_servers))
        .route(
            "/client/v1/blocks/{wa_id}",
            get(blocks::relation)
                .put(blocks::block)
                .delete(blocks::unblock),
        )
        .route("/client/v1/businesses/{wa_id}/report", post(blocks::report))
        .route(
            "/client/v1/businesses/{wa_id}/marketing",
            axum::routing::put(blocks::marketing),
        )
        .route("/client/v1/auth/logout", post(people::logout))
        .route("/client/v1/me", get(people::me).patch(people::update_me))
        .route(
            "/client/v1/me/privacy",
            get(people::privacy).put(people::set_privacy),
        )
        .route("/client/v1/accounts/lookup", get(people::lookup))
        .route("/client/v1/accounts/{wa_id}", get(people::account))
        .route(
            "/client/v1/chats",
            get(chats::list).post(chats::open_direct),
        )
        .route("/client/v1/groups", post(chats::create_group))
        .route(
            "/client/v1/chats/{chat_id}",
            get(chats::get).patch(chats::update_group),
        )
        .route(
            "/client/v1/chats/{chat_id}/members",
            post(chats::add_members),
        )
        .route(
            "/client/v1/chats/{chat_id}/members/{wa_id}",
            delete(chats::remove_member),
        )
        .route("/client/v1/chats/{chat_id}/admins", post(chats::make_admin))
        .route(
            "/client/v1/chats/{chat_id}/admins/{wa_id}",
            delete(chats::revoke_admin),
        )
        .route("/client/v1/chats/{chat_id}/leave", post(chats::leave))
        .route(
            "/client/v1/chats/{chat_id}/messages",
            get(chats::history).post(chats::send),
        )
        .route("/client/v1/chats/{chat_id}/read", post(chats::read))
        .route(
            "/client/v1/chats/{chat_id}/messages/{id}/receipts",
            get(chats::receipts),
        )
        .route(
            "/client/v1/media",
            post(media::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/client/v1/media/{id}", get(media::download))
        .route("/client/v1/shops/{wa_id}", get(shop::shop))
        .route(
            "/client/v1/chats/{chat_id}/messages/{id}/order",
            get(shop::order),
        )
        .route(
            "/client/v1/chats/{chat_id}/messages/{id}/pay",
            post(shop::pay),
        )
        .route("/payments/callback", post(shop::payment_callback))
        .merge(stickers::routes())
        .merge(ads::routes())
        .merge(calls::routes())
        .merge(status::routes())
        .merge(contacts::routes())
        // axum's own rejections (bad JSON, content type, path, query, size) in the envelope.
        .layer(axum::middleware::from_fn(crate::error::json_errors))
}
