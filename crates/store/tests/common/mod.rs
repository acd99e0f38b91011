//! The stores every conformance scenario runs on: SQLite in a temporary directory always, and
//! a fresh PostgreSQL database when `WASLA_TEST_DATABASE_URL` names a server.

use std::sync::Arc;
use wasla_store::{SqlStore, StoreOptions};

/// (backend name, store, directory kept alive while the store is used); `label` names the
/// PostgreSQL databases the scenario leaves behind (`.ci/run` drops `wasla_test_*`).
pub async fn stores(label: &str) -> Vec<(String, Arc<SqlStore>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let sqlite = SqlStore::open(&url, &StoreOptions::default())
        .await
        .unwrap();
    let mut out = vec![("sqlite".to_string(), Arc::new(sqlite), dir)];
    if let Some(base) = std::env::var("WASLA_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        use sqlx::Connection;
        let name = format!(
            "wasla_test_{label}_{}_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let mut url = url::Url::parse(&base).unwrap();
        url.set_path(&format!("/{name}"));
        let pg = SqlStore::open(url.as_str(), &StoreOptions::default())
            .await
            .unwrap();
        out.push((
            "postgres".to_string(),
            Arc::new(pg),
            tempfile::tempdir().unwrap(),
        ));
    }
    out
}
