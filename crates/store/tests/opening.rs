//! Opening libraries: migrations, refusing damaged or newer files, and
//! places that cannot be written.

#![allow(clippy::unwrap_used)] // test code: a failed step is a failed test

mod support;

use std::fs;
use std::path::Path;

use rusqlite::Connection;
use stellwand_store::{BoardFilter, BoardId, Error, Library, DATABASE_FILE_NAME, SCHEMA_VERSION};

fn fresh_schema() -> (Vec<(String, String, Option<String>)>, i64) {
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open(dir.path()).unwrap());
    support::schema_of(&dir.path().join(DATABASE_FILE_NAME))
}

/// The file's bytes, and the names of the files beside it.
fn snapshot_of(dir: &Path) -> (Vec<u8>, Vec<String>) {
    let bytes = fs::read(dir.join(DATABASE_FILE_NAME)).unwrap();
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (bytes, names)
}

#[test]
fn a_version_1_library_upgrades_to_the_fresh_schema_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("fixtures/library-v1.sql"))
            .unwrap();
    }

    let library = Library::open(dir.path()).unwrap();
    drop(library);
    assert_eq!(support::schema_of(&path), fresh_schema());

    let library = Library::open(dir.path()).unwrap();
    let folders: Vec<String> = library
        .list_folders()
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(folders, ["AG Strategie", "AG Technik"]);
    let board: BoardId = "0190f3a0-0000-7000-8000-0000000000b1".parse().unwrap();
    assert_eq!(library.board(board).unwrap().title, "Sitzung 3");
    assert_eq!(library.load_board(board).unwrap().updates.len(), 2);
    assert_eq!(library.list_revisions(board).unwrap().len(), 1);
    assert_eq!(library.list_trash().unwrap().len(), 1);
    assert_eq!(
        library
            .list_boards(&BoardFilter::everything())
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        library.get_setting("language").unwrap().as_deref(),
        Some("de")
    );
    // New appends continue the old sequence.
    let seq = library.append_updates(board, &[[0u8, 0]], 1).unwrap();
    assert_eq!(seq, 4);
}

#[test]
fn reopening_keeps_the_schema_and_version() {
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open(dir.path()).unwrap());
    drop(Library::open(dir.path()).unwrap());
    let (_, version) = support::schema_of(&dir.path().join(DATABASE_FILE_NAME));
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn a_library_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    {
        let library = Library::open(dir.path()).unwrap();
        library.create_board("Neu", None, 1).unwrap();
    }
    {
        let conn = Connection::open(dir.path().join(DATABASE_FILE_NAME)).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        conn.execute_batch("CREATE TABLE from_the_future (x INTEGER) STRICT")
            .unwrap();
    }
    let before = snapshot_of(dir.path());

    let err = Library::open(dir.path()).unwrap_err();
    match err {
        Error::IncompatibleSchema { found, supported } => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected IncompatibleSchema, got {other:?}"),
    }
    assert_eq!(snapshot_of(dir.path()), before);
}

#[test]
fn a_file_of_random_bytes_is_reported_corrupt_and_left_untouched() {
    use rand::{RngCore, SeedableRng};
    let seed = rand::random::<u64>();
    println!("seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0u8; 64 * 1024];
    rng.fill_bytes(&mut bytes);
    fs::write(dir.path().join(DATABASE_FILE_NAME), &bytes).unwrap();
    let before = snapshot_of(dir.path());

    let err = Library::open(dir.path()).unwrap_err();
    assert!(
        matches!(err, Error::Corrupt { ref path, .. } if path.ends_with(DATABASE_FILE_NAME)),
        "{err:?}"
    );
    assert_eq!(snapshot_of(dir.path()), before);
}

#[test]
fn random_bytes_after_a_valid_sqlite_header_are_reported_corrupt() {
    use rand::{RngCore, SeedableRng};
    let seed = rand::random::<u64>();
    println!("seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0u8; 64 * 1024];
    rng.fill_bytes(&mut bytes);
    bytes[..16].copy_from_slice(b"SQLite format 3\0");
    fs::write(dir.path().join(DATABASE_FILE_NAME), &bytes).unwrap();
    let before = snapshot_of(dir.path());

    let err = Library::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert_eq!(snapshot_of(dir.path()), before);
}

#[test]
fn a_truncated_library_is_reported_corrupt_and_left_untouched() {
    let source = tempfile::tempdir().unwrap();
    {
        let library = Library::open(source.path()).unwrap();
        for i in 0..50 {
            let board = library
                .create_board(&format!("Board {i}"), None, i)
                .unwrap();
            let updates: Vec<Vec<u8>> = (0..20).map(|_| vec![i as u8; 900]).collect();
            library.append_updates(board.id, &updates, i).unwrap();
        }
    }
    let full = fs::read(source.path().join(DATABASE_FILE_NAME)).unwrap();
    assert!(
        full.len() > 200 * 1024,
        "the library is large enough to cut"
    );

    for len in [50, 4096, full.len() / 2, full.len() - 4096] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(DATABASE_FILE_NAME), &full[..len]).unwrap();
        let before = snapshot_of(dir.path());
        let err = Library::open(dir.path()).unwrap_err();
        assert!(
            matches!(err, Error::Corrupt { .. }),
            "cut to {len}: {err:?}"
        );
        assert_eq!(snapshot_of(dir.path()), before, "cut to {len}");
    }
}

#[test]
fn a_library_under_a_file_cannot_be_created_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, b"x").unwrap();
    let wanted = blocker.join("library");
    let err = Library::open(&wanted).unwrap_err();
    match err {
        Error::Io { path, .. } => assert_eq!(path, wanted),
        other => panic!("expected Io, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_library_in_a_read_only_directory_is_refused_with_its_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if support::ignores_permissions(&locked) {
        eprintln!("skipped: this process ignores file permissions (root)");
        return;
    }
    let err = Library::open(&locked).unwrap_err();
    let path = match &err {
        Error::Io { path, .. } | Error::ReadOnly { path } => path.clone(),
        other => panic!("expected Io or ReadOnly, got {other:?}"),
    };
    assert!(path.starts_with(&locked), "{err:?}");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_empty_file_is_a_new_library() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(DATABASE_FILE_NAME), b"").unwrap();
    let library = Library::open(dir.path()).unwrap();
    library.create_board("B", None, 1).unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_library_file_is_refused_as_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open(dir.path()).unwrap());
    let file = dir.path().join(DATABASE_FILE_NAME);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    if support::ignores_permissions(&file) {
        eprintln!("skipped: this process ignores file permissions (root)");
        return;
    }
    let before = snapshot_of(dir.path());
    let err = Library::open(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::ReadOnly { path } if *path == file),
        "{err:?}"
    );
    assert_eq!(snapshot_of(dir.path()), before);
}
