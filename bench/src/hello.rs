//! The bare hyper baseline: a hello-world HTTP/1.1 server on hyper 1 and hyper-util's Tokio
//! glue, without axum or any routing, answering every request with a short fixed body. It is
//! the ceiling the Cloud API send throughput is compared with.

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;

/// The fixed answer.
const BODY: &[u8] = b"Hello, world!";

/// Reads the request body (the load generator sends the same send JSON to every target, and a
/// keep-alive connection needs it consumed) and answers with [`BODY`].
async fn hello(req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    req.into_body().collect().await?;
    let mut res = Response::new(Full::new(Bytes::from_static(BODY)));
    res.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain"),
    );
    Ok(res)
}

/// Serve hello-world on `listen` until the process is stopped (also answers `/healthz`).
pub async fn serve(listen: SocketAddr) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listen on {listen}"))?;
    eprintln!("listening on {listen}");
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(hello))
                .await;
        });
    }
}
