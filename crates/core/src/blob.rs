//! Media bytes, behind a trait: a directory under the data dir by default. Files are written to
//! a temporary name, synced and renamed, so a crash never leaves a half-written file in place.
//! On Unix the directories are created readable only by their owner (0700) and the files
//! likewise (0600); opening the store tightens the directories an older version created.

use crate::error::{Error, Result};
use async_trait::async_trait;
use std::path::PathBuf;

/// Where media bytes are kept.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Store bytes under an id.
    async fn put(&self, id: i64, bytes: &[u8]) -> Result<()>;
    /// Read them back.
    async fn get(&self, id: i64) -> Result<Vec<u8>>;
    /// Remove them (missing is fine).
    async fn delete(&self, id: i64) -> Result<()>;
}

/// Blobs as files in a directory.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    dir: PathBuf,
}

impl FsBlobStore {
    /// Use (and create) `dir`, readable only by its owner. A shard directory an older version
    /// left open to others is closed, and the files in it made private too; shards already
    /// private are not walked, so this costs a directory listing at each start.
    pub fn new(dir: PathBuf) -> Result<Self> {
        let failed =
            |e: std::io::Error| Error::internal(format!("media dir {}: {e}", dir.display()));
        private_dir_all(&dir).map_err(failed)?;
        make_private(&dir, PRIVATE_DIR).map_err(failed)?;
        for entry in std::fs::read_dir(&dir).map_err(failed)? {
            let entry = entry.map_err(failed)?;
            if entry.file_type().map_err(failed)?.is_dir() && is_open(&entry.path()) {
                for file in std::fs::read_dir(entry.path()).map_err(failed)? {
                    make_private(&file.map_err(failed)?.path(), PRIVATE_FILE).map_err(failed)?;
                }
                make_private(&entry.path(), PRIVATE_DIR).map_err(failed)?;
            }
        }
        Ok(FsBlobStore { dir })
    }

    fn path(&self, id: i64) -> PathBuf {
        // Two levels of fan-out keep directories small.
        let shard = format!("{:02x}", (id & 0xff) as u8);
        self.dir.join(shard).join(id.to_string())
    }
}

#[async_trait]
impl BlobStore for FsBlobStore {
    async fn put(&self, id: i64, bytes: &[u8]) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        let path = self.path(id);
        let dir = path.parent().expect("sharded path").to_path_buf();
        let shard = dir.clone();
        tokio::task::spawn_blocking(move || private_dir_all(&shard))
            .await
            .map_err(Error::internal)?
            .map_err(Error::internal)?;
        let tmp = dir.join(format!(".{id}.tmp"));
        let mut opts = tokio::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        opts.mode(PRIVATE_FILE);
        let mut f = opts.open(&tmp).await.map_err(Error::internal)?;
        f.write_all(bytes).await.map_err(Error::internal)?;
        f.sync_all().await.map_err(Error::internal)?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(Error::internal)?;
        Ok(())
    }

    async fn get(&self, id: i64) -> Result<Vec<u8>> {
        tokio::fs::read(self.path(id))
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::not_found("media not found"),
                _ => Error::internal(e),
            })
    }

    async fn delete(&self, id: i64) -> Result<()> {
        match tokio::fs::remove_file(self.path(id)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::internal(e)),
        }
    }
}

/// Mode of directories holding private data: owner only.
pub const PRIVATE_DIR: u32 = 0o700;
/// Mode of files holding private data: owner read and write only.
pub const PRIVATE_FILE: u32 = 0o600;

/// Create `dir` and its missing parents with mode [`PRIVATE_DIR`] (on Unix); a directory that
/// already exists keeps its mode.
pub fn private_dir_all(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(PRIVATE_DIR);
    }
    builder.create(dir)
}

/// Set `path`'s mode (on Unix; elsewhere nothing), if it exists. A path this user may not
/// change (it belongs to someone else, as a mounted volume may) is left as it is, with a
/// warning: the server still runs, and the operator is told what stays open.
pub fn make_private(path: &std::path::Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                tracing::warn!(path = %path.display(), mode = format!("{mode:o}"), error = %e,
                    "cannot restrict this path to its owner; restrict it yourself");
            }
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Whether others than the owner may read or enter `path` (on Unix; elsewhere never).
fn is_open(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}
