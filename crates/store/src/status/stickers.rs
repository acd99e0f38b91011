//! SQL of sticker packs, their stickers, people's additions and people's sticker copies.

use crate::{db_err, SqlStore};
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::status::{StickerPackRow, StickerRow};
use wasla_core::Result;

const PACK: &str = "SELECT p.id, p.waba_id, p.name, p.cover_id, p.created_at FROM sticker_packs p";
const STICKER: &str = "SELECT id, pack_id, position, animated, file_size, sha256 FROM stickers";

fn pack_row(r: &AnyRow) -> StickerPackRow {
    StickerPackRow {
        id: r.get(0),
        waba_id: r.get(1),
        name: r.get(2),
        cover_id: r.get(3),
        created_at: r.get(4),
    }
}

fn sticker_row(r: &AnyRow) -> StickerRow {
    StickerRow {
        id: r.get(0),
        pack_id: r.get(1),
        position: r.get(2),
        animated: r.get::<i64, _>(3) != 0,
        file_size: r.get(4),
        sha256: r.get(5),
    }
}

/// Insert a pack and its stickers in one transaction.
pub(super) async fn insert_pack(
    s: &SqlStore,
    pack: &StickerPackRow,
    stickers: &[StickerRow],
) -> Result<()> {
    let mut tx = s.write.begin().await.map_err(db_err)?;
    sqlx::query(
        "INSERT INTO sticker_packs (id, waba_id, name, cover_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(pack.id)
    .bind(pack.waba_id)
    .bind(&pack.name)
    .bind(pack.cover_id)
    .bind(pack.created_at)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    for st in stickers {
        sqlx::query(
            "INSERT INTO stickers (id, pack_id, position, animated, file_size, sha256) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(st.id)
        .bind(st.pack_id)
        .bind(st.position)
        .bind(st.animated as i64)
        .bind(st.file_size)
        .bind(&st.sha256)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    tx.commit().await.map_err(db_err)?;
    Ok(())
}

/// A pack by id.
pub(super) async fn pack(s: &SqlStore, id: i64) -> Result<Option<StickerPackRow>> {
    let row = sqlx::query(&format!("{PACK} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&s.read)
        .await
        .map_err(db_err)?;
    Ok(row.as_ref().map(pack_row))
}

/// Packs of a WABA, oldest first.
pub(super) async fn packs_of(s: &SqlStore, waba_id: i64) -> Result<Vec<StickerPackRow>> {
    let rows = sqlx::query(&format!("{PACK} WHERE p.waba_id = $1 ORDER BY p.id"))
        .bind(waba_id)
        .fetch_all(&s.read)
        .await
        .map_err(db_err)?;
    Ok(rows.iter().map(pack_row).collect())
}

/// Delete a pack of a WABA with its stickers and additions; false if unknown.
pub(super) async fn delete_pack(s: &SqlStore, waba_id: i64, id: i64) -> Result<bool> {
    let mut tx = s.write.begin().await.map_err(db_err)?;
    let owned = sqlx::query("SELECT id FROM sticker_packs WHERE id = $1 AND waba_id = $2")
        .bind(id)
        .bind(waba_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .is_some();
    if !owned {
        return Ok(false);
    }
    for sql in [
        "DELETE FROM sticker_pack_adds WHERE pack_id = $1",
        "DELETE FROM stickers WHERE pack_id = $1",
        "DELETE FROM sticker_packs WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
    }
    tx.commit().await.map_err(db_err)?;
    Ok(true)
}

/// Stickers of a pack in order.
pub(super) async fn stickers(s: &SqlStore, pack_id: i64) -> Result<Vec<StickerRow>> {
    let rows = sqlx::query(&format!("{STICKER} WHERE pack_id = $1 ORDER BY position"))
        .bind(pack_id)
        .fetch_all(&s.read)
        .await
        .map_err(db_err)?;
    Ok(rows.iter().map(sticker_row).collect())
}

/// A sticker by id.
pub(super) async fn sticker(s: &SqlStore, id: i64) -> Result<Option<StickerRow>> {
    let row = sqlx::query(&format!("{STICKER} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&s.read)
        .await
        .map_err(db_err)?;
    Ok(row.as_ref().map(sticker_row))
}

/// Record that a person added a pack.
pub(super) async fn add(s: &SqlStore, person_id: i64, pack_id: i64, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sticker_pack_adds (person_id, pack_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id, pack_id) DO NOTHING",
    )
    .bind(person_id)
    .bind(pack_id)
    .bind(at)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Forget that a person added a pack; false if they had not.
pub(super) async fn remove(s: &SqlStore, person_id: i64, pack_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sticker_pack_adds WHERE person_id = $1 AND pack_id = $2")
        .bind(person_id)
        .bind(pack_id)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected() == 1)
}

/// Packs a person added, in the order added.
pub(super) async fn added(s: &SqlStore, person_id: i64) -> Result<Vec<StickerPackRow>> {
    let rows = sqlx::query(&format!(
        "{PACK} JOIN sticker_pack_adds a ON a.pack_id = p.id WHERE a.person_id = $1 \
         ORDER BY a.added_at, p.id"
    ))
    .bind(person_id)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows.iter().map(pack_row).collect())
}

/// The media id of a person's copy of a sticker.
pub(super) async fn copy(s: &SqlStore, person_id: i64, key: &str) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT media_id FROM sticker_copies WHERE person_id = $1 AND sticker_key = $2",
    )
    .bind(person_id)
    .bind(key)
    .fetch_optional(&s.read)
    .await
    .map_err(db_err)?;
    Ok(row.map(|r| r.get(0)))
}

/// Remember a person's copy of a sticker.
pub(super) async fn put_copy(s: &SqlStore, person_id: i64, key: &str, media_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sticker_copies (person_id, sticker_key, media_id) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id, sticker_key) DO UPDATE SET media_id = $3",
    )
    .bind(person_id)
    .bind(key)
    .bind(media_id)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}
