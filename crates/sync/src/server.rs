//! The y-websocket server: many boards, token-checked upgrades, roles,
//! awareness relay, persistence before acknowledgement, and defences against
//! hostile or slow peers.
//!
//! `run(listener, config, shutdown)` serves until `shutdown` completes; the
//! caller owns the bind (tests use port 0) and the signal. URL shape:
//! `ws://host:port/b/<board-id>?token=<token>` or `ws://host:port/<board-id>?token=<token>`.
//!
//! Per connection: the token is checked inside the HTTP upgrade (refused with
//! 401/403 and no board data); the server then sends SyncStep1 and the
//! board's awareness states. Every accepted update is validated, appended to
//! the [`BoardStore`] (batched per board), applied and only then forwarded,
//! so no peer ever sees an update the store does not hold.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, OnceCell, Semaphore};
use tokio_tungstenite::tungstenite::error::CapacityError;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use tokio_tungstenite::WebSocketStream;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use yrs::Doc;

use crate::error::Error;
use crate::protocol::{AwarenessEntry, AwarenessUpdate, Message, ProtocolError};
use crate::session::{apply_update, Inbound, Limits, PeerSession};
use crate::store::{BoardId, BoardStore};
use crate::token::{self, Role, TokenError};
use crate::workshop::{self, FromClient, Host, ToClient, Touched};

/// WebSocket close codes the server uses. Codes 4400-4499 are policy
/// violations: y-websocket clients do not reconnect after them.
pub mod close_code {
    /// Garbage, truncated or unknown message.
    pub const MALFORMED: u16 = 4400;
    /// A frame above the size cap.
    pub const FRAME_TOO_LARGE: u16 = 4413;
    /// An update that fails validation (e.g. implausible header counts) or
    /// that the CRDT refuses.
    pub const INVALID_UPDATE: u16 = 4422;
    /// The client did not read fast enough; it may reconnect.
    pub const SLOW_CONSUMER: u16 = 1013;
    /// The store failed; the client may reconnect and resend.
    pub const STORE_FAILURE: u16 = 1011;
    /// The server is shutting down.
    pub const GOING_AWAY: u16 = 1001;
}

/// How many awareness client ids one connection may publish (a browser tab
/// uses one; the cap keeps a peer from filling the table).
pub const MAX_AWARENESS_IDS_PER_CONNECTION: usize = 8;

/// Largest awareness state kept and relayed, in bytes of JSON. Presence
/// (name, colour, cursor, selection) takes a few hundred bytes.
pub const MAX_AWARENESS_STATE_BYTES: usize = 64 * 1024;

/// Decides who may open a board, during the HTTP upgrade.
pub trait Authorizer: Send + Sync + 'static {
    /// The role `token` grants on `board` at unix time `now`.
    ///
    /// # Errors
    /// [`TokenError`] if access is refused; its
    /// [`http_status`](TokenError::http_status) is sent back.
    fn authorize(&self, board: &BoardId, token: Option<&str>, now: u64)
        -> Result<Role, TokenError>;
}

/// Checks HMAC-signed [`crate::token`] tokens against one secret, with
/// per-board revocation: tokens issued before a board's cut-off are refused.
#[derive(Debug)]
pub struct TokenAuthorizer {
    secret: Vec<u8>,
    revoked_before: Mutex<HashMap<BoardId, u64>>,
}

impl TokenAuthorizer {
    /// Uses `secret` to verify tokens.
    #[must_use]
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self {
            secret: secret.into(),
            revoked_before: Mutex::new(HashMap::new()),
        }
    }

    /// Refuses from now on every token for `board` issued before `cutoff`
    /// (unix seconds); issue new links with `issued_at >= cutoff`.
    pub fn revoke_before(&self, board: &BoardId, cutoff: u64) {
        if let Ok(mut map) = self.revoked_before.lock() {
            map.insert(board.clone(), cutoff);
        }
    }
}

impl Authorizer for TokenAuthorizer {
    fn authorize(
        &self,
        board: &BoardId,
        token: Option<&str>,
        now: u64,
    ) -> Result<Role, TokenError> {
        token::admit(&self.secret, token, board.as_str(), now, |_| {
            self.revoked_before
                .lock()
                .map(|m| m.get(board).copied().unwrap_or(0))
                .unwrap_or(u64::MAX)
        })
    }
}

