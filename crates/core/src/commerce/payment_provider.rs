//! Payment providers behind one trait. The built-in sandbox decides by test card at once
//! (success, decline, or pending and settled later by the commerce worker); the payment-link
//! provider sends the person to a hosted page and learns the result from a callback signed
//! with HMAC-SHA256 over the exact body.

use crate::config::CommerceConfig;
use crate::error::{Error, Result};

/// A sandbox card that succeeds.
pub const CARD_SUCCESS: &str = "4242424242424242";
/// A sandbox card that is declined.
pub const CARD_DECLINE: &str = "4000000000000002";
/// A sandbox card that stays pending, then settles.
pub const CARD_PENDING: &str = "4000000000000077";

/// What a provider is asked to charge.
#[derive(Debug, Clone)]
pub struct Charge<'a> {
    /// The payment's transaction id.
    pub transaction_id: &'a str,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: &'a str,
    /// The card number the person typed (sandbox).
    pub card: Option<&'a str>,
    /// Now, Unix ms.
    pub now: i64,
    /// Where the person comes back to after a hosted page.
    pub return_url: &'a str,
}

/// What happened when a charge started.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Paid.
    Succeeded,
    /// Refused, with the reason.
    Declined(String),
    /// Not settled yet; settles at this time (or when a callback comes).
    Pending(Option<i64>),
    /// The person finishes on this page; a signed callback reports the result.
    Redirect(String),
}

/// A payment provider.
pub trait PaymentProvider: Send + Sync {
    /// Its name, stored with each payment.
    fn name(&self) -> &'static str;
    /// Start a charge.
    fn start(&self, charge: &Charge<'_>) -> Result<Outcome>;
}

/// The built-in sandbox: test cards, no money moves.
pub struct Sandbox {
    /// Pending payments settle after this long.
    pub settle_after_ms: i64,
}

impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn start(&self, c: &Charge<'_>) -> Result<Outcome> {
        let card: String = c
            .card
            .unwrap_or_default()
            .chars()
            .filter(|ch| !ch.is_whitespace() && *ch != '-')
            .collect();
        Ok(match card.as_str() {
            CARD_SUCCESS => Outcome::Succeeded,
            CARD_DECLINE => Outcome::Declined("card_declined".into()),
            CARD_PENDING => Outcome::Pending(Some(c.now + self.settle_after_ms)),
            "" => return Err(Error::bad("enter a card number")),
            _ => Outcome::Declined("invalid_card".into()),
        })
    }
}

/// A hosted payment page: the person pays there; the page calls back, signed.
pub struct PaymentLink {
    /// The page.
    pub url: String,
}

impl PaymentProvider for PaymentLink {
    fn name(&self) -> &'static str {
        "payment_link"
    }

    fn start(&self, c: &Charge<'_>) -> Result<Outcome> {
        let mut url = url_with_query(&self.url)?;
        url.query_pairs_mut()
            .append_pair("transaction_id", c.transaction_id)
            .append_pair("amount", &c.amount.to_string())
            .append_pair("currency", c.currency)
            .append_pair("return_url", c.return_url);
        Ok(Outcome::Redirect(url.to_string()))
    }
}

fn url_with_query(base: &str) -> Result<reqwest::Url> {
    reqwest::Url::parse(base)
        .map_err(|_| Error::internal("commerce.payment_link_url is not a valid URL"))
}

/// The provider the configuration names.
pub fn provider(config: &CommerceConfig) -> Result<Box<dyn PaymentProvider>> {
    match config.payment_provider.as_str() {
        "sandbox" | "" => Ok(Box::new(Sandbox {
            settle_after_ms: config.sandbox_settle_secs as i64 * 1000,
        })),
        "payment_link" if !config.payment_link_url.is_empty() => Ok(Box::new(PaymentLink {
            url: config.payment_link_url.clone(),
        })),
        other => Err(Error::internal(format!(
            "payment provider {other:?} is not configured"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge(card: &str) -> Charge<'_> {
        Charge {
            transaction_id: "t1",
            amount: 100,
            currency: "EUR",
            card: Some(card),
            now: 1000,
            return_url: "http://x/",
        }
    }

    #[test]
    fn sandbox_cards_decide() {
        let s = Sandbox { settle_after_ms: 5 };
        assert_eq!(
            s.start(&charge("4242 4242 4242 4242")).unwrap(),
            Outcome::Succeeded
        );
        assert!(matches!(
            s.start(&charge(CARD_DECLINE)).unwrap(),
            Outcome::Declined(_)
        ));
        assert_eq!(
            s.start(&charge(CARD_PENDING)).unwrap(),
            Outcome::Pending(Some(1005))
        );
        let link = PaymentLink {
            url: "https://pay.example/checkout?shop=1".into(),
        };
        let Outcome::Redirect(u) = link.start(&charge("")).unwrap() else {
            panic!()
        };
        assert!(u.starts_with("https://pay.example/checkout?shop=1&transaction_id=t1&amount=100"));
    }
}
