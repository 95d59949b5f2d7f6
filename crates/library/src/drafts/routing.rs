//! Where an intent goes on a board with locks and private drafts, and how
//! an intent is carried out on a draft.
//!
//! This is the workshop's business rule that every client shares (the
//! desktop window, a browser): the window only sends intents and shows the
//! outcome. [`route`] decides; [`Workspace::apply_routed`] carries the
//! decision out.
//!
//! [`Workspace::apply_routed`]: crate::workspace::Workspace::apply_routed

use std::collections::BTreeSet;

use stellwand_board::workshop::Workshop;
use stellwand_board::{Intent, Item, ItemId, ItemKind, ItemSpec};

use super::Draft;

/// The stacking order of drafts: above everything on the board (the
/// largest integer a JavaScript number holds exactly, as the window has
/// always drawn them).
pub const DRAFT_Z: f64 = 9_007_199_254_740_991.0;

/// Default size of a new note, as the window creates them.
const NOTE_W: f64 = 200.0;
const NOTE_H: f64 = 150.0;

/// This user's role on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Runs the workshop (also whoever runs a board alone): no locks apply
    /// and notes are never private.
    Facilitator,
    /// Takes part: locks apply, notes are private while private writing is on.
    Participant,
    /// Watches only.
    Viewer,
}

/// Why an intent was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It changes an item locked for this user.
    Locked,
    /// Private drafts cannot undergo it before the reveal.
    NotYet,
    /// Nothing was left of it once the drafts were taken out; nothing to tell.
    Silent,
}

/// Where an intent goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Routing {
    /// To the board: the intent asked for, or what is left of it without drafts.
    Board(Intent),
    /// To this user's drafts (and whatever part of it is for the board).
    Drafts,
    /// Nowhere.
    Refused(Refusal),
}

/// The rule's view of the board: locks and private writing as the host
/// published them, and this user's role.
#[derive(Clone, Copy, Debug)]
pub struct Rules<'a> {
    /// The typed workshop state.
    pub workshop: &'a Workshop,
    /// This user's role.
    pub role: Role,
}

impl Rules<'_> {
    /// The item is locked for this user: only the facilitator may change it.
    #[must_use]
    pub fn locked_for_me(&self, id: ItemId) -> bool {
        self.role != Role::Facilitator && self.workshop.locks.contains(&id.to_string())
    }

    /// New notes of this user are drafts now (private writing, as a participant).
    #[must_use]
    pub fn writing_privately(&self) -> bool {
        self.role == Role::Participant && self.workshop.private.as_ref().is_some_and(|p| p.on)
    }
}

/// The items an intent changes (a merge's target first).
#[must_use]
pub fn intent_ids(intent: &Intent) -> Vec<ItemId> {
    match intent {
        Intent::Create { .. } | Intent::SetTitle { .. } => Vec::new(),
        Intent::SetText { id, .. }
        | Intent::EditText { id, .. }
        | Intent::Resize { id, .. }
        | Intent::AddTag { id, .. }
        | Intent::RemoveTag { id, .. }
        | Intent::SetParent { id, .. }
        | Intent::AddComment { id, .. }
        | Intent::DeleteComment { id, .. }
        | Intent::ToggleReaction { id, .. } => vec![*id],
        Intent::Move { ids, .. }
        | Intent::Recolor { ids, .. }
        | Intent::Delete { ids }
        | Intent::Duplicate { ids, .. }
        | Intent::BringToFront { ids }
        | Intent::SendToBack { ids }
        | Intent::GroupIntoFrame { ids, .. }
        | Intent::Stack { ids } => ids.clone(),
        Intent::Merge { target, ids } => std::iter::once(*target)
            .chain(ids.iter().copied())
            .collect(),
    }
}

/// Comments and reactions stay open on locked items.
fn is_annotation(intent: &Intent) -> bool {
    matches!(
        intent,
        Intent::AddComment { .. } | Intent::DeleteComment { .. } | Intent::ToggleReaction { .. }
    )
}

/// What a private draft can undergo before the reveal.
fn draftable(intent: &Intent) -> bool {
    matches!(
        intent,
        Intent::Create { .. }
            | Intent::SetText { .. }
            | Intent::EditText { .. }
            | Intent::Resize { .. }
            | Intent::Move { .. }
            | Intent::Recolor { .. }
            | Intent::Delete { .. }
    )
}

/// The intent without the given ids, or `None` when nothing is left of it
/// (a merge whose target is dropped included).
#[must_use]
pub fn without_ids(intent: &Intent, drop: &BTreeSet<ItemId>) -> Option<Intent> {
    let keep = |ids: &[ItemId]| -> Option<Vec<ItemId>> {
        let kept: Vec<ItemId> = ids
            .iter()
            .copied()
            .filter(|id| !drop.contains(id))
            .collect();
        (!kept.is_empty()).then_some(kept)
    };
    let mut rest = intent.clone();
    match &mut rest {
        Intent::Move { ids, .. }
        | Intent::Recolor { ids, .. }
        | Intent::Delete { ids }
        | Intent::Duplicate { ids, .. }
        | Intent::BringToFront { ids }
        | Intent::SendToBack { ids }
        | Intent::GroupIntoFrame { ids, .. }
        | Intent::Stack { ids } => *ids = keep(ids)?,
        Intent::Merge { target, ids } => {
            if drop.contains(target) {
                return None;
            }
            *ids = keep(ids)?;
        }
        _ => {
            if intent_ids(intent).iter().any(|id| drop.contains(id)) {
                return None;
            }
        }
    }
    Some(rest)
}

