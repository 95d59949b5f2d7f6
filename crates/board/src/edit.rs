//! Changing a board: [`Edit`], one transaction with validated operations,
//! and [`NewItem`], what it takes to create an item.

use std::collections::{BTreeSet, HashMap, HashSet};

use yrs::types::text::TextPrelim;
use yrs::{
    Any, GetString, In, Map, MapPrelim, MapRef, Out, ReadTxn, Text, TextRef, TransactionMut,
};

use crate::board::Author;
use crate::item::{read_item, read_number, read_string, Item, ItemKind, MAX_COORD, TAG_PREFIX};
use crate::text::{is_utf16_boundary, minimal_edit, utf16_len};
use crate::{Error, ItemId, Result};

/// Everything needed to create an item.
#[derive(Clone, Debug, PartialEq)]
pub struct NewItem {
    pub kind: ItemKind,
    pub x: f64,
    pub y: f64,
    /// Size; the kind's default size when `None`.
    pub size: Option<(f64, f64)>,
    /// Colour name or `#rrggbb`; the kind's default when `None`.
    pub color: Option<String>,
    pub text: String,
    pub tags: Vec<String>,
    pub parent: Option<ItemId>,
    /// Ends of a connector.
    pub from: Option<ItemId>,
    pub to: Option<ItemId>,
    /// A given id (imports, restores); a fresh one when `None`.
    pub id: Option<ItemId>,
}

impl NewItem {
    /// A new item of `kind` at (`x`, `y`) with `text`, everything else default.
    pub fn new(kind: ItemKind, x: f64, y: f64, text: impl Into<String>) -> Self {
        NewItem {
            kind,
            x,
            y,
            size: None,
            color: None,
            text: text.into(),
            tags: Vec::new(),
            parent: None,
            from: None,
            to: None,
            id: None,
        }
    }

    /// A sticky note.
    pub fn note(x: f64, y: f64, text: impl Into<String>) -> Self {
        Self::new(ItemKind::Note, x, y, text)
    }

    /// A frame with a title.
    pub fn frame(x: f64, y: f64, w: f64, h: f64, title: impl Into<String>) -> Self {
        Self::new(ItemKind::Frame, x, y, title).with_size(w, h)
    }

    /// A connector from one item to another.
    pub fn connector(from: ItemId, to: ItemId, label: impl Into<String>) -> Self {
        let mut item = Self::new(ItemKind::Connector, 0.0, 0.0, label);
        item.from = Some(from);
        item.to = Some(to);
        item
    }

    /// Sets the size.
    pub fn with_size(mut self, w: f64, h: f64) -> Self {
        self.size = Some((w, h));
        self
    }

    /// Sets the colour.
    pub fn with_color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// Sets the frame the item belongs to.
    pub fn in_frame(mut self, frame: ItemId) -> Self {
        self.parent = Some(frame);
        self
    }

    /// Sets the tags.
    pub fn with_tags(mut self, tags: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Uses a given id.
    pub fn with_id(mut self, id: ItemId) -> Self {
        self.id = Some(id);
        self
    }
}

/// One open transaction on a board; see [`Board::edit`](crate::Board::edit). Every method validates
/// its input before it changes anything.
pub struct Edit<'a> {
    pub(crate) txn: TransactionMut<'a>,
    pub(crate) items: &'a MapRef,
    pub(crate) meta: &'a MapRef,
    pub(crate) author: &'a Author,
    pub(crate) now: i64,
    /// Highest z on the board, once known in this transaction.
    pub(crate) top: Option<f64>,
}

