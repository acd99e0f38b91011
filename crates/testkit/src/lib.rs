//! Test support: [`TestServer`] runs the real Wasla server on port 0 in a temporary directory
//! (SQLite, or a fresh PostgreSQL database when `WASLA_TEST_DATABASE_URL` is set), with a
//! controllable clock and a receiver that collects verification codes. [`Person`] is a typed
//! client of the client API; [`Ws`] a real WebSocket client. [`ProcessServer`] runs the real
//! `wasla` binary as a child process, for tests that kill it.

mod agent;
mod business;
mod console_stream;
mod person;
mod process;
pub mod routes;
mod webhooks;
mod ws;

pub use agent::Agent;
pub use business::Business;
pub use console_stream::ConsoleStream;
pub use person::Person;
pub use process::{wasla_bin, ProcessServer};
pub use webhooks::{value_of, WebhookReceiver};
pub use ws::Ws;

use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wasla_core::clock::ShiftedClock;
use wasla_core::{Config, Wasla};

/// A valid 1×1 PNG, for upload tests.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// Latest verification code per E.164 number, as the code receiver got them.
#[derive(Clone, Default)]
struct Codes(Arc<Mutex<HashMap<String, String>>>);

/// Which database a test server uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Db {
    /// A SQLite file in the server's temp dir.
    Sqlite,
    /// A fresh database on the server named by `WASLA_TEST_DATABASE_URL`.
    Postgres(String),
}

impl Db {
    /// The backends to test: SQLite always, PostgreSQL when `WASLA_TEST_DATABASE_URL` is set.
    pub fn all() -> Vec<Db> {
        let mut v = vec![Db::Sqlite];
        if let Ok(url) = std::env::var("WASLA_TEST_DATABASE_URL") {
            if !url.is_empty() {
                v.push(Db::Postgres(url));
            }
        }
        v
    }
}

/// A change a test makes to the server's configuration.
type Configure = Arc<dyn Fn(&mut Config) + Send + Sync>;

/// Cluster settings of a node, and changes a test makes to the configuration.
#[derive(Clone, Default)]
struct Node {
    nats_url: String,
    node_id: u16,
    configure: Option<Configure>,
}

/// A running server for one test.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The application (for direct inspection).
    pub app: Arc<Wasla>,
    /// The clock the server reads; advance it to move time.
    pub clock: ShiftedClock,
    /// The operator token.
    pub operator_token: String,
    /// The data directory (kept across restarts).
    pub dir: Arc<tempfile::TempDir>,
    db: Db,
    database_url: String,
    node: Node,
    codes: Codes,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    http: reqwest::Client,
}

impl TestServer {
    /// A server on SQLite.
    pub async fn start() -> TestServer {
        TestServer::start_on(Db::Sqlite).await
    }

    /// A server on the given backend.
    pub async fn start_on(db: Db) -> TestServer {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let database_url = match &db {
            Db::Sqlite => format!("sqlite://{}", dir.path().join("wasla.db").display()),
            Db::Postgres(base) => fresh_pg_database(base).await,
        };
        TestServer::boot(
            db,
            database_url,
            dir,
            ShiftedClock::default(),
            Node::default(),
        )
        .await
    }

    /// A server on SQLite with configuration changes (limits, webhooks, …).
    pub async fn start_with(configure: impl Fn(&mut Config) + Send + Sync + 'static) -> TestServer {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let url = format!("sqlite://{}", dir.path().join("wasla.db").display());
        let node = Node {
            configure: Some(Arc::new(configure)),
            ..Node::default()
        };
        TestServer::boot(Db::Sqlite, url, dir, ShiftedClock::default(), node).await
    }

    /// A server on the given backend with configuration changes.
    pub async fn start_on_with(
        db: Db,
        configure: impl Fn(&mut Config) + Send + Sync + 'static,
    ) -> TestServer {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let database_url = match &db {
            Db::Sqlite => format!("sqlite://{}", dir.path().join("wasla.db").display()),
            Db::Postgres(base) => fresh_pg_database(base).await,
        };
        let node = Node {
            configure: Some(Arc::new(configure)),
            ..Node::default()
        };
        TestServer::boot(db, database_url, dir, ShiftedClock::default(), node).await
    }

    /// Two nodes sharing one fresh PostgreSQL database and a NATS server, when
    /// `WASLA_TEST_DATABASE_URL` and `WASLA_TEST_NATS_URL` name them.
    pub async fn start_cluster() -> Option<(TestServer, TestServer)> {
        TestServer::start_cluster_with(|_| {}).await
    }

