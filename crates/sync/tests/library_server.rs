//! The sync server on a Stellwand library, with many boards written at once.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod support;

use std::sync::Arc;
use std::time::Duration;

use stellwand_store::Library;
use stellwand_sync::client;
use stellwand_sync::library_store::LibraryStore;
use stellwand_sync::token::Role;
use support::*;
use yrs::Doc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_written_on_many_boards_at_once_are_in_the_library_when_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(LibraryStore::open(dir.path(), None).unwrap());
    let server = TestServer::start_with_store(store, |_| {}).await;
    let boards: Vec<String> = (0..8)
        .map(|_| stellwand_store::BoardId::new().to_string())
        .collect();
    let mut peers = Vec::new();
    for board in &boards {
        for peer in 0..3 {
            let url = server.url(board, Role::Editor);
            peers.push(tokio::spawn(async move {
                let doc = Doc::new();
                for n in 0..5 {
                    add_note(&doc, &format!("p{peer}-n{n}"), "Ergebnis", f64::from(n));
                    // Returns once the server stored everything sent.
                    client::sync_once(&url, &doc, Duration::from_secs(20))
                        .await
                        .unwrap();
                }
            }));
        }
    }
    for peer in peers {
        peer.await.unwrap();
    }
    // Read back through another connection while the server still runs.
    let reader = Library::open(dir.path()).unwrap();
    for board in &boards {
        let loaded = reader.load_board(board.parse().unwrap()).unwrap();
        let doc = Doc::new();
        for update in loaded
            .snapshot
            .iter()
            .chain(loaded.updates.iter().map(|e| &e.data))
        {
            stellwand_sync::session::apply_update(&doc, update).unwrap();
        }
        assert_eq!(note_count(&doc), 15, "board {board}");
    }
    server.shutdown().await;
}
