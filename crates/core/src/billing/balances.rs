//! Balances: each WABA's billing account (a prepaid balance, or a credit limit, in its card's
//! currency; the low-balance threshold; the time zone its months follow), its balance as the
//! sum of its ledger, and the operator's top-ups and adjustments, which are ledger entries
//! carrying who made them and why. Amounts come in as minor units or exact decimal strings
//! (`amounts.rs`) and are kept in micros.

use super::amounts::{format_micros, parse_amount};
use super::rows::{BillingAccountRow, LedgerEntry};
use super::Billing;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use wasla_types::billing::{
    BillingAccount, BillingTerms, LedgerEntry as LedgerView, LedgerPage, LowBalance, NewLedgerEntry,
};

/// Longest note or actor name kept with a top-up or adjustment.
const MAX_NOTE_CHARS: usize = 500;
/// Ledger entries per page unless asked otherwise, and at most.
const PAGE: (i64, i64) = (50, 500);

impl Billing {
    /// A WABA's id from the path, checked to exist (404 otherwise).
    pub async fn billed_waba(&self, id: &str) -> Result<i64> {
        Ok(self.business.waba(id).await?.id)
    }

    /// The balance of a WABA in micros: the sum of its ledger.
    pub async fn balance(&self, waba_id: i64) -> Result<i64> {
        self.store.balance_micros(waba_id, None).await
    }

    /// A WABA's billing account with its balance, as the admin API and the console show it.
    pub async fn billing_account(&self, waba_id: i64) -> Result<BillingAccount> {
        let (row, currency) = self.store.balance_account(waba_id).await?;
        let balance = self.balance(waba_id).await?;
        Ok(account_view(&row, &currency, balance))
    }

    /// Change a WABA's credit limit, low-balance threshold or time zone; the warning is
    /// checked again at once against the new terms.
    pub async fn set_billing_terms(
        &self,
        waba_id: i64,
        terms: BillingTerms,
    ) -> Result<BillingAccount> {
        let (row, currency) = self.store.balance_account(waba_id).await?;
        let credit_limit = match &terms.credit_limit {
            None => row.credit_limit_micros,
            Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s == "none" => None,
            Some(v) => {
                let limit = parse_amount("credit_limit", v, &currency)?;
                if limit < 0 {
                    return Err(Error::bad("credit_limit: must not be negative"));
                }
                Some(limit)
            }
        };
        let threshold = match &terms.low_balance_threshold {
            None => row.low_balance_micros,
            Some(v) => parse_amount("low_balance_threshold", v, &currency)?,
        };
        let timezone = match terms.timezone {
            None => row.timezone.clone(),
            Some(tz) => {
                if tz.parse::<chrono_tz::Tz>().is_err() {
                    return Err(Error::bad(format!(
                        "timezone: {tz:?} is not an IANA time zone (such as \"Europe/Berlin\")"
                    )));
                }
                tz
            }
        };
        self.store
            .save_balance_terms(
                waba_id,
                credit_limit,
                threshold,
                &timezone,
                self.ground.now(),
            )
            .await?;
        self.forget_rating_account(waba_id);
        self.check_low_balance(waba_id).await?;
        self.billing_account(waba_id).await
    }

    /// Credit a WABA's balance (`kind` `top_up`, positive) or correct it (`adjustment`, either
    /// sign), recorded with who made it and why; the low-balance warning is checked at once.
    pub async fn post_credit(
        &self,
        waba_id: i64,
        kind: &str,
        body: NewLedgerEntry,
        actor: &str,
    ) -> Result<LedgerView> {
        let (_, currency) = self.store.balance_account(waba_id).await?;
        let amount = parse_amount("amount", &body.amount, &currency)?;
        match kind {
            "top_up" if amount <= 0 => {
                return Err(Error::bad(
                    "amount: a top-up must be positive (use an adjustment to take money off)",
                ))
            }
            "adjustment" if amount == 0 => {
                return Err(Error::bad("amount: an adjustment must not be zero"))
            }
            "top_up" | "adjustment" => {}
            _ => return Err(Error::bad(format!("kind: {kind:?} is not a credit"))),
        }
        let note = clean_text("note", body.note)?;
        let by = clean_text("actor", body.actor)?;
        let actor = match by {
            Some(name) => format!("{actor} ({name})"),
            None => actor.to_string(),
        };
        let entry = LedgerEntry {
            id: self.ground.ids.next(),
            waba_id,
            kind: kind.to_string(),
            message_id: None,
            recipient_id: None,
            phone_number_id: None,
            country: None,
            market: None,
            category: None,
            pricing_type: None,
            tier: None,
            card_id: None,
            template_id: None,
            amount_micros: amount,
            currency,
            note,
            actor: Some(actor),
            at: self.ground.now(),
        };
        self.store
            .append_ledger_entries(std::slice::from_ref(&entry))
            .await?;
        self.forget_rating_account(waba_id);
        self.check_low_balance(waba_id).await?;
        Ok(ledger_view(&entry))
    }

