//! Rating inside the group commit: the receipts a batch moved to delivered (or read) of
//! business messages that carry a plan (`billing_pending`, written with the message) become
//! ledger rows, keyed by the unique `(message_id, recipient_id)` of kind `message`, so a retried
//! status, a redelivered webhook, a restart or a crash never rates twice. The month's volume
//! (`billing_volume`, in the WABA's time zone) picks each charge's tier and grows with it,
//! service messages are counted per number and month (`billing_service_volume`) for rule sets
//! that charge them beyond an allowance, and `pricing_rollup` gets each row's half hour, all in
//! the same transaction. Rated plans are deleted. Plans are also written here, with their
//! messages.

use crate::db::{Columns, Db};
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use std::collections::BTreeMap;
use wasla_core::billing::rules::{discounted, local_month, tier_rate};
use wasla_core::billing::ChargePlan;
use wasla_core::chats::NewMessage;
use wasla_core::{Error, Result};

/// `pricing_rollup` sums: (WABA, half hour, number, country, category, type, tier) →
/// (volume, cost).
type Rollup = BTreeMap<(i64, i64, i64, String, String, String, String), (i64, i64)>;

/// A receipt of a business message moved to delivered or read: (message, recipient, at).
pub(crate) type Delivery = (i64, i64, i64);

/// Store the plans of a batch's fresh messages.
pub(crate) async fn store_plans(conn: &mut Db<'_>, msgs: &[(usize, &NewMessage)]) -> Result<()> {
    let rows: Vec<(i64, i64, i64, &str, i64)> = msgs
        .iter()
        .flat_map(|(_, n)| {
            n.charges.iter().map(|c| {
                (
                    n.message.id,
                    c.recipient_id,
                    c.waba_id,
                    c.plan.as_str(),
                    n.message.created_at,
                )
            })
        })
        .collect();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT / 2) {
        let mut sql = Sql::new(
            "INSERT INTO billing_pending (message_id, recipient_id, waba_id, plan, created_at) VALUES ",
        );
        sql.list(chunk, |q, &(m, r, w, plan, at)| {
            q.push("(")
                .int(m)
                .push(", ")
                .int(r)
                .push(", ")
                .int(w)
                .push(", ")
                .string(plan)
                .push(", ")
                .int(at)
                .push(")");
        });
        sql.push(" ON CONFLICT (message_id, recipient_id) DO NOTHING");
        sql.execute(conn).await?;
    }
    Ok(())
}

/// A ledger row about to be written.
struct Rated {
    message_id: i64,
    recipient_id: i64,
    plan: ChargePlan,
    tier: String,
    amount: i64,
    at: i64,
    /// The billing_volume key it counts in, when charged.
    volume_key: Option<(i64, String, String)>,
    /// The billing_service_volume key it counts in.
    service_key: Option<(i64, String)>,
}