/// Decides where an intent goes: refused when it changes an item locked for
/// this user (comments, reactions and duplicates excepted), to the drafts
/// when it touches one or creates notes while writing privately, to the
/// board otherwise. What drafts cannot undergo goes to the board without
/// them, or is refused when only drafts are left.
#[must_use]
pub fn route(intent: &Intent, drafts: &BTreeSet<ItemId>, rules: Rules<'_>) -> Routing {
    let ids = intent_ids(intent);
    let exempt = matches!(intent, Intent::Duplicate { .. }) || is_annotation(intent);
    if !exempt && ids.iter().any(|id| rules.locked_for_me(*id)) {
        return Routing::Refused(Refusal::Locked);
    }
    let touched: BTreeSet<ItemId> = ids
        .iter()
        .copied()
        .filter(|id| drafts.contains(id))
        .collect();
    let creates_drafts = rules.writing_privately()
        && matches!(intent, Intent::Create { items, .. } if items.iter().any(|s| s.kind == ItemKind::Note));
    if touched.is_empty() && !creates_drafts {
        return Routing::Board(intent.clone());
    }
    if !draftable(intent) {
        if ids.iter().all(|id| touched.contains(id)) {
            return Routing::Refused(Refusal::NotYet);
        }
        return without_ids(intent, &touched)
            .map_or(Routing::Refused(Refusal::Silent), Routing::Board);
    }
    Routing::Drafts
}

/// An intent routed to the drafts, taken apart: the part for the board
/// (if any), the note specs that become new drafts, and the drafts it changes.
#[must_use]
pub fn split<'a>(
    intent: &'a Intent,
    drafts: &BTreeSet<ItemId>,
) -> (Option<Intent>, Vec<&'a ItemSpec>, Vec<ItemId>) {
    if let Intent::Create { items, adopt } = intent {
        let (notes, others): (Vec<&ItemSpec>, Vec<&ItemSpec>) =
            items.iter().partition(|s| s.kind == ItemKind::Note);
        let rest = (!others.is_empty()).then(|| Intent::Create {
            items: others.into_iter().cloned().collect(),
            adopt: *adopt,
        });
        return (rest, notes, Vec::new());
    }
    let mine: BTreeSet<ItemId> = intent_ids(intent)
        .into_iter()
        .filter(|id| drafts.contains(id))
        .collect();
    (
        without_ids(intent, &mine),
        Vec::new(),
        mine.into_iter().collect(),
    )
}

/// A new draft for a note the user creates while writing privately.
#[must_use]
pub fn draft_from_spec(spec: &ItemSpec, id: ItemId, now: i64) -> Draft {
    Draft {
        id,
        x: spec.x,
        y: spec.y,
        w: spec.w.unwrap_or(NOTE_W),
        h: spec.h.unwrap_or(NOTE_H),
        color: spec.color.clone().unwrap_or_else(|| "yellow".to_owned()),
        text: spec.text.clone(),
        created: now,
    }
}

/// The draft after `intent` (text, size, place, colour); unchanged by any
/// other intent. Creating and deleting drafts is the caller's.
#[must_use]
pub fn apply_to_draft(draft: &Draft, intent: &Intent) -> Draft {
    let mut next = draft.clone();
    match intent {
        Intent::SetText { text, .. } => next.text.clone_from(text),
        Intent::EditText {
            index,
            delete,
            insert,
            ..
        } => next.text = splice_utf16(&draft.text, *index, *delete, insert),
        Intent::Resize { x, y, w, h, .. } => {
            (next.x, next.y, next.w, next.h) = (*x, *y, *w, *h);
        }
        Intent::Move { dx, dy, .. } => {
            next.x += dx;
            next.y += dy;
        }
        Intent::Recolor { color, .. } => next.color.clone_from(color),
        _ => {}
    }
    next
}

/// `text` with `delete` UTF-16 units at `index` replaced by `insert`, as the
/// window's editor counts (positions past the end are clamped; a split
/// surrogate pair becomes U+FFFD rather than failing).
fn splice_utf16(text: &str, index: u32, delete: u32, insert: &str) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let start = (index as usize).min(units.len());
    let end = start.saturating_add(delete as usize).min(units.len());
    let mut out = String::from_utf16_lossy(&units[..start]);
    out.push_str(insert);
    out.push_str(&String::from_utf16_lossy(&units[end..]));
    out
}

/// A draft as the board shows it: a note above all others.
#[must_use]
pub fn draft_item(draft: &Draft) -> Item {
    Item {
        id: draft.id,
        kind: ItemKind::Note,
        x: draft.x,
        y: draft.y,
        w: draft.w,
        h: draft.h,
        z: DRAFT_Z,
        color: draft.color.clone(),
        text: draft.text.clone(),
        tags: Vec::new(),
        parent: None,
        from: None,
        to: None,
        author: String::new(),
        author_id: String::new(),
        created: draft.created,
        updated: draft.created,
        comments: Vec::new(),
        reactions: Vec::new(),
        coauthors: Vec::new(),
        merged: Vec::new(),
    }
}

/// Why [`Workspace::apply_routed`] did not carry an intent out.
///
/// [`Workspace::apply_routed`]: crate::workspace::Workspace::apply_routed
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// The rule refused it (nothing changed).
    #[error("{}", match .0 {
        Refusal::Locked => "the item is locked: only the facilitator can change it",
        Refusal::NotYet => "private notes cannot undergo this before the reveal",
        Refusal::Silent => "nothing is left of the action without private notes",
    })]
    Refused(Refusal),
    /// The board or the library refused it.
    #[error(transparent)]
    Library(#[from] crate::error::Error),
}
