//! The tenancy cases of Status: tenant A's admin posted a business update that reaches A's
//! customer P, and P posted an update of their own. Q (B's customer, in none of A's chats) and
//! B's console read only their own feed, contacts and updates, and every call naming A's or
//! P's update (reading it, its media, its viewers; viewing, reacting, replying, deleting) is
//! refused. Texts carry the marker, so a feed that showed them to Q would leak.

use super::World;
use crate::{c, cb, Kind};
use serde_json::json;
use wasla_testkit::{Agent, Person, TestServer};

/// The ids of A's and P's updates.
pub struct Statuses {
    /// A's business update.
    pub business: String,
    /// P's own update.
    pub person: String,
}

/// Post A's and P's updates.
pub async fn make(s: &TestServer, a_admin: &Agent, p: &Person) -> Statuses {
    let _ = s;
    let business = a_admin
        .post(
            "/console/v1/status",
            json!({"type": "text", "text": {"body": "alpha sale today", "background": "#AA0000"}}),
        )
        .await["id"]
        .as_str()
        .expect("business status")
        .to_string();
    let person = p
        .post(
            "/client/v1/status",
            json!({"type": "text", "text": {"body": "alpha thoughts", "background": "#00AA00"}}),
        )
        .await
        .expect("person status")["id"]
        .as_str()
        .unwrap()
        .to_string();
    Statuses { business, person }
}

/// The Status routes' cases.
pub fn cases(w: &World) -> Vec<(&'static str, &'static str, Kind)> {
    use Kind::*;
    let (q, ba, bg) = (&*w.q.token, &*w.b_admin.token, &*w.b_agent.token);
    let st = &w.x.statuses;
    let both = [st.business.clone(), st.person.clone()];
    let each = |suffix: &str| -> Vec<crate::Call> {
        both.iter()
            .map(|id| c(q, format!("/client/v1/status/{id}{suffix}")))
            .collect()
    };
    let each_body = |suffix: &str, body: serde_json::Value| -> Vec<crate::Call> {
        both.iter()
            .map(|id| cb(q, format!("/client/v1/status/{id}{suffix}"), body.clone()))
            .collect()
    };
    let console = |token: &str, suffix: &str| -> Vec<crate::Call> {
        both.iter()
            .map(|id| c(token, format!("/console/v1/status/{id}{suffix}")))
            .collect()
    };
    let p_wa = &w.p.wa_id;
    #[rustfmt::skip]
    let cases = vec![
        ("GET", "/client/v1/contacts", Own(vec![c(q, "/client/v1/contacts")])),
        // Person-global, as a lookup by number is: putting someone on my own list shows their
        // profile name and makes them my contact, not me theirs, so their updates stay theirs
        // (tests/status.rs checks that a stranger who lists me sees none of mine).
        ("PUT", "/client/v1/contacts/{wa_id}", Allowed("person-global: my own list; shows the profile name a lookup by number shows")),
        ("DELETE", "/client/v1/contacts/{wa_id}", Allowed("person-global: my own list")),
        ("GET", "/client/v1/status", Own(vec![c(q, "/client/v1/status")])),
        ("POST", "/client/v1/status", Own(vec![cb(q, "/client/v1/status", json!({"type": "text", "text": {"body": "q's own", "background": "#000000"}}))])),
        ("GET", "/client/v1/status/audience", Own(vec![c(q, "/client/v1/status/audience")])),
        // Naming A's customer in Q's audience is refused: P is none of Q's contacts.
        ("PUT", "/client/v1/status/audience", Own(vec![cb(q, "/client/v1/status/audience", json!({"mode": "only_share_with", "wa_ids": [p_wa]}))])),
        ("PUT", "/client/v1/status/mutes/{wa_id}", Own(vec![c(q, format!("/client/v1/status/mutes/{p_wa}"))])),
        ("DELETE", "/client/v1/status/mutes/{wa_id}", Own(vec![c(q, format!("/client/v1/status/mutes/{p_wa}"))])),
        ("GET", "/client/v1/status/{id}", Foreign(each(""))),
        ("DELETE", "/client/v1/status/{id}", Foreign(each(""))),
        ("GET", "/client/v1/status/{id}/media", Foreign(each("/media"))),
        ("GET", "/client/v1/status/{id}/thumbnail", Foreign(each("/thumbnail"))),
        ("POST", "/client/v1/status/{id}/view", Foreign(each_body("/view", json!({})))),
        ("GET", "/client/v1/status/{id}/viewers", Foreign(each("/viewers"))),
        ("POST", "/client/v1/status/{id}/reply", Foreign(each_body("/reply", json!({"text": "hi"})))),
        ("POST", "/client/v1/status/{id}/react", Foreign(each_body("/react", json!({"emoji": "👍"})))),
        ("GET", "/console/v1/status", Own(vec![c(ba, "/console/v1/status"), c(bg, "/console/v1/status")])),
        ("POST", "/console/v1/status", Own(vec![cb(ba, "/console/v1/status", json!({"type": "text", "text": {"body": "bravo news", "background": "#0000AA"}}))])),
        ("DELETE", "/console/v1/status/{id}", Foreign(console(ba, ""))),
        ("GET", "/console/v1/status/{id}/viewers", Foreign(console(ba, "/viewers").into_iter().chain(console(bg, "/viewers")).collect())),
        ("GET", "/console/v1/status/{id}/media", Foreign(console(ba, "/media"))),
        ("GET", "/console/v1/status/{id}/thumbnail", Foreign(console(bg, "/thumbnail"))),
    ];
    cases
}
