//! Writing the analytics rollups inside the group commit, so each count lands in the same
//! transaction as what it counts and a retried batch or a restart never counts twice:
//! `message_rollup` (a business's messages sent per recipient, and delivered, per half hour,
//! number and recipient country) and `template_rollup` (per template and day: sent, delivered,
//! read, and button replies quoting the template message). A template message's template is
//! kept in `template_sends` when it is stored; its cost reaches `template_rollup` through a
//! trigger on the ledger (migration 0016). Receipts count on the transition the batch made,
//! which the receipts' SQL reports exactly once.

use crate::db::{Columns, Db};
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use std::collections::{BTreeMap, HashMap, HashSet};
use wasla_core::chats::{NewMessage, ReceiptStatus};
use wasla_core::ids::parse_wamid;
use wasla_core::Result;
use wasla_types::Content;

/// A receipt of a business's message that a batch moved forward.
pub(crate) struct Moved<'a> {
    /// The message.
    pub(crate) message_id: i64,
    /// Its sender (the business number).
    pub(crate) sender_id: i64,
    /// The recipient's wa_id (their country).
    pub(crate) reader_wa_id: &'a str,
    /// `Delivered` or `Read`.
    pub(crate) status: ReceiptStatus,
    /// When, Unix ms.
    pub(crate) at: i64,
}

/// (WABA, half-hour bucket, number, country) → (sent, delivered).
type MessageSums = BTreeMap<(i64, i64, i64, String), (i64, i64)>;
/// (WABA, day, template) → (sent, delivered, read, clicked).
type TemplateSums = BTreeMap<(i64, i64, i64), [i64; 4]>;

fn half_hour(ms: i64) -> i64 {
    let s = ms.div_euclid(1000);
    s - s.rem_euclid(1_800)
}

fn day(ms: i64) -> i64 {
    let s = ms.div_euclid(1000);
    s - s.rem_euclid(86_400)
}

/// The recipient's country (ISO 3166 alpha-2, `ZZ` when unknown).
fn country(wa_id: &str) -> String {
    let user = wasla_core::phone::user_id(wa_id);
    user.split('.').next().unwrap_or("ZZ").to_string()
}

/// Count a batch's stored messages: a business's messages as sent (per recipient, and per
/// template), and people's button replies quoting a template message as clicks.
pub(crate) async fn count_sent(conn: &mut Db<'_>, msgs: &[(usize, &NewMessage)]) -> Result<()> {
    if msgs.is_empty() {
        return Ok(());
    }
    let senders: Vec<i64> = distinct(msgs.iter().map(|(_, n)| n.message.sender_id));
    let wabas = business_wabas(conn, &senders).await?;
    let mut by_business: Vec<(&NewMessage, i64)> = Vec::new();
    // (quoted message, click time)
    let mut clicks: Vec<(i64, i64)> = Vec::new();
    for &(_, n) in msgs {
        let m = &n.message;
        match wabas.get(&m.sender_id) {
            Some(&waba) => by_business.push((n, waba)),
            None => {
                if matches!(
                    m.content,
                    Content::Button { .. } | Content::Interactive { .. }
                ) {
                    if let Some(quoted) =
                        m.context.as_ref().and_then(|c| parse_wamid(&c.message_id))
                    {
                        clicks.push((quoted, m.created_at));
                    }
                }
            }
        }
    }
    let mut messages = MessageSums::new();
    let mut templates = TemplateSums::new();
    if !by_business.is_empty() {
        let recipients = distinct(
            by_business
                .iter()
                .flat_map(|(n, _)| n.recipients.iter().copied()),
        );
        let wa_ids = wa_ids(conn, &recipients).await?;
        let mut sends: Vec<(i64, i64, i64)> = Vec::new();
        let mut found: HashMap<(i64, String, String), Option<i64>> = HashMap::new();
        for &(n, waba) in &by_business {
            let m = &n.message;
            for r in &n.recipients {
                let c = wa_ids
                    .get(r)
                    .map_or_else(|| "ZZ".to_string(), |w| country(w));
                messages
                    .entry((waba, half_hour(m.created_at), m.sender_id, c))
                    .or_default()
                    .0 += 1;
            }
            if let Content::Template { template } = &m.content {
                let key = (waba, template.name.clone(), template.language.code.clone());
                let id = match found.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = template_id(conn, &key).await?;
                        found.insert(key, id);
                        id
                    }
                };
                if let Some(id) = id {
                    sends.push((m.id, waba, id));
                    templates.entry((waba, day(m.created_at), id)).or_default()[0] +=
                        n.recipients.len() as i64;
                }
            }
        }
        for chunk in fixed_chunks(&sends, ROWS_PER_STATEMENT) {
            let mut sql =
                Sql::new("INSERT INTO template_sends (message_id, waba_id, template_id) VALUES ");
            sql.list(chunk, |q, &(m, w, t)| {
                q.push("(")
                    .int(m)
                    .push(", ")
                    .int(w)
                    .push(", ")
                    .int(t)
                    .push(")");
            });
            sql.push(" ON CONFLICT (message_id) DO NOTHING");
            sql.execute(conn).await?;
        }
    }
    if !clicks.is_empty() {
        let quoted = distinct(clicks.iter().map(|c| c.0));
        let sent_from = template_sends(conn, &quoted).await?;
        for (q, at) in clicks {
            if let Some(&(waba, template)) = sent_from.get(&q) {
                templates.entry((waba, day(at), template)).or_default()[3] += 1;
            }
        }
    }
    upsert_messages(conn, messages).await?;
    upsert_templates(conn, templates).await
}

