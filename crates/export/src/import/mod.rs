//! Imports: CSV tables, JSON Canvas files and plain text become notes (and
//! frames and connectors) on a board.
//!
//! Reading and applying are separate steps. `parse_*` reads the whole file
//! and checks it, returning an [`ImportPlan`] or a clear [`Error`]; nothing
//! has touched a board yet. [`ImportPlan::apply`] then creates the items
//! inside one board transaction (`Board::edit`, or a store session's `edit`),
//! below everything already on the board, optionally inside a new frame. It
//! only creates items, so existing work is never overwritten, and if the
//! board refuses any item the whole transaction is rolled back.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use stellwand_board::{
    is_valid_color, Edit, Intent, Item, ItemId, ItemKind, ItemSpec, NewItem, MAX_COORD,
};

use crate::canvas::board_color;
use crate::{Error, Result};

mod canvas;
mod table;

pub use canvas::parse_canvas;
pub use table::{csv_columns, detect_delimiter, parse_csv, CsvColumns};

/// A column of a CSV file, by header name or by position (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Name(String),
    Index(usize),
}

impl Column {
    /// Reads a column as typed by a user: a number is a 1-based position
    /// ("1" is the first column), anything else a header name.
    pub fn parse(text: &str) -> Self {
        match text.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Column::Index(n - 1),
            _ => Column::Name(text.trim().to_owned()),
        }
    }
}

/// Which CSV columns hold what. Columns left `None` are looked up by common
/// header names (German and English); without a text column the first
/// column is the note text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvImport {
    pub text: Option<Column>,
    pub color: Option<Column>,
    pub tags: Option<Column>,
    pub author: Option<Column>,
    /// The first row is data, not headers.
    pub no_header: bool,
    /// Columns left `None` stay unused instead of being looked up by header
    /// name (a user chose "none").
    pub no_detect: bool,
}

/// How planned items get their positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placement {
    /// In rows of five, in file order.
    Grid,
    /// As in the file, moved as a whole below the existing content.
    Given,
}

#[derive(Clone, Debug, PartialEq)]
struct PlannedItem {
    key: String,
    kind: ItemKind,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    color: Option<String>,
    text: String,
    tags: Vec<String>,
    author: Option<String>,
    /// Key of the planned frame this item belongs to.
    parent: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct PlannedEdge {
    from: String,
    to: String,
    label: String,
    color: Option<String>,
}

/// A checked import, ready to be applied to a board.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    /// What was read ("CSV", "JSON Canvas", "text").
    pub source: &'static str,
    items: Vec<PlannedItem>,
    edges: Vec<PlannedEdge>,
    placement: Placement,
    /// Remarks about things that were read leniently (an unknown colour, ...).
    pub warnings: Vec<String>,
}

/// What an import created.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// The frame created for the import (with a frame title).
    pub frame: Option<ItemId>,
    pub notes: Vec<ItemId>,
    pub frames: Vec<ItemId>,
    pub connectors: Vec<ItemId>,
}

