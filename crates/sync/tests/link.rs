//! Two desktop workspaces (real libraries on disk) editing one board live
//! through a server on 127.0.0.1, with the board sessions as the only
//! writers of their documents.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod support;

use std::sync::Arc;
use std::time::Duration;

use stellwand_board::{Intent, ItemKind, ItemSpec};
use stellwand_store::BoardId;
use stellwand_store::Workspace;
use stellwand_sync::client::{ClientOptions, ConnectionState};
use stellwand_sync::link::Link;
use stellwand_sync::store::MemoryStore;
use stellwand_sync::token::Role;
use support::*;
use tokio::sync::mpsc;

const ANA: &str = r##"{"user":{"name":"Ana","color":"#e91e63"}}"##;
const BEN: &str = r##"{"user":{"name":"Ben","color":"#2196f3"}}"##;

struct Member {
    dir: tempfile::TempDir,
    workspace: Workspace,
    link: Arc<Link>,
    remote: mpsc::UnboundedReceiver<Vec<u8>>,
    board: BoardId,
}

fn member(url: &str, board: BoardId, name: &str, presence: &str) -> Member {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = Workspace::open(dir.path(), name).unwrap();
    workspace
        .library()
        .ensure_board(board, "Geteilte Wand", None, 1)
        .unwrap();
    let state = workspace.board_state(board).unwrap();
    let (tx, remote) = mpsc::unbounded_channel();
    let options = ClientOptions {
        backoff_initial: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        jitter_seed: Some(7),
        presence: Some(presence.to_owned()),
        ..ClientOptions::default()
    };
    let link = Arc::new(
        Link::start(url, &state, options, move |update| {
            let _ = tx.send(update);
        })
        .unwrap(),
    );
    let forward = Arc::clone(&link);
    workspace.set_forward(
        board,
        Some(Arc::new(move |update: &[u8]| {
            forward.push_local(update).unwrap();
        })),
    );
    Member {
        dir,
        workspace,
        link,
        remote,
        board,
    }
}

impl Member {
    fn note(&mut self, text: &str, x: f64) {
        let intent = Intent::Create {
            items: vec![ItemSpec {
                kind: ItemKind::Note,
                x,
                y: 0.0,
                w: None,
                h: None,
                color: None,
                text: text.into(),
                parent: None,
                from: None,
                to: None,
                tags: Vec::new(),
                id: None,
                author: None,
            }],
            adopt: false,
        };
        self.workspace.apply(self.board, intent, 1).unwrap();
    }

    /// Applies what arrived, as the app's event loop does.
    fn drain(&mut self) {
        while let Ok(update) = self.remote.try_recv() {
            let (_, refused) = self
                .workspace
                .apply_remote(self.board, &[update], 1)
                .unwrap();
            assert!(refused.is_empty(), "{refused:?}");
        }
    }

    fn texts(&mut self) -> Vec<String> {
        let view = self.workspace.open_board(self.board, 1).unwrap();
        let mut texts: Vec<String> = view.items.into_iter().map(|i| i.text).collect();
        texts.sort();
        texts
    }

    fn state(&self) -> ConnectionState {
        self.link.status().unwrap().state
    }
}

async fn converge(a: &mut Member, b: &mut Member, notes: usize) {
    for _ in 0..250 {
        a.drain();
        b.drain();
        if a.texts().len() == notes && b.texts() == a.texts() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no convergence: {:?} / {:?}", a.texts(), b.texts());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workspaces_edit_one_board_live_and_offline_edits_merge() {
    let store = Arc::new(MemoryStore::new());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let addr = server.addr;
    let board = BoardId::new();
    let url = server.url(&board.to_string(), Role::Editor);
    let mut a = member(&url, board, "Ana", ANA);
    let mut b = member(&url, board, "Ben", BEN);

    a.note("Hemmnis: Medienbrüche", 0.0);
    b.note("Lösung: Once-Only", 300.0);
    converge(&mut a, &mut b, 2).await;
    // What arrived is in each library, not only in memory.
    let library = stellwand_store::Library::open(a.dir.path()).unwrap();
    let (board_doc, _) = stellwand_board::Board::load(
        stellwand_board::Author::default(),
        library
            .load_board(board)
            .unwrap()
            .updates
            .iter()
            .map(|e| e.data.as_slice()),
    );
    assert_eq!(board_doc.items().len(), 2);

    // Presence: each sees the other's name, and a moved cursor.
    assert!(
        eventually(5, || a
            .link
            .status()
            .unwrap()
            .participants
            .iter()
            .any(|p| p.state.contains("Ben")))
        .await,
        "Ana sees Ben"
    );
    a.link.set_presence(Some(
        r##"{"user":{"name":"Ana","color":"#e91e63"},"cursor":{"x":10,"y":20}}"##.into(),
    ));
    assert!(
        eventually(5, || b
            .link
            .status()
            .unwrap()
            .participants
            .iter()
            .any(|p| p.state.contains("\"cursor\"")))
        .await,
        "Ben sees Ana's cursor"
    );

    // The server goes away; both keep working offline; it comes back on
    // the same address and everything merges.
    assert_eq!(a.state(), ConnectionState::Connected);
    server.shutdown().await;
    assert!(eventually(5, || a.state() != ConnectionState::Connected).await);
    a.note("offline bei Ana", 600.0);
    b.note("offline bei Ben", 900.0);
    assert_eq!(a.texts().len(), 3);
    let server = TestServer::start_on(addr, store, |_| {}).await;
    assert!(
        eventually(10, || a.state() == ConnectionState::Connected
            && b.state() == ConnectionState::Connected)
        .await
    );
    converge(&mut a, &mut b, 4).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_link_refuses_a_state_that_is_not_an_update() {
    let err = Link::start(
        "ws://127.0.0.1:1/b/x",
        &[0xff, 0xff, 0xff],
        ClientOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(!err.to_string().is_empty());
    assert!(Link::start(
        "http://127.0.0.1:1/b/x",
        &[0, 0],
        ClientOptions::default(),
        |_| {}
    )
    .is_err());
}
