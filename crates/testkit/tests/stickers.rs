//! Stickers: the sticker rules wherever stickers enter (client sends, Cloud API uploads and
//! sends: WebP only, 512×512, 100 KB static, 500 KB animated, animation read from the file),
//! `animated` in inbound sticker webhooks, and sticker packs: a business publishes one in the
//! console, people add it by its link, send from it and remove it, other businesses cannot
//! touch it, and Wasla's own pack is everyone's. Every test runs on each backend.

use image_webp::{ColorType, WebPEncoder};
use rand::RngCore;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Agent, Business, Db, Person, TestServer, PNG};

const OPEN_SIGN: &[u8] =
    include_bytes!("../../core/assets/stickers/open-for-business/01-open-sign.webp");
const WAVE: &[u8] = include_bytes!("../../core/assets/stickers/open-for-business/06-wave.webp");

/// A lossless WebP of `side`² pixels whose first `noisy_rows` rows are random (incompressible).
fn webp(side: u32, noisy_rows: u32) -> Vec<u8> {
    let mut px = vec![0u8; (side * side * 4) as usize];
    rand::thread_rng().fill_bytes(&mut px[..(side * noisy_rows * 4) as usize]);
    for a in px.chunks_mut(4) {
        a[3] = 255;
    }
    let mut out = Vec::new();
    WebPEncoder::new(&mut out)
        .encode(&px, side, side, ColorType::Rgba8)
        .unwrap();
    out
}

