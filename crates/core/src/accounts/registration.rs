//! People: registration by verification code, sessions, profiles and lookup by number.
//!
//! Code requests and wrong guesses are throttled per number and per client address over a
//! day (`crate::throttle`, kept in the store): deleting or burning a code resets nothing, and
//! the waits grow with every request or wrong guess, so neither a person's account nor the
//! operator's SMS bill is open to brute force. A successful sign-in clears its number's
//! counts, never its address's.

use super::Accounts;
use super::{AccountKind, AccountRow, CodeRow, SessionRow};
use crate::bus::{BusMessage, Topic};
use crate::error::{Error, Result};
use crate::ids::{new_token, token_hash};
use crate::phone::normalize;
use crate::throttle::{address_key, Rule, LONGEST_WINDOW_MS};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::Rng;
use std::net::IpAddr;
use std::sync::Arc;
use wasla_types::client::{Account, Event, ProfileUpdate, Session};

/// How long a verification code is valid.
const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// Wrong guesses before a code is burnt.
const CODE_MAX_ATTEMPTS: i64 = 5;
/// A minute, in ms.
const MIN: i64 = 60_000;
/// Codes for one number: the second 30 s after the first, then 1 min, 5 min, then an hour
/// between any two, counted over a day.
const CODE_REQUESTS_PER_NUMBER: Rule = Rule {
    scope: "code_request_number",
    what: "verification codes for this number",
    window_ms: LONGEST_WINDOW_MS,
    free: 1,
    waits_ms: &[MIN / 2, MIN, 5 * MIN, 60 * MIN],
};
/// Codes asked from one address (people behind one NAT share it): 20 a day freely, then
/// 1 min, 5 min, 15 min, then an hour between any two.
const CODE_REQUESTS_PER_ADDRESS: Rule = Rule {
    scope: "code_request_address",
    what: "verification codes requested from this address",
    window_ms: LONGEST_WINDOW_MS,
    free: 20,
    waits_ms: &[MIN, 5 * MIN, 15 * MIN, 60 * MIN],
};
/// Wrong guesses for one number, across its codes: ten (two codes' worth), then 1 min,
/// 5 min, 30 min, 1 h, then 4 h between any two, counted over a day.
const GUESSES_PER_NUMBER: Rule = Rule {
    scope: "code_guess_number",
    what: "wrong codes for this number",
    window_ms: LONGEST_WINDOW_MS,
    free: 10,
    waits_ms: &[MIN, 5 * MIN, 30 * MIN, 60 * MIN, 240 * MIN],
};
/// Wrong guesses from one address, across numbers: thirty, then 1 min, 5 min, 15 min, then
/// an hour between any two, counted over a day.
const GUESSES_PER_ADDRESS: Rule = Rule {
    scope: "code_guess_address",
    what: "wrong codes from this address",
    window_ms: LONGEST_WINDOW_MS,
    free: 30,
    waits_ms: &[MIN, 5 * MIN, 15 * MIN, 60 * MIN],
};
/// Longest display name.
const MAX_NAME_CHARS: usize = 64;
/// Longest about line.
const MAX_ABOUT_CHARS: usize = 139;

impl Accounts {
    /// Send a verification code to a number, asked from address `from`; returns the
    /// normalised number. Refused, saying when to ask again, when the number or the address
    /// asked too often.
    pub async fn request_code(
        self: &Arc<Self>,
        phone: &str,
        from: IpAddr,
    ) -> Result<crate::phone::Phone> {
        let phone = normalize(phone)?;
        let address = address_key(from);
        self.ground
            .throttles
            .take(&[
                (&CODE_REQUESTS_PER_NUMBER, &phone.e164),
                (&CODE_REQUESTS_PER_ADDRESS, &address),
            ])
            .await?;
        let now = self.ground.now();
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
        let code_hash = Argon2::default()
            .hash_password(code.as_bytes(), &SaltString::generate(&mut OsRng))
            .map_err(Error::internal)?
            .to_string();
        self.store
            .put_code(&CodeRow {
                phone: phone.e164.clone(),
                code_hash,
                expires_at: now + CODE_TTL_MS,
                attempts: 0,
                sent_at: now,
            })
            .await?;
        let sender = self.codes.clone();
        let (e164, wa_id) = (phone.e164.clone(), phone.wa_id.clone());
        tokio::spawn(async move { sender.send(&e164, &wa_id, &code).await });
        Ok(phone)
    }

    /// Check a code guessed from address `from` and open a session, creating the account on
    /// first sign-in. Refused, saying when to try again, after too many wrong guesses for the
    /// number or from the address.
    pub async fn verify_code(
        &self,
        phone: &str,
        code: &str,
        device: Option<&str>,
        from: IpAddr,
    ) -> Result<Session> {
        let phone = normalize(phone)?;
        let wrong = || Error::Unauthorized("wrong or expired code".into());
        let row = self.store.code(&phone.e164).await?.ok_or_else(wrong)?;
        if row.expires_at <= self.ground.now() || row.attempts >= CODE_MAX_ATTEMPTS {
            self.store.delete_code(&phone.e164).await?;
            return Err(wrong());
        }
        // Counted as wrong until it proves right, so racing guesses cannot slip past.
        let throttles = &self.ground.throttles;
        let guess = throttles
            .take(&[
                (&GUESSES_PER_NUMBER, &phone.e164),
                (&GUESSES_PER_ADDRESS, &address_key(from)),
            ])
            .await?;
        let hash = PasswordHash::new(&row.code_hash).map_err(Error::internal)?;
        if Argon2::default()
            .verify_password(code.trim().as_bytes(), &hash)
            .is_err()
        {
            self.store.bump_code_attempts(&phone.e164).await?;
            return Err(wrong());
        }
        throttles.give_back(guess).await?;
        throttles.clear(&GUESSES_PER_NUMBER, &phone.e164).await?;
        throttles
            .clear(&CODE_REQUESTS_PER_NUMBER, &phone.e164)
            .await?;
        self.store.delete_code(&phone.e164).await?;
        let (account, new_account) = match self.store.account_by_wa_id(&phone.wa_id).await? {
            Some(a) if a.kind == AccountKind::Business => {
                return Err(Error::Conflict("this number belongs to a business".into()))
            }
            Some(a) => (a, false),
            None => (self.create_person(&phone, "").await?, true),
        };
        self.open_session(account, new_account, device.unwrap_or("web"))
            .await
    }

