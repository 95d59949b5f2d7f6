//! Board templates: a layout of frames, labels, notes and connectors that a
//! new board starts from ("Brainstorming", "SWOT", "AG-Sitzung", …).
//!
//! A template is JSON (the shipped ones are `assets/templates/*.json`):
//!
//! ```json
//! { "id": "swot", "name": "SWOT", "description": "…",
//!   "items": [ { "key": "s", "kind": "frame", "x": 0, "y": 0, "w": 600, "h": 400, "text": "Stärken" },
//!              { "kind": "note", "x": 40, "y": 80, "text": "…", "parent": "s" } ] }
//! ```
//!
//! Items name each other (`parent`, `from`, `to`) by their `key`; every new
//! board gets fresh item ids. Reading is strict: unknown kinds, missing
//! keys, impossible sizes and oversized templates are refused with a
//! message, so a broken template never half-creates a board.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::intent::{Intent, ItemSpec};
use crate::{Item, ItemId, ItemKind};

/// Most items a template may hold.
pub const MAX_TEMPLATE_ITEMS: usize = 2_000;
/// Largest template file, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 2 << 20;

/// A template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable id (`swot`, or a UUID for a user's template).
    pub id: String,
    /// Name shown in the list.
    pub name: String,
    /// One sentence on what it is for.
    #[serde(default)]
    pub description: String,
    /// The items, in creation (z) order.
    pub items: Vec<TemplateItem>,
}

/// One item of a template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    /// How other items of the template refer to this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub kind: ItemKind,
    pub x: f64,
    pub y: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template {template:?}: {reason}")]
pub struct TemplateError {
    /// The template's id or file.
    pub template: String,
    /// What is wrong.
    pub reason: String,
}

impl Template {
    /// Reads and checks a template.
    ///
    /// # Errors
    /// [`TemplateError`] for text that is not such JSON, too large, or with
    /// items referring to keys that do not exist (or to a later frame).
    pub fn parse(source: &str, text: &str) -> Result<Template, TemplateError> {
        let fail = |reason: String| TemplateError {
            template: source.to_owned(),
            reason,
        };
        if text.len() > MAX_TEMPLATE_BYTES {
            return Err(fail(format!(
                "larger than {} MiB",
                MAX_TEMPLATE_BYTES >> 20
            )));
        }
        let template: Template =
            serde_json::from_str(text).map_err(|e| fail(format!("not a template: {e}")))?;
        template.check().map_err(fail)?;
        Ok(template)
    }

    fn check(&self) -> Result<(), String> {
        if self.id.trim().is_empty() || self.name.trim().is_empty() {
            return Err("id and name must not be empty".into());
        }
        if self.items.len() > MAX_TEMPLATE_ITEMS {
            return Err(format!("more than {MAX_TEMPLATE_ITEMS} items"));
        }
        let mut seen: HashMap<&str, ItemKind> = HashMap::new();
        for (i, item) in self.items.iter().enumerate() {
            let finite = [item.x, item.y].iter().all(|v| v.is_finite())
                && [item.w, item.h]
                    .iter()
                    .flatten()
                    .all(|v| v.is_finite() && *v > 0.0);
            if !finite {
                return Err(format!("item {} has an impossible position or size", i + 1));
            }
            let refers = |key: &Option<String>, what: &str| -> Result<(), String> {
                match key {
                    Some(key) if !seen.contains_key(key.as_str()) => Err(format!(
                        "item {} names {what} {key:?}, which no earlier item has as key",
                        i + 1
                    )),
                    _ => Ok(()),
                }
            };
            refers(&item.parent, "the frame")?;
            refers(&item.from, "the start")?;
            refers(&item.to, "the end")?;
            if item.kind == ItemKind::Connector && (item.from.is_none() || item.to.is_none()) {
                return Err(format!("connector {} needs `from` and `to`", i + 1));
            }
            if let Some(key) = &item.key {
                if seen.insert(key.as_str(), item.kind).is_some() {
                    return Err(format!("the key {key:?} is used twice"));
                }
            }
        }
        Ok(())
    }

    /// The intent that puts the template's items on a board, with fresh ids
    /// (one undo step).
    #[must_use]
    pub fn intent(&self) -> Intent {
        let ids: HashMap<&str, ItemId> = self
            .items
            .iter()
            .filter_map(|item| item.key.as_deref())
            .map(|key| (key, ItemId::new()))
            .collect();
        let id_of = |key: &Option<String>| key.as_deref().and_then(|k| ids.get(k).copied());
        let items = self
            .items
            .iter()
            .map(|item| ItemSpec {
                kind: item.kind,
                x: item.x,
                y: item.y,
                w: item.w,
                h: item.h,
                color: item.color.clone(),
                text: item.text.clone(),
                tags: item.tags.clone(),
                parent: id_of(&item.parent),
                from: id_of(&item.from),
                to: id_of(&item.to),
                id: id_of(&item.key),
                author: None,
            })
            .collect();
        Intent::Create {
            items,
            adopt: false,
        }
    }

    /// A template of a board's items ("Als Vorlage speichern"): frames
    /// first, then the rest in z-order, authors and votes left behind.
    #[must_use]
    pub fn from_items(id: &str, name: &str, description: &str, items: &[Item]) -> Template {
        let mut ordered: Vec<&Item> = items.iter().collect();
        ordered.sort_by(|a, b| {
            let frame = |i: &Item| i.kind != ItemKind::Frame;
            (frame(a), a.z)
                .partial_cmp(&(frame(b), b.z))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        // Connectors last: their ends must come first.
        ordered.sort_by_key(|i| i.kind == ItemKind::Connector);
        let known: std::collections::HashSet<ItemId> = ordered.iter().map(|i| i.id).collect();
        let key = |id: Option<ItemId>| id.filter(|id| known.contains(id)).map(|id| id.to_string());
        let items = ordered
            .iter()
            .filter(|i| {
                i.kind != ItemKind::Connector || (key(i.from).is_some() && key(i.to).is_some())
            })
            .map(|i| TemplateItem {
                key: Some(i.id.to_string()),
                kind: i.kind,
                x: i.x,
                y: i.y,
                w: Some(i.w),
                h: Some(i.h),
                color: Some(i.color.clone()),
                text: i.text.clone(),
                tags: i.tags.clone(),
                parent: key(i.parent),
                from: key(i.from),
                to: key(i.to),
            })
            .collect();
        Template {
            id: id.to_owned(),
            name: name.trim().to_owned(),
            description: description.trim().to_owned(),
            items,
        }
    }
}

/// The templates that ship with Stellwand (from `assets/templates/`).
#[must_use]
pub fn builtin() -> Vec<Template> {
    const SHIPPED: [(&str, &str); 6] = [
        (
            "brainstorming.json",
            include_str!("../../../assets/templates/brainstorming.json"),
        ),
        (
            "hemmnisse-loesungen.json",
            include_str!("../../../assets/templates/hemmnisse-loesungen.json"),
        ),
        (
            "swot.json",
            include_str!("../../../assets/templates/swot.json"),
        ),
        (
            "retrospektive.json",
            include_str!("../../../assets/templates/retrospektive.json"),
        ),
        (
            "kanban.json",
            include_str!("../../../assets/templates/kanban.json"),
        ),
        (
            "ag-sitzung.json",
            include_str!("../../../assets/templates/ag-sitzung.json"),
        ),
    ];
    SHIPPED
        .iter()
        // The shipped files are checked by the tests; one that fails to
        // read is left out rather than taking the app down.
        .filter_map(|(file, text)| Template::parse(file, text).ok())
        .collect()
}
