//! QR short links (`qr_codes`): prefilled messages behind a code, with scan and open counts.

use crate::{db_err, SqlStore};
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::tools::QrRow;
use wasla_core::Result;

const QR_COLS: &str = "code, business_id, prefilled_message, scans, opens, created_at, updated_at";

fn qr_row(r: &AnyRow) -> QrRow {
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

/// Insert a QR code.
pub(super) async fn create_qr(s: &SqlStore, q: &QrRow) -> Result<()> {
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
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// A QR code by its code.
pub(super) async fn qr(s: &SqlStore, code: &str) -> Result<Option<QrRow>> {
    let r = sqlx::query(&format!("SELECT {QR_COLS} FROM qr_codes WHERE code = $1"))
        .bind(code)
        .fetch_optional(&s.read)
        .await
        .map_err(db_err)?;
    Ok(r.as_ref().map(qr_row))
}

/// A business number's QR codes, newest first, created before `before` when given.
pub(super) async fn qrs(
    s: &SqlStore,
    business_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<QrRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {QR_COLS} FROM qr_codes WHERE business_id = $1 AND created_at < $2 \
         ORDER BY created_at DESC, code LIMIT $3"
    ))
    .bind(business_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows.iter().map(qr_row).collect())
}

/// Change a QR code's prefilled text.
pub(super) async fn update_qr(s: &SqlStore, code: &str, text: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE qr_codes SET prefilled_message = $1, updated_at = $2 WHERE code = $3")
        .bind(text)
        .bind(at)
        .bind(code)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Delete a QR code.
pub(super) async fn delete_qr(s: &SqlStore, code: &str) -> Result<()> {
    sqlx::query("DELETE FROM qr_codes WHERE code = $1")
        .bind(code)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Count a scan (page view) or an open (chat started).
pub(super) async fn count_qr(s: &SqlStore, code: &str, open: bool) -> Result<()> {
    let sql = if open {
        "UPDATE qr_codes SET opens = opens + 1 WHERE code = $1"
    } else {
        "UPDATE qr_codes SET scans = scans + 1 WHERE code = $1"
    };
    sqlx::query(sql)
        .bind(code)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(())
}
