//! Rate cards: versions by name and effective date, imported from CSV (refused whole, with a
//! report per row, when anything is wrong), exported in the same layout, the default card
//! loaded from `data/rate-cards/` when there is none, and the card and discount each WABA is
//! rated with. Rating reads the cards from memory ([`CardBook`]), reloaded after an import.

use super::card_csv::{parse_card, render_card, RowProblem};
use super::markets::OTHER;
use super::rows::{RateCard, RateRow};
use super::Billing;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The name of the card WABAs without an override are rated on.
pub const DEFAULT_CARD: &str = "default";
/// The card shipped with Wasla.
const DEFAULT_CSV: &str = include_str!("../../../../data/rate-cards/meta-usd-2025-07.csv");
/// Where the shipped card's rates come from.
const DEFAULT_SOURCE: &str =
    "Meta WhatsApp Business Platform rate card, USD, effective 2025-07-01 (data/rate-cards/README.md)";
/// The day the shipped card takes effect.
const DEFAULT_FROM: &str = "2025-07-01";

/// An import that was refused: what is wrong, line by line.
#[derive(Debug, Clone, Serialize)]
pub struct CardRejected {
    /// Every problem found.
    pub problems: Vec<RowProblem>,
}

/// A card version with its rates by (market, category), tiers ascending.
#[derive(Debug, Clone)]
pub struct LoadedCard {
    /// The version.
    pub card: RateCard,
    /// (market, category) → [(tier_from, micros)].
    pub rates: HashMap<(String, String), Vec<(i64, i64)>>,
}

impl LoadedCard {
    fn new(card: RateCard, rows: Vec<RateRow>) -> LoadedCard {
        let mut rates: HashMap<(String, String), Vec<(i64, i64)>> = HashMap::new();
        for r in rows {
            rates
                .entry((r.market, r.category))
                .or_default()
                .push((r.tier_from, r.rate_micros));
        }
        for tiers in rates.values_mut() {
            tiers.sort();
        }
        LoadedCard { card, rates }
    }

    /// The tiers of a category in a market, or `Other`'s when the market has none.
    pub fn tiers(&self, market: &str, category: &str) -> Option<&[(i64, i64)]> {
        self.rates
            .get(&(market.to_string(), category.to_string()))
            .or_else(|| self.rates.get(&(OTHER.to_string(), category.to_string())))
            .map(|v| v.as_slice())
    }

    /// Whether the market itself prices the category (no `Other` fallback).
    pub fn prices(&self, market: &str, category: &str) -> bool {
        self.rates
            .contains_key(&(market.to_string(), category.to_string()))
    }

    /// The first day it applies.
    pub fn day(&self) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(self.card.effective_from)
            .unwrap_or_default()
            .date_naive()
    }
}

/// Every card version, as rating reads them.
#[derive(Debug, Default)]
pub struct CardBook {
    cards: Vec<LoadedCard>,
}

impl CardBook {
    /// The version of card `name` in force on `day`, or of the default card when `name` has
    /// none then.
    pub fn card(&self, name: &str, day: NaiveDate) -> Option<&LoadedCard> {
        let pick = |n: &str| {
            self.cards
                .iter()
                .filter(|c| c.card.name == n && c.day() <= day)
                .max_by_key(|c| c.card.effective_from)
        };
        pick(name).or_else(|| pick(DEFAULT_CARD))
    }
}

/// A card version as listed (rates counted).
#[derive(Debug, Clone, Serialize)]
pub struct CardSummary {
    /// The version.
    #[serde(flatten)]
    pub card: RateCard,
    /// How many rates it has.
    pub rows: usize,
}

impl Billing {
    /// Every card version in memory, read from the store on first use and after an import.
    pub(super) async fn card_book(&self) -> Result<Arc<CardBook>> {
        if let Some(book) = self.rating.cards.read().clone() {
            return Ok(book);
        }
        let mut cards = vec![];
        for card in self.store.cards().await? {
            let rows = self.store.card_rows(card.id).await?;
            cards.push(LoadedCard::new(card, rows));
        }
        let book = Arc::new(CardBook { cards });
        *self.rating.cards.write() = Some(book.clone());
        Ok(book)
    }

