//! The one configuration struct. Layers, later winning: built-in defaults < `wasla.toml` <
//! `WASLA_*` environment variables (nested keys with `__`, e.g.
//! `WASLA_VERIFICATION__WEBHOOK_URL`) < command-line flags. `wasla config-example` prints
//! [`EXAMPLE`], an annotated file with every key.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod calls;
pub use calls::{CallsConfig, IceServerConfig, TurnConfig};
mod sfu;
pub use sfu::SfuConfig;

/// Top-level keys read from `WASLA_*` variables.
const CONFIG_KEYS: &[&str] = &[
    "data_dir",
    "listen",
    "database_url",
    "public_url",
    "web_dir",
    "nats_url",
    "node_id",
    "operator_token",
    "trusted_proxies",
    "verification",
    "limits",
    "sqlite",
    "webhooks",
    "media",
    "outbound",
    "commerce",
    "log",
    "audit",
    "billing",
    "calls",
    "ads",
];

/// Everything an operator can set.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database, media and the operator token live.
    pub data_dir: PathBuf,
    /// Address the HTTP server listens on.
    pub listen: String,
    /// `sqlite://…` or `postgres://…`; empty means `<data_dir>/wasla.db`.
    pub database_url: String,
    /// Public base URL used in links; empty means `http://<listen>`.
    pub public_url: String,
    /// Serve the web client from this directory instead of the embedded copy.
    pub web_dir: Option<PathBuf>,
    /// NATS server for live events across nodes; empty means in-process.
    pub nats_url: String,
    /// This node's number (0–1023) in the id generator; distinct per node.
    pub node_id: u16,
    /// Operator token; empty means read or create `<data_dir>/operator-token`.
    pub operator_token: String,
    /// Reverse proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client;
    /// empty: the connection's peer is the client.
    pub trusted_proxies: Vec<String>,
    /// How verification codes reach people.
    pub verification: VerificationConfig,
    /// Size limits.
    pub limits: LimitsConfig,
    /// SQLite tuning.
    pub sqlite: SqliteConfig,
    /// Log filter (`info`, `wasla=debug`, …) and format.
    pub log: LogConfig,
    /// Webhook delivery.
    pub webhooks: WebhooksConfig,
    /// Fetching media that businesses send by link.
    pub media: MediaConfig,
    /// Connections to tenants' URLs.
    pub outbound: OutboundConfig,
    /// Payments and the operator's platform fee.
    pub commerce: CommerceConfig,
    /// The audit log of operator, agent and business-token actions.
    pub audit: AuditConfig,
    /// Pricing and rating of business messages.
    pub billing: BillingConfig,
    /// Call media: the built-in STUN/TURN server and external ICE servers.
    pub calls: CallsConfig,
    /// Ads between Status updates (`docs/ads.md`).
    pub ads: AdsConfig,
}

/// Ads between Status updates (`docs/ads.md`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AdsConfig {
    /// Impressions of one campaign a person may get per day.
    pub frequency_cap: i64,
    /// At most one ad after every this many contacts' rows of the Status feed.
    pub every_rows: usize,
}

impl Default for AdsConfig {
    fn default() -> Self {
        AdsConfig {
            frequency_cap: 2,
            every_rows: 3,
        }
    }
}

/// Pricing and rating of business messages (`docs/billing.md`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct BillingConfig {
    /// Rate every delivered business message into the ledger (off: nothing is charged and
    /// status webhooks price by category and window alone).
    pub rating: bool,
    /// A rules file replacing the built-in rule sets (`data/rate-cards/rules.toml`); empty:
    /// built in.
    pub rules_file: String,
}

impl Default for BillingConfig {
    fn default() -> Self {
        BillingConfig {
            rating: true,
            rules_file: String::new(),
        }
    }
}

/// The audit log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// Keep entries this many days (0: forever).
    pub retention_days: u32,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            retention_days: 400,
        }
    }
}

/// Payments: which provider takes them and what the operator keeps.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CommerceConfig {
    /// `sandbox` (built in, test cards) or `payment_link` (a hosted payment page).
    pub payment_provider: String,
    /// Platform fee per payment in basis points (100 = 1 %).
    pub fee_basis_points: i64,
    /// Fixed platform fee per payment, in the payment currency's minor units.
    pub fee_fixed_minor: i64,
    /// A pending sandbox payment settles after this many seconds.
    pub sandbox_settle_secs: u64,
    /// The hosted payment page; the payment's id, amount, currency and return URL are added
    /// as query parameters.
    pub payment_link_url: String,
    /// Secret the hosted page signs its callbacks with (HMAC-SHA256).
    pub payment_link_secret: String,
}

