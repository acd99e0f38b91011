//! Agents of a WABA (the business console's staff), their sessions, and a customer's orders
//! as an agent sees them: the [`AgentStore`] impl.

use crate::commerce;
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::commerce::OrderRow;
use wasla_core::tools::{AgentRow, AgentStore};
use wasla_core::Result;

const COLS: &str =
    "id, waba_id, email, name, role, password_hash, invite_hash, last_seen, created_at";

fn agent(r: &AnyRow) -> AgentRow {
    AgentRow {
        id: r.get(0),
        waba_id: r.get(1),
        email: r.get(2),
        name: r.get(3),
        role: r.get(4),
        password_hash: r.get(5),
        invite_hash: r.get(6),
        last_seen: r.get(7),
        created_at: r.get(8),
    }
}

impl SqlStore {
    async fn agent_where(&self, clause: &str, value: &str) -> Result<Option<AgentRow>> {
        let r = sqlx::query(&format!("SELECT {COLS} FROM agents WHERE {clause} = $1"))
            .bind(value)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.as_ref().map(agent))
    }
}

#[async_trait]
impl AgentStore for SqlStore {
    async fn create_agent(&self, a: &AgentRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO agents ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(a.id)
        .bind(a.waba_id)
        .bind(&a.email)
        .bind(&a.name)
        .bind(&a.role)
        .bind(&a.password_hash)
        .bind(&a.invite_hash)
        .bind(a.last_seen)
        .bind(a.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn agent(&self, id: i64) -> Result<Option<AgentRow>> {
        let r = sqlx::query(&format!("SELECT {COLS} FROM agents WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.as_ref().map(agent))
    }

    async fn agent_by_email(&self, email: &str) -> Result<Option<AgentRow>> {
        self.agent_where("email", email).await
    }

    async fn agent_by_invite(&self, invite_hash: &str) -> Result<Option<AgentRow>> {
        self.agent_where("invite_hash", invite_hash).await
    }

    async fn agents(&self, waba_id: i64) -> Result<Vec<AgentRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM agents WHERE waba_id = $1 ORDER BY id"
        ))
        .bind(waba_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(agent).collect())
    }

    async fn set_agent_password(&self, id: i64, password_hash: &str) -> Result<()> {
        sqlx::query("UPDATE agents SET password_hash = $1, invite_hash = NULL WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_agent_session(
        &self,
        id: i64,
        agent_id: i64,
        token_hash: &str,
        at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_sessions (id, agent_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(agent_id)
        .bind(token_hash)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn agent_session(&self, token_hash: &str) -> Result<Option<(i64, AgentRow)>> {
        let cols: String = COLS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let r = sqlx::query(&format!(
            "SELECT {cols}, s.id FROM agent_sessions s JOIN agents a ON a.id = s.agent_id \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(r.map(|r| (r.get(9), agent(&r))))
    }

    async fn revoke_agent_session(&self, id: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE agent_sessions SET revoked_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn touch_agent(&self, id: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE agents SET last_seen = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn set_agent_role(&self, id: i64, role: &str) -> Result<()> {
        sqlx::query("UPDATE agents SET role = $1 WHERE id = $2")
            .bind(role)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn deactivate_agent(&self, id: i64, at: i64) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query("UPDATE agents SET password_hash = NULL, invite_hash = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "UPDATE agent_sessions SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn customer_orders(
        &self,
        waba_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<OrderRow>> {
        let cols = commerce::ORDER_COLS
            .split(", ")
            .map(|c| format!("o.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols} FROM orders o JOIN accounts a ON a.id = o.business_id \
             WHERE a.waba_id = $1 AND o.person_id = $2 ORDER BY o.created_at DESC, o.id DESC \
             LIMIT $3"
        ))
        .bind(waba_id)
        .bind(person_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(commerce::order).collect())
    }
}
