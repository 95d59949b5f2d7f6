//! The sync server and client over real sockets on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use stellwand_sync::client::{self, ClientOptions, ConnectionState};
use stellwand_sync::protocol::Message;
use stellwand_sync::server::close_code;
use stellwand_sync::store::{BoardId, BoardStore, FileStore, MemoryStore};
use stellwand_sync::token::Role;
use support::*;
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use yrs::{Doc, ReadTxn, StateVector, Transact};

fn fast_options(seed: u64) -> ClientOptions {
    ClientOptions {
        backoff_initial: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        jitter_seed: Some(seed),
        ..ClientOptions::default()
    }
}

async fn converge_with_random_offline_periods(peers: usize, seed: u64) {
    let server = TestServer::start(|_| {}).await;
    let url = server.url("ag-board", Role::Editor);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let docs: Vec<Doc> = (0..peers).map(|_| Doc::new()).collect();
    let mut clients: Vec<Option<client::ClientHandle>> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Some(client::connect(&url, d.clone(), fast_options(seed + i as u64)).unwrap())
        })
        .collect();
    for round in 0..40 {
        let i = rng.random_range(0..peers);
        match rng.random_range(0..10) {
            0 => {
                if let Some(c) = clients[i].take() {
                    c.close().await;
                }
            }
            1 => {
                if clients[i].is_none() {
                    clients[i] = Some(
                        client::connect(&url, docs[i].clone(), fast_options(seed + round)).unwrap(),
                    );
                }
            }
            2..=5 => add_note(
                &docs[i],
                &format!("n{i}-{round}"),
                &format!("note {round}"),
                f64::from(round as u32),
            ),
            _ => {
                let target = format!(
                    "n{}-{}",
                    rng.random_range(0..peers),
                    rng.random_range(0..round + 1)
                );
                append_text(&docs[i], &target, &format!("+{i}"));
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..15))).await;
    }
    for (i, c) in clients.iter_mut().enumerate() {
        if c.is_none() {
            *c = Some(client::connect(&url, docs[i].clone(), fast_options(seed)).unwrap());
        }
    }
    for c in clients.iter().flatten() {
        tokio::time::timeout(Duration::from_secs(10), c.wait_connected())
            .await
            .unwrap_or_else(|_| panic!("seed {seed}: client did not reconnect"))
            .unwrap();
    }
    let converged = eventually(10, || docs.iter().all(|d| content(d) == content(&docs[0]))).await;
    assert!(converged, "seed {seed}: {peers} peers did not converge");
    assert!(note_count(&docs[0]) > 0, "seed {seed}: nothing was written");
    for c in clients.into_iter().flatten() {
        c.close().await;
    }
    server.shutdown().await;
}