/// A token bucket: `per_second` sustained, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained messages per second.
    pub per_second: f64,
    /// Messages allowed in one burst.
    pub burst: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: 1000.0,
            burst: 2000.0,
        }
    }
}

/// The state of one [`RateLimit`] bucket. Time is a parameter.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket at `now`.
    #[must_use]
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            tokens: limit.burst,
            last: now,
        }
    }

    /// Takes one token at `now`. Returns how long the caller must wait
    /// before acting, or `None` to act at once. The token is taken either
    /// way, so waiting callers queue up fairly.
    pub fn take(&mut self, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 || self.limit.per_second <= 0.0 {
            None
        } else {
            Some(Duration::from_secs_f64(
                -self.tokens / self.limit.per_second,
            ))
        }
    }
}

/// Counters of a running server, shared with the caller through
/// [`ServerConfig::metrics`].
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
            frames_forwarded: r(&self.frames_forwarded),
            store_failures: r(&self.store_failures),
            boards_loaded: r(&self.boards_loaded),
            writes_undone: r(&self.writes_undone),
        }
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

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
        }
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
        boards: Mutex::new(HashMap::new()),
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
            serve_connection(&shared, stream, addr).await;
            drop(permit);
        });
    }
    tracing::info!("sync server shutting down");
    shared.cancel.cancel();
    connections.close();
    connections.wait().await;
    if let Ok(mut boards) = shared.boards.lock() {
        boards.clear();
    }
    shared.background.close();
    shared.background.wait().await;
    let store = shared.config.store.clone();
    tokio::task::spawn_blocking(move || store.flush())
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))??;
    tracing::info!("sync server stopped");
    Ok(())
}

struct Shared {
    config: ServerConfig,
    boards: Mutex<HashMap<BoardId, BoardEntry>>,
    cancel: CancellationToken,
    background: TaskTracker,
    next_conn: AtomicU64,
}

struct BoardEntry {
    cell: Arc<OnceCell<Arc<Board>>>,
    joined: usize,
}

impl Shared {
    async fn join(self: &Arc<Self>, id: &BoardId) -> Result<Arc<Board>, Error> {
        let cell = {
            let mut boards = self.lock_boards();
            let entry = boards.entry(id.clone()).or_insert_with(|| BoardEntry {
                cell: Arc::new(OnceCell::new()),
                joined: 0,
            });
            entry.joined += 1;
            entry.cell.clone()
        };
        let result = cell
            .get_or_try_init(|| Board::load(self.clone(), id.clone()))
            .await
            .cloned();
        if result.is_err() {
            self.leave(id);
        }
        result
    }

    /// Drops a reference to a board; the last one schedules its unload after
    /// [`ServerConfig::board_idle_unload`], so a quick rejoin finds it warm.
    fn leave(self: &Arc<Self>, id: &BoardId) {
        let cell = {
            let mut boards = self.lock_boards();
            let Some(entry) = boards.get_mut(id) else {
                return;
            };
            entry.joined = entry.joined.saturating_sub(1);
            if entry.joined > 0 {
                return;
            }
            entry.cell.clone()
        };
        let shared = self.clone();
        let id = id.clone();
        let idle = self.config.board_idle_unload;
        self.background.spawn(async move {
            tokio::select! {
                () = shared.cancel.cancelled() => return,
                () = tokio::time::sleep(idle) => {}
            }
            let mut boards = shared.lock_boards();
            if boards
                .get(&id)
                .is_some_and(|e| e.joined == 0 && Arc::ptr_eq(&e.cell, &cell))
            {
                boards.remove(&id);
                tracing::info!(board = %id, "board unloaded");
            }
        });
    }

    fn lock_boards(&self) -> std::sync::MutexGuard<'_, HashMap<BoardId, BoardEntry>> {
        self.boards
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

type CloseReason = Arc<Mutex<Option<(u16, String)>>>;

#[derive(Clone)]
struct PeerHandle {
    tx: mpsc::Sender<Bytes>,
    kill: CancellationToken,
    reason: CloseReason,
}

impl PeerHandle {
    fn close(&self, code: u16, reason: &str) {
        set_reason(&self.reason, code, reason);
        self.kill.cancel();
    }

