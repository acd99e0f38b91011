//! Column lists and row decoders of WABAs and apps.

use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::business::{AppRow, WabaRow};

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

/// Decode an app row (columns [`app_cols`]).
pub(crate) fn app(r: &AnyRow) -> AppRow {
    AppRow {
        id: r.get(0),
        waba_id: r.get(1),
        webhook_url: r.get(2),
        verify_token: r.get(3),
        app_secret: r.get(4),
        created_at: r.get(5),
    }
}
