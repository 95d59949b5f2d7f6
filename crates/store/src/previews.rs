//! The start screen's data: when boards were last opened, and a small
//! preview picture of each (the `previews` table, `boards.opened_at`).

use rusqlite::{params, OptionalExtension};

use crate::boards;
use crate::error::{Error, Result, SqlContext};
use crate::ids::BoardId;
use crate::sql::Id;
use crate::{BoardMeta, Library};

impl Library {
    /// Records that the board was opened at `now`.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn mark_opened(&self, board: BoardId, now: i64) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE boards SET opened_at = ?2 WHERE id = ?1",
                params![Id(board), now],
            )
            .context(|| format!("recording that board {board} was opened"))?;
        if changed == 0 {
            return Err(Error::BoardNotFound { board });
        }
        Ok(())
    }

    /// The boards opened most recently, newest first, at most `limit`;
    /// boards in the trash are left out.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`].
    pub fn recent_boards(&self, limit: usize) -> Result<Vec<BoardMeta>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut boards = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id FROM boards WHERE opened_at IS NOT NULL AND deleted_at IS NULL \
                 ORDER BY opened_at DESC, id LIMIT ?1",
            )
            .context(|| "listing recent boards".into())?;
        let ids = stmt
            .query_map(params![limit], |row| {
                row.get::<_, Id<BoardId>>(0).map(|id| id.0)
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .context(|| "listing recent boards".into())?;
        for id in ids {
            if let Some(meta) = boards::get(&self.conn, id)? {
                boards.push(meta);
            }
        }
        Ok(boards)
    }

    /// Stores the board's preview picture (SVG text), replacing the old one.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn set_preview(&self, board: BoardId, svg: &str, now: i64) -> Result<()> {
        if boards::get(&self.conn, board)?.is_none() {
            return Err(Error::BoardNotFound { board });
        }
        self.conn
            .execute(
                "INSERT INTO previews (board_id, svg, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (board_id) DO UPDATE SET svg = excluded.svg, updated_at = excluded.updated_at",
                params![Id(board), svg, now],
            )
            .context(|| format!("storing the preview of board {board}"))?;
        Ok(())
    }

    /// The board's preview picture, if one was stored.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`].
    pub fn preview(&self, board: BoardId) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT svg FROM previews WHERE board_id = ?1",
                params![Id(board)],
                |row| row.get(0),
            )
            .optional()
            .context(|| format!("reading the preview of board {board}"))
    }
}

#[cfg(test)]
mod tests {
    use crate::Library;

    #[test]
    fn recently_opened_boards_come_newest_first_without_the_trash() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let a = library.create_board("A", None, 0).unwrap().id;
        let b = library.create_board("B", None, 0).unwrap().id;
        let c = library.create_board("C", None, 0).unwrap().id;
        library.mark_opened(a, 10).unwrap();
        library.mark_opened(b, 30).unwrap();
        library.mark_opened(c, 20).unwrap();
        library.trash_board(c, 40).unwrap();
        let recent: Vec<String> = library
            .recent_boards(10)
            .unwrap()
            .into_iter()
            .map(|m| m.title)
            .collect();
        assert_eq!(recent, ["B", "A"]);
        assert_eq!(library.recent_boards(1).unwrap().len(), 1);
        assert_eq!(library.board(a).unwrap().opened_at, Some(10));
    }

    #[test]
    fn a_preview_is_replaced_and_goes_with_its_board() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let a = library.create_board("A", None, 0).unwrap().id;
        assert_eq!(library.preview(a).unwrap(), None);
        library.set_preview(a, "<svg>1</svg>", 1).unwrap();
        library.set_preview(a, "<svg>2</svg>", 2).unwrap();
        assert_eq!(library.preview(a).unwrap().as_deref(), Some("<svg>2</svg>"));
        library.trash_board(a, 3).unwrap();
        library.purge_board(a).unwrap();
        assert_eq!(library.preview(a).unwrap(), None);
        let missing = crate::BoardId::new();
        assert!(library
            .set_preview(missing, "<svg/>", 4)
            .unwrap_err()
            .is_not_found());
        assert!(library.mark_opened(missing, 4).unwrap_err().is_not_found());
    }
}
