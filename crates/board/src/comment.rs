//! Comments, reactions and co-authors of a note: what a workshop adds to a
//! note after it was written.
//!
//! Each comment is a key of its own on the item (`comment:<id>` → map), so
//! that people commenting at the same time all keep their comment, also on
//! notes that never had a comment (a shared `comments` map created by two
//! people at once would keep only one of the two maps). Comments in a
//! `comments` map (comment id → map) are read as well. Reactions are
//! one key per emoji and person (`react:<emoji>:<authorId>` → name), so that
//! concurrent reactions merge like a set and toggling one removes only that
//! key. Reading is total: entries of the wrong type are skipped.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use yrs::{Any, Map, MapPrelim, MapRef, Out, ReadTxn};

use crate::edit::Edit;
use crate::item::{out_number, out_string};
use crate::{Error, ItemId, ItemKind, Result};

/// The emoji a note can be reacted to with, in the order they are offered.
pub const REACTIONS: &[&str] = &["👍", "❤️", "💡", "❓", "🎉"];

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// Item key of a map of comments, as other clients may write them (read,
/// not written).
pub(crate) const COMMENTS: &str = "comments";
/// Prefix of comment keys: `comment:<id>` → the comment's map.
pub(crate) const COMMENT_PREFIX: &str = "comment:";
/// Prefix of reaction keys: `react:<emoji>:<authorId>` → the person's name.
pub(crate) const REACT_PREFIX: &str = "react:";
/// Prefix of co-author keys: `coauthor:<authorId>` → the person's name.
pub(crate) const COAUTHOR_PREFIX: &str = "coauthor:";
/// Prefix of the keys naming notes merged into this one: `merged:<id>` → `true`.
pub(crate) const MERGED_PREFIX: &str = "merged:";

/// The id of a comment: a UUID, the key in the note's `comments` map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct CommentId(Uuid);

impl CommentId {
    /// A fresh random id (UUID v4).
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }

    /// Reads an id written by any client; `None` for anything that is not a UUID.
    pub fn parse(s: &str) -> Option<Self> {
        Uuid::parse_str(s).ok().map(Self)
    }
}

impl Default for CommentId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for CommentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// One comment on a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comment {
    pub id: CommentId,
    /// Plain text, never markup.
    pub text: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub author_id: String,
    /// Milliseconds since the Unix epoch.
    #[serde(default)]
    pub created: i64,
}

/// One person's reaction with one emoji.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reaction {
    /// One of [`REACTIONS`].
    pub emoji: String,
    pub author_id: String,
    /// The person's name when they reacted.
    #[serde(default)]
    pub author: String,
}

/// A person whose note was merged into this one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Coauthor {
    /// Their stable id, or their name for notes without one (imports).
    pub author_id: String,
    pub name: String,
}

/// Whether `emoji` is one of [`REACTIONS`].
pub fn is_reaction(emoji: &str) -> bool {
    REACTIONS.contains(&emoji)
}

/// One comment from its id (a key without [`COMMENT_PREFIX`], or a key of a
/// `comments` map) and value; `None` for anything that is not a map with a
/// UUID key and a text.
pub(crate) fn read_comment<T: ReadTxn>(txn: &T, id: &str, value: &Out) -> Option<Comment> {
    let id = CommentId::parse(id)?;
    let Out::YMap(entry) = value else { return None };
    let field = |name: &str| entry.get(txn, name);
    let text = field("text").and_then(|v| out_string(txn, &v))?;
    if text.trim().is_empty() {
        return None;
    }
    Some(Comment {
        id,
        text,
        author: field("author")
            .and_then(|v| out_string(txn, &v))
            .unwrap_or_default(),
        author_id: field("authorId")
            .and_then(|v| out_string(txn, &v))
            .unwrap_or_default(),
        created: field("created")
            .and_then(|v| out_number(&v))
            .map(|v| v as i64)
            .unwrap_or(0),
    })
}

/// The comments in a `comments` value; entries that are not maps, have no
/// UUID key or no text are skipped.
pub(crate) fn read_comments<T: ReadTxn>(txn: &T, value: &Out) -> Vec<Comment> {
    let Out::YMap(map) = value else {
        return Vec::new();
    };
    map.iter(txn)
        .filter_map(|(key, value)| read_comment(txn, key, &value))
        .collect()
}

/// Comments oldest first, each id once.
pub(crate) fn order_comments(comments: &mut Vec<Comment>) {
    comments.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    comments.dedup_by(|a, b| a.id == b.id);
}

/// The key of a comment.
pub(crate) fn comment_key(id: CommentId) -> String {
    format!("{COMMENT_PREFIX}{id}")
}

/// A reaction from its key (without [`REACT_PREFIX`]) and value.
pub(crate) fn read_reaction<T: ReadTxn>(txn: &T, rest: &str, value: &Out) -> Option<Reaction> {
    let (emoji, author_id) = rest.split_once(':')?;
    if !is_reaction(emoji) || author_id.is_empty() {
        return None;
    }
    let author = out_string(txn, value)?;
    Some(Reaction {
        emoji: emoji.to_owned(),
        author_id: author_id.to_owned(),
        author,
    })
}

