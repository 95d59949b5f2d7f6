//! The Stellwand board document.
//!
//! A board is a [yrs](https://docs.rs/yrs) document (compatible with Yjs) holding
//! sticky notes, frames, labels and connectors; see `docs/schema.md` for the
//! shared types any Yjs client can follow. This crate does no I/O: it turns
//! operations into binary updates and updates into a plain view.
//!
//! Main types: [`Board`] (the document with per-user undo), [`Edit`] (one
//! transaction), [`Item`] (the plain view of one item), [`BoardJson`] (the
//! full-fidelity JSON form), and [`workshop::Workshop`] (the typed
//! facilitation state the sync host writes into the `workshop` root map).

mod board;
mod cluster;
mod comment;
mod edit;
mod error;
mod id;
mod intent;
mod item;
mod json;
mod preview;
mod restore;
pub mod similar;
pub mod template;
pub mod text;
pub mod validate;
pub mod wire;
pub mod workshop;

pub use board::{Author, Board, Changes, ITEMS, META};
pub use comment::{
    is_reaction, Coauthor, Comment, CommentId, Reaction, MAX_COMMENT_CHARS, REACTIONS,
};
pub use edit::{Edit, NewItem};
pub use error::{Error, Result};
pub use id::ItemId;
pub use intent::{Intent, ItemSpec};
pub use item::{color_hex, is_valid_color, Item, ItemKind, MAX_COORD, PALETTE};
pub use json::{BoardJson, FORMAT as JSON_FORMAT, VERSION as JSON_VERSION};
pub use preview::preview_svg;
pub use restore::RestoreSummary;
pub use template::{Template, TemplateError};

/// Re-exported so that callers use the same yrs version.
pub use yrs;
