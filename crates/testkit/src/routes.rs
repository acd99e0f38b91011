//! The route table of the HTTP surfaces, read mechanically from the source of `wasla-http`:
//! every `.route("/path", get(…).post(…))` call with its methods, and which surface it belongs
//! to. Tests that must cover every route (tenancy) compare their cases with this table, so a
//! new route without a case fails them. A way of adding routes the reader does not understand
//! (`nest`, `route_service`, `any`, a path that is not a string literal) fails loudly instead
//! of being skipped.

use std::path::{Path, PathBuf};

/// Which surface a route belongs to, by the folder of `crates/http/src` it is declared in (or
/// its path, for the few declared in `lib.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Surface {
    /// `cloud_api/`: business tokens, Graph errors.
    CloudApi,
    /// `client_api/` and the WebSocket: person sessions.
    Client,
    /// `console_api/`: agent sessions.
    Console,
    /// `admin/`: the operator token.
    Admin,
    /// Public pages, health, metrics and the OpenAPI document.
    Public,
}

/// One method of one route.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteInfo {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// The path template, e.g. `/console/v1/labels/{id}`.
    pub path: String,
    /// The surface.
    pub surface: Surface,
    /// The file that declares it, relative to `crates/http/src`.
    pub file: String,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// Ways of adding routes that this reader does not follow.
const UNSUPPORTED: [&str; 6] = [
    ".nest(",
    ".nest_service(",
    ".route_service(",
    "routing::any(",
    "routing::on(",
    ".fallback_service(",
];

/// Every route of `wasla-http`, sorted by path then method.
pub fn route_table() -> Vec<RouteInfo> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../http/src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut table = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read http source");
        let rel = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        table.extend(routes_in(&rel, &code_only(&text)));
    }
    table.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    table
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read http source dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text before `#[cfg(test)]`, without `//` comments.
fn code_only(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal (a URL) is rare in routing code; keep such lines.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The routes one file declares.
pub fn routes_in(file: &str, code: &str) -> Vec<RouteInfo> {
    for bad in UNSUPPORTED {
        assert!(
            !code.contains(bad),
            "{file} adds routes with `{bad}`, which the route table does not read: \
             declare them with .route(\"/path\", method(handler)) or teach crates/testkit/src/routes.rs"
        );
    }
    let mut out = vec![];
    let mut rest = code;
    while let Some(at) = rest.find(".route(") {
        let args = &rest[at + ".route(".len()..];
        let trimmed = args.trim_start();
        assert!(
            trimmed.starts_with('"'),
            "{file}: a .route( whose path is not a string literal: {}",
            &trimmed[..trimmed.len().min(60)]
        );
        let path_end = trimmed[1..].find('"').expect("closing quote") + 1;
        let path = &trimmed[1..path_end];
        let expr = balanced(&trimmed[path_end + 1..]);
        let methods = methods_in(expr);
        assert!(
            !methods.is_empty(),
            "{file}: route {path} has no method this reader knows: {expr}"
        );
        for m in methods {
            out.push(RouteInfo {
                method: m.to_ascii_uppercase(),
                path: path.to_string(),
                surface: surface(file, path),
                file: file.to_string(),
            });
        }
        rest = args;
    }
    out
}

/// The text up to the `)` that closes the call whose arguments `s` continues.
fn balanced(s: &str) -> &str {
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced .route( call: {s}")
}

/// The HTTP methods named as method-router calls (`get(`, `.post(`, `routing::patch(`) in a
/// route's handler expression; a handler merely named `get` (`nodes::get)`) is not a call.
fn methods_in(expr: &str) -> Vec<String> {
    let bytes = expr.as_bytes();
    let mut found = vec![];
    for (i, _) in expr.char_indices() {
        let before_ok = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !before_ok {
            continue;
        }
        for m in METHODS {
            if expr[i..].starts_with(m) && expr[i + m.len()..].starts_with('(') {
                found.push(m.to_string());
            }
        }
    }
    found
}

fn surface(file: &str, path: &str) -> Surface {
    let folder = file.split('/').next().unwrap_or_default();
    match folder {
        "cloud_api" => Surface::CloudApi,
        "client_api" | "ws" => Surface::Client,
        "console_api" => Surface::Console,
        "admin" => Surface::Admin,
        _ if path.starts_with("/client/") => Surface::Client,
        _ if path.starts_with("/console/") => Surface::Console,
        _ if path.starts_with("/admin/") => Surface::Admin,
        _ => Surface::Public,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_methods_across_lines_and_ignores_handler_names() {
        let code = r#"
            Router::new()
                .route("/a/{id}", get(nodes::get).post(x::post_it).delete(nodes::delete))
                .route(
                    "/b",
                    post(up).layer(limit),
                )
                .route("/c", axum::routing::patch(c::update))
        "#;
        let r = routes_in("cloud_api/mod.rs", code);
        let got: Vec<(String, String)> = r
            .iter()
            .map(|r| (r.method.clone(), r.path.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("GET", "/a/{id}"),
                ("POST", "/a/{id}"),
                ("DELETE", "/a/{id}"),
                ("POST", "/b"),
                ("PATCH", "/c")
            ]
            .map(|(m, p)| (m.to_string(), p.to_string()))
        );
        assert!(r.iter().all(|r| r.surface == Surface::CloudApi));
    }

    #[test]
    #[should_panic(expected = "does not read")]
    fn nested_routers_are_refused() {
        routes_in("lib.rs", "Router::new().nest(\"/x\", other)");
    }

    #[test]
    fn the_table_has_every_surface() {
        let t = route_table();
        for s in [
            Surface::CloudApi,
            Surface::Client,
            Surface::Console,
            Surface::Admin,
            Surface::Public,
        ] {
            assert!(t.iter().any(|r| r.surface == s), "{s:?}");
        }
    }
}
