//! Sealing app secrets that an older version stored in plaintext: run once at open, before
//! the store serves anything, so every secret in the `apps` table is sealed afterwards.

use super::rows::secret_context;
use crate::db_err;
use sqlx::{AnyPool, Row};
use wasla_core::crypto::{is_sealed, AtRestKey};
use wasla_core::Result;

/// Seal every app secret still stored in plaintext; returns how many were sealed. A secret
/// that is already sealed is left alone (a node that opens the store later finds nothing to
/// do), and each row is updated only if it still holds the plaintext that was read, so two
/// nodes starting at once never seal a secret twice.
pub(crate) async fn seal_legacy_secrets(write: &AnyPool, key: &AtRestKey) -> Result<u64> {
    let rows = sqlx::query("SELECT id, app_secret FROM apps")
        .fetch_all(write)
        .await
        .map_err(db_err)?;
    let mut sealed = 0;
    for r in rows {
        let id: i64 = r.get(0);
        let stored: String = r.get(1);
        if is_sealed(&stored) {
            continue;
        }
        let done = sqlx::query("UPDATE apps SET app_secret = $1 WHERE id = $2 AND app_secret = $3")
            .bind(key.seal(&secret_context(id), &stored))
            .bind(id)
            .bind(&stored)
            .execute(write)
            .await
            .map_err(db_err)?;
        sealed += done.rows_affected();
    }
    if sealed > 0 {
        tracing::info!(apps = sealed, "sealed app secrets stored in plaintext");
    }
    Ok(sealed)
}
