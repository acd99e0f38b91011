//! The audit log: what the operator, console agents and business tokens did to a business
//! (who, what, when, from where, with what outcome). The HTTP surfaces report each audited
//! call after its handler ran ([`Business::record_action`]); entries wait in a bounded
//! in-memory queue that a worker writes in batches, so no request waits for the log and
//! nothing acknowledged depends on it. Reading the log first writes what this node still
//! holds. Entries older than `audit.retention_days` (by the injected clock) are purged by the
//! same worker.

use super::Business;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use async_trait::async_trait;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use wasla_types::audit::{AuditActor, AuditEntry, AuditPage};

/// Entries a node holds before a request writes them itself (backpressure, not loss).
const MAX_PENDING: usize = 4096;
/// How long the worker lets entries gather before it writes them.
const GATHER: Duration = Duration::from_millis(50);
/// How often the worker looks at the clock to see whether a purge is due.
const PURGE_CHECK: Duration = Duration::from_secs(1);
/// Clock time between two purges.
const PURGE_EVERY_MS: i64 = 3_600_000;
/// Longest page of the log.
pub const MAX_PAGE: i64 = 200;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The operator (admin API and CLI).
    Operator,
    /// A console agent (admin or agent role) of a WABA.
    Agent {
        /// Agent id.
        id: i64,
        /// Sign-in email.
        email: String,
        /// The WABA the agent works for.
        waba_id: i64,
    },
    /// A business access token, acting for its WABA.
    BusinessToken {
        /// The token's WABA.
        waba_id: i64,
    },
}

impl Actor {
    /// `operator`, `agent` or `business_token`.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Operator => "operator",
            Actor::Agent { .. } => "agent",
            Actor::BusinessToken { .. } => "business_token",
        }
    }

    /// The WABA the actor belongs to (none for the operator).
    pub fn waba_id(&self) -> Option<i64> {
        match self {
            Actor::Operator => None,
            Actor::Agent { waba_id, .. } | Actor::BusinessToken { waba_id } => Some(*waba_id),
        }
    }
}

/// One audited call, as the HTTP surface saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditAction {
    /// Who.
    pub actor: Actor,
    /// The WABA acted on, when the call names one (the actor's own WABA wins).
    pub waba_id: Option<i64>,
    /// HTTP method.
    pub method: String,
    /// Route template.
    pub route: String,
    /// Ids the path named and what the call created.
    pub target: Option<String>,
    /// The response's HTTP status.
    pub status: u16,
    /// The client's address.
    pub client_addr: Option<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
}

/// A stored entry of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    /// Time-ordered id.
    pub id: i64,
    /// When, Unix ms.
    pub at: i64,
    /// The WABA acted on.
    pub waba_id: Option<i64>,
    /// [`Actor::kind`].
    pub actor_kind: String,
    /// Agent id, or a business token's WABA.
    pub actor_id: Option<i64>,
    /// Agent email.
    pub actor_email: Option<String>,
    /// HTTP method.
    pub method: String,
    /// Route template.
    pub route: String,
    /// Ids the path named and what the call created.
    pub target: Option<String>,
    /// HTTP status.
    pub status: i64,
    /// The client's address.
    pub client_addr: Option<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
}

/// Which entries to read: one WABA's or all, newest first, older than `before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this WABA's entries.
    pub waba_id: Option<i64>,
    /// Only entries with a smaller id.
    pub before: Option<i64>,
    /// Most entries.
    pub limit: i64,
}

/// The audit log's storage.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Insert entries (one statement per batch).
    async fn insert_audit(&self, rows: &[AuditRow]) -> Result<()>;
    /// A page of entries, newest first.
    async fn audit_page(&self, q: &AuditQuery) -> Result<Vec<AuditRow>>;
    /// Delete entries older than `before` (Unix ms); returns how many.
    async fn purge_audit(&self, before: i64) -> Result<u64>;
}

/// Entries waiting to be written, and the signal that some came.
#[derive(Default)]
pub(super) struct AuditQueue {
    pending: Mutex<Vec<AuditRow>>,
    ready: Notify,
    /// One writer at a time, so entries are written in the order they came.
    writing: tokio::sync::Mutex<()>,
    /// Clock time of the next purge.
    next_purge: AtomicI64,
}

impl Business {
    /// Record an audited call. Returns at once unless this node already holds
    /// [`MAX_PENDING`] unwritten entries, in which case it writes them first.
    pub async fn record_action(&self, a: AuditAction) {
        let (actor_id, actor_email) = match &a.actor {
            Actor::Operator => (None, None),
            Actor::Agent { id, email, .. } => (Some(*id), Some(email.clone())),
            Actor::BusinessToken { waba_id } => (Some(*waba_id), None),
        };
        let row = AuditRow {
            id: self.ground.ids.next(),
            at: self.ground.now(),
            waba_id: a.actor.waba_id().or(a.waba_id),
            actor_kind: a.actor.kind().to_string(),
            actor_id,
            actor_email,
            method: a.method,
            route: a.route,
            target: a.target.map(|t| clip(t, 512)),
            status: i64::from(a.status),
            client_addr: a.client_addr.map(|t| clip(t, 128)),
            user_agent: a.user_agent.map(|t| clip(t, 256)),
        };
        let full = {
            let mut pending = self.audit.pending.lock();
            pending.push(row);
            pending.len() >= MAX_PENDING
        };
        if full {
            if let Err(e) = self.flush_audit().await {
                tracing::error!(error = %e, "writing the audit log");
            }
        } else {
            self.audit.ready.notify_one();
        }
    }

