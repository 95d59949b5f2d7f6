//! The crate's one error type.

use std::path::PathBuf;
use std::sync::Arc;

use crate::ids::{BoardId, FolderId, RevisionId};

/// Everything that can go wrong in the store.
///
/// Expected conditions (a missing board, a folder name taken, a database from
/// a newer Stellwand) have their own variants so that callers can map them to
/// a message a user can act on without looking at text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be created, read or written.
    #[error("I/O error at {path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The library lies in a place this process may not write to.
    #[error("the library at {path} is read-only")]
    ReadOnly {
        /// The database file or its directory.
        path: PathBuf,
    },

    /// The library file is not an intact SQLite database. It has not been
    /// modified.
    #[error("the library at {path} is damaged: {reason}")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What was found wrong.
        reason: String,
    },

    /// The library was written by a newer Stellwand and is left untouched.
    #[error("the library has schema version {found}, this version supports up to {supported}")]
    IncompatibleSchema {
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },

    /// A file is not a readable Stellwand board file.
    #[error("{path} is not a Stellwand board file: {reason}")]
    NotABoardFile {
        /// The file that was read.
        path: PathBuf,
        /// What was found wrong.
        reason: String,
    },

    /// No board with this id exists.
    #[error("board {board} not found")]
    BoardNotFound {
        /// The board asked for.
        board: BoardId,
    },

    /// No folder with this id exists.
    #[error("folder {folder} not found")]
    FolderNotFound {
        /// The folder asked for.
        folder: FolderId,
    },

    /// No revision with this id exists.
    #[error("revision {revision} not found")]
    RevisionNotFound {
        /// The revision asked for.
        revision: RevisionId,
    },

    /// Another folder already has this name.
    #[error("a folder named {name:?} already exists")]
    FolderExists {
        /// The name that is taken.
        name: String,
    },

    /// A folder that still holds boards (including archived or trashed ones)
    /// cannot be deleted.
    #[error("folder {folder} still holds {boards} board(s)")]
    FolderNotEmpty {
        /// The folder that was to be deleted.
        folder: FolderId,
        /// How many boards it still holds.
        boards: u64,
    },

    /// Only boards in the trash can be purged.
    #[error("board {board} is not in the trash and cannot be purged")]
    NotInTrash {
        /// The board that was to be purged.
        board: BoardId,
    },

    /// A board's stored snapshot cannot be decoded. It is kept as it is.
    #[error("the saved state of board {board} cannot be read: {reason}")]
    UndecodableSnapshot {
        /// The board.
        board: BoardId,
        /// The decoder's complaint.
        reason: String,
    },

    /// A name or title was empty (or only whitespace).
    #[error("the {what} must not be empty")]
    EmptyName {
        /// Which kind of name: "folder name", "board title", "revision name".
        what: &'static str,
    },

    /// Another compaction of the same board committed while this one was
    /// running; nothing was changed by this one.
    #[error("board {board} was compacted concurrently")]
    CompactionConflict {
        /// The board being compacted.
        board: BoardId,
    },

    /// The group-commit thread has stopped (it panicked or its database
    /// could not be opened); the update was not stored.
    #[error("the commit thread has stopped; the update was not stored")]
    CommitterStopped,

    /// A batch commit failed; every waiter of that batch receives the same
    /// cause.
    #[error("storing the update failed: {0}")]
    Shared(#[source] Arc<Error>),

    /// A SQLite error, with what was being done.
    #[error("database error while {context}: {source}")]
    Sqlite {
        /// What the store was doing, e.g. "appending updates to board …".
        context: String,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },

    /// A board operation was refused (an unknown item, an invalid value, an
    /// update that cannot be decoded); nothing was changed.
    #[error(transparent)]
    Board(#[from] stellwand_board::Error),

    /// A stored value could not be read back (e.g. an id column that is not a
    /// UUID). Indicates a damaged or hand-edited library.
    #[error("invalid data in the library: {0}")]
    InvalidData(String),
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attaches a description of the operation to a rusqlite error.
pub(crate) trait SqlContext<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> SqlContext<T> for std::result::Result<T, rusqlite::Error> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Sqlite {
            context: context(),
            source,
        })
    }
}

impl Error {
    /// Whether this error means "the thing asked for does not exist".
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Error::BoardNotFound { .. }
                | Error::FolderNotFound { .. }
                | Error::RevisionNotFound { .. }
        )
    }
}