impl Default for CommerceConfig {
    fn default() -> Self {
        CommerceConfig {
            payment_provider: "sandbox".into(),
            fee_basis_points: 0,
            fee_fixed_minor: 0,
            sandbox_settle_secs: 30,
            payment_link_url: String::new(),
            payment_link_secret: String::new(),
        }
    }
}

/// Fetching media by link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// Give up on a link after this many milliseconds.
    pub fetch_timeout_ms: u64,
}

/// Connections to URLs that tenants give (media links, webhook callbacks, handshakes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct OutboundConfig {
    /// Allow loopback, private and link-local targets (off: a tenant's URL cannot reach the
    /// server's own network or the cloud metadata address). For development only.
    pub allow_private_targets: bool,
    /// Private networks that are allowed all the same (an address or a CIDR block each, for
    /// example `"10.0.5.0/24"` where the business's back end runs next to Wasla).
    pub allowed_networks: Vec<String>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            fetch_timeout_ms: 10_000,
        }
    }
}

/// Webhook delivery settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksConfig {
    /// Keep retrying a delivery for this many hours before giving up.
    pub max_retry_hours: u64,
    /// Per-request timeout, milliseconds.
    pub timeout_ms: u64,
    /// Deliveries in flight at once per node.
    pub concurrency: usize,
    /// Longest wait between two attempts, seconds.
    pub max_backoff_secs: u64,
    /// How long a claimed delivery stays with its node, seconds: after a crash, what was in
    /// flight is taken up again this long after it was claimed. At least the timeout plus 5 s.
    pub lease_secs: u64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        WebhooksConfig {
            max_retry_hours: 168,
            timeout_ms: 10_000,
            concurrency: 32,
            max_backoff_secs: 900,
            lease_secs: 60,
        }
    }
}

/// How verification codes are delivered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct VerificationConfig {
    /// POST `{"phone","wa_id","code"}` here; empty means write the code to the server log.
    pub webhook_url: String,
}

/// Request and upload limits.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest JSON body, bytes.
    pub max_json_bytes: usize,
    /// Largest upload of any kind, bytes.
    pub max_upload_bytes: usize,
    /// Most members of a group.
    pub max_group_members: usize,
    /// Cloud API sends per second per business number (0: unlimited). Over it: 130429.
    pub messages_per_second: u32,
    /// Messages a business number may send one person in a burst (0: unlimited). Over it: 131056.
    pub pair_burst: u32,
    /// After a burst, one more message to the same person per this many milliseconds.
    pub pair_interval_ms: u64,
    /// Messaging limit tier of a WABA the operator has not set (`TIER_250`, `TIER_2K`,
    /// `TIER_10K`, `TIER_100K` or `TIER_UNLIMITED`): unique recipients of business-initiated
    /// messages per rolling 24 hours. Over it: 131048.
    pub messaging_tier: String,
}

/// SQLite settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SqliteConfig {
    /// `full` (fsync every commit: acknowledged means on disk) or `normal` (survives a process
    /// crash, not a power cut).
    pub synchronous: String,
}

/// Logging.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// tracing filter directive.
    pub filter: String,
    /// `text` or `json`.
    pub format: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./wasla-data"),
            listen: "127.0.0.1:8080".into(),
            database_url: String::new(),
            public_url: String::new(),
            web_dir: None,
            nats_url: String::new(),
            node_id: 0,
            operator_token: String::new(),
            trusted_proxies: Vec::new(),
            verification: VerificationConfig::default(),
            limits: LimitsConfig::default(),
            sqlite: SqliteConfig::default(),
            log: LogConfig::default(),
            webhooks: WebhooksConfig::default(),
            media: MediaConfig::default(),
            outbound: OutboundConfig::default(),
            commerce: CommerceConfig::default(),
            audit: AuditConfig::default(),
            billing: BillingConfig::default(),
            calls: CallsConfig::default(),
            ads: AdsConfig::default(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_json_bytes: 1 << 20,
            max_upload_bytes: 100 << 20,
            max_group_members: 1024,
            messages_per_second: 80,
            pair_burst: 45,
            pair_interval_ms: 6000,
            messaging_tier: "TIER_UNLIMITED".into(),
        }
    }
}