/// Count the receipts a batch moved: delivered per number and country, and per template
/// delivered and read.
pub(crate) async fn count_receipts(conn: &mut Db<'_>, moved: &[Moved<'_>]) -> Result<()> {
    if moved.is_empty() {
        return Ok(());
    }
    let senders = distinct(moved.iter().map(|m| m.sender_id));
    let wabas = business_wabas(conn, &senders).await?;
    let ids = distinct(moved.iter().map(|m| m.message_id));
    let sent_from = template_sends(conn, &ids).await?;
    let mut messages = MessageSums::new();
    let mut templates = TemplateSums::new();
    for m in moved {
        let Some(&waba) = wabas.get(&m.sender_id) else {
            continue;
        };
        let template = sent_from.get(&m.message_id).map(|t| t.1);
        match m.status {
            ReceiptStatus::Delivered => {
                messages
                    .entry((waba, half_hour(m.at), m.sender_id, country(m.reader_wa_id)))
                    .or_default()
                    .1 += 1;
                if let Some(t) = template {
                    templates.entry((waba, day(m.at), t)).or_default()[1] += 1;
                }
            }
            ReceiptStatus::Read => {
                if let Some(t) = template {
                    templates.entry((waba, day(m.at), t)).or_default()[2] += 1;
                }
            }
            _ => {}
        }
    }
    upsert_messages(conn, messages).await?;
    upsert_templates(conn, templates).await
}

fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.collect::<HashSet<_>>().into_iter().collect();
    v.sort_unstable();
    v
}

/// The WABA of each business number among `ids`.
async fn business_wabas(conn: &mut Db<'_>, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for chunk in fixed_chunks(ids, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT id, waba_id FROM accounts WHERE kind = 'business' AND waba_id IS NOT NULL AND id IN (");
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(")");
        for r in sql.fetch_all(conn).await? {
            out.insert(r.col(0)?, r.col(1)?);
        }
    }
    Ok(out)
}

/// The wa_id of each account among `ids`.
async fn wa_ids(conn: &mut Db<'_>, ids: &[i64]) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    for chunk in fixed_chunks(ids, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT id, wa_id FROM accounts WHERE id IN (");
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(")");
        for r in sql.fetch_all(conn).await? {
            out.insert(r.col(0)?, r.col(1)?);
        }
    }
    Ok(out)
}

/// The template a WABA's template message names (by name and language), if it exists.
async fn template_id(
    conn: &mut Db<'_>,
    (waba, name, language): &(i64, String, String),
) -> Result<Option<i64>> {
    let mut sql = Sql::new("SELECT id FROM templates WHERE waba_id = ");
    sql.int(*waba)
        .push(" AND name = ")
        .string(name)
        .push(" AND language = ")
        .string(language);
    match sql.fetch_all(conn).await?.first() {
        Some(r) => Ok(Some(r.col(0)?)),
        None => Ok(None),
    }
}

/// The (WABA, template) of each template message among `ids`.
async fn template_sends(conn: &mut Db<'_>, ids: &[i64]) -> Result<HashMap<i64, (i64, i64)>> {
    let mut out = HashMap::new();
    for chunk in fixed_chunks(ids, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "SELECT message_id, waba_id, template_id FROM template_sends WHERE message_id IN (",
        );
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(")");
        for r in sql.fetch_all(conn).await? {
            out.insert(r.col(0)?, (r.col(1)?, r.col(2)?));
        }
    }
    Ok(out)
}

/// Add to `message_rollup`, keys in order (so concurrent PostgreSQL transactions lock rows in
/// the same order).
async fn upsert_messages(conn: &mut Db<'_>, sums: MessageSums) -> Result<()> {
    let rows: Vec<_> = sums.into_iter().collect();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT / 2) {
        let mut sql = Sql::new(
            "INSERT INTO message_rollup (waba_id, bucket, phone_number_id, country, sent, delivered) VALUES ",
        );
        sql.list(
            chunk,
            |q, ((waba, bucket, phone, country), (sent, delivered))| {
                q.push("(")
                    .int(*waba)
                    .push(", ")
                    .int(*bucket)
                    .push(", ")
                    .int(*phone)
                    .push(", ")
                    .string(country)
                    .push(", ")
                    .int(*sent)
                    .push(", ")
                    .int(*delivered)
                    .push(")");
            },
        );
        sql.push(
            " ON CONFLICT (waba_id, bucket, phone_number_id, country) DO UPDATE SET \
             sent = message_rollup.sent + excluded.sent, \
             delivered = message_rollup.delivered + excluded.delivered",
        );
        sql.execute(conn).await?;
    }
    Ok(())
}

/// Add to `template_rollup`, keys in order.
async fn upsert_templates(conn: &mut Db<'_>, sums: TemplateSums) -> Result<()> {
    let rows: Vec<_> = sums.into_iter().collect();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT / 2) {
        let mut sql = Sql::new(
            "INSERT INTO template_rollup (waba_id, bucket, template_id, sent, delivered, read, clicked, cost_micros) VALUES ",
        );
        sql.list(chunk, |q, ((waba, bucket, template), [s, d, r, c])| {
            q.push("(")
                .int(*waba)
                .push(", ")
                .int(*bucket)
                .push(", ")
                .int(*template)
                .push(", ")
                .int(*s)
                .push(", ")
                .int(*d)
                .push(", ")
                .int(*r)
                .push(", ")
                .int(*c)
                .push(", 0)");
        });
        sql.push(
            " ON CONFLICT (waba_id, bucket, template_id) DO UPDATE SET \
             sent = template_rollup.sent + excluded.sent, \
             delivered = template_rollup.delivered + excluded.delivered, \
             read = template_rollup.read + excluded.read, \
             clicked = template_rollup.clicked + excluded.clicked",
        );
        sql.execute(conn).await?;
    }
    Ok(())
}
