//! [`ServerConfig`]: everything a server needs, as one struct.

use std::sync::Arc;
use std::time::Duration;

use super::{Authorizer, Metrics, RateLimit};
use crate::session::Limits;
use crate::store::BoardStore;

/// Everything the server needs; build with [`ServerConfig::new`] and adjust.
#[derive(Clone)]
pub struct ServerConfig {
    /// Checks tokens during the upgrade.
    pub authorizer: Arc<dyn Authorizer>,
    /// Where updates go before they are acknowledged.
    pub store: Arc<dyn BoardStore>,
    /// Frame size cap.
    pub limits: Limits,
    /// Connections served at once; further ones wait in the accept queue.
    pub max_connections: usize,
    /// Frames queued per connection before it counts as not reading.
    pub outgoing_queue: usize,
    /// Incoming messages per connection.
    pub message_rate: RateLimit,
    /// Remote awareness states are dropped after this long without renewal.
    pub awareness_timeout: Duration,
    /// Time allowed for the HTTP upgrade.
    pub handshake_timeout: Duration,
    /// Time one frame may take to be written before the peer counts as not
    /// reading.
    pub write_timeout: Duration,
    /// Largest batch of updates handed to the store at once.
    pub max_store_batch: usize,
    /// How long a board stays in memory after its last peer left.
    pub board_idle_unload: Duration,
    /// Counters, readable while the server runs.
    pub metrics: Arc<Metrics>,
    /// The host's clock, unix milliseconds: timers, votes and slides are
    /// stamped with it (tests set a fixed one).
    pub clock: fn() -> i64,
}

/// The wall clock in unix milliseconds, [`ServerConfig::clock`]'s default.
#[must_use]
pub fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("limits", &self.limits)
            .field("max_connections", &self.max_connections)
            .field("outgoing_queue", &self.outgoing_queue)
            .field("message_rate", &self.message_rate)
            .field("awareness_timeout", &self.awareness_timeout)
            .finish_non_exhaustive()
    }
}

impl ServerConfig {
    /// Defaults: 16 MiB frames, 1024 connections, 1024 queued frames per
    /// connection, 1000 messages/s (burst 2000), 30 s awareness timeout,
    /// boards unloaded 60 s after their last peer left.
    #[must_use]
    pub fn new(authorizer: Arc<dyn Authorizer>, store: Arc<dyn BoardStore>) -> Self {
        Self {
            authorizer,
            store,
            limits: Limits::default(),
            max_connections: 1024,
            outgoing_queue: 1024,
            message_rate: RateLimit::default(),
            awareness_timeout: Duration::from_secs(30),
            handshake_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_store_batch: 512,
            board_idle_unload: Duration::from_secs(60),
            metrics: Arc::new(Metrics::default()),
            clock: wall_clock_ms,
        }
    }
}
