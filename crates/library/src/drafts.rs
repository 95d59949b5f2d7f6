//! Private drafts: notes a participant writes while private writing is on.
//!
//! They live only in this library (the setting `draft.<board>.<note id>`,
//! JSON, through [`Settings`]), never in the board document, so nothing of them reaches the host,
//! its store or another peer before the reveal. [`Workspace::publish_drafts`]
//! then puts them on the board as notes with the draft's id, all in one
//! transaction, and removes them.
//!
//! Where an intent goes while drafts exist (and how it changes them) is
//! [`routing`]'s.
//!
//! [`Workspace::publish_drafts`]: crate::workspace::Workspace::publish_drafts

use serde::{Deserialize, Serialize};
use stellwand_board::{ItemId, ItemKind, ItemSpec};

use crate::error::{Error, Result};
use crate::ids::BoardId;
use crate::storage::Settings;

pub mod routing;
mod workspace;

/// Longest draft text, in characters (as a note's).
pub const MAX_DRAFT_CHARS: usize = 10_000;
/// Most drafts one person keeps per board.
pub const MAX_DRAFTS_PER_BOARD: usize = 500;

/// A note written privately.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Draft {
    /// The id the note gets on the board.
    pub id: ItemId,
    /// Board units, top left.
    pub x: f64,
    /// Board units, top left.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Palette name or `#rrggbb`.
    pub color: String,
    /// The note's text.
    pub text: String,
    /// Unix milliseconds.
    pub created: i64,
}

impl Draft {
    fn check(&self) -> Result<()> {
        let finite = [self.x, self.y, self.w, self.h]
            .iter()
            .all(|v| v.is_finite());
        if !finite || self.x.abs() > 1e7 || self.y.abs() > 1e7 {
            return Err(Error::InvalidData("a draft lies outside the board".into()));
        }
        if !(1.0..=10_000.0).contains(&self.w) || !(1.0..=10_000.0).contains(&self.h) {
            return Err(Error::InvalidData("a draft's size is out of range".into()));
        }
        if self.text.chars().count() > MAX_DRAFT_CHARS {
            return Err(Error::InvalidData(format!(
                "a draft holds at most {MAX_DRAFT_CHARS} characters"
            )));
        }
        if stellwand_board::color_hex(&self.color).is_none() {
            return Err(Error::InvalidData(format!(
                "{:?} is not a colour",
                self.color
            )));
        }
        Ok(())
    }

    /// The note this draft becomes; `anonymous` leaves the author out.
    #[must_use]
    pub fn to_spec(&self) -> ItemSpec {
        ItemSpec {
            kind: ItemKind::Note,
            x: self.x,
            y: self.y,
            w: Some(self.w),
            h: Some(self.h),
            color: Some(self.color.clone()),
            text: self.text.clone(),
            tags: Vec::new(),
            parent: None,
            from: None,
            to: None,
            id: Some(self.id),
            author: None,
        }
    }
}

fn prefix(board: BoardId) -> String {
    format!("draft.{board}.")
}

/// The user's private drafts, kept in any [`Settings`] store.
pub trait Drafts {
    /// The drafts of `board`, oldest first. A draft that cannot be read is
    /// skipped, never deleted.
    ///
    /// # Errors
    /// An engine error.
    fn drafts(&self, board: BoardId) -> Result<Vec<Draft>>;

    /// Stores or replaces a draft.
    ///
    /// # Errors
    /// [`Error::InvalidData`] for a draft out of range or one too many; an
    /// engine error.
    fn save_draft(&self, board: BoardId, draft: &Draft) -> Result<()>;

    /// Removes a draft; `false` if there was none.
    ///
    /// # Errors
    /// An engine error.
    fn delete_draft(&self, board: BoardId, id: ItemId) -> Result<bool>;
}

impl<S: Settings + ?Sized> Drafts for S {
    fn drafts(&self, board: BoardId) -> Result<Vec<Draft>> {
        let mut drafts: Vec<Draft> = self
            .settings_with_prefix(&prefix(board))?
            .into_iter()
            .filter_map(|(_, value)| serde_json::from_str(&value).ok())
            .collect();
        drafts.sort_by_key(|d: &Draft| d.created);
        Ok(drafts)
    }

    fn save_draft(&self, board: BoardId, draft: &Draft) -> Result<()> {
        draft.check()?;
        let key = format!("{}{}", prefix(board), draft.id);
        if self.get_setting(&key)?.is_none()
            && self.settings_with_prefix(&prefix(board))?.len() >= MAX_DRAFTS_PER_BOARD
        {
            return Err(Error::InvalidData(format!(
                "at most {MAX_DRAFTS_PER_BOARD} private notes per board"
            )));
        }
        let json = serde_json::to_string(draft)
            .map_err(|e| Error::InvalidData(format!("draft not writable: {e}")))?;
        self.set_setting(&key, &json)
    }

    fn delete_draft(&self, board: BoardId, id: ItemId) -> Result<bool> {
        self.remove_setting(&format!("{}{id}", prefix(board)))
    }
}
