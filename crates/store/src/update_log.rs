//! The `updates` table: each board's append-only log of yrs updates.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, SqlContext};
use crate::ids::BoardId;
use crate::sql::Id;
use crate::{boards, seq_from_sql, snapshots, Library};
use crate::{LoadedBoard, LogEntry};

/// The size of a board's log, to decide when to compact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogStats {
    /// Number of log entries.
    pub entries: u64,
    /// Sum of their sizes in bytes.
    pub bytes: u64,
}

impl Library {
    /// Appends `updates` to the board's log in one transaction, which also
    /// sets the board's `updated_at` to `now` (it never goes back). Once
    /// this returns `Ok`, the updates are durably stored and the edit may be
    /// acknowledged.
    ///
    /// Returns the seq of the last appended entry (for an empty slice, the
    /// seq of the board's newest entry, or 0).
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`] (nothing was stored).
    pub fn append_updates<U: AsRef<[u8]>>(
        &self,
        board: BoardId,
        updates: &[U],
        now: i64,
    ) -> Result<u64> {
        let what = || format!("appending updates to board {board}");
        let tx = self.write_tx(what)?;
        if !touch_board(&tx, board, now)? {
            return Err(Error::BoardNotFound { board });
        }
        let mut last = None;
        for update in updates {
            last = Some(insert(&tx, board, update.as_ref())?);
        }
        let last = match last {
            Some(seq) => seq,
            None => last_seq(&tx, board)?.unwrap_or(0),
        };
        tx.commit().context(what)?;
        Ok(last)
    }

    /// The board's snapshot and log, read in one consistent view.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn load_board(&self, board: BoardId) -> Result<LoadedBoard> {
        let what = || format!("loading board {board}");
        let tx = self.read_tx(what)?;
        if !boards::exists(&tx, board)? {
            return Err(Error::BoardNotFound { board });
        }
        let snapshot = snapshots::get(&tx, board)?.map(|snapshot| snapshot.state);
        let updates = entries(&tx, board, None)?;
        tx.commit().context(what)?;
        Ok(LoadedBoard { snapshot, updates })
    }

    /// How many entries, and bytes, the board's log holds.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn log_stats(&self, board: BoardId) -> Result<LogStats> {
        if !boards::exists(&self.conn, board)? {
            return Err(Error::BoardNotFound { board });
        }
        let (entries, bytes): (i64, i64) = self
            .conn
            .query_row(
                "SELECT count(*), coalesce(sum(length(data)), 0) FROM updates WHERE board_id = ?1",
                params![Id(board)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .context(|| format!("measuring the log of board {board}"))?;
        Ok(LogStats {
            entries: u64::try_from(entries).unwrap_or(0),
            bytes: u64::try_from(bytes).unwrap_or(0),
        })
    }
}

/// Appends one update; returns its seq. The caller holds a write
/// transaction and has checked that the board exists.
pub(crate) fn insert(conn: &Connection, board: BoardId, data: &[u8]) -> Result<u64> {
    let mut stmt = conn
        .prepare_cached("INSERT INTO updates (board_id, data) VALUES (?1, ?2)")
        .context(|| format!("appending to board {board}"))?;
    stmt.execute(params![Id(board), data])
        .context(|| format!("appending to board {board}"))?;
    seq_from_sql(conn.last_insert_rowid())
}

/// Sets the board's `updated_at` to at least `now`; false if there is no
/// such board.
pub(crate) fn touch_board(conn: &Connection, board: BoardId, now: i64) -> Result<bool> {
    let mut stmt = conn
        .prepare_cached("UPDATE boards SET updated_at = max(updated_at, ?2) WHERE id = ?1")
        .context(|| format!("touching board {board}"))?;
    let changed = stmt
        .execute(params![Id(board), now])
        .context(|| format!("touching board {board}"))?;
    Ok(changed > 0)
}

/// The board's log entries, oldest first, up to `upto` if given.
pub(crate) fn entries(
    conn: &Connection,
    board: BoardId,
    upto: Option<u64>,
) -> Result<Vec<LogEntry>> {
    let upto = upto.map_or(i64::MAX, crate::seq_to_sql);
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, data FROM updates WHERE board_id = ?1 AND seq <= ?2 ORDER BY seq",
        )
        .context(|| format!("reading the log of board {board}"))?;
    let rows = stmt
        .query_map(params![Id(board), upto], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
        })
        .context(|| format!("reading the log of board {board}"))?;
    let mut entries = Vec::new();
    for row in rows {
        let (seq, data) = row.context(|| format!("reading the log of board {board}"))?;
        entries.push(LogEntry {
            seq: seq_from_sql(seq)?,
            data,
        });
    }
    Ok(entries)
}

fn last_seq(conn: &Connection, board: BoardId) -> Result<Option<u64>> {
    let seq: Option<i64> = conn
        .query_row(
            "SELECT max(seq) FROM updates WHERE board_id = ?1",
            params![Id(board)],
            |row| row.get(0),
        )
        .context(|| format!("reading the log of board {board}"))?;
    seq.map(seq_from_sql).transpose()
}

/// Deletes the board's entries with `from < seq <= to`.
pub(crate) fn delete_range(conn: &Connection, board: BoardId, from: u64, to: u64) -> Result<usize> {
    conn.prepare_cached("DELETE FROM updates WHERE board_id = ?1 AND seq > ?2 AND seq <= ?3")
        .and_then(|mut stmt| {
            stmt.execute(params![
                Id(board),
                crate::seq_to_sql(from),
                crate::seq_to_sql(to)
            ])
        })
        .context(|| format!("trimming the log of board {board}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_updates_load_back_in_order_and_touch_the_board() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let other = library.create_board("Other", None, 1).unwrap();
        let first = library.append_updates(board.id, &[b"a", b"b"], 5).unwrap();
        library.append_updates(other.id, &[b"x"], 6).unwrap();
        let last = library
            .append_updates(board.id, &[vec![1u8, 2, 3]], 7)
            .unwrap();
        assert!(last > first);

        let loaded = library.load_board(board.id).unwrap();
        assert_eq!(loaded.snapshot, None);
        let data: Vec<&[u8]> = loaded.updates.iter().map(|e| e.data.as_slice()).collect();
        assert_eq!(data, [&b"a"[..], b"b", &[1, 2, 3]]);
        assert_eq!(loaded.last_seq(), Some(last));
        assert_eq!(library.board(board.id).unwrap().updated_at, 7);
        assert_eq!(
            library.log_stats(board.id).unwrap(),
            LogStats {
                entries: 3,
                bytes: 5
            }
        );
    }

    #[test]
    fn updated_at_never_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 100).unwrap();
        library.append_updates(board.id, &[b"a"], 50).unwrap();
        assert_eq!(library.board(board.id).unwrap().updated_at, 100);
    }

    #[test]
    fn appending_to_an_unknown_board_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let err = library
            .append_updates(BoardId::new(), &[b"a"], 1)
            .unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
        let rows: i64 = library
            .conn
            .query_row("SELECT count(*) FROM updates", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 0);
        assert!(library
            .load_board(BoardId::new())
            .unwrap_err()
            .is_not_found());
    }
}
