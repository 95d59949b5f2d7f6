//! The crate's one error type.

use std::path::PathBuf;

use crate::ids::{BoardId, FolderId, RevisionId};

/// Everything that can go wrong in the application layer, whatever engine
/// stores the library.
///
/// Expected conditions (a missing board, a folder name taken, a library from
/// a newer Stellwand) have their own variants so that a user interface can
/// map them to a message a user can act on without looking at text. What
/// only one engine knows (an SQLite error code, a lost server connection) is
/// kept whole in [`Error::Storage`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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

    /// A folder that still holds boards cannot be deleted.
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

    /// A name or title was empty (or only whitespace).
    #[error("the {what} must not be empty")]
    EmptyName {
        /// Which kind of name: "folder name", "board title", "user name".
        what: &'static str,
    },

    /// A board operation was refused (an unknown item, an invalid value, an
    /// update that cannot be decoded); nothing was changed.
    #[error(transparent)]
    Board(#[from] stellwand_board::Error),

    /// A value given or stored is out of range or unreadable (an unknown
    /// template, a viewport that is not finite, a damaged record).
    #[error("invalid data: {0}")]
    InvalidData(String),

    /// A file is not a readable Stellwand board file.
    #[error("{path} is not a Stellwand board file: {reason}")]
    NotABoardFile {
        /// The file that was read.
        path: PathBuf,
        /// What was found wrong.
        reason: String,
    },

    /// A file or directory could not be created, read or written.
    #[error("I/O error at {path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The library may only be read (a read-only file or account).
    #[error("the library at {location} is read-only")]
    ReadOnly {
        /// Where the library lies (a path, a database name).
        location: String,
    },

    /// The library is damaged; it has not been modified.
    #[error("the library at {location} is damaged: {reason}")]
    Corrupt {
        /// Where the library lies.
        location: String,
        /// What was found wrong.
        reason: String,
    },

    /// The library was written by a newer Stellwand and is left untouched.
    #[error("the library has schema version {found}, this version supports up to {supported}")]
    IncompatibleSchema {
        /// The schema version found.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },

    /// Anything else the storage engine reported, with its own error inside.
    #[error(transparent)]
    Storage(Box<dyn std::error::Error + Send + Sync>),
}

/// The application layer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
