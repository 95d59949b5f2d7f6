//! Counters of a running server, readable while it serves.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of a running server, shared with the caller through
/// [`ServerConfig::metrics`](super::ServerConfig::metrics).
#[derive(Debug, Default)]
pub struct Metrics {
    /// WebSocket upgrades accepted.
    pub connections_accepted: AtomicU64,
    /// Upgrades refused (token, path) or failed.
    pub connections_refused: AtomicU64,
    /// Connections open now.
    pub connections_open: AtomicU64,
    /// Updates from viewers dropped.
    pub viewer_writes_dropped: AtomicU64,
    /// Messages delayed by the rate limiter.
    pub rate_limited: AtomicU64,
    /// Connections closed because they did not read.
    pub slow_consumers: AtomicU64,
    /// Connections closed for protocol violations.
    pub protocol_violations: AtomicU64,
    /// Updates stored and applied.
    pub updates_applied: AtomicU64,
    /// Updates that changed nothing (the board already held all of them,
    /// e.g. resent after a reconnect): neither stored again nor forwarded.
    pub updates_unchanged: AtomicU64,
    /// Update frames queued to peers.
    pub frames_forwarded: AtomicU64,
    /// Failed store appends.
    pub store_failures: AtomicU64,
    /// Boards loaded from the store.
    pub boards_loaded: AtomicU64,
    /// Peer changes the host undid (locked items, the workshop area).
    pub writes_undone: AtomicU64,
}

/// A copy of [`Metrics`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct MetricsSnapshot {
    pub connections_accepted: u64,
    pub connections_refused: u64,
    pub connections_open: u64,
    pub viewer_writes_dropped: u64,
    pub rate_limited: u64,
    pub slow_consumers: u64,
    pub protocol_violations: u64,
    pub updates_applied: u64,
    pub updates_unchanged: u64,
    pub frames_forwarded: u64,
    pub store_failures: u64,
    pub boards_loaded: u64,
    pub writes_undone: u64,
}

impl Metrics {
    /// Reads every counter.
    #[must_use]
    pub fn snapshot(&self) -> MetricsSnapshot {
        let r = |a: &AtomicU64| a.load(Ordering::Relaxed);
        MetricsSnapshot {
            connections_accepted: r(&self.connections_accepted),
            connections_refused: r(&self.connections_refused),
            connections_open: r(&self.connections_open),
            viewer_writes_dropped: r(&self.viewer_writes_dropped),
            rate_limited: r(&self.rate_limited),
            slow_consumers: r(&self.slow_consumers),
            protocol_violations: r(&self.protocol_violations),
            updates_applied: r(&self.updates_applied),
            updates_unchanged: r(&self.updates_unchanged),
            frames_forwarded: r(&self.frames_forwarded),
            store_failures: r(&self.store_failures),
            boards_loaded: r(&self.boards_loaded),
            writes_undone: r(&self.writes_undone),
        }
    }
}

/// Adds one to a counter.
pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}
