//! Business access tokens and tenancy: the WABA a token acts for (trusted in memory for
//! [`TOKEN_TTL`]; revoking one on this node forgets them all at once, other nodes within the
//! TTL), and the phone numbers a WABA owns (a number that sends through the Cloud API is
//! trusted for [`TOKEN_TTL`] too, so a profile change shows in new sends within it).

use super::Business;
use crate::accounts::{AccountKind, AccountRow};
use crate::error::{Error, Result};
use crate::ids::{parse_id, token_hash};
use std::time::{Duration, Instant};

/// How long a business token's WABA, or a sending number's row, is trusted.
pub const TOKEN_TTL: Duration = Duration::from_secs(2);

impl Business {
    /// The WABA a business access token acts for (Graph 190 otherwise).
    pub async fn waba_for_token(&self, token: &str) -> Result<i64> {
        self.cached_business_token(&token_hash(token))
            .await?
            .ok_or_else(|| {
                Error::graph(
                    190,
                    401,
                    "Invalid OAuth access token",
                    "The access token is invalid, expired or revoked.",
                )
            })
    }

    async fn cached_business_token(&self, token_hash: &str) -> Result<Option<i64>> {
        if let Some((at, waba)) = self.tokens.get(token_hash) {
            if at.elapsed() < TOKEN_TTL {
                return Ok(Some(waba));
            }
        }
        let found = self.store.business_token(token_hash).await?;
        if let Some(waba) = found {
            self.tokens
                .put(token_hash.to_string(), (Instant::now(), waba));
        }
        Ok(found)
    }

    /// Forget every cached token (after a revocation).
    pub(super) fn forget_tokens(&self) {
        self.tokens.clear();
    }

    /// A phone number the WABA owns. Anything else, another tenant's number included, is the
    /// same "does not exist" error, so nothing leaks.
    pub async fn owned_number(&self, waba_id: i64, phone_number_id: &str) -> Result<AccountRow> {
        let missing = || Error::unknown_object(phone_number_id);
        let id = parse_id(phone_number_id).ok_or_else(missing)?;
        match self.accounts.account(id).await? {
            Some(a) if a.kind == AccountKind::Business && a.waba_id == Some(waba_id) => Ok(a),
            _ => Err(missing()),
        }
    }

    /// [`Business::owned_number`] for the Cloud API's hot path, from memory when recent.
    pub async fn sending_number(&self, waba_id: i64, phone_number_id: &str) -> Result<AccountRow> {
        let id = parse_id(phone_number_id);
        if let Some((at, row)) = id.and_then(|id| self.numbers.get(&id)) {
            if at.elapsed() < TOKEN_TTL && row.waba_id == Some(waba_id) {
                return Ok(row);
            }
        }
        let row = self.owned_number(waba_id, phone_number_id).await?;
        self.numbers.put(row.id, (Instant::now(), row.clone()));
        Ok(row)
    }
}
