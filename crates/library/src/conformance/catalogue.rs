//! [`Catalogue`]: boards, folders, trash, recent boards, previews, search,
//! revisions, and the same refusals on every engine.

use super::{note_updates, stored_texts, Engine};
use crate::catalogue::{BoardFilter, BoardMeta, FolderFilter};
use crate::error::Error;
use crate::ids::{BoardId, FolderId, RevisionId};
use crate::storage::{BoardLog, Catalogue};

fn ids(boards: &[BoardMeta]) -> Vec<BoardId> {
    boards.iter().map(|b| b.id).collect()
}

/// A new board has its title trimmed, the given times, no folder, archive
/// or trash mark; lists show the most recently changed first (ties by
/// title).
pub fn created_boards_get_trimmed_titles_and_are_listed_newest_change_first<E: Engine>(engine: &E) {
    let storage = engine.open();
    let old = storage.create_board("  Leitbild  ", None, 10).unwrap();
    assert_eq!(old.title, "Leitbild");
    assert_eq!((old.created_at, old.updated_at), (10, 10));
    assert_eq!(
        (old.folder, old.archived, old.deleted_at, old.opened_at),
        (None, false, None, None)
    );
    assert_eq!(storage.board(old.id).unwrap(), old);
    let new = storage.create_board("Sitzung", None, 30).unwrap();
    let b = storage.create_board("B gleichzeitig", None, 20).unwrap();
    let a = storage.create_board("A gleichzeitig", None, 20).unwrap();
    assert_eq!(
        ids(&storage.list_boards(&BoardFilter::default()).unwrap()),
        [new.id, a.id, b.id, old.id]
    );
    // A change moves a board to the front.
    storage
        .append_updates(old.id, &note_updates(&["neu"]), 40)
        .unwrap();
    assert_eq!(
        storage.list_boards(&BoardFilter::default()).unwrap()[0].id,
        old.id
    );
}

/// `ensure_board` creates a board under the given id once; afterwards it
/// returns the stored board unchanged and reports that nothing was created.
pub fn ensuring_a_board_keeps_its_id_and_creates_it_only_once<E: Engine>(engine: &E) {
    let storage = engine.open();
    let folder = storage.create_folder("AG Technik", 1).unwrap().id;
    let id = BoardId::new();
    let (created, new) = storage
        .ensure_board(id, " Geteilt ", Some(folder), 2)
        .unwrap();
    assert!(new);
    assert_eq!(
        (created.id, created.title.as_str(), created.folder),
        (id, "Geteilt", Some(folder))
    );
    let (again, new) = storage.ensure_board(id, "Anderer Titel", None, 3).unwrap();
    assert!(!new);
    assert_eq!(again, created, "the stored board, untouched");
    assert_eq!(storage.board(id).unwrap(), created);
    assert_eq!(
        storage
            .list_boards(&BoardFilter::everything())
            .unwrap()
            .len(),
        1
    );
}

/// Renaming, moving and archiving change their field, move `updated_at`
/// forward (never back), and the folder and archive filters follow.
pub fn renaming_moving_and_archiving_change_the_board_and_its_lists<E: Engine>(engine: &E) {
    let storage = engine.open();
    let folder = storage.create_folder("AG", 1).unwrap().id;
    let board = storage.create_board("Alt", None, 10).unwrap().id;
    let other = storage.create_board("Andere", None, 10).unwrap().id;

    let renamed = storage.rename_board(board, " Neu ", 20).unwrap();
    assert_eq!((renamed.title.as_str(), renamed.updated_at), ("Neu", 20));
    let moved = storage.move_board(board, Some(folder), 15).unwrap();
    assert_eq!(
        (moved.folder, moved.updated_at),
        (Some(folder), 20),
        "time never goes back"
    );
    assert_eq!(
        ids(&storage
            .list_boards(&BoardFilter::in_folder(folder))
            .unwrap()),
        [board]
    );
    let unfiled = BoardFilter {
        folder: FolderFilter::Unfiled,
        ..BoardFilter::default()
    };
    assert_eq!(ids(&storage.list_boards(&unfiled).unwrap()), [other]);

    let archived = storage.archive_board(board, 30).unwrap();
    assert!(archived.archived);
    assert_eq!(archived.updated_at, 30);
    assert!(storage
        .list_boards(&BoardFilter::in_folder(folder))
        .unwrap()
        .is_empty());
    let with_archive = BoardFilter {
        include_archived: true,
        ..BoardFilter::in_folder(folder)
    };
    assert_eq!(ids(&storage.list_boards(&with_archive).unwrap()), [board]);
    assert!(!storage.unarchive_board(board, 40).unwrap().archived);
    assert_eq!(storage.board(board).unwrap().title, "Neu");

    let back = storage.move_board(board, None, 50).unwrap();
    assert_eq!(back.folder, None);
    assert_eq!(ids(&storage.list_boards(&unfiled).unwrap()), [board, other]);
}

