//! Contacts end to end: a label on a contact follows the customer across every number of the
//! WABA (console and admin API, inbox filter, greeting filter), apart from chat labels; sends
//! that failed, including to numbers that are not on this server (131026, no chat), listed for
//! the whole WABA with their error; and tenancy for all of it.

use reqwest::Method;
use serde_json::{json, Value};
use wasla_testkit::{Business, Db, Person, TestServer};

/// Add a second phone number to a business's WABA; returns (phone-number id, wa_id).
async fn second_number(s: &TestServer, shop: &Business, number: &str) -> (String, String) {
    let (status, pn) = s
        .admin(
            Method::POST,
            "/admin/v1/phone-numbers",
            Some(json!({"waba_id": shop.waba_id, "number": number, "verified_name": "Acme Store"})),
        )
        .await;
    assert_eq!(status, 200, "{pn}");
    (
        pn["id"].as_str().unwrap().to_string(),
        pn["wa_id"].as_str().unwrap().to_string(),
    )
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn contact_labels_follow_the_customer_across_the_wabas_numbers() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6101").await;
        let rival = s.business("Rival", "+1 650 555 6102").await;
        let (_, store_wa_id) = second_number(&s, &shop, "+1 650 555 6103").await;
        let boss = s.agent(&shop, "boss@acme.example", "admin").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;
        let ada = s.register("+44 7911 126101", "Ada").await;
        let bob = s.register("+44 7911 126102", "Bob").await;
        let support = ada.chat_with(&shop.wa_id).await;
        ada.send_text(&support, "My order is late").await;
        let store = ada.chat_with(&store_wa_id).await;
        ada.send_text(&store, "Do you have it in blue?").await;
        let bob_chat = bob.chat_with(&shop.wa_id).await;
        bob.send_text(&bob_chat, "Hello").await;
        let vip = boss
            .post(
                "/console/v1/labels",
                json!({"name": "VIP", "color": "#aa00ff"}),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let late = boss
            .post(
                "/console/v1/labels",
                json!({"name": "Late delivery", "color": "#ff8800"}),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_string();

        // VIP on Ada as a contact, from the support chat; "late" on that chat only.
        let (status, v) = boss
            .call(
                Method::PUT,
                &format!("/console/v1/chats/{support}/contact-labels/{vip}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let (status, _) = boss
            .call(
                Method::PUT,
                &format!("/console/v1/chats/{support}/labels/{late}"),
                None,
            )
            .await;
        assert_eq!(status, 200);

        // Both of Ada's chats carry the contact label; only one the chat label; Bob neither.
        let inbox = boss.get("/console/v1/inbox").await;
        let rows = inbox["data"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "{inbox}");
        let row = |chat: &str| rows.iter().find(|r| r["chat_id"] == chat).unwrap().clone();
        assert_eq!(ids(&row(&support)["contact_labels"]), vec![vip.clone()]);
        assert_eq!(ids(&row(&store)["contact_labels"]), vec![vip.clone()]);
        assert_eq!(ids(&row(&support)["labels"]), vec![late.clone()]);
        assert!(ids(&row(&store)["labels"]).is_empty());
        assert!(ids(&row(&bob_chat)["contact_labels"]).is_empty());

        // The filter matches chat and contact labels.
        let by_vip = boss.get(&format!("/console/v1/inbox?label={vip}")).await;
        let mut chats: Vec<String> = by_vip["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["chat_id"].as_str().unwrap().to_string())
            .collect();
        chats.sort();
        let mut want = vec![support.clone(), store.clone()];
        want.sort();
        assert_eq!(chats, want);
        let by_late = boss.get(&format!("/console/v1/inbox?label={late}")).await;
        assert_eq!(by_late["data"].as_array().unwrap().len(), 1);

        // The customer panel of the other number's chat shows the contact label.
        let panel = boss
            .get(&format!("/console/v1/chats/{store}/customer"))
            .await;
        assert_eq!(ids(&panel["contact_labels"]), vec![vip.clone()]);
        assert!(ids(&panel["labels"]).is_empty());

        // The admin API reads and changes the same labels, by wa_id.
        let path = format!(
            "/admin/v1/businesses/{}/contacts/{}/labels",
            shop.waba_id, ada.wa_id
        );
        let (status, v) = s.admin(Method::GET, &path, None).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(ids(&v["data"]), vec![vip.clone()]);
        let (status, _) = s.admin(Method::PUT, &format!("{path}/{late}"), None).await;
        assert_eq!(status, 200);
        let (status, _) = s
            .admin(Method::DELETE, &format!("{path}/{vip}"), None)
            .await;
        assert_eq!(status, 200);
        let (_, v) = s.admin(Method::GET, &path, None).await;
        assert_eq!(ids(&v["data"]), vec![late.clone()]);
        let panel = boss
            .get(&format!("/console/v1/chats/{store}/customer"))
            .await;
        assert_eq!(ids(&panel["contact_labels"]), vec![late.clone()]);

        // Unknown label, unknown person, a person who never wrote to this WABA: not found,
        // and nothing changes.
        for bad in [
            format!("{path}/12345"),
            format!(
                "/admin/v1/businesses/{}/contacts/4479110000000/labels/{vip}",
                shop.waba_id
            ),
        ] {
            let (status, v) = s.admin(Method::PUT, &bad, None).await;
            assert_eq!(status, 404, "{bad}: {v}");
        }
        let carol = s.register("+44 7911 126103", "Carol").await;
        let (status, _) = s
            .admin(
                Method::GET,
                &format!(
                    "/admin/v1/businesses/{}/contacts/{}/labels",
                    shop.waba_id, carol.wa_id
                ),
                None,
            )
            .await;
        assert_eq!(status, 404);

        // Tenancy: the rival cannot label Acme's chats, nor use Acme's labels on its own
        // contacts, nor read them through its WABA.
        let rival_chat = ada.chat_with(&rival.wa_id).await;
        ada.send_text(&rival_chat, "hi").await;
        let (status, _) = other
            .call(
                Method::PUT,
                &format!("/console/v1/chats/{support}/contact-labels/{vip}"),
                None,
            )
            .await;
        assert_eq!(status, 404);
        let (status, _) = other
            .call(
                Method::PUT,
                &format!("/console/v1/chats/{rival_chat}/contact-labels/{vip}"),
                None,
            )
            .await;
        assert_eq!(status, 404);
        let (_, v) = s
            .admin(
                Method::GET,
                &format!(
                    "/admin/v1/businesses/{}/contacts/{}/labels",
                    rival.waba_id, ada.wa_id
                ),
                None,
            )
            .await;
        assert!(ids(&v["data"]).is_empty(), "{v}");
        let theirs = other.get("/console/v1/inbox").await;
        assert!(ids(&theirs["data"][0]["contact_labels"]).is_empty());

        // Deleting a label takes it off contacts too.
        let (status, _) = boss
            .call(Method::DELETE, &format!("/console/v1/labels/{late}"), None)
            .await;
        assert_eq!(status, 200);
        let (_, v) = s.admin(Method::GET, &path, None).await;
        assert!(ids(&v["data"]).is_empty());
    }
}

/// Texts the business number sent in the chat once there are `n`, oldest first.
async fn business_texts(p: &Person, chat: &str, from: &str, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let page = p
            .get(&format!("/client/v1/chats/{chat}/messages?limit=200"))
            .await
            .expect("history");
        let texts: Vec<String> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["from"] == from)
            .map(|m| m["text"]["body"].as_str().unwrap_or("").to_string())
            .collect();
        if texts.len() >= n {
            return texts;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("expected {n} business messages in {chat}");
}

#[tokio::test]
async fn greeting_filters_match_contact_labels() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 6111").await;
    let (store_id, store_wa_id) = second_number(&s, &shop, "+1 650 555 6112").await;
    let boss = s.agent(&shop, "boss@acme.example", "admin").await;
    let ada = s.register("+44 7911 126111", "Ada").await;
    let support = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&support, "hi").await;
    let blocked = boss
        .post(
            "/console/v1/labels",
            json!({"name": "No greeting", "color": "#444444"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = boss
        .call(
            Method::PUT,
            &format!("/console/v1/chats/{support}/contact-labels/{blocked}"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, v) = boss
        .call(
            Method::PUT,
            &format!("/console/v1/numbers/{store_id}/automations"),
            Some(json!({"greeting": {"enabled": true, "text": "Welcome to the store!",
                "exclude_labels": [blocked]},
                "faq": [{"keywords": ["hello"], "reply": {"type": "text", "text": {"body": "Hi."}}}]})),
        )
        .await;
    assert_eq!(status, 200, "{v}");

    // Ada carries the excluding label as a contact, set on her chat with the other number:
    // the store number does not greet her (the FAQ answer shows her message was handled).
    let ada_store = ada.chat_with(&store_wa_id).await;
    ada.send_text(&ada_store, "hello").await;
    assert_eq!(
        business_texts(&ada, &ada_store, &store_wa_id, 1).await,
        ["Hi."]
    );
    // Bob is new and unlabelled: greeted.
    let bob = s.register("+44 7911 126112", "Bob").await;
    let bob_store = bob.chat_with(&store_wa_id).await;
    bob.send_text(&bob_store, "hello").await;
    assert_eq!(
        business_texts(&bob, &bob_store, &store_wa_id, 2).await,
        ["Welcome to the store!", "Hi."]
    );
}

#[tokio::test]
async fn failed_sends_of_the_waba_include_numbers_not_on_this_server() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let shop = s.business("Acme", "+1 650 555 6121").await;
        let rival = s.business("Rival", "+1 650 555 6122").await;
        let boss = s.agent(&shop, "boss@acme.example", "agent").await;
        let other = s.agent(&rival, "boss@rival.example", "admin").await;

        // A number nobody registered: accepted, then failed with 131026; no chat anywhere.
        let (status, v) = shop
            .send(
                json!({"messaging_product": "whatsapp", "to": "+1 202 555 0199",
                "type": "text", "text": {"body": "Your code is 4411"}}),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        let wamid = v["messages"][0]["id"].as_str().unwrap().to_string();
        // A person whose window is closed (never wrote): 131047.
        let ada = s.register("+44 7911 126121", "Ada").await;
        let (status, v) = shop
            .send(json!({"messaging_product": "whatsapp", "to": ada.wa_id,
                "type": "text", "text": {"body": "Hello there"}}))
            .await;
        assert_eq!(status, 200, "{v}");
        let closed_wamid = v["messages"][0]["id"].as_str().unwrap().to_string();

        let failed = boss.get("/console/v1/failed-sends").await;
        let rows = failed["data"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{failed}");
        // Newest first.
        assert_eq!(rows[0]["id"], closed_wamid.as_str());
        assert_eq!(rows[0]["errors"][0]["code"], 131047);
        assert_eq!(rows[0]["recipient_id"], ada.wa_id.as_str());
        assert_eq!(rows[1]["id"], wamid.as_str());
        assert_eq!(rows[1]["recipient_id"], "12025550199");
        assert_eq!(rows[1]["phone_number_id"], shop.phone_number_id.as_str());
        assert_eq!(rows[1]["preview"], "Your code is 4411");
        assert_eq!(rows[1]["errors"][0]["code"], 131026);
        assert!(rows[1]["errors"][0]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("not a person on this server"));
        assert!(boss.get("/console/v1/inbox").await["data"]
            .as_array()
            .unwrap()
            .is_empty());

        // The integration saw the same failure in a status webhook.
        let st = shop.hooks.status(&wamid, "failed").await;
        assert_eq!(st["errors"][0]["code"], 131026);

        // Tenancy: the rival sees none of it; without a session, no list.
        let theirs = other.get("/console/v1/failed-sends").await;
        assert!(theirs["data"].as_array().unwrap().is_empty(), "{theirs}");
        let resp = reqwest::Client::new()
            .get(format!("{}/console/v1/failed-sends", s.url))
            .bearer_auth(&shop.token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
    }
}
