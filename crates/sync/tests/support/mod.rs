//! Shared helpers for the sync tests: an in-process server on 127.0.0.1:0,
//! tokens, raw WebSocket peers and document helpers.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use stellwand_sync::protocol::Message;
use stellwand_sync::server::{Metrics, ServerConfig, TokenAuthorizer};
use stellwand_sync::store::{BoardStore, MemoryStore};
use stellwand_sync::token::{unix_now, Claims, Role, Token};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::{Doc, Map, MapPrelim, MapRef, Text, TextPrelim, Transact};

pub const SECRET: &[u8] = b"test secret";

pub type Raw = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct TestServer {
    pub addr: SocketAddr,
    pub metrics: Arc<Metrics>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<stellwand_sync::Result<()>>>,
}

impl TestServer {
    pub async fn start(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        Self::start_with_store(Arc::new(MemoryStore::new()), adjust).await
    }

    pub async fn start_with_store(
        store: Arc<dyn BoardStore>,
        adjust: impl FnOnce(&mut ServerConfig),
    ) -> Self {
        Self::start_on("127.0.0.1:0".parse().unwrap(), store, adjust).await
    }

    /// On a given address (e.g. the one a stopped server had).
    pub async fn start_on(
        addr: SocketAddr,
        store: Arc<dyn BoardStore>,
        adjust: impl FnOnce(&mut ServerConfig),
    ) -> Self {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = ServerConfig::new(Arc::new(TokenAuthorizer::new(SECRET)), store);
        adjust(&mut config);
        let metrics = config.metrics.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(stellwand_sync::run(listener, config, async move {
            let _ = stopped.await;
        }));
        Self {
            addr,
            metrics,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn url(&self, board: &str, role: Role) -> String {
        format!(
            "ws://{}/b/{board}?token={}",
            self.addr,
            token(board, role, 3600)
        )
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }
}

pub fn token(board: &str, role: Role, valid_for: u64) -> Token {
    let now = unix_now();
    Token::issue(
        SECRET,
        &Claims {
            board: board.into(),
            role,
            issued_at: now,
            expires_at: now + valid_for,
        },
    )
    .unwrap()
}

pub async fn raw(url: &str) -> Raw {
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

pub async fn send(ws: &mut Raw, frame: Vec<u8>) {
    ws.send(WsMessage::Binary(frame.into())).await.unwrap();
}

/// Reads frames until the server closes; returns the close code and reason.
pub async fn read_until_close(ws: &mut Raw) -> (u16, String) {
    let read = async {
        while let Some(msg) = ws.next().await {
            match msg {
                Ok(WsMessage::Close(Some(f))) => return (u16::from(f.code), f.reason.to_string()),
                Ok(WsMessage::Close(None)) => return (1005, String::new()),
                Ok(_) => {}
                Err(e) => return (0, format!("transport error: {e}")),
            }
        }
        (1006, String::new())
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("server did not close")
}

/// Sends SyncStep1 and waits for a SyncStep2: proof that the connection is
/// alive and every earlier message was processed.
pub async fn round_trip(ws: &mut Raw) {
    send(ws, Message::SyncStep1(&[0]).encode()).await;
    let wait = async {
        while let Some(msg) = ws.next().await {
            if let Ok(WsMessage::Binary(data)) = msg {
                if let Ok(Message::SyncStep2(_)) = Message::decode(&data, usize::MAX) {
                    return;
                }
            }
        }
        panic!("connection ended before the SyncStep2 answer");
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .expect("no SyncStep2 answer");
}

/// Adds a note with the schema of docs/schema.md to the `items` map.
pub fn add_note(doc: &Doc, id: &str, text: &str, x: f64) {
    let items = doc.get_or_insert_map("items");
    let mut txn = doc.transact_mut();
    let note: MapRef = items.insert(&mut txn, id, MapPrelim::default());
    note.insert(&mut txn, "type", "note");
    note.insert(&mut txn, "x", x);
    note.insert(&mut txn, "y", 0.0);
    note.insert(&mut txn, "w", 160.0);
    note.insert(&mut txn, "h", 120.0);
    note.insert(&mut txn, "z", 1.0);
    note.insert(&mut txn, "color", "#ffe066");
    note.insert(&mut txn, "text", TextPrelim::new(text));
}

/// Appends to the text of an existing note, if there is one.
pub fn append_text(doc: &Doc, id: &str, more: &str) {
    let items = doc.get_or_insert_map("items");
    let mut txn = doc.transact_mut();
    let Some(note) = items.get(&txn, id).and_then(|v| v.cast::<MapRef>().ok()) else {
        return;
    };
    let Some(text) = note
        .get(&txn, "text")
        .and_then(|v| v.cast::<yrs::TextRef>().ok())
    else {
        return;
    };
    let len = text.len(&txn);
    text.insert(&mut txn, len, more);
}

/// The board content as a comparable value.
pub fn content(doc: &Doc) -> yrs::Any {
    let items = doc.get_or_insert_map("items");
    let txn = doc.transact();
    yrs::types::ToJson::to_json(&items, &txn)
}

pub fn note_count(doc: &Doc) -> u32 {
    let items = doc.get_or_insert_map("items");
    items.len(&doc.transact())
}

/// Waits until `check` holds, polling, for at most `secs` seconds.
pub async fn eventually(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}

/// Resident memory of this process in bytes.
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    pages * 4096
}
