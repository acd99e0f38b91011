//! The automation worker's bookkeeping: settings (`automation_settings`), event cursors with
//! leases (`automation_cursors`), and the replies it sent (`automation_replies`), keyed so
//! nothing is answered twice.

use crate::{db_err, SqlStore};
use sqlx::Row;
use wasla_core::Result;

/// Automation settings JSON of a business number.
pub(super) async fn automation_settings(s: &SqlStore, business_id: i64) -> Result<Option<String>> {
    let r = sqlx::query("SELECT settings FROM automation_settings WHERE business_id = $1")
        .bind(business_id)
        .fetch_optional(&s.read)
        .await
        .map_err(db_err)?;
    Ok(r.map(|r| r.get(0)))
}

/// Save a business number's automation settings; the first save starts the number's event cursor at `start_seq`, so only
/// events from then on are automated.
pub(super) async fn save_automation_settings(
    s: &SqlStore,
    business_id: i64,
    json: &str,
    at: i64,
    start_seq: i64,
) -> Result<()> {
    let mut tx = s.write.begin().await.map_err(db_err)?;
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

/// Business numbers with automation settings.
pub(super) async fn automated_numbers(s: &SqlStore) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT business_id FROM automation_settings ORDER BY business_id")
        .fetch_all(&s.read)
        .await
        .map_err(db_err)?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Lease a number's event cursor until `lease_until`; returns the last seq handled, or
/// `None` while another worker holds it.
pub(super) async fn lease_cursor(
    s: &SqlStore,
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
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let r = sqlx::query("SELECT last_seq FROM automation_cursors WHERE business_id = $1")
        .bind(business_id)
        .fetch_one(&s.write)
        .await
        .map_err(db_err)?;
    Ok(Some(r.get(0)))
}

/// Move the cursor and release the lease.
pub(super) async fn save_cursor(s: &SqlStore, business_id: i64, last_seq: i64) -> Result<()> {
    sqlx::query(
        "UPDATE automation_cursors SET last_seq = $1, lease_until = 0 WHERE business_id = $2",
    )
    .bind(last_seq)
    .bind(business_id)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Record that an automation answered a trigger; false if one already did.
pub(super) async fn record_reply(
    s: &SqlStore,
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
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() == 1)
}
