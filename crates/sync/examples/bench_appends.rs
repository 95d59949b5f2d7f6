//! Durable appends through the sync server into a Stellwand library, with
//! many peers on many boards. Prints numbers; asserts nothing.
//!
//! ```text
//! cargo build --release -p stellwand-sync --examples
//! target/release/examples/bench_appends [--seconds 5] [--boards 1,4,16] [--peers 4] [--window 1]
//! ```
//!
//! The server runs in-process on 127.0.0.1:0 on a fresh library in the
//! system's temporary directory (`synchronous=FULL`), once per store:
//! `direct` appends with one transaction per append, the boards taking
//! turns on one connection (the library store before it used the group
//! committer); `library` is `LibraryStore`, whose appends of all boards
//! share transactions through the store's `Committer`.
//! Each peer edits one note of its board: it sends `--window` one-character
//! updates, then a SyncStep1, and counts them as durable when the SyncStep2
//! answer arrives (the server answers only after it stored everything the
//! peer sent before). Reported: acknowledged updates per second over all
//! peers, and the server's count of applied updates.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark driver, not library code

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use stellwand_sync::library_store::LibraryStore;
use stellwand_sync::protocol::Message;
use stellwand_sync::server::{RateLimit, ServerConfig, TokenAuthorizer};
use stellwand_sync::store::{BoardStore, StoreError};
use stellwand_sync::token::{unix_now, Claims, Role, Token, ANY_BOARD};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::{Doc, Map, MapPrelim, MapRef, ReadTxn, Text, TextPrelim, TextRef, Transact};

const SECRET: &[u8] = b"bench secret";

/// The library store as it was before it appended through the committer:
/// one transaction per append, all boards taking turns on one connection.
/// Kept here as the baseline.
struct DirectStore {
    library: std::sync::Mutex<stellwand_store::Library>,
}

impl BoardStore for DirectStore {
    fn load(&self, _: &stellwand_sync::BoardId) -> Result<Vec<Vec<u8>>, StoreError> {
        // Every board of the benchmark starts empty.
        Ok(Vec::new())
    }

    fn append(&self, board: &stellwand_sync::BoardId, updates: &[&[u8]]) -> Result<(), StoreError> {
        let id: stellwand_store::BoardId = board.as_str().parse().unwrap();
        let library = self.library.lock().unwrap();
        match library.append_updates(id, updates, 1) {
            Err(stellwand_store::Error::BoardNotFound { .. }) => {
                library.ensure_board(id, "Geteilte Wand", None, 1).unwrap();
                library.append_updates(id, updates, 1)
            }
            other => other,
        }
        .map(|_| ())
        .map_err(|e| StoreError::new(board, e))
    }

    fn load_private(&self, _: &stellwand_sync::BoardId) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }

    fn save_private(&self, _: &stellwand_sync::BoardId, _: &[u8]) -> Result<(), StoreError> {
        Ok(())
    }
}

struct Run {
    acked: u64,
    applied: u64,
    elapsed: Duration,
}

