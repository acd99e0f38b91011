//! `POST /{phone-number-id}/messages` bodies: any bytes into `SendRequest` (and `MarkRead`,
//! which the same endpoint accepts) must not panic, and whatever parses must serialise to JSON
//! that parses again to the same JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasla_types::cloud::{MarkRead, SendRequest};

fuzz_target!(|data: &[u8]| {
    // The endpoint first reads the body as a generic JSON value.
    let _ = serde_json::from_slice::<serde_json::Value>(data);
    if let Some(req) = serde_json::from_slice::<SendRequest>(data)
        .ok()
    {
        let once = serde_json::to_vec(&req).expect("a parsed SendRequest serialises");
        let again: SendRequest = serde_json::from_slice(&once).unwrap_or_else(|e| {
            panic!(
                "re-serialised SendRequest does not parse: {e}\n{}",
                String::from_utf8_lossy(&once)
            )
        });
        let twice = serde_json::to_vec(&again).expect("serialises");
        assert_eq!(
            String::from_utf8_lossy(&once),
            String::from_utf8_lossy(&twice),
            "SendRequest does not round-trip"
        );
    }
    if let Ok(read) = serde_json::from_slice::<MarkRead>(data) {
        let once = serde_json::to_vec(&read).expect("a parsed MarkRead serialises");
        serde_json::from_slice::<MarkRead>(&once).expect("re-serialised MarkRead parses");
    }
});
