//! The `wasla` binary as an operator uses it: `serve` configured by `wasla.toml` and the
//! environment, and `admin` / `person` commands that find that server through the same
//! configuration and print JSON with `--json`.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_wasla");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Run a CLI command in `dir`; returns parsed JSON stdout, or panics with stderr.
fn wasla_json(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(BIN)
        .args(args)
        .arg("--json")
        .current_dir(dir)
        .env_remove("WASLA_LISTEN")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wasla {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn wait_healthy(url: &str) {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{url}/healthz")).await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {url} did not come up");
}

// Multi-threaded: the CLI runs as a blocking child process while the test's webhook
// receiver keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_drives_a_server_configured_by_file_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    std::fs::write(
        dir.path().join("wasla.toml"),
        format!(
            "data_dir = \"./data\"\nlisten = \"127.0.0.1:{port}\"\n[log]\nfilter = \"warn\"\n\
             [outbound]\nallowed_networks = [\"127.0.0.1\"]\n"
        ),
    )
    .unwrap();
    let _server = Served(
        Command::new(BIN)
            .arg("serve")
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}");
    wait_healthy(&url).await;

    // The data directory was created with the database and a private operator token.
    let token_path = dir.path().join("data/operator-token");
    assert!(dir.path().join("data/wasla.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&token_path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    // Admin commands find the server and token through wasla.toml alone.
    let waba = wasla_json(
        dir.path(),
        &["admin", "business", "create", "--name", "Acme"],
    );
    let waba_id = waba["id"].as_str().unwrap().to_string();
    let number = wasla_json(
        dir.path(),
        &[
            "admin",
            "phone-number",
            "create",
            "--waba",
            &waba_id,
            "--number",
            "+16505551234",
            "--verified-name",
            "Acme",
        ],
    );
    assert_eq!(number["display_phone_number"], "+16505551234");
    let hooks = wasla_testkit::WebhookReceiver::start("t").await;
    let app = wasla_json(
        dir.path(),
        &[
            "admin",
            "app",
            "create",
            "--waba",
            &waba_id,
            "--webhook-url",
            &hooks.url,
            "--verify-token",
            "t",
        ],
    );
    assert_eq!(app["app_secret"].as_str().unwrap().len(), 32);
    hooks.set_secret(app["app_secret"].as_str().unwrap());
    let token = wasla_json(
        dir.path(),
        &["admin", "token", "create", "--waba", &waba_id],
    );
    assert!(token["access_token"].as_str().unwrap().len() >= 43);
    let list = wasla_json(dir.path(), &["admin", "business", "list"]);
    assert_eq!(list["data"][0]["name"], "Acme");

    // Person commands act through the server's APIs.
    let ada = wasla_json(
        dir.path(),
        &[
            "person",
            "register",
            "--phone",
            "+447911123401",
            "--name",
            "Ada",
        ],
    );
    assert_eq!(ada["account"]["display_name"], "Ada");
    wasla_json(
        dir.path(),
        &[
            "person",
            "register",
            "--phone",
            "+447911123402",
            "--name",
            "Bob",
        ],
    );
    let sent = wasla_json(
        dir.path(),
        &[
            "person",
            "send",
            "--from",
            "+447911123401",
            "--to",
            "+447911123402",
            "--text",
            "hi Bob",
        ],
    );
    assert!(sent["id"].as_str().unwrap().starts_with("wamid."));
    let to_business = wasla_json(
        dir.path(),
        &[
            "person",
            "send",
            "--from",
            "+447911123401",
            "--to",
            "+16505551234",
            "--text",
            "hello Acme",
        ],
    );
    assert_eq!(to_business["text"]["body"], "hello Acme");
    let inbound = hooks
        .wait_for("the person's message", 10, |v| {
            v["messages"][0]["text"]["body"] == "hello Acme"
        })
        .await;
    assert_eq!(inbound["messages"][0]["id"], to_business["id"]);

    // The delivery log shows it, and it can be delivered again.
    let app_id = app["id"].as_str().unwrap().to_string();
    let mut log = Value::Null;
    for _ in 0..100 {
        // The attempt is recorded just after the receiver answers.
        log = wasla_json(dir.path(), &["admin", "webhook", "log", "--app", &app_id]);
        if log["data"][0]["state"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log["data"][0]["state"], "delivered");
    assert_eq!(log["data"][0]["event"]["event"], "message");
    let delivery = log["data"][0]["id"].as_str().unwrap().to_string();
    wasla_json(
        dir.path(),
        &[
            "admin",
            "webhook",
            "redeliver",
            "--app",
            &app_id,
            "--delivery",
            &delivery,
        ],
    );
    for _ in 0..100 {
        if hooks.payloads().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(hooks.payloads().len(), 2, "redelivered once");
    assert_eq!(hooks.rejected(), 0);

    // What Ada's client sees.
    let chats: Value = reqwest::Client::new()
        .get(format!("{url}/client/v1/chats"))
        .bearer_auth(ada["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(chats["data"].as_array().unwrap().len(), 2);

    // Errors are reported with a non-zero exit and a readable message.
    let out = Command::new(BIN)
        .args([
            "admin",
            "phone-number",
            "create",
            "--waba",
            "1",
            "--number",
            "x",
            "--verified-name",
            "n",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error:"));

    // The environment overrides the file: pointing at another port finds no server.
    let out = Command::new(BIN)
        .args(["admin", "business", "list"])
        .env("WASLA_LISTEN", format!("127.0.0.1:{}", free_port()))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach the server"));
}

#[test]
fn config_example_is_a_valid_config() {
    let out = Command::new(BIN).arg("config-example").output().unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wasla.toml"), &out.stdout).unwrap();
    // A typo in the file is reported, not ignored.
    std::fs::write(dir.path().join("bad.toml"), "lisen = \"x\"\n").unwrap();
    let out = Command::new(BIN)
        .args(["--config", "bad.toml", "serve"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"));
}
