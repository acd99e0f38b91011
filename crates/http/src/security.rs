//! Security headers on every response, pages and APIs alike (`docs/security.md`): a Content
//! Security Policy that runs only the server's own scripts and styles (nothing inline) and lets
//! no other site frame the pages, `nosniff`, a referrer policy that never sends a path to
//! another site, `X-Frame-Options` for browsers that predate `frame-ancestors`, and a
//! permissions policy that keeps the camera, microphone and location to the app's own pages.
//! A header a handler has set already is kept: media downloads carry a stricter, sandboxing
//! policy of their own.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The Content Security Policy of every page and API response. Scripts and styles come only
/// from the server (`web/` has no inline script or style, the public pages link their
/// stylesheets); images may be `data:` and `blob:` URLs (previews, downloaded media) and
/// `https:` ones (businesses' product images are links to their own hosts); media plays from
/// `blob:` URLs; the client talks to this server over HTTP and WebSocket only.
pub const CONTENT_SECURITY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: blob: https:; media-src 'self' blob:; font-src 'self'; \
     connect-src 'self' ws: wss:; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/// What a browser may send as `Referer`: the origin only to other sites, and nothing from
/// HTTPS to HTTP.
pub const REFERRER: &str = "strict-origin-when-cross-origin";
/// Powerful features only for the app's own pages: camera and microphone (calls), location
/// (sharing one's location), screen capture; none of payment or USB.
pub const PERMISSIONS: &str = "camera=(self), microphone=(self), geolocation=(self), \
     display-capture=(self), payment=(), usb=()";

/// The `Permissions-Policy` header.
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Add the security headers a response does not carry yet.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let headers = resp.headers_mut();
    for (name, value) in [
        (CONTENT_SECURITY_POLICY, CONTENT_SECURITY),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, REFERRER),
        (X_FRAME_OPTIONS, "DENY"),
        (PERMISSIONS_POLICY, PERMISSIONS),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_nothing_inline_and_no_framing() {
        assert!(!CONTENT_SECURITY.contains("unsafe"));
        for directive in [
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(CONTENT_SECURITY.contains(directive), "{directive}");
        }
        assert!(HeaderValue::from_str(CONTENT_SECURITY).is_ok());
        assert!(HeaderValue::from_str(PERMISSIONS).is_ok());
    }
}
