//! `Sharing`: a board hosted from one library and joined from another, over
//! real sockets on 127.0.0.1, with the application layer as owner.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use stellwand_board::{Intent, ItemKind, NewItem};
use stellwand_store::BoardId;
use stellwand_store::Workspace;
use stellwand_sync::presence::Point;
use stellwand_sync::sharing::{
    Error, Forward, HostSettings, LinkState, News, Owner, Person, Sharing,
};
use stellwand_sync::token::Role;
use stellwand_sync::workshop::{Command, TimerAction};

/// Tokens are checked against the server's clock, so links are issued now.
fn now() -> i64 {
    i64::try_from(stellwand_sync::token::unix_now() * 1000).unwrap()
}

/// The application layer of one laptop, recording what a window would be
/// told.
struct Laptop {
    workspace: Mutex<Workspace>,
    news: Mutex<Vec<News>>,
}

type OwnerResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

impl Owner for Laptop {
    fn state(&self, board: BoardId) -> OwnerResult<Vec<u8>> {
        Ok(self.workspace.lock().unwrap().board_state(board)?)
    }
    fn receive(&self, board: BoardId, updates: Vec<Vec<u8>>) {
        let mut workspace = self.workspace.lock().unwrap();
        workspace.apply_remote(board, &updates, now()).unwrap();
    }
    fn forward(&self, board: BoardId, sink: Option<Forward>) {
        self.workspace.lock().unwrap().set_forward(board, sink);
    }
    fn notify(&self, news: News) {
        self.news.lock().unwrap().push(news);
    }
}

struct Side {
    _dir: tempfile::TempDir,
    laptop: Arc<Laptop>,
    sharing: Sharing,
}

fn side(name: &str) -> Side {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(dir.path(), name).unwrap();
    let laptop = Arc::new(Laptop {
        workspace: Mutex::new(workspace),
        news: Mutex::new(Vec::new()),
    });
    let sharing = Sharing::new(dir.path().to_path_buf(), laptop.clone());
    sharing.introduce(Person {
        id: format!("id-{name}"),
        name: name.into(),
    });
    Side {
        _dir: dir,
        laptop,
        sharing,
    }
}

fn loopback_settings() -> HostSettings {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    HostSettings {
        address: "127.0.0.1".into(),
        port,
        bind: "127.0.0.1".into(),
    }
}

fn add_note(side: &Side, board: BoardId, text: &str) {
    let intent = Intent::Create {
        items: vec![NewItem::note(0.0, 0.0, text).into()],
        adopt: false,
    };
    side.laptop
        .workspace
        .lock()
        .unwrap()
        .apply(board, intent, now())
        .unwrap();
}

fn note_texts(side: &Side, board: BoardId) -> Vec<String> {
    let mut texts: Vec<String> = side
        .laptop
        .workspace
        .lock()
        .unwrap()
        .read_board(board, |b| {
            b.items()
                .into_iter()
                .filter(|i| i.kind == ItemKind::Note)
                .map(|i| i.text)
                .collect()
        })
        .unwrap();
    texts.sort();
    texts
}

async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting until {what}");
}