impl Default for SqliteConfig {
    fn default() -> Self {
        SqliteConfig {
            synchronous: "full".into(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            filter: "info".into(),
            format: "text".into(),
        }
    }
}

impl Config {
    /// Load defaults < `toml_path` (if it exists) < `WASLA_*` environment < `overrides`
    /// (a serializable struct of flags given on the command line; `None` fields are skipped).
    pub fn load<T: Serialize>(toml_path: &Path, overrides: &T) -> Result<Config, String> {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(toml_path))
            .merge(Env::prefixed("WASLA_").split("__").filter(|key| {
                // Other WASLA_* variables (test settings, scripts) are not configuration.
                let top = key.as_str().split('.').next().unwrap_or_default();
                CONFIG_KEYS.iter().any(|k| k.eq_ignore_ascii_case(top))
            }))
            .merge(Serialized::defaults(overrides))
            .extract::<Config>()
            .map_err(|e| format!("configuration: {e}"))
            .and_then(|c| {
                let bad = |list: &[String]| {
                    list.iter()
                        .find(|n| crate::outbound::Network::parse(n).is_none())
                        .cloned()
                };
                if let Some(bad) = bad(&c.trusted_proxies) {
                    return Err(format!(
                        "configuration: trusted_proxies: {bad:?} is not an address or CIDR block"
                    ));
                }
                match bad(&c.outbound.allowed_networks) {
                    Some(bad) => Err(format!(
                        "configuration: outbound.allowed_networks: {bad:?} is not an address or CIDR block"
                    )),
                    None => c.calls.validate().map(|()| c).map_err(|e| format!("configuration: {e}")),
                }
            })
    }

    /// The database URL to use.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("wasla.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The public base URL, without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    /// Where uploaded media bytes are kept.
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// Where the generated operator token is kept.
    pub fn operator_token_path(&self) -> PathBuf {
        self.data_dir.join("operator-token")
    }
}

/// The annotated example printed by `wasla config-example`.
pub const EXAMPLE: &str = r#"# wasla.toml: every key is optional; shown with its default.
# Environment variables override this file: WASLA_LISTEN, WASLA_DATA_DIR,
# WASLA_VERIFICATION__WEBHOOK_URL (nested keys joined with "__"), and so on.
# Command-line flags override both.

# Where the SQLite database, media files and the operator token live.
data_dir = "./wasla-data"
# Address to listen on. Use 0.0.0.0:8080 to accept connections from other machines.
listen = "127.0.0.1:8080"
# Empty: SQLite at <data_dir>/wasla.db. Or postgres://user:pass@host/db for PostgreSQL.
database_url = ""
# Base URL people reach this server at (used in links); empty: http://<listen>.
public_url = ""
# Serve the web client from a directory instead of the copy built into the binary.
# web_dir = "./web"
# NATS URL (nats://host:4222) to share live events between several nodes; empty: in-process.
nats_url = ""
# This node's number (0-1023); give each node of a cluster its own.
node_id = 0
# Operator token for the admin API and CLI. Empty: generated once into <data_dir>/operator-token.
# Apps' webhook secrets are stored sealed with a key derived from it: keep it with backups.
operator_token = ""
# Reverse proxies in front of Wasla (addresses or CIDR blocks, e.g. ["10.0.0.0/8"]). Requests
# from them are attributed to the address their X-Forwarded-For names, for the limits on
# verification codes and console sign-ins; empty: the connection's address is the client's,
# and X-Forwarded-For is ignored.
trusted_proxies = []

[verification]
# Where verification codes go: empty writes them to the server log; a URL receives
# POST {"phone":"+15551234567","wa_id":"15551234567","code":"123456"}.
webhook_url = ""

[limits]
max_json_bytes = 1048576
max_upload_bytes = 104857600
max_group_members = 1024
# Cloud API throughput per business number (Meta's default is 80 per second; 0 turns it off).
messages_per_second = 80
# Pair rate limit: a number may send one person a burst of this many messages, then one per
# pair_interval_ms (Meta: about one per 6 seconds, bursts of 45). 0 turns it off.
pair_burst = 45
pair_interval_ms = 6000
# Messaging limit tier of a WABA the operator has not set with `wasla admin limits set`:
# unique recipients of business-initiated messages (templates outside the 24-hour customer
# service window) per rolling 24 hours. "TIER_250" starts new businesses as Meta does (then
# TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED after evaluations every 6 hours).
messaging_tier = "TIER_UNLIMITED"

[sqlite]
# "full": every acknowledged write is on disk (fsync per group commit). "normal": faster,
# survives a crash of the process but not of the machine.
synchronous = "full"

[webhooks]
# Failed deliveries are retried with exponential backoff (and jitter) for this long.
max_retry_hours = 168
# Each POST must be answered within this many milliseconds.
timeout_ms = 10000
# Deliveries in flight at once on this node.
concurrency = 32
# The longest pause between two attempts at one delivery.
max_backoff_secs = 900
# A delivery a node has claimed stays its own this long (at least timeout_ms + 5 s); after a
# crash, what it had in flight is sent again once this has passed.
lease_secs = 60

