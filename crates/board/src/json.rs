//! The full-fidelity JSON form of a board (documented in docs/schema.md).

use serde::{Deserialize, Serialize};

use crate::restore::write_items;
use crate::{Board, Error, Item, Result};

/// Value of the `format` field.
pub const FORMAT: &str = "stellwand-board";
/// Current version of the JSON form.
pub const VERSION: u32 = 1;

/// A whole board as JSON: every item with every field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardJson {
    pub format: String,
    pub version: u32,
    pub title: String,
    pub items: Vec<Item>,
}

impl BoardJson {
    /// The JSON form of a board.
    pub fn of(board: &Board) -> Self {
        BoardJson {
            format: FORMAT.to_owned(),
            version: VERSION,
            title: board.title(),
            items: board.items(),
        }
    }

    /// Reads the JSON form.
    ///
    /// # Errors
    /// [`Error::Json`] when `text` is not JSON of this format or of a newer version.
    pub fn parse(text: &str) -> Result<Self> {
        let value: BoardJson =
            serde_json::from_str(text).map_err(|e| Error::Json(e.to_string()))?;
        if value.format != FORMAT {
            return Err(Error::Json(format!(
                "format is {:?}, expected {FORMAT:?}",
                value.format
            )));
        }
        if value.version > VERSION {
            return Err(Error::Json(format!(
                "version {} is newer than the supported version {VERSION}",
                value.version
            )));
        }
        Ok(value)
    }

    /// Pretty-printed JSON text.
    pub fn to_string_pretty(&self) -> String {
        // Serialising plain structs with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the items and title into `board` as one change, keeping ids,
    /// authors and times.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when an item holds invalid values; nothing is written then.
    pub fn write_into(&self, board: &mut Board, now: i64) -> Result<()> {
        board.edit(now, |edit| {
            edit.set_title(&self.title);
            write_items(edit, &self.items)
        })
    }
}