fn new_board(side: &Side, title: &str) -> BoardId {
    side.laptop
        .workspace
        .lock()
        .unwrap()
        .create_board(title, None, now())
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_shared_from_one_library_is_joined_from_another_and_edits_flow_both_ways() {
    let host = side("Hanna");
    let guest = side("Gero");
    let board = new_board(&host, "AG Technik: Sitzung 4");
    add_note(&host, board, "Schnittstellen fehlen");

    let info = host
        .sharing
        .share(board, Some(loopback_settings()), now())
        .await
        .unwrap();
    assert!(info.status.hosting && !info.status.read_only);
    assert!(info.editor_link.contains(&board.to_string()));
    assert_eq!(info.editor_qr.modules.len(), info.editor_qr.size.pow(2));

    let joined = guest.sharing.join(&info.editor_link, now()).await.unwrap();
    assert_eq!(joined.id, board);
    assert_eq!(
        joined.title, "AG Technik: Sitzung 4",
        "the title arrives with the join"
    );
    eventually("the host's note reached the guest", || {
        note_texts(&guest, board) == ["Schnittstellen fehlen"]
    })
    .await;

    add_note(&guest, board, "Fehlende Schnittstelle");
    add_note(&host, board, "Datenschutz klären");
    let both = [
        "Datenschutz klären",
        "Fehlende Schnittstelle",
        "Schnittstellen fehlen",
    ];
    eventually("both sides hold all three notes", || {
        note_texts(&host, board) == both && note_texts(&guest, board) == both
    })
    .await;

    // Presence: the guest's pointer shows on the host's status line.
    guest
        .sharing
        .set_presence(board, Some(Point { x: 10.0, y: 20.0 }), &["a".to_owned()]);
    let mut seen = None;
    for _ in 0..200 {
        let status = host.sharing.status(board).await.unwrap().unwrap();
        if let Some(p) = status.participants.iter().find(|p| p.name == "Gero") {
            if p.cursor.is_some() {
                seen = Some(p.clone());
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let gero = seen.expect("the guest is listed with a pointer");
    assert_eq!(gero.cursor, Some(Point { x: 10.0, y: 20.0 }));
    assert_eq!(gero.selection, ["a"]);

    // The window was told about the status.
    assert!(host.laptop.news.lock().unwrap().iter().any(
        |n| matches!(n, News::Status(s) if s.board == board && s.state == LinkState::Connected)
    ));

    guest.sharing.stop(board).await.unwrap();
    host.sharing.stop(board).await.unwrap();
    assert_eq!(host.sharing.status(board).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_link_joins_read_only_and_renewed_editor_links_refuse_the_old_ones() {
    let host = side("Hanna");
    let viewer = side("Vera");
    let late = side("Lutz");
    let board = new_board(&host, "Lesen");
    let info = host
        .sharing
        .share(board, Some(loopback_settings()), now())
        .await
        .unwrap();

    viewer.sharing.join(&info.viewer_link, now()).await.unwrap();
    let status = viewer.sharing.status(board).await.unwrap().unwrap();
    assert!(status.read_only && !status.hosting);
    assert_eq!(viewer.sharing.live(board).unwrap().role(), Role::Viewer);
    add_note(&viewer, board, "nur bei mir");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        note_texts(&host, board).is_empty(),
        "a viewer's note stays local"
    );

    let renewed = host
        .sharing
        .renew(board, Role::Editor, now() + 5_000)
        .await
        .unwrap();
    assert_ne!(renewed.editor_link, info.editor_link);
    late.sharing.join(&info.editor_link, now()).await.unwrap();
    let mut state = LinkState::Connecting;
    for _ in 0..200 {
        state = late.sharing.status(board).await.unwrap().unwrap().state;
        if state == LinkState::Refused {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(state, LinkState::Refused, "the revoked link is refused");
    late.sharing.stop(board).await.unwrap();
    late.sharing
        .join(&renewed.editor_link, now())
        .await
        .unwrap();
    eventually("the renewed link connects", || {
        late.laptop.news.lock().unwrap().iter().any(
            |n| matches!(n, News::Status(s) if s.board == board && s.state == LinkState::Connected),
        )
    })
    .await;
    host.sharing.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_port_held_by_another_program_is_replaced_by_a_free_one() {
    let host = side("Hanna");
    let board = new_board(&host, "Port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let held = HostSettings {
        address: "127.0.0.1".into(),
        port,
        bind: "127.0.0.1".into(),
    };
    // Chosen in the dialog: refused, not replaced.
    let chosen = host.sharing.share(board, Some(held), now()).await;
    assert!(matches!(chosen, Err(Error::PortInUse { .. })), "{chosen:?}");
    // Remembered: replaced by a free port, which is remembered.
    let info = host.sharing.share(board, None, now()).await.unwrap();
    assert_eq!(info.port_moved_from, Some(port));
    assert_ne!(info.settings.port, port);
    assert!(info
        .editor_link
        .contains(&format!(":{}/", info.settings.port)));
    host.sharing.stop(board).await.unwrap();
    let again = host.sharing.share(board, None, now()).await.unwrap();
    assert_eq!(again.port_moved_from, None);
    assert_eq!(again.settings.port, info.settings.port);
    host.sharing.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workshop_command_on_a_board_that_is_not_shared_hosts_it_for_this_computer_only() {
    let host = side("Hanna");
    let board = new_board(&host, "Allein");
    host.sharing
        .command(
            board,
            Command::Timer {
                action: TimerAction::Start,
                seconds: Some(300),
            },
            now(),
        )
        .await
        .unwrap();
    let live = host.sharing.live(board).unwrap();
    assert!(live.hosting);
    let status = host.sharing.status(board).await.unwrap().unwrap();
    assert!(status.local_only, "hosted on 127.0.0.1 only");
    assert_eq!(
        live.workshop.you.as_ref().map(|y| y.role.as_str()),
        Some("facilitator")
    );
    assert_eq!(live.role(), Role::Facilitator);
    // Private writing is off: drafts belong on the board.
    assert!(host.sharing.reveal(board).is_some());
    host.sharing.shut_down().await;
}

#[tokio::test]
async fn bad_join_links_and_unknown_boards_are_refused_with_a_clear_error() {
    let guest = side("Gero");
    for bad in [
        "https://example.invalid/b/x",
        "ws://127.0.0.1:1/b/nicht-eine-wand?token=x",
        "ws://127.0.0.1:1/b/01a21e6c-a012-71f1-9e45-dd58c520c2b6",
        "",
        &format!(
            "ws://127.0.0.1:1/b/01a21e6c-a012-71f1-9e45-dd58c520c2b6?token={}",
            "x".repeat(100_000)
        ),
    ] {
        let result = guest.sharing.join(bad, now()).await;
        assert!(
            matches!(result, Err(Error::InvalidLink(_))),
            "{bad}: {result:?}"
        );
    }
    let unknown = BoardId::new();
    let result = guest
        .sharing
        .share(unknown, Some(loopback_settings()), now())
        .await;
    assert!(
        matches!(
            result,
            Err(Error::Store(stellwand_store::Error::BoardNotFound { .. }))
        ),
        "{result:?}"
    );
    let bad_address = HostSettings {
        address: "x y".into(),
        ..loopback_settings()
    };
    let board = new_board(&guest, "Adresse");
    let result = guest.sharing.share(board, Some(bad_address), now()).await;
    assert!(
        matches!(result, Err(Error::InvalidAddress(_))),
        "{result:?}"
    );
    assert_eq!(guest.sharing.status(board).await.unwrap(), None);
}
