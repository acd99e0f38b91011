//! Column lists and row decoders of WABAs and apps. An app's secret is stored sealed with the
//! store's at-rest key (`wasla_core::crypto`); the decoder opens it, so every reader (the
//! webhook worker signing deliveries, the admin API) gets the secret in the clear.

use crate::SqlStore;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::business::{AppRow, WabaRow};
use wasla_core::Result;

/// Columns of a WABA row.
pub(crate) const WABA_COLS: &str = "id, name, created_at, auto_approve_templates";

/// Decode a WABA row (columns [`WABA_COLS`]).
pub(crate) fn waba(r: &AnyRow) -> WabaRow {
    WabaRow {
        id: r.get(0),
        name: r.get(1),
        created_at: r.get(2),
        auto_approve_templates: r.get::<i64, _>(3) != 0,
    }
}

/// Columns of an app row; needs `apps ap`. The callback URL column is passed in, because
/// delivery reads the WABA's override in its place.
pub(crate) fn app_cols(webhook_url: &str) -> String {
    format!("ap.id, ap.waba_id, {webhook_url}, ap.verify_token, ap.app_secret, ap.created_at")
}

/// Decode an app row (columns [`app_cols`]), opening its sealed secret.
pub(crate) fn app(store: &SqlStore, r: &AnyRow) -> Result<AppRow> {
    let id: i64 = r.get(0);
    let stored: String = r.get(4);
    let app_secret = match &store.at_rest {
        Some(key) => key.open(&secret_context(id), &stored)?,
        None => stored,
    };
    Ok(AppRow {
        id,
        waba_id: r.get(1),
        webhook_url: r.get(2),
        verify_token: r.get(3),
        app_secret,
        created_at: r.get(5),
    })
}

/// What an app's sealed secret is bound to: its column and row, so a sealed value copied into
/// another app's row does not open there.
pub(crate) fn secret_context(app_id: i64) -> String {
    format!("apps.app_secret:{app_id}")
}

/// The stored form of an app's secret: sealed when the store has a key.
pub(crate) fn stored_secret(store: &SqlStore, app_id: i64, secret: &str) -> String {
    match &store.at_rest {
        Some(key) => key.seal(&secret_context(app_id), secret),
        None => secret.to_string(),
    }
}
