//! JSON Canvas files as notes, frames and connectors.

use super::*;

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
