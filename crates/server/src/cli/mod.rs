//! Command-line parsing and configuration layering for every command. The `admin` and
//! `person` commands run in [`client`], which calls a running server's admin API.

mod ads;
mod audit;
mod billing;
mod billing_cards;
mod client;
mod limits;

pub use client::run_client;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use wasla_core::Config;

/// Wasla: self-hosted business messaging.
#[derive(Debug, Parser)]
#[command(name = "wasla", version, about)]
pub struct Cli {
    /// Configuration file.
    #[arg(
        long,
        global = true,
        default_value = "wasla.toml",
        env = "WASLA_CONFIG"
    )]
    pub config: PathBuf,
    /// Data directory (database, media, operator token).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on (`serve`) or to reach the server at (other commands).
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Database URL (sqlite://… or postgres://…).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Serve the web client from this directory.
    #[arg(long, global = true)]
    pub web_dir: Option<PathBuf>,
    /// Public base URL.
    #[arg(long, global = true)]
    pub public_url: Option<String>,
    /// NATS URL for live events across nodes.
    #[arg(long, global = true)]
    pub nats_url: Option<String>,
    /// Print JSON (admin and person commands).
    #[arg(long, global = true)]
    pub json: bool,
    /// Server URL for admin and person commands (default: http://<listen>).
    #[arg(long, global = true)]
    pub server: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags that override configuration (absent ones are skipped).
#[derive(Serialize)]
struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nats_url: Option<String>,
}

impl Cli {
    /// The effective configuration for this invocation.
    pub fn config(&self) -> anyhow::Result<Config> {
        let overrides = Overrides {
            data_dir: self.data_dir.clone(),
            listen: self.listen.clone(),
            database_url: self.database_url.clone(),
            web_dir: self.web_dir.clone(),
            public_url: self.public_url.clone(),
            nats_url: self.nats_url.clone(),
        };
        Config::load(&self.config, &overrides).map_err(anyhow::Error::msg)
    }
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve,
    /// Print an annotated wasla.toml.
    ConfigExample,
    /// Operator commands (businesses, numbers, apps, tokens).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Act as a person, for demos and integration tests.
    #[command(subcommand)]
    Person(PersonCommand),
}

/// `wasla admin …`.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Business accounts (WABAs).
    #[command(subcommand)]
    Business(BusinessCommand),
    /// Business phone numbers.
    #[command(subcommand, name = "phone-number")]
    PhoneNumber(PhoneNumberCommand),
    /// Apps: webhook URL, verify token and app secret.
    #[command(subcommand)]
    App(AppCommand),
    /// Business access tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Webhook delivery log and redelivery.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Template review.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// The platform-fee ledger of a business phone number (one line per payment or refund).
    Ledger {
        /// Phone-number id.
        #[arg(long)]
        phone_number: String,
    },
    /// Agents of a business console.
    #[command(subcommand)]
    Agent(AgentCommand),
    /// The audit log: who changed what, when and from where (newest first).
    Audit(audit::AuditArgs),
    /// Balances, top-ups, adjustments, credit limits and monthly invoices of businesses.
    #[command(subcommand)]
    Billing(billing::BillingCommand),
    /// Messaging limits: a WABA's tier, its use and its numbers' quality.
    #[command(subcommand)]
    Limits(limits::LimitsCommand),
    /// Review of click-to-chat ad campaigns: list, show, reports, approve, reject.
    #[command(subcommand)]
    Ads(ads::AdsCommand),
}

/// `wasla admin agent …`.
#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Invite an agent (the first business admin, typically); prints the invite link.
    Create {
        /// WABA id.
        #[arg(long)]
        waba: String,
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// `admin` or `agent`.
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// A WABA's agents.
    List {
        /// WABA id.
        #[arg(long)]
        waba: String,
    },
}

/// `wasla admin template …`.
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Approve a template.
    Approve {
        /// Template id.
        #[arg(long)]
        id: String,
    },
    /// Reject a template.
    Reject {
        /// Template id.
        #[arg(long)]
        id: String,
        /// ABUSIVE_CONTENT, INCORRECT_CATEGORY, INVALID_FORMAT, PROMOTIONAL, TAG_CONTENT_MISMATCH, SCAM or NONE.
        #[arg(long, default_value = "NONE")]
        reason: String,
    },
    /// Approve a WABA's new and edited templates automatically (or stop).
    AutoApprove {
        /// WABA id.
        #[arg(long)]
        waba: String,
        /// Turn it off instead.
        #[arg(long)]
        off: bool,
    },
}

/// `wasla admin webhook …`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// An app's deliveries, newest first.
    Log {
        /// App id.
        #[arg(long)]
        app: String,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Deliver an event again.
    Redeliver {
        /// App id.
        #[arg(long)]
        app: String,
        /// Delivery id (from the log).
        #[arg(long)]
        delivery: String,
    },
}

/// `wasla admin business …`.
#[derive(Debug, Subcommand)]
pub enum BusinessCommand {
    /// Create a business account.
    Create {
        /// Business name.
        #[arg(long)]
        name: String,
    },
    /// List business accounts.
    List,
}

/// `wasla admin phone-number …`.
#[derive(Debug, Subcommand)]
pub enum PhoneNumberCommand {
    /// Register a phone number under a WABA.
    Create {
        /// WABA id.
        #[arg(long)]
        waba: String,
        /// The number, e.g. +15550001111.
        #[arg(long)]
        number: String,
        /// The name people see.
        #[arg(long)]
        verified_name: String,
    },
    /// List a WABA's numbers.
    List(WabaArg),
}

/// `wasla admin app …`.
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Create an app; prints its secret once.
    Create {
        /// WABA id.
        #[arg(long)]
        waba: String,
        /// Webhook callback URL.
        #[arg(long)]
        webhook_url: String,
        /// Verify token for the handshake.
        #[arg(long)]
        verify_token: String,
    },
    /// List a WABA's apps.
    List(WabaArg),
}

/// `wasla admin token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an access token (shown once).
    Create(WabaArg),
    /// Revoke a token.
    Revoke {
        /// Token id.
        #[arg(long)]
        id: String,
    },
}

/// A `--waba` argument.
#[derive(Debug, Args)]
pub struct WabaArg {
    /// WABA id.
    #[arg(long)]
    pub waba: String,
}

/// `wasla person …`.
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Register a person (no verification code) and print a session token.
    Register {
        /// Phone number.
        #[arg(long)]
        phone: String,
        /// Display name.
        #[arg(long)]
        name: String,
    },
    /// Send a text as a person.
    Send {
        /// Sender's number.
        #[arg(long)]
        from: String,
        /// Recipient's number (person or business).
        #[arg(long)]
        to: String,
        /// The text.
        #[arg(long)]
        text: String,
    },
}
