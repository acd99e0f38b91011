//! Rating business messages. When a Cloud API send is accepted, billing decides its plan
//! (integration's [`SendPricing`] hook): the rule set of the day in the WABA's time zone, the
//! recipient's market, the card version, the category (authentication-international where it
//! applies) and the pricing type (free inside the customer service window or a free entry
//! point as the rules say). A send the WABA's balance and credit limit cannot cover is refused
//! (131042). The plan is stored with the message, and the chats group commit turns it into
//! one ledger row per recipient when the message is delivered (`wasla-store`'s
//! `billing::ledger`), with the month's volume tier, in the same transaction as the receipt.

use super::markets::{market_of, region_of};
use super::rows::{BillingAccountRow, ChargePlan, LedgerEntry};
use super::rules::{discounted, local_day, Rules};
use super::Billing;
use crate::cache::BoundedMap;
use crate::chats::PendingCharge;
use crate::error::{Error, Result};
use crate::integration::{
    PriceDecision, PricedSend, SendPricing, StatusPricing, SERVICE_WINDOW_MS,
};
use parking_lot::RwLock;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a WABA's account row and balance read from the store are trusted.
const ACCOUNT_TTL: Duration = Duration::from_secs(2);
/// How long a balance read from the store is trusted (sends this node accepts meanwhile are
/// taken off it at once).
const BALANCE_TTL: Duration = Duration::from_secs(1);
/// How long an entry point read from the store is trusted (a referral recorded on another
/// node counts within it).
const ENTRY_POINT_TTL: Duration = Duration::from_secs(1);
/// A business's first reply to a click-to-chat referral must come within this.
pub const ENTRY_POINT_REPLY_MS: i64 = 24 * 3600 * 1000;
/// A free entry point lasts this long from that reply.
pub const ENTRY_POINT_MS: i64 = 72 * 3600 * 1000;
/// Graph error of a send the WABA cannot pay for.
pub const PAYMENT_ERROR: i64 = 131042;

/// An entry point: when the referral came, and the business's first reply after it.
type EntryPoint = (i64, Option<i64>);

/// What rating keeps in memory.
pub(super) struct RatingState {
    /// The rule sets by date.
    pub(super) rules: Rules,
    /// Every card version (none: read again on next use).
    pub(super) cards: RwLock<Option<Arc<super::cards::CardBook>>>,
    /// WABAs' account rows, when read.
    pub(super) accounts: BoundedMap<i64, (Instant, Option<BillingAccountRow>)>,
    /// WABAs' balances: when read, and the balance less what was accepted since.
    balances: BoundedMap<i64, (Instant, i64)>,
    /// Entry points by (number, person), when read: (referral at, first reply at).
    entry_points: BoundedMap<(i64, i64), (Instant, Option<EntryPoint>)>,
}

impl RatingState {
    /// Rules from `rules_file` (built in when empty or unreadable, with an error logged).
    pub(super) fn new(rules_file: &str) -> RatingState {
        let rules = Rules::load(rules_file).unwrap_or_else(|e| {
            tracing::error!(error = %e, "billing rules not loaded; using the built-in rules");
            Rules::load("").expect("the built-in rules parse")
        });
        RatingState {
            rules,
            cards: RwLock::new(None),
            accounts: BoundedMap::default(),
            balances: BoundedMap::default(),
            entry_points: BoundedMap::default(),
        }
    }
}

impl Billing {
    /// A WABA's account row (`None`: rated on the default card, unlimited), cached briefly.
    async fn rating_account(&self, waba: i64) -> Result<Option<BillingAccountRow>> {
        if let Some((at, row)) = self.rating.accounts.get(&waba) {
            if at.elapsed() < ACCOUNT_TTL {
                return Ok(row);
            }
        }
        let row = self.store.billing_account(waba).await?;
        self.rating
            .accounts
            .put(waba, (Instant::now(), row.clone()));
        Ok(row)
    }

    /// Forget what this node remembers of a WABA's account and balance (after a change).
    pub fn forget_rating_account(&self, waba: i64) {
        self.rating.accounts.with(|m| m.remove(&waba));
        self.rating.balances.with(|m| m.remove(&waba));
    }

    /// Take `cost` off the WABA's balance if the balance and `limit` cover it.
    async fn reserve(&self, waba: i64, cost: i64, limit: i64) -> Result<bool> {
        let balance = match self.rating.balances.get(&waba) {
            Some((at, b)) if at.elapsed() < BALANCE_TTL => (at, b),
            _ => (Instant::now(), self.store.balance_micros(waba, None).await?),
        };
        if balance.1 - cost < -limit.max(0) {
            self.rating.balances.put(waba, balance);
            return Ok(false);
        }
        self.rating
            .balances
            .put(waba, (balance.0, balance.1 - cost));
        Ok(true)
    }

    /// A person came to a business number from a click-to-chat ad (an inbound message with a
    /// `referral`) at `at`: if the business replies within 24 hours, what it sends for 72
    /// hours from that reply is free.
    pub async fn open_entry_point(&self, number_id: i64, person_id: i64, at: i64) -> Result<()> {
        self.store.put_entry_point(number_id, person_id, at).await?;
        self.rating
            .entry_points
            .with(|m| m.remove(&(number_id, person_id)));
        Ok(())
    }

