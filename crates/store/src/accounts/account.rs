//! Accounts (profiles, last seen), sessions and verification codes: the [`AccountStore`]
//! impl.

use super::events::append_events;
use super::rows::{self, ACCOUNT_COLS};
use crate::db::Db;
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::accounts::{AccountRow, AccountStore, CodeRow, EventSeq, SessionRow};
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
        let seqs = append_events(&mut Db::Any(&mut tx), &[ev], now).await?;
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