    /// Create a person account for a normalised number.
    pub(crate) async fn create_person(
        &self,
        phone: &crate::phone::Phone,
        name: &str,
    ) -> Result<AccountRow> {
        let row = AccountRow {
            id: self.ground.ids.next(),
            kind: AccountKind::Person,
            wa_id: phone.wa_id.clone(),
            phone: phone.e164.clone(),
            display_name: clean_text(name, MAX_NAME_CHARS, "display name")?,
            about: "Hey there! I am using Wasla.".into(),
            photo: None,
            verified_name: None,
            waba_id: None,
            last_seen: None,
            created_at: self.ground.now(),
        };
        self.store.create_account(&row).await?;
        Ok(row)
    }

    /// Issue a session token for an account.
    pub(crate) async fn open_session(
        &self,
        account: AccountRow,
        new_account: bool,
        device: &str,
    ) -> Result<Session> {
        let token = new_token();
        let session = SessionRow {
            id: self.ground.ids.next(),
            account_id: account.id,
            device: device.chars().take(100).collect(),
            created_at: self.ground.now(),
        };
        self.store
            .create_session(&session, &token_hash(&token))
            .await?;
        Ok(Session {
            token,
            account: self.account_view(&account),
            new_account,
        })
    }

    /// Register a person without a code (operator only), or sign an existing one in.
    pub async fn admin_register_person(&self, phone: &str, name: &str) -> Result<Session> {
        let phone = normalize(phone)?;
        match self.store.account_by_wa_id(&phone.wa_id).await? {
            Some(a) if a.kind == AccountKind::Business => {
                Err(Error::Conflict("this number belongs to a business".into()))
            }
            Some(a) => self.open_session(a, false, "cli").await,
            None => {
                let row = self.create_person(&phone, name).await?;
                self.open_session(row, true, "cli").await
            }
        }
    }

    /// End a session.
    pub async fn logout(&self, session_id: i64) -> Result<()> {
        self.store
            .revoke_session(session_id, self.ground.now())
            .await
    }

    /// Change one's own profile; other devices hear of it.
    pub async fn update_profile(&self, me: &AccountRow, update: ProfileUpdate) -> Result<Account> {
        let mut row = me.clone();
        if let Some(name) = update.display_name {
            row.display_name = clean_text(&name, MAX_NAME_CHARS, "display name")?;
            if row.display_name.is_empty() {
                return Err(Error::bad("display name must not be empty"));
            }
        }
        if let Some(about) = update.about {
            row.about = clean_text(&about, MAX_ABOUT_CHARS, "about")?;
        }
        if let Some(photo) = update.photo {
            row.photo = match photo {
                None => None,
                Some(id) => Some(self.own_image(me.id, &id).await?),
            };
        }
        let seq = self.store.update_profile(&row, self.ground.now()).await?;
        let view = self.account_view(&row);
        self.ground.bus.publish(
            Topic::Account(seq.account_id),
            BusMessage::Event {
                seq: seq.seq,
                event: Some(Arc::new(Event::Profile {
                    account: view.clone(),
                })),
            },
        );
        Ok(view)
    }

    /// Find an account by phone number, as `viewer` may see it (`privacy.rs`): someone who
    /// only has the number gets the name and the number.
    pub async fn lookup(&self, viewer: &AccountRow, phone: &str) -> Result<Account> {
        let phone = normalize(phone)?;
        self.profile_by_wa_id(viewer, &phone.wa_id).await
    }
}

/// Trim, refuse control characters, and enforce a length.
pub(crate) fn clean_text(s: &str, max_chars: usize, what: &str) -> Result<String> {
    let t = s.trim();
    if t.chars().count() > max_chars {
        return Err(Error::bad(format!(
            "{what} is longer than {max_chars} characters"
        )));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Error::bad(format!("{what} contains control characters")));
    }
    Ok(t.to_string())
}

impl Accounts {
    /// The account behind a person's session token.
    pub async fn person_by_token(&self, token: &str) -> Result<(AccountRow, i64)> {
        let session = self
            .store
            .session_by_hash(&crate::ids::token_hash(token))
            .await?
            .ok_or_else(|| Error::Unauthorized("invalid or expired session".into()))?;
        let account = self
            .store
            .account(session.account_id)
            .await?
            .ok_or_else(|| Error::Unauthorized("invalid or expired session".into()))?;
        Ok((account, session.id))
    }

    /// An account by wa_id, or not found.
    pub async fn find_by_wa_id(&self, wa_id: &str) -> Result<AccountRow> {
        self.store
            .account_by_wa_id(wa_id)
            .await?
            .ok_or_else(|| Error::not_found(format!("no account {wa_id}")))
    }
}