/// A trashed board leaves the default lists and search, keeps the time it
/// was first trashed, and comes back whole when restored.
pub fn trash_and_restore_move_a_board_out_of_and_back_into_the_lists<E: Engine>(engine: &E) {
    let storage = engine.open();
    let first = storage.create_board("Erste", None, 1).unwrap().id;
    let second = storage.create_board("Zweite", None, 1).unwrap().id;
    storage
        .append_updates(first, &note_updates(&["Inhalt"]), 2)
        .unwrap();

    assert_eq!(storage.trash_board(first, 10).unwrap().deleted_at, Some(10));
    assert_eq!(
        storage.trash_board(second, 20).unwrap().deleted_at,
        Some(20)
    );
    assert_eq!(
        storage.trash_board(first, 30).unwrap().deleted_at,
        Some(10),
        "trashing again keeps the first time"
    );
    assert_eq!(
        ids(&storage.list_trash().unwrap()),
        [second, first],
        "newest trashed first"
    );
    assert!(storage
        .list_boards(&BoardFilter::default())
        .unwrap()
        .is_empty());
    assert_eq!(
        storage
            .list_boards(&BoardFilter::everything())
            .unwrap()
            .len(),
        2
    );
    assert!(storage.search_boards("Erste").unwrap().is_empty());

    let restored = storage.restore_board(first, 40).unwrap();
    assert_eq!(restored.deleted_at, None);
    assert_eq!(ids(&storage.list_trash().unwrap()), [second]);
    assert_eq!(
        ids(&storage.list_boards(&BoardFilter::default()).unwrap()),
        [first]
    );
    let (texts, _) = stored_texts(&storage.load_board(first).unwrap());
    assert_eq!(texts, ["Inhalt"]);
}

/// Purging refuses a board outside the trash (`NotInTrash`, nothing lost);
/// a trashed board goes for good with its log, preview and revisions.
pub fn only_trashed_boards_are_purged_with_their_content_and_revisions<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("B", None, 1).unwrap().id;
    let kept = storage.create_board("Bleibt", None, 1).unwrap().id;
    storage
        .append_updates(board, &note_updates(&["weg"]), 2)
        .unwrap();
    storage.set_preview(board, "<svg/>", 2).unwrap();
    let revision = storage
        .create_revision(board, "Stand", b"state", 2)
        .unwrap()
        .id;
    let other_revision = storage
        .create_revision(kept, "Stand", b"other", 2)
        .unwrap()
        .id;
    assert!(matches!(
        storage.purge_board(board),
        Err(Error::NotInTrash { board: b }) if b == board
    ));
    assert_eq!(
        storage.revision(revision).unwrap().board,
        board,
        "nothing lost"
    );

    storage.trash_board(board, 3).unwrap();
    storage.purge_board(board).unwrap();
    assert!(matches!(
        storage.board(board),
        Err(Error::BoardNotFound { .. })
    ));
    assert!(matches!(
        storage.load_board(board),
        Err(Error::BoardNotFound { .. })
    ));
    assert!(matches!(
        storage.revision(revision),
        Err(Error::RevisionNotFound { .. })
    ));
    assert!(matches!(
        storage.list_revisions(board),
        Err(Error::BoardNotFound { .. })
    ));
    assert_eq!(storage.preview(board).unwrap(), None);
    assert!(storage.list_trash().unwrap().is_empty());
    assert!(matches!(
        storage.purge_board(board),
        Err(Error::BoardNotFound { .. })
    ));
    // The other board is untouched.
    assert_eq!(storage.revision_state(other_revision).unwrap(), b"other");
    assert_eq!(
        ids(&storage.list_boards(&BoardFilter::everything()).unwrap()),
        [kept]
    );
}

