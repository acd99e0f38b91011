//! The shared inbox (state and assignee of customer chats, internal notes), labels, quick
//! replies, QR short links and the automation worker's bookkeeping (settings, event cursors
//! with leases, and the replies it sent, keyed so nothing is answered twice).

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::tools::{InboxRow, LabelRow, NoteRow, QrRow, QuickReplyRow, ToolsStore};
use wasla_core::Result;

const INBOX_COLS: &str = "chat_id, business_id, state, assignee_id, updated_at";
const QR_COLS: &str = "code, business_id, prefilled_message, scans, opens, created_at, updated_at";
const QUICK_COLS: &str = "id, waba_id, shortcut, body, media_id, created_at, updated_at";

fn inbox(r: &AnyRow) -> InboxRow {
    InboxRow {
        chat_id: r.get(0),
        business_id: r.get(1),
        state: r.get(2),
        assignee_id: r.get(3),
        updated_at: r.get(4),
    }
}

fn qr(r: &AnyRow) -> QrRow {
    QrRow {
        code: r.get(0),
        business_id: r.get(1),
        prefilled_message: r.get(2),
        scans: r.get(3),
        opens: r.get(4),
        created_at: r.get(5),
        updated_at: r.get(6),
    }
}

fn quick(r: &AnyRow) -> QuickReplyRow {
    QuickReplyRow {
        id: r.get(0),
        waba_id: r.get(1),
        shortcut: r.get(2),
        body: r.get(3),
        media_id: r.get(4),
        created_at: r.get(5),
        updated_at: r.get(6),
    }
}

#[async_trait]
impl ToolsStore for SqlStore {
    async fn inbox(&self, chat_id: i64) -> Result<Option<InboxRow>> {
        let r = sqlx::query(&format!(
            "SELECT {INBOX_COLS} FROM inbox_chats WHERE chat_id = $1"
        ))
        .bind(chat_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(inbox))
    }

