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

/// The delimiter of a CSV text: whichever of `;`, `,` and tab occurs most in
/// the first line (outside quotes); `,` when none does.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(d, _)| *d)
}

const TEXT_NAMES: &[&str] = &[
    "text",
    "inhalt",
    "notiz",
    "note",
    "content",
    "beschreibung",
    "titel",
    "title",
];
const COLOR_NAMES: &[&str] = &["color", "colour", "farbe"];
const TAG_NAMES: &[&str] = &[
    "tags",
    "tag",
    "schlagworte",
    "schlagwort",
    "stichworte",
    "stichwort",
    "labels",
];
const AUTHOR_NAMES: &[&str] = &["author", "autor", "autorin", "von", "creator", "name"];

/// German colour names accepted in CSV files besides the palette names and `#rrggbb`.
const GERMAN_COLORS: &[(&str, &str)] = &[
    ("gelb", "yellow"),
    ("orange", "orange"),
    ("rot", "red"),
    ("rosa", "pink"),
    ("pink", "pink"),
    ("lila", "purple"),
    ("violett", "purple"),
    ("blau", "blue"),
    ("türkis", "cyan"),
    ("grün", "green"),
    ("grau", "grey"),
    ("weiß", "white"),
    ("weiss", "white"),
    ("schwarz", "black"),
];

fn color_value(text: &str) -> Option<String> {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() {
        return None;
    }
    if let Some((_, name)) = GERMAN_COLORS.iter().find(|(de, _)| *de == lower) {
        return Some((*name).to_owned());
    }
    if lower == "gray" {
        return Some("grey".to_owned());
    }
    if is_valid_color(&lower) {
        return Some(lower);
    }
    board_color(&lower)
}

/// A CSV table: one note per row with text.
///
/// # Errors
/// [`Error::InvalidImport`] for binary, non-UTF-8 or malformed files and
/// files without any note text; [`Error::ColumnNotFound`] for a named column
/// the file does not have.
pub fn parse_csv(bytes: &[u8], options: &CsvImport) -> Result<ImportPlan> {
    const KIND: &str = "the CSV file";
    let text = text_of(bytes, KIND)?;
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(!options.no_header)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = if options.no_header {
        Vec::new()
    } else {
        reader
            .headers()
            .map_err(|e| invalid(KIND, format!("the header row cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect()
    };
    let available = || {
        if headers.is_empty() {
            "(no header row)".to_owned()
        } else {
            headers.join(", ")
        }
    };
    let resolve = |column: &Column| -> Result<usize> {
        match column {
            Column::Index(i) => Ok(*i),
            Column::Name(name) => headers
                .iter()
                .position(|h| {
                    h.eq_ignore_ascii_case(name) || h.to_lowercase() == name.to_lowercase()
                })
                .ok_or_else(|| Error::ColumnNotFound {
                    column: format!("{name:?}"),
                    available: available(),
                }),
        }
    };
    let by_name = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_lowercase().as_str()))
    };
    let text_column = match &options.text {
        Some(column) => resolve(column)?,
        None => by_name(TEXT_NAMES).unwrap_or(0),
    };
    let optional = |given: &Option<Column>, names: &[&str]| -> Result<Option<usize>> {
        match given {
            Some(column) => resolve(column).map(Some),
            None if options.no_detect => Ok(None),
            None => Ok(by_name(names).filter(|i| *i != text_column)),
        }
    };
    let color_column = optional(&options.color, COLOR_NAMES)?;
    let tags_column = optional(&options.tags, TAG_NAMES)?;
    let author_column = optional(&options.author, AUTHOR_NAMES)?;

    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let mut widest = 0usize;
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(row + 2, |p| p.line() as usize);
            invalid(KIND, format!("line {line} cannot be read: {e}"))
        })?;
        widest = widest.max(record.len());
        let field = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(|cell| crate::csv_table::from_spreadsheet(cell.trim()))
                .unwrap_or("")
        };
        let text = field(Some(text_column));
        if text.is_empty() {
            continue;
        }
        let mut planned = note(items.len().to_string(), text.to_owned());
        let color = field(color_column);
        if !color.is_empty() {
            planned.color = color_value(color);
            if planned.color.is_none() && warnings.len() < 20 {
                warnings.push(format!(
                    "unknown colour {color:?} in row {}; using the default",
                    row + 1
                ));
            }
        }
        planned.tags = field(tags_column)
            .split([',', ';', '#'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let author = field(author_column);
        if !author.is_empty() {
            planned.author = Some(author.to_owned());
        }
        items.push(planned);
    }
    if let Some(Column::Index(i)) = &options.text {
        if *i >= widest.max(headers.len()) {
            return Err(Error::ColumnNotFound {
                column: format!("number {}", i + 1),
                available: available(),
            });
        }
    }
    if items.is_empty() {
        return Err(Error::NoNoteText { file_kind: KIND });
    }
    Ok(ImportPlan {
        source: "CSV",
        items,
        edges: Vec::new(),
        placement: Placement::Grid,
        warnings,
    })
}