/// Folder names are trimmed and unique ignoring ASCII case (also when
/// renaming), folders are listed by name ignoring case and found by name;
/// a folder holding any board, archived or trashed included, is not
/// deleted.
pub fn folders_are_unique_ignoring_case_sorted_by_name_and_deleted_only_when_empty<E: Engine>(
    engine: &E,
) {
    let storage = engine.open();
    let technik = storage.create_folder(" AG Technik ", 1).unwrap();
    assert_eq!(
        (technik.name.as_str(), technik.created_at),
        ("AG Technik", 1)
    );
    assert!(matches!(
        storage.create_folder("ag technik", 2),
        Err(Error::FolderExists { .. })
    ));
    let bau = storage.create_folder("ag Bau", 3).unwrap();
    let zukunft = storage.create_folder("Zukunft", 4).unwrap();
    let names: Vec<String> = storage
        .list_folders()
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, ["ag Bau", "AG Technik", "Zukunft"]);
    assert_eq!(storage.folder(technik.id).unwrap(), technik);
    assert_eq!(
        storage.folder_by_name("AG TECHNIK").unwrap(),
        Some(technik.clone())
    );
    assert_eq!(
        storage.folder_by_name(" ag bau ").unwrap(),
        Some(bau.clone())
    );
    assert_eq!(storage.folder_by_name("AG").unwrap(), None);

    assert!(matches!(
        storage.rename_folder(zukunft.id, "AG BAU"),
        Err(Error::FolderExists { .. })
    ));
    assert_eq!(
        storage.rename_folder(bau.id, "AG Bau").unwrap().name,
        "AG Bau",
        "own name"
    );
    assert_eq!(
        storage.rename_folder(zukunft.id, " Vision ").unwrap().name,
        "Vision"
    );
    assert_eq!(storage.folder(zukunft.id).unwrap().name, "Vision");

    let board = storage.create_board("B", Some(technik.id), 5).unwrap().id;
    storage.archive_board(board, 6).unwrap();
    storage.trash_board(board, 7).unwrap();
    assert!(matches!(
        storage.delete_folder(technik.id),
        Err(Error::FolderNotEmpty { folder, boards: 1 }) if folder == technik.id
    ));
    storage.move_board(board, None, 8).unwrap();
    storage.delete_folder(technik.id).unwrap();
    assert!(matches!(
        storage.folder(technik.id),
        Err(Error::FolderNotFound { .. })
    ));
    assert_eq!(storage.folder_by_name("AG Technik").unwrap(), None);
    assert_eq!(storage.list_folders().unwrap().len(), 2);
    // The name is free again.
    storage.create_folder("ag technik", 9).unwrap();
}

/// Recent boards are the opened ones, newest opening first, at most
/// `limit`, without trashed ones; opening does not count as a change.
pub fn recent_boards_are_the_opened_ones_newest_first_without_the_trash<E: Engine>(engine: &E) {
    let storage = engine.open();
    let a = storage.create_board("A", None, 1).unwrap().id;
    let b = storage.create_board("B", None, 1).unwrap().id;
    let c = storage.create_board("C", None, 1).unwrap().id;
    storage.create_board("Nie geöffnet", None, 1).unwrap();
    assert!(storage.recent_boards(8).unwrap().is_empty());
    storage.mark_opened(a, 10).unwrap();
    storage.mark_opened(b, 20).unwrap();
    storage.mark_opened(c, 30).unwrap();
    storage.mark_opened(a, 40).unwrap();
    assert_eq!(ids(&storage.recent_boards(8).unwrap()), [a, c, b]);
    assert_eq!(ids(&storage.recent_boards(2).unwrap()), [a, c]);
    assert!(storage.recent_boards(0).unwrap().is_empty());
    assert_eq!(storage.board(a).unwrap().opened_at, Some(40));
    storage.trash_board(c, 50).unwrap();
    assert_eq!(ids(&storage.recent_boards(8).unwrap()), [a, b]);
    drop(storage);
    assert_eq!(ids(&engine.open().recent_boards(8).unwrap()), [a, b]);
}

/// A preview is stored per board, replaced by the next one, and kept
/// across reopening; a board without one has none.
pub fn previews_are_stored_replaced_and_kept_per_board<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("Mit Bild", None, 1).unwrap().id;
    let other = storage.create_board("Ohne Bild", None, 1).unwrap().id;
    assert_eq!(storage.preview(board).unwrap(), None);
    storage.set_preview(board, "<svg>1</svg>", 2).unwrap();
    storage.set_preview(board, "<svg><rect/></svg>", 3).unwrap();
    assert_eq!(storage.preview(other).unwrap(), None);
    assert_eq!(storage.preview(BoardId::new()).unwrap(), None);
    drop(storage);
    let storage = engine.open();
    assert_eq!(
        storage.preview(board).unwrap().as_deref(),
        Some("<svg><rect/></svg>")
    );
}

