//! The y-websocket server: many boards, token-checked upgrades, roles,
//! awareness relay, persistence before acknowledgement, and defences against
//! hostile or slow peers.
//!
//! [`run`]`(listener, config, shutdown)` serves until `shutdown` completes;
//! the caller owns the bind (tests use port 0) and the signal. URL shape:
//! `ws://host:port/b/<board-id>?token=<token>` or
//! `ws://host:port/<board-id>?token=<token>`.
//!
//! Per connection: the token is checked inside the HTTP upgrade (refused with
//! 401/403 and no board data); the server then sends SyncStep1 and the
//! board's awareness states. Every accepted update is validated, appended to
//! the [`BoardStore`](crate::store::BoardStore) (batched per board), applied
//! and only then forwarded, so no peer ever sees an update the store does
//! not hold. An update that changes nothing (resent after a reconnect) is
//! neither stored nor forwarded.
//!
//! One file per stage:
//! - `accept`: [`run`], the accept loop, the connection cap, shutdown;
//! - `config`: [`ServerConfig`];
//! - `auth`: [`Authorizer`], [`TokenAuthorizer`], the upgrade target;
//! - `limits`: [`RateLimit`], [`TokenBucket`], size caps, [`close_code`];
//! - `metrics`: [`Metrics`], [`MetricsSnapshot`];
//! - `connection`: one connection's upgrade, read loop and write loop;
//! - `frame`: what one incoming frame does (the update path and its
//!   durability contract, workshop commands, awareness);
//! - `rooms` and `room`: the boards in memory, and one board (document,
//!   peers, host, awareness expiry);
//! - `awareness`: a room's presence table;
//! - `known`: which updates change a room's document;
//! - `persist`: a room's store writer (group commit).

mod accept;
mod auth;
mod awareness;
mod config;
mod connection;
mod frame;
mod known;
mod limits;
mod metrics;
mod persist;
mod room;
mod rooms;

pub use accept::run;
pub use auth::{Authorizer, TokenAuthorizer};
pub use config::{wall_clock_ms, ServerConfig};
pub use limits::{
    close_code, RateLimit, TokenBucket, MAX_AWARENESS_IDS_PER_CONNECTION, MAX_AWARENESS_STATE_BYTES,
};
pub use metrics::{Metrics, MetricsSnapshot};