/// A co-author from its key (without [`COAUTHOR_PREFIX`]) and value.
pub(crate) fn read_coauthor<T: ReadTxn>(txn: &T, author_id: &str, value: &Out) -> Option<Coauthor> {
    let name = out_string(txn, value)?;
    (!author_id.is_empty()).then(|| Coauthor {
        author_id: author_id.to_owned(),
        name,
    })
}

/// A merged note's id from its key (without [`MERGED_PREFIX`]) and value.
pub(crate) fn read_merged(id: &str, value: &Out) -> Option<ItemId> {
    matches!(value, Out::Any(Any::Bool(true)))
        .then(|| ItemId::parse(id))
        .flatten()
}

/// The key of a reaction.
pub(crate) fn reaction_key(emoji: &str, author_id: &str) -> String {
    format!("{REACT_PREFIX}{emoji}:{author_id}")
}

/// The text of a new comment: trimmed, non-empty, at most [`MAX_COMMENT_CHARS`].
fn clean_comment(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::InvalidValue {
            field: "comment",
            reason: "a comment needs at least one character".into(),
        });
    }
    let chars = text.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(Error::InvalidValue {
            field: "comment",
            reason: format!("{chars} characters, at most {MAX_COMMENT_CHARS} are allowed"),
        });
    }
    Ok(text.to_owned())
}

impl Edit<'_> {
    /// The note's map, or why it cannot carry comments and reactions.
    fn note_map(&self, id: ItemId, operation: &'static str) -> Result<MapRef> {
        let kind = self.item(id)?.kind;
        if kind != ItemKind::Note {
            return Err(Error::WrongKind {
                id,
                kind: kind.as_str(),
                operation,
            });
        }
        self.map(id)
    }

    /// Adds a comment by the local user to a note and returns its id.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::WrongKind`] for anything but a note,
    /// [`Error::InvalidValue`] for an empty text or one longer than
    /// [`MAX_COMMENT_CHARS`].
    pub fn add_comment(&mut self, id: ItemId, text: &str) -> Result<CommentId> {
        let text = clean_comment(text)?;
        let note = self.note_map(id, "comments")?;
        let comment = Comment {
            id: CommentId::new(),
            text,
            author: self.author.name.clone(),
            author_id: self.author.id.clone(),
            created: self.now,
        };
        self.write_comment(&note, &comment);
        Ok(comment.id)
    }

    /// Writes a comment as it is (a merge carries comments over with their
    /// authors and times).
    pub(crate) fn write_comment(&mut self, note: &MapRef, comment: &Comment) {
        let fields: Vec<(&str, yrs::In)> = vec![
            ("text", comment.text.as_str().into()),
            ("author", comment.author.as_str().into()),
            ("authorId", comment.author_id.as_str().into()),
            ("created", (comment.created as f64).into()),
        ];
        note.insert(
            &mut self.txn,
            comment_key(comment.id),
            MapPrelim::from_iter(fields),
        );
        self.touch(note);
    }

    /// Deletes a comment from a note; a comment that is already gone (someone
    /// else deleted it meanwhile) is no error. Whose comment may be deleted is
    /// decided by the user interface: a person deletes their own.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn delete_comment(&mut self, id: ItemId, comment: CommentId) -> Result<()> {
        let note = self.map(id)?;
        let mut removed = note.remove(&mut self.txn, &comment_key(comment)).is_some();
        if let Some(Out::YMap(comments)) = note.get(&self.txn, COMMENTS) {
            removed |= comments
                .remove(&mut self.txn, &comment.to_string())
                .is_some();
        }
        if removed {
            self.touch(&note);
        }
        Ok(())
    }

    /// Adds the local user's reaction with `emoji` to a note, or removes it
    /// when it is there. Returns whether the reaction is there afterwards.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::WrongKind`] for anything but a note,
    /// [`Error::InvalidValue`] for an emoji not in [`REACTIONS`] or a local
    /// user without an id.
    pub fn toggle_reaction(&mut self, id: ItemId, emoji: &str) -> Result<bool> {
        if !is_reaction(emoji) {
            return Err(Error::InvalidValue {
                field: "emoji",
                reason: format!("{emoji:?} is not one of {}", REACTIONS.join(" ")),
            });
        }
        if self.author.id.is_empty() {
            return Err(Error::InvalidValue {
                field: "author",
                reason: "reactions need the user's id".into(),
            });
        }
        let note = self.note_map(id, "reactions")?;
        let key = reaction_key(emoji, &self.author.id);
        // A value of another type (a foreign client's) counts as no reaction
        // and is replaced.
        let reacted = note
            .get(&self.txn, &key)
            .is_some_and(|v| out_string(&self.txn, &v).is_some());
        let present = !reacted;
        if reacted {
            note.remove(&mut self.txn, &key);
        } else {
            note.insert(&mut self.txn, key, self.author.name.as_str());
        }
        self.touch(&note);
        Ok(present)
    }
}
