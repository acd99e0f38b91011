//! Graph request parameters: the `vNN.N` version path segment (`check_version`) and the access
//! token from the Authorization header or the `access_token` query parameter (`bearer`). Neither
//! may panic, and each must agree with a plain restatement of its rule.
//!
//! Input: first line is the version segment, second the Authorization header value, the rest
//! the query string.
#![no_main]

use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use wasla_http::{bearer, check_version};

fn is_version(v: &str) -> bool {
    let Some((a, b)) = v.strip_prefix('v').and_then(|v| v.split_once('.')) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    digits(a) && digits(b)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(3, '\n');
    let version = lines.next().unwrap_or_default();
    let auth = lines.next().unwrap_or_default();
    let query = lines.next().unwrap_or_default();
    assert_eq!(
        check_version(version).is_ok(),
        is_version(version),
        "{version:?}"
    );

    let mut req = Request::builder().uri(format!("/v23.0/me?{query}"));
    if !auth.is_empty() {
        req = req.header("authorization", auth);
    }
    let Ok(req) = req.body(()) else {
        return;
    };
    let (parts, ()) = req.into_parts();
    if let Some(token) = bearer(&parts) {
        assert!(
            !token.is_empty() || parts.uri.query().is_some(),
            "empty token from the header"
        );
    }
});
