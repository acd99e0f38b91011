//! Rating survives SIGKILL: the real `wasla` process is killed three times while a business
//! sends through the Cloud API and its customers' devices keep reading (which delivers), and
//! started again on the same data. Afterwards every message of the business in the customers'
//! histories (each delivered and read) has exactly one ledger row, every acknowledged send is
//! among them, and no plan is left unrated.

use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasla_testkit::{Db, Person, ProcessServer};

const KILLS: usize = 3;
const RUN: Duration = Duration::from_millis(1_500);
const CONFIG: &str = "[webhooks]\ntimeout_ms = 2000\nlease_secs = 1\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_rated_exactly_once_across_kill_9_on_sqlite() {
    crash(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_rated_exactly_once_across_kill_9_on_postgres() {
    let Some(db) = Db::all().into_iter().find(|d| matches!(d, Db::Postgres(_))) else {
        eprintln!("WASLA_TEST_DATABASE_URL is not set: the PostgreSQL crash test is skipped");
        return;
    };
    crash(db).await;
}

async fn crash(db: Db) {
    let mut server = ProcessServer::start_on(db.clone(), CONFIG).await;
    let name = if db == Db::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    let shop = server.business("Acme", "+1 650 555 1234").await;
    let mut customers: Vec<(Person, String)> = vec![];
    for n in 0..3 {
        let p = server
            .register(&format!("+49 151 2345{n:04}"), &format!("C{n}"))
            .await;
        let chat = p.chat_with(&shop.wa_id).await;
        // Their message opens the window: the business's replies are service messages.
        p.send_text(&chat, "hello").await;
        customers.push((p, chat));
    }
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = vec![];
    {
        let (acked, stop) = (acked.clone(), stop.clone());
        let to: Vec<String> = customers.iter().map(|(p, _)| p.wa_id.clone()).collect();
        let url = format!("{}/v23.0/{}/messages", server.url, shop.phone_number_id);
        let token = shop.token.clone();
        load.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let body = json!({"messaging_product": "whatsapp", "to": to[n % to.len()],
                    "type": "text", "text": {"body": format!("update {n}")}});
                if let Ok(r) = http.post(&url).bearer_auth(&token).json(&body).send().await {
                    if r.status().is_success() {
                        let v: Value = r.json().await.unwrap_or(Value::Null);
                        if let Some(w) = v["messages"][0]["id"].as_str() {
                            acked.lock().unwrap().push(w.to_string());
                        }
                    }
                } else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                n += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }));
    }
    // The customers' devices keep reading everything (delivering it first).
    for (p, chat) in &customers {
        let (base, token, chat, stop) = (
            server.url.clone(),
            p.token.clone(),
            chat.clone(),
            stop.clone(),
        );
        load.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                read_all(&base, &token, &chat).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    for _ in 0..KILLS {
        tokio::time::sleep(RUN).await;
        server.kill();
        tokio::time::sleep(Duration::from_millis(200)).await;
        server.restart().await;
    }
    tokio::time::sleep(RUN).await;
    stop.store(true, Ordering::SeqCst);
    for task in load {
        task.await.expect("load task");
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(
        acked.len() >= 20,
        "{name}: too little load ({} sends)",
        acked.len()
    );

    // Everything the business sent, as the customers' histories have it, read to the end.
    let mut sent: HashSet<String> = HashSet::new();
    for (p, chat) in &customers {
        read_all(&server.url, &p.token, chat).await;
        for m in history(p, chat).await {
            if m["from"] == shop.wa_id.as_str() {
                sent.insert(m["id"].as_str().unwrap().to_string());
            }
        }
    }
    for w in &acked {
        assert!(sent.contains(w), "{name}: acked {w} not in a history");
    }
    let http = reqwest::Client::new();
    let rated = |http: reqwest::Client| {
        let url = format!(
            "{}/admin/v1/billing/accounts/{}/rated?limit=100000",
            server.url, shop.waba_id
        );
        let token = server.operator_token.clone();
        async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut list = rated(http.clone()).await;
    while list["unrated"] != 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        list = rated(http.clone()).await;
    }
    assert_eq!(list["unrated"], 0, "{name}: plans left unrated");
    let mut per_message: HashMap<String, usize> = HashMap::new();
    for r in list["data"].as_array().unwrap() {
        *per_message
            .entry(r["wamid"].as_str().unwrap().to_string())
            .or_default() += 1;
        assert_eq!(r["pricing_type"], "free_customer_service");
    }
    assert!(
        per_message.values().all(|n| *n == 1),
        "{name}: a message rated twice"
    );
    let rated_ids: HashSet<String> = per_message.into_keys().collect();
    assert_eq!(
        rated_ids, sent,
        "{name}: every delivered message rated, nothing else"
    );
    eprintln!(
        "{name}: {} acked sends, {} messages delivered and rated once across {KILLS} kills",
        acked.len(),
        sent.len()
    );
}

/// Read the chat up to its last message (errors while the server is down are ignored).
async fn read_all(base: &str, token: &str, chat: &str) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let Ok(r) = http
        .get(format!("{base}/client/v1/chats/{chat}"))
        .bearer_auth(token)
        .send()
        .await
    else {
        return;
    };
    let Ok(c) = r.json::<Value>().await else {
        return;
    };
    let _ = http
        .post(format!("{base}/client/v1/chats/{chat}/read"))
        .bearer_auth(token)
        .json(&json!({"up_to_seq": c["last_seq"]}))
        .send()
        .await;
}

async fn history(person: &Person, chat: &str) -> Vec<Value> {
    let mut out = vec![];
    let mut before: Option<i64> = None;
    loop {
        let path = match before {
            Some(b) => format!("/client/v1/chats/{chat}/messages?limit=200&before_seq={b}"),
            None => format!("/client/v1/chats/{chat}/messages?limit=200"),
        };
        let page = person.get(&path).await.expect("history page");
        let data = page["data"].as_array().cloned().unwrap_or_default();
        out.extend(data.iter().cloned());
        before = data.first().and_then(|m| m["seq"].as_i64());
        if page["has_more"] != true || before.is_none() {
            return out;
        }
    }
}