    /// Queues a frame; a full queue means the peer is not reading.
    fn push(&self, frame: Bytes, metrics: &Metrics) {
        match self.tx.try_send(frame) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                if !self.kill.is_cancelled() {
                    bump(&metrics.slow_consumers);
                }
                self.close(close_code::SLOW_CONSUMER, "not reading fast enough");
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }
}

fn set_reason(slot: &CloseReason, code: u16, reason: &str) {
    let mut slot = slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if slot.is_none() {
        // Close reasons are limited to 123 bytes on the wire.
        let mut end = reason.len().min(120);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        *slot = Some((code, reason[..end].to_owned()));
    }
}

struct AwarenessRecord {
    clock: u32,
    state: String,
    owner: u64,
    updated: Instant,
}

struct PersistJob {
    update: Bytes,
    done: oneshot::Sender<Result<(), String>>,
}

struct Board {
    id: BoardId,
    doc: Doc,
    store: Arc<dyn BoardStore>,
    host: Mutex<Host>,
    touched: Arc<Mutex<HashMap<String, Touched>>>,
    peers: Mutex<HashMap<u64, PeerHandle>>,
    awareness: Mutex<HashMap<u64, AwarenessRecord>>,
    persist: mpsc::Sender<PersistJob>,
    metrics: Arc<Metrics>,
    awareness_timeout: Duration,
}

impl Board {
    async fn load(shared: Arc<Shared>, id: BoardId) -> Result<Arc<Board>, Error> {
        let store = shared.config.store.clone();
        let load_id = id.clone();
        let (doc, private) = tokio::task::spawn_blocking(move || -> Result<(Doc, workshop::Private), Error> {
            let updates = store.load(&load_id)?;
            // Text offsets in UTF-16 code units, as JavaScript clients count.
            let doc = Doc::with_options(yrs::Options {
                offset_kind: yrs::OffsetKind::Utf16,
                ..yrs::Options::default()
            });
            let mut skipped = 0usize;
            for u in &updates {
                if let Err(e) = apply_update(&doc, u) {
                    skipped += 1;
                    tracing::warn!(board = %load_id, error = %e, "skipping a stored update that does not apply");
                }
            }
            tracing::info!(board = %load_id, updates = updates.len(), skipped, "board loaded");
            let private = match store.load_private(&load_id)? {
                None => workshop::Private::default(),
                Some(bytes) => workshop::Private::from_bytes(&bytes).unwrap_or_else(|e| {
                    tracing::error!(board = %load_id, error = %e, "the host record of this board is unreadable; starting without open rounds");
                    workshop::Private::default()
                }),
            };
            Ok((doc, private))
        })
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))??;
        bump(&shared.config.metrics.boards_loaded);
        let (persist, jobs) = mpsc::channel(shared.config.max_store_batch.max(1) * 2);
        let touched = Arc::new(Mutex::new(HashMap::new()));
        workshop::observe(&doc, touched.clone());
        let host = Host::new(&doc, private);
        let board = Arc::new(Board {
            id: id.clone(),
            store: shared.config.store.clone(),
            host: Mutex::new(host),
            touched,
            doc,
            peers: Mutex::new(HashMap::new()),
            awareness: Mutex::new(HashMap::new()),
            persist,
            metrics: shared.config.metrics.clone(),
            awareness_timeout: shared.config.awareness_timeout,
        });
        shared.background.spawn(persist_loop(
            shared.config.store.clone(),
            id,
            jobs,
            shared.config.max_store_batch.max(1),
        ));
        shared
            .background
            .spawn(expire_loop(Arc::downgrade(&board), shared.cancel.clone()));
        Ok(board)
    }

    fn peers(&self) -> std::sync::MutexGuard<'_, HashMap<u64, PeerHandle>> {
        self.peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn host(&self) -> std::sync::MutexGuard<'_, Host> {
        self.host
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores the host's private record; a failure is logged (the record in
    /// memory stays the truth and the next save carries it).
    fn save_private(&self, host: &Host) {
        let bytes = host.private().to_bytes();
        if let Err(e) = self.store.save_private(&self.id, &bytes) {
            tracing::error!(board = %self.id, error = %e, "could not store the host record");
        }
    }

    /// Carries out what the host decided: its document update is stored and
    /// sent to everyone, then the personal messages go out.
    async fn deliver(&self, from: u64, effects: workshop::Effects) -> Result<(), String> {
        if let Some(update) = effects.update {
            self.persist(Bytes::from(update.clone())).await?;
            self.broadcast(0, &Bytes::from(Message::Update(&update).encode()));
        }
        let peers = self.peers();
        for (conn, msg) in effects.direct {
            if let Some(peer) = peers.get(&conn) {
                peer.push(workshop_frame(&msg), &self.metrics);
            }
        }
        if let Some(msg) = effects.everyone {
            let frame = workshop_frame(&msg);
            for conn in self.host().greeted() {
                if conn != from {
                    if let Some(peer) = peers.get(&conn) {
                        peer.push(frame.clone(), &self.metrics);
                    }
                }
            }
        }
        Ok(())
    }

    fn awareness(&self) -> std::sync::MutexGuard<'_, HashMap<u64, AwarenessRecord>> {
        self.awareness
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores an update durably (group commit through the persist loop).
    async fn persist(&self, update: Bytes) -> Result<(), String> {
        let (done, wait) = oneshot::channel();
        self.persist
            .send(PersistJob { update, done })
            .await
            .map_err(|_| "store writer stopped".to_owned())?;
        wait.await.map_err(|_| "store writer stopped".to_owned())?
    }

    fn broadcast(&self, from: u64, frame: &Bytes) {
        let peers = self.peers();
        for (id, peer) in peers.iter() {
            if *id != from {
                peer.push(frame.clone(), &self.metrics);
                bump(&self.metrics.frames_forwarded);
            }
        }
    }

    fn awareness_snapshot(&self) -> Option<Bytes> {
        let table = self.awareness();
        if table.is_empty() {
            return None;
        }
        let update = AwarenessUpdate {
            entries: table
                .iter()
                .map(|(id, r)| AwarenessEntry {
                    client_id: *id,
                    clock: r.clock,
                    state: r.state.clone(),
                })
                .collect(),
        };
        Some(Bytes::from(update.to_frame()))
    }

    fn apply_awareness(&self, conn: u64, update: AwarenessUpdate, now: Instant) {
        let total = update.entries.len();
        let mut accepted = Vec::with_capacity(total);
        {
            let mut table = self.awareness();
            let mut owned = table.values().filter(|r| r.owner == conn).count();
            for e in update.entries {
                if e.state.len() > MAX_AWARENESS_STATE_BYTES {
                    continue;
                }
                match table.get(&e.client_id) {
                    Some(r) if r.owner != conn => continue,
                    Some(_) => {}
                    None if e.is_removal() => {}
                    None if owned >= MAX_AWARENESS_IDS_PER_CONNECTION => continue,
                    None => owned += 1,
                }
                if e.is_removal() {
                    table.remove(&e.client_id);
                } else {
                    table.insert(
                        e.client_id,
                        AwarenessRecord {
                            clock: e.clock,
                            state: e.state.clone(),
                            owner: conn,
                            updated: now,
                        },
                    );
                }
                accepted.push(e);
            }
        }
        {
            let mut host = self.host();
            for e in &accepted {
                if !e.is_removal() {
                    host.saw_client(conn, e.client_id);
                }
            }
        }
        if !accepted.is_empty() {
            let frame = AwarenessUpdate { entries: accepted }.to_frame();
            self.broadcast(conn, &Bytes::from(frame));
        }
    }

    fn remove_awareness_where(&self, pred: impl Fn(&AwarenessRecord) -> bool) {
        let removed: Vec<AwarenessEntry> = {
            let mut table = self.awareness();
            let ids: Vec<u64> = table
                .iter()
                .filter(|(_, r)| pred(r))
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter()
                .filter_map(|id| {
                    table.remove(&id).map(|r| AwarenessEntry {
                        client_id: id,
                        clock: r.clock.wrapping_add(1),
                        state: "null".into(),
                    })
                })
                .collect()
        };
        if !removed.is_empty() {
            let frame = AwarenessUpdate { entries: removed }.to_frame();
            self.broadcast(0, &Bytes::from(frame));
        }
    }

    fn unregister(&self, conn: u64) {
        self.peers().remove(&conn);
        self.host().leave(conn);
        self.remove_awareness_where(|r| r.owner == conn);
    }
}

