//! The billing domain's storage: one trait per concern (rate cards, the ledger, balances and
//! invoices, analytics rollups, limits and quality), gathered in [`BillingStorage`].

/// Everything the billing domain stores.
pub trait BillingStorage:
    Send
    + Sync
    + LimitsStore
    + BalanceStore
    + InvoiceStore
    + CardStore
    + RatingStore
    + super::AnalyticsStore
{
}
impl<
        T: Send
            + Sync
            + LimitsStore
            + BalanceStore
            + InvoiceStore
            + CardStore
            + RatingStore
            + super::AnalyticsStore,
    > BillingStorage for T
{
}

/// Blocks, reports, marketing opt-outs, messaging limit tiers, the rolling count of unique
/// recipients and numbers' quality (`billing/limits.rs`, `quality.rs`, `blocks.rs`).
#[async_trait::async_trait]
pub trait LimitsStore: Send + Sync {
    /// `blocker` blocks each of `blocked` (kept as first blocked); one transaction.
    async fn put_blocks(
        &self,
        blocker: i64,
        blocked: &[i64],
        reason: Option<&str>,
        now: i64,
    ) -> crate::Result<()>;
    /// `blocker` unblocks each of `blocked`; one transaction.
    async fn delete_blocks(&self, blocker: i64, blocked: &[i64]) -> crate::Result<()>;
    /// The blocks between two accounts, either way: `(blocker, blocked)` pairs.
    async fn blocks_between(&self, a: i64, b: i64) -> crate::Result<Vec<(i64, i64)>>;
    /// What `blocker` blocked, newest first, older than the cursor `before` (`created_at`,
    /// `blocked_id`).
    async fn blocks_by(
        &self,
        blocker: i64,
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> crate::Result<Vec<super::limits::BlockRow>>;
    /// Record a report.
    async fn put_report(&self, row: &super::limits::ReportRow) -> crate::Result<()>;
    /// Whether `reporter` ever reported `reported`.
    async fn has_reported(&self, reporter: i64, reported: i64) -> crate::Result<bool>;
    /// A person opts out of a WABA's marketing templates (or back in).
    async fn set_marketing_opt_out(
        &self,
        person: i64,
        waba: i64,
        opt_out: bool,
        now: i64,
    ) -> crate::Result<()>;
    /// Whether a person opted out of a WABA's marketing templates.
    async fn marketing_opted_out(&self, person: i64, waba: i64) -> crate::Result<bool>;
    /// A WABA's stored tier.
    async fn messaging_tier(&self, waba: i64) -> crate::Result<Option<super::limits::TierRow>>;
    /// Set a WABA's tier and record the change as history row `change_id` (`old` may equal
    /// `new`: no history row); evaluations restart from `now`.
    async fn set_messaging_tier(
        &self,
        change_id: i64,
        waba: i64,
        old: &str,
        new: &str,
        reason: &str,
        now: i64,
    ) -> crate::Result<()>;
    /// Start keeping a WABA's tier at `tier` unless it has a row already.
    async fn ensure_messaging_tier(&self, waba: i64, tier: &str, now: i64) -> crate::Result<()>;
    /// A WABA's tier changes, newest first.
    async fn tier_changes(
        &self,
        waba: i64,
        limit: i64,
    ) -> crate::Result<Vec<super::limits::TierChangeRow>>;
    /// Limited tiers whose last evaluation is at or before `before`.
    async fn due_tier_evaluations(
        &self,
        before: i64,
        limit: i64,
    ) -> crate::Result<Vec<super::limits::TierRow>>;
    /// Take a due evaluation: move `evaluated_at` from `seen` to `now`; false when another
    /// node took it first.
    async fn claim_tier_evaluation(&self, waba: i64, seen: i64, now: i64) -> crate::Result<bool>;
    /// Count a business-initiated message to `person`: already counted since `since`, or
    /// counted now if fewer than `limit` people were, else refused. Keeps the day's peak.
    async fn admit_recipient(
        &self,
        waba: i64,
        person: i64,
        now: i64,
        since: i64,
        limit: i64,
    ) -> crate::Result<super::limits::Admission>;
    /// Unique recipients counted since `since`.
    async fn recipients_since(&self, waba: i64, since: i64) -> crate::Result<i64>;
    /// The highest daily peak from `from_day` (Unix days) on.
    async fn peak_since(&self, waba: i64, from_day: i64) -> crate::Result<i64>;
    /// Forget recipients last counted before `before` and peaks before `before_day`.
    async fn prune_limits(&self, before: i64, before_day: i64) -> crate::Result<()>;
    /// A number sent to a person on a day (Unix days).
    async fn note_reach(&self, number: i64, person: i64, day: i64) -> crate::Result<()>;
    /// A number's quality inputs: the people who blocked or reported it since `since` (among
    /// those it reached from `from_day` on), and the people it reached from `from_day` on.
    async fn quality_inputs(
        &self,
        number: i64,
        since: i64,
        from_day: i64,
    ) -> crate::Result<(i64, i64)>;
    /// A number's stored quality.
    async fn number_quality(
        &self,
        number: i64,
    ) -> crate::Result<Option<super::quality::QualityRow>>;
    /// Store a number's quality.
    async fn put_number_quality(&self, row: &super::quality::QualityRow) -> crate::Result<()>;
    /// Numbers whose quality was last computed at or before `before`.
    async fn due_quality(
        &self,
        before: i64,
        limit: i64,
    ) -> crate::Result<Vec<super::quality::QualityRow>>;
}

/// Balances: each WABA's billing account (terms and its low-balance mark) and the ledger's
/// sums, top-ups and adjustments (`billing/balances.rs`, `low_balance.rs`).
#[async_trait::async_trait]
pub trait BalanceStore: Send + Sync {
    /// A WABA's billing account (defaults when it has no row), and the currency of its card's
    /// newest version (`USD` when the card is not imported yet).
    async fn balance_account(
        &self,
        waba: i64,
    ) -> crate::Result<(super::rows::BillingAccountRow, String)>;
    /// Save a WABA's credit limit, low-balance threshold and time zone (creating its row).
    async fn save_balance_terms(
        &self,
        waba: i64,
        credit_limit_micros: Option<i64>,
        low_balance_micros: i64,
        timezone: &str,
        now: i64,
    ) -> crate::Result<()>;
    /// The sum of a WABA's ledger entries before `until` (all of them when `None`).
    async fn balance_micros(&self, waba: i64, until: Option<i64>) -> crate::Result<i64>;
    /// Append ledger entries as given, in one transaction.
    async fn append_ledger_entries(
        &self,
        entries: &[super::rows::LedgerEntry],
    ) -> crate::Result<()>;
    /// A WABA's ledger entries with ids below `before`, newest first.
    async fn ledger_entries(
        &self,
        waba: i64,
        before: Option<i64>,
        limit: i64,
    ) -> crate::Result<Vec<super::rows::LedgerEntry>>;
    /// The WABAs with ledger entries written at or after `since` (Unix ms), and the latest
    /// such time.
    async fn wabas_charged_since(&self, since: i64) -> crate::Result<(Vec<i64>, i64)>;
    /// Mark a WABA's balance low at `now` unless it is marked already, and queue `webhook`
    /// in the same transaction; whether it was marked now.
    async fn mark_low_balance(
        &self,
        waba: i64,
        now: i64,
        webhook: &crate::chats::WebhookWork,
    ) -> crate::Result<bool>;
    /// Clear a WABA's low-balance mark (re-arming the warning); whether it was set.
    async fn clear_low_balance(&self, waba: i64) -> crate::Result<bool>;
}

/// Invoices: a WABA's ledger in a period, summed by line (`billing/invoices.rs`).
#[async_trait::async_trait]
pub trait InvoiceStore: Send + Sync {
    /// Charges (every kind but top-ups and adjustments) in `[from, to)`, by kind, category
    /// and market: `(kind, category, market, count, sum of amount_micros)`, in that order.
    async fn invoice_charges(
        &self,
        waba: i64,
        from: i64,
        to: i64,
    ) -> crate::Result<Vec<(String, String, String, i64, i64)>>;
    /// Top-ups and adjustments in `[from, to)`, oldest first.
    async fn invoice_credits(
        &self,
        waba: i64,
        from: i64,
        to: i64,
    ) -> crate::Result<Vec<super::rows::LedgerEntry>>;
}

/// Rate cards and their rows, and the card and discount a WABA is rated with
/// (`billing/cards.rs`).
#[async_trait::async_trait]
pub trait CardStore: Send + Sync {
    /// Store a card version with its rows, in one transaction (a name and date taken already
    /// is a conflict).
    async fn insert_card(
        &self,
        card: &super::rows::RateCard,
        rows: &[super::rows::RateRow],
    ) -> crate::Result<()>;
    /// Every card version, oldest first.
    async fn cards(&self) -> crate::Result<Vec<super::rows::RateCard>>;
    /// A card version's rows.
    async fn card_rows(&self, card_id: i64) -> crate::Result<Vec<super::rows::RateRow>>;
    /// Save the card a WABA is rated on and its discount (creating its account row).
    async fn save_pricing_terms(
        &self,
        waba: i64,
        card_name: &str,
        discount_bp: i64,
        now: i64,
    ) -> crate::Result<()>;
    /// A WABA's account row, if it has one.
    async fn billing_account(
        &self,
        waba: i64,
    ) -> crate::Result<Option<super::rows::BillingAccountRow>>;
}

/// Rating: the plans of sent messages, the rated ledger rows, free entry points
/// (`billing/rating.rs`). Plans are written with their message and rated by the chats
/// group commit when delivered.
#[async_trait::async_trait]
pub trait RatingStore: Send + Sync {
    /// The plan of a message to a recipient not yet rated.
    async fn pending_plan(&self, message: i64, recipient: i64) -> crate::Result<Option<String>>;
    /// How a message to a recipient was rated: (category, pricing type, pricing model).
    async fn rated_pricing(
        &self,
        message: i64,
        recipient: i64,
    ) -> crate::Result<Option<(String, String, String)>>;
    /// Rated ledger rows of a WABA (kind `message`), oldest first.
    async fn rated_entries(
        &self,
        waba: i64,
        limit: i64,
    ) -> crate::Result<Vec<super::rows::LedgerEntry>>;
    /// Plans not yet rated, of a WABA.
    async fn pending_count(&self, waba: i64) -> crate::Result<i64>;
    /// A person came to a business number from a click-to-chat ad at `at` (a new referral
    /// starts a new entry point).
    async fn put_entry_point(&self, business: i64, person: i64, at: i64) -> crate::Result<()>;
    /// A person's entry point with a business number: (referral at, first reply at).
    async fn entry_point(
        &self,
        business: i64,
        person: i64,
    ) -> crate::Result<Option<(i64, Option<i64>)>>;
    /// The business's first reply inside an entry point (kept if one was recorded).
    async fn entry_point_replied(&self, business: i64, person: i64, at: i64) -> crate::Result<()>;
}
