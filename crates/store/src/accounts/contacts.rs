//! People's contacts: the editable list (`contact_list`) and the direct chats that also make
//! two people contacts (`chat_members`, `chats`). The [`ContactStore`] impl.

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::accounts::{AccountKind, ContactRow, ContactStore, PeerRow};
use wasla_core::Result;

/// The other members of an account's direct chats (`$1`), as `peer`.
const DIRECT_PEERS: &str = "SELECT them.account_id AS peer FROM chat_members me \
     JOIN chats c ON c.id = me.chat_id AND c.kind = 'direct' \
     JOIN chat_members them ON them.chat_id = me.chat_id AND them.account_id <> me.account_id \
     WHERE me.account_id = $1";

#[async_trait]
impl ContactStore for SqlStore {
    async fn contacts(&self, owner: i64) -> Result<Vec<ContactRow>> {
        let sql = format!(
            "SELECT a.id, a.wa_id, a.display_name, CAST(MAX(x.in_list) AS BIGINT), \
             CAST(MAX(x.has_chat) AS BIGINT) FROM ( \
               SELECT contact_id AS id, 1 AS in_list, 0 AS has_chat FROM contact_list \
               WHERE owner_id = $1 \
               UNION ALL SELECT d.peer, 0, 1 FROM ({DIRECT_PEERS}) d \
             ) x JOIN accounts a ON a.id = x.id WHERE a.kind = 'person' \
             GROUP BY a.id, a.wa_id, a.display_name ORDER BY a.display_name, a.id"
        );
        let rows = sqlx::query(&sql)
            .bind(owner)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| ContactRow {
                id: r.get(0),
                wa_id: r.get(1),
                name: r.get(2),
                in_list: r.get::<i64, _>(3) == 1,
                has_chat: r.get::<i64, _>(4) == 1,
            })
            .collect())
    }

    async fn add_contact(&self, owner: i64, contact: i64, at: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO contact_list (owner_id, contact_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (owner_id, contact_id) DO NOTHING",
        )
        .bind(owner)
        .bind(contact)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn remove_contact(&self, owner: i64, contact: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM contact_list WHERE owner_id = $1 AND contact_id = $2")
            .bind(owner)
            .bind(contact)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn contact_owners(&self, contact: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT owner_id FROM contact_list WHERE contact_id = $1 \
             UNION SELECT d.peer FROM ({DIRECT_PEERS}) d \
             JOIN accounts a ON a.id = d.peer AND a.kind = 'person'"
        );
        let rows = sqlx::query(&sql)
            .bind(contact)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn direct_peers(&self, account: i64) -> Result<Vec<PeerRow>> {
        let sql = format!(
            "SELECT a.id, a.kind, a.waba_id FROM ({DIRECT_PEERS}) d JOIN accounts a ON a.id = d.peer"
        );
        let rows = sqlx::query(&sql)
            .bind(account)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| PeerRow {
                id: r.get(0),
                kind: AccountKind::parse(&r.get::<String, _>(1)),
                waba_id: r.get(2),
            })
            .collect())
    }

    async fn people_chatting_with(&self, accounts: &[i64]) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT them.account_id FROM chat_members me \
             JOIN chats c ON c.id = me.chat_id AND c.kind = 'direct' \
             JOIN chat_members them ON them.chat_id = me.chat_id AND them.account_id <> me.account_id \
             JOIN accounts a ON a.id = them.account_id AND a.kind = 'person' \
             WHERE me.account_id IN ({})",
            placeholders(1, accounts.len())
        );
        let mut q = sqlx::query(&sql);
        for id in accounts {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