async fn persist_loop(
    store: Arc<dyn BoardStore>,
    board: BoardId,
    mut jobs: mpsc::Receiver<PersistJob>,
    max_batch: usize,
) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let updates: Vec<Bytes> = batch.iter().map(|j| j.update.clone()).collect();
        let store = store.clone();
        let id = board.clone();
        let result = tokio::task::spawn_blocking(move || {
            let slices: Vec<&[u8]> = updates.iter().map(|u| u.as_ref()).collect();
            store.append(&id, &slices)
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
        if let Err(e) = &result {
            tracing::error!(%board, error = %e, "could not store updates");
        }
        for job in batch {
            let _ = job.done.send(result.clone());
        }
    }
}

async fn expire_loop(board: Weak<Board>, cancel: CancellationToken) {
    let period = match board.upgrade() {
        Some(b) => (b.awareness_timeout / 6).max(Duration::from_millis(100)),
        None => return,
    };
    let mut tick = tokio::time::interval(period);
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = tick.tick() => {}
        }
        let Some(board) = board.upgrade() else { return };
        let now = Instant::now();
        let timeout = board.awareness_timeout;
        board.remove_awareness_where(|r| now.saturating_duration_since(r.updated) >= timeout);
    }
}

/// Parses `/b/<id>` or `/<id>` and the `token` query parameter.
fn parse_target(uri: &http::Uri) -> Option<(BoardId, Option<String>)> {
    let path = uri.path().trim_start_matches('/');
    let path = path.strip_prefix("b/").unwrap_or(path);
    let board = BoardId::new(path).ok()?;
    let token = uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| v.to_owned())
    });
    Some((board, token))
}