/// The columns of a CSV file, for a user to choose from: the first row's
/// cells, the next row's as an example, and the columns [`parse_csv`] finds
/// by their names.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvColumns {
    /// The first row's cells (the column names when `header` is true).
    pub first: Vec<String>,
    /// The next row's cells, as an example of the content.
    pub example: Vec<String>,
    /// Number of columns: the wider of the two rows.
    pub count: usize,
    /// Whether the first row looks like column names: one of them is a
    /// known name, or (with several columns) they are all filled, distinct
    /// and not numbers.
    pub header: bool,
    /// The note text column (0-based) as [`parse_csv`] picks it by name.
    pub text: usize,
    pub color: Option<usize>,
    pub tags: Option<usize>,
    pub author: Option<usize>,
}

/// Reads the first two rows of a CSV file; see [`CsvColumns`].
///
/// # Errors
/// [`Error::NotText`] for binary or non-UTF-8 files, [`Error::InvalidImport`]
/// when the first rows cannot be read, [`Error::NoNoteText`] for an empty file.
pub fn csv_columns(bytes: &[u8]) -> Result<CsvColumns> {
    const KIND: &str = "the CSV file";
    let text = text_of(bytes, KIND)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(2) {
        let record =
            record.map_err(|e| invalid(KIND, format!("the first lines cannot be read: {e}")))?;
        rows.push(
            record
                .iter()
                .map(|cell| crate::csv_table::from_spreadsheet(cell.trim()).to_owned())
                .collect::<Vec<String>>(),
        );
    }
    let mut rows = rows.into_iter();
    let first = rows.next().unwrap_or_default();
    let example = rows.next().unwrap_or_default();
    let count = first.len().max(example.len());
    if count == 0 || first.iter().chain(&example).all(String::is_empty) {
        return Err(Error::NoNoteText { file_kind: KIND });
    }
    let lower: Vec<String> = first.iter().map(|c| c.to_lowercase()).collect();
    let by_name = |names: &[&str]| lower.iter().position(|c| names.contains(&c.as_str()));
    let known = [TEXT_NAMES, COLOR_NAMES, TAG_NAMES, AUTHOR_NAMES]
        .iter()
        .any(|names| by_name(names).is_some());
    let distinct: HashSet<&str> = lower.iter().map(String::as_str).collect();
    let header = known
        || (first.len() > 1
            && distinct.len() == first.len()
            && first
                .iter()
                .all(|c| !c.is_empty() && c.replace(',', ".").parse::<f64>().is_err()));
    if !header {
        return Ok(CsvColumns {
            first,
            example,
            count,
            header,
            text: 0,
            color: None,
            tags: None,
            author: None,
        });
    }
    let text = by_name(TEXT_NAMES).unwrap_or(0);
    let optional = |names: &[&str]| by_name(names).filter(|i| *i != text);
    Ok(CsvColumns {
        text,
        color: optional(COLOR_NAMES),
        tags: optional(TAG_NAMES),
        author: optional(AUTHOR_NAMES),
        first,
        example,
        count,
        header,
    })
}