    /// Append ledger entries exactly as given (imports, and tests that seed a month of
    /// charges; rated messages are written by the delivery commit instead), then check the
    /// WABAs' low-balance warnings.
    pub async fn append_ledger(&self, entries: &[LedgerEntry]) -> Result<()> {
        self.store.append_ledger_entries(entries).await?;
        let mut wabas: Vec<i64> = entries.iter().map(|e| e.waba_id).collect();
        wabas.sort_unstable();
        wabas.dedup();
        for waba in wabas {
            self.forget_rating_account(waba);
            self.check_low_balance(waba).await?;
        }
        Ok(())
    }

    /// A page of a WABA's ledger, newest first, older than the entry id `before`.
    pub async fn ledger_page(
        &self,
        waba_id: i64,
        before: Option<&str>,
        limit: Option<i64>,
    ) -> Result<LedgerPage> {
        let before = match before.filter(|b| !b.is_empty()) {
            Some(b) => Some(
                parse_id(b)
                    .ok_or_else(|| Error::bad(format!("before: {b:?} is not an entry id")))?,
            ),
            None => None,
        };
        let limit = limit.unwrap_or(PAGE.0);
        if !(1..=PAGE.1).contains(&limit) {
            return Err(Error::bad(format!("limit: give 1 to {}", PAGE.1)));
        }
        let rows = self
            .store
            .ledger_entries(waba_id, before, limit + 1)
            .await?;
        let more = rows.len() as i64 > limit;
        let data: Vec<LedgerView> = rows.iter().take(limit as usize).map(ledger_view).collect();
        let next_before = more.then(|| data.last().map(|e| e.id.clone())).flatten();
        Ok(LedgerPage { data, next_before })
    }
}

/// A note or name: trimmed, at most [`MAX_NOTE_CHARS`], no control characters.
fn clean_text(field: &str, text: Option<String>) -> Result<Option<String>> {
    let Some(t) = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::bad(format!(
            "{field}: at most {MAX_NOTE_CHARS} characters"
        )));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Error::bad(format!(
            "{field}: control characters are not allowed"
        )));
    }
    Ok(Some(t))
}

/// What can be spent: balance plus credit limit (`None` with no limit).
pub(super) fn available(row: &BillingAccountRow, balance: i64) -> Option<i64> {
    row.credit_limit_micros.map(|l| balance.saturating_add(l))
}

/// The account as the APIs show it.
fn account_view(row: &BillingAccountRow, currency: &str, balance: i64) -> BillingAccount {
    let available = available(row, balance);
    let low_balance = row.low_balance_warned_at.map(|since| LowBalance {
        since,
        message: format!(
            "Your balance is low: {} {currency} left to spend (warning below {} {currency}). \
             Top up to keep sending paid messages.",
            format_micros(available.unwrap_or(balance), currency),
            format_micros(row.low_balance_micros, currency),
        ),
    });
    BillingAccount {
        waba_id: row.waba_id.to_string(),
        currency: currency.to_string(),
        balance_micros: balance,
        balance: format_micros(balance, currency),
        credit_limit_micros: row.credit_limit_micros,
        available_micros: available,
        low_balance_threshold_micros: row.low_balance_micros,
        low_balance,
        timezone: row.timezone.clone(),
    }
}

/// One ledger entry as the APIs show it.
pub(super) fn ledger_view(e: &LedgerEntry) -> LedgerView {
    LedgerView {
        id: e.id.to_string(),
        kind: e.kind.clone(),
        amount_micros: e.amount_micros,
        amount: format_micros(e.amount_micros, &e.currency),
        currency: e.currency.clone(),
        category: e.category.clone(),
        market: e.market.clone(),
        note: e.note.clone(),
        actor: e.actor.clone(),
        at: e.at,
    }
}
