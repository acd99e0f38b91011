//! The built-in STUN/TURN server through the real server: a binding request learns the
//! mapped address; a signed-in person's ICE servers carry a short-lived credential that
//! allocates a relay over UDP and over TCP, and data goes through it to a UDP peer and back;
//! expired credentials, a wrong password, a peer outside the allow-list and a TCP allocation
//! are refused; external ICE servers are handed out beside (or instead of) the built-in one.

mod turn_client;

use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::UdpSocket;
use turn_client::TurnClient;
use wasla_core::config::IceServerConfig;
use wasla_testkit::{Db, TestServer};

/// A server whose relay may reach 127.0.0.1 (where the tests' peers listen).
async fn server(db: Db) -> TestServer {
    TestServer::start_on_with(db, |c| {
        c.calls.turn.allowed_peers = vec!["127.0.0.1".into()];
    })
    .await
}

/// The person's ICE servers as JSON, and the built-in entry's user name and password.
async fn credential(s: &TestServer, phone: &str) -> (serde_json::Value, String, String) {
    let person = s.register(phone, "Caller").await;
    let ice = person.get("/client/v1/calls/ice-servers").await.unwrap();
    let entry = &ice["ice_servers"][0];
    (
        ice.clone(),
        entry["username"].as_str().unwrap().to_owned(),
        entry["credential"].as_str().unwrap().to_owned(),
    )
}

/// Data goes from the client through its relay to `peer` and back.
async fn relay_round_trip(client: &mut TurnClient, relayed: SocketAddr, peer: &UdpSocket) {
    let peer_addr = peer.local_addr().unwrap();
    client.create_permission(peer_addr).await.unwrap();
    client.send_to_peer(peer_addr, b"ping").await;
    let mut buf = [0u8; 64];
    let (n, from) = tokio::time::timeout(Duration::from_secs(10), peer.recv_from(&mut buf))
        .await
        .expect("the peer gets the client's data")
        .unwrap();
    assert_eq!(&buf[..n], b"ping");
    assert_eq!(from, relayed, "the peer sees the relayed address");
    peer.send_to(b"pong", relayed).await.unwrap();
    let (sender, data) = client.recv_from_peer().await;
    assert_eq!((sender, data.as_slice()), (peer_addr, &b"pong"[..]));
}