/// Search finds boards whose title contains every word of the query,
/// ignoring case (also beyond ASCII), archived ones included and trashed
/// ones not, most recently changed first; a blank query finds nothing.
pub fn search_finds_titles_containing_every_word_ignoring_case_outside_the_trash<E: Engine>(
    engine: &E,
) {
    let storage = engine.open();
    let plan = storage
        .create_board("Änderungen am Leitbild", None, 1)
        .unwrap()
        .id;
    let sitzung = storage
        .create_board("Sitzung Leitbild 2", None, 2)
        .unwrap()
        .id;
    let archived = storage.create_board("Leitbild alt", None, 3).unwrap().id;
    let trashed = storage
        .create_board("Leitbild verworfen", None, 4)
        .unwrap()
        .id;
    storage.create_board("Budget", None, 5).unwrap();
    storage.archive_board(archived, 6).unwrap();
    storage.trash_board(trashed, 7).unwrap();

    assert_eq!(
        ids(&storage.search_boards("leitbild").unwrap()),
        [archived, sitzung, plan]
    );
    assert_eq!(ids(&storage.search_boards("ÄNDERUNG").unwrap()), [plan]);
    assert_eq!(
        ids(&storage.search_boards("  bild   sitz ").unwrap()),
        [sitzung]
    );
    assert!(storage
        .search_boards("leitbild haushalt")
        .unwrap()
        .is_empty());
    assert!(storage.search_boards("   ").unwrap().is_empty());
    assert!(storage.search_boards("").unwrap().is_empty());
    assert!(
        storage.search_boards("%").unwrap().is_empty(),
        "no wildcards"
    );
}

/// A revision keeps its name (trimmed), time, size and exact state; a
/// board's revisions are listed oldest first without other boards' ones;
/// renaming and deleting work on one revision only.
pub fn revisions_keep_their_state_and_are_listed_oldest_first_per_board<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("B", None, 1).unwrap().id;
    let other = storage.create_board("Andere", None, 1).unwrap().id;
    let late = storage
        .create_revision(board, "Später", b"late-state", 30)
        .unwrap();
    let early = storage
        .create_revision(board, " Stand 1 ", &[0, 1, 2, 255], 10)
        .unwrap();
    storage.create_revision(other, "Fremd", b"x", 20).unwrap();
    assert_eq!(early.name, "Stand 1");
    assert_eq!((early.board, early.created_at, early.size), (board, 10, 4));

    let listed = storage.list_revisions(board).unwrap();
    assert_eq!(listed, [early.clone(), late.clone()]);
    assert_eq!(storage.revision(early.id).unwrap(), early);
    assert_eq!(storage.revision_state(early.id).unwrap(), [0, 1, 2, 255]);
    assert_eq!(storage.revision_state(late.id).unwrap(), b"late-state");

    let renamed = storage
        .rename_revision(early.id, " Nach Sitzung 3 ")
        .unwrap();
    assert_eq!(renamed.name, "Nach Sitzung 3");
    assert_eq!(storage.revision(early.id).unwrap(), renamed);
    storage.delete_revision(late.id).unwrap();
    assert_eq!(storage.list_revisions(board).unwrap(), [renamed]);
    assert_eq!(storage.list_revisions(other).unwrap().len(), 1);
    drop(storage);
    let storage = engine.open();
    assert_eq!(storage.revision_state(early.id).unwrap(), [0, 1, 2, 255]);
}

/// Every name a user gives (board titles, folder and revision names) is
/// refused as `EmptyName` when it is empty or blank, and nothing changes.
pub fn empty_names_are_refused_as_empty_name_everywhere<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("B", None, 1).unwrap().id;
    let folder = storage.create_folder("F", 1).unwrap().id;
    let revision = storage.create_revision(board, "R", b"", 1).unwrap().id;
    let empty = |result: Result<(), Error>| matches!(result, Err(Error::EmptyName { .. }));
    for blank in ["", "   ", "\t\n"] {
        assert!(
            empty(storage.create_board(blank, None, 2).map(|_| ())),
            "{blank:?}"
        );
        assert!(empty(
            storage
                .ensure_board(BoardId::new(), blank, None, 2)
                .map(|_| ())
        ));
        assert!(empty(storage.rename_board(board, blank, 2).map(|_| ())));
        assert!(empty(storage.create_folder(blank, 2).map(|_| ())));
        assert!(empty(storage.rename_folder(folder, blank).map(|_| ())));
        assert!(empty(
            storage.create_revision(board, blank, b"", 2).map(|_| ())
        ));
        assert!(empty(storage.rename_revision(revision, blank).map(|_| ())));
    }
    assert_eq!(storage.board(board).unwrap().title, "B");
    assert_eq!(
        storage
            .list_boards(&BoardFilter::everything())
            .unwrap()
            .len(),
        1
    );
    assert_eq!(storage.folder(folder).unwrap().name, "F");
    assert_eq!(storage.list_folders().unwrap().len(), 1);
    assert_eq!(storage.revision(revision).unwrap().name, "R");
    assert_eq!(storage.list_revisions(board).unwrap().len(), 1);
}

