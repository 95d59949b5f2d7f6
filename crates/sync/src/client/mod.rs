//! The client: keeps a yrs [`Doc`] in sync with a board on a server, or
//! brings both up to date once.
//!
//! [`connect`] runs in the background: SyncStep1 on open, applies the
//! server's SyncStep2 and updates, sends local updates as they happen, and
//! reconnects with exponential backoff and full jitter. Offline edits need no
//! queue: the SyncStep1/SyncStep2 exchange on reconnect carries them.
//! [`sync_once`] is the one-shot variant for `stellwand-cli sync`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use rand::{Rng, SeedableRng};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;
use yrs::{Doc, Origin};

use crate::error::Error;
use crate::protocol::{AwarenessEntry, AwarenessUpdate, Message};
use crate::session::{Inbound, Limits, PeerSession, REMOTE_ORIGIN};
use crate::token::Role;
use crate::workshop::{Code, Command, FromClient, Hello, Refusal, ToClient, View, You};

mod once;

pub use once::{sync_once, SyncReport};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Where the connection stands, for the status line of the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    /// Opening a connection.
    Connecting,
    /// Connected; the initial exchange is not complete yet.
    Syncing,
    /// Connected and up to date.
    Connected,
    /// Not connected; the next attempt is scheduled.
    Offline,
    /// The server refused us for good (bad token, policy violation); no
    /// further attempts are made.
    Refused(String),
    /// [`ClientHandle::close`] was called.
    Closed,
}

/// The status shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientStatus {
    /// Connection state.
    pub state: ConnectionState,
    /// Other participants present on the board (live awareness states).
    pub peers: usize,
    /// Their presence states (JSON as they published it), by client id.
    pub participants: Vec<Participant>,
}

/// Another participant's live presence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Their document's client id.
    pub client_id: u64,
    /// Their awareness state, JSON (e.g. `{"user":{"name":..,"color":..},"cursor":..}`).
    pub state: String,
}

/// Reconnection and presence settings.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// First reconnect delay; it doubles per failed attempt.
    pub backoff_initial: Duration,
    /// Largest reconnect delay.
    pub backoff_max: Duration,
    /// Seed of the jitter; `None` seeds from the OS.
    pub jitter_seed: Option<u64>,
    /// Frame size cap for what the server sends.
    pub limits: Limits,
    /// Our presence as JSON (e.g. `{"user":{"name":"Ana","color":"#e91e63"}}`),
    /// published through awareness and renewed every 15 s.
    pub presence: Option<String>,
    /// Remote presence counts as gone after this long without renewal.
    pub awareness_timeout: Duration,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Who we are for workshop features (roles, votes); `None`: a plain
    /// sync peer that never sends workshop messages.
    pub hello: Option<Hello>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            backoff_initial: Duration::from_millis(250),
            backoff_max: Duration::from_secs(30),
            jitter_seed: None,
            limits: Limits::default(),
            presence: None,
            awareness_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            hello: None,
        }
    }
}

/// Exponential backoff with full jitter: attempt `n` waits a uniformly
/// random time in `[0, min(max, initial * 2^n)]`.
#[must_use]
pub fn backoff_delay(
    initial: Duration,
    max: Duration,
    attempt: u32,
    rng: &mut impl Rng,
) -> Duration {
    let cap = initial
        .checked_mul(1u32 << attempt.min(20))
        .unwrap_or(max)
        .min(max);
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rng.random_range(0..=millis))
}

/// What the host said about us and the facilitator's view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkshopStatus {
    /// Our role, the host's clock and our votes (after the hello).
    pub you: Option<You>,
    /// The host's clock minus ours when `you` arrived, in milliseconds.
    pub clock_offset_ms: i64,
    /// The facilitator's latest view, for following.
    pub view: Option<View>,
    /// Counts views received, so followers see repeated identical views.
    pub view_seq: u64,
}

type Pending = tokio::sync::oneshot::Sender<Result<(), Refusal>>;

/// How long a workshop command may wait for the host's answer.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// A running client; dropping it stops the client.
#[derive(Debug)]
pub struct ClientHandle {
    status: watch::Receiver<ClientStatus>,
    workshop: watch::Receiver<WorkshopStatus>,
    commands: mpsc::UnboundedSender<(Command, Pending)>,
    cancel: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
    presence: watch::Sender<Option<String>>,
    hello: watch::Sender<Option<Hello>>,
}

impl ClientHandle {
    /// The status now.
    #[must_use]
    pub fn status(&self) -> ClientStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every status change.
    #[must_use]
    pub fn watch_status(&self) -> watch::Receiver<ClientStatus> {
        self.status.clone()
    }

