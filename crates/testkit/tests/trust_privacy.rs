//! Strangers' profiles and privacy settings: someone who only has a person's number (shares no
//! chat with them) sees their name and number, never their photo, about line or presence;
//! those who share a chat see them as the person's settings allow (`everyone`: anyone sharing
//! a chat, `contacts`: those with a direct chat, `nobody`), in the profile, in chat views, in
//! photo downloads and over the WebSocket, live changes included. Business numbers stay
//! public. `GET`/`PUT /client/v1/me/privacy` validate their input and change nothing on a
//! bad request.

use serde_json::{json, Value};
use std::time::Duration;
use wasla_testkit::{Db, Person, TestServer, Ws, PNG};

const ADA: &str = "+44 7911 123401";

/// Ada, registered with a photo, an about line and a last seen; returns her and the photo id.
async fn ada(s: &TestServer) -> (Person, String) {
    let ada = s.register(ADA, "Ada").await;
    let photo = ada
        .upload(PNG.to_vec(), "image/png", "me.png")
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    ada.patch(
        "/client/v1/me",
        json!({"photo": photo, "about": "Counting engines"}),
    )
    .await
    .unwrap();
    ada.ws(0).await.close().await;
    for _ in 0..200 {
        if ada.get("/client/v1/me").await.unwrap()["last_seen"].is_i64() {
            return (ada, photo);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("Ada's last seen was never recorded");
}

/// What of Ada's profile `viewer` sees: (about, photo, last seen) shown or not.
async fn sees(viewer: &Person, ada: &Person) -> (bool, bool, bool) {
    let acc = viewer
        .get(&format!("/client/v1/accounts/{}", ada.wa_id))
        .await
        .unwrap();
    assert_eq!(acc["display_name"], "Ada", "the name is always shown");
    assert_eq!(
        acc["phone"],
        ada.phone.as_str(),
        "the number is always shown"
    );
    (
        acc["about"] != "",
        acc["photo"].is_string(),
        acc["last_seen"].is_i64(),
    )
}

/// Ada as a member of chat `chat_id`, in `viewer`'s view of that chat.
async fn in_chat(viewer: &Person, chat_id: &str, ada: &Person) -> Value {
    let chat = viewer
        .get(&format!("/client/v1/chats/{chat_id}"))
        .await
        .unwrap();
    let member = chat["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["account"]["wa_id"] == ada.wa_id.as_str())
        .expect("Ada is a member")["account"]
        .clone();
    if chat["kind"] == "direct" && chat["peer"]["wa_id"] == ada.wa_id.as_str() {
        assert_eq!(chat["peer"], member, "the peer is shown as the member is");
    }
    member
}

/// Whether following Ada's presence over `ws` tells anything. The ping after it is answered
/// only once the follow has been handled, so no presence frame before the pong means none.
async fn presence_shown(ws: &mut Ws, ada: &Person) -> bool {
    ws.drain(50).await;
    ws.send(json!({"op": "presence", "wa_ids": [ada.wa_id]}))
        .await;
    ws.send(json!({"op": "ping"})).await;
    let mut shown = false;
    loop {
        let f = ws
            .next_frame(Duration::from_secs(5))
            .await
            .expect("a frame");
        match f["type"].as_str() {
            Some("presence") => shown = true,
            Some("pong") => return shown,
            _ => {}
        }
    }
}

/// Ada's privacy settings.
async fn set(ada: &Person, settings: Value) -> Value {
    let r = ada
        .call(
            reqwest::Method::PUT,
            "/client/v1/me/privacy",
            Some(settings),
        )
        .await;
    r.unwrap()
}

#[tokio::test]
async fn strangers_see_the_name_and_number_only() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (ada, photo) = ada(&s).await;
        let eve = s.register("+44 7911 123405", "Eve").await;
        // Ada's settings allow everyone, yet Eve shares no chat with her.
        assert_eq!(sees(&eve, &ada).await, (false, false, false));
        let found = eve
            .get("/client/v1/accounts/lookup?phone=%2B447911123401")
            .await
            .unwrap();
        assert_eq!(
            (found["display_name"].as_str(), found["about"].as_str()),
            (Some("Ada"), Some(""))
        );
        assert!(found["photo"].is_null() && found["last_seen"].is_null());
        assert_eq!(eve.download(&photo).await.0, 404);
        let mut ws = eve.ws(0).await;
        assert!(!presence_shown(&mut ws, &ada).await);
        // Ada sees all of her own profile.
        let me = ada.get("/client/v1/me").await.unwrap();
        assert_eq!(me["about"], "Counting engines");
        assert_eq!(me["photo"], photo.as_str());
        // Once Eve opens a direct chat with her, she is one of Ada's contacts.
        eve.chat_with(&ada.wa_id).await;
        assert_eq!(sees(&eve, &ada).await, (true, true, true));
        assert!(presence_shown(&mut ws, &ada).await);
    }
}

#[tokio::test]
async fn everyone_is_everyone_who_shares_a_chat() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (ada, photo) = ada(&s).await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let carol = s.register("+44 7911 123403", "Carol").await;
        let group = carol
            .post(
                "/client/v1/groups",
                json!({"subject": "Club", "members": [ada.wa_id, bob.wa_id]}),
            )
            .await
            .unwrap();
        let gid = group["chat_id"].as_str().unwrap();
        assert_eq!(sees(&bob, &ada).await, (true, true, true));
        let member = in_chat(&bob, gid, &ada).await;
        assert_eq!(member["about"], "Counting engines");
        assert_eq!(member["photo"], photo.as_str());
        assert_eq!(bob.download(&photo).await.0, 200);
        let mut ws = bob.ws(0).await;
        assert!(presence_shown(&mut ws, &ada).await);
        // Once Bob leaves the group, he is a stranger again.
        bob.post(&format!("/client/v1/chats/{gid}/leave"), json!({}))
            .await
            .unwrap();
        assert_eq!(sees(&bob, &ada).await, (false, false, false));
        assert_eq!(bob.download(&photo).await.0, 404);
    }
}

