//! The server's store on a real Stellwand library (SQLite).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use stellwand_board::{Author, Board, ItemKind, NewItem};
use stellwand_store::Library;
use stellwand_sync::library_store::{
    issue_token, library_secret, revoke_tokens, LibraryAuthorizer, LibraryStore, UNTITLED,
};
use stellwand_sync::server::Authorizer;
use stellwand_sync::store::{BoardId, BoardStore};
use stellwand_sync::token::{Role, TokenError};

fn board_updates(title: &str, notes: &[&str]) -> Vec<Vec<u8>> {
    let mut board = Board::new(Author::default());
    board
        .edit(1, |e| {
            e.set_title(title);
            Ok(())
        })
        .unwrap();
    for (i, text) in notes.iter().enumerate() {
        board
            .edit(2, |e| {
                e.create(NewItem::new(ItemKind::Note, i as f64 * 10.0, 0.0, *text))
            })
            .unwrap();
    }
    board.take_updates()
}

#[test]
fn appended_updates_are_committed_at_once_and_the_board_takes_its_title() {
    let dir = tempfile::tempdir().unwrap();
    let store = LibraryStore::open(dir.path(), None).unwrap();
    let id = stellwand_store::BoardId::new();
    let url_id = BoardId::new(id.to_string()).unwrap();
    assert!(
        store.load(&url_id).unwrap().is_empty(),
        "unknown board reads as empty"
    );
    let other = Library::open(dir.path()).unwrap();
    assert!(other.board(id).is_err(), "reading creates nothing");

    let updates = board_updates("AG Technik – Sitzung 3", &["Hemmnis: Förderlogik", "Idee"]);
    let slices: Vec<&[u8]> = updates.iter().map(Vec::as_slice).collect();
    store.append(&url_id, &slices).unwrap();

    // Another connection (another process, the CLI) sees it while the
    // store is still open.
    let meta = other.board(id).unwrap();
    assert_eq!(meta.title, "AG Technik – Sitzung 3");
    let loaded = other.load_board(id).unwrap();
    assert_eq!(loaded.updates.len(), updates.len());

    let reloaded = store.load(&url_id).unwrap();
    let (board, issues) = Board::load(Author::default(), reloaded.iter().map(Vec::as_slice));
    assert!(issues.is_empty());
    let texts: Vec<String> = board.items().into_iter().map(|i| i.text).collect();
    assert!(texts.contains(&"Hemmnis: Förderlogik".to_string()));
}

#[test]
fn a_board_without_a_title_keeps_the_placeholder_until_one_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let store = LibraryStore::open(dir.path(), None).unwrap();
    let id = stellwand_store::BoardId::new();
    let url_id = BoardId::new(id.to_string()).unwrap();
    let mut board = Board::new(Author::default());
    board
        .edit(1, |e| {
            e.create(NewItem::new(ItemKind::Note, 0.0, 0.0, "ohne Titel"))
        })
        .unwrap();
    let first = board.take_updates();
    store.append(&url_id, &[first[0].as_slice()]).unwrap();
    let other = Library::open(dir.path()).unwrap();
    assert_eq!(other.board(id).unwrap().title, UNTITLED);
    board
        .edit(2, |e| {
            e.set_title("Retrospektive");
            Ok(())
        })
        .unwrap();
    let second = board.take_updates();
    store.append(&url_id, &[second[0].as_slice()]).unwrap();
    assert_eq!(other.board(id).unwrap().title, "Retrospektive");
}

#[test]
fn ids_that_are_not_uuids_are_refused_without_touching_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let store = LibraryStore::open(dir.path(), None).unwrap();
    let id = BoardId::new("ag-board").unwrap();
    let err = store.append(&id, &[&[0, 0][..]]).unwrap_err();
    assert!(err.to_string().contains("UUID"), "{err}");
    assert!(store.load(&id).is_err());
    let library = Library::open(dir.path()).unwrap();
    assert!(library
        .list_boards(&stellwand_store::BoardFilter::everything())
        .unwrap()
        .is_empty());
}

#[test]
fn tokens_are_checked_against_the_library_secret_and_revocations_apply_to_a_running_authorizer() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let authorizer = LibraryAuthorizer::open(dir.path()).unwrap();
    let board = stellwand_store::BoardId::new().to_string();
    let url_id = BoardId::new(board.clone()).unwrap();
    let now = 1_800_000_000;
    let (editor, _) = issue_token(&library, &board, Role::Editor, now, 3600).unwrap();
    let (viewer, _) = issue_token(&library, &board, Role::Viewer, now, 3600).unwrap();
    assert_eq!(
        authorizer.authorize(&url_id, Some(editor.as_str()), now),
        Ok(Role::Editor)
    );
    assert_eq!(
        authorizer.authorize(&url_id, Some(viewer.as_str()), now),
        Ok(Role::Viewer)
    );
    assert_eq!(
        authorizer.authorize(&url_id, None, now),
        Err(TokenError::Missing)
    );
    assert!(matches!(
        authorizer.authorize(&url_id, Some(editor.as_str()), now + 3600),
        Err(TokenError::Expired { .. })
    ));
    let other_board = BoardId::new(stellwand_store::BoardId::new().to_string()).unwrap();
    assert!(matches!(
        authorizer.authorize(&other_board, Some(editor.as_str()), now),
        Err(TokenError::WrongBoard { .. })
    ));

    // Revoking editor links in the same second they were issued: the old
    // link is refused at once, a link issued right after works, viewer
    // links are untouched.
    revoke_tokens(&library, &board, Role::Editor, now).unwrap();
    assert_eq!(
        authorizer.authorize(&url_id, Some(editor.as_str()), now),
        Err(TokenError::Revoked)
    );
    let (fresh, _) = issue_token(&library, &board, Role::Editor, now, 3600).unwrap();
    assert_eq!(
        authorizer.authorize(&url_id, Some(fresh.as_str()), now),
        Ok(Role::Editor)
    );
    assert_eq!(
        authorizer.authorize(&url_id, Some(viewer.as_str()), now),
        Ok(Role::Viewer)
    );

    // A token signed with another library's secret is refused.
    let elsewhere = tempfile::tempdir().unwrap();
    let foreign = Library::open(elsewhere.path()).unwrap();
    assert_ne!(
        library_secret(&foreign).unwrap(),
        library_secret(&library).unwrap()
    );
    let (forged, _) = issue_token(&foreign, &board, Role::Editor, now, 3600).unwrap();
    assert_eq!(
        authorizer.authorize(&url_id, Some(forged.as_str()), now),
        Err(TokenError::BadSignature)
    );
}

/// A server opening its authorizer while `stellwand-cli token issue` runs on
/// the same new library: both must end up with one secret, or the server
/// refuses the tokens issued beside it.
#[test]
fn handles_creating_the_secret_at_once_agree_on_it() {
    for _ in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let secrets: Vec<Vec<u8>> = (0..4)
            .map(|_| {
                let path = dir.path().to_owned();
                let start = std::sync::Arc::clone(&start);
                std::thread::spawn(move || {
                    let library = Library::open(&path).unwrap();
                    start.wait();
                    library_secret(&library).unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect();
        assert!(secrets.windows(2).all(|w| w[0] == w[1]), "secrets differ");
        let library = Library::open(dir.path()).unwrap();
        assert_eq!(library_secret(&library).unwrap(), secrets[0]);
    }
}
