//! The `boards` table: board metadata, archive and trash.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use crate::error::{Error, Result, SqlContext};
use crate::ids::{BoardId, FolderId};
use crate::sql::Id;
use crate::{clean_name, folders, Library};
use crate::{BoardFilter, BoardMeta, FolderFilter};
use stellwand_library::catalogue::titles_matching;

fn meta_from_row(row: &Row<'_>) -> rusqlite::Result<BoardMeta> {
    Ok(BoardMeta {
        id: row.get::<_, Id<BoardId>>("id")?.0,
        title: row.get("title")?,
        folder: row
            .get::<_, Option<Id<FolderId>>>("folder_id")?
            .map(|id| id.0),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        archived: row.get("archived")?,
        deleted_at: row.get("deleted_at")?,
        opened_at: row.get("opened_at")?,
    })
}

const COLUMNS: &str =
    "id, title, folder_id, created_at, updated_at, archived, deleted_at, opened_at";

impl Library {
    /// Creates an empty board.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`] for a blank title, [`Error::FolderNotFound`] if
    /// `folder` does not exist, [`Error::Sqlite`].
    pub fn create_board(
        &self,
        title: &str,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<BoardMeta> {
        let meta = BoardMeta {
            id: BoardId::new(),
            title: clean_name(title, "board title")?,
            folder,
            created_at: now,
            updated_at: now,
            archived: false,
            deleted_at: None,
            opened_at: None,
        };
        let tx = self.write_tx(|| "creating a board".into())?;
        insert(&tx, &meta)?;
        tx.commit()
            .context(|| format!("creating board {}", meta.id))?;
        Ok(meta)
    }

    /// The board with this id, created empty under `title` if the library
    /// does not hold it yet: for a board that arrives from another machine
    /// (a sync server, a join link) and keeps its id everywhere. Returns the
    /// board and whether it was created now. An existing board is returned
    /// as it is, wherever it is (archive and trash included).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`] for a blank title, [`Error::FolderNotFound`] if
    /// `folder` does not exist, [`Error::Sqlite`].
    pub fn ensure_board(
        &self,
        id: BoardId,
        title: &str,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<(BoardMeta, bool)> {
        let title = clean_name(title, "board title")?;
        let tx = self.write_tx(|| format!("creating board {id}"))?;
        if let Some(meta) = get(&tx, id)? {
            return Ok((meta, false));
        }
        let meta = BoardMeta {
            id,
            title,
            folder,
            created_at: now,
            updated_at: now,
            archived: false,
            deleted_at: None,
            opened_at: None,
        };
        insert(&tx, &meta)?;
        tx.commit().context(|| format!("creating board {id}"))?;
        Ok((meta, true))
    }

    /// The board with this id, wherever it is (archive and trash included).
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn board(&self, board: BoardId) -> Result<BoardMeta> {
        get(&self.conn, board)?.ok_or(Error::BoardNotFound { board })
    }

    /// The boards matching `filter`, most recently changed first.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`].
    pub fn list_boards(&self, filter: &BoardFilter) -> Result<Vec<BoardMeta>> {
        let mut sql = format!("SELECT {COLUMNS} FROM boards WHERE 1");
        let in_folder = match filter.folder {
            FolderFilter::In(folder) => Some(Id(folder)),
            FolderFilter::Any | FolderFilter::Unfiled => None,
        };
        let mut args: Vec<&dyn ToSql> = Vec::new();
        match &filter.folder {
            FolderFilter::Any => {}
            FolderFilter::Unfiled => sql.push_str(" AND folder_id IS NULL"),
            FolderFilter::In(_) => {
                sql.push_str(" AND folder_id = ?");
                args.extend(in_folder.as_ref().map(|folder| folder as &dyn ToSql));
            }
        }
        if !filter.include_archived {
            sql.push_str(" AND archived = 0");
        }
        if !filter.include_deleted {
            sql.push_str(" AND deleted_at IS NULL");
        }
        sql.push_str(" ORDER BY updated_at DESC, title, id");
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .context(|| "listing boards".into())?;
        let rows = stmt
            .query_map(args.as_slice(), meta_from_row)
            .context(|| "listing boards".into())?;
        rows.collect::<rusqlite::Result<_>>()
            .context(|| "listing boards".into())
    }

    /// The boards in the trash, most recently trashed first.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`].
    pub fn list_trash(&self) -> Result<Vec<BoardMeta>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM boards WHERE deleted_at IS NOT NULL \
                 ORDER BY deleted_at DESC, title, id"
            ))
            .context(|| "listing the trash".into())?;
        let rows = stmt
            .query_map([], meta_from_row)
            .context(|| "listing the trash".into())?;
        rows.collect::<rusqlite::Result<_>>()
            .context(|| "listing the trash".into())
    }

    /// Boards whose title contains every word of `query`, ignoring case
    /// (Unicode-aware, so "ÄNDERUNG" finds "Änderung"). Archived boards are
    /// included, trashed ones are not. An empty query finds nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`].
    pub fn search_boards(&self, query: &str) -> Result<Vec<BoardMeta>> {
        if query.trim().is_empty() {
            return Ok(Vec::new());
        }
        let all = self.list_boards(&BoardFilter {
            include_archived: true,
            ..BoardFilter::default()
        })?;
        Ok(titles_matching(all, query))
    }

    /// Gives a board a new title.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`], [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn rename_board(&self, board: BoardId, title: &str, now: i64) -> Result<BoardMeta> {
        let title = clean_name(title, "board title")?;
        self.update_board(board, "title = ?3", &[&title], now, || {
            format!("renaming board {board}")
        })
    }

    /// Files a board in `folder`, or in no folder.
    ///
    /// # Errors
    ///
    /// [`Error::FolderNotFound`], [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn move_board(
        &self,
        board: BoardId,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<BoardMeta> {
        if let Some(folder) = folder {
            if folders::get(&self.conn, folder)?.is_none() {
                return Err(Error::FolderNotFound { folder });
            }
        }
        self.update_board(board, "folder_id = ?3", &[&folder.map(Id)], now, || {
            format!("moving board {board}")
        })
    }

    /// Archives a board: hidden from default lists, content untouched.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn archive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.update_board(board, "archived = 1", &[], now, || {
            format!("archiving board {board}")
        })
    }

    /// Takes a board out of the archive.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn unarchive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.update_board(board, "archived = 0", &[], now, || {
            format!("unarchiving board {board}")
        })
    }

    /// Moves a board to the trash. Its content stays until
    /// [`Library::purge_board`]; [`Library::restore_board`] brings it back.
    /// Trashing a board that is in the trash keeps its first `deleted_at`.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn trash_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.update_board(
            board,
            "deleted_at = coalesce(deleted_at, ?2)",
            &[],
            now,
            || format!("moving board {board} to the trash"),
        )
    }

    /// Takes a board out of the trash.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn restore_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.update_board(board, "deleted_at = NULL", &[], now, || {
            format!("restoring board {board} from the trash")
        })
    }

    /// Deletes a board for good, with its log, snapshot and revisions.
    /// Only boards in the trash can be purged, so that nothing is lost by a
    /// single mistaken call.
    ///
    /// # Errors
    ///
    /// [`Error::NotInTrash`] if the board is not in the trash,
    /// [`Error::BoardNotFound`], [`Error::Sqlite`].
    pub fn purge_board(&self, board: BoardId) -> Result<()> {
        let tx = self.write_tx(|| format!("purging board {board}"))?;
        let meta = get(&tx, board)?.ok_or(Error::BoardNotFound { board })?;
        if !meta.is_trashed() {
            return Err(Error::NotInTrash { board });
        }
        // The log, snapshot and revisions go by ON DELETE CASCADE.
        tx.execute("DELETE FROM boards WHERE id = ?1", params![Id(board)])
            .context(|| format!("purging board {board}"))?;
        tx.commit().context(|| format!("purging board {board}"))
    }

    /// Runs `UPDATE boards SET <set>, updated_at = max(updated_at, now)`
    /// for one board. In `set`, `?1` is the board id, `?2` is `now` and
    /// `?3...` are `args`.
    fn update_board(
        &self,
        board: BoardId,
        set: &str,
        args: &[&dyn ToSql],
        now: i64,
        what: impl Fn() -> String,
    ) -> Result<BoardMeta> {
        let tx = self.write_tx(&what)?;
        let id = Id(board);
        let mut all: Vec<&dyn ToSql> = vec![&id, &now];
        all.extend_from_slice(args);
        let changed = tx
            .execute(
                &format!("UPDATE boards SET {set}, updated_at = max(updated_at, ?2) WHERE id = ?1"),
                all.as_slice(),
            )
            .context(&what)?;
        if changed == 0 {
            return Err(Error::BoardNotFound { board });
        }
        let meta = get(&tx, board)?.ok_or(Error::BoardNotFound { board })?;
        tx.commit().context(&what)?;
        Ok(meta)
    }
}