#[tokio::test]
async fn contacts_are_those_with_a_direct_chat() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (ada, photo) = ada(&s).await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        let group = ada
            .post(
                "/client/v1/groups",
                json!({"subject": "Club", "members": [bob.wa_id, dan.wa_id]}),
            )
            .await
            .unwrap();
        let gid = group["chat_id"].as_str().unwrap().to_string();
        let direct = dan.chat_with(&ada.wa_id).await;
        let all = json!({"last_seen": "contacts", "photo": "contacts", "about": "contacts"});
        assert_eq!(set(&ada, all.clone()).await, all);

        // Bob only shares the group.
        assert_eq!(sees(&bob, &ada).await, (false, false, false));
        let member = in_chat(&bob, &gid, &ada).await;
        assert_eq!(
            (member["about"].as_str(), member["photo"].is_null()),
            (Some(""), true)
        );
        assert!(member["last_seen"].is_null());
        assert_eq!(bob.download(&photo).await.0, 404);
        let mut bob_ws = bob.ws(0).await;
        assert!(!presence_shown(&mut bob_ws, &ada).await);

        // Dan has a direct chat with her: he sees everything, in the group's view too.
        assert_eq!(sees(&dan, &ada).await, (true, true, true));
        for chat in [&gid, &direct] {
            let member = in_chat(&dan, chat, &ada).await;
            assert_eq!(member["about"], "Counting engines", "{chat}");
            assert!(member["last_seen"].is_i64(), "{chat}");
        }
        assert_eq!(dan.download(&photo).await.0, 200);
        let mut dan_ws = dan.ws(0).await;
        assert!(presence_shown(&mut dan_ws, &ada).await);
    }
}

#[tokio::test]
async fn nobody_is_nobody_and_each_setting_stands_alone() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let (ada, photo) = ada(&s).await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        let gid = ada
            .post(
                "/client/v1/groups",
                json!({"subject": "Club", "members": [bob.wa_id]}),
            )
            .await
            .unwrap()["chat_id"]
            .as_str()
            .unwrap()
            .to_string();
        let direct = dan.chat_with(&ada.wa_id).await;

        set(
            &ada,
            json!({"last_seen": "nobody", "photo": "nobody", "about": "nobody"}),
        )
        .await;
        assert_eq!(sees(&dan, &ada).await, (false, false, false));
        let peer = in_chat(&dan, &direct, &ada).await;
        assert_eq!(
            (peer["about"].as_str(), peer["photo"].is_null()),
            (Some(""), true)
        );
        assert_eq!(dan.download(&photo).await.0, 404);
        let mut dan_ws = dan.ws(0).await;
        assert!(!presence_shown(&mut dan_ws, &ada).await);
        // Ada still sees all of herself, in her profile and in her chats.
        let me = in_chat(&ada, &direct, &ada).await;
        assert_eq!(me["about"], "Counting engines");
        assert_eq!(ada.download(&photo).await.0, 200);

        // Last seen hidden, the photo for everyone, the about line for contacts.
        set(&ada, json!({"photo": "everyone", "about": "contacts"})).await;
        assert_eq!(sees(&bob, &ada).await, (false, true, false));
        assert_eq!(sees(&dan, &ada).await, (true, true, false));
        assert_eq!(in_chat(&bob, &gid, &ada).await["about"], "");
        assert_eq!(bob.download(&photo).await.0, 200);
    }
}

