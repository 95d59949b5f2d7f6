//! JSON Canvas (`.canvas`, version 1.0 of the open format from jsoncanvas.org,
//! used by Obsidian): notes and labels as text nodes, frames as group nodes,
//! connectors as edges. Nodes are listed in ascending z-order, as the format
//! asks. The reading side is in [`crate::import`].

use serde::{Deserialize, Serialize};
use stellwand_board::{color_hex, ItemKind, PALETTE};

use crate::model::ExportBoard;

/// A whole canvas file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CanvasFile {
    #[serde(default)]
    pub nodes: Vec<CanvasNode>,
    #[serde(default)]
    pub edges: Vec<CanvasEdge>,
}

/// One node; `kind` is the format's `type` (`text`, `group`, `file`, `link`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CanvasNode {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Text nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Group nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// File nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Link nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One edge between two nodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanvasEdge {
    pub id: String,
    pub from_node: String,
    pub to_node: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_side: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_side: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The format's six preset colours, as the palette names closest to them.
pub const PRESET_COLORS: [(&str, &str); 6] = [
    ("1", "red"),
    ("2", "orange"),
    ("3", "yellow"),
    ("4", "green"),
    ("5", "cyan"),
    ("6", "purple"),
];

/// A board as a JSON Canvas document (pretty-printed). Item ids become node
/// and edge ids; colours are written as `#rrggbb`, which every reader of the
/// format understands and which keeps the exact palette colour.
pub fn canvas(board: &ExportBoard) -> String {
    let file = canvas_file(board);
    serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{\"nodes\":[],\"edges\":[]}".into())
}

/// The canvas structure of a board (see [`canvas`]).
pub fn canvas_file(board: &ExportBoard) -> CanvasFile {
    let mut items: Vec<_> = board.items.iter().collect();
    items.sort_by(|a, b| a.z.total_cmp(&b.z));
    // Groups first keeps every group below its contents whatever their z.
    items.sort_by_key(|i| i.kind != ItemKind::Frame);
    let nodes: Vec<CanvasNode> = items
        .iter()
        .filter(|i| i.kind != ItemKind::Connector)
        .map(|i| {
            let group = i.kind == ItemKind::Frame;
            CanvasNode {
                id: i.id.to_string(),
                kind: if group { "group" } else { "text" }.to_owned(),
                x: i.x.round() as i64,
                y: i.y.round() as i64,
                width: i.w.round().max(1.0) as i64,
                height: i.h.round().max(1.0) as i64,
                // A label's colour is its text colour, not a card colour.
                color: (i.kind != ItemKind::Label)
                    .then(|| color_hex(&i.color).map(str::to_owned))
                    .flatten(),
                text: (!group).then(|| i.text.clone()),
                label: group.then(|| i.text.clone()),
                file: None,
                url: None,
            }
        })
        .collect();
    let edges = items
        .iter()
        .filter(|i| i.kind == ItemKind::Connector)
        .filter_map(|i| {
            Some(CanvasEdge {
                id: i.id.to_string(),
                from_node: i.from?.to_string(),
                to_node: i.to?.to_string(),
                from_side: None,
                to_side: None,
                from_end: None,
                to_end: Some("arrow".to_owned()),
                color: color_hex(&i.color)
                    .filter(|hex| *hex != "#212121")
                    .map(str::to_owned),
                label: (!i.text.trim().is_empty()).then(|| i.text.clone()),
            })
        })
        .collect();
    CanvasFile { nodes, edges }
}

/// A canvas colour (preset `"1"`–`"6"` or `#rrggbb`) as a board colour: the
/// palette name when the hex value is a palette colour.
pub(crate) fn board_color(canvas: &str) -> Option<String> {
    if let Some((_, name)) = PRESET_COLORS.iter().find(|(p, _)| *p == canvas) {
        return Some((*name).to_owned());
    }
    let lower = canvas.to_ascii_lowercase();
    if let Some((name, _)) = PALETTE.iter().find(|(_, hex)| *hex == lower) {
        return Some((*name).to_owned());
    }
    color_hex(&lower).map(str::to_owned)
}
