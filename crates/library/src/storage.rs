//! The seam between the application layer and a storage engine.
//!
//! [`Workspace`](crate::Workspace) and [`BoardSession`](crate::BoardSession)
//! only talk to these traits. An engine (SQLite in `stellwand-store`, the
//! in-memory [`MemoryStorage`](crate::MemoryStorage) here, PostgreSQL
//! later) implements
//! - [`BoardLog`]: each board's content as raw yrs updates, an append-only
//!   log plus at most one compacted snapshot;
//! - [`Settings`]: key/value text; the private records of the user (drafts,
//!   own templates, viewports, the user's id and name) are kept there by
//!   this crate, under keys it owns;
//! - [`Catalogue`]: board metadata, folders, trash, recently opened boards,
//!   previews and named revisions;
//! - optionally [`BoardFiles`]: `.stellwand` files on disk.
//!
//! Every method takes `&self`: an engine decides itself how it serialises
//! writers (SQLite takes its write lock, a server engine its pool). A
//! method returns only once its change is durable, because the application
//! layer acknowledges an edit to the user (and forwards it to peers) right
//! after [`BoardLog::append_updates`] returned.
//!
//! Engines report expected conditions with the matching [`crate::Error`]
//! variant (`BoardNotFound`, `EmptyName`, …) and anything of their own in
//! [`crate::Error::Storage`].

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalogue::{BoardFilter, BoardMeta, Folder, RevisionMeta};
use crate::error::Result;
use crate::ids::{BoardId, FolderId, RevisionId};

/// One stored update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in the log. Sequence numbers are unique across the library
    /// and only grow; within one board they give the order of appends.
    pub seq: u64,
    /// The update exactly as it was appended (yrs v1 encoding by
    /// convention; the engine does not check).
    pub data: Vec<u8>,
}

/// Everything needed to rebuild a board's document: apply `snapshot` (if
/// any), then every entry of `updates` in order.
///
/// yrs updates are idempotent, so applying an entry that the snapshot
/// already covers is harmless. An entry that does not decode was reported by
/// compaction and kept for inspection; a loader should skip it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedBoard {
    /// The compacted state, if the board was ever compacted or imported.
    pub snapshot: Option<Vec<u8>>,
    /// The log entries not folded into the snapshot, oldest first.
    pub updates: Vec<LogEntry>,
}

impl LoadedBoard {
    /// The seq of the last log entry, if there is one.
    #[must_use]
    pub fn last_seq(&self) -> Option<u64> {
        self.updates.last().map(|entry| entry.seq)
    }
}

/// Each board's content: an append-only log of yrs updates and a snapshot.
pub trait BoardLog {
    /// The board's snapshot and log, read in one consistent view.
    ///
    /// # Errors
    /// [`crate::Error::BoardNotFound`], an engine error.
    fn load_board(&self, board: BoardId) -> Result<LoadedBoard>;

    /// Appends `updates` in one atomic, durable step, which also sets the
    /// board's `updated_at` to `now`. Returns the seq of the last entry (for
    /// no updates, the board's newest seq or 0).
    ///
    /// # Errors
    /// [`crate::Error::BoardNotFound`], an engine error (nothing stored).
    fn append_updates(&self, board: BoardId, updates: &[Vec<u8>], now: i64) -> Result<u64>;

    /// Folds the board's log into its snapshot, so that opening it reads one
    /// state instead of every update. Updates that do not decode stay in
    /// the log. Returns how many log entries were folded.
    ///
    /// # Errors
    /// [`crate::Error::BoardNotFound`], an engine error (nothing changed).
    fn compact(&self, board: BoardId, now: i64) -> Result<u64>;
}

/// Key/value text: settings and the user's private records.
pub trait Settings {
    /// The value stored under `key`.
    ///
    /// # Errors
    /// An engine error.
    fn get_setting(&self, key: &str) -> Result<Option<String>>;

    /// Stores `value` under `key`, replacing what was there.
    ///
    /// # Errors
    /// An engine error.
    fn set_setting(&self, key: &str, value: &str) -> Result<()>;

    /// The value stored under `key`; if there is none, `value` is stored and
    /// returned, in one atomic step (two processes creating the same setting
    /// at once both get the one stored first).
    ///
    /// # Errors
    /// An engine error.
    fn setting_or_insert(&self, key: &str, value: &str) -> Result<String>;

    /// Every setting whose key starts with `prefix`, by key.
    ///
    /// # Errors
    /// An engine error.
    fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>>;

    /// Removes `key`; returns whether it was set.
    ///
    /// # Errors
    /// An engine error.
    fn remove_setting(&self, key: &str) -> Result<bool>;
}

/// Board metadata, folders, trash, recently opened boards, previews and
/// named revisions.
///
/// Titles and names are trimmed and must not be empty
/// ([`crate::catalogue::clean_name`]); folder names are unique ignoring
/// ASCII case.
pub trait Catalogue {
    /// Creates an empty board.
    ///
    /// # Errors
    /// `EmptyName`, `FolderNotFound`, an engine error.
    fn create_board(&self, title: &str, folder: Option<FolderId>, now: i64) -> Result<BoardMeta>;

