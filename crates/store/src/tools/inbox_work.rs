//! What the inbox worker keeps: each WABA's reopen rule (`inbox_settings`) and the cursor
//! into each business number's event stream (`inbox_cursors`), leased so that one worker of a
//! cluster handles a number at a time.

use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::tools::InboxWorkStore;
use wasla_core::Result;

#[async_trait]
impl InboxWorkStore for SqlStore {
    async fn inbox_reopen_to(&self, waba_id: i64) -> Result<Option<String>> {
        let r = sqlx::query("SELECT reopen_to FROM inbox_settings WHERE waba_id = $1")
            .bind(waba_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.map(|r| r.get(0)))
    }

    async fn set_inbox_reopen_to(&self, waba_id: i64, reopen_to: &str, at: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO inbox_settings (waba_id, reopen_to, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (waba_id) DO UPDATE SET reopen_to = $2, updated_at = $3",
        )
        .bind(waba_id)
        .bind(reopen_to)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn staffed_numbers(&self) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT a.id FROM accounts a WHERE a.kind = 'business' AND a.waba_id IS NOT NULL \
             AND EXISTS (SELECT 1 FROM agents g WHERE g.waba_id = a.waba_id) ORDER BY a.id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn lease_inbox_cursor(
        &self,
        business_id: i64,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<i64>> {
        sqlx::query(
            "INSERT INTO inbox_cursors (business_id, last_seq, lease_until) VALUES ($1, 0, 0) \
             ON CONFLICT (business_id) DO NOTHING",
        )
        .bind(business_id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        let done = sqlx::query(
            "UPDATE inbox_cursors SET lease_until = $1 WHERE business_id = $2 AND lease_until <= $3",
        )
        .bind(lease_until)
        .bind(business_id)
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        let r = sqlx::query("SELECT last_seq FROM inbox_cursors WHERE business_id = $1")
            .bind(business_id)
            .fetch_one(&self.write)
            .await
            .map_err(db_err)?;
        Ok(Some(r.get(0)))
    }

    async fn save_inbox_cursor(&self, business_id: i64, last_seq: i64) -> Result<()> {
        sqlx::query(
            "UPDATE inbox_cursors SET last_seq = $1, lease_until = 0 WHERE business_id = $2",
        )
        .bind(last_seq)
        .bind(business_id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