/// A JSON Canvas file: text, file and link nodes become notes, groups become
/// frames (a node belongs to the smallest group around its centre), edges
/// become connectors. Nodes are created in file order, which the format
/// defines as ascending z-order.
///
/// # Errors
/// [`Error::InvalidImport`] when the file is not JSON, not a canvas, or
/// breaks the format's rules (missing fields, duplicate ids, edges to
/// unknown nodes, impossible coordinates).
pub fn parse_canvas(bytes: &[u8]) -> Result<ImportPlan> {
    const KIND: &str = "the JSON Canvas file";
    let text = text_of(bytes, KIND)?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| invalid(KIND, format!("it is not JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(invalid(KIND, "it is not a JSON object"));
    };
    if !object.contains_key("nodes") && !object.contains_key("edges") {
        return Err(invalid(KIND, "it has neither \"nodes\" nor \"edges\""));
    }
    let list = |key: &str| -> Result<Vec<Value>> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(list)) => Ok(list.clone()),
            Some(_) => Err(invalid(KIND, format!("\"{key}\" is not a list"))),
        }
    };
    let mut items: Vec<PlannedItem> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut warnings = Vec::new();
    for (index, node) in list("nodes")?.iter().enumerate() {
        let at = |field: &str| format!("node {} ({field})", index + 1);
        let string = |key: &str| node.get(key).and_then(Value::as_str);
        let id = string("id")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| invalid(KIND, format!("{} is missing", at("id"))))?
            .to_owned();
        if !seen.insert(id.clone()) {
            return Err(invalid(KIND, format!("the node id {id:?} is used twice")));
        }
        let number = |key: &str, size: bool| -> Result<f64> {
            let v = node
                .get(key)
                .and_then(Value::as_f64)
                .ok_or_else(|| invalid(KIND, format!("{} is missing or not a number", at(key))))?;
            let ok = v.is_finite() && v.abs() <= MAX_COORD && (!size || v > 0.0);
            if ok {
                Ok(v)
            } else {
                Err(invalid(
                    KIND,
                    format!("{} has the impossible value {v}", at(key)),
                ))
            }
        };
        let (x, y, w, h) = (
            number("x", false)?,
            number("y", false)?,
            number("width", true)?,
            number("height", true)?,
        );
        let kind =
            string("type").ok_or_else(|| invalid(KIND, format!("{} is missing", at("type"))))?;
        let (item_kind, text) = match kind {
            "text" => (ItemKind::Note, string("text").unwrap_or("").to_owned()),
            "group" => (ItemKind::Frame, string("label").unwrap_or("").to_owned()),
            "file" => (
                ItemKind::Note,
                string("file")
                    .ok_or_else(|| invalid(KIND, format!("{} is missing", at("file"))))?
                    .to_owned(),
            ),
            "link" => (
                ItemKind::Note,
                string("url")
                    .ok_or_else(|| invalid(KIND, format!("{} is missing", at("url"))))?
                    .to_owned(),
            ),
            other => {
                return Err(invalid(
                    KIND,
                    format!("node {id:?} has the unknown type {other:?}"),
                ));
            }
        };
        let color = match string("color") {
            Some(c) => {
                let mapped = board_color(c);
                if mapped.is_none() {
                    warnings.push(format!(
                        "unknown colour {c:?} of node {id:?}; using the default"
                    ));
                }
                mapped
            }
            None => None,
        };
        items.push(PlannedItem {
            key: id,
            kind: item_kind,
            x,
            y,
            w,
            h,
            color,
            text,
            tags: Vec::new(),
            author: None,
            parent: None,
        });
    }
    // Ownership: the smallest group that contains the node's centre.
    let groups: Vec<(String, f64, f64, f64, f64)> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Frame)
        .map(|g| (g.key.clone(), g.x, g.y, g.w, g.h))
        .collect();
    for item in items.iter_mut().filter(|i| i.kind != ItemKind::Frame) {
        let (cx, cy) = (item.x + item.w / 2.0, item.y + item.h / 2.0);
        item.parent = groups
            .iter()
            .filter(|(_, x, y, w, h)| cx >= *x && cx <= x + w && cy >= *y && cy <= y + h)
            .min_by(|a, b| (a.3 * a.4).total_cmp(&(b.3 * b.4)))
            .map(|g| g.0.clone());
    }
    let mut edges = Vec::new();
    let mut edge_ids: HashSet<String> = HashSet::new();
    for (index, edge) in list("edges")?.iter().enumerate() {
        let string = |key: &str| edge.get(key).and_then(Value::as_str);
        let id = string("id").unwrap_or("");
        if id.is_empty() {
            return Err(invalid(KIND, format!("edge {} has no id", index + 1)));
        }
        if !edge_ids.insert(id.to_owned()) || seen.contains(id) {
            return Err(invalid(KIND, format!("the id {id:?} is used twice")));
        }
        let end = |key: &str| -> Result<String> {
            let node =
                string(key).ok_or_else(|| invalid(KIND, format!("edge {id:?} has no {key}")))?;
            if seen.contains(node) {
                Ok(node.to_owned())
            } else {
                Err(invalid(
                    KIND,
                    format!("edge {id:?} points to the unknown node {node:?}"),
                ))
            }
        };
        edges.push(PlannedEdge {
            from: end("fromNode")?,
            to: end("toNode")?,
            label: string("label").unwrap_or("").to_owned(),
            color: string("color").and_then(board_color),
        });
    }
    Ok(ImportPlan {
        source: "JSON Canvas",
        items,
        edges,
        placement: Placement::Given,
        warnings,
    })
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
