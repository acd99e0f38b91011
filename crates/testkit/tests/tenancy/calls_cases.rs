//! The tenancy cases of calls: a person's call history lists their own calls only (Q, in
//! none of A's chats, reads an empty page however it pages), and the ICE servers a person
//! gets carry credentials of their own session. Placing and answering calls rides the
//! WebSocket, whose refusal of a chat or call that is not the caller's is tested in
//! `tests/calls.rs`.

use super::World;
use crate::{c, Kind};

/// The calls routes' cases.
pub fn cases(w: &World) -> Vec<(&'static str, &'static str, Kind)> {
    use Kind::*;
    let q = &*w.q.token;
    #[rustfmt::skip]
    let cases = vec![
        ("GET", "/client/v1/calls", Own(vec![c(q, "/client/v1/calls"), c(q, "/client/v1/calls?limit=100")])),
        ("GET", "/client/v1/calls/ice-servers", Own(vec![c(q, "/client/v1/calls/ice-servers")])),
    ];
    cases
}