fn seed() -> u64 {
    std::env::var("STELLWAND_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_peers_converge_after_random_offline_periods() {
    let seed = seed();
    eprintln!("seed {seed} (rerun with STELLWAND_SEED={seed})");
    converge_with_random_offline_periods(2, seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_peers_converge_after_random_offline_periods() {
    let seed = seed();
    eprintln!("seed {seed} (rerun with STELLWAND_SEED={seed})");
    converge_with_random_offline_periods(3, seed).await;
}

#[tokio::test]
async fn wrong_expired_and_missing_tokens_are_refused_during_the_upgrade() {
    let server = TestServer::start(|_| {}).await;
    let base = format!("ws://{}", server.addr);
    let other_board = token("other", Role::Editor, 3600);
    let expired = token("b1", Role::Editor, 0);
    let cases = [
        (format!("{base}/b/b1"), 401),
        (format!("{base}/b/b1?token=garbage"), 401),
        (format!("{base}/b/b1?token={expired}"), 401),
        (format!("{base}/b/b1?token={other_board}"), 403),
        (format!("{base}/b/..?token={other_board}"), 404),
    ];
    for (url, status) in cases {
        match tokio_tungstenite::connect_async(url.as_str()).await {
            Err(WsError::Http(resp)) => {
                assert_eq!(resp.status().as_u16(), status, "{url}");
            }
            Ok(_) => panic!("{url}: upgrade was accepted"),
            Err(e) => panic!("{url}: unexpected error {e}"),
        }
    }
    let m = server.metrics.snapshot();
    assert_eq!(m.connections_accepted, 0);
    assert_eq!(
        m.boards_loaded, 0,
        "no board may be touched before the token is checked"
    );
    assert_eq!(m.connections_refused, 5);
    // The client gives up instead of retrying a refused link.
    let doc = Doc::new();
    let c = client::connect(&format!("{base}/b/b1?token=bad"), doc, fast_options(1)).unwrap();
    assert!(c.wait_connected().await.is_err());
    assert!(matches!(c.status().state, ConnectionState::Refused(_)));
    server.shutdown().await;
}

#[tokio::test]
async fn viewer_updates_are_dropped_and_counted_and_the_viewer_stays_connected() {
    let server = TestServer::start(|_| {}).await;
    let editor_doc = Doc::new();
    let editor = client::connect(
        &server.url("b", Role::Editor),
        editor_doc.clone(),
        fast_options(1),
    )
    .unwrap();
    editor.wait_connected().await.unwrap();
    add_note(&editor_doc, "by-editor", "hello", 1.0);

    let mut viewer = raw(&server.url("b", Role::Viewer)).await;
    let intruder = Doc::new();
    add_note(&intruder, "by-viewer", "should not land", 2.0);
    let update = intruder
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    send(&mut viewer, Message::Update(&update).encode()).await;
    send(&mut viewer, Message::SyncStep2(&update).encode()).await;
    round_trip(&mut viewer).await;
    assert_eq!(server.metrics.snapshot().viewer_writes_dropped, 2);

    // The viewer can still read: a fresh SyncStep1 brings the editor's note.
    let viewer_doc = Doc::new();
    let report = client::sync_once(
        &server.url("b", Role::Viewer),
        &viewer_doc,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert!(report.received_update_bytes > 0);
    assert_eq!(note_count(&viewer_doc), 1);
    assert_eq!(server.metrics.snapshot().viewer_writes_dropped, 2);
    assert!(eventually(2, || note_count(&editor_doc) == 1).await);
    assert_eq!(
        note_count(&editor_doc),
        1,
        "the viewer's note reached the editor"
    );
    editor.close().await;
    server.shutdown().await;
}

/// Opens an attacker connection, sends `frame`, and checks the close code,
/// while a healthy pair of editors keeps syncing.
async fn attack_closes_only_the_attacker(
    frame: Vec<u8>,
    expected_code: u16,
    max_frame: usize,
) -> String {
    let server = TestServer::start(|c| c.limits.max_frame = max_frame).await;
    let (a, b) = (Doc::new(), Doc::new());
    let ca = client::connect(&server.url("b", Role::Editor), a.clone(), fast_options(1)).unwrap();
    let cb = client::connect(&server.url("b", Role::Editor), b.clone(), fast_options(2)).unwrap();
    ca.wait_connected().await.unwrap();
    cb.wait_connected().await.unwrap();

    let mut attacker = raw(&server.url("b", Role::Editor)).await;
    let _ = futures_util::SinkExt::send(&mut attacker, WsMessage::Binary(frame.into())).await;
    let (code, reason) = read_until_close(&mut attacker).await;
    assert_eq!(code, expected_code, "reason: {reason}");
    assert!(!reason.is_empty());

    add_note(&a, "after-attack", "still syncing", 3.0);
    assert!(
        eventually(5, || note_count(&b) == 1).await,
        "other clients were affected"
    );
    assert_eq!(cb.status().state, ConnectionState::Connected);
    ca.close().await;
    cb.close().await;
    server.shutdown().await;
    reason
}

#[tokio::test]
async fn an_oversized_frame_closes_only_that_connection() {
    let reason =
        attack_closes_only_the_attacker(vec![2u8; 200_000], close_code::FRAME_TOO_LARGE, 64 * 1024)
            .await;
    assert!(reason.contains("too large"), "{reason}");
}

#[tokio::test]
async fn a_truncated_message_closes_only_that_connection() {
    let mut frame = Message::Update(&[1, 2, 3, 4, 5]).encode();
    frame.truncate(4);
    attack_closes_only_the_attacker(frame, close_code::MALFORMED, 1 << 20).await;
}

#[tokio::test]
async fn garbage_closes_only_that_connection() {
    attack_closes_only_the_attacker(vec![0x7f, 0xff, 0x00, 0x42], close_code::MALFORMED, 1 << 20)
        .await;
}

#[tokio::test]
async fn the_update_header_attack_closes_only_that_connection() {
    let frame = Message::Update(&[0x01, 0xff, 0xff, 0xff, 0x0f]).encode();
    let reason = attack_closes_only_the_attacker(frame, close_code::INVALID_UPDATE, 1 << 20).await;
    assert!(reason.contains("invalid update"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_bounded_under_repeated_header_attacks() {
    let server = TestServer::start(|_| {}).await;
    let before = rss_bytes();
    let attacks: [&[u8]; 4] = [
        &[0x01, 0xff, 0xff, 0xff, 0x0f],
        &[0x01, 0x80, 0x80, 0x80, 0x08, 0x01, 0x00],
        &[0x00, 0xff, 0xff, 0xff, 0x0f],
        &[
            0x01, 0x01, 0x01, 0x00, 0x08, 0x01, 0x01, b'a', 0xff, 0xff, 0xff, 0x0f,
        ],
    ];
    for round in 0..25 {
        let mut ws = raw(&server.url("b", Role::Editor)).await;
        send(
            &mut ws,
            Message::Update(attacks[round % attacks.len()]).encode(),
        )
        .await;
        let (code, _) = read_until_close(&mut ws).await;
        assert_eq!(code, close_code::INVALID_UPDATE);
    }
    let after = rss_bytes();
    let grown = after.saturating_sub(before);
    assert!(grown < 64 * 1024 * 1024, "RSS grew by {} MiB", grown >> 20);
    assert_eq!(server.metrics.snapshot().updates_applied, 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_disconnected_and_does_not_stall_others() {
    let server = TestServer::start(|c| {
        c.outgoing_queue = 16;
        c.write_timeout = Duration::from_secs(2);
    })
    .await;
    let (a, b) = (Doc::new(), Doc::new());
    let ca = client::connect(&server.url("b", Role::Editor), a.clone(), fast_options(1)).unwrap();
    let cb = client::connect(&server.url("b", Role::Editor), b.clone(), fast_options(2)).unwrap();
    ca.wait_connected().await.unwrap();
    cb.wait_connected().await.unwrap();
    // Connected, then never read again.
    let stalled = raw(&server.url("b", Role::Editor)).await;
    // About 20 MB, more than the kernel buffers of the stalled socket hold.
    let chunk = "x".repeat(64 * 1024);
    for i in 0..300 {
        add_note(&a, &format!("big-{i}"), &chunk, 0.0);
    }
    assert!(
        eventually(30, || note_count(&b) == 300).await,
        "the reading peer was stalled"
    );
    assert_eq!(content(&a), content(&b));
    assert!(eventually(10, || server.metrics.snapshot().slow_consumers >= 1).await);
    drop(stalled);
    ca.close().await;
    cb.close().await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_flooding_client_is_rate_limited() {
    let server = TestServer::start(|c| {
        c.message_rate = stellwand_sync::server::RateLimit {
            per_second: 20.0,
            burst: 5.0,
        };
    })
    .await;
    let mut flooder = raw(&server.url("b", Role::Editor)).await;
    let doc = Doc::new();
    for i in 0..40 {
        let before = doc.transact().state_vector();
        add_note(&doc, &format!("n{i}"), "flood", 0.0);
        let update = doc.transact().encode_state_as_update_v1(&before);
        send(&mut flooder, Message::Update(&update).encode()).await;
    }
    round_trip(&mut flooder).await;
    let m = server.metrics.snapshot();
    assert!(
        m.rate_limited >= 20,
        "only {} messages were paced",
        m.rate_limited
    );
    assert_eq!(m.updates_applied, 40, "paced, not dropped");
    server.shutdown().await;
}

#[tokio::test]
async fn sync_once_brings_both_sides_up_to_date() {
    let store = Arc::new(MemoryStore::new());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let remote = Doc::new();
    add_note(&remote, "remote", "from the server", 1.0);
    client::sync_once(
        &server.url("b", Role::Editor),
        &remote,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let local = Doc::new();
    add_note(&local, "local", "from the laptop", 2.0);
    let report = client::sync_once(
        &server.url("b", Role::Editor),
        &local,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert!(report.sent_update_bytes > 0 && report.received_update_bytes > 0);
    assert_eq!(note_count(&local), 2);
    // sync_once returns only after the server stored what it sent.
    assert_eq!(store.update_count(&BoardId::new("b").unwrap()), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn awareness_is_relayed_and_removed_when_a_client_leaves() {
    let server = TestServer::start(|_| {}).await;
    let options = |name: &str| ClientOptions {
        presence: Some(format!(r#"{{"user":{{"name":"{name}"}}}}"#)),
        ..fast_options(1)
    };
    let a = client::connect(&server.url("b", Role::Editor), Doc::new(), options("Ana")).unwrap();
    let b = client::connect(&server.url("b", Role::Viewer), Doc::new(), options("Ben")).unwrap();
    assert!(eventually(5, || a.status().peers == 1 && b.status().peers == 1).await);
    b.close().await;
    assert!(
        eventually(5, || a.status().peers == 0).await,
        "the leaver's presence stayed"
    );
    a.close().await;
    server.shutdown().await;
}

#[tokio::test]
async fn stale_awareness_expires_after_the_timeout() {
    let server = TestServer::start(|c| c.awareness_timeout = Duration::from_millis(600)).await;
    let watcher =
        client::connect(&server.url("b", Role::Editor), Doc::new(), fast_options(1)).unwrap();
    watcher.wait_connected().await.unwrap();
    // A peer that announces itself once and then never renews.
    let mut quiet = raw(&server.url("b", Role::Editor)).await;
    let hello = stellwand_sync::protocol::AwarenessUpdate {
        entries: vec![stellwand_sync::protocol::AwarenessEntry {
            client_id: 42,
            clock: 1,
            state: r#"{"user":{"name":"Quiet"}}"#.into(),
        }],
    };
    send(&mut quiet, hello.to_frame()).await;
    assert!(eventually(5, || watcher.status().peers == 1).await);
    assert!(
        eventually(5, || watcher.status().peers == 0).await,
        "the stale state was not removed"
    );
    watcher.close().await;
    server.shutdown().await;
}

#[tokio::test]
async fn graceful_shutdown_keeps_every_acknowledged_update() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FileStore::open(dir.path()).unwrap());
    let server = TestServer::start_with_store(store, |_| {}).await;
    let doc = Doc::new();
    let c = client::connect(&server.url("b", Role::Editor), doc.clone(), fast_options(1)).unwrap();
    c.wait_connected().await.unwrap();
    for i in 0..50 {
        add_note(&doc, &format!("n{i}"), "kept", 0.0);
    }
    assert!(
        eventually(10, || server
            .metrics
            .updates_applied
            .load(Ordering::Relaxed)
            >= 50)
        .await
    );
    // What a second peer reads back is what the store must still hold.
    let probe = Doc::new();
    client::sync_once(
        &server.url("b", Role::Editor),
        &probe,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    c.close().await;
    server.shutdown().await;
    let reopened = FileStore::open(dir.path()).unwrap();
    let restored = Doc::new();
    for u in reopened.load(&BoardId::new("b").unwrap()).unwrap() {
        stellwand_sync::session::apply_update(&restored, &u).unwrap();
    }
    assert_eq!(note_count(&restored), 50);
    assert_eq!(content(&restored), content(&probe));
}

/// A [`BoardStore`] that counts the updates appended to it.
#[derive(Default)]
struct CountingStore {
    inner: MemoryStore,
    appended: std::sync::atomic::AtomicUsize,
}

impl CountingStore {
    fn appended(&self) -> usize {
        self.appended.load(Ordering::SeqCst)
    }
}

impl BoardStore for CountingStore {
    fn load(&self, board: &BoardId) -> Result<Vec<Vec<u8>>, stellwand_sync::store::StoreError> {
        self.inner.load(board)
    }

    fn append(
        &self,
        board: &BoardId,
        updates: &[&[u8]],
    ) -> Result<(), stellwand_sync::store::StoreError> {
        self.appended.fetch_add(updates.len(), Ordering::SeqCst);
        self.inner.append(board, updates)
    }

    fn load_private(
        &self,
        board: &BoardId,
    ) -> Result<Option<Vec<u8>>, stellwand_sync::store::StoreError> {
        self.inner.load_private(board)
    }

    fn save_private(
        &self,
        board: &BoardId,
        record: &[u8],
    ) -> Result<(), stellwand_sync::store::StoreError> {
        self.inner.save_private(board, record)
    }
}

/// Sends SyncStep1 and collects every update forwarded to `ws` until the
/// SyncStep2 answer: all that was forwarded before the request.
async fn forwarded_until_round_trip(ws: &mut Raw) -> Vec<Vec<u8>> {
    send(ws, Message::SyncStep1(&[0]).encode()).await;
    let collect = async {
        let mut updates = Vec::new();
        while let Some(msg) = futures_util::StreamExt::next(ws).await {
            if let Ok(WsMessage::Binary(data)) = msg {
                match Message::decode(&data, usize::MAX) {
                    Ok(Message::Update(update)) => updates.push(update.to_vec()),
                    Ok(Message::SyncStep2(_)) => return updates,
                    _ => {}
                }
            }
        }
        panic!("connection ended before the SyncStep2 answer");
    };
    tokio::time::timeout(Duration::from_secs(10), collect)
        .await
        .expect("no SyncStep2 answer")
}

#[tokio::test]
async fn resent_update_after_reconnect_is_neither_stored_nor_broadcast() {
    let store = Arc::new(CountingStore::default());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let url = server.url("b", Role::Editor);
    let mut observer = raw(&url).await;
    let author = Doc::new();
    add_note(&author, "n1", "hello", 1.0);
    let update = author
        .transact()
        .encode_state_as_update_v1(&StateVector::default());

    let mut first = raw(&url).await;
    send(&mut first, Message::Update(&update).encode()).await;
    round_trip(&mut first).await;
    assert_eq!(store.appended(), 1);
    assert_eq!(forwarded_until_round_trip(&mut observer).await.len(), 1);
    drop(first);

    // The connection dropped before the author learnt the update arrived,
    // so it offers the same update again, as an update and in its SyncStep2.
    let mut again = raw(&url).await;
    send(&mut again, Message::Update(&update).encode()).await;
    send(&mut again, Message::SyncStep2(&update).encode()).await;
    round_trip(&mut again).await;
    assert_eq!(store.appended(), 1, "the resent update was stored again");
    assert!(
        forwarded_until_round_trip(&mut observer).await.is_empty(),
        "the resent update was forwarded again"
    );
    let m = server.metrics.snapshot();
    assert_eq!((m.updates_applied, m.updates_unchanged), (1, 2));
    server.shutdown().await;
}

#[tokio::test]
async fn a_new_delete_is_stored_and_forwarded_and_its_resend_is_not() {
    let store = Arc::new(CountingStore::default());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let url = server.url("b", Role::Editor);
    let mut observer = raw(&url).await;
    let mut author = raw(&url).await;
    let doc = Doc::new();
    add_note(&doc, "n1", "to be removed", 1.0);
    let insert = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    send(&mut author, Message::Update(&insert).encode()).await;
    round_trip(&mut author).await;

    // Removing a note adds no struct, only a delete range.
    let before = doc.transact().state_vector();
    {
        let items = doc.get_or_insert_map("items");
        let mut txn = doc.transact_mut();
        yrs::Map::remove(&items, &mut txn, "n1");
    }
    let delete = doc.transact().encode_state_as_update_v1(&before);
    assert_eq!(doc.transact().state_vector(), before, "a pure delete");
    send(&mut author, Message::Update(&delete).encode()).await;
    round_trip(&mut author).await;
    assert_eq!(store.appended(), 2, "the delete was not stored");
    assert_eq!(
        forwarded_until_round_trip(&mut observer).await,
        vec![insert, delete.clone()],
        "the delete was not forwarded"
    );

    send(&mut author, Message::Update(&delete).encode()).await;
    round_trip(&mut author).await;
    assert_eq!(store.appended(), 2, "the repeated delete was stored again");
    assert!(forwarded_until_round_trip(&mut observer).await.is_empty());
    assert_eq!(server.metrics.snapshot().updates_unchanged, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_client_reconnecting_with_nothing_new_stores_nothing() {
    let store = Arc::new(CountingStore::default());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let url = server.url("b", Role::Editor);
    let doc = Doc::new();
    add_note(&doc, "kept", "stays", 1.0);
    add_note(&doc, "gone", "is removed", 2.0);
    {
        let items = doc.get_or_insert_map("items");
        let mut txn = doc.transact_mut();
        yrs::Map::remove(&items, &mut txn, "gone");
    }
    client::sync_once(&url, &doc, Duration::from_secs(10))
        .await
        .unwrap();
    let stored = store.appended();
    assert!(stored >= 1);
    // Every later exchange carries the document's whole delete set again.
    for _ in 0..3 {
        client::sync_once(&url, &doc, Duration::from_secs(10))
            .await
            .unwrap();
    }
    assert_eq!(store.appended(), stored);
    let probe = Doc::new();
    client::sync_once(&url, &probe, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(content(&probe), content(&doc));
    server.shutdown().await;
}
