//! Accounts, sessions, verification codes, and the business side (WABAs, apps, tokens).

use crate::db::Db;
use crate::rows::{self, ACCOUNT_COLS, WABA_COLS};
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::accounts::{AccountRow, AccountStore, CodeRow, EventSeq, SessionRow};
use wasla_core::business::{AppRow, BusinessProfileRow, BusinessStore, WabaRow};
use wasla_core::chats::{EventKind, NewEvent};
use wasla_core::Result;

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_account(&self, a: &AccountRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO accounts ({ACCOUNT_COLS}) VALUES ({})",
            placeholders(1, 11)
        ))
        .bind(a.id)
        .bind(a.kind.as_str())
        .bind(&a.wa_id)
        .bind(&a.phone)
        .bind(&a.display_name)
        .bind(&a.about)
        .bind(a.photo)
        .bind(&a.verified_name)
        .bind(a.waba_id)
        .bind(a.last_seen)
        .bind(a.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn account(&self, id: i64) -> Result<Option<AccountRow>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(rows::account))
    }

    async fn account_by_wa_id(&self, wa_id: &str) -> Result<Option<AccountRow>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE wa_id = $1"
        ))
        .bind(wa_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(rows::account))
    }

    async fn accounts(&self, ids: &[i64]) -> Result<Vec<AccountRow>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM accounts WHERE id IN ({})",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.read)
            .await
            .map_err(db_err)?
            .iter()
            .map(rows::account)
            .collect())
    }

    async fn update_profile(&self, a: &AccountRow, now: i64) -> Result<EventSeq> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query("UPDATE accounts SET display_name = $1, about = $2, photo = $3 WHERE id = $4")
            .bind(&a.display_name)
            .bind(&a.about)
            .bind(a.photo)
            .bind(a.id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let ev = NewEvent {
            account_id: a.id,
            kind: EventKind::Profile,
            chat_id: None,
            message_id: None,
            payload: None,
        };
        let seqs = crate::messages::append_events(&mut Db::Any(&mut tx), &[ev], now).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(seqs[0])
    }

    async fn set_last_seen(&self, id: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE accounts SET last_seen = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn put_code(&self, c: &CodeRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO verification_codes (phone, code_hash, expires_at, attempts, sent_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, \
             attempts = excluded.attempts, sent_at = excluded.sent_at",
        )
        .bind(&c.phone)
        .bind(&c.code_hash)
        .bind(c.expires_at)
        .bind(c.attempts)
        .bind(c.sent_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn code(&self, phone: &str) -> Result<Option<CodeRow>> {
        let row = sqlx::query("SELECT phone, code_hash, expires_at, attempts, sent_at FROM verification_codes WHERE phone = $1")
            .bind(phone)
            .fetch_optional(&self.write)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| CodeRow {
            phone: r.get(0),
            code_hash: r.get(1),
            expires_at: r.get(2),
            attempts: r.get(3),
            sent_at: r.get(4),
        }))
    }

    async fn bump_code_attempts(&self, phone: &str) -> Result<()> {
        sqlx::query("UPDATE verification_codes SET attempts = attempts + 1 WHERE phone = $1")
            .bind(phone)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_code(&self, phone: &str) -> Result<()> {
        sqlx::query("DELETE FROM verification_codes WHERE phone = $1")
            .bind(phone)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_session(&self, s: &SessionRow, token_hash: &str) -> Result<()> {
        sqlx::query("INSERT INTO sessions (id, account_id, token_hash, device, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(s.id)
            .bind(s.account_id)
            .bind(token_hash)
            .bind(&s.device)
            .bind(s.created_at)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session_by_hash(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query("SELECT id, account_id, device, created_at FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| SessionRow {
            id: r.get(0),
            account_id: r.get(1),
            device: r.get(2),
            created_at: r.get(3),
        }))
    }

    async fn revoke_session(&self, id: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

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
        Ok(rows.iter().map(rows::account).collect())
    }

    async fn create_app(&self, a: &AppRow) -> Result<()> {
        sqlx::query("INSERT INTO apps (id, waba_id, webhook_url, verify_token, app_secret, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(a.id)
            .bind(a.waba_id)
            .bind(&a.webhook_url)
            .bind(&a.verify_token)
            .bind(&a.app_secret)
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
        Ok(rows.iter().map(rows::app).collect())
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
        Ok((found.iter().map(rows::app).collect(), over))
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
