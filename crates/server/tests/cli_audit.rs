//! `wasla admin audit`: the operator reads the audit log from the command line, one
//! business's or every business's, as JSON with `--json` or as readable lines.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_wasla");

fn wasla(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("WASLA_LISTEN")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wasla {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn wasla_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = wasla(dir, &all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_audit_lists_what_the_operator_did() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        dir.path().join("wasla.toml"),
        format!("data_dir = \"./data\"\nlisten = \"127.0.0.1:{port}\"\n[log]\nfilter = \"warn\"\n"),
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
    for _ in 0..200 {
        if reqwest::get(format!("{url}/healthz")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let acme = wasla_json(
        dir.path(),
        &["admin", "business", "create", "--name", "Acme"],
    );
    let acme = acme["id"].as_str().unwrap().to_string();
    let other = wasla_json(
        dir.path(),
        &["admin", "business", "create", "--name", "Other"],
    );
    let other = other["id"].as_str().unwrap().to_string();
    wasla_json(
        dir.path(),
        &[
            "admin",
            "agent",
            "create",
            "--waba",
            &acme,
            "--email",
            "boss@acme.example",
            "--name",
            "Boss",
        ],
    );
    wasla_json(dir.path(), &["admin", "token", "create", "--waba", &other]);

    let log = wasla_json(dir.path(), &["admin", "audit", "--waba", &acme]);
    let entries = log["data"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    assert_eq!(entries[1]["route"], "/admin/v1/businesses");
    let e = &entries[0];
    assert_eq!(e["actor"]["kind"], "operator");
    assert_eq!(e["method"], "POST");
    assert_eq!(e["route"], "/admin/v1/businesses/{id}/agents");
    assert_eq!(e["waba_id"], acme.as_str());
    assert_eq!(e["client_address"], "127.0.0.1");
    assert!(e["user_agent"].is_null(), "the CLI sends no user agent");
    // Every business's, newest first, paged.
    let all = wasla_json(dir.path(), &["admin", "audit", "--limit", "2"]);
    let routes: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["route"].as_str().unwrap())
        .collect();
    assert_eq!(
        routes,
        ["/admin/v1/tokens", "/admin/v1/businesses/{id}/agents"]
    );
    let next = all["next_before"].as_str().unwrap();
    let older = wasla_json(
        dir.path(),
        &["admin", "audit", "--limit", "5", "--before", next],
    );
    assert_eq!(
        older["data"].as_array().unwrap().len(),
        2,
        "the two businesses created"
    );
    assert!(older.get("next_before").is_none());

    // Without --json: one readable line per entry.
    let text = wasla(dir.path(), &["admin", "audit", "--waba", &acme]);
    assert!(text.contains("operator"), "{text}");
    assert!(
        text.contains("POST /admin/v1/businesses/{id}/agents"),
        "{text}"
    );
    assert!(text.contains("from 127.0.0.1"), "{text}");
    assert!(text.starts_with("20"), "a UTC date first: {text}");
}