    /// The board with this id, created empty under `title` if there is none
    /// yet (a board arriving from another machine keeps its id). Returns
    /// whether it was created now.
    ///
    /// # Errors
    /// `EmptyName`, `FolderNotFound`, an engine error.
    fn ensure_board(
        &self,
        id: BoardId,
        title: &str,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<(BoardMeta, bool)>;

    /// The board with this id, wherever it is (archive and trash included).
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn board(&self, board: BoardId) -> Result<BoardMeta>;

    /// The boards matching `filter`, most recently changed first.
    ///
    /// # Errors
    /// An engine error.
    fn list_boards(&self, filter: &BoardFilter) -> Result<Vec<BoardMeta>>;

    /// The boards in the trash, most recently trashed first.
    ///
    /// # Errors
    /// An engine error.
    fn list_trash(&self) -> Result<Vec<BoardMeta>>;

    /// Boards not in the trash whose title contains `query` (ignoring
    /// case), most recently changed first.
    ///
    /// # Errors
    /// An engine error.
    fn search_boards(&self, query: &str) -> Result<Vec<BoardMeta>>;

    /// Renames a board.
    ///
    /// # Errors
    /// `EmptyName`, `BoardNotFound`, an engine error.
    fn rename_board(&self, board: BoardId, title: &str, now: i64) -> Result<BoardMeta>;

    /// Files a board in `folder` (or in none).
    ///
    /// # Errors
    /// `BoardNotFound`, `FolderNotFound`, an engine error.
    fn move_board(&self, board: BoardId, folder: Option<FolderId>, now: i64) -> Result<BoardMeta>;

    /// Archives a board.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn archive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta>;

    /// Takes a board out of the archive.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn unarchive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta>;

    /// Moves a board to the trash.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn trash_board(&self, board: BoardId, now: i64) -> Result<BoardMeta>;

    /// Takes a board out of the trash.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn restore_board(&self, board: BoardId, now: i64) -> Result<BoardMeta>;

    /// Deletes a board in the trash for good, with its content and revisions.
    ///
    /// # Errors
    /// `BoardNotFound`, `NotInTrash`, an engine error.
    fn purge_board(&self, board: BoardId) -> Result<()>;

    /// Notes that the user opened the board now.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn mark_opened(&self, board: BoardId, now: i64) -> Result<()>;

    /// Up to `limit` boards not in the trash, most recently opened first.
    ///
    /// # Errors
    /// An engine error.
    fn recent_boards(&self, limit: usize) -> Result<Vec<BoardMeta>>;

    /// Stores the start screen's small picture of the board.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn set_preview(&self, board: BoardId, svg: &str, now: i64) -> Result<()>;

    /// The stored preview, if any.
    ///
    /// # Errors
    /// An engine error.
    fn preview(&self, board: BoardId) -> Result<Option<String>>;

    /// Creates a folder.
    ///
    /// # Errors
    /// `EmptyName`, `FolderExists`, an engine error.
    fn create_folder(&self, name: &str, now: i64) -> Result<Folder>;

    /// Every folder, by name (ignoring ASCII case).
    ///
    /// # Errors
    /// An engine error.
    fn list_folders(&self) -> Result<Vec<Folder>>;

    /// The folder with this id.
    ///
    /// # Errors
    /// `FolderNotFound`, an engine error.
    fn folder(&self, folder: FolderId) -> Result<Folder>;

    /// The folder with this name (ignoring ASCII case), if any.
    ///
    /// # Errors
    /// An engine error.
    fn folder_by_name(&self, name: &str) -> Result<Option<Folder>>;

    /// Renames a folder.
    ///
    /// # Errors
    /// `EmptyName`, `FolderNotFound`, `FolderExists`, an engine error.
    fn rename_folder(&self, folder: FolderId, name: &str) -> Result<Folder>;

    /// Deletes an empty folder.
    ///
    /// # Errors
    /// `FolderNotFound`, `FolderNotEmpty`, an engine error.
    fn delete_folder(&self, folder: FolderId) -> Result<()>;

    /// Stores `state` (a whole yrs v1 state of the board) as a named revision.
    ///
    /// # Errors
    /// `EmptyName`, `BoardNotFound`, an engine error.
    fn create_revision(
        &self,
        board: BoardId,
        name: &str,
        state: &[u8],
        now: i64,
    ) -> Result<RevisionMeta>;

    /// The board's revisions, oldest first.
    ///
    /// # Errors
    /// `BoardNotFound`, an engine error.
    fn list_revisions(&self, board: BoardId) -> Result<Vec<RevisionMeta>>;

    /// One revision, without its state.
    ///
    /// # Errors
    /// `RevisionNotFound`, an engine error.
    fn revision(&self, revision: RevisionId) -> Result<RevisionMeta>;

    /// The state stored in a revision.
    ///
    /// # Errors
    /// `RevisionNotFound`, an engine error.
    fn revision_state(&self, revision: RevisionId) -> Result<Vec<u8>>;

    /// Renames a revision.
    ///
    /// # Errors
    /// `EmptyName`, `RevisionNotFound`, an engine error.
    fn rename_revision(&self, revision: RevisionId, name: &str) -> Result<RevisionMeta>;

    /// Deletes a revision.
    ///
    /// # Errors
    /// `RevisionNotFound`, an engine error.
    fn delete_revision(&self, revision: RevisionId) -> Result<()>;
}

/// `.stellwand` board files: one board in one portable file. Only engines
/// next to a file system implement it.
pub trait BoardFiles {
    /// Saves the board's whole current state as a board file at `path`
    /// (atomically, replacing any file there). Returns the file's size.
    ///
    /// # Errors
    /// `BoardNotFound`, `Io`, an engine error.
    fn export_board_file(&self, board: BoardId, path: &Path, now: i64) -> Result<u64>;

    /// Adds the board in the file at `path` as a new board (keeping the
    /// file's board id unless it is taken).
    ///
    /// # Errors
    /// `NotABoardFile`, `Io`, an engine error.
    fn import_board_file(&self, path: &Path, now: i64) -> Result<BoardMeta>;
}

/// Everything the application layer needs from an engine.
pub trait Storage: BoardLog + Settings + Catalogue {}

impl<T: BoardLog + Settings + Catalogue + ?Sized> Storage for T {}
