//! The contract between [`Sharing`](super::Sharing) and the application
//! layer that owns the boards' documents: [`Owner`], and what it is told
//! ([`News`], [`Reveal`]) and given ([`Forward`], [`Person`]).

use std::sync::Arc;

use stellwand_store::BoardId;

use super::SyncStatus;
use crate::workshop::View;

/// Receives every update of a board once its owner stored it.
pub type Forward = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// The user as others on a board know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Stable id of the user (votes and roles follow it).
    pub id: String,
    /// Display name.
    pub name: String,
}

/// Private writing ended: this user's drafts belong on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reveal {
    /// The notes go on the board without their author.
    pub anonymous: bool,
}

/// Something a window showing the board should know.
#[derive(Debug, Clone, PartialEq)]
pub enum News {
    /// The status line of a live board changed.
    Status(SyncStatus),
    /// The host's workshop map, or what it says about this user, changed.
    Workshop {
        board: BoardId,
        /// Set when private writing is off (see [`Owner::receive`] for the
        /// drafts).
        reveal: Option<Reveal>,
    },
    /// The facilitator moved their view; followers go there.
    View { board: BoardId, view: View },
}

/// The application layer that owns the boards' documents.
pub trait Owner: Send + Sync + 'static {
    /// The board's whole state as one update, to start a link from.
    ///
    /// # Errors
    /// The board cannot be read.
    fn state(&self, board: BoardId) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>>;
    /// Updates that arrived from the network: validate, store, show.
    fn receive(&self, board: BoardId, updates: Vec<Vec<u8>>);
    /// From now on hand every stored update of `board` to `sink`; `None`
    /// stops.
    fn forward(&self, board: BoardId, sink: Option<Forward>);
    /// News for the window.
    fn notify(&self, news: News);
}
