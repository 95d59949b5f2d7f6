//! Compaction: folding a board's log into its snapshot.
//!
//! The log is applied to a yrs document and the document's state is
//! re-encoded; that is several times faster than merging update blobs and
//! drops whatever yrs garbage-collects. The new snapshot is written and the
//! covered log rows are deleted in one transaction, so a crash leaves either
//! the old snapshot and the full log or the new snapshot and the rest of
//! the log. Rows appended while the document was being built have a higher
//! seq and are never touched.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::{Deserialize, Serialize};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use crate::error::{Error, Result, SqlContext};
use crate::ids::BoardId;
use crate::update_log;
use crate::{boards, snapshots, Library, LogEntry};

/// A log entry that could not be applied. It stays in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedUpdate {
    /// The entry's seq.
    pub seq: u64,
    /// Why it was skipped (the decoder's message).
    pub reason: String,
}

/// What [`Library::compact`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactionReport {
    /// Log entries folded into the snapshot and removed from the log.
    pub applied: usize,
    /// Entries that could not be applied; they are kept in the log.
    pub skipped: Vec<SkippedUpdate>,
    /// Snapshot plus log entries considered, in bytes, before compaction.
    pub bytes_before: u64,
    /// New snapshot plus skipped entries, in bytes.
    pub bytes_after: u64,
}

/// A document state rebuilt from a snapshot and log entries.
pub(crate) struct Rebuilt {
    /// The yrs v1 encoding of the whole state.
    pub state: Vec<u8>,
    pub applied: usize,
    pub skipped: Vec<SkippedUpdate>,
}

/// Applies `snapshot` and then `entries` to a fresh document and encodes
/// its state. An entry that does not decode or apply is skipped and
/// reported; a snapshot that does not is an error, because dropping it would
/// lose the board.
pub(crate) fn rebuild(
    board: BoardId,
    snapshot: Option<&[u8]>,
    entries: &[LogEntry],
) -> Result<Rebuilt> {
    let doc = Doc::new();
    if let Some(state) = snapshot {
        apply(&doc, state).map_err(|reason| Error::UndecodableSnapshot { board, reason })?;
    }
    let mut applied = 0;
    let mut skipped = Vec::new();
    for entry in entries {
        match apply(&doc, &entry.data) {
            Ok(()) => applied += 1,
            Err(reason) => skipped.push(SkippedUpdate {
                seq: entry.seq,
                reason,
            }),
        }
    }
    let state = catch_unwind(AssertUnwindSafe(|| {
        doc.transact()
            .encode_state_as_update_v1(&StateVector::default())
    }))
    .map_err(|_| Error::UndecodableSnapshot {
        board,
        reason: "encoding the rebuilt state failed".into(),
    })?;
    Ok(Rebuilt {
        state,
        applied,
        skipped,
    })
}

/// Decodes and applies one v1 update. The decoder is fed bytes from disk,
/// so a panic inside yrs is caught and reported like a decoding error.
fn apply(doc: &Doc, data: &[u8]) -> Result<(), String> {
    stellwand_board::validate::validate_update_v1(data)
        .map_err(|e| format!("not a valid yrs v1 update: {e}"))?;
    let update = catch_unwind(|| Update::decode_v1(data))
        .map_err(|_| "the decoder panicked".to_owned())?
        .map_err(|e| format!("not a yrs v1 update: {e}"))?;
    catch_unwind(AssertUnwindSafe(|| doc.transact_mut().apply_update(update)))
        .map_err(|_| "applying the update panicked".to_owned())?
        .map_err(|e| format!("cannot apply the update: {e}"))
}

