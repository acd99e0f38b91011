//! WebSocket text frames from clients (`/client/v1/ws`): any text into `ClientFrame` must not
//! panic, and whatever parses must serialise to JSON that parses again to the same JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasla_types::client::ClientFrame;

fuzz_target!(|data: &[u8]| {
    // The gateway parses text frames, which are UTF-8.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
        return;
    };
    let once = serde_json::to_string(&frame).expect("a parsed ClientFrame serialises");
    let again: ClientFrame = serde_json::from_str(&once)
        .unwrap_or_else(|e| panic!("re-serialised ClientFrame does not parse: {e}\n{once}"));
    let twice = serde_json::to_string(&again).expect("serialises");
    assert_eq!(once, twice, "ClientFrame does not round-trip");
});
