//! The data directory's permissions: it holds the database, the media and the operator token,
//! so on Unix it is created readable only by the server's user (0700) and its files likewise
//! (0600). SQLite gives its `-wal` and `-shm` files the mode of the database file, so the
//! database file is created with mode 0600 before the store opens it. An installation made by
//! an older version, whose files were created world-readable, is tightened at start.

use anyhow::Context;
use std::path::{Path, PathBuf};
use wasla_core::blob::{make_private, private_dir_all, PRIVATE_DIR, PRIVATE_FILE};
use wasla_core::Config;

/// Create the data directory (0700) or tighten an existing one, and the operator token file
/// in it if there is one.
pub fn prepare(config: &Config) -> anyhow::Result<()> {
    let dir = &config.data_dir;
    private_dir_all(dir).with_context(|| format!("creating data directory {}", dir.display()))?;
    make_private(dir, PRIVATE_DIR)
        .with_context(|| format!("restricting data directory {}", dir.display()))?;
    let token = config.operator_token_path();
    make_private(&token, PRIVATE_FILE)
        .with_context(|| format!("restricting {}", token.display()))?;
    Ok(())
}

/// For an SQLite database URL: create the database file with mode 0600 if it does not exist
/// (so SQLite's `-wal` and `-shm` files get that mode too), and tighten the database file and
/// its `-wal`, `-shm` and `-journal` files if they exist. Other databases: nothing.
pub fn prepare_sqlite(url: &str) -> anyhow::Result<()> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            private_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(PRIVATE_FILE);
    }
    opts.open(&path)
        .with_context(|| format!("creating the database file {}", path.display()))?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let file = PathBuf::from(file);
        make_private(&file, PRIVATE_FILE)
            .with_context(|| format!("restricting {}", file.display()))?;
    }
    Ok(())
}

/// The file of an SQLite URL (`sqlite://path`, `sqlite:path`, with or without `?options`);
/// none for in-memory databases and other URLs.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| Path::new(path).to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_files_of_urls() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/w/wasla.db?mode=rwc"),
            Some(PathBuf::from("/tmp/w/wasla.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:data.db"),
            Some(PathBuf::from("data.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x@h/db"), None);
    }

    #[cfg(unix)]
    #[test]
    fn creates_private_database_files_and_tightens_old_ones() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new/wasla.db");
        prepare_sqlite(&format!("sqlite://{}", db.display())).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(db.parent().unwrap()), 0o700);
        let old = dir.path().join("old.db");
        let wal = dir.path().join("old.db-wal");
        for f in [&old, &wal] {
            std::fs::write(f, b"").unwrap();
            std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        prepare_sqlite(&format!("sqlite:{}?mode=rwc", old.display())).unwrap();
        assert_eq!(mode(&old), 0o600);
        assert_eq!(mode(&wal), 0o600);
    }
}
