//! Saving a board as a `.stellwand` file and opening it in another library.

#![allow(clippy::unwrap_used)] // test code: a failed step is a failed test

mod support;

use std::fs;

use stellwand_store::board_file::{self, BoardFile, MAGIC};
use stellwand_store::{Error, Library};

#[test]
fn a_board_saved_to_a_file_opens_with_the_same_content_in_another_library() {
    let home = tempfile::tempdir().unwrap();
    let away = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("Sitzung 3.stellwand");

    let source = Library::open(home.path()).unwrap();
    let folder = source.create_folder("AG Technik", 1).unwrap();
    let board = source
        .create_board("Sitzung 3", Some(folder.id), 2)
        .unwrap();
    source
        .append_updates(board.id, &[support::text_update(1, "Hallo ")], 3)
        .unwrap();
    source.compact(board.id, 4).unwrap();
    source
        .append_updates(board.id, &[support::text_update(2, "Welt")], 5)
        .unwrap();
    let exported = source.export_board_file(board.id, &path, 6).unwrap();
    assert!(exported.skipped.is_empty());
    assert_eq!(exported.bytes, fs::metadata(&path).unwrap().len());

    let target = Library::open(away.path()).unwrap();
    let technik = target.create_folder("ag technik", 7).unwrap();
    let imported = target.import_board_file(&path, 8).unwrap();
    assert!(imported.kept_id);
    assert_eq!(imported.board.id, board.id);
    assert_eq!(imported.board.title, "Sitzung 3");
    assert_eq!(imported.board.folder, Some(technik.id));
    assert_eq!(imported.board.created_at, 2);

    let original = source.load_board(board.id).unwrap();
    let original_updates: Vec<Vec<u8>> = original.updates.into_iter().map(|e| e.data).collect();
    let copy = target.load_board(imported.board.id).unwrap();
    assert!(copy.updates.is_empty());
    let expected = support::text_of(original.snapshot.as_deref(), &original_updates);
    assert_eq!(support::text_of(copy.snapshot.as_deref(), &[]), expected);
    assert_eq!(expected.len(), "Hallo Welt".len());

    let header = board_file::read(&path).unwrap().header;
    assert_eq!(header.folder.as_deref(), Some("AG Technik"));
    assert_eq!(header.exported_at, 6);
}

#[test]
fn importing_a_board_that_is_already_there_creates_a_new_one_and_keeps_the_old() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("b.stellwand");
    let library = Library::open(dir.path()).unwrap();
    let board = library.create_board("B", None, 1).unwrap();
    library
        .append_updates(board.id, &[support::text_update(1, "eins")], 2)
        .unwrap();
    library.export_board_file(board.id, &path, 3).unwrap();
    let before = library.load_board(board.id).unwrap();

    let imported = library.import_board_file(&path, 4).unwrap();
    assert!(!imported.kept_id);
    assert_ne!(imported.board.id, board.id);
    assert_eq!(library.load_board(board.id).unwrap(), before);
    assert_eq!(imported.board.folder, None);
}

#[test]
fn exporting_overwrites_an_existing_file_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("b.stellwand");
    fs::write(&path, b"old contents").unwrap();
    let library = Library::open(dir.path()).unwrap();
    let board = library.create_board("B", None, 1).unwrap();
    library.export_board_file(board.id, &path, 2).unwrap();
    assert!(board_file::read(&path).is_ok());
    let names: Vec<_> = fs::read_dir(files.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn a_file_that_is_not_a_board_file_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let path = dir.path().join("notes.stellwand");
    fs::write(&path, b"Dies ist kein Stellwand-Brett.").unwrap();
    let err = library.import_board_file(&path, 1).unwrap_err();
    match err {
        Error::NotABoardFile { path: p, reason } => {
            assert_eq!(p, path);
            assert!(reason.contains("signature"), "{reason}");
        }
        other => panic!("expected NotABoardFile, got {other:?}"),
    }
}

#[test]
fn a_truncated_or_damaged_board_file_is_refused_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let board = library.create_board("B", None, 1).unwrap();
    library
        .append_updates(board.id, &[support::text_update(1, "Inhalt")], 2)
        .unwrap();
    let good = dir.path().join("good.stellwand");
    library.export_board_file(board.id, &good, 3).unwrap();
    let bytes = fs::read(&good).unwrap();
    assert!(bytes.starts_with(MAGIC));

    let truncated = dir.path().join("truncated.stellwand");
    fs::write(&truncated, &bytes[..bytes.len() - 10]).unwrap();
    let damaged = dir.path().join("damaged.stellwand");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    fs::write(&damaged, &flipped).unwrap();
    let empty = dir.path().join("empty.stellwand");
    fs::write(&empty, b"").unwrap();

    for path in [&truncated, &damaged, &empty] {
        let err = library.import_board_file(path, 4).unwrap_err();
        assert!(
            matches!(&err, Error::NotABoardFile { path: p, .. } if p == path),
            "{err:?}"
        );
    }
    assert_eq!(library.list_boards(&Default::default()).unwrap().len(), 1);
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let path = dir.path().join("gone.stellwand");
    assert!(matches!(
        library.import_board_file(&path, 1),
        Err(Error::Io { .. })
    ));
}

#[test]
fn a_checksummed_file_with_a_state_that_is_not_a_yrs_update_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.stellwand");
    let mut file = BoardFile {
        header: board_file::BoardFileHeader {
            id: stellwand_store::BoardId::new(),
            title: "x".into(),
            folder: None,
            created_at: 0,
            updated_at: 0,
            exported_at: 0,
            state_encoding: board_file::STATE_ENCODING_V1.into(),
        },
        state: b"garbage!".to_vec(),
    };
    board_file::write(&path, &file).unwrap();
    assert!(matches!(
        board_file::read(&path),
        Err(Error::NotABoardFile { .. })
    ));
    file.state = support::text_update(1, "ok");
    board_file::write(&path, &file).unwrap();
    assert_eq!(board_file::read(&path).unwrap(), file);
}

#[test]
fn a_board_file_whose_state_claims_huge_counts_is_refused_without_allocating() {
    // A state of four bytes claiming 2^28 client blocks: yrs would reserve
    // hundreds of MiB for it.
    let dir = tempfile::tempdir().unwrap();
    let library = stellwand_store::Library::open(dir.path()).unwrap();
    let board = library.create_board("B", None, 0).unwrap().id;
    let path = dir.path().join("b.stellwand");
    library.export_board_file(board, &path, 0).unwrap();
    let mut file = stellwand_store::board_file::read(&path).unwrap();
    file.state = vec![0x80, 0x80, 0x80, 0x01];
    let bytes = file.to_bytes().unwrap();
    let err = stellwand_store::board_file::BoardFile::from_bytes(&bytes).unwrap_err();
    assert!(err.contains("not a valid update"), "{err}");
}
