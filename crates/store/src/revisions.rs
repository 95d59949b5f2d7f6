//! The `revisions` table: named states of a board ("Stand nach Sitzung 3").
//!
//! A revision is a full yrs state, stored as given. Restoring one is done
//! above the store: the session diffs the revision into the live document
//! as a new change, so that restoring is itself undoable and syncs.

use rusqlite::{params, OptionalExtension, Row};

use crate::error::{Error, Result, SqlContext};
use crate::ids::{BoardId, RevisionId};
use crate::sql::Id;
use crate::RevisionMeta;
use crate::{boards, clean_name, Library};

fn revision_from_row(row: &Row<'_>) -> rusqlite::Result<RevisionMeta> {
    Ok(RevisionMeta {
        id: row.get::<_, Id<RevisionId>>("id")?.0,
        board: row.get::<_, Id<BoardId>>("board_id")?.0,
        name: row.get("name")?,
        created_at: row.get("created_at")?,
        size: row.get("size")?,
    })
}

const COLUMNS: &str = "id, board_id, name, created_at, length(state) AS size";

impl Library {
    /// Stores `state` (a yrs v1 state of the board) as a named revision.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`], [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn create_revision(
        &self,
        board: BoardId,
        name: &str,
        state: &[u8],
        now: i64,
    ) -> Result<RevisionMeta> {
        let name = clean_name(name, "revision name")?;
        let what = || format!("saving a revision of board {board}");
        let tx = self.write_tx(what)?;
        if !boards::exists(&tx, board)? {
            return Err(Error::BoardNotFound { board });
        }
        let id = RevisionId::new();
        tx.execute(
            "INSERT INTO revisions (id, board_id, name, state, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![Id(id), Id(board), name, state, now],
        )
        .context(what)?;
        tx.commit().context(what)?;
        Ok(RevisionMeta {
            id,
            board,
            name,
            created_at: now,
            size: u64::try_from(state.len()).unwrap_or(u64::MAX),
        })
    }

    /// The board's revisions, oldest first.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn list_revisions(&self, board: BoardId) -> Result<Vec<RevisionMeta>> {
        let what = || format!("listing revisions of board {board}");
        if !boards::exists(&self.conn, board)? {
            return Err(Error::BoardNotFound { board });
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM revisions WHERE board_id = ?1 ORDER BY created_at, id"
            ))
            .context(what)?;
        let rows = stmt
            .query_map(params![Id(board)], revision_from_row)
            .context(what)?;
        rows.collect::<rusqlite::Result<_>>().context(what)
    }

    /// The revision's metadata.
    ///
    /// # Errors
    ///
    /// [`Error::RevisionNotFound`], [`Error::Sqlite`].
    pub fn revision(&self, revision: RevisionId) -> Result<RevisionMeta> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM revisions WHERE id = ?1"),
                params![Id(revision)],
                revision_from_row,
            )
            .optional()
            .context(|| format!("reading revision {revision}"))?
            .ok_or(Error::RevisionNotFound { revision })
    }

    /// The state stored with a revision.
    ///
    /// # Errors
    ///
    /// [`Error::RevisionNotFound`], [`Error::Sqlite`].
    pub fn revision_state(&self, revision: RevisionId) -> Result<Vec<u8>> {
        self.conn
            .query_row(
                "SELECT state FROM revisions WHERE id = ?1",
                params![Id(revision)],
                |row| row.get(0),
            )
            .optional()
            .context(|| format!("reading revision {revision}"))?
            .ok_or(Error::RevisionNotFound { revision })
    }

    /// Gives a revision a new name.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`], [`Error::RevisionNotFound`], [`Error::Sqlite`].
    pub fn rename_revision(&self, revision: RevisionId, name: &str) -> Result<RevisionMeta> {
        let name = clean_name(name, "revision name")?;
        let changed = self
            .conn
            .execute(
                "UPDATE revisions SET name = ?2 WHERE id = ?1",
                params![Id(revision), name],
            )
            .context(|| format!("renaming revision {revision}"))?;
        if changed == 0 {
            return Err(Error::RevisionNotFound { revision });
        }
        self.revision(revision)
    }

    /// Deletes a revision. The board itself is not affected.
    ///
    /// # Errors
    ///
    /// [`Error::RevisionNotFound`], [`Error::Sqlite`].
    pub fn delete_revision(&self, revision: RevisionId) -> Result<()> {
        let deleted = self
            .conn
            .execute("DELETE FROM revisions WHERE id = ?1", params![Id(revision)])
            .context(|| format!("deleting revision {revision}"))?;
        if deleted == 0 {
            return Err(Error::RevisionNotFound { revision });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_keep_their_state_and_are_listed_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let first = library
            .create_revision(board.id, "Stand nach Sitzung 2", b"two", 10)
            .unwrap();
        let second = library
            .create_revision(board.id, "Stand nach Sitzung 3", b"three", 20)
            .unwrap();

        let listed = library.list_revisions(board.id).unwrap();
        assert_eq!(listed, [first.clone(), second.clone()]);
        assert_eq!(listed[1].size, 5);
        assert_eq!(library.revision_state(second.id).unwrap(), b"three");

        let renamed = library.rename_revision(first.id, "Sitzung 2").unwrap();
        assert_eq!(renamed.name, "Sitzung 2");
        library.delete_revision(first.id).unwrap();
        assert_eq!(library.list_revisions(board.id).unwrap(), [second]);
        assert!(library.revision_state(first.id).unwrap_err().is_not_found());
        assert!(library
            .delete_revision(first.id)
            .unwrap_err()
            .is_not_found());
    }

    #[test]
    fn revisions_of_unknown_boards_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let err = library
            .create_revision(BoardId::new(), "x", b"", 1)
            .unwrap_err();
        assert!(err.is_not_found());
    }
}
