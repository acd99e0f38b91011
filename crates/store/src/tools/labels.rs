//! Labels of a WABA (`labels`) and the labels put on chats (`chat_labels`); deleting a label
//! also takes it off contacts (`contact_labels`).

use crate::{db_err, placeholders, SqlStore};
use sqlx::Row;
use wasla_core::tools::LabelRow;
use wasla_core::Result;

/// Insert a label; `Conflict` on a duplicate name.
pub(super) async fn create_label(s: &SqlStore, l: &LabelRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO labels (id, waba_id, name, color, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(l.id)
    .bind(l.waba_id)
    .bind(&l.name)
    .bind(&l.color)
    .bind(l.created_at)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Labels of a WABA.
pub(super) async fn labels(s: &SqlStore, waba_id: i64) -> Result<Vec<LabelRow>> {
    let rows = sqlx::query(
        "SELECT id, waba_id, name, color, created_at FROM labels WHERE waba_id = $1 ORDER BY name",
    )
    .bind(waba_id)
    .fetch_all(&s.read)
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

/// Delete a label of a WABA (and its uses); false if unknown.
pub(super) async fn delete_label(s: &SqlStore, waba_id: i64, id: i64) -> Result<bool> {
    let mut tx = s.write.begin().await.map_err(db_err)?;
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

/// Put a label on a chat or take it off.
pub(super) async fn set_chat_label(
    s: &SqlStore,
    label_id: i64,
    chat_id: i64,
    on: bool,
) -> Result<()> {
    let sql = if on {
        "INSERT INTO chat_labels (label_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM chat_labels WHERE label_id = $1 AND chat_id = $2"
    };
    sqlx::query(sql)
        .bind(label_id)
        .bind(chat_id)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Label ids of chats.
pub(super) async fn chat_labels(s: &SqlStore, chat_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
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
    let rows = q.fetch_all(&s.read).await.map_err(db_err)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
