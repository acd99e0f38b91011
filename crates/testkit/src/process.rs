//! The real `wasla` binary as a child process, for tests that crash it: [`ProcessServer`]
//! runs `wasla serve` on a fixed free port with a temporary data directory (SQLite) or a fresh
//! PostgreSQL database (when `WASLA_TEST_DATABASE_URL` is set), can kill it with SIGKILL
//! mid-load, and starts it again on the same data and port, so clients keep their URLs.
//!
//! The binary is `$WASLA_BIN` when set; otherwise the test builds it once per test process
//! with `cargo build -p wasla-server --bin wasla` (a no-op when it is fresh), in the profile
//! the test itself was built with, and runs it from that profile's directory.

use crate::{Business, Codes, Db, Person};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// A `wasla serve` child process and what it needs to start again on the same data.
pub struct ProcessServer {
    /// `http://127.0.0.1:PORT` (the same across restarts).
    pub url: String,
    /// The operator token.
    pub operator_token: String,
    /// Which database it uses.
    pub db: Db,
    /// The data directory (kept across restarts).
    pub dir: Arc<tempfile::TempDir>,
    config_path: PathBuf,
    log_path: PathBuf,
    codes: Codes,
    child: Option<Child>,
    http: reqwest::Client,
}

impl ProcessServer {
    /// Start `wasla serve` on `db`; `extra_toml` is appended to its configuration file (for
    /// example `"[webhooks]\ntimeout_ms = 2000\n"`; each table may appear only once, and
    /// `[limits]`, `[outbound]` and `[verification]` are set here already).
    pub async fn start_on(db: Db, extra_toml: &str) -> ProcessServer {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let database_url = match &db {
            Db::Sqlite => format!("sqlite://{}", dir.path().join("wasla.db").display()),
            Db::Postgres(base) => crate::fresh_pg_database(base).await,
        };
        let codes = Codes::default();
        let code_url = crate::code_receiver(codes.clone()).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let operator_token = format!("process-operator-{:016x}", rand::random::<u64>());
        let config = format!(
            r#"data_dir = {data_dir}
listen = "127.0.0.1:{port}"
database_url = {database_url}
operator_token = "{operator_token}"

[verification]
webhook_url = "{code_url}"

[limits]
messages_per_second = 0
pair_burst = 0

[outbound]
allowed_networks = ["127.0.0.1"]

{extra_toml}
"#,
            data_dir = toml_string(&dir.path().display().to_string()),
            database_url = toml_string(&database_url),
        );
        let config_path = dir.path().join("wasla.toml");
        std::fs::write(&config_path, config).expect("write wasla.toml");
        let mut server = ProcessServer {
            url: format!("http://127.0.0.1:{port}"),
            operator_token,
            db,
            log_path: dir.path().join("server.log"),
            dir,
            config_path,
            codes,
            child: None,
            http: reqwest::Client::new(),
        };
        server.boot().await;
        server
    }

    /// Spawn the binary and wait until it answers `/healthz`.
    async fn boot(&mut self) {
        let bin = wasla_binary().await;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)
            .expect("server log");
        let mut cmd = Command::new(&bin);
        cmd.arg("serve")
            .arg("--config")
            .arg(&self.config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        // The configuration file says everything; the test's own WASLA_* variables must not.
        for (key, _) in std::env::vars() {
            if key.starts_with("WASLA_") {
                cmd.env_remove(key);
            }
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        for _ in 0..600 {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("wasla exited with {status} at start:\n{}", self.log());
            }
            let health = self.http.get(format!("{}/healthz", self.url)).send();
            if let Ok(Ok(r)) = tokio::time::timeout(Duration::from_secs(1), health).await {
                if r.status().is_success() {
                    self.child = Some(child);
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("wasla did not come up within 30 s:\n{}", self.log());
    }

    /// Kill the process with SIGKILL (no shutdown of any kind) and reap it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start the binary again on the same data and port (after [`Self::kill`]).
    pub async fn restart(&mut self) {
        self.kill();
        self.boot().await;
    }

    /// What the server wrote to stdout and stderr so far, across restarts.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log_path) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    /// The WebSocket URL.
    pub fn ws_url(&self) -> String {
        format!("{}/client/v1/ws", self.url.replace("http://", "ws://"))
    }

    /// Register a person through the real code flow and sign in.
    pub async fn register(&self, phone: &str, name: &str) -> Person {
        let body: Value = self
            .http
            .post(format!("{}/client/v1/auth/code", self.url))
            .json(&json!({"phone": phone}))
            .send()
            .await
            .expect("code request")
            .json()
            .await
            .expect("json");
        let e164 = body["phone"]
            .as_str()
            .unwrap_or_else(|| panic!("code request for {phone}: {body}"))
            .to_string();
        let code = self.wait_code(&e164).await;
        let session: Value = self
            .http
            .post(format!("{}/client/v1/auth/verify", self.url))
            .json(&json!({"phone": e164, "code": code, "device": "test"}))
            .send()
            .await
            .expect("verify")
            .json()
            .await
            .expect("json");
        let token = session["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {session}"))
            .to_string();
        let person = Person::at(&self.url, token, session["account"].clone());
        if !name.is_empty() {
            person
                .patch("/client/v1/me", json!({"display_name": name}))
                .await
                .ok();
        }
        person
    }

    async fn wait_code(&self, e164: &str) -> String {
        for _ in 0..250 {
            if let Some(c) = self.codes.0.lock().expect("codes").get(e164).cloned() {
                return c;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no verification code arrived for {e164}");
    }

    /// Create a business with `number` and an app whose webhooks a fresh receiver checks.
    pub async fn business(&self, name: &str, number: &str) -> Business {
        Business::create(&self.url, &self.operator_token, name, number).await
    }
}

impl Drop for ProcessServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

/// The `wasla` binary (for tests that run its CLI against a [`crate::TestServer`]).
pub async fn wasla_bin() -> PathBuf {
    wasla_binary().await
}

/// The `wasla` binary to run: `$WASLA_BIN`, or the one built (once per test process) into
/// the profile directory this test runs from.
async fn wasla_binary() -> PathBuf {
    static BIN: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();
    BIN.get_or_init(|| async {
        if let Some(bin) = std::env::var_os("WASLA_BIN").filter(|b| !b.is_empty()) {
            return PathBuf::from(bin);
        }
        tokio::task::spawn_blocking(build_wasla)
            .await
            .expect("build task")
    })
    .await
    .clone()
}

/// `cargo build -p wasla-server --bin wasla` in this test's profile; the binary's path.
fn build_wasla() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from target/<profile>/deps")
        .to_path_buf();
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(other) => other.to_string(),
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "wasla-server", "--bin", "wasla"])
        .arg("--profile")
        .arg(&profile)
        .arg("--manifest-path")
        .arg(&manifest)
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build -p wasla-server failed");
    let bin = profile_dir.join(format!("wasla{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "no wasla binary at {}; set WASLA_BIN to the binary to test",
        bin.display()
    );
    bin
}
