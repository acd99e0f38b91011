//! Phone numbers as senders write them (`to` of every Cloud API send, sign-up numbers):
//! `phone::normalize` and `phone::user_id` must not panic, and a normalised number must be
//! consistent and normalise to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasla_core::phone::{normalize, user_id};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    // user_id takes a wa_id from stored rows and webhooks; it must cope with anything.
    let _ = user_id(input);
    let Ok(phone) = normalize(input) else {
        return;
    };
    assert_eq!(
        phone.e164,
        format!("+{}", phone.wa_id),
        "e164 and wa_id disagree"
    );
    assert!(
        !phone.wa_id.is_empty() && phone.wa_id.bytes().all(|b| b.is_ascii_digit()),
        "wa_id {:?} is not all digits",
        phone.wa_id
    );
    for form in [&phone.e164, &phone.wa_id] {
        let again = normalize(form)
            .unwrap_or_else(|e| panic!("{input:?} normalised to {form:?}, which fails: {e}"));
        assert_eq!(again, phone, "normalising {input:?} is not idempotent");
    }
    let uid = user_id(&phone.wa_id);
    assert!(
        uid.ends_with(&format!(".{}", phone.wa_id)),
        "user id {uid:?}"
    );
});
