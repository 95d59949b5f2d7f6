//! One connection: the upgrade (token checked inside it), joining the
//! board's room, then a read loop that hands each frame to
//! [`frame::handle`] and a write loop that drains the connection's queue.
//! A [`PeerHandle`] is how the room reaches the connection: a bounded queue
//! (full means the peer does not read) and a kill switch with a reason.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::error::CapacityError;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use tokio_tungstenite::WebSocketStream;
use tokio_util::sync::CancellationToken;

use super::accept::Shared;
use super::auth::{parse_target, refusal};
use super::limits::{close_code, close_frame, close_reason, TokenBucket};
use super::metrics::{bump, Metrics};
use super::room::Room;
use super::{frame, rooms};
use crate::session::PeerSession;
use crate::store::BoardId;
use crate::token::{self, Role};

type WsStream = SplitStream<WebSocketStream<TcpStream>>;
type WsSink = SplitSink<WebSocketStream<TcpStream>, WsMessage>;

/// The code and reason to close with, set once by whoever ends the
/// connection first.
type CloseReason = Arc<Mutex<Option<(u16, String)>>>;

/// How a room reaches one connection.
#[derive(Clone)]
pub(super) struct PeerHandle {
    tx: mpsc::Sender<Bytes>,
    /// Cancelled to end the connection.
    kill: CancellationToken,
    reason: CloseReason,
}

impl PeerHandle {
    /// Ends the connection with `code` and `reason`, unless it is already
    /// ending with another.
    pub(super) fn close(&self, code: u16, reason: &str) {
        let mut slot = self.reason.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some((code, close_reason(reason)));
        }
        drop(slot);
        self.kill.cancel();
    }

    /// Queues a frame; a full queue means the peer is not reading.
    pub(super) fn push(&self, frame: Bytes, metrics: &Metrics) {
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

/// Serves one TCP connection from the upgrade to the close.
pub(super) async fn serve(shared: &Arc<Shared>, stream: TcpStream, addr: SocketAddr) {
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
    let mut ws = match tokio::time::timeout(config.handshake_timeout, handshake).await {
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
    match rooms::join(shared, &board_id).await {
        Ok(room) => {
            run(shared, &room, role, ws).await;
            rooms::leave(shared, &board_id);
            tracing::info!(%addr, board = %board_id, "peer left");
        }
        Err(e) => {
            tracing::error!(board = %board_id, error = %e, "could not load board");
            let _ = ws
                .close(Some(close_frame(
                    close_code::STORE_FAILURE,
                    "board could not be loaded",
                )))
                .await;
        }
    }
    config
        .metrics
        .connections_open
        .fetch_sub(1, Ordering::Relaxed);
}

/// Runs an admitted connection on `room` until either side ends it.
async fn run(shared: &Arc<Shared>, room: &Arc<Room>, role: Role, ws: WebSocketStream<TcpStream>) {
    let config = &shared.config;
    let conn = shared.next_connection_id();
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
    room.register(conn, role, handle.clone());
    let out = handle.clone();
    let metrics = config.metrics.clone();
    let mut session = PeerSession::new(room.doc.clone(), role, config.limits, move |frame| {
        out.push(Bytes::from(frame), &metrics);
    });
    session.start();
    if let Some(frame) = room.awareness_snapshot() {
        handle.push(frame, &config.metrics);
    }
    let stream = read_loop(shared, room, conn, role, &handle, &mut session, stream).await;
    room.unregister(conn);
    drop(session);
    handle.kill.cancel();
    if let (Ok(sink), Some(stream)) = (writer.await, stream) {
        if let Ok(mut ws) = sink.reunite(stream) {
            linger(ws.get_mut(), config.limits.max_frame).await;
        }
    }
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

/// Reads frames, paced by the connection's rate limit, until the peer
/// leaves, breaks the protocol, or the server stops. Returns the stream if
/// a close frame is on its way, so the caller can linger.
async fn read_loop<F: FnMut(Vec<u8>)>(
    shared: &Arc<Shared>,
    room: &Room,
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
                tracing::warn!(board = %room.id, conn, %reason, "closing connection");
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
        let peer = frame::Peer { conn, role, handle };
        if let Err((code, reason)) = frame::handle(room, &peer, session, &data, metrics).await {
            tracing::warn!(board = %room.id, conn, code, %reason, "closing connection");
            handle.close(code, &reason);
            return Some(stream);
        }
    }
}

/// Frames written per flush at most.
const WRITE_BATCH: usize = 256;

/// Writes queued frames until the connection is killed or the queue
/// closes, then sends the close frame with the recorded reason.
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
        .unwrap_or_else(PoisonError::into_inner)
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
