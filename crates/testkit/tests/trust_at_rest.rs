//! Files and secrets at rest: the data directory and everything the server writes in it are
//! readable by the server's user only (an installation made world-readable is tightened at
//! start), and app secrets are kept in the database sealed, never in plaintext, while webhooks
//! are still signed with them; secrets an older version stored in plaintext are sealed when the
//! server starts.

use serde_json::json;
use sqlx::Row;
use std::path::{Path, PathBuf};
use wasla_testkit::{Db, TestServer, PNG};

/// The permission bits of a file or directory.
#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Set the permission bits, as an older version's umask would have left them.
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every file and directory under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

/// The server's data files: the database with its WAL and shared memory, the operator token,
/// the media directory, its shards and the blobs in them.
#[cfg(unix)]
fn assert_private(data: &Path) {
    assert_eq!(mode(data), 0o700, "data directory");
    for file in ["wasla.db", "wasla.db-wal", "wasla.db-shm", "operator-token"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let media = data.join("media");
    assert_eq!(mode(&media), 0o700, "media directory");
    let all = walk(&media);
    assert!(all.iter().any(|p| p.is_file()), "a blob was written");
    for path in all {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), want, "{}", path.display());
    }
}

/// A server whose data directory does not exist yet (so the server creates it) and whose
/// database lives in it under the default name.
async fn server_in(data: PathBuf) -> TestServer {
    TestServer::start_with(move |c| {
        c.data_dir = data.clone();
        c.database_url = String::new();
    })
    .await
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_its_files_are_private() {
    let base = tempfile::tempdir().unwrap();
    let data = base.path().join("data");
    let s = server_in(data.clone()).await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    ada.upload(PNG.to_vec(), "image/png", "me.png")
        .await
        .unwrap();
    assert_private(&data);

    // An installation from before: everything readable by everyone. A restart tightens it.
    for path in walk(&data) {
        set_mode(&path, if path.is_dir() { 0o755 } else { 0o644 });
    }
    set_mode(&data, 0o755);
    let s = s.restart().await;
    assert_private(&data);
    // And the server still works on the files it tightened.
    let bob = s.register("+44 7911 123402", "Bob").await;
    bob.upload(PNG.to_vec(), "image/png", "b.png")
        .await
        .unwrap();
    assert_private(&data);
}

/// The `apps` table's secrets, read straight from the database.
async fn stored_secrets(s: &TestServer) -> Vec<(i64, String)> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&s.app.config.database_url())
        .await
        .expect("open the database");
    let rows = sqlx::query("SELECT id, app_secret FROM apps ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// Write an app's secret straight into the database, as an older version stored it.
async fn store_plaintext(s: &TestServer, app_id: &str, secret: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&s.app.config.database_url())
        .await
        .expect("open the database");
    sqlx::query("UPDATE apps SET app_secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(app_id.parse::<i64>().unwrap())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn app_secrets_are_sealed_in_the_database_and_webhooks_are_still_signed() {
    for db in Db::all() {
        let s = TestServer::start_on(db.clone()).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        assert_eq!(shop.app_secret.len(), 32, "shown once, in the clear");
        let stored = stored_secrets(&s).await;
        assert_eq!(stored.len(), 1);
        let (_, sealed) = &stored[0];
        assert!(sealed.starts_with("enc:v1:"), "{db:?}: stored {sealed}");
        assert!(!sealed.contains(&shop.app_secret), "{db:?}");
        if db == Db::Sqlite {
            // Not in any page of the database file or its WAL either.
            for file in ["wasla.db", "wasla.db-wal"] {
                let bytes = std::fs::read(s.dir.path().join(file)).unwrap();
                let found = bytes
                    .windows(shop.app_secret.len())
                    .any(|w| w == shop.app_secret.as_bytes());
                assert!(!found, "the plaintext secret is in {file}");
            }
        }

        // The receiver accepts only POSTs signed with the secret it was given at creation.
        let ada = s.register("+44 7911 123401", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "signed?").await;
        shop.hooks
            .wait_for("the message", 10, |v| {
                v["messages"][0]["text"]["body"] == "signed?"
            })
            .await;
        assert_eq!(shop.hooks.rejected(), 0, "{db:?}: every webhook verified");

        // Listing apps never shows the secret again.
        let (status, apps) = s
            .admin(
                reqwest::Method::GET,
                &format!("/admin/v1/businesses/{}/apps", shop.waba_id),
                None,
            )
            .await;
        assert_eq!(status, 200, "{apps}");
        assert!(!apps.to_string().contains(&shop.app_secret), "{apps}");
        assert!(!apps.to_string().contains("enc:v1:"), "{apps}");
    }
}

#[tokio::test]
async fn secrets_stored_in_plaintext_are_sealed_at_start() {
    for db in Db::all() {
        let mut s = TestServer::start_on(db.clone()).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        // What an older version left: the secret as it was given.
        s.shutdown().await;
        store_plaintext(&s, &shop.app_id, "legacy-secret").await;
        let s = s.restart().await;
        let stored = stored_secrets(&s).await;
        assert!(stored[0].1.starts_with("enc:v1:"), "{db:?}: {stored:?}");
        assert!(!stored[0].1.contains("legacy-secret"));

        // Webhooks are signed with the secret the integration holds.
        shop.hooks.set_secret("legacy-secret");
        let ada = s.register("+44 7911 123401", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "after the upgrade").await;
        shop.hooks
            .wait_for("the message", 10, |v| {
                v["messages"][0]["text"]["body"] == "after the upgrade"
            })
            .await;
        assert_eq!(shop.hooks.rejected(), 0, "{db:?}");

        // A sealed value copied into another app's row does not open there: the row is bound
        // into the sealing. (Another app of the same WABA, then its secret overwritten.)
        let (status, other) = s
            .admin(
                reqwest::Method::POST,
                "/admin/v1/apps",
                Some(json!({"waba_id": shop.waba_id, "webhook_url": shop.hooks.url, "verify_token": "verify-me"})),
            )
            .await;
        assert_eq!(status, 200, "{other}");
        let moved = stored[0].1.clone();
        store_plaintext(&s, other["id"].as_str().unwrap(), &moved).await;
        let (status, body) = s
            .admin(
                reqwest::Method::GET,
                &format!(
                    "/admin/v1/apps/{}/deliveries",
                    other["id"].as_str().unwrap()
                ),
                None,
            )
            .await;
        assert_eq!(status, 500, "{db:?}: {body}");
    }
}