impl Edit<'_> {
    /// All readable items as they are inside this transaction.
    pub fn items(&self) -> Vec<Item> {
        all_items(&self.txn, self.items)
    }

    /// One item as it is inside this transaction.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn item(&self, id: ItemId) -> Result<Item> {
        let map = self.map(id)?;
        read_item(&self.txn, id, &map).ok_or(Error::ItemNotFound(id))
    }

    /// Sets the board title.
    pub fn set_title(&mut self, title: &str) {
        self.meta.insert(&mut self.txn, "title", title);
    }

    /// Creates an item on top of all others and returns its id.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for non-finite coordinates or an unknown colour,
    /// [`Error::InvalidParent`]/[`Error::ItemNotFound`] for a bad parent or connector end.
    pub fn create(&mut self, spec: NewItem) -> Result<ItemId> {
        let id = spec.id.unwrap_or_default();
        let (w, h) = spec.size.unwrap_or_else(|| spec.kind.default_size());
        check_coord("x", spec.x)?;
        check_coord("y", spec.y)?;
        check_size("w", w)?;
        check_size("h", h)?;
        let color = match spec.color {
            Some(color) => check_color(color)?,
            None => spec.kind.default_color().to_owned(),
        };
        if let Some(parent) = spec.parent {
            self.check_parent(id, spec.kind, parent)?;
        }
        if spec.kind == ItemKind::Connector {
            for end in [spec.from, spec.to] {
                let end = end.ok_or_else(|| Error::InvalidValue {
                    field: "connector",
                    reason: "a connector needs two ends".into(),
                })?;
                let kind = self.item(end)?.kind;
                if kind == ItemKind::Connector {
                    return Err(Error::WrongKind {
                        id: end,
                        kind: kind.as_str(),
                        operation: "being a connector end",
                    });
                }
            }
        }
        let z = self.top_z() + 1.0;
        self.top = Some(z);
        let mut fields: Vec<(&str, In)> = vec![
            ("type", spec.kind.as_str().into()),
            ("x", spec.x.into()),
            ("y", spec.y.into()),
            ("w", w.into()),
            ("h", h.into()),
            ("z", z.into()),
            ("color", color.into()),
            ("text", TextPrelim::new(spec.text).into()),
            ("author", self.author.name.as_str().into()),
            ("authorId", self.author.id.as_str().into()),
            ("created", (self.now as f64).into()),
            ("updated", (self.now as f64).into()),
        ];
        for (key, value) in [
            ("parent", spec.parent),
            ("from", spec.from),
            ("to", spec.to),
        ] {
            if let Some(value) = value {
                fields.push((key, value.to_string().into()));
            }
        }
        let tags: Vec<String> = clean_tags(&spec.tags)
            .into_iter()
            .map(|t| format!("{TAG_PREFIX}{t}"))
            .collect();
        for tag in &tags {
            fields.push((tag.as_str(), true.into()));
        }
        self.items
            .insert(&mut self.txn, id.to_string(), MapPrelim::from_iter(fields));
        Ok(id)
    }

    /// Replaces the whole text of an item through the smallest edit, so that
    /// concurrent edits elsewhere in the same text survive.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn set_text(&mut self, id: ItemId, text: &str) -> Result<()> {
        let map = self.map(id)?;
        match map.get(&self.txn, "text") {
            Some(Out::YText(t)) => {
                let old = t.get_string(&self.txn);
                if let Some((index, delete, insert)) = minimal_edit(&old, text) {
                    apply_text_edit(&mut self.txn, &t, index, delete, insert);
                }
            }
            _ => {
                map.insert(&mut self.txn, "text", TextPrelim::new(text));
            }
        }
        self.touch(&map);
        Ok(())
    }

    /// Deletes `delete` and inserts `insert` at `index` (UTF-16 code units, as in
    /// JavaScript).
    ///
    /// # Errors
    /// [`Error::TextRange`] for positions outside the text or inside a surrogate pair.
    pub fn edit_text(&mut self, id: ItemId, index: u32, delete: u32, insert: &str) -> Result<()> {
        let map = self.map(id)?;
        let text = self.text_ref(&map);
        let current = text.get_string(&self.txn);
        let end = index.checked_add(delete);
        let valid = end.is_some_and(|end| {
            is_utf16_boundary(&current, index) && is_utf16_boundary(&current, end)
        });
        if !valid {
            return Err(Error::TextRange {
                id,
                index,
                len: delete,
                text_len: utf16_len(&current),
            });
        }
        apply_text_edit(&mut self.txn, &text, index, delete, insert);
        self.touch(&map);
        Ok(())
    }

    /// Moves an item's top left corner to (`x`, `y`); a frame takes its contents along.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`].
    pub fn move_to(&mut self, id: ItemId, x: f64, y: f64) -> Result<()> {
        let item = self.item(id)?;
        self.move_by(&[id], x - item.x, y - item.y)
    }

    /// Moves items by (`dx`, `dy`); frames take their contents along.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`].
    pub fn move_by(&mut self, ids: &[ItemId], dx: f64, dy: f64) -> Result<()> {
        check_coord("dx", dx)?;
        check_coord("dy", dy)?;
        let moved = self.with_children(ids)?;
        let mut items = Vec::with_capacity(moved.len());
        for id in moved {
            let item = self.item(id)?;
            if item.kind == ItemKind::Connector {
                continue;
            }
            check_coord("x", item.x + dx)?;
            check_coord("y", item.y + dy)?;
            items.push(item);
        }
        for item in items {
            let map = self.map(item.id)?;
            map.insert(&mut self.txn, "x", item.x + dx);
            map.insert(&mut self.txn, "y", item.y + dy);
            self.touch(&map);
        }
        Ok(())
    }

    /// Sets an item's size.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`] for sizes that are not positive.
    pub fn resize(&mut self, id: ItemId, w: f64, h: f64) -> Result<()> {
        check_size("w", w)?;
        check_size("h", h)?;
        let map = self.map(id)?;
        map.insert(&mut self.txn, "w", w);
        map.insert(&mut self.txn, "h", h);
        self.touch(&map);
        Ok(())
    }

    /// Sets an item's rectangle without moving anything else (resizing by a
    /// left or top handle; a frame's contents stay where they are).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`].
    pub fn set_bounds(&mut self, id: ItemId, x: f64, y: f64, w: f64, h: f64) -> Result<()> {
        check_coord("x", x)?;
        check_coord("y", y)?;
        check_size("w", w)?;
        check_size("h", h)?;
        let map = self.map(id)?;
        map.insert(&mut self.txn, "x", x);
        map.insert(&mut self.txn, "y", y);
        map.insert(&mut self.txn, "w", w);
        map.insert(&mut self.txn, "h", h);
        self.touch(&map);
        Ok(())
    }

    /// Gives items a colour (a palette name or `#rrggbb`).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`] for unknown colours.
    pub fn recolor(&mut self, ids: &[ItemId], color: &str) -> Result<()> {
        let color = check_color(color.to_owned())?;
        let maps = ids
            .iter()
            .map(|id| self.map(*id))
            .collect::<Result<Vec<_>>>()?;
        for map in maps {
            map.insert(&mut self.txn, "color", color.as_str());
            self.touch(&map);
        }
        Ok(())
    }

    /// Adds a tag to an item (tags are a set: adding twice keeps one).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`] for an empty tag.
    pub fn add_tag(&mut self, id: ItemId, tag: &str) -> Result<()> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(Error::InvalidValue {
                field: "tag",
                reason: "a tag needs at least one character".into(),
            });
        }
        let map = self.map(id)?;
        map.insert(&mut self.txn, format!("{TAG_PREFIX}{tag}"), true);
        self.touch(&map);
        Ok(())
    }

    /// Removes a tag from an item; removing a tag it does not have is no error.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn remove_tag(&mut self, id: ItemId, tag: &str) -> Result<()> {
        let map = self.map(id)?;
        self.adopt_foreign_tags(&map);
        if map
            .remove(&mut self.txn, &format!("{TAG_PREFIX}{}", tag.trim()))
            .is_some()
        {
            self.touch(&map);
        }
        Ok(())
    }

    /// Records who wrote an item (imports from other tools, workshop notes typed
    /// in by a facilitator on behalf of a participant).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn set_author(&mut self, id: ItemId, name: &str, author_id: &str) -> Result<()> {
        let map = self.map(id)?;
        map.insert(&mut self.txn, "author", name);
        map.insert(&mut self.txn, "authorId", author_id);
        self.touch(&map);
        Ok(())
    }

    /// Puts a note or label into a frame, or takes it out with `None`.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidParent`].
    pub fn set_parent(&mut self, id: ItemId, parent: Option<ItemId>) -> Result<()> {
        let item = self.item(id)?;
        let map = self.map(id)?;
        match parent {
            Some(parent) => {
                self.check_parent(id, item.kind, parent)?;
                map.insert(&mut self.txn, "parent", parent.to_string());
            }
            None => {
                map.remove(&mut self.txn, "parent");
            }
        }
        self.touch(&map);
        Ok(())
    }

    /// Sets the parent of notes and labels from where they lie: the topmost frame
    /// that contains their centre, or none. Returns the new parent of each.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn adopt_by_position(&mut self, ids: &[ItemId]) -> Result<Vec<Option<ItemId>>> {
        let mut frames: Vec<Item> = self
            .skeletons()
            .into_iter()
            .filter(|s| s.kind == ItemKind::Frame)
            .filter_map(|s| self.item(s.id).ok())
            .collect();
        frames.sort_by(|a, b| b.z.total_cmp(&a.z));
        let mut result = Vec::with_capacity(ids.len());
        for id in ids {
            let item = self.item(*id)?;
            if !matches!(item.kind, ItemKind::Note | ItemKind::Label) {
                result.push(item.parent);
                continue;
            }
            let parent = frames
                .iter()
                .find(|f| f.contains(item.center()))
                .map(|f| f.id);
            if parent != item.parent {
                self.set_parent(*id, parent)?;
            }
            result.push(parent);
        }
        Ok(result)
    }

    /// Deletes items. A frame takes its contents with it, and connectors attached
    /// to a deleted item go too. Returns every deleted id.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`] when one of `ids` does not exist; nothing is deleted then.
    pub fn delete(&mut self, ids: &[ItemId]) -> Result<Vec<ItemId>> {
        let mut doomed = self.with_children(ids)?;
        for item in &self.skeletons() {
            let attached = [item.from, item.to]
                .iter()
                .flatten()
                .any(|end| doomed.contains(end));
            if item.kind == ItemKind::Connector && attached {
                doomed.insert(item.id);
            }
        }
        for id in &doomed {
            self.items.remove(&mut self.txn, &id.to_string());
        }
        Ok(doomed.into_iter().collect())
    }

    /// Copies items, offset by (`dx`, `dy`): frames with their contents, and
    /// connectors whose both ends are copied. Returns the ids of the copies of `ids`
    /// in the same order.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn duplicate(&mut self, ids: &[ItemId], dx: f64, dy: f64) -> Result<Vec<ItemId>> {
        let mut copied = self.with_children(ids)?;
        let frames: HashSet<ItemId> = self
            .skeletons()
            .into_iter()
            .filter(|s| s.kind == ItemKind::Frame)
            .map(|s| s.id)
            .collect();
        for item in &self.skeletons() {
            let both_ends = matches!((item.from, item.to), (Some(a), Some(b)) if copied.contains(&a) && copied.contains(&b));
            if item.kind == ItemKind::Connector && both_ends {
                copied.insert(item.id);
            }
        }
        let all = copied
            .iter()
            .map(|id| self.item(*id))
            .collect::<Result<Vec<_>>>()?;
        let mut order: Vec<&Item> = all.iter().collect();
        // Frames first so that contents can refer to them, connectors last.
        order.sort_by_key(|i| match i.kind {
            ItemKind::Frame => 0,
            ItemKind::Connector => 2,
            _ => 1,
        });
        let mut new_ids: HashMap<ItemId, ItemId> = HashMap::new();
        for item in order {
            let map_id = |id: Option<ItemId>| id.map(|id| new_ids.get(&id).copied().unwrap_or(id));
            let spec = NewItem {
                kind: item.kind,
                x: item.x + dx,
                y: item.y + dy,
                size: Some((item.w, item.h)),
                color: Some(item.color.clone()),
                text: item.text.clone(),
                tags: item.tags.clone(),
                parent: map_id(item.parent.filter(|p| frames.contains(p))),
                from: map_id(item.from),
                to: map_id(item.to),
                id: None,
            };
            let new_id = self.create(spec)?;
            new_ids.insert(item.id, new_id);
        }
        Ok(ids
            .iter()
            .filter_map(|id| new_ids.get(id).copied())
            .collect())
    }

    /// Puts items above all others, keeping their order among themselves.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn bring_to_front(&mut self, ids: &[ItemId]) -> Result<()> {
        let top = self.top_z();
        self.restack(ids, |rank| top + 1.0 + rank as f64)
    }

    /// Puts items below all others, keeping their order among themselves.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn send_to_back(&mut self, ids: &[ItemId]) -> Result<()> {
        let bottom = self
            .items()
            .iter()
            .map(|i| i.z)
            .fold(f64::INFINITY, f64::min);
        let bottom = if bottom.is_finite() { bottom } else { 0.0 };
        let count = ids.len() as f64;
        self.restack(ids, |rank| bottom - count + rank as f64)
    }

    pub(crate) fn skeletons(&self) -> Vec<Skeleton> {
        self.items
            .iter(&self.txn)
            .filter_map(|(key, value)| read_skeleton(&self.txn, key, value))
            .collect()
    }

    /// `ids` plus the contents of any frame among them.
    fn with_children(&self, ids: &[ItemId]) -> Result<BTreeSet<ItemId>> {
        let mut set: BTreeSet<ItemId> = BTreeSet::new();
        let mut frames: HashSet<ItemId> = HashSet::new();
        for id in ids {
            let map = self.map(*id)?;
            if read_string(&self.txn, &map, "type").as_deref() == Some("frame") {
                frames.insert(*id);
            }
            set.insert(*id);
        }
        if !frames.is_empty() {
            for item in self.skeletons() {
                if item.parent.is_some_and(|p| frames.contains(&p)) {
                    set.insert(item.id);
                }
            }
        }
        Ok(set)
    }

    pub(crate) fn map(&self, id: ItemId) -> Result<MapRef> {
        match self.items.get(&self.txn, &id.to_string()) {
            Some(Out::YMap(map)) => Ok(map),
            _ => Err(Error::ItemNotFound(id)),
        }
    }

    fn text_ref(&mut self, map: &MapRef) -> TextRef {
        match map.get(&self.txn, "text") {
            Some(Out::YText(text)) => text,
            other => {
                let old = match other {
                    Some(Out::Any(Any::String(s))) => s.to_string(),
                    _ => String::new(),
                };
                map.insert(&mut self.txn, "text", TextPrelim::new(old))
            }
        }
    }

    /// Rewrites tags from a foreign `tags` value as `tag:` keys, so that they
    /// can be removed one by one.
    fn adopt_foreign_tags(&mut self, map: &MapRef) {
        let foreign = crate::item::foreign_tags(&self.txn, map);
        if map.get(&self.txn, "tags").is_none() {
            return;
        }
        for tag in foreign {
            map.insert(&mut self.txn, format!("{TAG_PREFIX}{tag}"), true);
        }
        map.remove(&mut self.txn, "tags");
    }

    pub(crate) fn touch(&mut self, map: &MapRef) {
        map.insert(&mut self.txn, "updated", self.now as f64);
    }

    pub(crate) fn top_z(&mut self) -> f64 {
        if let Some(top) = self.top {
            return top;
        }
        let top = self
            .items
            .iter(&self.txn)
            .filter_map(|(_, value)| match value {
                Out::YMap(map) => read_number(&self.txn, &map, "z"),
                _ => None,
            })
            .map(|z| z.clamp(-MAX_COORD, MAX_COORD))
            .fold(f64::NEG_INFINITY, f64::max);
        let top = if top.is_finite() { top } else { 0.0 };
        self.top = Some(top);
        top
    }

    fn restack(&mut self, ids: &[ItemId], z_for_rank: impl Fn(usize) -> f64) -> Result<()> {
        let mut chosen = ids
            .iter()
            .map(|id| self.item(*id))
            .collect::<Result<Vec<_>>>()?;
        chosen.sort_by(|a, b| a.z.total_cmp(&b.z));
        for (rank, item) in chosen.iter().enumerate() {
            let map = self.map(item.id)?;
            let z = z_for_rank(rank);
            map.insert(&mut self.txn, "z", z);
            self.touch(&map);
            self.top = self.top.map(|top| top.max(z));
        }
        Ok(())
    }

    fn check_parent(&self, child: ItemId, kind: ItemKind, parent: ItemId) -> Result<()> {
        if !matches!(kind, ItemKind::Note | ItemKind::Label) {
            return Err(Error::InvalidParent {
                child,
                parent,
                reason: "only notes and labels can be placed into a frame",
            });
        }
        if child == parent {
            return Err(Error::InvalidParent {
                child,
                parent,
                reason: "an item cannot contain itself",
            });
        }
        if self.item(parent)?.kind != ItemKind::Frame {
            return Err(Error::InvalidParent {
                child,
                parent,
                reason: "the parent is not a frame",
            });
        }
        Ok(())
    }
}

