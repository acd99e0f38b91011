//! The webhook outbox's writes inside a group commit (`outbox`, `webhook_attempts`): queuing
//! a webhook event's deliveries, leased claims (with `FOR UPDATE SKIP LOCKED` on PostgreSQL so
//! several nodes share the work) and recording attempts. They run on the transaction's
//! connection, so the chats domain's batch body and the other domains' writes call them.
//! Deliveries that share an ordering key (the statuses of one message to one recipient, see
//! `wasla_core::integration::ordering_key`) go to an app one at a time, in queue order: a
//! claim skips a row while an earlier one of its app and key is pending, and a retry or
//! put-back moves the rows waiting behind it to its new time, so they are not read by every
//! claim in between.

use crate::db::{Columns, Db};
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use wasla_core::chats::WebhookWork;
use wasla_core::integration::{ordering_key, AttemptOutcome, AttemptRecord, OutboxRow};
use wasla_core::{Error, Result};

/// A webhook event on its way into the outbox: one delivery row per subscribed app of its
/// WABA (the business number's, when the event names none).
pub(crate) struct QueuedHook {
    waba_id: Option<i64>,
    business_id: i64,
    event: String,
    at: i64,
    order: Option<(i64, i64)>,
}

impl QueuedHook {
    /// `w`, due at `at`.
    pub(crate) fn new(w: &WebhookWork, at: i64) -> Result<Self> {
        Ok(QueuedHook {
            waba_id: w.waba_id,
            business_id: w.business_id,
            event: serde_json::to_string(w).map_err(Error::internal)?,
            at,
            order: ordering_key(w),
        })
    }
}

/// Insert the delivery rows of `hooks`, a few multi-row statements whatever their number;
/// rows get ids in the order of `hooks` (and of app id within one event), which is the order
/// they are delivered in.
pub(crate) async fn enqueue_webhooks(conn: &mut Db<'_>, hooks: &[QueuedHook]) -> Result<()> {
    for chunk in fixed_chunks(hooks, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "INSERT INTO outbox (app_id, event, next_attempt_at, created_at, order_subject, order_recipient) \
             WITH v (ord, waba_id, business_id, event, at, subject, recipient) AS (VALUES ",
        );
        let mut ord = 0;
        sql.list(chunk, |q, h| {
            q.push("(")
                .int(ord)
                .push(", ")
                .opt_int(h.waba_id)
                .push(", ")
                .int(h.business_id)
                .push(", ")
                .string(&h.event)
                .push(", ")
                .int(h.at)
                .push(", ")
                .opt_int(h.order.map(|o| o.0))
                .push(", ")
                .opt_int(h.order.map(|o| o.1))
                .push(")");
            ord += 1;
        })
        .push(
            ") SELECT ap.id, v.event, v.at, v.at, v.subject, v.recipient FROM v JOIN apps ap ON ap.subscribed = 1 \
             AND ap.waba_id = COALESCE(v.waba_id, (SELECT a.waba_id FROM accounts a WHERE a.id = v.business_id)) \
             ORDER BY v.ord, ap.id",
        );
        sql.execute(conn).await?;
    }
    Ok(())
}

/// One event's delivery rows (see [`enqueue_webhooks`]).
pub(crate) async fn enqueue_webhook(conn: &mut Db<'_>, w: &WebhookWork, now: i64) -> Result<()> {
    enqueue_webhooks(conn, &[QueuedHook::new(w, now)?]).await
}

