//! Returning freed heap to the operating system after a storm of new connections. Each
//! WebSocket handshake allocates and frees far more than an idle connection keeps (HTTP
//! buffers, the session lookup, the first frames); glibc keeps that freed memory mapped, so a
//! burst of reconnects (after a restart or a network blip) would leave the process holding it.
//! Once connects stop arriving, the server asks glibc to release free pages (`malloc_trim`).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use wasla_core::Wasla;

/// How often connects are counted.
const TICK: Duration = Duration::from_secs(1);
/// Connects since the last release that make a storm worth releasing after.
const STORM: u64 = 256;

/// Release free heap once a connection storm has passed, until the server stops.
pub fn spawn_release_after_storms(app: Arc<Wasla>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let stopping = app.stopping();
        tokio::pin!(stopping);
        let connects = || app.metrics.ws_connects.load(Ordering::Relaxed);
        let mut released_at = connects();
        let mut previous = released_at;
        loop {
            tokio::select! {
                _ = &mut stopping => return,
                _ = tokio::time::sleep(TICK) => {}
            }
            let now = connects();
            // Quiet for a tick after a storm: release.
            if now == previous && now - released_at >= STORM {
                tokio::task::spawn_blocking(release).await.ok();
                released_at = now;
            }
            previous = now;
        }
    })
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release() {
    // SAFETY: malloc_trim only walks and trims glibc's own heap; it takes no pointers and is
    // safe to call from any thread at any time.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release() {}
