//! Writing whole items: restoring a board to an earlier state, importing
//! lines of text, and writing items with their ids, authors and times as
//! given (full board JSON). One [`Edit`] transaction each.

use std::collections::{HashMap, HashSet};

use yrs::{Map, MapRef};

use crate::edit::{check_color, check_coord, Edit, NewItem};
use crate::item::{read_string, Item, ItemKind};
use crate::{ItemId, Result};

/// What a restore changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreSummary {
    pub created: usize,
    pub changed: usize,
    pub deleted: usize,
}

impl Edit<'_> {
    /// Makes the board match `target`; see [`Board::restore`](crate::Board::restore).
    ///
    /// # Errors
    /// [`Error::InvalidValue`](crate::Error::InvalidValue) for invalid values in `target`.
    pub fn restore(&mut self, target: &[Item], title: &str) -> Result<RestoreSummary> {
        let current: HashMap<ItemId, Item> = self.items().into_iter().map(|i| (i.id, i)).collect();
        let wanted: HashSet<ItemId> = target.iter().map(|i| i.id).collect();
        let mut summary = RestoreSummary::default();
        let gone: Vec<ItemId> = current
            .keys()
            .filter(|id| !wanted.contains(id))
            .copied()
            .collect();
        for id in &gone {
            self.items.remove(&mut self.txn, &id.to_string());
            summary.deleted += 1;
        }
        // Frames first, connectors last, so references resolve.
        let mut order: Vec<&Item> = target.iter().collect();
        order.sort_by_key(|i| match i.kind {
            ItemKind::Frame => 0,
            ItemKind::Connector => 2,
            _ => 1,
        });
        for item in order {
            match current.get(&item.id) {
                Some(now) if now == item => {}
                Some(now) if now.kind == item.kind => {
                    self.overwrite(item)?;
                    summary.changed += 1;
                }
                Some(_) => {
                    self.items.remove(&mut self.txn, &item.id.to_string());
                    self.write_item(item)?;
                    summary.changed += 1;
                }
                None => {
                    self.write_item(item)?;
                    summary.created += 1;
                }
            }
        }
        if read_string(&self.txn, self.meta, "title").unwrap_or_default() != title {
            self.set_title(title);
        }
        Ok(summary)
    }

    /// Places lines of text as notes in a grid below the existing content, one note
    /// per non-empty line; with `frame_title`, inside a new frame. Returns the ids
    /// of the new notes.
    ///
    /// # Errors
    /// Only on internal inconsistencies; plain text is always accepted.
    pub fn import_lines(&mut self, text: &str, frame_title: Option<&str>) -> Result<Vec<ItemId>> {
        const COLUMNS: usize = 5;
        const GAP: f64 = 24.0;
        const MARGIN: f64 = 48.0;
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let all = self.items();
        let (left, top) = if all.is_empty() {
            (0.0, 0.0)
        } else {
            let left = all.iter().map(|i| i.x).fold(f64::INFINITY, f64::min);
            let bottom = all
                .iter()
                .map(|i| i.y + i.h)
                .fold(f64::NEG_INFINITY, f64::max);
            (left, bottom + 2.0 * MARGIN)
        };
        let (nw, nh) = ItemKind::Note.default_size();
        let rows = lines.len().div_ceil(COLUMNS).max(1);
        let columns = lines.len().clamp(1, COLUMNS);
        let frame = match frame_title {
            Some(title) => {
                let w = columns as f64 * (nw + GAP) - GAP + 2.0 * MARGIN;
                let h = rows as f64 * (nh + GAP) - GAP + 2.0 * MARGIN + 40.0;
                Some(self.create(NewItem::frame(left, top, w, h, title))?)
            }
            None => None,
        };
        let (origin_x, origin_y) = match frame {
            Some(_) => (left + MARGIN, top + MARGIN + 40.0),
            None => (left, top),
        };
        let mut ids = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            let x = origin_x + (index % COLUMNS) as f64 * (nw + GAP);
            let y = origin_y + (index / COLUMNS) as f64 * (nh + GAP);
            let mut note = NewItem::note(x, y, *line);
            note.parent = frame;
            ids.push(self.create(note)?);
        }
        Ok(ids)
    }

    /// Writes every field of `item` under its id, replacing what is there.
    fn write_item(&mut self, item: &Item) -> Result<()> {
        let spec = NewItem {
            kind: item.kind,
            x: item.x,
            y: item.y,
            size: Some((item.w, item.h)),
            color: Some(item.color.clone()),
            text: item.text.clone(),
            tags: item.tags.clone(),
            parent: item
                .parent
                .filter(|p| self.item(*p).is_ok_and(|i| i.kind == ItemKind::Frame)),
            from: item.from,
            to: item.to,
            id: Some(item.id),
        };
        if item.kind == ItemKind::Connector && !self.connector_ends_exist(item) {
            return Ok(());
        }
        self.create(spec)?;
        let map = self.map(item.id)?;
        self.write_provenance(&map, item);
        Ok(())
    }

    /// Updates the fields of an existing item of the same kind to those of `item`.
    fn overwrite(&mut self, item: &Item) -> Result<()> {
        check_coord("x", item.x)?;
        check_coord("y", item.y)?;
        let color = check_color(item.color.clone())?;
        let map = self.map(item.id)?;
        map.insert(&mut self.txn, "x", item.x);
        map.insert(&mut self.txn, "y", item.y);
        map.insert(&mut self.txn, "w", item.w);
        map.insert(&mut self.txn, "h", item.h);
        map.insert(&mut self.txn, "z", item.z);
        map.insert(&mut self.txn, "color", color.as_str());
        self.set_text(item.id, &item.text)?;
        let current = self.item(item.id)?;
        for tag in current.tags.iter().filter(|t| !item.tags.contains(t)) {
            self.remove_tag(item.id, tag)?;
        }
        for tag in item.tags.iter().filter(|t| !current.tags.contains(t)) {
            self.add_tag(item.id, tag)?;
        }
        for (key, value) in [
            ("parent", item.parent),
            ("from", item.from),
            ("to", item.to),
        ] {
            match value {
                Some(value) => {
                    map.insert(&mut self.txn, key, value.to_string());
                }
                None => {
                    map.remove(&mut self.txn, key);
                }
            }
        }
        self.write_provenance(&map, item);
        Ok(())
    }

    fn write_provenance(&mut self, map: &MapRef, item: &Item) {
        map.insert(&mut self.txn, "z", item.z);
        self.top = self.top.map(|top| top.max(item.z));
        map.insert(&mut self.txn, "author", item.author.as_str());
        map.insert(&mut self.txn, "authorId", item.author_id.as_str());
        map.insert(&mut self.txn, "created", item.created as f64);
        map.insert(&mut self.txn, "updated", self.now as f64);
        self.write_annotations(map, item);
    }

    fn connector_ends_exist(&self, item: &Item) -> bool {
        [item.from, item.to]
            .iter()
            .all(|end| end.is_some_and(|end| self.map(end).is_ok()))
    }
}

/// Creates items with their ids, authors and times as given (imports of full
/// board JSON). Items whose references do not resolve lose the reference.
pub(crate) fn write_items(edit: &mut Edit<'_>, items: &[Item]) -> Result<()> {
    let mut order: Vec<&Item> = items.iter().collect();
    order.sort_by_key(|i| match i.kind {
        ItemKind::Frame => 0,
        ItemKind::Connector => 2,
        _ => 1,
    });
    for item in order {
        edit.write_item(item)?;
    }
    Ok(())
}