#[allow(clippy::result_large_err)]
fn refusal(status: u16, text: &str) -> ErrorResponse {
    let mut resp = ErrorResponse::new(Some(text.to_owned()));
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::FORBIDDEN);
    resp
}

async fn serve_connection(shared: &Arc<Shared>, stream: TcpStream, addr: SocketAddr) {
    let config = &shared.config;
    let ws_config = WebSocketConfig::default()
        .max_message_size(Some(config.limits.max_frame))
        .max_frame_size(Some(config.limits.max_frame));
    let mut admitted: Option<(BoardId, Role)> = None;
    let authorizer = config.authorizer.clone();
    // The signature is fixed by tungstenite's `Callback`.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        let Some((board, token)) = parse_target(req.uri()) else {
            return Err(refusal(
                404,
                "no such board path; use /b/<board-id>?token=...",
            ));
        };
        match authorizer.authorize(&board, token.as_deref(), token::unix_now()) {
            Ok(role) => {
                admitted = Some((board, role));
                Ok(resp)
            }
            Err(e) => {
                tracing::info!(%addr, %board, reason = %e, "token refused");
                Err(refusal(e.http_status(), &e.to_string()))
            }
        }
    };
    let handshake =
        tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(ws_config));
    let ws = match tokio::time::timeout(config.handshake_timeout, handshake).await {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => {
            bump(&config.metrics.connections_refused);
            tracing::info!(%addr, error = %e, "upgrade refused");
            return;
        }
        Err(_) => {
            bump(&config.metrics.connections_refused);
            tracing::info!(%addr, "upgrade timed out");
            return;
        }
    };
    let Some((board_id, role)) = admitted else {
        return;
    };
    bump(&config.metrics.connections_accepted);
    config
        .metrics
        .connections_open
        .fetch_add(1, Ordering::Relaxed);
    tracing::info!(%addr, board = %board_id, %role, "peer joined");
    let board = match shared.join(&board_id).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(board = %board_id, error = %e, "could not load board");
            let mut ws = ws;
            let _ = ws
                .close(Some(close_frame(
                    close_code::STORE_FAILURE,
                    "board could not be loaded",
                )))
                .await;
            config
                .metrics
                .connections_open
                .fetch_sub(1, Ordering::Relaxed);
            return;
        }
    };
    let conn = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = mpsc::channel::<Bytes>(config.outgoing_queue.max(1));
    let handle = PeerHandle {
        tx,
        kill: CancellationToken::new(),
        reason: Arc::new(Mutex::new(None)),
    };
    let (sink, stream) = ws.split();
    let writer = tokio::spawn(write_loop(
        sink,
        rx,
        handle.clone(),
        config.write_timeout,
        config.metrics.clone(),
    ));
    // Register before computing any answer, so no update falls in between.
    board.peers().insert(conn, handle.clone());
    board.host().join(conn, role);
    let out = handle.clone();
    let metrics = config.metrics.clone();
    let mut session = PeerSession::new(board.doc.clone(), role, config.limits, move |frame| {
        out.push(Bytes::from(frame), &metrics);
    });
    session.start();
    if let Some(frame) = board.awareness_snapshot() {
        handle.push(frame, &config.metrics);
    }
    let stream = read_loop(shared, &board, conn, role, &handle, &mut session, stream).await;
    board.unregister(conn);
    drop(session);
    shared.leave(&board_id);
    handle.kill.cancel();
    if let (Ok(sink), Some(stream)) = (writer.await, stream) {
        if let Ok(mut ws) = sink.reunite(stream) {
            linger(ws.get_mut(), config.limits.max_frame).await;
        }
    }
    config
        .metrics
        .connections_open
        .fetch_sub(1, Ordering::Relaxed);
    tracing::info!(%addr, board = %board_id, "peer left");
}

