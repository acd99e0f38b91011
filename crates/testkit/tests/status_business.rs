//! A business's Status updates from the console, end to end on each backend: an admin posts
//! text (JSON) and an image (multipart); they reach the people who chat with the business's
//! number, under the business's name, live and in the feed, and nobody else; the console lists
//! them with viewer counts, reads the viewers and deletes them; agents who are not admins,
//! other businesses, oversized and non-media files change nothing.

use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Agent, Db, TestServer, PNG};

async fn post_file(
    s: &TestServer,
    agent: &Agent,
    bytes: Vec<u8>,
    mime: &str,
    caption: &str,
) -> (u16, Value) {
    let form = Form::new().text("caption", caption.to_string()).part(
        "file",
        Part::bytes(bytes).file_name("f").mime_str(mime).unwrap(),
    );
    let r = reqwest::Client::new()
        .post(format!("{}/console/v1/status", s.url))
        .bearer_auth(&agent.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn live_count(agent: &Agent) -> usize {
    agent.get("/console/v1/status").await["updates"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn business_updates_reach_its_customers() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme Bakery", "+1 650 555 1234").await;
        let rival = s.business("Rival", "+1 650 555 9876").await;
        let admin = s.agent(&shop, "admin@acme.test", "admin").await;
        let clerk = s.agent(&shop, "clerk@acme.test", "agent").await;
        let rival_admin = s.agent(&rival, "admin@rival.test", "admin").await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&chat, "hi").await;
        let mut ada_ws = ada.ws(0).await;
        ada_ws.drain(200).await;

        // Text, as JSON.
        let up = admin
            .post(
                "/console/v1/status",
                json!({"type": "text", "text": {"body": "Fresh bread at 7", "background": "#AA5500"}}),
            )
            .await;
        let id = up["id"].as_str().unwrap().to_string();
        assert_eq!(up["author"]["name"], "Acme Bakery");
        assert_eq!(up["author"]["business"], true);
        assert_eq!(up["author"]["wa_id"], shop.wa_id);
        assert_eq!(up["views"], 0);
        let f = ada_ws
            .expect("business update", |v| {
                v["type"] == "status_update" && v["update"]["id"] == id.as_str()
            })
            .await;
        assert_eq!(f["update"]["author"]["name"], "Acme Bakery");
        let feed = ada.get("/client/v1/status").await.unwrap();
        assert_eq!(feed["contacts"][0]["author"]["name"], "Acme Bakery");
        assert_eq!(feed["contacts"][0]["updates"][0]["id"], id.as_str());
        let dan_feed = dan.get("/client/v1/status").await.unwrap();
        assert!(dan_feed["contacts"].as_array().unwrap().is_empty());
        assert!(dan.get(&format!("/client/v1/status/{id}")).await.is_err());

        // An image with a caption, as a form.
        let (st, img) = post_file(&s, &admin, PNG.to_vec(), "image/png", "Our new loaf").await;
        assert_eq!(st, 200, "{img}");
        let img_id = img["id"].as_str().unwrap().to_string();
        assert_eq!(img["image"]["caption"], "Our new loaf");
        let media = reqwest::Client::new()
            .get(format!("{}/client/v1/status/{img_id}/media", s.url))
            .bearer_auth(&ada.token)
            .send()
            .await
            .unwrap();
        assert_eq!(media.status().as_u16(), 200);
        assert_eq!(media.bytes().await.unwrap().to_vec(), PNG);
        let media = reqwest::Client::new()
            .get(format!("{}/client/v1/status/{img_id}/media", s.url))
            .bearer_auth(&dan.token)
            .send()
            .await
            .unwrap();
        assert_eq!(media.status().as_u16(), 404);

        // Refused and nothing changes: not an admin, too large, not media, bad colour.
        let (st, _) = clerk
            .call(
                Method::POST,
                "/console/v1/status",
                Some(json!({"type": "text", "text": {"body": "x", "background": "#000000"}})),
            )
            .await;
        assert_eq!(st, 403);
        let (st, _) = post_file(&s, &admin, vec![0u8; 17 << 20], "video/mp4", "big").await;
        assert_eq!(st, 413);
        // Sniffed, not trusted: words labelled as a PNG are refused as the upload path does.
        let (st, body) = post_file(&s, &admin, b"plain words".to_vec(), "image/png", "x").await;
        assert_eq!(st, 415, "{body}");
        let (st, body) = post_file(&s, &admin, b"plain words".to_vec(), "text/plain", "x").await;
        assert_eq!(st, 400, "{body}");
        let (st, _) = admin
            .call(
                Method::POST,
                "/console/v1/status",
                Some(json!({"type": "text", "text": {"body": "x", "background": "red"}})),
            )
            .await;
        assert_eq!(st, 400);
        assert_eq!(live_count(&admin).await, 2);

        // Views reach the console; other businesses see none of it.
        ada.post(&format!("/client/v1/status/{id}/view"), json!({}))
            .await
            .unwrap();
        let list = admin.get("/console/v1/status").await;
        let first = &list["updates"][0];
        assert_eq!(first["id"], id.as_str());
        assert_eq!(first["views"], 1);
        let viewers = admin.get(&format!("/console/v1/status/{id}/viewers")).await;
        assert_eq!(viewers["viewers"][0]["wa_id"], ada.wa_id);
        assert_eq!(live_count(&rival_admin).await, 0);
        let (st, _) = rival_admin
            .call(
                Method::GET,
                &format!("/console/v1/status/{id}/viewers"),
                None,
            )
            .await;
        assert_eq!(st, 404);
        let (st, _) = rival_admin
            .call(Method::DELETE, &format!("/console/v1/status/{id}"), None)
            .await;
        assert_eq!(st, 404);

        // A customer's reply reaches the business's chat, quoting the update.
        let reply = ada
            .post(
                &format!("/client/v1/status/{id}/reply"),
                json!({"text": "Save me one!"}),
            )
            .await
            .unwrap();
        assert_eq!(reply["chat_id"], chat.as_str());
        assert_eq!(reply["context"]["status"]["id"], id.as_str());

        // Deleting takes it out of the customer's feed.
        let (st, _) = clerk
            .call(Method::DELETE, &format!("/console/v1/status/{id}"), None)
            .await;
        assert_eq!(st, 403);
        let (st, _) = admin
            .call(Method::DELETE, &format!("/console/v1/status/{id}"), None)
            .await;
        assert_eq!(st, 200);
        let feed = ada.get("/client/v1/status").await.unwrap();
        let ids: Vec<&Value> = feed["contacts"][0]["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| &u["id"])
            .collect();
        assert_eq!(ids, [&json!(img_id)]);
        assert_eq!(live_count(&admin).await, 1);
    }
}