async fn run(
    store: Arc<dyn BoardStore>,
    boards: usize,
    peers: usize,
    window: usize,
    seconds: u64,
) -> Run {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = ServerConfig::new(Arc::new(TokenAuthorizer::new(SECRET)), store);
    config.message_rate = RateLimit {
        per_second: 1e9,
        burst: 1e9,
    };
    let metrics = config.metrics.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(stellwand_sync::run(listener, config, async move {
        let _ = stopped.await;
    }));
    let now = unix_now();
    let token = Token::issue(
        SECRET,
        &Claims {
            board: ANY_BOARD.into(),
            role: Role::Editor,
            issued_at: now,
            expires_at: now + 3600,
        },
    )
    .unwrap();
    let acked = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(tokio::sync::Barrier::new(boards * peers + 1));
    let deadline = Arc::new(tokio::sync::OnceCell::<tokio::time::Instant>::new());
    let mut tasks = Vec::new();
    for b in 0..boards {
        let board = stellwand_store::BoardId::new().to_string();
        for p in 0..peers {
            let url = format!("ws://{addr}/b/{board}?token={}", token.as_str());
            let (acked, ready, deadline) = (acked.clone(), ready.clone(), deadline.clone());
            tasks.push(tokio::spawn(async move {
                let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
                    .await
                    .unwrap();
                let doc = Doc::new();
                let items = doc.get_or_insert_map("items");
                let text: TextRef = {
                    let mut txn = doc.transact_mut();
                    let note: MapRef =
                        items.insert(&mut txn, format!("note-{b}-{p}"), MapPrelim::default());
                    note.insert(&mut txn, "text", TextPrelim::new(""))
                };
                let full = doc
                    .transact()
                    .encode_state_as_update_v1(&yrs::StateVector::default());
                ws.send(WsMessage::Binary(Message::Update(&full).encode().into()))
                    .await
                    .unwrap();
                round_trip(&mut ws).await;
                ready.wait().await;
                let end = *deadline.get().unwrap();
                let mut mine = 0u64;
                while tokio::time::Instant::now() < end {
                    for _ in 0..window {
                        let before = doc.transact().state_vector();
                        {
                            let mut txn = doc.transact_mut();
                            let len = text.len(&txn);
                            text.insert(&mut txn, len, "x");
                        }
                        let update = doc.transact().encode_state_as_update_v1(&before);
                        ws.send(WsMessage::Binary(Message::Update(&update).encode().into()))
                            .await
                            .unwrap();
                    }
                    round_trip(&mut ws).await;
                    mine += window as u64;
                }
                acked.fetch_add(mine, Ordering::Relaxed);
                let _ = ws.close(None).await;
            }));
        }
    }
    let applied_before = metrics.snapshot().updates_applied;
    deadline
        .set(tokio::time::Instant::now() + Duration::from_secs(seconds))
        .unwrap();
    let t0 = Instant::now();
    ready.wait().await;
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = t0.elapsed();
    let applied = metrics.snapshot().updates_applied - applied_before;
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    Run {
        acked: acked.load(Ordering::Relaxed),
        applied,
        elapsed,
    }
}

/// Sends SyncStep1 and reads (discarding forwarded updates) until the
/// SyncStep2 answer.
async fn round_trip<S>(ws: &mut S)
where
    S: futures_util::Sink<WsMessage>
        + futures_util::Stream<Item = Result<WsMessage, tokio_tungstenite::tungstenite::Error>>
        + Unpin,
    <S as futures_util::Sink<WsMessage>>::Error: std::fmt::Debug,
{
    let sv = yrs::updates::encoder::Encode::encode_v1(&yrs::StateVector::default());
    ws.send(WsMessage::Binary(Message::SyncStep1(&sv).encode().into()))
        .await
        .unwrap();
    while let Some(Ok(msg)) = ws.next().await {
        if let WsMessage::Binary(data) = msg {
            if let Ok(Message::SyncStep2(_)) = Message::decode(&data, usize::MAX) {
                return;
            }
        }
    }
    panic!("connection ended before the SyncStep2 answer");
}

fn list(v: Option<String>) -> Vec<usize> {
    v.map(|v| v.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let mut seconds = 5u64;
    let mut boards = vec![1usize, 4, 16];
    let mut peers = 4usize;
    let mut window = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).unwrap_or(seconds),
            "--boards" => boards = list(args.next()),
            "--peers" => peers = args.next().and_then(|v| v.parse().ok()).unwrap_or(peers),
            "--window" => window = args.next().and_then(|v| v.parse().ok()).unwrap_or(window),
            other => panic!("unknown argument {other}"),
        }
    }
    println!("store       boards  peers/board  window  acked updates/s  applied/s");
    for &b in &boards {
        for kind in ["direct", "library"] {
            let dir = tempfile::tempdir().unwrap();
            let store: Arc<dyn BoardStore> = if kind == "library" {
                Arc::new(LibraryStore::open(dir.path(), None).unwrap())
            } else {
                let library = stellwand_store::Library::open(dir.path()).unwrap();
                Arc::new(DirectStore {
                    library: std::sync::Mutex::new(library),
                })
            };
            let r = run(store, b, peers, window, seconds).await;
            let secs = r.elapsed.as_secs_f64();
            println!(
                "{:<10} {:>7} {:>12} {:>7} {:>16.0} {:>10.0}",
                kind,
                b,
                peers,
                window,
                r.acked as f64 / secs,
                r.applied as f64 / secs,
            );
        }
    }
}
