//! The audit log's storage on SQLite and, when `WASLA_TEST_DATABASE_URL` is set, PostgreSQL:
//! batches larger than one statement are written whole and in order, optional fields come
//! back as they went in, pages go newest first per WABA or over all of them, and a purge
//! deletes exactly the entries older than its cutoff.

mod common;

use wasla_core::business::{AuditQuery, AuditRow, AuditStore};

fn row(id: i64, waba_id: Option<i64>) -> AuditRow {
    AuditRow {
        id,
        at: 1_000 + id,
        waba_id,
        actor_kind: if waba_id.is_some() {
            "agent"
        } else {
            "operator"
        }
        .into(),
        actor_id: waba_id.map(|_| 77),
        actor_email: waba_id.map(|_| "bo@ex.example".into()),
        method: "POST".into(),
        route: "/console/v1/labels/{id}".into(),
        target: (id % 2 == 0).then(|| format!("id={id} — ünïcode")),
        status: if id % 3 == 0 { 403 } else { 200 },
        client_addr: Some("203.0.113.5".into()),
        user_agent: (id % 5 == 0).then(|| "curl/8".into()),
    }
}

fn ids(rows: &[AuditRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn entries_round_trip_page_and_purge() {
    for (name, store, _dir) in common::stores("audit").await {
        // 600 entries (three statements' worth) for WABA 1, WABA 2 and none, interleaved.
        let rows: Vec<AuditRow> = (1..=600)
            .map(|id| row(id, [Some(1), Some(2), None][(id % 3) as usize]))
            .collect();
        store.insert_audit(&rows).await.unwrap();
        store.insert_audit(&[]).await.unwrap();

        let all = store
            .audit_page(&AuditQuery {
                waba_id: None,
                before: None,
                limit: 1000,
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 600, "{name}");
        assert_eq!(
            ids(&all),
            (1..=600).rev().collect::<Vec<_>>(),
            "{name}: newest first"
        );
        let mut back = all.clone();
        back.reverse();
        assert_eq!(back, rows, "{name}: every field as written");

        let page = store
            .audit_page(&AuditQuery {
                waba_id: Some(2),
                before: Some(500),
                limit: 3,
            })
            .await
            .unwrap();
        assert_eq!(ids(&page), [499, 496, 493], "{name}");
        assert!(page.iter().all(|r| r.waba_id == Some(2)));

        // Entries at 1,001 … 1,600: a cutoff of 1,101 takes the first hundred.
        assert_eq!(store.purge_audit(1_101).await.unwrap(), 100, "{name}");
        assert_eq!(store.purge_audit(1_101).await.unwrap(), 0, "{name}");
        let left = store
            .audit_page(&AuditQuery {
                waba_id: None,
                before: None,
                limit: 1000,
            })
            .await
            .unwrap();
        assert_eq!(left.len(), 500, "{name}");
        assert_eq!(left.last().unwrap().id, 101, "{name}");
    }
}
