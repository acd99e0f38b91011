//! The hook through which a domain above prices business messages (billing registers it):
//! when a Cloud API send is accepted it decides what delivering it will cost each recipient,
//! or that the WABA cannot pay for it (the send then fails with 131042), and it tells status
//! webhooks the `pricing` object the message was rated with.

use crate::accounts::AccountRow;
use crate::chats::PendingCharge;
use crate::error::Result;

/// A business send about to be committed, as pricing sees it.
#[derive(Debug, Clone)]
pub struct PricedSend<'a> {
    /// The business number sending.
    pub number: &'a AccountRow,
    /// The person it goes to.
    pub recipient_id: i64,
    /// Their wa_id.
    pub recipient_wa_id: &'a str,
    /// The template's category (lowercase), `None` for a free-form (service) message.
    pub category: Option<&'a str>,
    /// The template sent.
    pub template_id: Option<i64>,
    /// The person's last message to the number, Unix ms.
    pub last_inbound: Option<i64>,
    /// Now, Unix ms.
    pub now: i64,
}

/// What pricing decided about a send.
#[derive(Debug, Clone)]
pub enum PriceDecision {
    /// Commit it; each delivery is rated by its charge.
    Charge(Vec<PendingCharge>),
    /// Accept it and then fail it with this Graph error code (131042: cannot be paid for).
    Refuse(i64),
}

/// The `pricing` object of a status webhook, as the message was (or will be) rated.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusPricing {
    /// Whether it costs anything.
    pub billable: bool,
    /// `PMP` or `CBP`.
    pub pricing_model: String,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    pub kind: String,
    /// Pricing category.
    pub category: String,
}

/// Prices business messages. Registered once, when the context is built.
#[async_trait::async_trait]
pub trait SendPricing: Send + Sync {
    /// Decide what a send costs, or refuse it.
    async fn decide(&self, send: &PricedSend<'_>) -> Result<PriceDecision>;
    /// The pricing of a message to a recipient, if it was priced.
    async fn status_pricing(
        &self,
        message_id: i64,
        recipient_id: i64,
    ) -> Result<Option<StatusPricing>>;
}

impl super::Integration {
    /// What a send to `person` costs, by the registered pricing (free and unrated without one).
    pub(super) async fn price_send(
        &self,
        number: &AccountRow,
        person: &crate::accounts::Identity,
        category: Option<&str>,
        template_id: Option<i64>,
        last_inbound: Option<i64>,
    ) -> Result<PriceDecision> {
        let Some(pricing) = self.pricing.get() else {
            return Ok(PriceDecision::Charge(vec![]));
        };
        pricing
            .decide(&PricedSend {
                number,
                recipient_id: person.id,
                recipient_wa_id: &person.wa_id,
                category,
                template_id,
                last_inbound,
                now: self.ground.now(),
            })
            .await
    }

    /// The `pricing` of a status webhook: as rated when the message was priced, else by the
    /// category and the window (`in_window`).
    pub(super) async fn status_pricing(
        &self,
        message_id: Option<i64>,
        recipient_id: Option<i64>,
        category: &str,
        in_window: bool,
    ) -> Result<StatusPricing> {
        if let (Some(pricing), Some(m), Some(r)) = (self.pricing.get(), message_id, recipient_id) {
            if let Some(p) = pricing.status_pricing(m, r).await? {
                return Ok(p);
            }
        }
        Ok(super::render::pricing_for(category, in_window))
    }
}
