//! WABAs, their apps and subscriptions, business tokens and business profiles: the
//! [`BusinessStore`] impl.

use super::rows::{self, WABA_COLS};
use crate::accounts::{self, ACCOUNT_COLS};
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::accounts::AccountRow;
use wasla_core::business::{AppRow, BusinessProfileRow, BusinessStore, WabaRow};
use wasla_core::Result;

#[async_trait]
impl BusinessStore for SqlStore {
    async fn create_waba(&self, w: &WabaRow) -> Result<()> {
        sqlx::query("INSERT INTO wabas (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(w.id)
            .bind(&w.name)
            .bind(w.created_at)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn waba(&self, id: i64) -> Result<Option<WabaRow>> {
        let row = sqlx::query(&format!("SELECT {WABA_COLS} FROM wabas WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(rows::waba))
    }

    async fn wabas(&self) -> Result<Vec<WabaRow>> {
        let rows = sqlx::query(&format!("SELECT {WABA_COLS} FROM wabas ORDER BY id"))
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(rows::waba).collect())
    }

    async fn phone_numbers(&self, waba_id: i64) -> Result<Vec<AccountRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE waba_id = $1 ORDER BY id"
        ))
        .bind(waba_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(accounts::account).collect())
    }

    async fn create_app(&self, a: &AppRow) -> Result<()> {
        sqlx::query("INSERT INTO apps (id, waba_id, webhook_url, verify_token, app_secret, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(a.id)
            .bind(a.waba_id)
            .bind(&a.webhook_url)
            .bind(&a.verify_token)
            .bind(rows::stored_secret(self, a.id, &a.app_secret))
            .bind(a.created_at)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn apps(&self, waba_id: i64) -> Result<Vec<AppRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM apps ap WHERE ap.waba_id = $1 ORDER BY ap.id",
            rows::app_cols("ap.webhook_url")
        ))
        .bind(waba_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        rows.iter().map(|r| rows::app(self, r)).collect()
    }

    async fn set_app_webhook(&self, id: i64, webhook_url: &str, verify_token: &str) -> Result<()> {
        sqlx::query("UPDATE apps SET webhook_url = $1, verify_token = $2 WHERE id = $3")
            .bind(webhook_url)
            .bind(verify_token)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_business_token(
        &self,
        id: i64,
        waba_id: i64,
        token_hash: &str,
        at: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO business_tokens (id, waba_id, token_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(waba_id)
            .bind(token_hash)
            .bind(at)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn business_token(&self, token_hash: &str) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT waba_id FROM business_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn business_profile(&self, account_id: i64) -> Result<BusinessProfileRow> {
        let row = sqlx::query("SELECT address, description, email, websites, vertical FROM business_profiles WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(match row {
            Some(r) => BusinessProfileRow {
                address: r.get(0),
                description: r.get(1),
                email: r.get(2),
                websites: serde_json::from_str(&r.get::<String, _>(3)).unwrap_or_default(),
                vertical: r.get(4),
            },
            None => BusinessProfileRow {
                vertical: "OTHER".into(),
                ..Default::default()
            },
        })
    }

    async fn save_business_profile(&self, a: &AccountRow, p: &BusinessProfileRow) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query("UPDATE accounts SET about = $1, photo = $2 WHERE id = $3")
            .bind(&a.about)
            .bind(a.photo)
            .bind(a.id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO business_profiles (account_id, address, description, email, websites, vertical) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account_id) DO UPDATE SET address = excluded.address, description = excluded.description, \
             email = excluded.email, websites = excluded.websites, vertical = excluded.vertical",
        )
        .bind(a.id)
        .bind(&p.address)
        .bind(&p.description)
        .bind(&p.email)
        .bind(serde_json::to_string(&p.websites).unwrap_or_else(|_| "[]".into()))
        .bind(&p.vertical)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn set_subscribed(&self, waba_id: i64, subscribed: bool) -> Result<()> {
        sqlx::query("UPDATE apps SET subscribed = $1 WHERE waba_id = $2")
            .bind(subscribed as i64)
            .bind(waba_id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn set_callback_override(
        &self,
        waba_id: i64,
        uri: Option<&str>,
        verify_token: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE wabas SET override_callback_uri = $1, override_verify_token = $2 WHERE id = $3",
        )
        .bind(uri)
        .bind(verify_token)
        .bind(waba_id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn subscriptions(&self, waba_id: i64) -> Result<(Vec<AppRow>, Option<String>)> {
        let found = sqlx::query(&format!(
            "SELECT {}, w.override_callback_uri FROM apps ap JOIN wabas w ON w.id = ap.waba_id \
             WHERE ap.waba_id = $1 AND ap.subscribed = 1 ORDER BY ap.id",
            rows::app_cols("ap.webhook_url")
        ))
        .bind(waba_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        let over = found.first().and_then(|r| r.get::<Option<String>, _>(6));
        let apps = found
            .iter()
            .map(|r| rows::app(self, r))
            .collect::<Result<_>>()?;
        Ok((apps, over))
    }

    async fn revoke_business_token(&self, id: i64, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE business_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }
}
