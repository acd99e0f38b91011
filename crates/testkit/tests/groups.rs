//! Group chats: creation with subject and photo, membership changes, admins, leaving, and
//! per-member receipts; removed members stop receiving and cannot send.

use serde_json::json;
use wasla_testkit::{Db, TestServer, PNG};

#[tokio::test]
async fn groups_fan_out_and_track_membership() {
    for db in Db::all() {
        let s = TestServer::start_on(db).await;
        let ada = s.register("+44 7911 123401", "Ada").await;
        let bob = s.register("+44 7911 123402", "Bob").await;
        let carol = s.register("+44 7911 123403", "Carol").await;
        let dan = s.register("+44 7911 123404", "Dan").await;
        let photo = ada
            .upload(PNG.to_vec(), "image/png", "team.png")
            .await
            .unwrap();

        let group = ada
            .post("/client/v1/groups", json!({"subject": "Team", "photo": photo["id"], "members": [bob.wa_id, carol.wa_id]}))
            .await
            .unwrap();
        let gid = group["chat_id"].as_str().unwrap().to_string();
        assert_eq!(group["kind"], "group");
        assert_eq!(group["me_role"], "admin");
        assert_eq!(group["members"].as_array().unwrap().len(), 3);
        // Members can see the group photo; Dan cannot yet.
        assert_eq!(bob.download(photo["id"].as_str().unwrap()).await.0, 200);
        assert_eq!(dan.download(photo["id"].as_str().unwrap()).await.0, 404);

        let mut bob_ws = bob.ws(0).await;
        let mut carol_ws = carol.ws(0).await;
        let m = ada.send_text(&gid, "hello team").await;
        for ws in [&mut bob_ws, &mut carol_ws] {
            let e = ws
                .expect("group message", |f| {
                    f["event"]["message"]["text"]["body"] == "hello team"
                })
                .await;
            assert_eq!(e["event"]["message"]["chat_id"], gid.as_str());
        }
        let id = m["id"].as_str().unwrap();
        bob_ws
            .send(json!({"op": "receipt", "chat_id": gid, "status": "delivered", "ids": [id]}))
            .await;
        bob_ws
            .send(json!({"op": "read", "chat_id": gid, "up_to_seq": m["seq"]}))
            .await;
        bob_ws.expect_event("read").await;
        let receipts = ada
            .get(&format!("/client/v1/chats/{gid}/messages/{id}/receipts"))
            .await
            .unwrap();
        let by: Vec<(String, String)> = receipts["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["wa_id"].as_str().unwrap().into(),
                    r["status"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert!(by.contains(&(bob.wa_id.clone(), "read".into())), "{by:?}");
        assert!(by.contains(&(carol.wa_id.clone(), "sent".into())), "{by:?}");
        // Aggregate is the lowest: Carol has not received it yet.
        let page = ada
            .get(&format!("/client/v1/chats/{gid}/messages"))
            .await
            .unwrap();
        assert_eq!(
            page["data"].as_array().unwrap().last().unwrap()["status"],
            "sent"
        );

        // Only admins manage; members cannot.
        let (status, _) = bob
            .post(
                &format!("/client/v1/chats/{gid}/members"),
                json!({"wa_ids": [dan.wa_id]}),
            )
            .await
            .unwrap_err();
        assert_eq!(status, 403);
        ada.post(
            &format!("/client/v1/chats/{gid}/members"),
            json!({"wa_ids": [dan.wa_id]}),
        )
        .await
        .unwrap();
        ada.post(
            &format!("/client/v1/chats/{gid}/admins"),
            json!({"wa_id": bob.wa_id}),
        )
        .await
        .unwrap();
        let renamed = bob
            .patch(
                &format!("/client/v1/chats/{gid}"),
                json!({"subject": "Team 2"}),
            )
            .await
            .unwrap();
        assert_eq!(renamed["subject"], "Team 2");

        // Carol is removed: she sees the note, then nothing more, and cannot send.
        bob.delete(&format!("/client/v1/chats/{gid}/members/{}", carol.wa_id))
            .await
            .unwrap();
        let note = carol_ws
            .expect("removal note", |f| {
                f["event"]["message"]["type"] == "system"
                    && f["event"]["message"]["system"]["body"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("removed")
            })
            .await;
        assert!(note["event"]["message"]["system"]["body"]
            .as_str()
            .unwrap()
            .contains("Carol"));
        let after = carol.get(&format!("/client/v1/chats/{gid}")).await.unwrap();
        assert_eq!(after["left"], true);
        ada.send_text(&gid, "carol is gone").await;
        let (status, _) = carol
            .post(
                &format!("/client/v1/chats/{gid}/messages"),
                json!({"type": "text", "text": {"body": "hey"}}),
            )
            .await
            .unwrap_err();
        assert_eq!(status, 403);
        let frames = carol_ws.drain(300).await;
        assert!(
            frames
                .iter()
                .all(|f| f["event"]["message"]["text"]["body"] != "carol is gone"),
            "{frames:?}"
        );
        let history = carol
            .get(&format!("/client/v1/chats/{gid}/messages"))
            .await
            .unwrap();
        assert!(history["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["text"]["body"] != "carol is gone"));

        // Leaving; the last admin leaving hands admin to the longest-standing member.
        ada.post(&format!("/client/v1/chats/{gid}/leave"), json!({}))
            .await
            .unwrap();
        bob.post(&format!("/client/v1/chats/{gid}/leave"), json!({}))
            .await
            .unwrap();
        let g = dan.get(&format!("/client/v1/chats/{gid}")).await.unwrap();
        assert_eq!(g["me_role"], "admin");
        assert_eq!(g["members"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn group_input_is_checked() {
    let s = TestServer::start().await;
    let ada = s.register("+44 7911 123401", "Ada").await;
    let bad = [
        json!({"subject": "", "members": []}),
        json!({"subject": "x".repeat(101), "members": []}),
        json!({"subject": "ok", "members": ["447000000000"]}),
        json!({"subject": "ok", "photo": "999"}),
        json!({"members": []}),
    ];
    for b in bad {
        let (status, err) = ada.post("/client/v1/groups", b.clone()).await.unwrap_err();
        assert!(status == 400 || status == 404, "{b} → {status} {err}");
    }
    assert_eq!(
        ada.get("/client/v1/chats").await.unwrap()["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