fn chunk(tag: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// An animated 512×512 WebP (VP8X animation flag, ANIM, one ANMF per still).
fn animated(stills: &[Vec<u8>]) -> Vec<u8> {
    let side = [0xff, 0x01, 0x00]; // 511, 24-bit little-endian
    let mut vp8x = vec![0x12, 0, 0, 0];
    vp8x.extend_from_slice(&side);
    vp8x.extend_from_slice(&side);
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend(chunk(b"ANIM", &[0; 6]));
    for still in stills {
        let mut anmf = vec![0; 6];
        anmf.extend_from_slice(&side);
        anmf.extend_from_slice(&side);
        anmf.extend_from_slice(&[100, 0, 0, 0x02]);
        anmf.extend_from_slice(&still[12..]);
        body.extend(chunk(b"ANMF", &anmf));
    }
    chunk(b"RIFF", &body)
}

async fn cloud_upload(s: &TestServer, shop: &Business, bytes: &[u8], mime: &str) -> Value {
    let form = Form::new().text("messaging_product", "whatsapp").part(
        "file",
        Part::bytes(bytes.to_vec())
            .file_name("sticker.webp")
            .mime_str(mime)
            .unwrap(),
    );
    reqwest::Client::new()
        .post(format!("{}/v23.0/{}/media", s.url, shop.phone_number_id))
        .bearer_auth(&shop.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn publish(s: &TestServer, agent: &Agent, name: &str, files: &[&[u8]]) -> (u16, Value) {
    let mut form = Form::new()
        .text("name", name.to_string())
        .text("cover", "0");
    for f in files {
        form = form.part(
            "sticker",
            Part::bytes(f.to_vec())
                .file_name("s.webp")
                .mime_str("image/webp")
                .unwrap(),
        );
    }
    let r = reqwest::Client::new()
        .post(format!("{}/console/v1/sticker-packs", s.url))
        .bearer_auth(&agent.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn send_sticker(p: &Person, chat: &str, sticker: &str) -> Result<Value, (u16, Value)> {
    p.post(
        &format!("/client/v1/chats/{chat}/stickers"),
        json!({"sticker_id": sticker}),
    )
    .await
}

#[tokio::test]
async fn sticker_rules_on_every_way_in() {
    let big_static = webp(512, 90);
    assert!((100 * 1024..250 * 1024).contains(&big_static.len()));
    let two = animated(&[big_static.clone(), big_static.clone()]);
    let over = animated(&vec![big_static.clone(); 4]);
    assert!(two.len() <= 500 * 1024 && over.len() > 500 * 1024);
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let sticker = |id: &Value, claimed: bool| json!({"type": "sticker", "sticker": {"id": id, "animated": claimed}});
        let msgs = format!("/client/v1/chats/{chat}/messages");

        // A person's sends: the file decides, whatever the client claims.
        let up = ada
            .upload(OPEN_SIGN.to_vec(), "image/webp", "a.webp")
            .await
            .unwrap();
        ada.post(&msgs, sticker(&up["id"], true)).await.unwrap();
        let v = shop
            .hooks
            .wait_for("static sticker", 10, |v| {
                v["messages"][0]["type"] == "sticker"
            })
            .await;
        let st = &v["messages"][0]["sticker"];
        assert_eq!(st["animated"], false, "never trusted from the client: {st}");
        assert_eq!(st["mime_type"], "image/webp");
        assert_eq!(st["sha256"].as_str().unwrap().len(), 64);
        assert!(st["id"].as_str().is_some());
        let up = ada
            .upload(two.clone(), "image/webp", "b.webp")
            .await
            .unwrap();
        ada.post(&msgs, sticker(&up["id"], false)).await.unwrap();
        let v = shop
            .hooks
            .wait_for("animated sticker", 10, |v| {
                v["messages"][0]["sticker"]["animated"] == true
            })
            .await;
        assert_eq!(v["messages"][0]["sticker"]["mime_type"], "image/webp");

        let refused: [(&str, Vec<u8>, &str, &str); 4] = [
            ("wrong size", webp(256, 0), "image/webp", "512x512"),
            (
                "static over 100 KB",
                big_static.clone(),
                "image/webp",
                "static",
            ),
            ("PNG renamed .webp", PNG.to_vec(), "image/webp", "WebP"),
            (
                "animated over 500 KB",
                over.clone(),
                "image/webp",
                "animated",
            ),
        ];
        for (what, bytes, mime, says) in &refused {
            let before = ada.get(&msgs).await.unwrap()["data"]
                .as_array()
                .unwrap()
                .len();
            let err = match ada.upload(bytes.clone(), mime, "x.webp").await {
                Ok(up) => ada
                    .post(&msgs, sticker(&up["id"], false))
                    .await
                    .unwrap_err(),
                Err(e) => e,
            };
            assert_eq!(err.0, 415, "{what}: {err:?}");
            let msg = err.1.to_string();
            assert!(msg.contains(says), "{what}: {msg}");
            let after = ada.get(&msgs).await.unwrap()["data"]
                .as_array()
                .unwrap()
                .len();
            assert_eq!(before, after, "{what}: nothing was sent");
        }

        // The Cloud API: WebP uploads are stickers and must pass; sends check the file.
        let ok = cloud_upload(&s, &shop, WAVE, "image/webp").await;
        let (status, r) = shop
            .send(
                json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "sticker",
                          "sticker": {"id": ok["id"]}}),
            )
            .await;
        assert_eq!(status, 200, "{r}");
        for (what, bytes, _, says) in &refused {
            if *what == "PNG renamed .webp" {
                continue;
            }
            let r = cloud_upload(&s, &shop, bytes, "image/webp").await;
            assert_eq!(r["error"]["code"], 131053, "{what}: {r}");
            let details = r["error"]["error_data"]["details"].as_str().unwrap();
            assert!(details.contains(says), "{what}: {details}");
        }
        let png = cloud_upload(&s, &shop, PNG, "image/webp").await;
        let (status, r) = shop
            .send(
                json!({"messaging_product": "whatsapp", "to": ada.wa_id, "type": "sticker",
                          "sticker": {"id": png["id"]}}),
            )
            .await;
        assert_eq!((status, &r["error"]["code"]), (400, &json!(131053)), "{r}");
        assert!(r["error"]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("WebP"));
    }
}

#[tokio::test]
async fn packs_are_published_added_sent_from_and_removed() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let rival = s.business("Rival", "+1 650 555 9876").await;
        let admin = s.agent(&shop, "admin@acme.test", "admin").await;
        let clerk = s.agent(&shop, "clerk@acme.test", "agent").await;
        let rival_admin = s.agent(&rival, "admin@rival.test", "admin").await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let chat = ada.chat_with(&shop.wa_id).await;

        // Bad packs are refused and store nothing; only admins publish.
        let (status, _) = publish(&s, &clerk, "Acme", &[OPEN_SIGN]).await;
        assert_eq!(status, 403);
        let (status, e) = publish(&s, &admin, "Acme", &[OPEN_SIGN, PNG]).await;
        assert_eq!(status, 415, "{e}");
        assert!(e.to_string().contains("sticker 1"), "{e}");
        let (status, _) = publish(&s, &admin, "  ", &[OPEN_SIGN]).await;
        assert_eq!(status, 400);
        // A body that is not multipart gets the console's JSON error, not plain text.
        let (status, e) = admin
            .call(
                Method::POST,
                "/console/v1/sticker-packs",
                Some(json!({"name": "Acme"})),
            )
            .await;
        assert_eq!(status, 400, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("multipart"),
            "{e}"
        );
        let many = vec![OPEN_SIGN; 31];
        let (status, _) = publish(&s, &admin, "Acme", &many).await;
        assert_eq!(status, 400);
        let (_, list) = admin
            .call(Method::GET, "/console/v1/sticker-packs", None)
            .await;
        assert_eq!(list["data"], json!([]));

        let (status, pack) = publish(&s, &admin, "Acme friends", &[OPEN_SIGN, WAVE]).await;
        assert_eq!(status, 200, "{pack}");
        let pack_id = pack["id"].as_str().unwrap().to_string();
        assert_eq!(pack["publisher"], "Acme");
        assert_eq!(pack["stickers"][1]["animated"], true);
        assert_eq!(pack["stickers"][0]["animated"], false);
        let wave_id = pack["stickers"][1]["id"].as_str().unwrap().to_string();

        // The shareable page and the sticker files are public.
        let http = reqwest::Client::new();
        let page = http
            .get(format!("{}/stickers/{pack_id}", s.url))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Acme friends"));
        let file = http
            .get(format!(
                "{}{}",
                s.url,
                pack["stickers"][1]["url"].as_str().unwrap()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(file.headers()["content-type"], "image/webp");
        assert_eq!(file.bytes().await.unwrap().as_ref(), WAVE);

        // The business's profile lists its packs (and not another business's).
        let listed = ada
            .get(&format!(
                "/client/v1/businesses/{}/sticker-packs",
                shop.wa_id
            ))
            .await
            .unwrap();
        assert_eq!(listed["data"][0]["id"], pack_id.as_str());
        assert_eq!(listed["data"][0]["added"], false);
        let none = ada
            .get(&format!(
                "/client/v1/businesses/{}/sticker-packs",
                rival.wa_id
            ))
            .await
            .unwrap();
        assert_eq!(none["data"], json!([]));

        // Only people who added the pack send from it.
        let err = send_sticker(&ada, &chat, &wave_id).await.unwrap_err();
        assert_eq!(err.0, 400, "{err:?}");
        let added = ada
            .call(
                Method::PUT,
                &format!("/client/v1/sticker-packs/{pack_id}"),
                None,
            )
            .await
            .unwrap();
        assert_eq!(added["added"], true);
        let mine = ada.get("/client/v1/sticker-packs").await.unwrap();
        let ids: Vec<&str> = mine["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["open-for-business", pack_id.as_str()]);
        let m = send_sticker(&ada, &chat, &wave_id).await.unwrap();
        assert_eq!(m["type"], "sticker");
        assert_eq!(m["sticker"]["animated"], true);
        let v = shop
            .hooks
            .wait_for("pack sticker", 10, |v| {
                v["messages"][0]["type"] == "sticker"
            })
            .await;
        assert_eq!(v["messages"][0]["sticker"]["animated"], true);
        // Sending it again reuses the stored copy.
        let again = send_sticker(&ada, &chat, &wave_id).await.unwrap();
        assert_eq!(again["sticker"]["id"], m["sticker"]["id"]);
        let bob_chat = bob.chat_with(&shop.wa_id).await;
        assert_eq!(
            send_sticker(&bob, &bob_chat, &wave_id).await.unwrap_err().0,
            400
        );
        // Nobody sends into someone else's chat.
        assert!(send_sticker(&bob, &chat, "open-sign").await.is_err());

        // Tenancy: another business neither sees nor deletes the pack.
        let (_, list) = rival_admin
            .call(Method::GET, "/console/v1/sticker-packs", None)
            .await;
        assert_eq!(list["data"], json!([]));
        let (status, _) = rival_admin
            .call(
                Method::DELETE,
                &format!("/console/v1/sticker-packs/{pack_id}"),
                None,
            )
            .await;
        assert_eq!(status, 404);
        let (_, list) = admin
            .call(Method::GET, "/console/v1/sticker-packs", None)
            .await;
        assert_eq!(list["data"][0]["id"], pack_id.as_str());

        // Removing it takes it out of the person's packs and stops sends from it.
        ada.delete(&format!("/client/v1/sticker-packs/{pack_id}"))
            .await
            .unwrap();
        assert_eq!(
            ada.get("/client/v1/sticker-packs").await.unwrap()["data"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            send_sticker(&ada, &chat, &wave_id).await.unwrap_err().0,
            400
        );
        assert_eq!(
            ada.delete("/client/v1/sticker-packs/open-for-business")
                .await
                .unwrap_err()
                .0,
            400
        );

        // The business deletes it: the link is gone.
        ada.call(
            Method::PUT,
            &format!("/client/v1/sticker-packs/{pack_id}"),
            None,
        )
        .await
        .unwrap();
        let (status, _) = admin
            .call(
                Method::DELETE,
                &format!("/console/v1/sticker-packs/{pack_id}"),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            http.get(format!("{}/stickers/{pack_id}", s.url))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            ada.get("/client/v1/sticker-packs").await.unwrap()["data"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn the_shipped_pack_is_everyones() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 1234").await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let chat = ada.chat_with(&shop.wa_id).await;
        let mine = ada.get("/client/v1/sticker-packs").await.unwrap();
        let shipped = &mine["data"][0];
        assert_eq!(shipped["id"], "open-for-business");
        assert_eq!(shipped["shipped"], true);
        assert_eq!(shipped["stickers"].as_array().unwrap().len(), 6);
        let http = reqwest::Client::new();
        for st in shipped["stickers"].as_array().unwrap() {
            let r = http
                .get(format!("{}{}", s.url, st["url"].as_str().unwrap()))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "image/webp");
        }
        let m = send_sticker(&ada, &chat, "wave").await.unwrap();
        assert_eq!(m["sticker"]["animated"], true);
        let m = send_sticker(&ada, &chat, "clock").await.unwrap();
        assert_eq!(m["sticker"]["animated"], false);
        let v = shop
            .hooks
            .wait_for("shipped sticker", 10, |v| {
                v["messages"][0]["sticker"]["animated"] == false
            })
            .await;
        assert_eq!(v["messages"][0]["sticker"]["mime_type"], "image/webp");
        assert_eq!(
            send_sticker(&ada, &chat, "no-such-sticker")
                .await
                .unwrap_err()
                .0,
            404
        );
        let page = http
            .get(format!("{}/stickers/open-for-business", s.url))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
    }
}
