//! Operations as data: what a user interface (over IPC or a WebSocket) asks
//! the board to do. Each intent is one transaction and one undo step.

use serde::{Deserialize, Serialize};

use crate::{Board, CommentId, Edit, ItemId, ItemKind, NewItem, Result};

/// A new item as a user interface describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemSpec {
    pub kind: ItemKind,
    pub x: f64,
    pub y: f64,
    #[serde(default)]
    pub w: Option<f64>,
    #[serde(default)]
    pub h: Option<f64>,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub tags: Vec<String>,
    #[serde(default)]
    pub parent: Option<ItemId>,
    #[serde(default)]
    pub from: Option<ItemId>,
    #[serde(default)]
    pub to: Option<ItemId>,
    /// A given id (e.g. pasted items keep none; imports may bring one).
    #[serde(default)]
    pub id: Option<ItemId>,
    /// The author's name when it is not the local user (an imported
    /// spreadsheet's author column); `None`: the local user.
    #[serde(default)]
    pub author: Option<String>,
}

impl From<ItemSpec> for NewItem {
    /// The item; [`ItemSpec::author`] is applied by [`Intent::run`].
    fn from(spec: ItemSpec) -> Self {
        NewItem {
            kind: spec.kind,
            x: spec.x,
            y: spec.y,
            size: match (spec.w, spec.h) {
                (Some(w), Some(h)) => Some((w, h)),
                _ => None,
            },
            color: spec.color,
            text: spec.text,
            tags: spec.tags,
            parent: spec.parent,
            from: spec.from,
            to: spec.to,
            id: spec.id,
        }
    }
}

impl From<NewItem> for ItemSpec {
    /// The spec of a new item, made by the local user.
    fn from(item: NewItem) -> Self {
        ItemSpec {
            kind: item.kind,
            x: item.x,
            y: item.y,
            w: item.size.map(|(w, _)| w),
            h: item.size.map(|(_, h)| h),
            color: item.color,
            text: item.text,
            tags: item.tags,
            parent: item.parent,
            from: item.from,
            to: item.to,
            id: item.id,
            author: None,
        }
    }
}

/// One thing a user does to a board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(
    tag = "op",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Intent {
    /// Create items (several: a paste); notes and labels join the frame
    /// they land in when `adopt` is set.
    Create {
        items: Vec<ItemSpec>,
        #[serde(default)]
        adopt: bool,
    },
    /// Replace an item's whole text (by the smallest edit).
    SetText { id: ItemId, text: String },
    /// Splice an item's text at UTF-16 positions.
    EditText {
        id: ItemId,
        index: u32,
        delete: u32,
        insert: String,
    },
    /// Move items by a distance; frames take their contents along. With
    /// `adopt`, moved notes and labels join the frame they land in (or leave it).
    Move {
        ids: Vec<ItemId>,
        dx: f64,
        dy: f64,
        #[serde(default)]
        adopt: bool,
    },
    /// Resize an item (and move it, for handles on the left or top).
    Resize {
        id: ItemId,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
    },
    /// Colour items.
    Recolor { ids: Vec<ItemId>, color: String },
    /// Tag an item.
    AddTag { id: ItemId, tag: String },
    /// Untag an item.
    RemoveTag { id: ItemId, tag: String },
    /// Put a note or label into a frame, or take it out.
    SetParent { id: ItemId, parent: Option<ItemId> },
    /// Delete items (frames with their contents, attached connectors too).
    Delete { ids: Vec<ItemId> },
    /// Copy items with an offset.
    Duplicate { ids: Vec<ItemId>, dx: f64, dy: f64 },
    /// Stack items above all others.
    BringToFront { ids: Vec<ItemId> },
    /// Stack items below all others.
    SendToBack { ids: Vec<ItemId> },
    /// Rename the board as peers see it.
    SetTitle { title: String },
    /// Merge notes into `target` (texts appended, authors as co-authors,
    /// tags, comments and reactions carried over); the others are deleted.
    Merge { target: ItemId, ids: Vec<ItemId> },
    /// Put notes and labels into a new frame around them; returns the frame.
    GroupIntoFrame { ids: Vec<ItemId>, title: String },
    /// Pile notes and labels at the place of the top-left one.
    Stack { ids: Vec<ItemId> },
    /// Comment on a note as the local user.
    AddComment { id: ItemId, text: String },
    /// Delete a comment from a note.
    DeleteComment { id: ItemId, comment: CommentId },
    /// Add the local user's reaction to a note, or take it back.
    ToggleReaction { id: ItemId, emoji: String },
}

