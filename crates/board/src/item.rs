//! The plain view of board items, read totally from the shared document.

use serde::{Deserialize, Serialize};
use yrs::types::ToJson;
use yrs::{Any, GetString, Map, MapRef, Out, ReadTxn};

use crate::comment::{
    order_comments, read_coauthor, read_comment, read_comments, read_merged, read_reaction,
    Coauthor, Comment, Reaction, COAUTHOR_PREFIX, COMMENTS, COMMENT_PREFIX, MERGED_PREFIX,
    REACT_PREFIX,
};
use crate::ItemId;

/// The kinds of items on a board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A sticky note.
    Note,
    /// A frame (section) with a title; it owns notes and labels by their `parent`.
    Frame,
    /// Free text on the board.
    Label,
    /// An arrow between two items, with an optional label.
    Connector,
}

impl ItemKind {
    /// The value of the `type` key in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Note => "note",
            ItemKind::Frame => "frame",
            ItemKind::Label => "label",
            ItemKind::Connector => "connector",
        }
    }

    /// Reads a `type` value; unknown kinds (from newer or foreign clients) are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "note" => Some(ItemKind::Note),
            "frame" => Some(ItemKind::Frame),
            "label" => Some(ItemKind::Label),
            "connector" => Some(ItemKind::Connector),
            _ => None,
        }
    }

    /// Default size in board units for a new item of this kind.
    pub fn default_size(self) -> (f64, f64) {
        match self {
            ItemKind::Note => (200.0, 150.0),
            ItemKind::Frame => (800.0, 600.0),
            ItemKind::Label => (240.0, 48.0),
            ItemKind::Connector => (0.0, 0.0),
        }
    }

    /// Default colour for a new item of this kind.
    pub fn default_color(self) -> &'static str {
        match self {
            ItemKind::Note => "yellow",
            ItemKind::Frame => "grey",
            ItemKind::Label => "black",
            ItemKind::Connector => "black",
        }
    }
}

/// The named colours every client understands, with the hex value used on screen
/// and in exports. Items may also carry `#rrggbb` colours from foreign clients.
pub const PALETTE: &[(&str, &str)] = &[
    ("yellow", "#fff176"),
    ("orange", "#ffb74d"),
    ("red", "#ef9a9a"),
    ("pink", "#f48fb1"),
    ("purple", "#ce93d8"),
    ("blue", "#90caf9"),
    ("cyan", "#80deea"),
    ("green", "#a5d6a7"),
    ("grey", "#e0e0e0"),
    ("white", "#ffffff"),
    ("black", "#212121"),
];

/// The hex value of a colour name or a `#rrggbb` value; `None` for anything else.
pub fn color_hex(color: &str) -> Option<&str> {
    if let Some((_, hex)) = PALETTE.iter().find(|(name, _)| *name == color) {
        return Some(hex);
    }
    let is_hex = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    is_hex.then_some(color)
}

/// Whether a colour value can be stored on an item.
pub fn is_valid_color(color: &str) -> bool {
    color_hex(color).is_some()
}

/// One item of a board as plain data: what the UI draws and the exports write.
///
/// Geometry is in board units (1 unit = 1 CSS pixel at 100 % zoom), `x`/`y` the top
/// left corner. Times are milliseconds since the Unix epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Item {
    pub id: ItemId,
    pub kind: ItemKind,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Stacking order: higher is drawn on top.
    pub z: f64,
    pub color: String,
    /// The text of a note or label, the title of a frame, the label of a connector.
    pub text: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The frame this note or label belongs to.
    #[serde(default)]
    pub parent: Option<ItemId>,
    /// Start and end of a connector.
    #[serde(default)]
    pub from: Option<ItemId>,
    #[serde(default)]
    pub to: Option<ItemId>,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub author_id: String,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub updated: i64,
    /// Comments on a note, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// Reactions on a note, one per emoji and person, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<Reaction>,
    /// The authors of notes merged into this one, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coauthors: Vec<Coauthor>,
    /// Every note merged into this one, also those merged into them before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<ItemId>,
}

impl Item {
    /// Centre point of the item.
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Whether the point lies inside the item's rectangle.
    pub fn contains(&self, (px, py): (f64, f64)) -> bool {
        px >= self.x && px <= self.x + self.w && py >= self.y && py <= self.y + self.h
    }
}

/// Largest coordinate or size accepted; keeps foreign values from breaking layouts.
pub const MAX_COORD: f64 = 10_000_000.0;

