//! Agents of a business (WABA): invites with one-time tokens, passwords hashed with argon2,
//! console sessions (a separate kind of bearer token from people's sessions and business
//! tokens), roles `admin` and `agent`, and presence from recent activity.

use super::automation::AGENT_ONLINE_MS;
use super::AgentRow;
use super::Tools;
use crate::error::{Error, Result};
use crate::ids::{new_token, parse_id, token_hash};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use wasla_types::tools::{Agent, AgentLogin, AgentSessionInfo, Invite, NewAgent};

/// Shortest password.
const MIN_PASSWORD: usize = 8;
/// Activity is written at most this often per agent.
const TOUCH_EVERY_MS: i64 = 15_000;

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

    /// Sign in with email and password, or accept an invite by setting a password.
    pub async fn agent_sign_in(&self, req: AgentLogin) -> Result<AgentSessionInfo> {
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
                let agent = self
                    .store
                    .agent_by_email(&email.trim().to_lowercase())
                    .await?
                    .ok_or_else(denied)?;
                let stored = agent.password_hash.as_deref().ok_or_else(denied)?;
                let hash = PasswordHash::new(stored).map_err(Error::internal)?;
                Argon2::default()
                    .verify_password(req.password.as_bytes(), &hash)
                    .map_err(|_| denied())?;
                agent
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
            online: self.accounts.presence.console_open(a.id)
                || a.last_seen.is_some_and(|t| now - t < AGENT_ONLINE_MS),
        }
    }
}
