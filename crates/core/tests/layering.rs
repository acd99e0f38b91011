//! Enforces the domain dependency table in `docs/architecture.md`: the table whose header is
//! `| domain | owns | uses |` names every domain folder of `crates/core/src` and the domains it
//! may use. Every `.rs` file of a domain may refer (`crate::x`, `crate::{x, ..}`, or
//! `super::..::x` up to the crate root) only to the domains its row lists; the shared ground
//! (every top-level file except `lib.rs`, `app.rs` and `store.rs`, which wire the domains) to
//! none. The table must have no cycles and match the folders, and each domain's `mod.rs` starts
//! with a `//!` paragraph. `WASLA_ARCH_DOC` points the test at another copy of the document.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The header row that marks the dependency table.
const HEADER: &str = "| domain | owns | uses |";
/// Top-level files allowed to use every domain.
const WIRING: [&str; 3] = ["lib.rs", "app.rs", "store.rs"];

/// Domain name → the domains it may use, in table order.
type Table = BTreeMap<String, Vec<String>>;

/// `crates/core/src`.
fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The architecture document: `WASLA_ARCH_DOC` if set, else `docs/architecture.md`.
fn arch_doc() -> PathBuf {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/architecture.md");
    std::env::var_os("WASLA_ARCH_DOC").map_or(default, PathBuf::from)
}