/// Reads one item from its map, defaulting every field that is missing or of the
/// wrong type. Items of unknown kind are skipped (`None`); nothing here panics.
pub(crate) fn read_item<T: ReadTxn>(txn: &T, id: ItemId, map: &MapRef) -> Option<Item> {
    // One pass over the entries: large boards are read item by item on open.
    let mut kind = None;
    let (mut x, mut y, mut w, mut h, mut z) = (None, None, None, None, None);
    let (mut color, mut text, mut author, mut author_id) = (None, None, None, None);
    let (mut parent, mut from, mut to) = (None, None, None);
    let (mut created, mut updated) = (None, None);
    let mut tags = Vec::new();
    let mut foreign_tags = false;
    let mut comments = Vec::new();
    let (mut reactions, mut coauthors, mut merged) = (Vec::new(), Vec::new(), Vec::new());
    for (key, value) in map.iter(txn) {
        match key {
            "type" => kind = out_parse(txn, &value, ItemKind::parse),
            "x" => x = out_number(&value),
            "y" => y = out_number(&value),
            "w" => w = out_number(&value),
            "h" => h = out_number(&value),
            "z" => z = out_number(&value),
            "color" => color = out_string(txn, &value),
            "text" => text = out_string(txn, &value),
            "author" => author = out_string(txn, &value),
            "authorId" => author_id = out_string(txn, &value),
            "parent" => parent = out_parse(txn, &value, ItemId::parse),
            "from" => from = out_parse(txn, &value, ItemId::parse),
            "to" => to = out_parse(txn, &value, ItemId::parse),
            "created" => created = out_number(&value),
            "updated" => updated = out_number(&value),
            "tags" => foreign_tags = true,
            COMMENTS => comments.extend(read_comments(txn, &value)),
            _ => {
                if let Some(tag) = key.strip_prefix(TAG_PREFIX) {
                    if matches!(value, Out::Any(Any::Bool(true))) && !tag.trim().is_empty() {
                        tags.push(tag.to_owned());
                    }
                } else if let Some(rest) = key.strip_prefix(COMMENT_PREFIX) {
                    comments.extend(read_comment(txn, rest, &value));
                } else if let Some(rest) = key.strip_prefix(REACT_PREFIX) {
                    reactions.extend(read_reaction(txn, rest, &value));
                } else if let Some(rest) = key.strip_prefix(COAUTHOR_PREFIX) {
                    coauthors.extend(read_coauthor(txn, rest, &value));
                } else if let Some(rest) = key.strip_prefix(MERGED_PREFIX) {
                    merged.extend(read_merged(rest, &value).filter(|m| *m != id));
                }
            }
        }
    }
    let kind = kind?;
    if foreign_tags {
        tags.extend(self::foreign_tags(txn, map));
        tags.retain(|t| !t.trim().is_empty());
    }
    tags.sort();
    tags.dedup();
    let (dw, dh) = kind.default_size();
    let size = |v: Option<f64>, default: f64| {
        v.filter(|v| *v >= 0.0)
            .map(|v| v.min(MAX_COORD))
            .unwrap_or(default)
    };
    let coord = |v: Option<f64>| v.map(|v| v.clamp(-MAX_COORD, MAX_COORD)).unwrap_or(0.0);
    Some(Item {
        id,
        kind,
        x: coord(x),
        y: coord(y),
        w: size(w, dw),
        h: size(h, dh),
        z: coord(z),
        color: color
            .filter(|c| is_valid_color(c))
            .unwrap_or_else(|| kind.default_color().to_owned()),
        text: text.unwrap_or_default(),
        tags,
        parent: parent.filter(|p| *p != id),
        from,
        to,
        author: author.unwrap_or_default(),
        author_id: author_id.unwrap_or_default(),
        created: created.map(|v| v as i64).unwrap_or(0),
        updated: updated.map(|v| v as i64).unwrap_or(0),
        comments: {
            order_comments(&mut comments);
            comments
        },
        reactions: sorted(reactions),
        coauthors: sorted(coauthors),
        merged: sorted(merged),
    })
}

fn sorted<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort();
    values
}

pub(crate) fn out_number(value: &Out) -> Option<f64> {
    match value {
        Out::Any(Any::Number(n)) => n.as_f64().filter(|v| v.is_finite()),
        _ => None,
    }
}

/// A string value, or the content of a Y.Text.
/// Parses a string value where it is stored, without copying it first:
/// opening a large board reads the kind and references of every item.
fn out_parse<T: ReadTxn, R>(
    txn: &T,
    value: &Out,
    parse: impl FnOnce(&str) -> Option<R>,
) -> Option<R> {
    match value {
        Out::Any(Any::String(s)) => parse(s),
        Out::YText(t) => parse(&t.get_string(txn)),
        _ => None,
    }
}

pub(crate) fn out_string<T: ReadTxn>(txn: &T, value: &Out) -> Option<String> {
    match value {
        Out::Any(Any::String(s)) => Some(s.to_string()),
        Out::YText(t) => Some(t.get_string(txn)),
        _ => None,
    }
}

pub(crate) fn read_number<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<f64> {
    out_number(&map.get(txn, key)?)
}

pub(crate) fn read_string<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<String> {
    out_string(txn, &map.get(txn, key)?)
}

/// Prefix of the item keys that hold tags: `tag:<name>` → `true`, one key per
/// tag, so that concurrent additions merge like a set.
pub(crate) const TAG_PREFIX: &str = "tag:";

/// Tags in a `tags` value written by another client.
pub(crate) fn foreign_tags<T: ReadTxn>(txn: &T, map: &MapRef) -> Vec<String> {
    match map.get(txn, "tags") {
        Some(Out::YMap(tags)) => tags
            .iter(txn)
            .filter(|(_, v)| !matches!(v, Out::Any(Any::Bool(false)) | Out::Any(Any::Null)))
            .map(|(k, _)| k.to_owned())
            .collect(),
        Some(Out::YArray(tags)) => match tags.to_json(txn) {
            Any::Array(values) => values.iter().filter_map(any_string).collect(),
            _ => Vec::new(),
        },
        Some(Out::Any(Any::Array(values))) => values.iter().filter_map(any_string).collect(),
        _ => Vec::new(),
    }
}

fn any_string(value: &Any) -> Option<String> {
    match value {
        Any::String(s) => Some(s.to_string()),
        _ => None,
    }
}
