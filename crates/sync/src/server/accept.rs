//! The accept loop: [`run`] takes connections up to the configured cap,
//! hands each to [`connection::serve`], and on shutdown closes them all,
//! waits for what is in flight to be stored and flushes the store.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::rooms::Rooms;
use super::{connection, ServerConfig};
use crate::error::Error;

/// What every connection of one server shares.
pub(super) struct Shared {
    pub(super) config: ServerConfig,
    /// The boards in memory.
    pub(super) rooms: Rooms,
    /// Cancelled when the server shuts down.
    pub(super) cancel: CancellationToken,
    /// Store writers, awareness expiry and unload timers: waited for
    /// before the final flush.
    pub(super) background: TaskTracker,
    next_conn: AtomicU64,
}

impl Shared {
    /// A connection id, unique for the life of the server (0 is the server
    /// itself).
    pub(super) fn next_connection_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }
}

/// Serves boards on `listener` until `shutdown` completes, then closes every
/// connection (code 1001), waits for in-flight updates to be stored and
/// flushes the store.
///
/// # Errors
/// [`Error::Store`] if the final flush fails. Errors of single connections
/// never end the server.
pub async fn run(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    let shared = Arc::new(Shared {
        rooms: Rooms::default(),
        cancel: CancellationToken::new(),
        background: TaskTracker::new(),
        next_conn: AtomicU64::new(1),
        config,
    });
    let connections = TaskTracker::new();
    let semaphore = Arc::new(Semaphore::new(shared.config.max_connections.max(1)));
    tokio::pin!(shutdown);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "sync server listening");
    }
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = semaphore.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, addr) = tokio::select! {
            () = &mut shutdown => break,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and similar: back off, keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        connections.spawn(async move {
            connection::serve(&shared, stream, addr).await;
            drop(permit);
        });
    }
    tracing::info!("sync server shutting down");
    shared.cancel.cancel();
    connections.close();
    connections.wait().await;
    // Dropping the rooms closes their store queues, so the writers finish
    // what is queued and stop.
    shared.rooms.clear();
    shared.background.close();
    shared.background.wait().await;
    let store = shared.config.store.clone();
    tokio::task::spawn_blocking(move || store.flush())
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))??;
    tracing::info!("sync server stopped");
    Ok(())
}
