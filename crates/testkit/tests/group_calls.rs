//! Group calls' signalling end to end over real WebSockets: starting a call in a group rings
//! every other member's devices, members join and leave mid-call and everyone in the room
//! hears who is in it, the last to leave ends it for every member, the cap is enforced, only
//! members of the group can join its call, and malformed or oversized session descriptions
//! are refused without changing anything. The offers are real ones made by a WebRTC stack.

use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;
use str0m::media::{Direction, MediaKind};
use wasla_testkit::{Db, Person, TestServer, Ws};

/// An SDP offer with a microphone and, for video, a camera, as a browser would make it.
fn offer(video: bool) -> String {
    let mut rtc = str0m::Rtc::builder()
        .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
        .build(Instant::now());
    let mut api = rtc.sdp_api();
    api.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None);
    if video {
        api.add_media(MediaKind::Video, Direction::SendRecv, None, None, None);
    }
    let (offer, _pending) = api.apply().expect("an offer");
    offer.to_sdp_string()
}

/// The next `group_call` frame with this event.
async fn event(ws: &mut Ws, event: &str) -> Value {
    ws.expect(&format!("group_call {event}"), |f| {
        f["type"] == "group_call" && f["event"] == event
    })
    .await
}

/// A group of Ada with the others; returns its chat id.
async fn group(ada: &Person, others: &[&Person]) -> String {
    let members: Vec<&str> = others.iter().map(|p| p.wa_id.as_str()).collect();
    let g = ada
        .post(
            "/client/v1/groups",
            json!({"subject": "Team", "members": members}),
        )
        .await
        .unwrap();
    g["chat_id"].as_str().unwrap().to_string()
}

/// Join (or start) and return the `joined` frame, or the `error` one.
async fn send_and_wait(ws: &mut Ws, frame: Value) -> Value {
    ws.send(frame).await;
    ws.expect("group_call joined or error", |f| {
        f["type"] == "group_call" && (f["event"] == "joined" || f["event"] == "error")
    })
    .await
}

async fn join(ws: &mut Ws, call: &str) -> Value {
    let frame = json!({"op": "group_call", "action": "join", "ref": "j", "call_id": call, "sdp": offer(true)});
    send_and_wait(ws, frame).await
}

#[tokio::test]
async fn a_call_rings_members_who_join_and_leave_mid_call() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        s.sfu_addr().await;
        let ada = s.register("+44 7911 250001", "Ada").await;
        let bob = s.register("+44 7911 250002", "Bob").await;
        let cay = s.register("+44 7911 250003", "Cay").await;
        let chat = group(&ada, &[&bob, &cay]).await;
        let mut a = ada.ws(0).await;
        let mut b1 = bob.ws(0).await;
        let mut b2 = bob.ws(0).await;
        let mut c = cay.ws(0).await;

        let start = json!({"op": "group_call", "action": "start", "ref": "s1", "chat_id": chat, "media": "video", "sdp": offer(true)});
        let joined = send_and_wait(&mut a, start).await;
        assert_eq!(joined["event"], "joined", "{joined}");
        assert_eq!(joined["ref"], "s1");
        let call = joined["call"]["call_id"].as_str().unwrap().to_string();
        assert!(call.starts_with("wagcid."), "{joined}");
        assert_eq!(joined["call"]["max_participants"], 64);
        assert_eq!(joined["call"]["started_by"], ada.wa_id.as_str());
        let answer = joined["sdp"].as_str().unwrap();
        assert!(answer.starts_with("v=0"), "{answer}");
        assert!(answer.contains("a=ice-lite"), "{answer}");
        assert!(answer.contains("typ host"), "{answer}");

        // Every device of every other member rings.
        for ws in [&mut b1, &mut b2, &mut c] {
            let ring = event(ws, "ringing").await;
            assert_eq!(ring["call"]["call_id"], call.as_str());
            assert_eq!(ring["call"]["media"], "video");
            assert_eq!(ring["participants"][0]["wa_id"], ada.wa_id.as_str());
        }

        // Bob joins on his second device: the first stops ringing, Ada sees him.
        let bj = join(&mut b2, &call).await;
        assert_eq!(bj["event"], "joined", "{bj}");
        assert_eq!(bj["participants"].as_array().unwrap().len(), 2);
        event(&mut b1, "stop_ringing").await;
        let seen = a
            .expect("two participants", |f| {
                f["event"] == "participants" && f["participants"].as_array().unwrap().len() == 2
            })
            .await;
        assert_eq!(seen["call_id"], call.as_str());

        // The same device cannot join twice.
        let again = join(&mut b2, &call).await;
        assert_eq!(again["error"]["code"], "conflict", "{again}");

        // Mute states reach the room.
        b2.send(json!({"op": "group_call", "action": "media", "call_id": call, "audio": false, "video": true})).await;
        let muted = a
            .expect("bob muted", |f| {
                f["event"] == "participants"
                    && f["participants"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["wa_id"] == bob.wa_id.as_str() && p["audio"] == false)
            })
            .await;
        assert_eq!(muted["participants"].as_array().unwrap().len(), 2);

        // Cay joins mid-call, Bob leaves mid-call.
        let cj = join(&mut c, &call).await;
        assert_eq!(cj["participants"].as_array().unwrap().len(), 3);
        let bob_id = bj["participant"].as_u64().unwrap();
        b2.send(json!({"op": "group_call", "action": "leave", "call_id": call}))
            .await;
        for ws in [&mut a, &mut c] {
            let left = ws
                .expect("bob left", |f| {
                    f["event"] == "left" && f["participant"] == bob_id
                })
                .await;
            assert_eq!(left["reason"], "left");
        }
        // Cay's connection closes: she leaves too.
        c.close().await;
        a.expect("only ada", |f| {
            f["event"] == "participants" && f["participants"].as_array().unwrap().len() == 1
        })
        .await;

        // The last to leave ends the call for every member.
        a.send(json!({"op": "group_call", "action": "leave", "call_id": call}))
            .await;
        event(&mut a, "ended").await;
        event(&mut b1, "ended").await;
        let late = join(&mut b1, &call).await;
        assert_eq!(late["error"]["code"], "not_found", "{late}");
    }
}

