//! The local library of Stellwand: every board a user has, in one SQLite
//! database; the SQLite engine behind the application layer
//! (`stellwand-library`).
//!
//! [`Library`] is the entry point. It implements the application layer's
//! storage traits ([`stellwand_library::storage`]), so that
//! [`Workspace`] (the user's session, the same for desktop and CLI) runs on
//! it. It stores
//! - folders, one per working group ([`Folder`]),
//! - boards and their metadata ([`BoardMeta`]), with archive and trash,
//! - each board's content as raw yrs updates: an append-only update log plus
//!   at most one compacted snapshot ([`LoadedBoard`], [`Library::compact`]),
//! - named revisions of a board ([`RevisionMeta`]),
//! - settings as key/value text.
//!
//! The store never interprets board content beyond decoding yrs updates for
//! compaction and export; the board model lives elsewhere. A change is
//! acknowledged to the user only after [`Library::append_updates`] returned
//! or a [`Committer`] receipt resolved, both of which mean the update is
//! durably on disk (`synchronous=FULL`).
//!
//! The ids and catalogue records ([`BoardId`], [`BoardMeta`], …) are the
//! application layer's, re-exported here.
//!
//! [`board_file`] reads and writes `.stellwand` files, a single-file form of
//! one board that can be opened in another library.
//!
//! Several connections, threads or processes may use the same library at
//! once: writes take the write lock up front (`BEGIN IMMEDIATE`) and wait up
//! to ten seconds for it.

pub mod board_file;
mod boards;
mod committer;
mod compaction;
mod engine;
mod error;
mod folders;
mod ids;
mod previews;
mod revisions;
mod schema;
mod settings;
mod snapshots;
mod sql;
mod update_log;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use board_file::{ExportedBoard, ImportedBoard};
pub use committer::{CommitReceipt, Committer};
pub use compaction::{CompactionReport, SkippedUpdate};
pub use error::{Error, Result};
pub use schema::SCHEMA_VERSION;
pub use stellwand_library::{
    BoardFilter, BoardId, BoardMeta, Folder, FolderFilter, FolderId, LoadedBoard, LogEntry,
    RevisionId, RevisionMeta,
};
pub use update_log::LogStats;

/// The user's workspace on a SQLite library: what the desktop app and the
/// CLI open (`Workspace::open(dir, default_name)`).
pub type Workspace = stellwand_library::Workspace<Library>;

use crate::error::SqlContext;

/// The file name of the database inside a library directory.
pub const DATABASE_FILE_NAME: &str = "library.sqlite3";

/// The library directory the desktop app uses for this user:
/// `$XDG_DATA_HOME/de.stellwand.app` (usually `~/.local/share/de.stellwand.app`)
/// on Linux, the platform's application data directory elsewhere. `None`
/// when the platform knows no such directory.
#[must_use]
pub fn default_library_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("de.stellwand.app"))
}

/// A user's library: one SQLite database in a directory.
///
/// A `Library` owns one connection; it is `Send` but not `Sync`. Threads
/// that write concurrently should each open their own `Library` (or share
/// one behind a mutex); heavy edit traffic should go through a
/// [`Committer`].
pub struct Library {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("path", &self.path).finish()
    }
}

impl Library {
    /// Opens the library in `dir`, creating the directory and the database
    /// if needed, and brings its schema up to [`SCHEMA_VERSION`].
    ///
    /// # Errors
    ///
    /// - [`Error::Io`] if the directory cannot be created or the file not
    ///   opened, [`Error::ReadOnly`] if it can only be read;
    /// - [`Error::Corrupt`] if the file is not an intact SQLite database;
    /// - [`Error::IncompatibleSchema`] if a newer Stellwand wrote it.
    ///
    /// In the last two cases the file is left exactly as it was.
    pub fn open(dir: &Path) -> Result<Library> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DATABASE_FILE_NAME);
        let conn = schema::open(&path, schema::Verify::Full)?;
        Ok(Library { conn, path })
    }

    /// The path of the database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a [`Committer`] on its own connection to this library.
    ///
    /// # Errors
    ///
    /// As for [`Library::open`], if the second connection cannot be opened.
    pub fn committer(&self) -> Result<Committer> {
        Committer::start(&self.path)
    }

    /// Begins a transaction that holds the write lock from the start, so
    /// that it never has to upgrade a read lock (which can fail with
    /// `SQLITE_BUSY` regardless of the busy timeout).
    fn write_tx(&self, what: impl FnOnce() -> String) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).context(what)
    }

    /// Begins a read transaction: a consistent view across several queries.
    fn read_tx(&self, what: impl FnOnce() -> String) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred).context(what)
    }
}

/// Trims a user-given name and refuses an empty one.
pub(crate) fn clean_name(name: &str, what: &'static str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        Err(Error::EmptyName { what })
    } else {
        Ok(trimmed.to_owned())
    }
}

/// Converts a seq read from SQLite (always positive) to the public type.
fn seq_from_sql(seq: i64) -> Result<u64> {
    u64::try_from(seq).map_err(|_| Error::InvalidData(format!("negative log sequence {seq}")))
}

/// Converts a public seq to SQLite's integer type.
fn seq_to_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    #[test]
    fn libraries_move_between_threads_and_committers_are_shared() {
        fn send<T: Send>() {}
        fn send_sync<T: Send + Sync>() {}
        send::<super::Library>();
        send_sync::<super::Committer>();
        send::<super::CommitReceipt>();
    }
}
