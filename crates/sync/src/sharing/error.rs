//! Why sharing a board, joining one or sending a workshop command failed.

use crate::workshop::Refusal;

/// Everything that can go wrong while hosting or joining a board live.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another program holds the port (or the address is not this
    /// computer's).
    #[error("cannot listen on {address}: {source}")]
    PortInUse {
        /// `interface:port` that was tried.
        address: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// An address or port the user typed is not one.
    #[error("{0:?} is not an address")]
    InvalidAddress(String),
    /// A join link that cannot be used.
    #[error("{0}")]
    InvalidLink(String),
    /// The board is not hosted on this computer.
    #[error("the board is not hosted here")]
    NotShared,
    /// The board has no live connection.
    #[error("the board is not connected")]
    NotConnected,
    /// The host of the board did not answer in time.
    #[error("the host of this board cannot be reached")]
    Offline,
    /// The host refused a workshop command.
    #[error("{0}")]
    Refused(Refusal),
    /// Offering or finding boards on the local network failed.
    #[error("local network: {0}")]
    Network(String),
    /// A QR code could not be made for a link.
    #[error("no QR code for the link: {0}")]
    Qr(String),
    /// The library (settings, tokens, the board list) failed.
    #[error(transparent)]
    Store(#[from] stellwand_store::Error),
    /// The owner of the boards (the application layer) failed.
    #[error("{0}")]
    Owner(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Shorthand for results of this module.
pub type Result<T, E = Error> = std::result::Result<T, E>;
