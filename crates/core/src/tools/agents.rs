//! Agents of a business (WABA): invites with one-time tokens, passwords hashed with argon2,
//! console sessions (a separate kind of bearer token from people's sessions and business
//! tokens), roles `admin` and `agent`, and presence from recent activity.
//!
//! Wrong passwords are throttled per agent (by email) and per client address with growing
//! waits (`crate::throttle`, kept in the store). A successful sign-in clears the agent's count,
//! not its address's. At every fifth failure for an agent within a day, the WABA's admins are
//! told: an alert they can list (`sign_in_alerts`: who, how often, from where) and a
//! `sign_in_alert` item on the console stream (ids and counts only, as every agent's stream
//! carries it).

use super::automation::AGENT_ONLINE_MS;
use super::Tools;
use super::{AgentRow, SignInAlertRow};
use crate::error::{Error, Result};
use crate::ids::{new_token, parse_id, token_hash};
use crate::throttle::{address_key, Rule, LONGEST_WINDOW_MS};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::net::IpAddr;
use wasla_types::tools::{
    Agent, AgentLogin, AgentSessionInfo, AgentUpdate, Invite, NewAgent, SignInAlert,
};

/// Shortest password.
const MIN_PASSWORD: usize = 8;
/// Activity is written at most this often per agent.
const TOUCH_EVERY_MS: i64 = 15_000;
/// A minute, in ms.
const MIN: i64 = 60_000;
/// Wrong passwords for one agent: five, then 30 s, 1 min, 5 min, 15 min, then an hour
/// between any two, counted over a day; a successful sign-in clears them.
const FAILURES_PER_AGENT: Rule = Rule {
    scope: "sign_in_agent",
    what: "failed sign-ins for this account",
    window_ms: LONGEST_WINDOW_MS,
    free: 5,
    waits_ms: &[MIN / 2, MIN, 5 * MIN, 15 * MIN, 60 * MIN],
};
/// Wrong passwords from one address, across agents: twenty, then 1 min, 5 min, 15 min, then
/// an hour between any two, counted over a day.
const FAILURES_PER_ADDRESS: Rule = Rule {
    scope: "sign_in_address",
    what: "failed sign-ins from this address",
    window_ms: LONGEST_WINDOW_MS,
    free: 20,
    waits_ms: &[MIN, 5 * MIN, 15 * MIN, 60 * MIN],
};
/// The WABA's admins are told at this many failures for an agent, and at every multiple.
const ALERT_EVERY: usize = 5;
/// Alerts listed at most.
const MAX_ALERTS: i64 = 50;

