//! The crate's error type.

use crate::protocol::ProtocolError;
use crate::store::{InvalidBoardId, StoreError};
use crate::token::TokenError;

/// Everything that can go wrong in the sync layer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A peer sent bytes that are not a valid message or update.
    #[error("protocol violation: {0}")]
    Protocol(#[from] ProtocolError),
    /// Validated bytes still failed to decode in yrs.
    #[error("update could not be decoded: {0}")]
    Decode(#[from] yrs::encoding::read::Error),
    /// yrs refused to apply a decoded update.
    #[error("update rejected by the CRDT: {0}")]
    Apply(#[from] yrs::error::UpdateError),
    /// yrs panicked while applying an update; the panic was contained.
    #[error("the CRDT failed while applying the update")]
    ApplyPanicked,
    /// The document is inside another transaction.
    #[error("the document is busy: {0}")]
    DocumentBusy(#[from] yrs::TransactionAcqError),
    /// A token was refused.
    #[error("access refused: {0}")]
    Token(#[from] TokenError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A board id is not acceptable.
    #[error(transparent)]
    BoardId(#[from] InvalidBoardId),
    /// The server refused the WebSocket upgrade with this HTTP status.
    #[error("server refused the connection with HTTP status {status}")]
    Refused {
        /// 401 (no or bad token), 403 (token not valid for this board), ...
        status: u16,
    },
    /// The connection was closed with a close frame.
    #[error("connection closed with code {code}: {reason}")]
    Closed {
        /// WebSocket close code (4400-4499: policy violation, do not retry).
        code: u16,
        /// Close reason sent by the peer.
        reason: String,
    },
    /// The URL is not a `ws://` URL with a board path.
    #[error("invalid sync URL {url:?}: {why}")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// An operation took longer than allowed.
    #[error("timed out while {0}")]
    Timeout(&'static str),
    /// WebSocket transport failure.
    #[error("websocket: {0}")]
    WebSocket(#[from] Box<tokio_tungstenite::tungstenite::Error>),
    /// Socket failure.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

impl From<tokio_tungstenite::tungstenite::Error> for Error {
    fn from(e: tokio_tungstenite::tungstenite::Error) -> Self {
        Error::WebSocket(Box::new(e))
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