/// Lease up to `limit` due deliveries until `lease_until`, oldest first. Runs in a group
/// commit (see `writer`), so a claim shares its transaction and sync with the batch's other
/// writes; on PostgreSQL the rows are taken with `FOR UPDATE SKIP LOCKED`, so the nodes
/// sharing the outbox never claim one row twice. A row with an ordering key is taken only
/// when no earlier row of its app and key is pending (due, leased or waiting for a retry):
/// one probe of `outbox_order` per candidate.
pub(crate) async fn claim_due(
    conn: &mut Db<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let lock = if conn.is_postgres() {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let mut sql = Sql::new("UPDATE outbox SET lease_until = ");
    sql.int(lease_until)
        .push(
            " WHERE id IN (SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= ",
        )
        .int(now)
        .push(" AND (o.lease_until IS NULL OR o.lease_until <= ")
        .int(now)
        .push(
            ") AND (o.order_subject IS NULL OR NOT EXISTS (SELECT 1 FROM outbox e \
             WHERE e.order_subject = o.order_subject AND e.order_recipient = o.order_recipient \
             AND e.app_id = o.app_id AND e.state = 'pending' AND e.id < o.id)) \
             ORDER BY o.next_attempt_at, o.id LIMIT ",
        )
        .int(limit)
        .push(lock)
        .push(") RETURNING id, app_id, event, attempts, created_at");
    conn.fetch_all(&sql)
        .await?
        .iter()
        .map(|r| {
            Ok(OutboxRow {
                id: r.col(0)?,
                app_id: r.col(1)?,
                event: r.col(2)?,
                attempts: r.col(3)?,
                created_at: r.col(4)?,
            })
        })
        .collect()
}

/// Record a round's attempts and what happens next to each delivery (and release their
/// leases): two statements per chunk of the round, not two per delivery, and one per chunk of
/// the rows put back without an attempt or to be retried (which move the rows ordered behind
/// them). NULLs are typed, so PostgreSQL gives every VALUES column its table's type.
pub(crate) async fn store_attempts(conn: &mut Db<'_>, attempts: &[AttemptRecord]) -> Result<()> {
    let (put_back, made): (Vec<&AttemptRecord>, Vec<&AttemptRecord>) = attempts
        .iter()
        .partition(|a| matches!(a.outcome, AttemptOutcome::PutBack(_)));
    put_back_due(conn, &put_back).await?;
    let later: Vec<(i64, i64)> = attempts
        .iter()
        .filter_map(|a| match a.outcome {
            AttemptOutcome::PutBack(t) | AttemptOutcome::RetryAt(t) => Some((a.outbox_id, t)),
            AttemptOutcome::Delivered | AttemptOutcome::Failed => None,
        })
        .collect();
    hold_followers(conn, &later).await?;
    for chunk in fixed_chunks(&made, ROWS_PER_STATEMENT) {
        let mut insert = Sql::new(
            "INSERT INTO webhook_attempts (outbox_id, attempt, at, status_code, error, duration_ms) VALUES ",
        );
        insert.list(chunk, |q, a| {
            q.push("(")
                .int(a.outbox_id)
                .push(", ")
                .int(a.attempt)
                .push(", ")
                .int(a.at)
                .push(", ")
                .opt_int(a.status_code)
                .push(", ")
                .opt_string(a.error.as_deref())
                .push(", ")
                .int(a.duration_ms)
                .push(")");
        });
        insert.push(" ON CONFLICT (outbox_id, attempt) DO NOTHING");
        conn.execute(&insert).await?;
        // VALUES columns are column1, column2, … on both backends.
        let mut update = Sql::new(
            "UPDATE outbox SET state = v.column2, attempts = v.column3, next_attempt_at = v.column4, \
             delivered_at = v.column5, last_status = v.column6, last_error = v.column7, lease_until = NULL \
             FROM (VALUES ",
        );
        update.list(chunk, |q, a| {
            let (state, next, delivered) = match a.outcome {
                AttemptOutcome::Delivered => ("delivered", a.at, Some(a.at)),
                AttemptOutcome::RetryAt(t) => ("pending", t, None),
                AttemptOutcome::Failed => ("failed", a.at, None),
                // Not reached: put-backs were taken out above.
                AttemptOutcome::PutBack(t) => ("pending", t, None),
            };
            q.push("(CAST(")
                .int(a.outbox_id)
                .push(" AS BIGINT), CAST(")
                .string(state)
                .push(" AS TEXT), CAST(")
                .int(a.attempt)
                .push(" AS BIGINT), CAST(")
                .int(next)
                .push(" AS BIGINT), CAST(")
                .opt_int(delivered)
                .push(" AS BIGINT), CAST(")
                .opt_int(a.status_code)
                .push(" AS BIGINT), CAST(")
                .opt_string(a.error.as_deref())
                .push(" AS TEXT))");
        });
        update.push(") AS v WHERE outbox.id = v.column1");
        conn.execute(&update).await?;
    }
    Ok(())
}

/// Deliveries put back without an attempt: due again later, their leases released.
async fn put_back_due(conn: &mut Db<'_>, put_back: &[&AttemptRecord]) -> Result<()> {
    for chunk in fixed_chunks(put_back, ROWS_PER_STATEMENT) {
        let mut update = Sql::new(
            "UPDATE outbox SET next_attempt_at = v.column2, lease_until = NULL FROM (VALUES ",
        );
        update.list(chunk, |q, a| {
            q.push("(CAST(")
                .int(a.outbox_id)
                .push(" AS BIGINT), CAST(")
                .int(a.at)
                .push(" AS BIGINT))");
        });
        update.push(") AS v WHERE outbox.id = v.column1");
        conn.execute(&update).await?;
    }
    Ok(())
}

/// Rows waiting behind a delivery that is due again only later (`(outbox id, due at)`) become
/// due no earlier than it. They could not be claimed before it is delivered anyway; this keeps
/// them out of the claims' due range meanwhile, so a receiver's outage with many messages
/// queued does not make every claim read and skip the rows behind each one. The joins are
/// `CROSS JOIN`s, which SQLite keeps in the order written: from the given rows by id to the
/// rows behind each in `outbox_order`. Left to itself, SQLite's planner (without statistics)
/// took every pending row first and looked for its head among all of its app's rows, which
/// held an outage's group commits for seconds.
async fn hold_followers(conn: &mut Db<'_>, later: &[(i64, i64)]) -> Result<()> {
    for chunk in fixed_chunks(later, ROWS_PER_STATEMENT) {
        let mut update = Sql::new(
            "UPDATE outbox SET next_attempt_at = w.at FROM \
             (SELECT f.id AS id, MAX(v.column2) AS at FROM (VALUES ",
        );
        update.list(chunk, |q, (id, at)| {
            q.push("(CAST(")
                .int(*id)
                .push(" AS BIGINT), CAST(")
                .int(*at)
                .push(" AS BIGINT))");
        });
        update.push(
            ") AS v CROSS JOIN outbox h CROSS JOIN outbox f \
             WHERE h.id = v.column1 AND f.order_subject = h.order_subject \
             AND f.order_recipient = h.order_recipient AND f.app_id = h.app_id \
             AND f.state = 'pending' AND f.id > h.id AND f.next_attempt_at < v.column2 \
             GROUP BY f.id) AS w WHERE outbox.id = w.id",
        );
        conn.execute(&update).await?;
    }
    Ok(())
}