#[tokio::test]
async fn hiding_last_seen_stops_live_presence_at_once() {
    let s = TestServer::start().await;
    let (ada, _) = ada(&s).await;
    let dan = s.register("+44 7911 123404", "Dan").await;
    dan.chat_with(&ada.wa_id).await;
    let mut dan_ws = dan.ws(0).await;
    assert!(presence_shown(&mut dan_ws, &ada).await);

    set(&ada, json!({"last_seen": "nobody"})).await;
    let ada_ws = ada.ws(0).await;
    dan_ws.send(json!({"op": "ping"})).await;
    let frames = dan_ws.drain(300).await;
    assert!(
        frames.iter().all(|f| f["type"] != "presence"),
        "Ada's coming online reached Dan: {frames:?}"
    );

    // Shown again: the follow still stands, and her going offline reaches him.
    set(&ada, json!({"last_seen": "contacts"})).await;
    ada_ws.close().await;
    let p = dan_ws
        .expect("Ada offline", |f| f["type"] == "presence")
        .await;
    assert_eq!(
        (p["wa_id"].as_str(), p["online"].as_bool()),
        (Some(ada.wa_id.as_str()), Some(false))
    );
}

#[tokio::test]
async fn business_numbers_stay_public() {
    let s = TestServer::start().await;
    let shop = s.business("Acme Repairs", "+1 650 555 1234").await;
    let profile = format!("/v23.0/{}/whatsapp_business_profile", shop.phone_number_id);
    let (status, r) = shop
        .api(
            reqwest::Method::POST,
            &profile,
            Some(json!({"messaging_product": "whatsapp", "about": "Repairs"})),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let eve = s.register("+44 7911 123405", "Eve").await;
    let acc = eve
        .get(&format!("/client/v1/accounts/{}", shop.wa_id))
        .await
        .unwrap();
    assert_eq!(
        (
            acc["kind"].as_str(),
            acc["about"].as_str(),
            acc["verified_name"].as_str()
        ),
        (Some("business"), Some("Repairs"), Some("Acme Repairs"))
    );
}

#[tokio::test]
async fn the_privacy_settings_api_validates_and_changes_nothing_on_bad_input() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register(ADA, "Ada").await;
        let defaults = json!({"last_seen": "everyone", "photo": "everyone", "about": "everyone"});
        assert_eq!(ada.get("/client/v1/me/privacy").await.unwrap(), defaults);
        let changed = set(&ada, json!({"last_seen": "nobody"})).await;
        let want = json!({"last_seen": "nobody", "photo": "everyone", "about": "everyone"});
        assert_eq!(changed, want);
        assert_eq!(ada.get("/client/v1/me/privacy").await.unwrap(), want);

        for bad in [
            json!({"last_seen": "friends"}),
            json!({"lastseen": "nobody"}),
            json!({"photo": 3}),
            json!({}),
            json!("nobody"),
        ] {
            let (status, err) = ada
                .call(
                    reqwest::Method::PUT,
                    "/client/v1/me/privacy",
                    Some(bad.clone()),
                )
                .await
                .unwrap_err();
            assert_eq!(
                (status, err["error"]["code"].as_str()),
                (400, Some("bad_request")),
                "{bad}: {err}"
            );
            assert!(!err["error"]["message"].as_str().unwrap().is_empty());
        }
        assert_eq!(ada.get("/client/v1/me/privacy").await.unwrap(), want);
        let nobody = ada.with_token("not-a-session");
        assert_eq!(
            nobody.get("/client/v1/me/privacy").await.unwrap_err().0,
            401
        );
        assert_eq!(
            nobody
                .call(
                    reqwest::Method::PUT,
                    "/client/v1/me/privacy",
                    Some(json!({"photo": "nobody"}))
                )
                .await
                .unwrap_err()
                .0,
            401
        );
        assert_eq!(ada.get("/client/v1/me/privacy").await.unwrap(), want);
    }
}

#[tokio::test]
async fn a_business_sees_a_customers_about_line_as_the_customer_allows() {
    let s = TestServer::start().await;
    let shop = s.business("Acme", "+1 650 555 1234").await;
    let agent = s.agent(&shop, "ann@acme.example", "agent").await;
    let (ada, _) = ada(&s).await;
    let chat = ada.chat_with(&shop.wa_id).await;
    ada.send_text(&chat, "hi").await;
    let panel = format!("/console/v1/chats/{chat}/customer");
    // The business number has a direct chat with her: one of her contacts.
    set(&ada, json!({"about": "contacts"})).await;
    assert_eq!(agent.get(&panel).await["about"], "Counting engines");
    set(&ada, json!({"about": "nobody"})).await;
    let customer = agent.get(&panel).await;
    assert_eq!(
        (customer["about"].as_str(), customer["name"].as_str()),
        (Some(""), Some("Ada"))
    );
}