impl Library {
    /// Folds the board's log into its snapshot.
    ///
    /// Entries that cannot be decoded are reported in
    /// [`CompactionReport::skipped`], kept in the log and do not stop the
    /// others. Entries appended while this runs are kept too. With an empty
    /// log this does nothing.
    ///
    /// The document is built outside the write lock, so other writers are
    /// only held up for the final write.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`]; [`Error::UndecodableSnapshot`] if the
    /// existing snapshot cannot be read (nothing is changed);
    /// [`Error::CompactionConflict`] if another compaction of the board
    /// committed meanwhile (nothing is changed; try again);
    /// [`Error::Sqlite`].
    pub fn compact(&self, board: BoardId, now: i64) -> Result<CompactionReport> {
        let what = || format!("compacting board {board}");

        // 1. A consistent read of the snapshot and the log as it is now.
        let tx = self.read_tx(what)?;
        if !boards::exists(&tx, board)? {
            return Err(Error::BoardNotFound { board });
        }
        let snapshot = snapshots::get(&tx, board)?;
        let entries = update_log::entries(&tx, board, None)?;
        tx.commit().context(what)?;

        let Some(upto) = entries.last().map(|entry| entry.seq) else {
            let size = snapshot.as_ref().map_or(0, |s| len_u64(&s.state));
            return Ok(CompactionReport {
                bytes_before: size,
                bytes_after: size,
                ..CompactionReport::default()
            });
        };
        let old_upto = snapshot.as_ref().map(|s| s.upto_seq);
        let bytes_before = snapshot.as_ref().map_or(0, |s| len_u64(&s.state))
            + entries.iter().map(|e| len_u64(&e.data)).sum::<u64>();

        // 2. The new state, built without holding any lock.
        let rebuilt = rebuild(
            board,
            snapshot.as_ref().map(|s| s.state.as_slice()),
            &entries,
        )?;
        drop(snapshot);

        // 3. Swap in one transaction.
        let tx = self.write_tx(what)?;
        if !boards::exists(&tx, board)? {
            return Err(Error::BoardNotFound { board });
        }
        if snapshots::upto_seq(&tx, board)? != old_upto {
            return Err(Error::CompactionConflict { board });
        }
        snapshots::put(&tx, board, upto, &rebuilt.state, now)?;
        // Delete the covered rows in the gaps between skipped ones.
        let mut from = 0;
        for skipped in &rebuilt.skipped {
            update_log::delete_range(&tx, board, from, skipped.seq.saturating_sub(1))?;
            from = skipped.seq;
        }
        update_log::delete_range(&tx, board, from, upto)?;
        tx.commit().context(what)?;

        let skipped_bytes: u64 = entries
            .iter()
            .filter(|e| rebuilt.skipped.iter().any(|s| s.seq == e.seq))
            .map(|e| len_u64(&e.data))
            .sum();
        Ok(CompactionReport {
            applied: rebuilt.applied,
            bytes_before,
            bytes_after: len_u64(&rebuilt.state) + skipped_bytes,
            skipped: rebuilt.skipped,
        })
    }
}