impl Tools {
    /// Invite an agent to a WABA; the invite token is shown once.
    pub async fn invite_agent(&self, waba_id: i64, req: NewAgent) -> Result<Invite> {
        if self.business.waba_row(waba_id).await?.is_none() {
            return Err(Error::not_found("no such business"));
        }
        let email = req.email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 || email.contains(char::is_whitespace) {
            return Err(Error::bad("email must be an address like ada@example.com"));
        }
        let name = req.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(Error::bad("name must be 1 to 80 characters"));
        }
        let role = req.role.unwrap_or_else(|| "agent".into());
        if role != "admin" && role != "agent" {
            return Err(Error::bad("role is admin or agent"));
        }
        let token = new_token();
        let row = AgentRow {
            id: self.ground.ids.next(),
            waba_id,
            email,
            name: name.to_string(),
            role,
            password_hash: None,
            invite_hash: Some(token_hash(&token)),
            last_seen: None,
            created_at: self.ground.now(),
        };
        self.store.create_agent(&row).await.map_err(|e| match e {
            Error::Conflict(_) => Error::Conflict("an agent with this email exists".into()),
            other => other,
        })?;
        Ok(Invite {
            agent: self.agent_view(&row),
            invite_url: format!(
                "{}/console/#/invite/{token}",
                self.ground.config.public_url()
            ),
            invite_token: token,
        })
    }

    /// Sign in with email and password from address `from`, or accept an invite by setting a
    /// password. Refused, saying when to try again, after too many wrong passwords for the
    /// agent or from the address.
    pub async fn agent_sign_in(&self, req: AgentLogin, from: IpAddr) -> Result<AgentSessionInfo> {
        let denied = || Error::Unauthorized("wrong email or password".into());
        let agent = match (&req.invite_token, &req.email) {
            (Some(token), _) => {
                if req.password.chars().count() < MIN_PASSWORD {
                    return Err(Error::bad("choose a password of at least 8 characters"));
                }
                let agent = self
                    .store
                    .agent_by_invite(&token_hash(token))
                    .await?
                    .ok_or_else(|| Error::Unauthorized("this invite is used or unknown".into()))?;
                let hash = Argon2::default()
                    .hash_password(req.password.as_bytes(), &SaltString::generate(&mut OsRng))
                    .map_err(Error::internal)?
                    .to_string();
                self.store.set_agent_password(agent.id, &hash).await?;
                agent
            }
            (None, Some(email)) => {
                let email = email.trim().to_lowercase();
                if email.len() > 254 {
                    return Err(denied());
                }
                self.check_password(&email, &req.password, from).await?
            }
            (None, None) => return Err(Error::bad("send email and password, or invite_token")),
        };
        let token = new_token();
        self.store
            .create_agent_session(
                self.ground.ids.next(),
                agent.id,
                &token_hash(&token),
                self.ground.now(),
            )
            .await?;
        self.store.touch_agent(agent.id, self.ground.now()).await?;
        Ok(AgentSessionInfo {
            token,
            agent: self.agent_view(&agent),
        })
    }

    /// The agent with this email and password; every attempt counts as a failure until it
    /// proves right, so racing guesses cannot slip past the throttles.
    async fn check_password(&self, email: &str, password: &str, from: IpAddr) -> Result<AgentRow> {
        let throttles = &self.ground.throttles;
        let address = address_key(from);
        let attempt = throttles
            .take(&[
                (&FAILURES_PER_AGENT, email),
                (&FAILURES_PER_ADDRESS, &address),
            ])
            .await?;
        let agent = self.store.agent_by_email(email).await?;
        let right = match agent.as_ref().and_then(|a| a.password_hash.as_deref()) {
            Some(stored) => {
                let hash = PasswordHash::new(stored).map_err(Error::internal)?;
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            }
            None => false,
        };
        match agent {
            Some(agent) if right => {
                throttles.give_back(attempt).await?;
                throttles.clear(&FAILURES_PER_AGENT, email).await?;
                Ok(agent)
            }
            agent => {
                let failures = attempt.counts[0];
                if let Some(agent) = agent.filter(|_| failures % ALERT_EVERY == 0) {
                    self.alert_admins(&agent, failures, address).await?;
                }
                Err(Error::Unauthorized("wrong email or password".into()))
            }
        }
    }

    /// Tell the agent's WABA admins of repeated failed sign-ins: a stored alert and an item
    /// on the console stream.
    async fn alert_admins(&self, agent: &AgentRow, failures: usize, address: String) -> Result<()> {
        let now = self.ground.now();
        let row = SignInAlertRow {
            id: self.ground.ids.next(),
            waba_id: agent.waba_id,
            agent_id: agent.id,
            failures: failures as i64,
            address,
            locked_until: now + FAILURES_PER_AGENT.wait_after(failures),
            created_at: now,
        };
        self.store.put_sign_in_alert(&row).await?;
        tracing::warn!(agent = agent.id, failures, address = %row.address, "repeated failed console sign-ins");
        // Every agent's stream carries it, so only a nudge: admins read the details (email,
        // address) from `sign_in_alerts`.
        self.console_notice(
            agent.waba_id,
            serde_json::json!({"type": "sign_in_alert", "id": row.id.to_string(),
                "agent_id": agent.id.to_string(), "failures": failures,
                "locked_until": row.locked_until, "created_at": now}),
        );
        Ok(())
    }

    /// The latest alerts about failed sign-ins of the WABA's agents (admins only).
    pub async fn sign_in_alerts(&self, me: &AgentRow) -> Result<Vec<SignInAlert>> {
        Tools::require_admin(me)?;
        let agents = self.store.agents(me.waba_id).await?;
        let email = |id: i64| {
            agents
                .iter()
                .find(|a| a.id == id)
                .map_or(String::new(), |a| a.email.clone())
        };
        let rows = self.store.sign_in_alerts(me.waba_id, MAX_ALERTS).await?;
        let alerts = rows.iter().map(|r| alert_view(r, &email(r.agent_id)));
        Ok(alerts.collect())
    }

    /// The agent behind a console token (and its session id); records activity.
    pub async fn agent_by_token(&self, token: &str) -> Result<(AgentRow, i64)> {
        let (session, mut agent) = self
            .store
            .agent_session(&token_hash(token))
            .await?
            .ok_or_else(|| Error::Unauthorized("invalid or expired console session".into()))?;
        let now = self.ground.now();
        if agent.last_seen.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
            self.store.touch_agent(agent.id, now).await?;
            agent.last_seen = Some(now);
        }
        Ok((agent, session))
    }

    /// End a console session.
    pub async fn agent_sign_out(&self, session_id: i64) -> Result<()> {
        self.store
            .revoke_agent_session(session_id, self.ground.now())
            .await
    }

    /// The WABA's agents.
    pub async fn list_agents(&self, waba_id: i64) -> Result<Vec<Agent>> {
        Ok(self
            .store
            .agents(waba_id)
            .await?
            .iter()
            .map(|a| self.agent_view(a))
            .collect())
    }

    /// An agent of the same WABA by id string.
    pub async fn colleague(&self, me: &AgentRow, id: &str) -> Result<AgentRow> {
        let missing = || Error::not_found(format!("no agent {id}"));
        let row = self
            .store
            .agent(parse_id(id).ok_or_else(missing)?)
            .await?
            .ok_or_else(missing)?;
        if row.waba_id != me.waba_id {
            return Err(missing());
        }
        Ok(row)
    }

    /// An admin changes a colleague's role or deactivates them (never their own, so a
    /// business cannot lock itself out by accident). Nothing changes unless all is valid.
    pub async fn update_agent(&self, me: &AgentRow, id: &str, req: AgentUpdate) -> Result<Agent> {
        Tools::require_admin(me)?;
        let mut row = self.colleague(me, id).await?;
        if req == AgentUpdate::default() {
            return Err(Error::bad("send role or active"));
        }
        if row.id == me.id {
            return Err(Error::bad(
                "you cannot change your own role or deactivate yourself",
            ));
        }
        if let Some(role) = &req.role {
            if role != "admin" && role != "agent" {
                return Err(Error::bad("role is admin or agent"));
            }
        }
        if req.active == Some(true) && row.password_hash.is_none() && row.invite_hash.is_none() {
            return Err(Error::bad(
                "active: a deactivated agent cannot be reactivated; invite them again with another email",
            ));
        }
        if let Some(role) = req.role {
            self.store.set_agent_role(row.id, &role).await?;
            row.role = role;
        }
        if req.active == Some(false) {
            self.store
                .deactivate_agent(row.id, self.ground.now())
                .await?;
            row.password_hash = None;
            row.invite_hash = None;
        }
        Ok(self.agent_view(&row))
    }

    /// Only admins of the WABA may do this.
    pub fn require_admin(me: &AgentRow) -> Result<()> {
        if me.role == "admin" {
            Ok(())
        } else {
            Err(Error::Forbidden("only a business admin can do this".into()))
        }
    }

    /// The console rendering of an agent.
    pub fn agent_view(&self, a: &AgentRow) -> Agent {
        let now = self.ground.now();
        Agent {
            id: a.id.to_string(),
            waba_id: a.waba_id.to_string(),
            email: a.email.clone(),
            name: a.name.clone(),
            role: a.role.clone(),
            active: a.password_hash.is_some(),
            status: match (&a.password_hash, &a.invite_hash) {
                (Some(_), _) => "active",
                (None, Some(_)) => "invited",
                (None, None) => "deactivated",
            }
            .into(),
            online: self.accounts.presence.console_open(a.id)
                || a.last_seen.is_some_and(|t| now - t < AGENT_ONLINE_MS),
        }
    }
}

/// An alert as the console shows it.
fn alert_view(row: &SignInAlertRow, email: &str) -> SignInAlert {
    SignInAlert {
        id: row.id.to_string(),
        agent_id: row.agent_id.to_string(),
        email: email.to_string(),
        failures: row.failures,
        address: row.address.clone(),
        locked_until: row.locked_until,
        created_at: row.created_at,
    }
}