    async fn inbox_of(&self, business_id: i64) -> Result<Vec<InboxRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {INBOX_COLS} FROM inbox_chats WHERE business_id = $1"
        ))
        .bind(business_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(inbox).collect())
    }

    async fn put_inbox(&self, row: &InboxRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO inbox_chats ({INBOX_COLS}) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (chat_id) DO UPDATE SET state = $3, assignee_id = $4, updated_at = $5"
        ))
        .bind(row.chat_id)
        .bind(row.business_id)
        .bind(&row.state)
        .bind(row.assignee_id)
        .bind(row.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn claim_inbox(&self, row: &InboxRow, expected: Option<i64>) -> Result<bool> {
        sqlx::query(
            "INSERT INTO inbox_chats (chat_id, business_id, state, assignee_id, updated_at) \
             VALUES ($1, $2, 'open', NULL, $3) ON CONFLICT (chat_id) DO NOTHING",
        )
        .bind(row.chat_id)
        .bind(row.business_id)
        .bind(row.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        let done = match expected {
            Some(a) => sqlx::query(
                "UPDATE inbox_chats SET state = $1, assignee_id = $2, updated_at = $3 \
                 WHERE chat_id = $4 AND assignee_id = $5",
            )
            .bind(&row.state)
            .bind(row.assignee_id)
            .bind(row.updated_at)
            .bind(row.chat_id)
            .bind(a),
            None => sqlx::query(
                "UPDATE inbox_chats SET state = $1, assignee_id = $2, updated_at = $3 \
                 WHERE chat_id = $4 AND assignee_id IS NULL",
            )
            .bind(&row.state)
            .bind(row.assignee_id)
            .bind(row.updated_at)
            .bind(row.chat_id),
        }
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn add_note(&self, n: &NoteRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO chat_notes (id, chat_id, agent_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(n.id)
        .bind(n.chat_id)
        .bind(n.agent_id)
        .bind(&n.body)
        .bind(n.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn notes(&self, chat_id: i64) -> Result<Vec<NoteRow>> {
        let rows = sqlx::query(
            "SELECT id, chat_id, agent_id, body, created_at FROM chat_notes WHERE chat_id = $1 ORDER BY id",
        )
        .bind(chat_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| NoteRow {
                id: r.get(0),
                chat_id: r.get(1),
                agent_id: r.get(2),
                body: r.get(3),
                created_at: r.get(4),
            })
            .collect())
    }

    async fn create_label(&self, l: &LabelRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO labels (id, waba_id, name, color, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(l.id)
        .bind(l.waba_id)
        .bind(&l.name)
        .bind(&l.color)
        .bind(l.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn labels(&self, waba_id: i64) -> Result<Vec<LabelRow>> {
        let rows = sqlx::query(
            "SELECT id, waba_id, name, color, created_at FROM labels WHERE waba_id = $1 ORDER BY name",
        )
        .bind(waba_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| LabelRow {
                id: r.get(0),
                waba_id: r.get(1),
                name: r.get(2),
                color: r.get(3),
                created_at: r.get(4),
            })
            .collect())
    }

    async fn delete_label(&self, waba_id: i64, id: i64) -> Result<bool> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        for uses in ["chat_labels", "contact_labels"] {
            sqlx::query(&format!(
                "DELETE FROM {uses} WHERE label_id = $1 \
                 AND label_id IN (SELECT id FROM labels WHERE waba_id = $2)"
            ))
            .bind(id)
            .bind(waba_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        let done = sqlx::query("DELETE FROM labels WHERE id = $1 AND waba_id = $2")
            .bind(id)
            .bind(waba_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_chat_label(&self, label_id: i64, chat_id: i64, on: bool) -> Result<()> {
        let sql = if on {
            "INSERT INTO chat_labels (label_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM chat_labels WHERE label_id = $1 AND chat_id = $2"
        };
        sqlx::query(sql)
            .bind(label_id)
            .bind(chat_id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn chat_labels(&self, chat_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if chat_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT chat_id, label_id FROM chat_labels WHERE chat_id IN ({})",
            placeholders(1, chat_ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chat_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn put_quick_reply(&self, q: &QuickReplyRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO quick_replies ({QUICK_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (id) DO UPDATE SET shortcut = $3, body = $4, media_id = $5, updated_at = $7"
        ))
        .bind(q.id)
        .bind(q.waba_id)
        .bind(&q.shortcut)
        .bind(&q.body)
        .bind(q.media_id)
        .bind(q.created_at)
        .bind(q.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn quick_replies(&self, waba_id: i64) -> Result<Vec<QuickReplyRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {QUICK_COLS} FROM quick_replies WHERE waba_id = $1 ORDER BY shortcut"
        ))
        .bind(waba_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(quick).collect())
    }

    async fn delete_quick_reply(&self, waba_id: i64, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM quick_replies WHERE id = $1 AND waba_id = $2")
            .bind(id)
            .bind(waba_id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn automation_settings(&self, business_id: i64) -> Result<Option<String>> {
        let r = sqlx::query("SELECT settings FROM automation_settings WHERE business_id = $1")
            .bind(business_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.map(|r| r.get(0)))
    }

    async fn save_automation_settings(
        &self,
        business_id: i64,
        json: &str,
        at: i64,
        start_seq: i64,
    ) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO automation_settings (business_id, settings, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (business_id) DO UPDATE SET settings = $2, updated_at = $3",
        )
        .bind(business_id)
        .bind(json)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO automation_cursors (business_id, last_seq, lease_until) VALUES ($1, $2, 0) \
             ON CONFLICT (business_id) DO NOTHING",
        )
        .bind(business_id)
        .bind(start_seq)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn automated_numbers(&self) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT business_id FROM automation_settings ORDER BY business_id")
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn lease_cursor(
        &self,
        business_id: i64,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<i64>> {
        let done = sqlx::query(
            "UPDATE automation_cursors SET lease_until = $1 WHERE business_id = $2 AND lease_until <= $3",
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
        let r = sqlx::query("SELECT last_seq FROM automation_cursors WHERE business_id = $1")
            .bind(business_id)
            .fetch_one(&self.write)
            .await
            .map_err(db_err)?;
        Ok(Some(r.get(0)))
    }

    async fn save_cursor(&self, business_id: i64, last_seq: i64) -> Result<()> {
        sqlx::query(
            "UPDATE automation_cursors SET last_seq = $1, lease_until = 0 WHERE business_id = $2",
        )
        .bind(last_seq)
        .bind(business_id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn record_reply(
        &self,
        business_id: i64,
        trigger_key: &str,
        kind: &str,
        person_id: i64,
        at: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO automation_replies (business_id, trigger_key, kind, person_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (business_id, trigger_key) DO NOTHING",
        )
        .bind(business_id)
        .bind(trigger_key)
        .bind(kind)
        .bind(person_id)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_qr(&self, q: &QrRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO qr_codes ({QR_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(&q.code)
        .bind(q.business_id)
        .bind(&q.prefilled_message)
        .bind(q.scans)
        .bind(q.opens)
        .bind(q.created_at)
        .bind(q.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn qr(&self, code: &str) -> Result<Option<QrRow>> {
        let r = sqlx::query(&format!("SELECT {QR_COLS} FROM qr_codes WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.as_ref().map(qr))
    }

    async fn qrs(&self, business_id: i64, before: Option<i64>, limit: i64) -> Result<Vec<QrRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {QR_COLS} FROM qr_codes WHERE business_id = $1 AND created_at < $2 \
             ORDER BY created_at DESC, code LIMIT $3"
        ))
        .bind(business_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(qr).collect())
    }

    async fn update_qr(&self, code: &str, text: &str, at: i64) -> Result<()> {
        sqlx::query("UPDATE qr_codes SET prefilled_message = $1, updated_at = $2 WHERE code = $3")
            .bind(text)
            .bind(at)
            .bind(code)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_qr(&self, code: &str) -> Result<()> {
        sqlx::query("DELETE FROM qr_codes WHERE code = $1")
            .bind(code)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn count_qr(&self, code: &str, open: bool) -> Result<()> {
        let sql = if open {
            "UPDATE qr_codes SET opens = opens + 1 WHERE code = $1"
        } else {
            "UPDATE qr_codes SET scans = scans + 1 WHERE code = $1"
        };
        sqlx::query(sql)
            .bind(code)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
