//! Media uploads (`POST /client/v1/media`, `POST /{phone-number-id}/media`): a multipart body
//! read for its `file` part, as `client_api::media::read_file_part` reads it. Must not panic or
//! hang, and a file part can never be larger than the body.
//!
//! With the `multipart_wasla` feature this calls Wasla's own `read_file_part`; without it, the
//! same loop over axum's `Multipart` (read_file_part is pub(crate) in wasla-http).
//!
//! Input: the first line is the boundary, the rest the body.
#![no_main]

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
use libfuzzer_sys::fuzz_target;

/// The `file` part's bytes, content type and file name, or None for a rejected form.
#[cfg(not(feature = "multipart_wasla"))]
async fn file_part(mut form: Multipart) -> Option<(usize, Option<String>, Option<String>)> {
    while let Some(field) = form.next_field().await.ok()? {
        if field.name() == Some("file") {
            let content_type = field.content_type().map(str::to_string);
            let filename = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.ok()?;
            return Some((bytes.len(), content_type, filename));
        }
    }
    None
}

#[cfg(feature = "multipart_wasla")]
async fn file_part(form: Multipart) -> Option<(usize, Option<String>, Option<String>)> {
    let file = wasla_http::read_file_part(form).await.ok()?;
    Some((file.bytes.len(), file.content_type, file.filename))
}

fuzz_target!(|data: &[u8]| {
    let (boundary, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (
            String::from_utf8_lossy(&data[..i]).into_owned(),
            &data[i + 1..],
        ),
        None => return,
    };
    let Ok(req) = Request::builder()
        .method("POST")
        .uri("/client/v1/media")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    futures::executor::block_on(async {
        let Ok(form) = Multipart::from_request(req, &()).await else {
            return;
        };
        if let Some((len, _content_type, _filename)) = file_part(form).await {
            assert!(
                len <= body.len(),
                "a {len}-byte part from a {}-byte body",
                body.len()
            );
        }
    });
});
