//! 1:1 calls between people, end to end over real WebSockets: every device of the callee
//! rings and stops once one answers; offers, answers, candidates and mute states reach only the
//! two devices in the call; decline, cancel, busy, no answer after 45 s on the clock, hang-up
//! and a peer that goes away or falls silent all end the call for everyone; every call leaves
//! its note in the chat and its record in the history; strangers cannot call into a chat, and
//! malformed or oversized session descriptions are refused without changing anything.

use serde_json::{json, Value};
use wasla_testkit::{Db, Person, TestServer, Ws};

const OFFER: &str = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
    a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n\
    a=rtpmap:111 opus/48000/2\r\na=mid:0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n\
    c=IN IP4 0.0.0.0\r\na=rtpmap:96 VP8/90000\r\na=mid:1\r\n";
const VOICE_OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
    m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n";
const CANDIDATE: &str = "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host";

/// The next `call` frame with this event.
async fn call_event(ws: &mut Ws, event: &str) -> Value {
    ws.expect(&format!("call {event}"), |f| {
        f["type"] == "call" && f["event"] == event
    })
    .await
}

/// Place a call and return its id.
async fn start(ws: &mut Ws, chat: &str, media: &str, sdp: &str) -> String {
    ws.send(json!({"op": "call", "action": "start", "ref": "r1", "chat_id": chat, "media": media, "sdp": sdp}))
        .await;
    let out = ws
        .expect("call outgoing", |f| {
            f["type"] == "call" && (f["event"] == "outgoing" || f["event"] == "error")
        })
        .await;
    assert_eq!(out["event"], "outgoing", "{out}");
    assert_eq!(out["ref"], "r1");
    let id = out["call"]["call_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("wacid."), "{out}");
    id
}

async fn act(ws: &mut Ws, action: &str, call: &str) {
    ws.send(json!({"op": "call", "action": action, "call_id": call}))
        .await;
}

/// The system note of a call in a device's stream.
async fn note(ws: &mut Ws) -> Value {
    let e = ws
        .expect("a call note", |f| {
            f["type"] == "event" && f["event"]["message"]["system"]["call"].is_object()
        })
        .await;
    e["event"]["message"].clone()
}

/// No call frame arrives within a short while.
async fn quiet(ws: &mut Ws) {
    let frames = ws.drain(300).await;
    let calls: Vec<&Value> = frames.iter().filter(|f| f["type"] == "call").collect();
    assert!(calls.is_empty(), "unexpected call frames: {calls:?}");
}

/// Ping and wait for the pong (the ping keeps a side of a call alive).
async fn ping(ws: &mut Ws) {
    ws.send(json!({"op": "ping"})).await;
    ws.expect("pong", |f| f["type"] == "pong").await;
}

async fn history(p: &Person) -> Vec<Value> {
    p.get("/client/v1/calls").await.unwrap()["data"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn every_device_rings_and_an_answer_stops_the_others() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 150001", "Ada").await;
        let bob = s.register("+44 7911 150002", "Bob").await;
        let chat = ada.chat_with(&bob.wa_id).await;
        let mut a = ada.ws(0).await;
        let mut b1 = bob.ws(0).await;
        let mut b2 = bob.ws(0).await;

        let call = start(&mut a, &chat, "video", OFFER).await;
        for b in [&mut b1, &mut b2] {
            let inc = call_event(b, "incoming").await;
            assert_eq!(inc["call"]["call_id"], call.as_str());
            assert_eq!(inc["call"]["from"], ada.wa_id.as_str());
            assert_eq!(inc["call"]["media"], "video");
            assert_eq!(inc["sdp"], OFFER);
            assert_eq!(inc["caller"]["display_name"], "Ada");
        }
        act(&mut b1, "ringing", &call).await;
        call_event(&mut a, "ringing").await;
        // While it rings, the caller's candidates reach every device.
        let ice = json!({"op": "call", "action": "ice", "call_id": call, "candidate": {"candidate": CANDIDATE, "sdpMid": "0", "sdpMLineIndex": 0}});
        a.send(ice.clone()).await;
        for b in [&mut b1, &mut b2] {
            let got = call_event(b, "ice").await;
            assert_eq!(got["candidate"]["candidate"], CANDIDATE);
        }

        // The second device answers; the first stops ringing and cannot answer any more.
        b2.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": OFFER}))
            .await;
        let acc = call_event(&mut a, "accepted").await;
        assert_eq!(acc["sdp"], OFFER);
        let other = call_event(&mut b1, "ended").await;
        assert_eq!(other["reason"], "answered_elsewhere");
        b1.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": OFFER}))
            .await;
        let err = call_event(&mut b1, "error").await;
        assert_eq!(err["call_id"], call.as_str());
        assert_eq!(err["error"]["code"], "conflict");

        // Candidates, renegotiation and mute go between the two devices in the call only.
        let mut from_bob = ice.clone();
        from_bob["candidate"]["candidate"] = json!(format!("{CANDIDATE} generation 0"));
        b2.send(from_bob.clone()).await;
        call_event(&mut a, "ice").await;
        b1.send(from_bob).await;
        assert_eq!(
            call_event(&mut b1, "error").await["error"]["code"],
            "forbidden"
        );
        a.send(json!({"op": "call", "action": "media", "call_id": call, "audio": false, "video": true}))
            .await;
        let muted = call_event(&mut b2, "media").await;
        assert_eq!(
            (muted["audio"].clone(), muted["video"].clone()),
            (json!(false), json!(true))
        );
        a.send(json!({"op": "call", "action": "offer", "call_id": call, "sdp": OFFER}))
            .await;
        assert_eq!(call_event(&mut b2, "offer").await["sdp"], OFFER);
        b2.send(json!({"op": "call", "action": "answer", "call_id": call, "sdp": OFFER}))
            .await;
        assert_eq!(call_event(&mut a, "answer").await["sdp"], OFFER);
        quiet(&mut b1).await;

        // 2 minutes 13 seconds pass; both sides keep pinging, so nobody is dropped.
        for step in [30_000, 30_000, 30_000, 30_000, 13_000] {
            s.clock.advance_ms(step);
            ping(&mut a).await;
            ping(&mut b2).await;
        }
        act(&mut a, "hangup", &call).await;
        for ws in [&mut a, &mut b1, &mut b2] {
            let end = call_event(ws, "ended").await;
            assert_eq!(end["reason"], "hangup");
            let secs = end["duration_secs"].as_i64().unwrap();
            assert!((133..=136).contains(&secs), "{end}");
        }
        for ws in [&mut a, &mut b2] {
            let m = note(ws).await;
            assert_eq!(m["type"], "system");
            let body = m["system"]["body"].as_str().unwrap();
            assert!(body.starts_with("Video call, 2:1"), "{body}");
            assert_eq!(m["system"]["call"]["outcome"], "answered");
            assert_eq!(m["system"]["call"]["from"], ada.wa_id.as_str());
            assert_eq!(m["system"]["call"]["call_id"], call.as_str());
        }
        // Hanging up again changes nothing.
        act(&mut b2, "hangup", &call).await;
        assert_eq!(
            call_event(&mut b2, "error").await["error"]["code"],
            "conflict"
        );

        let bobs = history(&bob).await;
        assert_eq!(bobs.len(), 1);
        let r = &bobs[0];
        assert_eq!(r["call_id"], call.as_str());
        assert_eq!(r["direction"], "incoming");
        assert_eq!(r["outcome"], "answered");
        assert_eq!(r["media"], "video");
        assert_eq!(r["peer"]["wa_id"], ada.wa_id.as_str());
        assert_eq!(r["chat_id"], chat.as_str());
        assert_eq!(history(&ada).await[0]["direction"], "outgoing");
        // The note is part of the chat's history for both.
        let page = bob
            .get(&format!("/client/v1/chats/{chat}/messages"))
            .await
            .unwrap();
        let last = page["data"].as_array().unwrap().last().unwrap().clone();
        assert!(last["system"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Video call, 2:1"));
    }
}

#[tokio::test]
async fn decline_cancel_busy_and_no_answer_end_calls_and_are_logged() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 150011", "Ada").await;
        let bob = s.register("+44 7911 150012", "Bob").await;
        let carol = s.register("+44 7911 150013", "Carol").await;
        let dan = s.register("+44 7911 150014", "Dan").await;
        let ab = ada.chat_with(&bob.wa_id).await;
        let bc = bob.chat_with(&carol.wa_id).await;
        let ad = ada.chat_with(&dan.wa_id).await;
        let mut a = ada.ws(0).await;
        let mut b = bob.ws(0).await;
        let mut c = carol.ws(0).await;
        let mut d = dan.ws(0).await;

        // Declined.
        let call = start(&mut a, &ab, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        act(&mut b, "decline", &call).await;
        assert_eq!(call_event(&mut a, "ended").await["reason"], "declined");
        assert_eq!(call_event(&mut b, "ended").await["reason"], "declined");
        for ws in [&mut a, &mut b] {
            let m = note(ws).await;
            assert_eq!(m["system"]["body"], "Declined voice call");
            assert_eq!(m["system"]["call"]["outcome"], "declined");
        }

        // Cancelled by the caller: a missed call.
        let call = start(&mut a, &ab, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        act(&mut a, "cancel", &call).await;
        assert_eq!(call_event(&mut b, "ended").await["reason"], "cancelled");
        assert_eq!(note(&mut b).await["system"]["body"], "Missed voice call");
        assert_eq!(note(&mut a).await["system"]["body"], "Missed voice call");

        // Busy: Bob is in a call with Carol.
        let bob_carol = start(&mut b, &bc, "voice", VOICE_OFFER).await;
        call_event(&mut c, "incoming").await;
        c.send(json!({"op": "call", "action": "accept", "call_id": bob_carol, "sdp": VOICE_OFFER}))
            .await;
        call_event(&mut b, "accepted").await;
        let busy = start(&mut a, &ab, "voice", VOICE_OFFER).await;
        let end = call_event(&mut a, "ended").await;
        assert_eq!(
            (end["call_id"].as_str(), end["reason"].as_str()),
            (Some(busy.as_str()), Some("busy"))
        );
        assert_eq!(note(&mut a).await["system"]["body"], "Missed voice call");
        // Bob's devices do not ring, and Bob cannot place a second call.
        b.send(json!({"op": "call", "action": "start", "ref": "again", "chat_id": ab, "media": "voice", "sdp": VOICE_OFFER}))
            .await;
        let err = call_event(&mut b, "error").await;
        assert_eq!(
            (err["ref"].as_str(), err["error"]["code"].as_str()),
            (Some("again"), Some("conflict"))
        );
        act(&mut c, "hangup", &bob_carol).await;
        assert_eq!(call_event(&mut b, "ended").await["reason"], "hangup");

        // No answer: after 45 s on the clock the call ends by itself.
        let call = start(&mut a, &ad, "voice", VOICE_OFFER).await;
        call_event(&mut d, "incoming").await;
        s.clock.advance_ms(44_000);
        quiet(&mut d).await;
        s.clock.advance_ms(1_500);
        assert_eq!(call_event(&mut d, "ended").await["reason"], "no_answer");
        assert_eq!(call_event(&mut a, "ended").await["reason"], "no_answer");
        assert_eq!(note(&mut d).await["system"]["body"], "Missed voice call");
        d.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": VOICE_OFFER}))
            .await;
        assert_eq!(
            call_event(&mut d, "error").await["error"]["code"],
            "conflict"
        );

        // The history tells each side its own story, newest first.
        let adas: Vec<(String, String)> = history(&ada)
            .await
            .iter()
            .map(|r| {
                (
                    r["direction"].as_str().unwrap().to_string(),
                    r["outcome"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want = [
            ("outgoing", "unanswered"),
            ("outgoing", "unanswered"),
            ("outgoing", "unanswered"),
            ("outgoing", "declined"),
        ];
        assert_eq!(
            adas,
            want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
        );
        let bobs = history(&bob).await;
        assert_eq!(bobs.len(), 4, "{bobs:?}");
        assert_eq!(bobs[0]["outcome"], "missed");
        assert_eq!(bobs[0]["end_reason"], "busy");
        assert_eq!(bobs[1]["outcome"], "answered");
        assert_eq!(history(&dan).await[0]["outcome"], "missed");
        // Paging.
        let first = ada.get("/client/v1/calls?limit=2").await.unwrap();
        let next = first["next"].as_str().unwrap();
        let rest = ada
            .get(&format!("/client/v1/calls?limit=2&before={next}"))
            .await
            .unwrap();
        assert_eq!(rest["data"].as_array().unwrap().len(), 2);
        assert!(rest["next"].is_null());
    }
}

#[tokio::test]
async fn a_peer_that_goes_away_or_falls_silent_is_dropped() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 150021", "Ada").await;
        let bob = s.register("+44 7911 150022", "Bob").await;
        let chat = ada.chat_with(&bob.wa_id).await;
        let mut a = ada.ws(0).await;

        // Bob's device closes its connection mid-call.
        let mut b = bob.ws(0).await;
        let call = start(&mut a, &chat, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        b.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": VOICE_OFFER}))
            .await;
        call_event(&mut a, "accepted").await;
        b.close().await;
        assert_eq!(call_event(&mut a, "ended").await["reason"], "dropped");
        assert!(note(&mut a).await["system"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Voice call, 0:0"));

        // Bob's device stays connected but says nothing for a minute.
        let mut b = bob.ws(0).await;
        let call = start(&mut a, &chat, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        b.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": VOICE_OFFER}))
            .await;
        call_event(&mut a, "accepted").await;
        s.clock.advance_ms(61_000);
        ping(&mut a).await;
        let end = call_event(&mut a, "ended").await;
        assert_eq!(
            (end["call_id"].as_str(), end["reason"].as_str()),
            (Some(call.as_str()), Some("dropped"))
        );
        assert_eq!(call_event(&mut b, "ended").await["reason"], "dropped");

        // The caller's device leaving while it rings cancels the call.
        let mut a2 = ada.ws(0).await;
        let call = start(&mut a2, &chat, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        a2.close().await;
        let end = call_event(&mut b, "ended").await;
        assert_eq!(
            (end["call_id"].as_str(), end["reason"].as_str()),
            (Some(call.as_str()), Some("cancelled"))
        );
        // Both are free again.
        let again = start(&mut a, &chat, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        act(&mut a, "hangup", &again).await;
        assert_eq!(call_event(&mut b, "ended").await["reason"], "cancelled");
    }
}

#[tokio::test]
async fn strangers_cannot_call_and_bad_descriptions_change_nothing() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 150031", "Ada").await;
        let bob = s.register("+44 7911 150032", "Bob").await;
        let eve = s.register("+44 7911 150033", "Eve").await;
        let chat = ada.chat_with(&bob.wa_id).await;
        let group = ada
            .post(
                "/client/v1/groups",
                json!({"subject": "Team", "members": [bob.wa_id]}),
            )
            .await
            .unwrap()["chat_id"]
            .as_str()
            .unwrap()
            .to_string();
        let mut a = ada.ws(0).await;
        let mut b = bob.ws(0).await;
        let mut e = eve.ws(0).await;

        let refuse = |chat: &str, media: &str, sdp: String| json!({"op": "call", "action": "start", "ref": "x", "chat_id": chat, "media": media, "sdp": sdp});
        // Eve is not a member of Ada and Bob's chat.
        e.send(refuse(&chat, "voice", VOICE_OFFER.into())).await;
        let err = call_event(&mut e, "error").await;
        assert_eq!(
            (err["ref"].as_str(), err["error"]["code"].as_str()),
            (Some("x"), Some("not_found"))
        );
        e.send(refuse("not-a-chat", "voice", VOICE_OFFER.into()))
            .await;
        assert_eq!(
            call_event(&mut e, "error").await["error"]["code"],
            "not_found"
        );
        // Groups are not called this way.
        a.send(refuse(&group, "voice", VOICE_OFFER.into())).await;
        assert_eq!(
            call_event(&mut a, "error").await["error"]["code"],
            "bad_request"
        );
        // Malformed, oversized or foreign descriptions.
        let oversized = format!("{OFFER}{}", "a=x-padding:0123456789\r\n".repeat(800));
        for sdp in [
            String::new(),
            "hello".to_string(),
            "o=- 1 2 IN IP4 127.0.0.1\r\nv=0\r\nm=audio 9 RTP 0\r\n".into(),
            "v=0\r\ns=-\r\n".into(),
            "v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n".into(),
            "v=0\r\nm=audio 9 RTP 0\r\n<script>\r\n".into(),
            oversized,
        ] {
            a.send(refuse(&chat, "voice", sdp.clone())).await;
            let err = call_event(&mut a, "error").await;
            assert_eq!(err["error"]["code"], "bad_request", "{sdp:.60}: {err}");
        }
        // A video call needs a video section.
        a.send(refuse(&chat, "video", VOICE_OFFER.into())).await;
        assert_eq!(
            call_event(&mut a, "error").await["error"]["code"],
            "bad_request"
        );
        quiet(&mut b).await;
        assert!(history(&ada).await.is_empty());
        assert!(history(&bob).await.is_empty());

        // A real call: Eve can neither end it nor inject into it; bad candidates and answers
        // are refused; the call goes on.
        let call = start(&mut a, &chat, "voice", VOICE_OFFER).await;
        call_event(&mut b, "incoming").await;
        for action in ["hangup", "decline", "accept"] {
            e.send(json!({"op": "call", "action": action, "call_id": call, "sdp": VOICE_OFFER}))
                .await;
            assert_eq!(
                call_event(&mut e, "error").await["error"]["code"],
                "not_found"
            );
        }
        e.send(json!({"op": "call", "action": "ice", "call_id": call, "candidate": {"candidate": CANDIDATE}}))
            .await;
        assert_eq!(
            call_event(&mut e, "error").await["error"]["code"],
            "not_found"
        );
        a.send(json!({"op": "call", "action": "ice", "call_id": call, "candidate": {"candidate": "a=evil"}}))
            .await;
        assert_eq!(
            call_event(&mut a, "error").await["error"]["code"],
            "bad_request"
        );
        b.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": "nonsense"}))
            .await;
        assert_eq!(
            call_event(&mut b, "error").await["error"]["code"],
            "bad_request"
        );
        a.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": VOICE_OFFER}))
            .await;
        assert_eq!(
            call_event(&mut a, "error").await["error"]["code"],
            "bad_request"
        );
        // A frame that is not a call action at all.
        a.send(json!({"op": "call", "action": "teleport", "call_id": call}))
            .await;
        a.expect("an error frame", |f| f["type"] == "error").await;
        // Still ringing: Bob answers.
        b.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": VOICE_OFFER}))
            .await;
        call_event(&mut a, "accepted").await;
        act(&mut b, "hangup", &call).await;
        assert_eq!(call_event(&mut a, "ended").await["reason"], "hangup");

        // The history endpoint refuses what it cannot read.
        for q in ["before=junk", "limit=0", "limit=1000", "limit=x"] {
            let err = ada.get(&format!("/client/v1/calls?{q}")).await.unwrap_err();
            assert_eq!(err.0, 400, "{q}: {}", err.1);
        }
    }
}

#[tokio::test]
async fn calls_ring_and_end_across_nodes() {
    let Some((n1, n2)) = TestServer::start_cluster().await else {
        eprintln!("skipped: set WASLA_TEST_DATABASE_URL and WASLA_TEST_NATS_URL to test a cluster");
        return;
    };
    let ada = n1.register("+44 7911 150041", "Ada").await;
    let bob = n1.register("+44 7911 150042", "Bob").await;
    let bob_on_2 = bob.rebase(&n2);
    let chat = ada.chat_with(&bob.wa_id).await;
    let mut a = ada.ws(0).await;
    let mut b1 = bob.ws(0).await;
    let mut b2 = bob_on_2.ws(0).await;

    // Bob's device on node 2 answers a call placed on node 1; his node-1 device stops ringing.
    let call = start(&mut a, &chat, "video", OFFER).await;
    call_event(&mut b1, "incoming").await;
    call_event(&mut b2, "incoming").await;
    b2.send(json!({"op": "call", "action": "accept", "call_id": call, "sdp": OFFER}))
        .await;
    call_event(&mut a, "accepted").await;
    assert_eq!(
        call_event(&mut b1, "ended").await["reason"],
        "answered_elsewhere"
    );
    a.send(json!({"op": "call", "action": "ice", "call_id": call, "candidate": {"candidate": CANDIDATE}}))
        .await;
    call_event(&mut b2, "ice").await;
    act(&mut b2, "hangup", &call).await;
    assert_eq!(call_event(&mut a, "ended").await["reason"], "hangup");
    note(&mut a).await;

    // Both nodes' workers see the ringing run out; the call ends once, with one note.
    start(&mut a, &chat, "voice", VOICE_OFFER).await;
    call_event(&mut b2, "incoming").await;
    n1.clock.advance_ms(46_000);
    n2.clock.advance_ms(46_000);
    assert_eq!(call_event(&mut b2, "ended").await["reason"], "no_answer");
    assert_eq!(note(&mut b2).await["system"]["body"], "Missed voice call");
    let more = b2.drain(1_000).await;
    assert!(
        !more
            .iter()
            .any(|f| f["type"] == "call" || f["event"]["message"]["system"]["call"].is_object()),
        "the call ended twice: {more:?}"
    );
}