    /// Load the shipped card as `default` when there is no default card (at start).
    pub async fn ensure_default_card(&self) -> Result<()> {
        if self
            .store
            .cards()
            .await?
            .iter()
            .any(|c| c.name == DEFAULT_CARD)
        {
            return Ok(());
        }
        match self
            .import_card(DEFAULT_CARD, DEFAULT_FROM, DEFAULT_SOURCE, DEFAULT_CSV)
            .await
        {
            Ok(_) | Err(Error::Conflict(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Import a card version from CSV: refused whole when any row is wrong or a required
    /// category is unpriced somewhere without an `Other` row (`Err(Ok(report))`).
    pub async fn import_card_checked(
        &self,
        name: &str,
        effective_from: &str,
        source: &str,
        csv: &str,
    ) -> Result<std::result::Result<CardSummary, CardRejected>> {
        let name = name.trim();
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::bad("name: 1 to 64 letters, digits, '-' or '_'"));
        }
        let day = NaiveDate::parse_from_str(effective_from.trim(), "%Y-%m-%d")
            .map_err(|_| Error::bad("effective_from: a date, YYYY-MM-DD"))?;
        if source.trim().is_empty() || source.len() > 500 {
            return Err(Error::bad(
                "source: say where the rates come from (≤ 500 characters)",
            ));
        }
        let parsed = match parse_card(csv) {
            Ok(p) => p,
            Err(problems) => return Ok(Err(CardRejected { problems })),
        };
        let card = RateCard {
            id: self.ground.ids.next(),
            name: name.to_string(),
            currency: parsed.currency,
            effective_from: day
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp_millis(),
            source: source.trim().to_string(),
            created_at: self.ground.now(),
        };
        self.store
            .insert_card(&card, &parsed.rows)
            .await
            .map_err(|e| match e {
                Error::Conflict(_) => {
                    Error::Conflict(format!("card {name} already has a version from {day}"))
                }
                e => e,
            })?;
        *self.rating.cards.write() = None;
        Ok(Ok(CardSummary {
            rows: parsed.rows.len(),
            card,
        }))
    }

    /// [`Billing::import_card_checked`] with a refusal as a bad request naming every problem.
    pub async fn import_card(
        &self,
        name: &str,
        effective_from: &str,
        source: &str,
        csv: &str,
    ) -> Result<CardSummary> {
        match self
            .import_card_checked(name, effective_from, source, csv)
            .await?
        {
            Ok(s) => Ok(s),
            Err(r) => Err(Error::bad(
                r.problems
                    .iter()
                    .map(|p| format!("line {}: {}", p.line, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
        }
    }

    /// Every card version, oldest first.
    pub async fn list_cards(&self) -> Result<Vec<CardSummary>> {
        let book = self.card_book().await?;
        Ok(book
            .cards
            .iter()
            .map(|c| CardSummary {
                card: c.card.clone(),
                rows: c.rates.values().map(|v| v.len()).sum(),
            })
            .collect())
    }

    /// A card version as CSV, in the import layout.
    pub async fn export_card(&self, card_id: i64) -> Result<(RateCard, String)> {
        let card = self
            .store
            .cards()
            .await?
            .into_iter()
            .find(|c| c.id == card_id)
            .ok_or_else(|| Error::not_found(format!("no rate card {card_id}")))?;
        let rows = self.store.card_rows(card_id).await?;
        let text = render_card(&card.currency, &rows);
        Ok((card, text))
    }

    /// Rate a WABA on card `card_name` with a discount in basis points (0 to 10,000).
    pub async fn set_pricing_terms(
        &self,
        waba_id: i64,
        card_name: &str,
        discount_bp: i64,
    ) -> Result<()> {
        if !(0..=10_000).contains(&discount_bp) {
            return Err(Error::bad("discount_bp: 0 to 10000"));
        }
        let book = self.card_book().await?;
        if !book.cards.iter().any(|c| c.card.name == card_name) {
            return Err(Error::bad(format!("no rate card named {card_name:?}")));
        }
        self.store
            .save_pricing_terms(waba_id, card_name, discount_bp, self.ground.now())
            .await?;
        self.rating.accounts.clear();
        Ok(())
    }
}
