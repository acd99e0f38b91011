//! Connections the server makes to URLs a tenant gives (webhook callbacks and their
//! verification handshake): one place for how they are made and how their failures are told
//! back without echoing what the other side answered.

use crate::error::{Error, Result};
use rand::Rng;
use std::time::Duration;

/// Check that a callback URL answers the verification handshake with `verify_token`.
pub async fn verify_callback(timeout_ms: u64, url: &str, verify_token: &str) -> Result<()> {
    let challenge = rand::thread_rng()
        .gen_range(100_000_000u64..999_999_999)
        .to_string();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(timeout_ms))
        .build()
        .map_err(Error::internal)?;
    let failed =
        |why: String| Error::bad(format!("the callback URL did not pass verification: {why}"));
    let resp = client
        .get(url)
        .query(&[
            ("hub.mode", "subscribe"),
            ("hub.challenge", challenge.as_str()),
            ("hub.verify_token", verify_token),
        ])
        .send()
        .await
        .map_err(|e| failed(short_error(&e)))?;
    if !resp.status().is_success() {
        return Err(failed(format!(
            "it answered HTTP {}",
            resp.status().as_u16()
        )));
    }
    let body = resp.text().await.map_err(|e| failed(short_error(&e)))?;
    if body.trim() != challenge {
        return Err(failed("it did not echo hub.challenge".into()));
    }
    Ok(())
}

/// A transport error without the URL's query (which may hold tokens).
pub fn short_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        let text = e.to_string();
        match e.url() {
            Some(u) => text.replace(u.as_str(), "<callback>"),
            None => text,
        }
    }
}