    /// Whether a send now falls in a free entry point (recording the first reply).
    async fn in_entry_point(&self, number: i64, person: i64, now: i64) -> Result<bool> {
        let key = (number, person);
        let point = match self.rating.entry_points.get(&key) {
            Some((at, point)) if at.elapsed() < ENTRY_POINT_TTL => point,
            _ => {
                let point = self.store.entry_point(number, person).await?;
                self.rating.entry_points.put(key, (Instant::now(), point));
                point
            }
        };
        let Some((referral, replied)) = point else {
            return Ok(false);
        };
        match replied {
            Some(r) => Ok(now >= r && now - r < ENTRY_POINT_MS),
            None if now >= referral && now - referral < ENTRY_POINT_REPLY_MS => {
                self.store.entry_point_replied(number, person, now).await?;
                self.rating.entry_points.with(|m| m.remove(&key));
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// A WABA's rated messages, oldest first (at most `limit`).
    pub async fn rated_messages(&self, waba: i64, limit: i64) -> Result<Vec<LedgerEntry>> {
        self.store
            .rated_entries(waba, limit.clamp(1, 100_000))
            .await
    }

    /// Plans of a WABA's messages not yet rated (sent, not delivered).
    pub async fn unrated_count(&self, waba: i64) -> Result<i64> {
        self.store.pending_count(waba).await
    }

    /// The plan of one send.
    async fn plan(&self, send: &PricedSend<'_>, waba: i64) -> Result<PriceDecision> {
        let account = self.rating_account(waba).await?;
        let tz = account.as_ref().map_or("UTC", |a| a.timezone.as_str());
        let day = local_day(send.now, tz);
        let rules = self.rating.rules.at(day);
        let country = region_of(send.recipient_wa_id);
        let market = market_of(&country);
        let book = self.card_book().await?;
        let card_name = account
            .as_ref()
            .map_or(super::cards::DEFAULT_CARD, |a| a.card_name.as_str());
        let card = book.card(card_name, day);
        let mut category = send.category.unwrap_or("service").to_string();
        if category == "authentication"
            && rules.authentication_international
            && card.is_some_and(|c| c.prices(market, "authentication_international"))
            && region_of(&send.number.wa_id) != country
        {
            category = "authentication_international".into();
        }
        let in_window = send
            .last_inbound
            .is_some_and(|t| send.now - t < SERVICE_WINDOW_MS);
        // A free entry point needs a referral, which is an inbound message: none without one
        // in the last 96 hours.
        let may_have_entry_point = rules.free_entry_point
            && send
                .last_inbound
                .is_some_and(|t| send.now - t < ENTRY_POINT_REPLY_MS + ENTRY_POINT_MS);
        let free_entry = may_have_entry_point
            && self
                .in_entry_point(send.number.id, send.recipient_id, send.now)
                .await?;
        let (pricing_type, reported) = if free_entry {
            ("free_entry_point", "referral_conversion".to_string())
        } else if category == "service"
            || (category == "utility" && in_window && rules.utility_free_in_window)
        {
            ("free_customer_service", category.clone())
        } else {
            ("regular", category.clone())
        };
        let tiers: Vec<(i64, i64)> = match (pricing_type, card) {
            ("regular", Some(c)) => c.tiers(market, &category).unwrap_or_default().to_vec(),
            _ => vec![],
        };
        let service_allowance = (pricing_type == "free_customer_service" && category == "service")
            .then_some(rules.service_free_per_month)
            .flatten();
        let overage_micros = match (service_allowance, card) {
            (Some(_), Some(c)) => c
                .tiers(market, "utility")
                .and_then(|t| t.first())
                .map_or(0, |t| t.1),
            _ => 0,
        };
        let discount_bp = account.as_ref().map_or(0, |a| a.discount_bp);
        // The most a delivery can cost: the base rate (tiers only lower it). Service messages
        // past a monthly allowance are known only at delivery, so they are not checked here.
        let cost = tiers.first().map_or(0, |t| t.1);
        let cost = discounted(cost, discount_bp);
        if let Some(limit) = account.as_ref().and_then(|a| a.credit_limit_micros) {
            if cost > 0 && !self.reserve(waba, cost, limit).await? {
                return Ok(PriceDecision::Refuse(PAYMENT_ERROR));
            }
        }
        let plan = ChargePlan {
            ledger_id: self.ground.ids.next(),
            waba_id: waba,
            phone_number_id: send.number.id,
            country,
            market: market.to_string(),
            category: reported,
            pricing_type: pricing_type.to_string(),
            pricing_model: rules.pricing_model.clone(),
            card_id: card.map(|c| c.card.id),
            template_id: send.template_id,
            currency: card.map_or_else(|| "USD".to_string(), |c| c.card.currency.clone()),
            tiers,
            discount_bp,
            timezone: tz.to_string(),
            service_allowance,
            overage_micros,
        };
        Ok(PriceDecision::Charge(vec![PendingCharge {
            recipient_id: send.recipient_id,
            waba_id: waba,
            plan: serde_json::to_string(&plan).map_err(Error::internal)?,
        }]))
    }
}

#[async_trait::async_trait]
impl SendPricing for Billing {
    async fn decide(&self, send: &PricedSend<'_>) -> Result<PriceDecision> {
        match send.number.waba_id {
            Some(waba) if self.ground.config.billing.rating => self.plan(send, waba).await,
            _ => Ok(PriceDecision::Charge(vec![])),
        }
    }

    async fn status_pricing(
        &self,
        message_id: i64,
        recipient_id: i64,
    ) -> Result<Option<StatusPricing>> {
        let facts = |category: String, kind: String, model: String| StatusPricing {
            billable: kind == "regular",
            pricing_model: model,
            kind,
            category,
        };
        if let Some(plan) = self.store.pending_plan(message_id, recipient_id).await? {
            let plan: ChargePlan = serde_json::from_str(&plan).map_err(Error::internal)?;
            return Ok(Some(facts(
                plan.category,
                plan.pricing_type,
                plan.pricing_model,
            )));
        }
        Ok(self
            .store
            .rated_pricing(message_id, recipient_id)
            .await?
            .map(|(c, k, m)| facts(c, k, m)))
    }
}
