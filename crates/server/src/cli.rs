//! Command-line parsing, configuration layering for every command, and the `admin` / `person`
//! commands, which call a running server's admin API (they never open the database).

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

/// Run an `admin` or `person` command against the server.
pub async fn run_client(cli: &Cli) -> anyhow::Result<()> {
    let config = cli.config()?;
    let base = cli
        .server
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen))
        .trim_end_matches('/')
        .to_string();
    let token = crate::operator_token_for_client(&config)?;
    let client = Admin {
        http: reqwest::Client::new(),
        base,
        token,
    };
    let (value, summary) = match &cli.command {
        Command::Admin(cmd) => admin(&client, cmd).await?,
        Command::Person(cmd) => person(&client, cmd).await?,
        _ => unreachable!("only client commands come here"),
    };
    if cli.json {
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!("{summary}");
    }
    Ok(())
}

struct Admin {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Admin {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.with_context(|| {
            format!(
                "cannot reach the server at {} (is `wasla serve` running?)",
                self.base
            )
        })?;
        let status = resp.status();
        let value: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let msg = value["error"]["message"]
                .as_str()
                .unwrap_or("request failed");
            bail!("{msg} (HTTP {})", status.as_u16());
        }
        Ok(value)
    }
}

async fn admin(c: &Admin, cmd: &AdminCommand) -> anyhow::Result<(Value, String)> {
    use reqwest::Method;
    Ok(match cmd {
        AdminCommand::Business(BusinessCommand::Create { name }) => {
            let v = c
                .call(
                    Method::POST,
                    "/admin/v1/businesses",
                    Some(json!({"name": name})),
                )
                .await?;
            let s = format!(
                "created business {} (WABA id {})",
                v["name"],
                v["id"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Business(BusinessCommand::List) => {
            let v = c.call(Method::GET, "/admin/v1/businesses", None).await?;
            let s = lines(&v, |b| {
                format!(
                    "{}  {}",
                    b["id"].as_str().unwrap_or_default(),
                    b["name"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::PhoneNumber(PhoneNumberCommand::Create {
            waba,
            number,
            verified_name,
        }) => {
            let body = json!({"waba_id": waba, "number": number, "verified_name": verified_name});
            let v = c
                .call(Method::POST, "/admin/v1/phone-numbers", Some(body))
                .await?;
            let s = format!(
                "registered {} as phone-number id {}",
                v["display_phone_number"].as_str().unwrap_or_default(),
                v["id"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::PhoneNumber(PhoneNumberCommand::List(w)) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/businesses/{}/phone-numbers", w.waba),
                    None,
                )
                .await?;
            let s = lines(&v, |p| {
                format!(
                    "{}  {}  {}",
                    p["id"].as_str().unwrap_or_default(),
                    p["display_phone_number"].as_str().unwrap_or_default(),
                    p["verified_name"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::App(AppCommand::Create {
            waba,
            webhook_url,
            verify_token,
        }) => {
            let body =
                json!({"waba_id": waba, "webhook_url": webhook_url, "verify_token": verify_token});
            let v = c.call(Method::POST, "/admin/v1/apps", Some(body)).await?;
            let s = format!(
                "created app {}\napp secret (shown once): {}",
                v["id"].as_str().unwrap_or_default(),
                v["app_secret"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::App(AppCommand::List(w)) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/businesses/{}/apps", w.waba),
                    None,
                )
                .await?;
            let s = lines(&v, |a| {
                format!(
                    "{}  {}",
                    a["id"].as_str().unwrap_or_default(),
                    a["webhook_url"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::Token(TokenCommand::Create(w)) => {
            let v = c
                .call(
                    Method::POST,
                    "/admin/v1/tokens",
                    Some(json!({"waba_id": w.waba})),
                )
                .await?;
            let s = format!(
                "token id {}\naccess token (shown once): {}",
                v["id"].as_str().unwrap_or_default(),
                v["access_token"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Webhook(WebhookCommand::Log { app, limit }) => {
            let v = c
                .call(
                    Method::GET,
                    &format!("/admin/v1/apps/{app}/deliveries?limit={limit}"),
                    None,
                )
                .await?;
            let s = lines(&v, |d| {
                format!(
                    "{}  {}  attempts={}  last={}  {}",
                    d["id"].as_str().unwrap_or_default(),
                    d["state"].as_str().unwrap_or_default(),
                    d["attempts"],
                    d["last_status"],
                    d["event"]["event"].as_str().unwrap_or_default()
                )
            });
            (v, s)
        }
        AdminCommand::Webhook(WebhookCommand::Redeliver { app, delivery }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/apps/{app}/deliveries/{delivery}/redeliver"),
                    None,
                )
                .await?;
            (v, format!("delivery {delivery} queued again"))
        }
        AdminCommand::Template(TemplateCommand::Approve { id }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/templates/{id}/review"),
                    Some(json!({"status": "APPROVED"})),
                )
                .await?;
            let s = format!(
                "template {} ({}) is {}",
                v["name"].as_str().unwrap_or_default(),
                v["language"].as_str().unwrap_or_default(),
                v["status"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Template(TemplateCommand::Reject { id, reason }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/templates/{id}/review"),
                    Some(json!({"status": "REJECTED", "reason": reason})),
                )
                .await?;
            let s = format!(
                "template {} rejected ({reason})",
                v["name"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        AdminCommand::Template(TemplateCommand::AutoApprove { waba, off }) => {
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/businesses/{waba}/auto-approve"),
                    Some(json!({"enabled": !off})),
                )
                .await?;
            (
                v,
                format!(
                    "automatic template approval {} for {waba}",
                    if *off { "off" } else { "on" }
                ),
            )
        }
        AdminCommand::Token(TokenCommand::Revoke { id }) => {
            let v = c
                .call(Method::DELETE, &format!("/admin/v1/tokens/{id}"), None)
                .await?;
            (v, format!("revoked token {id}"))
        }
    })
}

async fn person(c: &Admin, cmd: &PersonCommand) -> anyhow::Result<(Value, String)> {
    use reqwest::Method;
    Ok(match cmd {
        PersonCommand::Register { phone, name } => {
            let v = c
                .call(
                    Method::POST,
                    "/admin/v1/persons",
                    Some(json!({"phone": phone, "name": name})),
                )
                .await?;
            let s = format!(
                "{} ({})\nsession token: {}",
                v["account"]["display_name"].as_str().unwrap_or_default(),
                v["account"]["phone"].as_str().unwrap_or_default(),
                v["token"].as_str().unwrap_or_default()
            );
            (v, s)
        }
        PersonCommand::Send { from, to, text } => {
            let wa_id = wasla_core::phone::normalize(from)
                .map_err(|e| anyhow::anyhow!("--from: {e}"))?
                .wa_id;
            let v = c
                .call(
                    Method::POST,
                    &format!("/admin/v1/persons/{wa_id}/messages"),
                    Some(json!({"to": to, "text": text})),
                )
                .await?;
            let s = format!("sent {}", v["id"].as_str().unwrap_or_default());
            (v, s)
        }
    })
}

fn lines(v: &Value, f: impl Fn(&Value) -> String) -> String {
    let rows: Vec<String> = v["data"]
        .as_array()
        .map(|a| a.iter().map(&f).collect())
        .unwrap_or_default();
    if rows.is_empty() {
        "(none)".into()
    } else {
        rows.join("\n")
    }
}