/// Wait until the server's gauge of open allocations shows `n`.
async fn open_allocations_reach(s: &TestServer, n: i64) {
    let gauge = &s.app.metrics.turn_allocations;
    for _ in 0..500 {
        if gauge.load(std::sync::atomic::Ordering::Relaxed) == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("open allocations: {gauge:?}, expected {n}");
}

#[tokio::test]
async fn a_session_credential_relays_over_udp_and_tcp() {
    for db in Db::all() {
        let s = server(db.clone()).await;
        let addrs = s.turn_addrs().await;
        let (ice, username, password) = credential(&s, "+44 7911 123501").await;
        let port = addrs.udp.port();
        assert_eq!(
            ice["ice_servers"][0]["urls"],
            serde_json::json!([
                format!("stun:127.0.0.1:{port}"),
                format!("turn:127.0.0.1:{port}?transport=udp"),
                format!("turn:127.0.0.1:{}?transport=tcp", addrs.tcp.port()),
            ]),
            "{db:?}"
        );
        let expires_at = ice["expires_at"].as_i64().unwrap();
        let now_secs = s.app.now() / 1000;
        assert!((now_secs + 3590..=now_secs + 3600).contains(&expires_at));
        assert!(
            username.starts_with(&format!("{expires_at}:")),
            "{username}"
        );

        let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let mut udp = TurnClient::udp(addrs.udp, &username, &password).await;
        let relayed = udp.allocate().await.expect("UDP allocation");
        assert_eq!(relayed.ip().to_string(), "127.0.0.1");
        relay_round_trip(&mut udp, relayed, &peer).await;

        let mut tcp = TurnClient::tcp(addrs.tcp, &username, &password).await;
        let relayed_tcp = tcp.allocate().await.expect("allocation over TCP");
        assert_ne!(relayed_tcp, relayed);
        relay_round_trip(&mut tcp, relayed_tcp, &peer).await;

        let metrics = reqwest::get(format!("{}/metrics", s.url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.contains("wasla_turn_allocations_total 2"),
            "{metrics}"
        );
        assert!(metrics.contains("wasla_turn_allocations 2"), "{metrics}");
        // Ending an allocation closes its relay; one its client left without ending it
        // closes when its lifetime runs out (on the server's clock).
        let mut gone = TurnClient::tcp(addrs.tcp, &username, &password).await;
        gone.allocate().await.unwrap();
        drop(gone);
        udp.refresh(0).await.unwrap();
        tcp.refresh(0).await.unwrap();
        open_allocations_reach(&s, 1).await;
        s.clock.advance_ms(601 * 1000);
        open_allocations_reach(&s, 0).await;
    }
}

#[tokio::test]
async fn stun_binding_tells_the_mapped_address() {
    let s = TestServer::start().await;
    let addrs = s.turn_addrs().await;
    let mut client = TurnClient::udp(addrs.udp, "", "").await;
    let mapped = client.binding().await;
    assert_eq!(mapped.ip().to_string(), "127.0.0.1");
    assert_ne!(mapped.port(), addrs.udp.port());
}

#[tokio::test]
async fn ice_servers_need_a_session() {
    let s = TestServer::start().await;
    let r = reqwest::get(format!("{}/client/v1/calls/ice-servers", s.url))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = reqwest::Client::new()
        .get(format!("{}/client/v1/calls/ice-servers", s.url))
        .bearer_auth("not-a-session")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn expired_credentials_are_refused() {
    let s = server(Db::Sqlite).await;
    let addrs = s.turn_addrs().await;
    let (_, username, password) = credential(&s, "+44 7911 123502").await;
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    // An allocation made in time …
    let mut early = TurnClient::udp(addrs.udp, &username, &password).await;
    let relayed = early.allocate().await.expect("allocation in time");
    // … stays usable once the credential expired, as long as its client refreshes it (a
    // call in progress keeps its relay) …
    for _ in 0..7 {
        s.clock.advance_ms(590 * 1000);
        early
            .refresh(600)
            .await
            .expect("refreshing an allocation made in time");
    }
    assert!(s.app.now() / 1000 > username.split(':').next().unwrap().parse().unwrap());
    relay_round_trip(&mut early, relayed, &peer).await;
    // … but no new allocation can be made with it, over UDP or TCP.
    for mut late in [
        TurnClient::udp(addrs.udp, &username, &password).await,
        TurnClient::tcp(addrs.tcp, &username, &password).await,
    ] {
        let refused = late.allocate().await.unwrap_err();
        assert_eq!(refused, (401, "Credentials expired".into()));
    }
    // A fresh credential works again.
    let (_, username, password) = credential(&s, "+44 7911 123503").await;
    let mut fresh = TurnClient::udp(addrs.udp, &username, &password).await;
    fresh
        .allocate()
        .await
        .expect("a fresh credential allocates");
}

#[tokio::test]
async fn a_wrong_password_or_a_made_up_user_is_refused() {
    let s = server(Db::Sqlite).await;
    let addrs = s.turn_addrs().await;
    let (_, username, password) = credential(&s, "+44 7911 123504").await;
    let mut wrong = TurnClient::udp(addrs.udp, &username, &format!("x{password}")).await;
    assert_eq!(wrong.allocate().await.unwrap_err().0, 401);
    // A user name with a later expiry than was issued carries another HMAC.
    let (expiry, session) = username.split_once(':').unwrap();
    let forged = format!("{}:{session}", expiry.parse::<i64>().unwrap() + 86_400);
    let mut forger = TurnClient::tcp(addrs.tcp, &forged, &password).await;
    assert_eq!(forger.allocate().await.unwrap_err().0, 401);
    let mut stranger = TurnClient::udp(addrs.udp, "alice", "secret").await;
    assert_eq!(stranger.allocate().await.unwrap_err().0, 401);
}

#[tokio::test]
async fn peers_outside_the_allow_list_are_refused() {
    // By default loopback and private peers are refused.
    let s = TestServer::start().await;
    let addrs = s.turn_addrs().await;
    let (_, username, password) = credential(&s, "+44 7911 123505").await;
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for mut client in [
        TurnClient::udp(addrs.udp, &username, &password).await,
        TurnClient::tcp(addrs.tcp, &username, &password).await,
    ] {
        client.allocate().await.unwrap();
        for refused in [
            peer.local_addr().unwrap(),
            "10.0.0.7:5000".parse().unwrap(),
            "169.254.169.254:80".parse().unwrap(),
            "[::1]:5000".parse().unwrap(),
        ] {
            let (code, reason) = client.create_permission(refused).await.unwrap_err();
            assert_eq!((code, reason.as_str()), (403, "Peer address not allowed"));
        }
        // Data sent to it anyway never arrives.
        client.send_to_peer(peer.local_addr().unwrap(), b"x").await;
    }
    let mut buf = [0u8; 8];
    let nothing = tokio::time::timeout(Duration::from_millis(300), peer.recv_from(&mut buf)).await;
    assert!(nothing.is_err(), "a refused peer got data");

    // With 127.0.0.1 allowed, its neighbours stay refused.
    let s = server(Db::Sqlite).await;
    let addrs = s.turn_addrs().await;
    let (_, username, password) = credential(&s, "+44 7911 123506").await;
    let mut client = TurnClient::udp(addrs.udp, &username, &password).await;
    client.allocate().await.unwrap();
    let refused = client
        .create_permission("127.0.0.2:5000".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(refused.0, 403);
    // Only UDP relays are offered.
    let mut tcp_relay = TurnClient::tcp(addrs.tcp, &username, &password).await;
    assert_eq!(tcp_relay.allocate_tcp().await.unwrap_err().0, 442);
}

#[tokio::test]
async fn external_ice_servers_are_handed_out_beside_or_instead_of_the_built_in_one() {
    let external = vec![
        IceServerConfig {
            urls: vec!["turn:turn.example.com:3478?transport=udp".into()],
            secret: "coturn-shared".into(),
            ..IceServerConfig::default()
        },
        IceServerConfig {
            urls: vec!["turns:relay.example.net:5349".into()],
            username: "static".into(),
            credential: "pass".into(),
            ..IceServerConfig::default()
        },
        IceServerConfig {
            urls: vec!["stun:stun.example.org:3478".into()],
            ..IceServerConfig::default()
        },
    ];
    let configured = external.clone();
    let s = TestServer::start_with(move |c| {
        c.calls.turn.enabled = false;
        c.calls.ice_servers = configured.clone();
    })
    .await;
    let (ice, username, password) = credential(&s, "+44 7911 123507").await;
    let servers = ice["ice_servers"].as_array().unwrap();
    assert_eq!(servers.len(), 3, "{ice}");
    assert_eq!(
        servers[0]["urls"][0],
        "turn:turn.example.com:3478?transport=udp"
    );
    // The shared secret gives the TURN REST API's credential, as coturn checks it.
    let expected =
        wasla_core::calls::turn::credentials::Credentials::new("coturn-shared").password(&username);
    assert_eq!(password, expected);
    assert_eq!(servers[1]["username"], "static");
    assert_eq!(servers[1]["credential"], "pass");
    assert!(servers[2].get("username").is_none(), "{ice}");
    assert!(s.app.turn.bound().is_none());

    // With the built-in server on, it comes first.
    let configured = external.clone();
    let s = TestServer::start_with(move |c| c.calls.ice_servers = configured.clone()).await;
    s.turn_addrs().await;
    let (ice, _, _) = credential(&s, "+44 7911 123508").await;
    assert_eq!(ice["ice_servers"].as_array().unwrap().len(), 4);
    assert!(ice["ice_servers"][0]["urls"][0]
        .as_str()
        .unwrap()
        .starts_with("stun:127.0.0.1:"));
}