impl Intent {
    /// Runs the intent inside an open transaction; returns the ids of items
    /// it created.
    ///
    /// # Errors
    /// Whatever the underlying [`Edit`] operation refuses.
    pub fn run(self, edit: &mut Edit<'_>) -> Result<Vec<ItemId>> {
        match self {
            Intent::Create { items, adopt } => {
                let mut created = Vec::with_capacity(items.len());
                for mut spec in items {
                    let author = spec.author.take().filter(|a| !a.trim().is_empty());
                    let id = edit.create(spec.into())?;
                    if let Some(author) = author {
                        let name: String = author.trim().chars().take(200).collect();
                        edit.set_author(id, &name, "")?;
                    }
                    created.push(id);
                }
                if adopt {
                    edit.adopt_by_position(&created)?;
                }
                Ok(created)
            }
            Intent::SetText { id, text } => edit.set_text(id, &text).map(|()| Vec::new()),
            Intent::EditText {
                id,
                index,
                delete,
                insert,
            } => edit
                .edit_text(id, index, delete, &insert)
                .map(|()| Vec::new()),
            Intent::Move { ids, dx, dy, adopt } => {
                edit.move_by(&ids, dx, dy)?;
                if adopt {
                    edit.adopt_by_position(&ids)?;
                }
                Ok(Vec::new())
            }
            Intent::Resize { id, x, y, w, h } => {
                edit.set_bounds(id, x, y, w, h).map(|()| Vec::new())
            }
            Intent::Recolor { ids, color } => edit.recolor(&ids, &color).map(|()| Vec::new()),
            Intent::AddTag { id, tag } => edit.add_tag(id, &tag).map(|()| Vec::new()),
            Intent::RemoveTag { id, tag } => edit.remove_tag(id, &tag).map(|()| Vec::new()),
            Intent::SetParent { id, parent } => edit.set_parent(id, parent).map(|()| Vec::new()),
            Intent::Delete { ids } => edit.delete(&ids).map(|_| Vec::new()),
            Intent::Duplicate { ids, dx, dy } => edit.duplicate(&ids, dx, dy),
            Intent::BringToFront { ids } => edit.bring_to_front(&ids).map(|()| Vec::new()),
            Intent::SendToBack { ids } => edit.send_to_back(&ids).map(|()| Vec::new()),
            Intent::SetTitle { title } => {
                edit.set_title(&title);
                Ok(Vec::new())
            }
            Intent::Merge { target, ids } => edit.merge(target, &ids).map(|()| Vec::new()),
            Intent::GroupIntoFrame { ids, title } => {
                edit.group_into_frame(&ids, &title).map(|frame| vec![frame])
            }
            Intent::Stack { ids } => edit.stack(&ids).map(|()| Vec::new()),
            Intent::AddComment { id, text } => edit.add_comment(id, &text).map(|_| Vec::new()),
            Intent::DeleteComment { id, comment } => {
                edit.delete_comment(id, comment).map(|()| Vec::new())
            }
            Intent::ToggleReaction { id, emoji } => {
                edit.toggle_reaction(id, &emoji).map(|_| Vec::new())
            }
        }
    }
}

impl Board {
    /// Applies one intent as one transaction and one undo step; returns the
    /// ids of created items.
    ///
    /// # Errors
    /// Whatever the operation refuses; the board is unchanged then.
    pub fn apply_intent(&mut self, now: i64, intent: Intent) -> Result<Vec<ItemId>> {
        self.edit(now, |edit| intent.run(edit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Author;

    #[test]
    fn intents_arrive_as_json_from_the_user_interface() {
        let mut board = Board::new(Author::default());
        let created: Vec<ItemId> = board
            .apply_intent(
                1,
                serde_json::from_str(
                    r#"{"op":"create","items":[{"kind":"frame","x":0,"y":0,"w":500,"h":400,"text":"Hemmnisse"},
                                                {"kind":"note","x":20,"y":30,"text":"<b>fett</b>","color":"green"}],
                        "adopt":true}"#,
                )
                .unwrap(),
            )
            .unwrap();
        assert_eq!(created.len(), 2);
        let note = board.item(created[1]).unwrap();
        assert_eq!(note.parent, Some(created[0]));
        assert_eq!(note.text, "<b>fett</b>");
        let moved = format!(
            r#"{{"op":"move","ids":["{}"],"dx":1000,"dy":0,"adopt":true}}"#,
            created[1]
        );
        board
            .apply_intent(2, serde_json::from_str(&moved).unwrap())
            .unwrap();
        assert_eq!(board.item(created[1]).unwrap().parent, None);
        let edit = format!(
            r#"{{"op":"editText","id":"{}","index":0,"delete":3,"insert":"<i>"}}"#,
            created[1]
        );
        board
            .apply_intent(3, serde_json::from_str(&edit).unwrap())
            .unwrap();
        assert_eq!(board.item(created[1]).unwrap().text, "<i>fett</b>");
        // Unknown operations and bad fields are refused by the parser.
        assert!(serde_json::from_str::<Intent>(r#"{"op":"explode"}"#).is_err());
        assert!(serde_json::from_str::<Intent>(r#"{"op":"delete","ids":["nope"]}"#).is_err());
    }

    #[test]
    fn intents_with_unknown_or_missing_fields_are_refused_not_defaulted() {
        let id = ItemId::new();
        let ok = format!(r#"{{"op":"delete","ids":["{id}"]}}"#);
        assert!(serde_json::from_str::<Intent>(&ok).is_ok());
        for bad in [
            format!(r#"{{"op":"delete","ids":["{id}"],"force":true}}"#),
            format!(r#"{{"op":"setText","id":"{id}"}}"#),
            format!(r#"{{"op":"recolor","ids":["{id}"],"color":"red","colour":"blue"}}"#),
            r#"{"op":"create","items":[{"kind":"note","x":0,"y":0,"txt":"Tippfehler"}]}"#
                .to_owned(),
            r#"{"op":"create","items":[{"kind":"note","y":0}]}"#.to_owned(),
        ] {
            assert!(serde_json::from_str::<Intent>(&bad).is_err(), "{bad}");
        }
    }
}
