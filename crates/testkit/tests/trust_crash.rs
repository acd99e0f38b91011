//! The real `wasla` process is killed with SIGKILL in the middle of load, three times, and
//! started again on the same data (its SQLite file, or the same PostgreSQL database when
//! `WASLA_TEST_DATABASE_URL` is set). The load: a business sending through the Cloud API, and
//! people sending to each other over their WebSockets (resending an unanswered send with its
//! `client_id` after a reconnect, as the web client does). Afterwards every acknowledged
//! message is in its chat's history exactly once (paged through the client API); every
//! acknowledged Cloud API send's status webhooks arrive signed, `sent` before `delivered`
//! before `read` (a `sent` whose POST was cut by the kill may come twice: its outcome was
//! unknown, and delivery is at least once); and the people's messages to the business reach it.

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use wasla_testkit::{value_of, Db, Person, ProcessServer};

const KILLS: usize = 3;
/// Load between two kills.
const RUN: Duration = Duration::from_millis(1_500);
/// Webhook POSTs time out after 2 s, so the lease of a delivery cut by a kill runs out after
/// 7 s (the timeout plus 5 s; `lease_secs` asks for less), and it is sent again then.
const CONFIG: &str = "[webhooks]\ntimeout_ms = 2000\nlease_secs = 1\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_kill_9_on_sqlite() {
    crash(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_kill_9_on_postgres() {
    let Some(db) = Db::all().into_iter().find(|d| matches!(d, Db::Postgres(_))) else {
        eprintln!("WASLA_TEST_DATABASE_URL is not set: the PostgreSQL crash test is skipped");
        return;
    };
    crash(db).await;
}

/// What the load was told was committed, and what it could not know.
#[derive(Default)]
struct Acked {
    /// Cloud API sends answered 200: (recipient index, wamid).
    api: Vec<(usize, String)>,
    /// Cloud API sends with no answer (cut by a kill): committed or not.
    api_unknown: usize,
    /// WebSocket sends acked: (client_id, message id).
    ws: Vec<(String, String)>,
}

async fn crash(db: Db) {
    let started = Instant::now();
    let mut server = ProcessServer::start_on(db.clone(), CONFIG).await;
    let name = match db {
        Db::Sqlite => "sqlite",
        Db::Postgres(_) => "postgres",
    };
    let shop = server.business("Acme", "+1 650 555 1234").await;
    let mut customers = vec![];
    let mut inbound = vec![];
    for n in 0..3 {
        let p = server
            .register(&format!("+44 7911 2234{n:02}"), &format!("C{n}"))
            .await;
        let chat = p.chat_with(&shop.wa_id).await;
        let hello = p.send_text(&chat, "hello").await;
        inbound.push(hello["id"].as_str().unwrap().to_string());
        customers.push((p, chat));
    }
    let ada = server.register("+44 7911 223450", "Ada").await;
    let bob = server.register("+44 7911 223451", "Bob").await;
    let ada_bob = ada.chat_with(&bob.wa_id).await;

    // Load: two Cloud API senders and two people on WebSockets, until told to stop.
    let acked = Arc::new(Mutex::new(Acked::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = vec![];
    for sender in 0..2 {
        let (acked, stop) = (acked.clone(), stop.clone());
        let to: Vec<String> = customers.iter().map(|(p, _)| p.wa_id.clone()).collect();
        let (url, token) = (
            format!("{}/v23.0/{}/messages", server.url, shop.phone_number_id),
            shop.token.clone(),
        );
        load.push(tokio::spawn(async move {
            api_sender(sender, url, token, to, acked, stop).await
        }));
    }
    for (who, tag) in [(&ada, "ada"), (&bob, "bob")] {
        let (acked, stop) = (acked.clone(), stop.clone());
        let (ws_url, token, chat) = (server.ws_url(), who.token.clone(), ada_bob.clone());
        load.push(tokio::spawn(async move {
            ws_sender(tag, ws_url, token, chat, acked, stop).await
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
        acked.api.len() >= 20 && acked.ws.len() >= 20,
        "{name}: too little load to prove anything ({} API, {} WebSocket sends acked)",
        acked.api.len(),
        acked.ws.len()
    );

    // Histories: every acked message exactly once, nothing shown twice.
    for (i, (p, chat)) in customers.iter().enumerate() {
        let shown = history(p, chat).await;
        let ids: Vec<&String> = shown.iter().map(|(id, _)| id).collect();
        let unique: HashSet<&String> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{name}: a message shown twice");
        for (_, wamid) in acked.api.iter().filter(|(to, _)| *to == i) {
            assert!(unique.contains(wamid), "{name}: acked {wamid} lost");
        }
    }
    for viewer in [&ada, &bob] {
        let shown = history(viewer, &ada_bob).await;
        let ids: HashSet<&String> = shown.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), shown.len(), "{name}: a message shown twice");
        let mut client_ids = HashSet::new();
        for c in shown.iter().filter_map(|(_, c)| c.as_ref()) {
            assert!(client_ids.insert(c), "{name}: {c} stored twice");
        }
        for (client_id, id) in &acked.ws {
            assert!(ids.contains(id), "{name}: acked {client_id} ({id}) lost");
        }
    }

    // The customers read everything: each acked send owes `sent`, `delivered` and `read`.
    for (p, chat) in &customers {
        let last = p.get(&format!("/client/v1/chats/{chat}")).await.unwrap()["last_seq"].clone();
        p.post(
            &format!("/client/v1/chats/{chat}/read"),
            json!({"up_to_seq": last}),
        )
        .await
        .unwrap();
    }
    let statuses = |payloads: &[Value]| {
        let mut by_id: HashMap<String, Vec<String>> = HashMap::new();
        for p in payloads {
            let v = value_of(p);
            if let Some(st) = v["statuses"].get(0) {
                by_id
                    .entry(st["id"].as_str().unwrap_or_default().to_string())
                    .or_default()
                    .push(st["status"].as_str().unwrap_or_default().to_string());
            }
        }
        by_id
    };
    let complete = |by_id: &HashMap<String, Vec<String>>| {
        acked
            .api
            .iter()
            .all(|(_, w)| by_id.get(w).is_some_and(|s| s.iter().any(|s| s == "read")))
    };
    let deadline = Instant::now() + Duration::from_secs(40);
    while !complete(&statuses(&shop.hooks.payloads())) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let payloads = shop.hooks.payloads();
    let by_id = statuses(&payloads);
    let mut repeated_sent = 0;
    for (_, wamid) in &acked.api {
        let got = by_id.get(wamid).cloned().unwrap_or_default();
        let mut collapsed = got.clone();
        collapsed.dedup();
        assert_eq!(
            collapsed,
            ["sent", "delivered", "read"],
            "{name}: statuses of {wamid} missing or out of order: {got:?}"
        );
        assert_eq!(
            got.len() - collapsed.len(),
            got.iter().filter(|s| *s == "sent").count() - 1,
            "{name}: only a `sent` cut by a kill may come again: {got:?}"
        );
        repeated_sent += got.len() - 3;
    }
    // Every status of a message the load could not know about is in order too.
    for (wamid, got) in &by_id {
        let mut collapsed = got.clone();
        collapsed.dedup();
        assert!(
            ["sent", "delivered", "read"][..collapsed.len().min(3)] == collapsed[..],
            "{name}: {wamid}: {got:?}"
        );
    }
    let messages: HashSet<String> = payloads
        .iter()
        .filter_map(|p| {
            value_of(p)["messages"][0]["id"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    for id in &inbound {
        assert!(messages.contains(id), "{name}: inbound {id} never arrived");
    }
    assert_eq!(shop.hooks.rejected(), 0, "{name}: every webhook was signed");
    eprintln!(
        "{name}: {} API and {} WebSocket sends acked across {KILLS} kills ({} API sends cut), \
         {} webhooks, {repeated_sent} `sent` repeated after a kill, in {:?}",
        acked.api.len(),
        acked.ws.len(),
        acked.api_unknown,
        payloads.len(),
        started.elapsed()
    );
}

/// Send texts through the Cloud API, round-robin over `to`, until `stop`.
async fn api_sender(
    sender: usize,
    url: String,
    token: String,
    to: Vec<String>,
    acked: Arc<Mutex<Acked>>,
    stop: Arc<AtomicBool>,
) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut n = 0usize;
    while !stop.load(Ordering::SeqCst) {
        let i = n % to.len();
        let body = json!({"messaging_product": "whatsapp", "to": to[i], "type": "text",
            "text": {"body": format!("api {sender}/{n}")}});
        match http.post(&url).bearer_auth(&token).json(&body).send().await {
            Ok(r) if r.status().is_success() => {
                let v: Value = r.json().await.unwrap_or(Value::Null);
                match v["messages"][0]["id"].as_str() {
                    Some(w) => acked.lock().unwrap().api.push((i, w.to_string())),
                    None => acked.lock().unwrap().api_unknown += 1,
                }
            }
            Ok(r) => panic!("send refused: {} {:?}", r.status(), r.text().await),
            Err(_) => {
                // Cut by the kill, or the server is not back yet: the send may or may not
                // have been committed, and the Cloud API has no key to retry it with.
                acked.lock().unwrap().api_unknown += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        n += 1;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A person sending texts over a WebSocket, one at a time, until `stop`; after a lost
/// connection it reconnects and sends the unanswered text again with the same `client_id`.
async fn ws_sender(
    tag: &'static str,
    ws_url: String,
    token: String,
    chat: String,
    acked: Arc<Mutex<Acked>>,
    stop: Arc<AtomicBool>,
) {
    let mut after = 0i64;
    let mut socket: Option<Socket> = None;
    let mut n = 0usize;
    let mut pending: Option<String> = None;
    while !stop.load(Ordering::SeqCst) || pending.is_some() {
        if socket.is_none() {
            socket = connect(&ws_url, &token, &mut after).await;
            if socket.is_none() {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        }
        let client_id = pending.get_or_insert_with(|| {
            n += 1;
            format!("{tag}-{n}")
        });
        let ws = socket.as_mut().expect("connected");
        let frame = json!({"op": "send", "ref": client_id, "chat_id": chat,
            "client_id": client_id, "type": "text", "text": {"body": client_id}});
        let answered = async {
            ws.send(Message::Text(frame.to_string().into()))
                .await
                .ok()?;
            loop {
                let Message::Text(t) = ws.next().await?.ok()? else {
                    continue;
                };
                let v: Value = serde_json::from_str(t.as_str()).ok()?;
                if v["type"] == "event" {
                    after = after.max(v["seq"].as_i64().unwrap_or(0));
                } else if v["type"] == "ack" && v["ref"] == client_id.as_str() {
                    return Some(v);
                }
            }
        };
        match tokio::time::timeout(Duration::from_secs(5), answered).await {
            Ok(Some(ack)) => {
                let id = ack["message"]["id"].as_str().unwrap_or_else(|| {
                    panic!("{tag}: send {client_id} refused: {ack}");
                });
                acked
                    .lock()
                    .unwrap()
                    .ws
                    .push((client_id.clone(), id.to_string()));
                pending = None;
            }
            // The connection went with the server: send it again once back.
            _ => socket = None,
        }
    }
}

/// Connect and say `hello` after the last event seen; `None` while the server is down.
async fn connect(url: &str, token: &str, after: &mut i64) -> Option<Socket> {
    let (mut ws, _) = tokio::time::timeout(
        Duration::from_secs(2),
        tokio_tungstenite::connect_async(url),
    )
    .await
    .ok()?
    .ok()?;
    let hello = json!({"op": "hello", "token": token, "after": *after});
    ws.send(Message::Text(hello.to_string().into()))
        .await
        .ok()?;
    let ready = async {
        loop {
            if let Message::Text(t) = ws.next().await?.ok()? {
                let v: Value = serde_json::from_str(t.as_str()).ok()?;
                if v["type"] == "ready" {
                    return Some(());
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), ready)
        .await
        .ok()??;
    Some(ws)
}

/// Every message of a chat as `person` sees it, paging back through the client API:
/// (id, client_id).
async fn history(person: &Person, chat: &str) -> Vec<(String, Option<String>)> {
    let mut out = vec![];
    let mut before: Option<i64> = None;
    loop {
        let path = match before {
            Some(b) => format!("/client/v1/chats/{chat}/messages?limit=200&before_seq={b}"),
            None => format!("/client/v1/chats/{chat}/messages?limit=200"),
        };
        let page = person.get(&path).await.expect("history page");
        let data = page["data"].as_array().cloned().unwrap_or_default();
        for m in &data {
            out.push((
                m["id"].as_str().unwrap_or_default().to_string(),
                m["client_id"].as_str().map(str::to_string),
            ));
        }
        before = data.first().and_then(|m| m["seq"].as_i64());
        if page["has_more"] != true || before.is_none() {
            return out;
        }
    }
}
