//! The `snapshots` table: at most one compacted state per board.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Result, SqlContext};
use crate::ids::BoardId;
use crate::sql::Id;
use crate::{seq_from_sql, seq_to_sql};

/// A board's compacted state.
pub(crate) struct Snapshot {
    /// The highest log seq this state was built from (0 if it came from
    /// elsewhere, e.g. an imported board file).
    pub upto_seq: u64,
    pub state: Vec<u8>,
}

pub(crate) fn get(conn: &Connection, board: BoardId) -> Result<Option<Snapshot>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT upto_seq, state FROM snapshots WHERE board_id = ?1")
        .and_then(|mut stmt| {
            stmt.query_row(params![Id(board)], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .context(|| format!("reading the snapshot of board {board}"))?;
    row.map(|(upto_seq, state)| {
        Ok(Snapshot {
            upto_seq: seq_from_sql(upto_seq)?,
            state,
        })
    })
    .transpose()
}

/// The `upto_seq` of the board's snapshot, without reading the state.
pub(crate) fn upto_seq(conn: &Connection, board: BoardId) -> Result<Option<u64>> {
    let seq: Option<i64> = conn
        .query_row(
            "SELECT upto_seq FROM snapshots WHERE board_id = ?1",
            params![Id(board)],
            |row| row.get(0),
        )
        .optional()
        .context(|| format!("reading the snapshot of board {board}"))?;
    seq.map(seq_from_sql).transpose()
}

pub(crate) fn put(
    conn: &Connection,
    board: BoardId,
    upto_seq: u64,
    state: &[u8],
    now: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO snapshots (board_id, upto_seq, state, created_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (board_id) DO UPDATE SET \
             upto_seq = excluded.upto_seq, state = excluded.state, created_at = excluded.created_at",
        params![Id(board), seq_to_sql(upto_seq), state, now],
    )
    .context(|| format!("saving the snapshot of board {board}"))?;
    Ok(())
}