/// Unknown boards, folders and revisions are refused with `BoardNotFound`,
/// `FolderNotFound` and `RevisionNotFound` naming the id asked for, by
/// every method that takes one.
pub fn unknown_ids_are_refused_with_the_matching_not_found_variant<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("B", None, 1).unwrap().id;
    let (nb, nf, nr) = (BoardId::new(), FolderId::new(), RevisionId::new());
    let no_board =
        |r: Result<(), Error>| matches!(r, Err(Error::BoardNotFound { board }) if board == nb);
    let no_folder =
        |r: Result<(), Error>| matches!(r, Err(Error::FolderNotFound { folder }) if folder == nf);
    let no_revision = |r: Result<(), Error>| matches!(r, Err(Error::RevisionNotFound { revision }) if revision == nr);

    assert!(no_board(storage.board(nb).map(|_| ())));
    assert!(no_board(storage.rename_board(nb, "X", 2).map(|_| ())));
    assert!(no_board(storage.move_board(nb, None, 2).map(|_| ())));
    assert!(no_board(storage.archive_board(nb, 2).map(|_| ())));
    assert!(no_board(storage.unarchive_board(nb, 2).map(|_| ())));
    assert!(no_board(storage.trash_board(nb, 2).map(|_| ())));
    assert!(no_board(storage.restore_board(nb, 2).map(|_| ())));
    assert!(no_board(storage.purge_board(nb)));
    assert!(no_board(storage.mark_opened(nb, 2)));
    assert!(no_board(storage.set_preview(nb, "<svg/>", 2)));
    assert!(no_board(
        storage.create_revision(nb, "R", b"", 2).map(|_| ())
    ));
    assert!(no_board(storage.list_revisions(nb).map(|_| ())));

    assert!(no_folder(
        storage.create_board("X", Some(nf), 2).map(|_| ())
    ));
    assert!(no_folder(
        storage
            .ensure_board(BoardId::new(), "X", Some(nf), 2)
            .map(|_| ())
    ));
    assert!(no_folder(
        storage.move_board(board, Some(nf), 2).map(|_| ())
    ));
    assert!(no_folder(storage.folder(nf).map(|_| ())));
    assert!(no_folder(storage.rename_folder(nf, "X").map(|_| ())));
    assert!(no_folder(storage.delete_folder(nf)));

    assert!(no_revision(storage.revision(nr).map(|_| ())));
    assert!(no_revision(storage.revision_state(nr).map(|_| ())));
    assert!(no_revision(storage.rename_revision(nr, "X").map(|_| ())));
    assert!(no_revision(storage.delete_revision(nr)));

    assert_eq!(
        storage.board(board).unwrap().folder,
        None,
        "the failed move changed nothing"
    );
    assert_eq!(
        storage
            .list_boards(&BoardFilter::everything())
            .unwrap()
            .len(),
        1
    );
    assert!(storage.list_revisions(board).unwrap().is_empty());
}

/// Folders, boards with every field, previews and revisions read back the
/// same after reopening the library.
pub fn the_catalogue_is_kept_across_reopening<E: Engine>(engine: &E) {
    let storage = engine.open();
    let folder = storage.create_folder("AG Technik", 1).unwrap();
    let board = storage
        .create_board("Sitzung", Some(folder.id), 2)
        .unwrap()
        .id;
    storage.mark_opened(board, 3).unwrap();
    storage.archive_board(board, 4).unwrap();
    let trashed = storage.create_board("Weg", None, 5).unwrap().id;
    storage.trash_board(trashed, 6).unwrap();
    let revision = storage.create_revision(board, "Stand", b"s", 7).unwrap();
    let boards = storage.list_boards(&BoardFilter::everything()).unwrap();
    drop(storage);

    let storage = engine.open();
    assert_eq!(storage.list_folders().unwrap(), [folder]);
    assert_eq!(
        storage.list_boards(&BoardFilter::everything()).unwrap(),
        boards
    );
    let meta = storage.board(board).unwrap();
    assert_eq!(
        (meta.archived, meta.opened_at, meta.updated_at),
        (true, Some(3), 4)
    );
    assert_eq!(ids(&storage.list_trash().unwrap()), [trashed]);
    assert_eq!(storage.list_revisions(board).unwrap(), [revision]);
}