    /// [`TestServer::start_cluster`] with configuration changes on both nodes.
    pub async fn start_cluster_with(
        configure: impl Fn(&mut Config) + Send + Sync + 'static,
    ) -> Option<(TestServer, TestServer)> {
        let configure: Configure = Arc::new(configure);
        let base = std::env::var("WASLA_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let nats = std::env::var("WASLA_TEST_NATS_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let database_url = fresh_pg_database(&base).await;
        let clock = ShiftedClock::default();
        let mut nodes = vec![];
        for node_id in [1, 2] {
            let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
            let node = Node {
                nats_url: nats.clone(),
                node_id,
                configure: Some(configure.clone()),
            };
            nodes.push(
                TestServer::boot(
                    Db::Postgres(base.clone()),
                    database_url.clone(),
                    dir,
                    clock.clone(),
                    node,
                )
                .await,
            );
        }
        let b = nodes.pop()?;
        Some((nodes.pop()?, b))
    }

    async fn boot(
        db: Db,
        database_url: String,
        dir: Arc<tempfile::TempDir>,
        clock: ShiftedClock,
        node: Node,
    ) -> TestServer {
        if let Ok(filter) = std::env::var("WASLA_TEST_LOG") {
            // Server logs in test output, e.g. WASLA_TEST_LOG=debug.
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let codes = Codes::default();
        let code_url = code_receiver(codes.clone()).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            listen: addr.to_string(),
            database_url: database_url.clone(),
            verification: wasla_core::config::VerificationConfig {
                webhook_url: code_url,
            },
            sqlite: wasla_core::config::SqliteConfig {
                synchronous: "normal".into(),
            },
            nats_url: node.nats_url.clone(),
            node_id: node.node_id,
            // The test's webhook receivers listen on 127.0.0.1; the rest of loopback stays
            // out of reach, as a private network would.
            outbound: wasla_core::config::OutboundConfig {
                allow_private_targets: false,
                allowed_networks: vec!["127.0.0.1".into()],
            },
            // Nodes of a cluster share one operator token.
            operator_token: if node.nats_url.is_empty() {
                String::new()
            } else {
                "cluster-operator-token".into()
            },
            ..Config::default()
        };
        // The built-in STUN/TURN server on free ports, so tests running at once do not clash.
        config.calls.turn.listen = "127.0.0.1:0".into();
        (
            config.calls.turn.relay_port_min,
            config.calls.turn.relay_port_max,
        ) = (0, 0);
        // The group calls' SFU on a free port too.
        config.calls.sfu.udp_listen = "127.0.0.1:0".into();
        if let Some(configure) = &node.configure {
            configure(&mut config);
        }
        let operator_token = wasla_server::operator_token(&config).expect("operator token");
        let app = wasla_server::build(config, Arc::new(clock.clone()))
            .await
            .expect("server builds");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        let task = tokio::spawn(async move {
            wasla_server::serve(served, listener, async move {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
        });
        TestServer {
            url: format!("http://{addr}"),
            app,
            clock,
            operator_token,
            dir,
            db,
            database_url,
            node,
            codes,
            stop: Some(stop),
            task: Some(task),
            http: reqwest::Client::new(),
        }
    }

    /// Stop and start again on the same data (what a crash-free restart looks like).
    pub async fn restart(mut self) -> TestServer {
        self.shutdown().await;
        TestServer::boot(
            self.db.clone(),
            self.database_url.clone(),
            self.dir.clone(),
            self.clock.clone(),
            self.node.clone(),
        )
        .await
    }

    /// Stop serving (open WebSockets are cut).
    pub async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(std::time::Duration::from_secs(15), &mut task)
                .await
                .is_err()
            {
                task.abort();
                panic!("the server did not shut down gracefully within 15 s");
            }
        }
    }

    /// Where the group calls' SFU listens (UDP).
    pub async fn sfu_addr(&self) -> std::net::SocketAddr {
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.app.group_calls.wait_bound(),
        )
        .await
        .expect("the SFU listens")
    }

    /// Where the built-in STUN/TURN server listens (UDP and TCP on one port).
    pub async fn turn_addrs(&self) -> wasla_core::calls::turn::TurnAddrs {
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.app.turn.wait_bound(),
        )
        .await
        .expect("the TURN server listens")
    }

    /// The WebSocket URL.
    pub fn ws_url(&self) -> String {
        format!("{}/client/v1/ws", self.url.replace("http://", "ws://"))
    }

    /// Register a person through the real code flow and sign in.
    pub async fn register(&self, phone: &str, name: &str) -> Person {
        let r = self
            .http
            .post(format!("{}/client/v1/auth/code", self.url))
            .json(&serde_json::json!({"phone": phone}))
            .send()
            .await
            .expect("code request");
        assert_eq!(
            r.status(),
            200,
            "code request for {phone}: {}",
            r.text().await.unwrap_or_default()
        );
        let body: Value = r.json().await.expect("json");
        let e164 = body["phone"].as_str().expect("phone").to_string();
        let code = self.wait_code(&e164).await;
        let session: Value = self
            .http
            .post(format!("{}/client/v1/auth/verify", self.url))
            .json(&serde_json::json!({"phone": e164, "code": code, "device": "test"}))
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
        let person = Person::new(self, token, session["account"].clone());
        if !name.is_empty() {
            person
                .patch("/client/v1/me", serde_json::json!({"display_name": name}))
                .await
                .ok();
        }
        person
    }

    /// The latest verification code sent to a number.
    pub async fn wait_code(&self, e164: &str) -> String {
        for _ in 0..200 {
            if let Some(c) = self.codes.0.lock().expect("codes").get(e164).cloned() {
                return c;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no verification code arrived for {e164}");
    }

    /// Forget captured codes (to wait for a fresh one).
    pub fn clear_codes(&self) {
        self.codes.0.lock().expect("codes").clear();
    }

    /// Call the admin API with the operator token.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.operator_token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("admin request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// An HTTP receiver for verification codes; returns its URL.
async fn code_receiver(codes: Codes) -> String {
    use axum::routing::post;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = axum::Router::new().route(
        "/codes",
        post(move |axum::Json(v): axum::Json<Value>| {
            let codes = codes.clone();
            async move {
                let phone = v["phone"].as_str().unwrap_or_default().to_string();
                let code = v["code"].as_str().unwrap_or_default().to_string();
                codes.0.lock().expect("codes").insert(phone, code);
                "ok"
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}/codes")
}

/// Create a uniquely named database next to the one in `base` and return its URL.
async fn fresh_pg_database(base: &str) -> String {
    use sqlx::Connection;
    let name = format!(
        "wasla_test_{}_{}",
        std::process::id(),
        rand::random::<u32>()
    );
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("connect to WASLA_TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let mut url = url::Url::parse(base).expect("database url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}