    /// Write every entry this node holds. On failure they stay queued for the next write.
    pub async fn flush_audit(&self) -> Result<()> {
        let _one = self.audit.writing.lock().await;
        let rows = std::mem::take(&mut *self.audit.pending.lock());
        if rows.is_empty() {
            return Ok(());
        }
        if let Err(e) = self.store.insert_audit(&rows).await {
            let mut pending = self.audit.pending.lock();
            let newer = std::mem::replace(&mut *pending, rows);
            pending.extend(newer);
            return Err(e);
        }
        Ok(())
    }

    /// A page of the audit log, newest first: one WABA's, or every WABA's for the operator.
    /// `before` is an entry id from a previous page.
    pub async fn audit_log(
        &self,
        waba_id: Option<i64>,
        before: Option<&str>,
        limit: Option<i64>,
    ) -> Result<AuditPage> {
        let before = match before.filter(|b| !b.is_empty()) {
            Some(b) => Some(
                parse_id(b)
                    .ok_or_else(|| Error::bad(format!("before: {b:?} is not an entry id")))?,
            ),
            None => None,
        };
        let limit = limit.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::bad(format!("limit must be 1 to {MAX_PAGE}")));
        }
        self.flush_audit().await?;
        let rows = self
            .store
            .audit_page(&AuditQuery {
                waba_id,
                before,
                limit,
            })
            .await?;
        let next_before = (rows.len() as i64 == limit)
            .then(|| rows.last().map(|r| r.id.to_string()))
            .flatten();
        Ok(AuditPage {
            data: rows.iter().map(entry).collect(),
            next_before,
        })
    }

    /// Delete entries older than the retention period (none when it is 0); returns how many.
    pub async fn purge_audit(&self) -> Result<u64> {
        let days = i64::from(self.ground.config.audit.retention_days);
        if days == 0 {
            return Ok(0);
        }
        let cutoff = self.ground.now() - days * 86_400_000;
        self.store.purge_audit(cutoff).await
    }

    /// The WABA of a business phone number, if `id` is one (for entries of operator calls
    /// that name a number).
    pub async fn number_waba(&self, id: &str) -> Result<Option<i64>> {
        let Some(id) = parse_id(id) else {
            return Ok(None);
        };
        Ok(self.accounts.account(id).await?.and_then(|a| a.waba_id))
    }

    /// The worker that writes queued entries shortly after they come and purges old ones
    /// once an hour of clock time. It stops when the server does; the server writes what
    /// requests still in flight record with a last [`Business::flush_audit`].
    pub fn spawn_audit_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            let stopping = me.ground.stopping();
            tokio::pin!(stopping);
            let mut check = tokio::time::interval(PURGE_CHECK);
            check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = &mut stopping => break,
                    _ = me.audit.ready.notified() => {
                        tokio::time::sleep(GATHER).await;
                        if let Err(e) = me.flush_audit().await {
                            tracing::error!(error = %e, "writing the audit log");
                        }
                    }
                    _ = check.tick() => me.purge_if_due().await,
                }
            }
            if let Err(e) = me.flush_audit().await {
                tracing::error!(error = %e, "writing the audit log");
            }
        })
    }

    async fn purge_if_due(&self) {
        let now = self.ground.now();
        if now < self.audit.next_purge.load(Ordering::Relaxed) {
            return;
        }
        self.audit
            .next_purge
            .store(now + PURGE_EVERY_MS, Ordering::Relaxed);
        match self.purge_audit().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(entries = n, "purged old audit log entries"),
            Err(e) => tracing::error!(error = %e, "purging the audit log"),
        }
    }
}

/// The wire shape of an entry.
fn entry(r: &AuditRow) -> AuditEntry {
    AuditEntry {
        id: r.id.to_string(),
        at: r.at,
        waba_id: r.waba_id.map(|w| w.to_string()),
        actor: AuditActor {
            kind: r.actor_kind.clone(),
            id: r.actor_id.map(|a| a.to_string()),
            email: r.actor_email.clone(),
        },
        method: r.method.clone(),
        route: r.route.clone(),
        target: r.target.clone(),
        status: u16::try_from(r.status).unwrap_or(0),
        client_address: r.client_addr.clone(),
        user_agent: r.user_agent.clone(),
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn clip(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_whole_characters() {
        assert_eq!(clip("abcdef".into(), 4), "abcd");
        assert_eq!(clip("ééé".into(), 3), "é");
        assert_eq!(clip("short".into(), 10), "short");
    }

    #[test]
    fn the_actors_own_waba_is_the_tenant() {
        let agent = Actor::Agent {
            id: 1,
            email: "a@x".into(),
            waba_id: 7,
        };
        assert_eq!(agent.waba_id(), Some(7));
        assert_eq!(Actor::BusinessToken { waba_id: 9 }.kind(), "business_token");
        assert_eq!(Actor::Operator.waba_id(), None);
    }
}
