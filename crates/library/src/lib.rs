//! Stellwand's application layer: the user's session with their library of
//! boards, the same for the desktop app, the CLI and (later) a browser
//! front end.
//!
//! - [`Workspace`]: the library with its open boards and the local user;
//!   every method is one step a user takes (create, open, edit, undo, save a
//!   revision, publish drafts, trash, search, …).
//! - [`BoardSession`]: one open board, whose every change, local or remote,
//!   is stored through one path before it is acknowledged.
//! - [`drafts`] and [`templates`]: the user's private drafts and own
//!   templates.
//!
//! The layer knows no storage engine. It talks to the traits in [`storage`]
//! ([`BoardLog`], [`Settings`], [`Catalogue`], optionally [`BoardFiles`]),
//! which `stellwand-store` implements on SQLite and [`MemoryStorage`]
//! implements in memory. The ids ([`BoardId`], [`FolderId`],
//! [`RevisionId`]) and the catalogue records ([`BoardMeta`], [`Folder`],
//! [`RevisionMeta`]) live here, the lowest crate that needs them, so every
//! engine shares them.
//!
//! With the cargo feature `conformance` (for engines' tests only),
//! `conformance` holds the storage conformance suite every engine runs.

pub mod catalogue;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod drafts;
mod error;
pub mod ids;
mod memory;
pub mod session;
pub mod storage;
pub mod templates;
pub mod workspace;

pub use catalogue::{BoardFilter, BoardMeta, Folder, FolderFilter, RevisionMeta};
pub use drafts::{Draft, Drafts};
pub use error::{Error, Result};
pub use ids::{BoardId, FolderId, RevisionId};
pub use memory::MemoryStorage;
pub use session::{BoardSession, LoadIssue, UpdateSink};
pub use storage::{BoardFiles, BoardLog, Catalogue, LoadedBoard, LogEntry, Settings, Storage};
pub use templates::{TemplateInfo, Templates};
pub use workspace::{
    default_user_name, BoardSummary, BoardView, OpenStorage, Outcome, Overview, User, Viewport,
    Workspace,
};
