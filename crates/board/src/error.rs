use crate::ItemId;

/// Everything that can go wrong while reading or changing a board.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The item does not exist (or was deleted by someone else meanwhile).
    #[error("item {0} does not exist on this board")]
    ItemNotFound(ItemId),
    /// The operation does not apply to this kind of item.
    #[error("item {id} is a {kind}, which does not support {operation}")]
    WrongKind {
        id: ItemId,
        kind: &'static str,
        operation: &'static str,
    },
    /// A frame can only contain notes and labels, and never itself.
    #[error("item {child} cannot be placed into {parent}: {reason}")]
    InvalidParent {
        child: ItemId,
        parent: ItemId,
        reason: &'static str,
    },
    /// A text position outside of the text (positions count UTF-16 code units).
    #[error("text position {index}+{len} is outside of the text of {id} (length {text_len})")]
    TextRange {
        id: ItemId,
        index: u32,
        len: u32,
        text_len: u32,
    },
    /// A value that is out of its allowed range (NaN coordinates, negative sizes, ...).
    #[error("invalid value for {field}: {reason}")]
    InvalidValue { field: &'static str, reason: String },
    /// A binary update from a peer or the store could not be decoded or applied.
    #[error("the update could not be decoded: {0}")]
    Update(String),
    /// A board document in JSON form could not be read.
    #[error("the board JSON could not be read: {0}")]
    Json(String),
}

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