[media]
# Media a business sends by link is fetched by the server within this time.
fetch_timeout_ms = 10000

[outbound]
# Media links, webhook callbacks and their handshakes never reach loopback, private,
# link-local or metadata addresses (checked on every resolved address and every redirect)
# unless this is true. For development only.
allow_private_targets = false
# Private networks that may be reached all the same, as addresses or CIDR blocks, e.g. where
# the business's back end runs beside Wasla: ["10.0.5.0/24"].
allowed_networks = []

[commerce]
# "sandbox" takes test cards (4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
# 4000 0000 0000 0077 stays pending, then settles); "payment_link" sends people to a hosted page.
payment_provider = "sandbox"
# The operator's fee on every successful payment: basis points (100 = 1 %) plus a fixed amount
# in the currency's minor units.
fee_basis_points = 0
fee_fixed_minor = 0
# A pending sandbox payment settles after this many seconds.
sandbox_settle_secs = 30
# The hosted payment page and the secret its callbacks are signed with (payment_link only).
payment_link_url = ""
payment_link_secret = ""

[billing]
# Rate every delivered business message into the ledger (false: nothing is charged).
rating = true
# A rules file replacing the built-in pricing rule sets (see docs/billing.md); empty: built in.
rules_file = ""

[calls.sfu]
# The SFU that carries group calls' media (docs/group-calls.md): one UDP port; open it in the
# firewall. public_ip: the address browsers send media to (empty: the listen address when it
# is a specific one, else the host of public_url).
enabled = true
udp_listen = "0.0.0.0:3480"
public_ip = ""
# How many devices can be in one call, and how many of the latest speakers get full quality.
max_participants = 64
last_n_speakers = 4

[calls.turn]
# The built-in STUN responder and TURN relay for call media (docs/calls-network.md). It
# listens on UDP and TCP; open both, and the relay ports (UDP), in the firewall.
enabled = true
listen = "0.0.0.0:3478"
# The address browsers reach this server at; empty: the host of public_url.
public_ip = ""
# Relayed addresses use UDP ports in this range (0 and 0: any free port).
relay_port_min = 49160
relay_port_max = 49999
# Credentials handed to a signed-in client work this long.
credential_ttl_secs = 3600
# Empty: derived from the operator token (the same on every node of a cluster).
secret = ""
# Loopback, private and link-local peers are never relayed to unless listed here
# (addresses or CIDR blocks, e.g. ["10.0.5.0/24"]).
allowed_peers = []
realm = "wasla"

# External STUN/TURN servers handed to clients too (or alone, with enabled = false):
# [[calls.ice_servers]]
# urls = ["turn:turn.example.com:3478?transport=udp"]
# secret = "coturn static-auth-secret"   # or username = "…" and credential = "…"

[ads]
# Impressions of one ad campaign a person may get per day (docs/ads.md).
frequency_cap = 2
# At most one ad after every this many contacts' rows of the Status feed.
every_rows = 3

[audit]
# The audit log (who changed what, when, from where: operator, console agents, business
# tokens) keeps entries this many days; 0 keeps them forever.
retention_days = 400

[log]
# tracing filter, e.g. "info" or "wasla=debug,info".
filter = "info"
# "text" or "json".
format = "text"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_parses_to_defaults() {
        let parsed: Config = toml_from_example();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn every_section_can_be_set_from_the_environment() {
        let fields = serde_json::to_value(Config::default()).unwrap();
        for key in fields.as_object().unwrap().keys() {
            assert!(
                CONFIG_KEYS.contains(&key.as_str()),
                "{key} is missing from CONFIG_KEYS, so WASLA_{}__… would be ignored",
                key.to_uppercase()
            );
        }
    }

    #[test]
    fn trusted_proxies_must_be_addresses_or_blocks() {
        let no_file = Path::new("/nonexistent/wasla.toml");
        let bad = serde_json::json!({"trusted_proxies": ["10.0.0.0/8", "proxy.local"]});
        let err = Config::load(no_file, &bad).unwrap_err();
        assert!(err.contains("trusted_proxies: \"proxy.local\""), "{err}");
        let good = serde_json::json!({"trusted_proxies": ["10.0.0.0/8", "::1"]});
        let config = Config::load(no_file, &good).unwrap();
        assert_eq!(config.trusted_proxies, ["10.0.0.0/8", "::1"]);
    }

    fn toml_from_example() -> Config {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(EXAMPLE))
            .extract()
            .unwrap()
    }
}