/// Reads whatever the peer still sends for a moment after our close frame,
/// so the kernel does not answer unread data with a reset that would
/// destroy the close frame in flight.
async fn linger(tcp: &mut TcpStream, max: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0usize;
    while total <= max.saturating_add(buf.len()) {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => total += n,
            _ => break,
        }
    }
}

type WsStream = SplitStream<WebSocketStream<TcpStream>>;
type WsSink = SplitSink<WebSocketStream<TcpStream>, WsMessage>;

fn close_frame(code: u16, reason: &str) -> CloseFrame {
    CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    }
}

/// Classifies a session error into a close code and a reason a person can read.
fn close_for(e: &Error) -> (u16, String) {
    match e {
        Error::Protocol(ProtocolError::FrameTooLarge { .. }) => {
            (close_code::FRAME_TOO_LARGE, format!("frame too large: {e}"))
        }
        Error::Protocol(
            p @ (ProtocolError::ImplausibleCount { .. } | ProtocolError::InvalidUpdate(_)),
        ) => (close_code::INVALID_UPDATE, format!("invalid update: {p}")),
        Error::Decode(_) | Error::Apply(_) | Error::ApplyPanicked => {
            (close_code::INVALID_UPDATE, e.to_string())
        }
        Error::Protocol(p) => (close_code::MALFORMED, format!("malformed message: {p}")),
        other => (close_code::MALFORMED, other.to_string()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn read_loop<F: FnMut(Vec<u8>)>(
    shared: &Arc<Shared>,
    board: &Arc<Board>,
    conn: u64,
    role: Role,
    handle: &PeerHandle,
    session: &mut PeerSession<F>,
    mut stream: WsStream,
) -> Option<WsStream> {
    let config = &shared.config;
    let metrics = &config.metrics;
    let mut bucket = TokenBucket::new(config.message_rate, Instant::now());
    loop {
        let next = tokio::select! {
            biased;
            () = shared.cancel.cancelled() => {
                handle.close(close_code::GOING_AWAY, "server shutting down");
                return Some(stream);
            }
            () = handle.kill.cancelled() => return Some(stream),
            next = stream.next() => next,
        };
        let data = match next {
            None => return None,
            Some(Ok(WsMessage::Binary(data))) => data,
            Some(Ok(WsMessage::Close(_))) => return Some(stream),
            Some(Ok(WsMessage::Text(_))) => {
                bump(&metrics.protocol_violations);
                handle.close(
                    close_code::MALFORMED,
                    "text frames are not part of the protocol",
                );
                return Some(stream);
            }
            Some(Ok(_)) => continue,
            Some(Err(WsError::Capacity(CapacityError::MessageTooLong { size, max_size }))) => {
                bump(&metrics.protocol_violations);
                let reason = format!("frame too large: {size} bytes, limit {max_size}");
                tracing::warn!(board = %board.id, conn, %reason, "closing connection");
                handle.close(close_code::FRAME_TOO_LARGE, &reason);
                return Some(stream);
            }
            Some(Err(WsError::ConnectionClosed | WsError::AlreadyClosed | WsError::Io(_))) => {
                return None
            }
            Some(Err(e)) => {
                bump(&metrics.protocol_violations);
                handle.close(
                    close_code::MALFORMED,
                    &format!("websocket protocol error: {e}"),
                );
                return Some(stream);
            }
        };
        if let Some(wait) = bucket.take(Instant::now()) {
            bump(&metrics.rate_limited);
            tokio::select! {
                () = shared.cancel.cancelled() => {
                    handle.close(close_code::GOING_AWAY, "server shutting down");
                    return Some(stream);
                }
                () = handle.kill.cancelled() => return Some(stream),
                () = tokio::time::sleep(wait) => {}
            }
        }
        if let Err((code, reason)) =
            handle_frame(board, conn, role, handle, session, &data, metrics).await
        {
            tracing::warn!(board = %board.id, conn, code, %reason, "closing connection");
            handle.close(code, &reason);
            return Some(stream);
        }
    }
}

async fn handle_frame<F: FnMut(Vec<u8>)>(
    board: &Board,
    conn: u64,
    role: Role,
    handle: &PeerHandle,
    session: &mut PeerSession<F>,
    data: &[u8],
    metrics: &Metrics,
) -> Result<(), (u16, String)> {
    let inbound = session.receive(data).map_err(|e| {
        bump(&metrics.protocol_violations);
        close_for(&e)
    })?;
    match inbound {
        Inbound::Answered | Inbound::Ignored => Ok(()),
        Inbound::WriteDropped { .. } => {
            bump(&metrics.viewer_writes_dropped);
            tracing::debug!(board = %board.id, conn, %role, "dropped a write from a viewer");
            Ok(())
        }
        Inbound::Update { bytes, summary, .. } => {
            if summary.is_empty() {
                return Ok(());
            }
            let update = Bytes::copy_from_slice(bytes);
            if let Err(e) = board.persist(update).await {
                bump(&metrics.store_failures);
                tracing::error!(board = %board.id, error = %e, "update not stored");
                return Err((
                    close_code::STORE_FAILURE,
                    "the update could not be stored".into(),
                ));
            }
            let origin = workshop::peer_origin(conn);
            let applied = session.apply_with_origin(bytes, &origin);
            let touched = board
                .touched
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&origin);
            applied.map_err(|e| {
                bump(&metrics.protocol_violations);
                close_for(&e)
            })?;
            bump(&metrics.updates_applied);
            board.broadcast(conn, &Bytes::from(Message::Update(bytes).encode()));
            let restore = touched.and_then(|t| board.host().enforce(&board.doc, conn, &t));
            if let Some(restore) = restore {
                bump(&metrics.writes_undone);
                let effects = workshop::Effects {
                    update: Some(restore),
                    ..workshop::Effects::default()
                };
                board.deliver(conn, effects).await.map_err(|e| {
                    bump(&metrics.store_failures);
                    tracing::error!(board = %board.id, error = %e, "restore not stored");
                    (
                        close_code::STORE_FAILURE,
                        "the update could not be stored".to_owned(),
                    )
                })?;
            }
            Ok(())
        }
        Inbound::Workshop(bytes) => {
            if bytes.len() > workshop::MAX_MESSAGE_BYTES {
                bump(&metrics.protocol_violations);
                return Err((
                    close_code::FRAME_TOO_LARGE,
                    format!(
                        "workshop message too large: {} bytes, limit {}",
                        bytes.len(),
                        workshop::MAX_MESSAGE_BYTES
                    ),
                ));
            }
            let Some(message) = FromClient::parse(bytes) else {
                bump(&metrics.protocol_violations);
                return Err((
                    close_code::MALFORMED,
                    "malformed message: not a workshop message".to_owned(),
                ));
            };
            let effects = {
                let mut host = board.host();
                let (re, result) = match message {
                    FromClient::Hello(hello) => (0, host.hello(conn, hello)),
                    FromClient::Do { id, cmd } => (id, host.command(&board.doc, conn, cmd)),
                };
                match result {
                    Ok(mut effects) => {
                        if effects.private_changed {
                            board.save_private(&host);
                        }
                        if re != 0 {
                            effects
                                .direct
                                .push((conn, ToClient::Reply { re, error: None }));
                        }
                        effects
                    }
                    Err(refusal) => {
                        tracing::info!(board = %board.id, conn, code = %refusal.code, "workshop command refused");
                        workshop::Effects {
                            direct: vec![(
                                conn,
                                ToClient::Reply {
                                    re,
                                    error: Some(refusal),
                                },
                            )],
                            ..workshop::Effects::default()
                        }
                    }
                }
            };
            board.deliver(conn, effects).await.map_err(|e| {
                bump(&metrics.store_failures);
                tracing::error!(board = %board.id, error = %e, "workshop change not stored");
                (
                    close_code::STORE_FAILURE,
                    "the change could not be stored".to_owned(),
                )
            })
        }
        Inbound::Awareness(update) => {
            board.apply_awareness(conn, update, Instant::now());
            Ok(())
        }
        Inbound::QueryAwareness => {
            if let Some(frame) = board.awareness_snapshot() {
                handle.push(frame, metrics);
            }
            Ok(())
        }
    }
}

fn workshop_frame(msg: &ToClient) -> Bytes {
    Bytes::from(Message::Workshop(&msg.to_bytes()).encode())
}

/// Frames written per flush at most.
const WRITE_BATCH: usize = 256;

async fn write_loop(
    mut sink: WsSink,
    mut rx: mpsc::Receiver<Bytes>,
    handle: PeerHandle,
    write_timeout: Duration,
    metrics: Arc<Metrics>,
) -> WsSink {
    loop {
        let frame = tokio::select! {
            biased;
            () = handle.kill.cancelled() => break,
            f = rx.recv() => match f {
                Some(f) => f,
                None => break,
            },
        };
        // Everything already queued goes out with one flush (one syscall
        // instead of one per frame when a board is busy).
        let batch = async {
            sink.feed(WsMessage::Binary(frame)).await?;
            for _ in 0..WRITE_BATCH {
                match rx.try_recv() {
                    Ok(f) => sink.feed(WsMessage::Binary(f)).await?,
                    Err(_) => break,
                }
            }
            sink.flush().await
        };
        let sent = tokio::select! {
            () = handle.kill.cancelled() => break,
            r = tokio::time::timeout(write_timeout, batch) => r,
        };
        match sent {
            Ok(Ok(())) => {}
            Ok(Err(_)) => {
                handle.kill.cancel();
                return sink;
            }
            Err(_) => {
                bump(&metrics.slow_consumers);
                handle.close(close_code::SLOW_CONSUMER, "not reading fast enough");
                return sink;
            }
        }
    }
    // A close frame the peer sent was answered by tungstenite into the write
    // buffer; flush it before our own, or the peer waits for it in vain.
    let _ = tokio::time::timeout(Duration::from_secs(1), sink.flush()).await;
    let reason = handle
        .reason
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let frame = match reason {
        Some((code, text)) => close_frame(code, &text),
        None => close_frame(1000, ""),
    };
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        sink.send(WsMessage::Close(Some(frame))),
    )
    .await;
    sink
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_allows_a_burst_then_paces() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(
            RateLimit {
                per_second: 10.0,
                burst: 3.0,
            },
            t0,
        );
        assert!(b.take(t0).is_none());
        assert!(b.take(t0).is_none());
        assert!(b.take(t0).is_none());
        let wait = b.take(t0).unwrap();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9);
        assert!(b.take(t0 + Duration::from_secs(1)).is_none());
    }

    #[test]
    fn revoking_a_board_refuses_older_tokens_only() {
        use crate::token::{Claims, Token};
        let auth = TokenAuthorizer::new(b"secret".to_vec());
        let board = BoardId::new("b").unwrap();
        let issue = |iat| {
            Token::issue(
                b"secret",
                &Claims {
                    board: "b".into(),
                    role: Role::Viewer,
                    issued_at: iat,
                    expires_at: 1_000,
                },
            )
            .unwrap()
        };
        let (old, new) = (issue(10), issue(20));
        assert_eq!(
            auth.authorize(&board, Some(old.as_str()), 15),
            Ok(Role::Viewer)
        );
        auth.revoke_before(&board, 20);
        assert_eq!(
            auth.authorize(&board, Some(old.as_str()), 21),
            Err(TokenError::Revoked)
        );
        assert_eq!(
            auth.authorize(&board, Some(new.as_str()), 21),
            Ok(Role::Viewer)
        );
        assert_eq!(auth.authorize(&board, None, 21), Err(TokenError::Missing));
    }

    #[test]
    fn board_paths_and_tokens_are_parsed() {
        let uri: http::Uri = "/b/ag-1?x=1&token=abc.def".parse().unwrap();
        let (b, t) = parse_target(&uri).unwrap();
        assert_eq!(b.as_str(), "ag-1");
        assert_eq!(t.as_deref(), Some("abc.def"));
        let uri: http::Uri = "/ag-2".parse().unwrap();
        assert_eq!(parse_target(&uri).unwrap().1, None);
        for bad in ["/", "/b/", "/a/b", "/b/../x"] {
            let uri: http::Uri = bad.parse().unwrap();
            assert!(parse_target(&uri).is_none(), "{bad}");
        }
    }
}