/// Rate the deliveries that have a plan; see the module's description.
pub(crate) async fn rate_deliveries(conn: &mut Db<'_>, deliveries: &[Delivery]) -> Result<()> {
    if deliveries.is_empty() {
        return Ok(());
    }
    let mut at_of: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for &(m, r, at) in deliveries {
        at_of.entry((m, r)).or_insert(at);
    }
    let keys: Vec<(i64, i64)> = at_of.keys().copied().collect();
    let mut plans: Vec<((i64, i64), ChargePlan)> = vec![];
    for chunk in fixed_chunks(&keys, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT p.message_id, p.recipient_id, p.plan FROM (VALUES ");
        sql.list(chunk, |q, &(m, r)| {
            q.push("(").int(m).push(", ").int(r).push(")");
        });
        sql.push(
            ") AS v JOIN billing_pending p ON p.message_id = v.column1 AND p.recipient_id = v.column2",
        );
        for row in sql.fetch_all(conn).await? {
            let plan: String = row.col(2)?;
            let plan: ChargePlan = serde_json::from_str(&plan).map_err(Error::internal)?;
            plans.push(((row.col(0)?, row.col(1)?), plan));
        }
    }
    if plans.is_empty() {
        return Ok(());
    }
    plans.sort_by_key(|(k, _)| *k);

    // Volumes so far this month.
    let mut volumes: BTreeMap<(i64, String, String), i64> = BTreeMap::new();
    let mut services: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for ((m, r), plan) in &plans {
        let month = local_month(at_of[&(*m, *r)], &plan.timezone);
        if !plan.tiers.is_empty() {
            volumes.insert((plan.waba_id, month.clone(), plan.category.clone()), 0);
        }
        if plan.service_allowance.is_some() {
            services.insert((plan.phone_number_id, month), 0);
        }
    }
    read_volumes(conn, &mut volumes, &mut services).await?;

    let mut rated = Vec::with_capacity(plans.len());
    for ((m, r), plan) in plans {
        let at = at_of[&(m, r)];
        let month = local_month(at, &plan.timezone);
        let mut r = Rated {
            message_id: m,
            recipient_id: r,
            tier: "0".into(),
            amount: 0,
            at,
            volume_key: None,
            service_key: None,
            plan,
        };
        if let Some(allowance) = r.plan.service_allowance {
            let key = (r.plan.phone_number_id, month.clone());
            let used = services.entry(key.clone()).or_default();
            if *used >= allowance {
                r.amount = -discounted(r.plan.overage_micros, r.plan.discount_bp);
                r.plan.pricing_type = "regular".into();
            }
            *used += 1;
            r.service_key = Some(key);
        }
        if !r.plan.tiers.is_empty() {
            let key = (r.plan.waba_id, month, r.plan.category.clone());
            let used = volumes.entry(key.clone()).or_default();
            if let Some((from, rate)) = tier_rate(&r.plan.tiers, *used) {
                r.amount = -discounted(rate, r.plan.discount_bp);
                r.tier = from.to_string();
            }
            *used += 1;
            r.volume_key = Some(key);
        }
        rated.push(r);
    }

    // The ledger rows; those already there (rated before) come back as not inserted.
    let mut inserted: std::collections::HashSet<(i64, i64)> = Default::default();
    for chunk in fixed_chunks(&rated, ROWS_PER_STATEMENT / 8) {
        let mut sql = Sql::new(
            "INSERT INTO billing_ledger (id, waba_id, kind, message_id, recipient_id, phone_number_id, \
             country, market, category, pricing_type, tier, card_id, template_id, amount_micros, \
             currency, pricing_model, at) VALUES ",
        );
        sql.list(chunk, |q, r| {
            let p = &r.plan;
            q.push("(")
                .int(p.ledger_id)
                .push(", ")
                .int(p.waba_id)
                .push(", 'message', ")
                .int(r.message_id)
                .push(", ")
                .int(r.recipient_id)
                .push(", ")
                .int(p.phone_number_id)
                .push(", ")
                .string(&p.country)
                .push(", ")
                .string(&p.market)
                .push(", ")
                .string(&p.category)
                .push(", ")
                .string(&p.pricing_type)
                .push(", ")
                .string(&r.tier)
                .push(", ")
                .opt_int(p.card_id)
                .push(", ")
                .opt_int(p.template_id)
                .push(", ")
                .int(r.amount)
                .push(", ")
                .string(&p.currency)
                .push(", ")
                .string(&p.pricing_model)
                .push(", ")
                .int(r.at)
                .push(")");
        });
        sql.push(
            " ON CONFLICT (message_id, recipient_id) WHERE kind = 'message' DO NOTHING \
             RETURNING message_id, recipient_id",
        );
        for row in sql.fetch_all(conn).await? {
            inserted.insert((row.col(0)?, row.col(1)?));
        }
    }
    let fresh: Vec<&Rated> = rated
        .iter()
        .filter(|r| inserted.contains(&(r.message_id, r.recipient_id)))
        .collect();

    // Volumes grow by what was rated now.
    let mut volume_add: BTreeMap<(i64, String, String), i64> = BTreeMap::new();
    let mut service_add: BTreeMap<(i64, String), i64> = BTreeMap::new();
    // (waba, bucket, number, country, category, type, tier) → (volume, cost)
    let mut rollup: Rollup = BTreeMap::new();
    for r in &fresh {
        if let Some(k) = &r.volume_key {
            *volume_add.entry(k.clone()).or_default() += 1;
        }
        if let Some(k) = &r.service_key {
            *service_add.entry(k.clone()).or_default() += 1;
        }
        let s = r.at.div_euclid(1000);
        let bucket = s - s.rem_euclid(1800);
        let e = rollup
            .entry((
                r.plan.waba_id,
                bucket,
                r.plan.phone_number_id,
                r.plan.country.clone(),
                r.plan.category.clone(),
                r.plan.pricing_type.clone(),
                r.tier.clone(),
            ))
            .or_default();
        e.0 += 1;
        e.1 -= r.amount;
    }
    write_volumes(conn, &volume_add, &service_add).await?;
    write_rollup(conn, &rollup).await?;

    // Rated plans are done.
    for chunk in fixed_chunks(&rated, ROWS_PER_STATEMENT) {
        let mut sql =
            Sql::new("DELETE FROM billing_pending WHERE (message_id, recipient_id) IN (VALUES ");
        sql.list(chunk, |q, r| {
            q.push("(")
                .int(r.message_id)
                .push(", ")
                .int(r.recipient_id)
                .push(")");
        });
        sql.push(")");
        sql.execute(conn).await?;
    }
    Ok(())
}

/// Read the stored volumes of the given keys into the maps.
async fn read_volumes(
    conn: &mut Db<'_>,
    volumes: &mut BTreeMap<(i64, String, String), i64>,
    services: &mut BTreeMap<(i64, String), i64>,
) -> Result<()> {
    let keys: Vec<(i64, String, String)> = volumes.keys().cloned().collect();
    for chunk in fixed_chunks(&keys, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT b.waba_id, b.month, b.category, b.volume FROM (VALUES ");
        sql.list(chunk, |q, (w, m, c)| {
            q.push("(")
                .int(*w)
                .push(", ")
                .string(m)
                .push(", ")
                .string(c)
                .push(")");
        });
        sql.push(
            ") AS v JOIN billing_volume b ON b.waba_id = v.column1 AND b.month = v.column2 \
             AND b.category = v.column3",
        );
        for row in sql.fetch_all(conn).await? {
            volumes.insert((row.col(0)?, row.col(1)?, row.col(2)?), row.col(3)?);
        }
    }
    let keys: Vec<(i64, String)> = services.keys().cloned().collect();
    for chunk in fixed_chunks(&keys, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT s.phone_number_id, s.month, s.volume FROM (VALUES ");
        sql.list(chunk, |q, (n, m)| {
            q.push("(").int(*n).push(", ").string(m).push(")");
        });
        sql.push(
            ") AS v JOIN billing_service_volume s ON s.phone_number_id = v.column1 AND s.month = v.column2",
        );
        for row in sql.fetch_all(conn).await? {
            services.insert((row.col(0)?, row.col(1)?), row.col(2)?);
        }
    }
    Ok(())
}

/// Add to the monthly volumes, keys in order.
async fn write_volumes(
    conn: &mut Db<'_>,
    volumes: &BTreeMap<(i64, String, String), i64>,
    services: &BTreeMap<(i64, String), i64>,
) -> Result<()> {
    let rows: Vec<_> = volumes.iter().collect();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT) {
        let mut sql =
            Sql::new("INSERT INTO billing_volume (waba_id, month, category, volume) VALUES ");
        sql.list(chunk, |q, ((w, m, c), n)| {
            q.push("(")
                .int(*w)
                .push(", ")
                .string(m)
                .push(", ")
                .string(c)
                .push(", ")
                .int(**n)
                .push(")");
        });
        sql.push(
            " ON CONFLICT (waba_id, month, category) DO UPDATE SET volume = billing_volume.volume + excluded.volume",
        );
        sql.execute(conn).await?;
    }
    let rows: Vec<_> = services.iter().collect();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT) {
        let mut sql =
            Sql::new("INSERT INTO billing_service_volume (phone_number_id, month, volume) VALUES ");
        sql.list(chunk, |q, ((n, m), v)| {
            q.push("(")
                .int(*n)
                .push(", ")
                .string(m)
                .push(", ")
                .int(**v)
                .push(")");
        });
        sql.push(
            " ON CONFLICT (phone_number_id, month) DO UPDATE SET volume = billing_service_volume.volume + excluded.volume",
        );
        sql.execute(conn).await?;
    }
    Ok(())
}

/// Add to `pricing_rollup`, keys in order.
async fn write_rollup(conn: &mut Db<'_>, rollup: &Rollup) -> Result<()> {
    let rows: Vec<_> = rollup.iter().collect();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT / 4) {
        let mut sql = Sql::new(
            "INSERT INTO pricing_rollup (waba_id, bucket, phone_number_id, country, category, \
             pricing_type, tier, volume, cost_micros) VALUES ",
        );
        sql.list(chunk, |q, ((w, b, n, c, cat, t, tier), (v, cost))| {
            q.push("(")
                .int(*w)
                .push(", ")
                .int(*b)
                .push(", ")
                .int(*n)
                .push(", ")
                .string(c)
                .push(", ")
                .string(cat)
                .push(", ")
                .string(t)
                .push(", ")
                .string(tier)
                .push(", ")
                .int(*v)
                .push(", ")
                .int(*cost)
                .push(")");
        });
        sql.push(
            " ON CONFLICT (waba_id, bucket, phone_number_id, country, category, pricing_type, tier) \
             DO UPDATE SET volume = pricing_rollup.volume + excluded.volume, \
             cost_micros = pricing_rollup.cost_micros + excluded.cost_micros",
        );
        sql.execute(conn).await?;
    }
    Ok(())
}

/// Append one ledger entry inside a caller's transaction (the status domain charges an ad's
/// impression in the same transaction that counts it).
pub(crate) async fn insert_entry(
    conn: &mut sqlx::AnyConnection,
    e: &wasla_core::billing::LedgerEntry,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO billing_ledger ({}) VALUES ({})",
        super::balances::LEDGER_COLS,
        crate::placeholders(1, 18)
    );
    super::balances::bind_entry(sqlx::query(&sql), e)
        .execute(conn)
        .await
        .map_err(crate::db_err)?;
    Ok(())
}
