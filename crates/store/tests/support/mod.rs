//! Helpers shared by the store's integration tests.
#![allow(dead_code, clippy::unwrap_used)] // test code: a failed step is a failed test

use std::path::Path;

use rusqlite::Connection;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact};

/// Every schema object with its SQL, and `user_version`.
pub fn schema_of(db: &Path) -> (Vec<(String, String, Option<String>)>, i64) {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap();
    let objects = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let version = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    (objects, version)
}

/// A v1 update that inserts `text` into the shared text "t" of a document
/// of its own (so updates from different calls do not depend on each other).
pub fn text_update(client: u64, text: &str) -> Vec<u8> {
    let doc = Doc::with_client_id(client);
    let t = doc.get_or_insert_text("t");
    t.insert(&mut doc.transact_mut(), 0, text);
    let state = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    state
}

/// The text "t" after applying a snapshot and log entries.
pub fn text_of(snapshot: Option<&[u8]>, updates: &[Vec<u8>]) -> String {
    use yrs::updates::decoder::Decode;
    let doc = Doc::new();
    let t = doc.get_or_insert_text("t");
    for data in snapshot
        .into_iter()
        .chain(updates.iter().map(Vec::as_slice))
    {
        let update = yrs::Update::decode_v1(data).unwrap();
        doc.transact_mut().apply_update(update).unwrap();
    }
    let txn = doc.transact();
    t.get_string(&txn)
}

/// Whether this process can write `path` (a directory or a file) despite
/// its permission bits, as root can.
pub fn ignores_permissions(path: &Path) -> bool {
    if path.is_dir() {
        let probe = path.join(".probe");
        let writable = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        writable
    } else {
        std::fs::OpenOptions::new().append(true).open(path).is_ok()
    }
}