pub(crate) fn get(conn: &Connection, board: BoardId) -> Result<Option<BoardMeta>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM boards WHERE id = ?1"))
        .and_then(|mut stmt| stmt.query_row(params![Id(board)], meta_from_row).optional())
        .context(|| format!("reading board {board}"))
}

/// Inserts a new board row; checks the folder first so that a missing one
/// is reported as such rather than as a constraint failure.
pub(crate) fn insert(conn: &Connection, meta: &BoardMeta) -> Result<()> {
    if let Some(folder) = meta.folder {
        if folders::get(conn, folder)?.is_none() {
            return Err(Error::FolderNotFound { folder });
        }
    }
    conn.execute(
        &format!("INSERT INTO boards ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            Id(meta.id),
            meta.title,
            meta.folder.map(Id),
            meta.created_at,
            meta.updated_at,
            meta.archived,
            meta.deleted_at,
            meta.opened_at
        ],
    )
    .context(|| format!("creating board {}", meta.id))?;
    Ok(())
}

pub(crate) fn exists(conn: &Connection, board: BoardId) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM boards WHERE id = ?1")
        .and_then(|mut stmt| stmt.exists(params![Id(board)]))
        .context(|| format!("looking up board {board}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        (dir, library)
    }

    #[test]
    fn ensure_board_creates_once_under_the_given_id_and_then_returns_it() {
        let (_dir, library) = library();
        let id = BoardId::new();
        let (meta, created) = library.ensure_board(id, "Von außen", None, 5).unwrap();
        assert!(created);
        assert_eq!((meta.id, meta.title.as_str()), (id, "Von außen"));
        let (again, created) = library.ensure_board(id, "Anderer Titel", None, 9).unwrap();
        assert!(!created);
        assert_eq!(again.title, "Von außen");
        assert!(matches!(
            library.ensure_board(BoardId::new(), "x", Some(FolderId::new()), 1),
            Err(Error::FolderNotFound { .. })
        ));
        assert_eq!(
            library
                .list_boards(&BoardFilter::everything())
                .unwrap()
                .len(),
            1
        );
    }

    fn titles(boards: &[BoardMeta]) -> Vec<&str> {
        boards.iter().map(|b| b.title.as_str()).collect()
    }

    #[test]
    fn a_new_board_can_be_read_back() {
        let (_dir, library) = library();
        let created = library.create_board("  Sitzung 1 ", None, 1000).unwrap();
        assert_eq!(created.title, "Sitzung 1");
        assert_eq!(library.board(created.id).unwrap(), created);
        assert!(library.board(BoardId::new()).unwrap_err().is_not_found());
    }

    #[test]
    fn boards_in_a_missing_folder_are_refused() {
        let (_dir, library) = library();
        let err = library
            .create_board("x", Some(FolderId::new()), 1)
            .unwrap_err();
        assert!(matches!(err, Error::FolderNotFound { .. }), "{err:?}");
    }

    #[test]
    fn default_list_hides_archived_and_trashed_boards() {
        let (_dir, library) = library();
        let kept = library.create_board("Kept", None, 1).unwrap();
        let archived = library.create_board("Archived", None, 2).unwrap();
        let trashed = library.create_board("Trashed", None, 3).unwrap();
        library.archive_board(archived.id, 4).unwrap();
        library.trash_board(trashed.id, 5).unwrap();

        let default = library.list_boards(&BoardFilter::default()).unwrap();
        assert_eq!(titles(&default), ["Kept"]);
        let with_archive = library
            .list_boards(&BoardFilter {
                include_archived: true,
                ..BoardFilter::default()
            })
            .unwrap();
        assert_eq!(titles(&with_archive), ["Archived", "Kept"]);
        let all = library.list_boards(&BoardFilter::everything()).unwrap();
        assert_eq!(titles(&all), ["Trashed", "Archived", "Kept"]);
        assert_eq!(titles(&library.list_trash().unwrap()), ["Trashed"]);

        library.unarchive_board(archived.id, 6).unwrap();
        library.restore_board(trashed.id, 7).unwrap();
        let default = library.list_boards(&BoardFilter::default()).unwrap();
        assert_eq!(titles(&default), ["Trashed", "Archived", "Kept"]);
        assert_eq!(library.board(kept.id).unwrap().updated_at, 1);
    }

    #[test]
    fn boards_are_listed_by_folder() {
        let (_dir, library) = library();
        let technik = library.create_folder("AG Technik", 0).unwrap();
        let strategie = library.create_folder("AG Strategie", 0).unwrap();
        library.create_board("T1", Some(technik.id), 1).unwrap();
        let moved = library.create_board("S1", None, 2).unwrap();
        library.create_board("Loose", None, 3).unwrap();
        library.move_board(moved.id, Some(strategie.id), 4).unwrap();

        let list = |folder| {
            library
                .list_boards(&BoardFilter {
                    folder,
                    ..BoardFilter::default()
                })
                .unwrap()
        };
        assert_eq!(titles(&list(FolderFilter::In(technik.id))), ["T1"]);
        assert_eq!(titles(&list(FolderFilter::In(strategie.id))), ["S1"]);
        assert_eq!(titles(&list(FolderFilter::Unfiled)), ["Loose"]);
        assert_eq!(list(FolderFilter::Any).len(), 3);

        let err = library
            .move_board(moved.id, Some(FolderId::new()), 5)
            .unwrap_err();
        assert!(matches!(err, Error::FolderNotFound { .. }));
    }

    #[test]
    fn trashing_keeps_the_first_deletion_time_and_restore_clears_it() {
        let (_dir, library) = library();
        let board = library.create_board("B", None, 1).unwrap();
        assert_eq!(
            library.trash_board(board.id, 10).unwrap().deleted_at,
            Some(10)
        );
        assert_eq!(
            library.trash_board(board.id, 20).unwrap().deleted_at,
            Some(10)
        );
        let restored = library.restore_board(board.id, 30).unwrap();
        assert_eq!(restored.deleted_at, None);
        assert_eq!(restored.updated_at, 30);
    }

    #[test]
    fn only_trashed_boards_can_be_purged_and_purging_removes_their_content() {
        let (_dir, library) = library();
        let board = library.create_board("B", None, 1).unwrap();
        library.append_updates(board.id, &[b"u1"], 2).unwrap();
        library
            .create_revision(board.id, "Stand 1", b"state", 3)
            .unwrap();
        let err = library.purge_board(board.id).unwrap_err();
        assert!(matches!(err, Error::NotInTrash { .. }), "{err:?}");

        library.trash_board(board.id, 4).unwrap();
        library.purge_board(board.id).unwrap();
        assert!(library.board(board.id).unwrap_err().is_not_found());
        let leftovers: i64 = library
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM updates) + (SELECT count(*) FROM revisions) \
                 + (SELECT count(*) FROM snapshots)",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn renaming_changes_the_title_and_the_update_time() {
        let (_dir, library) = library();
        let board = library.create_board("Alt", None, 1).unwrap();
        let renamed = library.rename_board(board.id, "Neu", 5).unwrap();
        assert_eq!((renamed.title.as_str(), renamed.updated_at), ("Neu", 5));
        assert!(matches!(
            library.rename_board(board.id, " ", 6),
            Err(Error::EmptyName { .. })
        ));
    }

    #[test]
    fn search_matches_every_word_ignoring_case_including_umlauts() {
        let (_dir, library) = library();
        library.create_board("Änderungen Satzung", None, 1).unwrap();
        library.create_board("Sitzung 3 Technik", None, 2).unwrap();
        let archived = library.create_board("Technik alt", None, 3).unwrap();
        library.archive_board(archived.id, 4).unwrap();
        let trashed = library.create_board("Technik Müll", None, 5).unwrap();
        library.trash_board(trashed.id, 6).unwrap();

        assert_eq!(
            titles(&library.search_boards("ÄNDERUNG").unwrap()),
            ["Änderungen Satzung"]
        );
        assert_eq!(
            titles(&library.search_boards("technik").unwrap()),
            ["Technik alt", "Sitzung 3 Technik"]
        );
        assert_eq!(
            titles(&library.search_boards("sitzung  technik").unwrap()),
            ["Sitzung 3 Technik"]
        );
        assert!(library.search_boards("  ").unwrap().is_empty());
    }
}