fn apply_text_edit(
    txn: &mut TransactionMut<'_>,
    text: &TextRef,
    index: u32,
    delete: u32,
    insert: &str,
) {
    if delete > 0 {
        text.remove_range(txn, index, delete);
    }
    if !insert.is_empty() {
        text.insert(txn, index, insert);
    }
}

pub(crate) fn all_items<T: ReadTxn>(txn: &T, items: &MapRef) -> Vec<Item> {
    items
        .iter(txn)
        .filter_map(|(key, value)| match value {
            Out::YMap(map) => read_item(txn, ItemId::parse(key)?, &map),
            _ => None,
        })
        .collect()
}

/// The references of an item, read without its text: enough to follow frames
/// and connectors cheaply on large boards.
pub(crate) struct Skeleton {
    pub(crate) id: ItemId,
    pub(crate) kind: ItemKind,
    pub(crate) parent: Option<ItemId>,
    pub(crate) from: Option<ItemId>,
    pub(crate) to: Option<ItemId>,
}

fn read_skeleton<T: ReadTxn>(txn: &T, key: &str, value: Out) -> Option<Skeleton> {
    let Out::YMap(map) = value else { return None };
    let id = ItemId::parse(key)?;
    let kind = ItemKind::parse(&read_string(txn, &map, "type")?)?;
    let reference = |k| read_string(txn, &map, k).and_then(|s| ItemId::parse(&s));
    Some(Skeleton {
        id,
        kind,
        parent: reference("parent").filter(|p| *p != id),
        from: reference("from"),
        to: reference("to"),
    })
}

fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

pub(crate) fn check_coord(field: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value.abs() <= MAX_COORD {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field,
            reason: format!("{value} is not a position on the board"),
        })
    }
}

fn check_size(field: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && (0.0..=MAX_COORD).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field,
            reason: format!("{value} is not a valid size"),
        })
    }
}

pub(crate) fn check_color(color: String) -> Result<String> {
    if crate::item::is_valid_color(&color) {
        Ok(color)
    } else {
        Err(Error::InvalidValue {
            field: "color",
            reason: format!("unknown colour {color:?}"),
        })
    }
}