#[tokio::test]
async fn the_cap_is_kept() {
    for db in Db::all() {
        let s = TestServer::start_on_with(db, |c| c.calls.sfu.max_participants = 2).await;
        s.sfu_addr().await;
        let ada = s.register("+44 7911 250011", "Ada").await;
        let bob = s.register("+44 7911 250012", "Bob").await;
        let cay = s.register("+44 7911 250013", "Cay").await;
        let chat = group(&ada, &[&bob, &cay]).await;
        let (mut a, mut b, mut c) = (ada.ws(0).await, bob.ws(0).await, cay.ws(0).await);
        let start = json!({"op": "group_call", "action": "start", "chat_id": chat, "media": "voice", "sdp": offer(false)});
        let joined = send_and_wait(&mut a, start).await;
        let call = joined["call"]["call_id"].as_str().unwrap().to_string();
        assert_eq!(joined["call"]["max_participants"], 2);
        assert_eq!(join(&mut b, &call).await["event"], "joined");
        let full = join(&mut c, &call).await;
        assert_eq!(full["event"], "error");
        assert_eq!(full["error"]["code"], "conflict");
        assert!(
            full["error"]["message"].as_str().unwrap().contains("full"),
            "{full}"
        );
        // Once someone leaves there is room again.
        b.send(json!({"op": "group_call", "action": "leave", "call_id": call}))
            .await;
        a.expect("bob left", |f| f["event"] == "left").await;
        assert_eq!(join(&mut c, &call).await["event"], "joined");
    }
}

#[tokio::test]
async fn strangers_and_bad_descriptions_are_refused() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        s.sfu_addr().await;
        let ada = s.register("+44 7911 250021", "Ada").await;
        let bob = s.register("+44 7911 250022", "Bob").await;
        let eve = s.register("+44 7911 250023", "Eve").await;
        let chat = group(&ada, &[&bob]).await;
        let (mut a, mut e) = (ada.ws(0).await, eve.ws(0).await);

        // Bad descriptions: not SDP, oversized, SDP that is not an offer a stack can use.
        let huge = format!("v=0\r\n{}", "a=x\r\n".repeat(5000));
        for sdp in [
            "hello",
            huge.as_str(),
            "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n",
        ] {
            let start = json!({"op": "group_call", "action": "start", "chat_id": chat, "media": "voice", "sdp": sdp});
            let err = send_and_wait(&mut a, start).await;
            assert_eq!(err["event"], "error", "{err}");
            assert_eq!(err["error"]["code"], "bad_request", "{err}");
        }
        // A video call needs a camera in its offer.
        let start = json!({"op": "group_call", "action": "start", "chat_id": chat, "media": "video", "sdp": offer(false)});
        assert_eq!(send_and_wait(&mut a, start).await["event"], "error");

        // Eve is not in the group: she can neither start nor join its call.
        let start = json!({"op": "group_call", "action": "start", "chat_id": chat, "media": "voice", "sdp": offer(false)});
        let err = send_and_wait(&mut e, start.clone()).await;
        assert_eq!(err["error"]["code"], "not_found", "{err}");
        let joined = send_and_wait(&mut a, start).await;
        assert_eq!(joined["event"], "joined", "{joined}");
        let call = joined["call"]["call_id"].as_str().unwrap().to_string();
        let err = join(&mut e, &call).await;
        assert_eq!(err["error"]["code"], "not_found", "{err}");
        // Nor does she ring, and a bad answer from Ada changes nothing.
        let frames = e.drain(300).await;
        assert!(
            !frames.iter().any(|f| f["event"] == "ringing"),
            "{frames:?}"
        );
        a.send(json!({"op": "group_call", "action": "answer", "call_id": call, "sdp": "v=0\r\n"}))
            .await;
        let err = event(&mut a, "error").await;
        assert_eq!(err["call_id"], call.as_str());
        // A direct chat is not a group.
        let direct = ada.chat_with(&bob.wa_id).await;
        let start = json!({"op": "group_call", "action": "start", "chat_id": direct, "media": "voice", "sdp": offer(false)});
        assert_eq!(
            send_and_wait(&mut a, start).await["error"]["code"],
            "bad_request"
        );
    }
}
