//! Private drafts on a workspace: the reveal, and intents carried out
//! through the routing past locks and drafts ([`super::routing`]).

use std::collections::HashMap;

use stellwand_board::{Author, Intent, ItemId};

use super::routing::{self, RouteError};
use super::{Draft, Drafts};
use crate::error::Result;
use crate::ids::BoardId;
use crate::storage::Storage;
use crate::workspace::{outcome, Outcome, Workspace};

impl<S: Storage> Workspace<S> {
    /// The reveal of private writing: puts this user's drafts of `board` on
    /// the board as notes with the drafts' ids (without author when
    /// `anonymous`), in one transaction, then removes the drafts. A draft
    /// whose note is already there (published before a crash) is only
    /// removed. `None` when there was nothing to publish.
    ///
    /// # Errors
    /// [`Error::Board`](crate::Error::Board) if the board refuses the notes (the drafts stay), a
    /// database error.
    pub fn publish_drafts(
        &mut self,
        board: BoardId,
        anonymous: bool,
        now: i64,
    ) -> Result<Option<Outcome>> {
        let drafts = self.library.drafts(board)?;
        if drafts.is_empty() {
            return Ok(None);
        }
        let mine = self.author.clone();
        let (library, session) = self.session(board)?;
        let specs: Vec<_> = drafts
            .iter()
            .filter(|d| session.board().item(d.id).is_none())
            .map(Draft::to_spec)
            .collect();
        let result = if specs.is_empty() {
            Ok(Vec::new())
        } else {
            if anonymous {
                session.set_author(Author {
                    id: String::new(),
                    name: String::new(),
                });
            }
            let created = session.apply_intent(
                library,
                now,
                Intent::Create {
                    items: specs,
                    adopt: false,
                },
            );
            session.set_author(mine);
            created
        };
        let created = result?;
        for draft in &drafts {
            library.delete_draft(board, draft.id)?;
        }
        Ok(Some(outcome(session, created)))
    }

    /// Carries one user action out on a board with locks and private drafts,
    /// as [`routing::route`] decides for this user's role and the board's
    /// workshop state: on the board, on this user's drafts (the part drafts
    /// cannot undergo on the board), or not at all. The outcome shows drafts
    /// as notes at [`routing::DRAFT_Z`]; deleted drafts are in its `removed`.
    ///
    /// # Errors
    /// [`RouteError::Refused`] (locked item, not before the reveal; nothing
    /// changed); [`RouteError::Library`] for what [`Workspace::apply`] or
    /// saving a draft refuses.
    pub fn apply_routed(
        &mut self,
        board: BoardId,
        intent: Intent,
        rules: routing::Rules<'_>,
        now: i64,
    ) -> std::result::Result<Outcome, RouteError> {
        let (library, session) = self.session(board)?;
        // A draft whose note is on the board already was published.
        let drafts: HashMap<ItemId, Draft> = library
            .drafts(board)?
            .into_iter()
            .filter(|d| session.board().item(d.id).is_none())
            .map(|d| (d.id, d))
            .collect();
        let ids = drafts.keys().copied().collect();
        match routing::route(&intent, &ids, rules) {
            routing::Routing::Refused(routing::Refusal::Silent) => Ok(outcome(session, Vec::new())),
            routing::Routing::Refused(refusal) => Err(RouteError::Refused(refusal)),
            routing::Routing::Board(intent) => Ok(self.apply(board, intent, now)?),
            routing::Routing::Drafts => {
                // The board's part first, as the window did: if the board
                // refuses it, no draft has changed.
                let (board_part, notes, mine) = routing::split(&intent, &ids);
                let mut result = match board_part {
                    Some(rest) => self.apply(board, rest, now)?,
                    None => {
                        let (_, session) = self.session(board)?;
                        outcome(session, Vec::new())
                    }
                };
                for spec in notes {
                    let draft = routing::draft_from_spec(spec, ItemId::new(), now);
                    self.library.save_draft(board, &draft)?;
                    result.created.push(draft.id);
                    result.changes.items.push(routing::draft_item(&draft));
                }
                for id in mine {
                    let Some(draft) = drafts.get(&id) else {
                        continue;
                    };
                    if matches!(intent, Intent::Delete { .. }) {
                        self.library.delete_draft(board, id)?;
                        result.changes.removed.push(id);
                    } else {
                        let next = routing::apply_to_draft(draft, &intent);
                        self.library.save_draft(board, &next)?;
                        result.changes.items.push(routing::draft_item(&next));
                    }
                }
                Ok(result)
            }
        }
    }
}
