//! Media bytes, behind a trait: a directory under the data dir by default. Files are written to
//! a temporary name, synced and renamed, so a crash never leaves a half-written file in place.

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
    /// Use (and create) `dir`.
    pub fn new(dir: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(&dir).map_err(|e| Error::internal(format!("media dir: {e}")))?;
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
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(Error::internal)?;
        let tmp = dir.join(format!(".{id}.tmp"));
        let mut f = tokio::fs::File::create(&tmp)
            .await
            .map_err(Error::internal)?;
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