fn len_u64(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{GetString, Text};

    /// Returns updates that each insert `text` at the end of the shared
    /// text "t", as separate v1 updates.
    fn text_updates(parts: &[&str]) -> Vec<Vec<u8>> {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("t");
        let mut updates = Vec::new();
        for part in parts {
            let before = doc.transact().state_vector();
            {
                let mut txn = doc.transact_mut();
                let len = text.len(&txn);
                text.insert(&mut txn, len, part);
            }
            updates.push(doc.transact().encode_state_as_update_v1(&before));
        }
        updates
    }

    fn text_of(loaded: &crate::LoadedBoard) -> String {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("t");
        if let Some(state) = &loaded.snapshot {
            apply(&doc, state).unwrap();
        }
        for entry in &loaded.updates {
            let _ = apply(&doc, &entry.data);
        }
        let txn = doc.transact();
        text.get_string(&txn)
    }

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        (dir, library)
    }

    #[test]
    fn compaction_folds_the_log_into_a_snapshot_with_the_same_content() {
        let (_dir, library) = library();
        let board = library.create_board("B", None, 1).unwrap();
        library
            .append_updates(board.id, &text_updates(&["Hallo", " ", "Welt"]), 2)
            .unwrap();

        let report = library.compact(board.id, 3).unwrap();
        assert_eq!(report.applied, 3);
        assert!(report.skipped.is_empty());
        assert!(report.bytes_before > 0 && report.bytes_after > 0);

        let loaded = library.load_board(board.id).unwrap();
        assert!(loaded.snapshot.is_some());
        assert!(loaded.updates.is_empty());
        assert_eq!(text_of(&loaded), "Hallo Welt");

        // Compacting again on top of the snapshot keeps everything.
        library
            .append_updates(
                board.id,
                &[text_updates(&["Hallo", " ", "Welt", "!"])[3].clone()],
                4,
            )
            .unwrap();
        library.compact(board.id, 5).unwrap();
        let loaded = library.load_board(board.id).unwrap();
        assert!(loaded.updates.is_empty());
        assert_eq!(text_of(&loaded), "Hallo Welt!");
    }

    #[test]
    fn an_undecodable_update_is_reported_and_kept_while_everything_else_is_compacted() {
        let (_dir, library) = library();
        let board = library.create_board("B", None, 1).unwrap();
        let updates = text_updates(&["a", "b", "c"]);
        library.append_updates(board.id, &updates[..1], 2).unwrap();
        let bad_seq = library
            .append_updates(board.id, &[&b"garbage!"[..]], 2)
            .unwrap();
        library.append_updates(board.id, &updates[1..], 2).unwrap();

        let report = library.compact(board.id, 3).unwrap();
        assert_eq!(report.applied, 3);
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.skipped[0].seq, bad_seq);

        let loaded = library.load_board(board.id).unwrap();
        assert_eq!(loaded.updates.len(), 1, "only the bad entry remains");
        assert_eq!(loaded.updates[0].seq, bad_seq);
        assert_eq!(loaded.updates[0].data, b"garbage!");
        assert_eq!(text_of(&loaded), "abc");

        // A second compaction reports it again and still keeps it.
        let again = library.compact(board.id, 4).unwrap();
        assert_eq!(again.skipped.len(), 1);
        assert_eq!(library.load_board(board.id).unwrap().updates.len(), 1);
    }

    #[test]
    fn updates_appended_during_compaction_survive() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let writer = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let updates = text_updates(&["a", "b", "c", "d"]);
        library.append_updates(board.id, &updates[..2], 2).unwrap();

        // Read the way compaction does, let another connection append, then
        // finish: the step-by-step version of compact().
        let tx = library.read_tx(String::new).unwrap();
        let entries = update_log::entries(&tx, board.id, None).unwrap();
        tx.commit().unwrap();
        let late = writer.append_updates(board.id, &updates[2..], 3).unwrap();
        let upto = entries.last().unwrap().seq;
        assert!(late > upto);
        let rebuilt = rebuild(board.id, None, &entries).unwrap();
        let tx = library.write_tx(String::new).unwrap();
        snapshots::put(&tx, board.id, upto, &rebuilt.state, 4).unwrap();
        update_log::delete_range(&tx, board.id, 0, upto).unwrap();
        tx.commit().unwrap();

        let loaded = library.load_board(board.id).unwrap();
        assert_eq!(loaded.updates.len(), 2);
        assert_eq!(loaded.last_seq(), Some(late));
        assert_eq!(text_of(&loaded), "abcd");

        // And compact() itself, racing a writer thread, never loses one.
        let path = dir.path().to_path_buf();
        let appender = std::thread::spawn(move || {
            let writer = Library::open(&path).unwrap();
            let more = text_updates(&["a", "b", "c", "d", "e", "f", "g", "h"]);
            for update in &more[4..] {
                writer.append_updates(board.id, &[update], 5).unwrap();
            }
        });
        for _ in 0..4 {
            match library.compact(board.id, 6) {
                Ok(_) | Err(Error::CompactionConflict { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
        appender.join().unwrap();
        library.compact(board.id, 7).unwrap();
        assert_eq!(text_of(&library.load_board(board.id).unwrap()), "abcdefgh");
    }

    #[test]
    fn a_damaged_snapshot_stops_compaction_without_changing_anything() {
        let (_dir, library) = library();
        let board = library.create_board("B", None, 1).unwrap();
        snapshots::put(&library.conn, board.id, 0, b"\xff\xff\xff\xff\x0f", 1).unwrap();
        library
            .append_updates(board.id, &text_updates(&["a"]), 2)
            .unwrap();
        let before = library.load_board(board.id).unwrap();
        let err = library.compact(board.id, 3).unwrap_err();
        assert!(matches!(err, Error::UndecodableSnapshot { .. }), "{err:?}");
        assert_eq!(library.load_board(board.id).unwrap(), before);
    }

    #[test]
    fn compacting_an_empty_log_changes_nothing() {
        let (_dir, library) = library();
        let board = library.create_board("B", None, 1).unwrap();
        let report = library.compact(board.id, 2).unwrap();
        assert_eq!(report, CompactionReport::default());
        assert_eq!(library.load_board(board.id).unwrap().snapshot, None);
    }
}
