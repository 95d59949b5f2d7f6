//! Several connections and processes writing one library at once.

#![allow(clippy::unwrap_used)] // test code: a failed step is a failed test

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use stellwand_store::{BoardId, Library};

const CHILD_ENV: &str = "STELLWAND_STORE_TEST_CHILD";

/// Appends `count` updates, each in its own transaction, tagged with `tag`.
fn hammer(dir: &Path, board: BoardId, tag: u8, count: u32) {
    let library = Library::open(dir).unwrap();
    for i in 0..count {
        let mut data = vec![tag];
        data.extend_from_slice(&i.to_le_bytes());
        library
            .append_updates(board, &[data], i64::from(i))
            .unwrap();
    }
}

/// Checks that every tagged update is there exactly once, in order per tag.
fn assert_all_present(dir: &Path, board: BoardId, tags: &[u8], count: u32) {
    let library = Library::open(dir).unwrap();
    let loaded = library.load_board(board).unwrap();
    assert_eq!(loaded.updates.len(), tags.len() * count as usize);
    for &tag in tags {
        let seen: Vec<u32> = loaded
            .updates
            .iter()
            .filter(|e| e.data[0] == tag)
            .map(|e| u32::from_le_bytes(e.data[1..5].try_into().unwrap()))
            .collect();
        assert_eq!(seen, (0..count).collect::<Vec<_>>(), "tag {tag}");
    }
}

#[test]
fn two_connections_appending_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let board = Library::open(dir.path())
        .unwrap()
        .create_board("B", None, 0)
        .unwrap()
        .id;
    let threads: Vec<_> = [1u8, 2, 3]
        .into_iter()
        .map(|tag| {
            let dir: PathBuf = dir.path().to_path_buf();
            std::thread::spawn(move || hammer(&dir, board, tag, 300))
        })
        .collect();
    // A fourth connection reads and changes metadata meanwhile.
    let library = Library::open(dir.path()).unwrap();
    for i in 0..50 {
        library.rename_board(board, &format!("B {i}"), 0).unwrap();
        library.load_board(board).unwrap();
    }
    for thread in threads {
        thread.join().unwrap();
    }
    assert_all_present(dir.path(), board, &[1, 2, 3], 300);
}

#[test]
fn committers_and_direct_appends_from_several_connections_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let board = library.create_board("B", None, 0).unwrap().id;
    let first = library.committer().unwrap();
    let second = Library::open(dir.path()).unwrap().committer().unwrap();
    let direct = {
        let dir = dir.path().to_path_buf();
        std::thread::spawn(move || hammer(&dir, board, 3, 200))
    };
    let receipts: Vec<_> = (0..2000u32)
        .flat_map(|i| {
            let mut a = vec![1u8];
            a.extend_from_slice(&i.to_le_bytes());
            let mut b = vec![2u8];
            b.extend_from_slice(&i.to_le_bytes());
            [first.submit(board, a, 1), second.submit(board, b, 1)]
        })
        .collect();
    for receipt in receipts {
        receipt.wait().unwrap();
    }
    direct.join().unwrap();
    drop((first, second));
    let loaded = library.load_board(board).unwrap();
    assert_eq!(loaded.updates.len(), 4200);
    let library = Library::open(dir.path()).unwrap();
    let ones = library
        .load_board(board)
        .unwrap()
        .updates
        .iter()
        .filter(|e| e.data[0] == 1)
        .count();
    assert_eq!(ones, 2000);
}

#[test]
fn several_connections_opening_a_new_library_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let library = Library::open(&dir).unwrap();
                library.create_board(&format!("B{i}"), None, 0).unwrap();
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.list_boards(&Default::default()).unwrap().len(), 4);
}

/// Run as a child process by the test below; does nothing on its own.
#[test]
fn child_writer() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.split('|');
    let dir = PathBuf::from(parts.next().unwrap());
    let board: BoardId = parts.next().unwrap().parse().unwrap();
    let tag: u8 = parts.next().unwrap().parse().unwrap();
    let count: u32 = parts.next().unwrap().parse().unwrap();
    hammer(&dir, board, tag, count);
}

#[test]
fn two_processes_appending_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let board = Library::open(dir.path())
        .unwrap()
        .create_board("B", None, 0)
        .unwrap()
        .id;
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = [1u8, 2]
        .into_iter()
        .map(|tag| {
            Command::new(&exe)
                .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
                .env(
                    CHILD_ENV,
                    format!("{}|{board}|{tag}|400", dir.path().display()),
                )
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        let status = child.wait().unwrap();
        assert!(status.success(), "child failed: {status}");
    }
    assert_all_present(dir.path(), board, &[1, 2], 400);
}

/// Run as a child process by the test below: checks from another process
/// that the board holds exactly the expected number of updates.
#[test]
fn child_reader() {
    let Ok(spec) = std::env::var(CHILD_READER_ENV) else {
        return;
    };
    let mut parts = spec.split('|');
    let dir = PathBuf::from(parts.next().unwrap());
    let board: BoardId = parts.next().unwrap().parse().unwrap();
    let expected: usize = parts.next().unwrap().parse().unwrap();
    let library = Library::open(&dir).unwrap();
    assert_eq!(library.load_board(board).unwrap().updates.len(), expected);
}

const CHILD_READER_ENV: &str = "STELLWAND_STORE_TEST_CHILD_READER";

fn run_child(env: &str, spec: String, name: &str) {
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(env, spec)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{name} failed: {status}");
}

/// Opening the library a second time in one process (the app's workspace
/// and its committer, a server's store and its token checker) must not
/// release the first connection's file locks: otherwise another process
/// closing the library takes itself for the last user, deletes the
/// write-ahead log, and this process's later commits go to a file nobody
/// else can see (and are lost if it is killed).
#[test]
fn opening_the_library_again_in_one_process_keeps_other_processes_in_sync() {
    let dir = tempfile::tempdir().unwrap();
    let first = Library::open(dir.path()).unwrap();
    let board = first.create_board("B", None, 0).unwrap().id;
    let second = Library::open(dir.path()).unwrap();
    // Another process opens and closes the library.
    run_child(
        CHILD_ENV,
        format!("{}|{board}|9|0", dir.path().display()),
        "child_writer",
    );
    for i in 0..20u8 {
        first.append_updates(board, &[vec![1, i]], 1).unwrap();
        second.append_updates(board, &[vec![2, i]], 1).unwrap();
    }
    // Another process sees every commit while both connections are open.
    run_child(
        CHILD_READER_ENV,
        format!("{}|{board}|40", dir.path().display()),
        "child_reader",
    );
    drop((first, second));
}