    /// Waits until the client is connected and up to date.
    ///
    /// # Errors
    /// [`Error::Closed`] if the client stops or is refused first.
    pub async fn wait_connected(&self) -> Result<(), Error> {
        let mut rx = self.status.clone();
        loop {
            match &rx.borrow_and_update().state {
                ConnectionState::Connected => return Ok(()),
                ConnectionState::Refused(reason) => {
                    return Err(Error::Closed {
                        code: 0,
                        reason: reason.clone(),
                    })
                }
                ConnectionState::Closed => {
                    return Err(Error::Closed {
                        code: 1000,
                        reason: "client closed".into(),
                    })
                }
                _ => {}
            }
            rx.changed().await.map_err(|_| Error::Closed {
                code: 1000,
                reason: "client stopped".into(),
            })?;
        }
    }

    /// Publishes a new presence state (JSON: name, colour, cursor,
    /// selection), or withdraws it with `None`. Sent at once while
    /// connected, and on every reconnect.
    pub fn set_presence(&self, state: Option<String>) {
        self.presence.send_replace(state);
    }

    /// What the host said about us (role, votes) and the facilitator's view.
    #[must_use]
    pub fn watch_workshop(&self) -> watch::Receiver<WorkshopStatus> {
        self.workshop.clone()
    }

    /// Changes the display name the host knows us by (same user id; a
    /// client started without a hello stays without). Sent at once while
    /// connected, and on every reconnect.
    pub fn set_hello(&self, hello: Hello) {
        self.hello.send_if_modified(|h| {
            let changed = h.as_ref().is_some_and(|old| *old != hello);
            if changed {
                *h = Some(hello);
            }
            changed
        });
    }

    /// Sends a workshop command to the host and waits for its answer.
    ///
    /// # Errors
    /// The host's [`Refusal`]; code `offline` when not connected, `timeout`
    /// when no answer came within [`COMMAND_TIMEOUT`].
    pub async fn command(&self, cmd: Command) -> Result<(), Refusal> {
        command_via(&self.commands, cmd).await
    }

