//! Alerts about repeated failed console sign-ins (`sign_in_alerts`), listed to a WABA's
//! admins: the [`SignInAlertStore`] impl.

use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::tools::{SignInAlertRow, SignInAlertStore};
use wasla_core::Result;

const COLS: &str = "id, waba_id, agent_id, failures, address, locked_until, created_at";

#[async_trait]
impl SignInAlertStore for SqlStore {
    async fn put_sign_in_alert(&self, row: &SignInAlertRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO sign_in_alerts ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(row.id)
        .bind(row.waba_id)
        .bind(row.agent_id)
        .bind(row.failures)
        .bind(&row.address)
        .bind(row.locked_until)
        .bind(row.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn sign_in_alerts(&self, waba_id: i64, limit: i64) -> Result<Vec<SignInAlertRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM sign_in_alerts WHERE waba_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(waba_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| SignInAlertRow {
                id: r.get(0),
                waba_id: r.get(1),
                agent_id: r.get(2),
                failures: r.get(3),
                address: r.get(4),
                locked_until: r.get(5),
                created_at: r.get(6),
            })
            .collect())
    }
}