/// Reads and parses the dependency table, panicking with the reason if it is missing or malformed.
fn table() -> Table {
    let path = arch_doc();
    let doc = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_table(&doc).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses the rows under `HEADER` (up to the first line that is not a table row) and checks
/// that every used domain has a row.
fn parse_table(doc: &str) -> Result<Table, String> {
    let rows = doc.lines().skip_while(|l| l.trim() != HEADER).skip(2);
    let rows = rows.take_while(|l| l.trim_start().starts_with('|'));
    let mut table = Table::new();
    for row in rows {
        let cells: Vec<&str> = row.trim().trim_matches('|').split('|').collect();
        let cells: Vec<&str> = cells.into_iter().map(str::trim).collect();
        let bad = |what: &str| format!("row `{row}`: {what}");
        if cells.len() < 3 {
            return Err(bad("fewer than three cells"));
        }
        let domain = backticked(cells[0]).ok_or(bad("the first cell must be a `domain`"))?;
        let uses = match cells[cells.len() - 1] {
            "—" => Vec::new(),
            last => {
                let names = last.split(',').map(|n| backticked(n.trim()));
                let why = "the uses cell must be `—` or `a`, `b`, … in backticks";
                names.collect::<Option<_>>().ok_or(bad(why))?
            }
        };
        if table.insert(domain.clone(), uses).is_some() {
            return Err(format!("domain `{domain}` has two rows"));
        }
    }
    for (domain, uses) in &table {
        if let Some(unknown) = uses.iter().find(|u| !table.contains_key(*u)) {
            return Err(format!("`{domain}` uses `{unknown}`, which has no row"));
        }
    }
    match table.is_empty() {
        true => Err(format!(
            "no table with the header `{HEADER}`, or it has no rows"
        )),
        false => Ok(table),
    }
}

/// The name in `` `name` ``, if `cell` is exactly one identifier in backticks.
fn backticked(cell: &str) -> Option<String> {
    let name = cell.strip_prefix('`')?.strip_suffix('`')?;
    (!name.is_empty() && name.chars().all(ident_char)).then(|| name.to_string())
}

/// Every `.rs` file under `dir`, recursively, sorted.
fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rs_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The module path of a file under `src`: `chats/send.rs` → `[chats, send]`, `chats/mod.rs` → `[chats]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir()).unwrap().with_extension("");
    let segs = rel.iter().map(|s| s.to_string_lossy().into_owned());
    let mut segs: Vec<String> = segs.collect();
    if segs.last().is_some_and(|s| s == "mod") {
        segs.pop();
    }
    segs
}

/// Whether `c` can be part of an identifier.
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    &s[..s.find(|c| !ident_char(c)).unwrap_or(s.len())]
}

/// Every reference in `text` (the file at module path `module`) to a domain in `domains`, as
/// (line, the path as written, domain): paths that start at the crate root, by `crate::` or by
/// `super::` chains, naming a domain directly or in a `{..}` group. Inline `mod` blocks are not
/// tracked, so a `super` chain inside one may be missed, never misreported.
fn domain_refs(text: &str, module: &[String], domains: &Table) -> Vec<(usize, String, String)> {
    let mut refs = Vec::new();
    let supers = text.match_indices("super::");
    for (at, _) in text.match_indices("crate::").chain(supers) {
        let before = &text[..at];
        if before.ends_with(ident_char) || before.ends_with("::") {
            continue; // not the start of a path
        }
        let (mut rest, mut ups) = (&text[at..], 0);
        while let Some(r) = rest.strip_prefix("super::") {
            (rest, ups) = (r, ups + 1);
        }
        let rest = match rest.strip_prefix("crate::") {
            Some(r) if ups == 0 => r,
            None if ups == module.len() => rest,
            _ => continue, // does not start at the crate root
        };
        let written = &text[at..text.len() - rest.len()];
        let names = match rest.strip_prefix('{') {
            Some(group) => top_level_names(group),
            None => vec![ident(rest)],
        };
        for name in names.into_iter().filter(|n| domains.contains_key(*n)) {
            let line = before.matches('\n').count() + 1;
            refs.push((line, format!("{written}{name}"), name.to_string()));
        }
    }
    refs.sort();
    refs
}

/// The names that start each top-level item of a `{..}` use group (`group` is after the `{`).
fn top_level_names(group: &str) -> Vec<&str> {
    let (mut names, mut depth, mut at_item) = (Vec::new(), 0, true);
    for (i, c) in group.char_indices() {
        if at_item && !c.is_whitespace() {
            names.push(ident(&group[i..]));
            at_item = false;
        }
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_item = true,
            _ => {}
        }
    }
    names
}

/// The violations in `files`: references to a domain outside `allowed`, as `file:line: path`.
fn violations(files: &[PathBuf], allowed: &[String], table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for file in files {
        let text = fs::read_to_string(file).unwrap();
        let module = module_path(file);
        for (line, path, domain) in domain_refs(&text, &module, table) {
            if domain != module[0] && !allowed.contains(&domain) {
                let rel = file.strip_prefix(src_dir()).unwrap().display();
                out.push(format!("  crates/core/src/{rel}:{line}: {path}"));
            }
        }
    }
    out
}

/// Folders of the shared ground rather than domains: `config.rs` keeps its larger sections
/// (calls, the SFU) in `config/`.
const GROUND_FOLDERS: &[&str] = &["config"];

/// Folders in `crates/core/src`, each a domain, except the ground's.
fn domain_folders() -> Vec<String> {
    let dirs = fs::read_dir(src_dir()).unwrap().map(|e| e.unwrap().path());
    let dirs = dirs
        .filter(|p| p.is_dir())
        .filter(|p| !GROUND_FOLDERS.iter().any(|g| p.ends_with(g)))
        .map(|p| p.file_name().unwrap().to_owned());
    let mut names: Vec<String> = dirs.map(|n| n.to_string_lossy().into()).collect();
    names.sort();
    names
}

/// Panics with `what` and the problems, one a line, unless there are none.
#[track_caller]
fn check(problems: Vec<String>, what: &str) {
    assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
}

/// Fails with every reference from a domain to one its row does not list.
#[test]
fn domains_use_only_what_the_table_allows() {
    let table = table();
    let mut found = Vec::new();
    for (domain, uses) in table.iter().filter(|(d, _)| src_dir().join(d).is_dir()) {
        let bad = violations(&rs_files(&src_dir().join(domain)), uses, &table);
        if !bad.is_empty() {
            let allowed = match uses.join(", ") {
                none if none.is_empty() => "no other domain".to_string(),
                some => format!("only {some}"),
            };
            found.push(format!("`{domain}` may use {allowed}, but:"));
            found.extend(bad);
        }
    }
    check(
        found,
        &format!("domains use more than {} allows", arch_doc().display()),
    );
}

/// Fails with every reference from a shared-ground file to any domain.
#[test]
fn shared_ground_uses_no_domain() {
    let top = rs_files(&src_dir())
        .into_iter()
        .filter(|f| f.parent() == Some(&src_dir()));
    let ground: Vec<PathBuf> = top
        .filter(|f| !WIRING.iter().any(|w| f.ends_with(w)))
        .collect();
    let what = "shared ground must use no domain (only lib.rs, app.rs and store.rs wire them)";
    check(violations(&ground, &[], &table()), what);
}

/// Fails if the table has a cycle: Kahn's topological sort removes every domain whose uses are
/// all removed; then domains no remaining one uses are dropped, leaving the cycles.
#[test]
fn table_is_acyclic() {
    let mut left = table();
    let sorted = |l: &Table, d: &String| l[d].iter().all(|u| !l.contains_key(u));
    let unused = |l: &Table, d: &String| l.values().all(|uses| !uses.contains(d));
    for removable in [sorted, unused] {
        while let Some(d) = left.keys().find(|d| removable(&left, d)).cloned() {
            left.remove(&d);
        }
    }
    let cycle = left.iter().map(|(domain, uses)| {
        let uses: Vec<&String> = uses.iter().filter(|u| left.contains_key(*u)).collect();
        format!("  `{domain}` uses {uses:?}")
    });
    check(cycle.collect(), "the dependency table has a cycle among");
}

/// Fails if a domain folder has no row or a row has no folder.
#[test]
fn table_matches_domain_folders() {
    let (table, folders) = (table(), domain_folders());
    let no_row = folders.iter().filter(|f| !table.contains_key(*f));
    let no_row = no_row.map(|f| format!("  crates/core/src/{f}/ has no row"));
    let no_folder = table.keys().filter(|d| !folders.contains(d));
    let no_folder = no_folder.map(|d| format!("  `{d}` has a row but no crates/core/src/{d}/"));
    let what = format!(
        "the table in {} must list the domain folders",
        arch_doc().display()
    );
    check(no_row.chain(no_folder).collect(), &what);
}

/// Fails if a domain's `mod.rs` does not open with a `//!` paragraph.
#[test]
fn domain_modules_start_with_a_doc_paragraph() {
    let opens_with_doc = |d: &String| {
        let text = fs::read_to_string(src_dir().join(d).join("mod.rs")).unwrap_or_default();
        text.lines()
            .next()
            .is_some_and(|l| l.starts_with("//! ") && l.len() > 4)
    };
    let missing = domain_folders().into_iter().filter(|d| !opens_with_doc(d));
    let missing = missing.map(|d| format!("  crates/core/src/{d}/mod.rs"));
    let what = "a domain's mod.rs must start with a `//!` paragraph on what it owns and uses";
    check(missing.collect(), what);
}

/// The parser's and the scanner's edge cases.
#[test]
fn helpers_parse_and_scan() {
    let header = "| domain | owns | uses |\n|---|---|---|\n";
    let table = parse_table(&format!(
        "x\n{header}| `a` | it | — |\n| `b` | x | y | `a` |\n\nz"
    ));
    let table = table.unwrap();
    assert_eq!(
        (table["a"].len(), table["b"].clone()),
        (0, vec!["a".to_string()])
    );
    assert!(parse_table(&format!("{header}| a | x | — |")).is_err());
    assert!(parse_table(&format!("{header}| `a` | x | a |")).is_err());
    let module = ["b".to_string(), "m".to_string()];
    let text = "crate::a::X;\ncrate::a_x::Y;\ncrate::{b::Z,\n a::W};\nsuper::super::a::f();";
    let text = format!("{text}\nsuper::a::g();\nxcrate::a");
    let refs = domain_refs(&text, &module, &table);
    let found: Vec<(usize, &str)> = refs.iter().map(|r| (r.0, r.1.as_str())).collect();
    let want = [
        (1, "crate::a"),
        (3, "crate::a"),
        (3, "crate::b"),
        (5, "super::super::a"),
    ];
    assert_eq!(found, want);
}