    /// Stops the client, closing the connection cleanly.
    pub async fn close(mut self) {
        self.cancel.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ClientHandle {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Starts syncing `doc` with the board at `url`
/// (`ws://host:port/b/<board>?token=...`) in the background on the current
/// tokio runtime.
///
/// # Errors
/// [`Error::InvalidUrl`] if `url` is not a `ws://` or `wss://` URL,
/// [`Error::DocumentBusy`] if `doc` is inside a transaction right now.
pub fn connect(url: &str, doc: Doc, options: ClientOptions) -> Result<ClientHandle, Error> {
    check_url(url)?;
    let (status_tx, status) = watch::channel(ClientStatus {
        state: ConnectionState::Connecting,
        peers: 0,
        participants: Vec::new(),
    });
    let (presence_tx, presence_rx) = watch::channel(options.presence.clone());
    let (workshop_tx, workshop) = watch::channel(WorkshopStatus::default());
    let (hello_tx, hello_rx) = watch::channel(options.hello.clone());
    let (commands, commands_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let (local_tx, local_rx) = mpsc::unbounded_channel();
    let subscription = observe_local_updates(&doc, local_tx)?;
    let task = tokio::spawn(client_loop(
        url.to_owned(),
        doc,
        options,
        status_tx,
        cancel.clone(),
        local_rx,
        subscription,
        presence_rx,
        Workshop {
            status: workshop_tx,
            commands: commands_rx,
            hello: hello_rx,
        },
    ));
    Ok(ClientHandle {
        status,
        workshop,
        commands,
        cancel,
        task: Some(task),
        presence: presence_tx,
        hello: hello_tx,
    })
}

fn check_url(url: &str) -> Result<(), Error> {
    if url.starts_with("ws://") || url.starts_with("wss://") {
        Ok(())
    } else {
        Err(Error::InvalidUrl {
            url: url.to_owned(),
            why: "must start with ws:// or wss://",
        })
    }
}

/// Observer keys must be unique per document; one per client instance.
static NEXT_OBSERVER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Removes the update observer when the client task ends.
struct LocalUpdates {
    doc: Doc,
    key: String,
}

impl Drop for LocalUpdates {
    fn drop(&mut self) {
        let _ = self.doc.unobserve_update_v1(self.key.as_str());
    }
}

/// Forwards every local (non-remote) update of `doc` into `tx`.
fn observe_local_updates(
    doc: &Doc,
    tx: mpsc::UnboundedSender<Vec<u8>>,
) -> Result<LocalUpdates, Error> {
    let remote = Origin::from(REMOTE_ORIGIN);
    let n = NEXT_OBSERVER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let key = format!("stellwand-sync-client-{n}");
    doc.observe_update_v1(key.as_str(), move |txn, event| {
        if txn.origin() != Some(&remote) {
            // A closed receiver means the client stopped; nothing to do.
            let _ = tx.send(event.update.clone());
        }
    })?;
    Ok(LocalUpdates {
        doc: doc.clone(),
        key,
    })
}

/// Sends `cmd` through a client's command queue and waits for the answer.
pub(crate) async fn command_via(
    queue: &mpsc::UnboundedSender<(Command, Pending)>,
    cmd: Command,
) -> Result<(), Refusal> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    if queue.send((cmd, tx)).is_err() {
        return Err(offline());
    }
    match tokio::time::timeout(COMMAND_TIMEOUT, rx).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(offline()),
        Err(_) => Err(Refusal {
            code: Code::Timeout,
            message: "the host did not answer in time".into(),
        }),
    }
}

fn offline() -> Refusal {
    Refusal {
        code: Code::Offline,
        message: "not connected to the host".into(),
    }
}

/// The client's side of workshop messages.
struct Workshop {
    status: watch::Sender<WorkshopStatus>,
    commands: mpsc::UnboundedReceiver<(Command, Pending)>,
    hello: watch::Receiver<Option<Hello>>,
}

fn hello_frame(hello: &Hello) -> Vec<u8> {
    let bytes = serde_json::to_vec(&FromClient::Hello(hello.clone())).unwrap_or_default();
    Message::Workshop(&bytes).encode()
}

impl Workshop {
    /// Answers every queued command with `offline` (they were asked while
    /// there was no connection).
    fn refuse_queued(&mut self) {
        while let Ok((_, reply)) = self.commands.try_recv() {
            let _ = reply.send(Err(offline()));
        }
    }

    fn receive(&self, bytes: &[u8], pending: &mut HashMap<u64, Pending>) {
        let Ok(msg) = serde_json::from_slice::<ToClient>(bytes) else {
            tracing::debug!("ignoring a workshop message we do not understand");
            return;
        };
        match msg {
            ToClient::Reply { re, error } => {
                if let Some(reply) = pending.remove(&re) {
                    let _ = reply.send(error.map_or(Ok(()), Err));
                }
            }
            ToClient::You(you) => {
                let local = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| i64::try_from(d.as_millis()).unwrap_or(0))
                    .unwrap_or(0);
                self.status.send_modify(|s| {
                    s.clock_offset_ms = you.now.saturating_sub(local);
                    s.you = Some(you);
                });
            }
            ToClient::View(view) => self.status.send_modify(|s| {
                s.view = Some(view);
                s.view_seq += 1;
            }),
        }
    }
}

enum Outcome {
    /// The connection ended; reconnect. `synced` tells whether it got up to date.
    Lost { synced: bool },
    /// Refused for good.
    Refused(String),
    /// We were asked to stop.
    Cancelled,
}

#[allow(clippy::too_many_arguments)]
async fn client_loop(
    url: String,
    doc: Doc,
    options: ClientOptions,
    status: watch::Sender<ClientStatus>,
    cancel: CancellationToken,
    mut local: mpsc::UnboundedReceiver<Vec<u8>>,
    _subscription: LocalUpdates,
    mut presence: watch::Receiver<Option<String>>,
    mut workshop: Workshop,
) {
    let mut rng = match options.jitter_seed {
        Some(seed) => rand::rngs::StdRng::seed_from_u64(seed),
        None => rand::rngs::StdRng::from_os_rng(),
    };
    let mut attempt: u32 = 0;
    let mut awareness_clock: u32 = 0;
    loop {
        set_state(&status, ConnectionState::Connecting, 0);
        let opened = tokio::select! {
            () = cancel.cancelled() => break,
            r = tokio::time::timeout(options.connect_timeout, open(&url, options.limits)) => r,
        };
        let outcome = match opened {
            Ok(Ok(ws)) => {
                run_connection(
                    ws,
                    &doc,
                    &options,
                    &status,
                    &cancel,
                    &mut local,
                    &mut awareness_clock,
                    &mut presence,
                    &mut workshop,
                )
                .await
            }
            Ok(Err(Error::Refused { status }))
                if status == 401 || status == 403 || status == 404 =>
            {
                Outcome::Refused(format!("server refused the link (HTTP {status})"))
            }
            Ok(Err(e)) => {
                tracing::debug!(%url, error = %e, "connection attempt failed");
                Outcome::Lost { synced: false }
            }
            Err(_) => Outcome::Lost { synced: false },
        };
        match outcome {
            Outcome::Cancelled => break,
            Outcome::Refused(reason) => {
                tracing::warn!(%url, %reason, "server refused the client; not reconnecting");
                set_state(&status, ConnectionState::Refused(reason), 0);
                return;
            }
            Outcome::Lost { synced } => {
                attempt = if synced { 0 } else { attempt.saturating_add(1) };
                set_state(&status, ConnectionState::Offline, 0);
                workshop.refuse_queued();
                let delay = backoff_delay(
                    options.backoff_initial,
                    options.backoff_max,
                    attempt,
                    &mut rng,
                );
                tokio::select! {
                    () = cancel.cancelled() => break,
                    () = tokio::time::sleep(delay) => {}
                }
            }
        }
    }
    set_state(&status, ConnectionState::Closed, 0);
}

fn set_state(status: &watch::Sender<ClientStatus>, state: ConnectionState, peers: usize) {
    status.send_if_modified(|s| {
        let changed = s.state != state || s.peers != peers;
        s.state = state;
        s.peers = peers;
        if peers == 0 && !s.participants.is_empty() {
            s.participants.clear();
            return true;
        }
        changed
    });
}

fn set_participants(
    status: &watch::Sender<ClientStatus>,
    peers: &HashMap<u64, (Instant, String)>,
    timeout: Duration,
) {
    let now = Instant::now();
    let mut live: Vec<Participant> = peers
        .iter()
        .filter(|(_, (seen, _))| now.saturating_duration_since(*seen) < timeout)
        .map(|(id, (_, state))| Participant {
            client_id: *id,
            state: state.clone(),
        })
        .collect();
    live.sort_by_key(|p| p.client_id);
    status.send_if_modified(|s| {
        let changed = s.participants != live || s.peers != live.len();
        s.peers = live.len();
        s.participants = live;
        changed
    });
}

async fn open(url: &str, limits: Limits) -> Result<Ws, Error> {
    let config = WebSocketConfig::default()
        .max_message_size(Some(limits.max_frame))
        .max_frame_size(Some(limits.max_frame));
    match tokio_tungstenite::connect_async_with_config(url, Some(config), true).await {
        Ok((ws, _)) => Ok(ws),
        Err(WsError::Http(resp)) => Err(Error::Refused {
            status: resp.status().as_u16(),
        }),
        Err(e) => Err(e.into()),
    }
}

fn presence_frame(doc: &Doc, clock: u32, state: &str) -> Vec<u8> {
    AwarenessUpdate {
        entries: vec![AwarenessEntry {
            client_id: doc.client_id().get(),
            clock,
            state: state.to_owned(),
        }],
    }
    .to_frame()
}

#[allow(clippy::too_many_arguments)]
async fn run_connection(
    ws: Ws,
    doc: &Doc,
    options: &ClientOptions,
    status: &watch::Sender<ClientStatus>,
    cancel: &CancellationToken,
    local: &mut mpsc::UnboundedReceiver<Vec<u8>>,
    awareness_clock: &mut u32,
    presence: &mut watch::Receiver<Option<String>>,
    workshop: &mut Workshop,
) -> Outcome {
    set_state(status, ConnectionState::Syncing, 0);
    workshop.refuse_queued();
    let mut pending: HashMap<u64, Pending> = HashMap::new();
    let mut next_command: u64 = 1;
    let (mut sink, mut stream) = ws.split();
    // Local updates made while offline travel in the SyncStep2 we answer
    // the server's SyncStep1 with; queued copies would be redundant.
    while local.try_recv().is_ok() {}
    let mut outbox: Vec<Vec<u8>> = Vec::new();
    let mut session = PeerSession::new(doc.clone(), Role::Editor, options.limits, |f| {
        outbox.push(f)
    });
    session.start();
    drop(session);
    let greeting = workshop.hello.borrow_and_update().clone();
    if let Some(hello) = &greeting {
        outbox.push(hello_frame(hello));
    }
    let mut published = presence.borrow_and_update().clone();
    if let Some(p) = &published {
        *awareness_clock = awareness_clock.wrapping_add(1);
        outbox.push(presence_frame(doc, *awareness_clock, p));
    }
    let mut synced = false;
    let mut peers: HashMap<u64, (Instant, String)> = HashMap::new();
    let mut renew = tokio::time::interval(Duration::from_secs(15));
    renew.tick().await;
    let mut expire = tokio::time::interval(Duration::from_secs(5));
    loop {
        for frame in outbox.drain(..) {
            if sink.send(WsMessage::Binary(frame.into())).await.is_err() {
                return Outcome::Lost { synced };
            }
        }
        let state = if synced {
            ConnectionState::Connected
        } else {
            ConnectionState::Syncing
        };
        status.send_if_modified(|s| {
            let changed = s.state != state;
            s.state = state;
            changed
        });
        set_participants(status, &peers, options.awareness_timeout);
        tokio::select! {
            () = cancel.cancelled() => {
                if published.is_some() {
                    let frame = presence_frame(doc, awareness_clock.wrapping_add(1), "null");
                    let _ = sink.send(WsMessage::Binary(frame.into())).await;
                }
                let _ = tokio::time::timeout(
                    Duration::from_secs(1),
                    sink.send(WsMessage::Close(Some(CloseFrame { code: CloseCode::Normal, reason: "".into() }))),
                ).await;
                return Outcome::Cancelled;
            }
            update = local.recv() => {
                if let Some(update) = update {
                    outbox.push(Message::Update(&update).encode());
                }
            }
            changed = workshop.hello.changed() => {
                if changed.is_ok() {
                    if let Some(hello) = workshop.hello.borrow_and_update().clone() {
                        outbox.push(hello_frame(&hello));
                    }
                }
            }
            command = workshop.commands.recv() => {
                if let Some((cmd, reply)) = command {
                    if options.hello.is_none() {
                        let _ = reply.send(Err(Refusal {
                            code: Code::NoHello,
                            message: "this client does not take part in workshops".into(),
                        }));
                    } else {
                        let id = next_command;
                        next_command += 1;
                        let bytes = serde_json::to_vec(&FromClient::Do { id, cmd }).unwrap_or_default();
                        outbox.push(Message::Workshop(&bytes).encode());
                        pending.insert(id, reply);
                    }
                }
            }
            _ = renew.tick() => {
                if let Some(p) = &published {
                    *awareness_clock = awareness_clock.wrapping_add(1);
                    outbox.push(presence_frame(doc, *awareness_clock, p));
                }
            }
            changed = presence.changed() => {
                if changed.is_ok() {
                    published = presence.borrow_and_update().clone();
                    *awareness_clock = awareness_clock.wrapping_add(1);
                    let state = published.as_deref().unwrap_or("null");
                    outbox.push(presence_frame(doc, *awareness_clock, state));
                }
            }
            _ = expire.tick() => {}
            msg = stream.next() => {
                let data = match msg {
                    Some(Ok(WsMessage::Binary(data))) => data,
                    Some(Ok(WsMessage::Close(frame))) => {
                        if let Some(f) = frame {
                            let code = u16::from(f.code);
                            if (4400..4500).contains(&code) {
                                return Outcome::Refused(format!("closed by server ({code}): {}", f.reason));
                            }
                        }
                        return Outcome::Lost { synced };
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => return Outcome::Lost { synced },
                };
                let mut session = PeerSession::new(doc.clone(), Role::Editor, options.limits, |f| outbox.push(f));
                match session.receive_and_apply(&data) {
                    Ok(Inbound::Update { step2: true, .. }) => synced = true,
                    Ok(Inbound::Workshop(bytes)) => workshop.receive(bytes, &mut pending),
                    Ok(Inbound::Awareness(update)) => {
                        let me = doc.client_id().get();
                        for e in update.entries {
                            if e.client_id == me {
                                continue;
                            }
                            if e.is_removal() {
                                peers.remove(&e.client_id);
                            } else {
                                peers.insert(e.client_id, (Instant::now(), e.state));
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "server sent an invalid message; reconnecting");
                        return Outcome::Lost { synced };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_and_stays_within_it() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let init = Duration::from_millis(100);
        let max = Duration::from_secs(5);
        for attempt in 0..40 {
            let d = backoff_delay(init, max, attempt, &mut rng);
            let cap = (init * 2u32.saturating_pow(attempt.min(20))).min(max);
            assert!(d <= cap, "attempt {attempt}: {d:?} > {cap:?}");
        }
    }

    #[test]
    fn only_websocket_urls_are_accepted() {
        assert!(check_url("ws://127.0.0.1:1/b/x").is_ok());
        assert!(check_url("http://127.0.0.1:1/b/x").is_err());
    }
}
