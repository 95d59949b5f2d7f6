//! Clustering a workshop's notes: merging near-duplicates into one note,
//! putting notes into a new frame, stacking them.

use std::collections::{BTreeSet, HashSet};

use yrs::{Map, MapRef, Out};

use crate::comment::{
    reaction_key, Comment, COAUTHOR_PREFIX, COMMENTS, COMMENT_PREFIX, MERGED_PREFIX, REACT_PREFIX,
};
use crate::edit::Edit;
use crate::item::{read_number, Item};
use crate::{Error, ItemId, ItemKind, NewItem, Result};

/// Space between a new group frame and the notes it holds.
pub const GROUP_PADDING: f64 = 40.0;
/// Room for a new group frame's title above its notes.
pub const GROUP_TITLE_SPACE: f64 = 40.0;
/// How far each note of a stack lies below the one before: the first line
/// of a note (14 units padding, at most 22-unit type at 1.25 line height)
/// stays readable.
pub const STACK_OFFSET: f64 = 44.0;

impl Edit<'_> {
    /// Distinct items of `ids` in their order, each of one of `kinds`.
    fn selected(
        &self,
        ids: &[ItemId],
        kinds: &[ItemKind],
        operation: &'static str,
    ) -> Result<Vec<Item>> {
        let mut seen = HashSet::new();
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            if !seen.insert(*id) {
                continue;
            }
            let item = self.item(*id)?;
            if !kinds.contains(&item.kind) {
                return Err(Error::WrongKind {
                    id: *id,
                    kind: item.kind.as_str(),
                    operation,
                });
            }
            items.push(item);
        }
        if items.is_empty() {
            return Err(Error::InvalidValue {
                field: "ids",
                reason: format!("{operation} needs at least one item"),
            });
        }
        Ok(items)
    }

    /// Merges notes into `target`: its text gets theirs appended (each after a
    /// blank line), their authors become co-authors, their ids (and the ids
    /// merged into them) are recorded as `merged:`, tags, comments and
    /// reactions are carried over, connectors to them end at `target`, and
    /// the merged notes are deleted.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::WrongKind`] for anything but notes,
    /// [`Error::InvalidValue`] when `ids` holds no note other than `target`.
    pub fn merge(&mut self, target: ItemId, ids: &[ItemId]) -> Result<()> {
        let into = self.selected(&[target], &[ItemKind::Note], "merging")?;
        let into = &into[0];
        let others: Vec<ItemId> = ids.iter().copied().filter(|id| *id != target).collect();
        if others.is_empty() {
            return Err(Error::InvalidValue {
                field: "ids",
                reason: "merging needs at least one other note".into(),
            });
        }
        let sources = self.selected(&others, &[ItemKind::Note], "merging")?;
        let map = self.map(target)?;

        let mut text = into.text.clone();
        for source in &sources {
            let part = source.text.trim();
            if part.is_empty() {
                continue;
            }
            if !text.trim().is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(part);
        }
        self.set_text(target, &text)?;

        let own = person_key(&into.author_id, &into.author);
        for source in &sources {
            let people = std::iter::once((
                person_key(&source.author_id, &source.author),
                source.author.clone(),
            ))
            .chain(
                source
                    .coauthors
                    .iter()
                    .map(|c| (c.author_id.clone(), c.name.clone())),
            );
            for (key, name) in people {
                if !key.is_empty() && key != own {
                    map.insert(&mut self.txn, format!("{COAUTHOR_PREFIX}{key}"), name);
                }
            }
            for merged in std::iter::once(source.id).chain(source.merged.iter().copied()) {
                if merged != target {
                    map.insert(&mut self.txn, format!("{MERGED_PREFIX}{merged}"), true);
                }
            }
            for tag in &source.tags {
                self.add_tag(target, tag)?;
            }
            for comment in &source.comments {
                self.write_comment(&map, comment);
            }
            for reaction in &source.reactions {
                map.insert(
                    &mut self.txn,
                    reaction_key(&reaction.emoji, &reaction.author_id),
                    reaction.author.as_str(),
                );
            }
        }

        let gone: HashSet<ItemId> = sources.iter().map(|s| s.id).collect();
        let moved = |end: Option<ItemId>| end.map(|e| if gone.contains(&e) { target } else { e });
        for connector in self.skeletons() {
            if connector.kind != ItemKind::Connector {
                continue;
            }
            let (from, to) = (moved(connector.from), moved(connector.to));
            if (from, to) == (connector.from, connector.to) {
                continue;
            }
            if from == Some(target) && to == Some(target) {
                self.items.remove(&mut self.txn, &connector.id.to_string());
                continue;
            }
            let line = self.map(connector.id)?;
            for (key, end) in [("from", from), ("to", to)] {
                if let Some(end) = end {
                    line.insert(&mut self.txn, key, end.to_string());
                }
            }
            self.touch(&line);
        }
        for id in &gone {
            self.items.remove(&mut self.txn, &id.to_string());
        }
        self.touch(&map);
        Ok(())
    }

    /// Puts notes and labels into a new frame around them (titled `title`,
    /// stacked just below the lowest of them) and returns the frame's id.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::WrongKind`] for frames and
    /// connectors, [`Error::InvalidValue`] for an empty selection.
    pub fn group_into_frame(&mut self, ids: &[ItemId], title: &str) -> Result<ItemId> {
        let chosen = self.selected(ids, &[ItemKind::Note, ItemKind::Label], "grouping")?;
        let left = chosen.iter().map(|i| i.x).fold(f64::INFINITY, f64::min);
        let top = chosen.iter().map(|i| i.y).fold(f64::INFINITY, f64::min);
        let right = chosen.iter().map(|i| i.x + i.w).fold(f64::MIN, f64::max);
        let bottom = chosen.iter().map(|i| i.y + i.h).fold(f64::MIN, f64::max);
        let lowest = chosen.iter().map(|i| i.z).fold(f64::INFINITY, f64::min);
        let frame = self.create(NewItem::frame(
            left - GROUP_PADDING,
            top - GROUP_PADDING - GROUP_TITLE_SPACE,
            right - left + 2.0 * GROUP_PADDING,
            bottom - top + 2.0 * GROUP_PADDING + GROUP_TITLE_SPACE,
            title.trim(),
        ))?;
        // Just below the notes, but above whatever lay below them (a frame
        // they were in before).
        let chosen_ids: HashSet<ItemId> = chosen.iter().map(|i| i.id).collect();
        let below = self
            .items
            .iter(&self.txn)
            .filter(|(key, _)| {
                ItemId::parse(key).is_some_and(|id| id != frame && !chosen_ids.contains(&id))
            })
            .filter_map(|(_, value)| match value {
                Out::YMap(map) => read_number(&self.txn, &map, "z"),
                _ => None,
            })
            .filter(|z| *z < lowest)
            .fold(f64::NEG_INFINITY, f64::max);
        let z = if below.is_finite() {
            (below + lowest) / 2.0
        } else {
            lowest - 1.0
        };
        self.map(frame)?.insert(&mut self.txn, "z", z);
        for item in &chosen {
            self.set_parent(item.id, Some(frame))?;
        }
        Ok(frame)
    }

    /// Piles notes and labels at the place of the top-left one, each next one
    /// `STACK_OFFSET` (44 units) lower and on top of the one before (in their current
    /// stacking order); they join the frame they land in.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::WrongKind`] for frames and
    /// connectors, [`Error::InvalidValue`] for an empty selection.
    pub fn stack(&mut self, ids: &[ItemId]) -> Result<()> {
        let mut chosen = self.selected(ids, &[ItemKind::Note, ItemKind::Label], "stacking")?;
        let first = chosen
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| {
                (a.x + a.y)
                    .total_cmp(&(b.x + b.y))
                    .then(a.y.total_cmp(&b.y))
            })
            .map(|(index, _)| index)
            .unwrap_or(0);
        let anchor = chosen.remove(first);
        chosen.sort_by(|a, b| a.z.total_cmp(&b.z).then(a.id.cmp(&b.id)));
        chosen.insert(0, anchor);
        let (x, y) = (chosen[0].x, chosen[0].y);
        let top = self.top_z();
        for (rank, item) in chosen.iter().enumerate() {
            let map = self.map(item.id)?;
            let z = top + 1.0 + rank as f64;
            map.insert(&mut self.txn, "x", x);
            map.insert(&mut self.txn, "y", y + STACK_OFFSET * rank as f64);
            map.insert(&mut self.txn, "z", z);
            self.touch(&map);
            self.top = Some(z);
        }
        let ids: Vec<ItemId> = chosen.iter().map(|i| i.id).collect();
        self.adopt_by_position(&ids)?;
        Ok(())
    }

    /// Makes an item's comments, reactions, co-authors and merged ids those
    /// of `item` (restoring a revision, importing full JSON); unchanged ones
    /// are left alone.
    pub(crate) fn write_annotations(&mut self, map: &MapRef, item: &Item) {
        let wanted: BTreeSet<(String, String)> = item
            .reactions
            .iter()
            .map(|r| (reaction_key(&r.emoji, &r.author_id), r.author.clone()))
            .chain(
                item.coauthors
                    .iter()
                    .map(|c| (format!("{COAUTHOR_PREFIX}{}", c.author_id), c.name.clone())),
            )
            .collect();
        let wanted_merged: HashSet<String> = item
            .merged
            .iter()
            .map(|m| format!("{MERGED_PREFIX}{m}"))
            .collect();
        let stale: Vec<String> = map
            .iter(&self.txn)
            .map(|(key, _)| key.to_owned())
            .filter(|key| {
                let annotation = key.starts_with(REACT_PREFIX)
                    || key.starts_with(COAUTHOR_PREFIX)
                    || key.starts_with(MERGED_PREFIX);
                annotation && !wanted_merged.contains(key) && !wanted.iter().any(|(k, _)| k == key)
            })
            .collect();
        for key in stale {
            map.remove(&mut self.txn, &key);
        }
        for (key, value) in wanted {
            let current = map
                .get(&self.txn, &key)
                .and_then(|v| crate::item::out_string(&self.txn, &v));
            if current.as_deref() != Some(value.as_str()) {
                map.insert(&mut self.txn, key, value);
            }
        }
        for key in wanted_merged {
            if !matches!(
                map.get(&self.txn, &key),
                Some(Out::Any(yrs::Any::Bool(true)))
            ) {
                map.insert(&mut self.txn, key, true);
            }
        }
        let mut current: Vec<Comment> = map
            .get(&self.txn, COMMENTS)
            .map(|v| crate::comment::read_comments(&self.txn, &v))
            .unwrap_or_default();
        current.extend(map.iter(&self.txn).filter_map(|(key, value)| {
            let id = key.strip_prefix(COMMENT_PREFIX)?;
            crate::comment::read_comment(&self.txn, id, &value)
        }));
        crate::comment::order_comments(&mut current);
        if current != item.comments {
            let wanted: HashSet<String> = item.comments.iter().map(|c| c.id.to_string()).collect();
            let stale: Vec<String> = map
                .keys(&self.txn)
                .filter(|key| {
                    key.strip_prefix(COMMENT_PREFIX)
                        .is_some_and(|id| !wanted.contains(id))
                })
                .map(str::to_owned)
                .collect();
            for key in stale {
                map.remove(&mut self.txn, &key);
            }
            // A `comments` map of another client stays: people may be
            // commenting into it meanwhile.
            if let Some(Out::YMap(comments)) = map.get(&self.txn, COMMENTS) {
                let stale: Vec<String> = comments
                    .keys(&self.txn)
                    .filter(|key| !wanted.contains(*key))
                    .map(str::to_owned)
                    .collect();
                for key in stale {
                    comments.remove(&mut self.txn, &key);
                }
            }
            for comment in item.comments.iter().filter(|c| !current.contains(c)) {
                self.write_comment(map, comment);
            }
        }
    }
}

/// How a person is named in `coauthor:` keys: their id, or their name for
/// notes without one.
fn person_key(author_id: &str, name: &str) -> String {
    if author_id.is_empty() {
        name.trim().to_owned()
    } else {
        author_id.to_owned()
    }
}