impl ImportPlan {
    /// Number of notes the import will create.
    pub fn note_count(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::Note)
            .count()
    }

    /// Number of frames the import will create (not counting a wrapping frame).
    pub fn frame_count(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::Frame)
            .count()
    }

    /// Number of connectors the import will create.
    pub fn connector_count(&self) -> usize {
        self.edges.len()
    }

    /// Whether the file held nothing to import.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Creates the planned items below the board's existing content; with
    /// `frame_title`, inside a new frame of that title.
    ///
    /// # Errors
    /// Whatever the board refuses (`stellwand_board::Error`); run it inside
    /// `Board::edit` so that a refusal leaves the board unchanged.
    pub fn apply(
        &self,
        edit: &mut Edit<'_>,
        frame_title: Option<&str>,
    ) -> stellwand_board::Result<ImportSummary> {
        let (items, summary) = self.items_for(&edit.items(), frame_title);
        for (spec, author) in items {
            let id = edit.create(spec)?;
            if let Some(author) = author {
                edit.set_author(id, &author, "")?;
            }
        }
        Ok(summary)
    }

    /// The same items as [`ImportPlan::apply`] would create on a board with
    /// `existing` items, as one intent: for a user interface, whose intents
    /// are one undo step each. Authors from the file (a CSV's author
    /// column) are kept; other items are the importing user's.
    pub fn intent(&self, existing: &[Item], frame_title: Option<&str>) -> (Intent, ImportSummary) {
        let (items, summary) = self.items_for(existing, frame_title);
        let items = items
            .into_iter()
            .map(|(item, author)| ItemSpec {
                author,
                ..ItemSpec::from(item)
            })
            .collect();
        (
            Intent::Create {
                items,
                adopt: false,
            },
            summary,
        )
    }

    /// Every item to create, in creation order (the new frame, the file's
    /// frames, notes, then connectors), with fresh ids and their authors.
    fn items_for(
        &self,
        existing: &[Item],
        frame_title: Option<&str>,
    ) -> (Vec<(NewItem, Option<String>)>, ImportSummary) {
        const GAP: f64 = 24.0;
        const MARGIN: f64 = 48.0;
        const TITLE: f64 = 40.0;
        const COLUMNS: usize = 5;
        let (left, top) = if existing.is_empty() {
            (0.0, 0.0)
        } else {
            let left = existing.iter().map(|i| i.x).fold(f64::INFINITY, f64::min);
            let bottom = existing
                .iter()
                .map(|i| i.y + i.h)
                .fold(f64::NEG_INFINITY, f64::max);
            (left, bottom + 2.0 * MARGIN)
        };
        let inset = if frame_title.is_some() {
            (MARGIN, MARGIN + TITLE)
        } else {
            (0.0, 0.0)
        };
        // Positions relative to the import's own top left corner.
        let mut placed: Vec<PlannedItem> = self.items.clone();
        match self.placement {
            Placement::Grid => {
                let (nw, nh) = ItemKind::Note.default_size();
                for (index, item) in placed.iter_mut().enumerate() {
                    item.x = (index % COLUMNS) as f64 * (nw + GAP);
                    item.y = (index / COLUMNS) as f64 * (nh + GAP);
                    item.w = nw;
                    item.h = nh;
                }
            }
            Placement::Given => {
                let min_x = placed.iter().map(|i| i.x).fold(f64::INFINITY, f64::min);
                let min_y = placed.iter().map(|i| i.y).fold(f64::INFINITY, f64::min);
                for item in &mut placed {
                    item.x -= min_x;
                    item.y -= min_y;
                }
            }
        }
        let (width, height) = placed.iter().fold((0.0_f64, 0.0_f64), |(w, h), i| {
            (w.max(i.x + i.w), h.max(i.y + i.h))
        });
        let mut summary = ImportSummary::default();
        let mut out = Vec::with_capacity(placed.len() + self.edges.len() + 1);
        let wrapper = frame_title.map(|title| {
            let w = width.max(ItemKind::Note.default_size().0) + 2.0 * MARGIN;
            let h = height.max(ItemKind::Note.default_size().1) + 2.0 * MARGIN + TITLE;
            let id = ItemId::new();
            out.push((NewItem::frame(left, top, w, h, title).with_id(id), None));
            summary.frame = Some(id);
            id
        });
        let mut ids: HashMap<&str, ItemId> = HashMap::new();
        // Frames first, so that their notes can name them as parent.
        let (frames, others): (Vec<&PlannedItem>, Vec<&PlannedItem>) =
            placed.iter().partition(|i| i.kind == ItemKind::Frame);
        for item in frames.into_iter().chain(others) {
            let id = ItemId::new();
            let mut spec = NewItem::new(
                item.kind,
                left + inset.0 + item.x,
                top + inset.1 + item.y,
                item.text.clone(),
            )
            .with_size(item.w, item.h)
            .with_tags(item.tags.clone())
            .with_id(id);
            spec.color = item.color.clone();
            spec.parent = match (&item.parent, item.kind) {
                (_, ItemKind::Frame) => None,
                (Some(key), _) => ids.get(key.as_str()).copied().or(wrapper),
                (None, _) => wrapper,
            };
            out.push((spec, item.author.clone()));
            match item.kind {
                ItemKind::Frame => summary.frames.push(id),
                _ => summary.notes.push(id),
            }
            ids.insert(item.key.as_str(), id);
        }
        for edge in &self.edges {
            let (Some(from), Some(to)) = (ids.get(edge.from.as_str()), ids.get(edge.to.as_str()))
            else {
                continue;
            };
            let id = ItemId::new();
            let mut spec = NewItem::connector(*from, *to, edge.label.clone()).with_id(id);
            spec.color = edge.color.clone();
            out.push((spec, None));
            summary.connectors.push(id);
        }
        (out, summary)
    }
}

fn invalid(file_kind: &'static str, reason: impl Into<String>) -> Error {
    Error::InvalidImport {
        file_kind,
        reason: reason.into(),
    }
}

/// Bytes as UTF-8 text without a byte order mark; binary files are refused.
fn text_of<'a>(bytes: &'a [u8], file_kind: &'static str) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(Error::NotText {
            file_kind,
            reason: "the file contains binary data; it is not a text file".into(),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| Error::NotText {
        file_kind,
        reason: format!(
            "the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8 (in Excel: \"CSV UTF-8\")",
            e.valid_up_to()
        ),
    })
}

/// Plain text: one note per non-empty line.
///
/// # Errors
/// [`Error::InvalidImport`] for binary or non-UTF-8 files.
pub fn parse_text(bytes: &[u8]) -> Result<ImportPlan> {
    let text = text_of(bytes, "the text file")?;
    let items = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(index, line)| note(index.to_string(), line.to_owned()))
        .collect();
    Ok(ImportPlan {
        source: "text",
        items,
        edges: Vec::new(),
        placement: Placement::Grid,
        warnings: Vec::new(),
    })
}

fn note(key: String, text: String) -> PlannedItem {
    let (w, h) = ItemKind::Note.default_size();
    PlannedItem {
        key,
        kind: ItemKind::Note,
        x: 0.0,
        y: 0.0,
        w,
        h,
        color: None,
        text,
        tags: Vec::new(),
        author: None,
        parent: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_commonest_separator_of_the_first_line() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2,5;3"), b';');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("nur eine Spalte"), b',');
    }

    #[test]
    fn columns_typed_as_numbers_count_from_one() {
        assert_eq!(Column::parse("2"), Column::Index(1));
        assert_eq!(Column::parse("Inhalt"), Column::Name("Inhalt".into()));
    }
}
