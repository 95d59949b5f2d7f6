//! The rule that routes intents past locks and private drafts, and how a
//! workspace carries the routing out.

#![allow(clippy::unwrap_used)] // test code: a failed step is a failed test

use std::collections::BTreeSet;

use stellwand_board::workshop::{PrivateWriting, Workshop};
use stellwand_board::{Intent, ItemId, ItemKind, ItemSpec};
use stellwand_library::drafts::routing::{
    apply_to_draft, draft_from_spec, draft_item, intent_ids, route, without_ids, Refusal, Role,
    RouteError, Routing, Rules, DRAFT_Z,
};
use stellwand_library::{BoardId, Draft, Drafts, MemoryStorage, Workspace};

fn spec(kind: ItemKind, text: &str) -> ItemSpec {
    ItemSpec {
        kind,
        x: 1.0,
        y: 2.0,
        w: None,
        h: None,
        color: None,
        text: text.into(),
        tags: Vec::new(),
        parent: None,
        from: None,
        to: None,
        id: None,
        author: None,
    }
}

fn create(kinds: &[ItemKind]) -> Intent {
    Intent::Create {
        items: kinds.iter().map(|k| spec(*k, "neu")).collect(),
        adopt: true,
    }
}

fn workshop(locks: &[ItemId], private: bool) -> Workshop {
    Workshop {
        locks: locks.iter().map(ToString::to_string).collect(),
        private: Some(PrivateWriting {
            on: private,
            anonymous: false,
            changed: 0,
        }),
        ..Workshop::default()
    }
}

fn participant(workshop: &Workshop) -> Rules<'_> {
    Rules {
        workshop,
        role: Role::Participant,
    }
}

fn draft(id: ItemId, text: &str) -> Draft {
    Draft {
        id,
        x: 10.0,
        y: 20.0,
        w: 200.0,
        h: 150.0,
        color: "yellow".into(),
        text: text.into(),
        created: 1000,
    }
}

// ------------------------------------------------------------------ the rule

#[test]
fn an_intent_on_board_items_only_goes_to_the_board_unchanged() {
    let w = workshop(&[], false);
    let intent = Intent::Move {
        ids: vec![ItemId::new()],
        dx: 1.0,
        dy: 1.0,
        adopt: true,
    };
    assert_eq!(
        route(&intent, &BTreeSet::new(), participant(&w)),
        Routing::Board(intent)
    );
}

#[test]
fn changing_a_locked_item_is_refused() {
    let a = ItemId::new();
    let w = workshop(&[a], false);
    let intent = Intent::SetText {
        id: a,
        text: "x".into(),
    };
    assert_eq!(
        route(&intent, &BTreeSet::new(), participant(&w)),
        Routing::Refused(Refusal::Locked)
    );
}

#[test]
fn comments_reactions_and_duplicates_of_a_locked_item_are_allowed() {
    let a = ItemId::new();
    let w = workshop(&[a], false);
    let open = [
        Intent::AddComment {
            id: a,
            text: "gut".into(),
        },
        Intent::ToggleReaction {
            id: a,
            emoji: "👍".into(),
        },
        Intent::Duplicate {
            ids: vec![a],
            dx: 30.0,
            dy: 30.0,
        },
    ];
    for intent in open {
        assert_eq!(
            route(&intent, &BTreeSet::new(), participant(&w)),
            Routing::Board(intent.clone())
        );
    }
}

#[test]
fn the_facilitator_is_unaffected_by_locks_and_private_writing() {
    let a = ItemId::new();
    let w = workshop(&[a], true);
    let rules = Rules {
        workshop: &w,
        role: Role::Facilitator,
    };
    let edit = Intent::SetText {
        id: a,
        text: "x".into(),
    };
    assert_eq!(
        route(&edit, &BTreeSet::new(), rules),
        Routing::Board(edit.clone())
    );
    let note = create(&[ItemKind::Note]);
    assert_eq!(
        route(&note, &BTreeSet::new(), rules),
        Routing::Board(note.clone())
    );
}

#[test]
fn a_viewer_does_not_write_privately_but_locks_apply() {
    let a = ItemId::new();
    let w = workshop(&[a], true);
    let rules = Rules {
        workshop: &w,
        role: Role::Viewer,
    };
    let note = create(&[ItemKind::Note]);
    assert_eq!(
        route(&note, &BTreeSet::new(), rules),
        Routing::Board(note.clone())
    );
    let edit = Intent::SetText {
        id: a,
        text: "x".into(),
    };
    assert_eq!(
        route(&edit, &BTreeSet::new(), rules),
        Routing::Refused(Refusal::Locked)
    );
}

#[test]
fn a_note_created_during_private_writing_becomes_a_draft_but_frames_alone_do_not() {
    let on = workshop(&[], true);
    let off = workshop(&[], false);
    let none = BTreeSet::new();
    assert_eq!(
        route(&create(&[ItemKind::Note]), &none, participant(&on)),
        Routing::Drafts
    );
    let frame = create(&[ItemKind::Frame]);
    assert_eq!(
        route(&frame, &none, participant(&on)),
        Routing::Board(frame.clone())
    );
    let note = create(&[ItemKind::Note]);
    assert_eq!(
        route(&note, &none, participant(&off)),
        Routing::Board(note.clone())
    );
}

#[test]
fn editing_a_draft_goes_to_the_drafts() {
    let w = workshop(&[], false);
    let d = ItemId::new();
    let drafts = BTreeSet::from([d]);
    let edit = Intent::SetText {
        id: d,
        text: "x".into(),
    };
    assert_eq!(route(&edit, &drafts, participant(&w)), Routing::Drafts);
    let delete = Intent::Delete {
        ids: vec![ItemId::new(), d],
    };
    assert_eq!(route(&delete, &drafts, participant(&w)), Routing::Drafts);
}

#[test]
fn what_drafts_cannot_undergo_is_refused_for_them_and_goes_to_the_board_for_the_rest() {
    let w = workshop(&[], false);
    let (a, d) = (ItemId::new(), ItemId::new());
    let drafts = BTreeSet::from([d]);
    let tag = Intent::AddTag {
        id: d,
        tag: "x".into(),
    };
    assert_eq!(
        route(&tag, &drafts, participant(&w)),
        Routing::Refused(Refusal::NotYet)
    );
    let front = Intent::BringToFront { ids: vec![a, d] };
    assert_eq!(
        route(&front, &drafts, participant(&w)),
        Routing::Board(Intent::BringToFront { ids: vec![a] })
    );
    // A merge into a draft leaves nothing for the board.
    let merge = Intent::Merge {
        target: d,
        ids: vec![a],
    };
    assert_eq!(
        route(&merge, &drafts, participant(&w)),
        Routing::Refused(Refusal::Silent)
    );
}

#[test]
fn the_items_of_an_intent_are_read_from_its_id_its_ids_or_a_target() {
    let (a, b, t) = (ItemId::new(), ItemId::new(), ItemId::new());
    assert_eq!(
        intent_ids(&Intent::SetText {
            id: a,
            text: String::new()
        }),
        vec![a]
    );
    assert_eq!(intent_ids(&Intent::Delete { ids: vec![a, b] }), vec![a, b]);
    assert_eq!(intent_ids(&create(&[])), Vec::<ItemId>::new());
    assert_eq!(
        intent_ids(&Intent::Merge {
            target: t,
            ids: vec![a]
        }),
        vec![t, a]
    );
}

#[test]
fn an_intent_without_some_ids_keeps_the_rest_or_is_nothing_when_none_are_left() {
    let (a, d) = (ItemId::new(), ItemId::new());
    let drop = BTreeSet::from([d]);
    assert_eq!(
        without_ids(&Intent::Delete { ids: vec![a, d] }, &drop),
        Some(Intent::Delete { ids: vec![a] })
    );
    assert_eq!(without_ids(&Intent::Delete { ids: vec![d] }, &drop), None);
    assert_eq!(
        without_ids(
            &Intent::SetText {
                id: d,
                text: String::new()
            },
            &drop
        ),
        None
    );
    let other = Intent::SetText {
        id: a,
        text: String::new(),
    };
    assert_eq!(without_ids(&other, &drop), Some(other.clone()));
}

#[test]
fn intents_are_re_applied_to_a_draft_as_the_board_applies_them_to_a_note() {
    let d = draft(ItemId::new(), "Hallo Welt");
    let id = d.id;
    assert_eq!(
        apply_to_draft(
            &d,
            &Intent::SetText {
                id,
                text: "neu".into()
            }
        )
        .text,
        "neu"
    );
    let edit = Intent::EditText {
        id,
        index: 6,
        delete: 4,
        insert: "Rat".into(),
    };
    assert_eq!(apply_to_draft(&d, &edit).text, "Hallo Rat");
    let moved = apply_to_draft(
        &d,
        &Intent::Move {
            ids: vec![id],
            dx: 5.0,
            dy: -5.0,
            adopt: true,
        },
    );
    assert_eq!((moved.x, moved.y), (15.0, 15.0));
    let resized = apply_to_draft(
        &d,
        &Intent::Resize {
            id,
            x: 0.0,
            y: 0.0,
            w: 300.0,
            h: 100.0,
        },
    );
    assert_eq!(
        (resized.x, resized.y, resized.w, resized.h),
        (0.0, 0.0, 300.0, 100.0)
    );
    let recolored = apply_to_draft(
        &d,
        &Intent::Recolor {
            ids: vec![id],
            color: "blue".into(),
        },
    );
    assert_eq!(recolored.color, "blue");
    assert_eq!(
        apply_to_draft(
            &d,
            &Intent::AddTag {
                id,
                tag: "x".into()
            }
        ),
        d
    );
}

#[test]
fn text_edits_of_a_draft_count_utf16_units_as_the_editor_does() {
    let d = draft(ItemId::new(), "a😀b");
    let edit = Intent::EditText {
        id: d.id,
        index: 3,
        delete: 1,
        insert: "c".into(),
    };
    assert_eq!(apply_to_draft(&d, &edit).text, "a😀c");
}

#[test]
fn a_draft_is_shown_as_a_note_above_everything_on_the_board() {
    let d = draft(ItemId::new(), "Hallo Welt");
    let item = draft_item(&d);
    assert_eq!(item.kind, ItemKind::Note);
    assert_eq!(item.z, DRAFT_Z);
    assert_eq!((item.x, item.y, item.w, item.h), (10.0, 20.0, 200.0, 150.0));
    assert_eq!((item.created, item.updated), (1000, 1000));
}

#[test]
fn a_new_draft_takes_the_notes_place_and_the_default_size_and_colour() {
    let id = ItemId::new();
    let made = draft_from_spec(&spec(ItemKind::Note, "neu"), id, 42);
    assert_eq!(
        made,
        Draft {
            id,
            x: 1.0,
            y: 2.0,
            w: 200.0,
            h: 150.0,
            color: "yellow".into(),
            text: "neu".into(),
            created: 42
        }
    );
}

// ------------------------------------------------------------------ carried out

fn setup() -> (Workspace<MemoryStorage>, BoardId, ItemId) {
    let mut ws = Workspace::new(MemoryStorage::new(), "Anna").unwrap();
    let board = ws.create_board("Wand", None, 0).unwrap().id;
    ws.open_board(board, 0).unwrap();
    let outcome = ws.apply(board, create(&[ItemKind::Note]), 1).unwrap();
    (ws, board, outcome.created[0])
}

#[test]
fn a_note_created_during_private_writing_is_saved_as_a_draft_and_frames_go_to_the_board() {
    let (mut ws, board, _) = setup();
    let w = workshop(&[], true);
    let outcome = ws
        .apply_routed(
            board,
            create(&[ItemKind::Note, ItemKind::Frame]),
            participant(&w),
            5000,
        )
        .unwrap();
    let drafts = ws.library().drafts(board).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!((drafts[0].text.as_str(), drafts[0].created), ("neu", 5000));
    assert_eq!(outcome.created.len(), 2);
    assert!(outcome.created.contains(&drafts[0].id));
    let shown = outcome
        .changes
        .items
        .iter()
        .find(|i| i.id == drafts[0].id)
        .unwrap();
    assert_eq!(shown.z, DRAFT_Z);
    let frame = outcome
        .changes
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Frame)
        .unwrap();
    assert!(ws
        .read_board(board, |b| b.item(frame.id).is_some())
        .unwrap());
    assert!(ws
        .read_board(board, |b| b.item(drafts[0].id).is_none())
        .unwrap());
}

#[test]
fn a_move_of_a_draft_plus_a_board_note_splits() {
    let (mut ws, board, note) = setup();
    let d = draft(ItemId::new(), "privat");
    ws.library().save_draft(board, &d).unwrap();
    let w = workshop(&[], true);
    let before = ws
        .read_board(board, |b| b.item(note).map(|i| i.x))
        .unwrap()
        .unwrap();
    let intent = Intent::Move {
        ids: vec![note, d.id],
        dx: 10.0,
        dy: 20.0,
        adopt: false,
    };
    let outcome = ws.apply_routed(board, intent, participant(&w), 2).unwrap();
    let after = ws
        .read_board(board, |b| b.item(note).map(|i| i.x))
        .unwrap()
        .unwrap();
    assert_eq!(after, before + 10.0);
    let saved = ws.library().drafts(board).unwrap();
    assert_eq!((saved[0].x, saved[0].y), (20.0, 40.0));
    assert!(outcome
        .changes
        .items
        .iter()
        .any(|i| i.id == note && i.z != DRAFT_Z));
    assert!(outcome
        .changes
        .items
        .iter()
        .any(|i| i.id == d.id && i.z == DRAFT_Z));
    assert!(outcome.can_undo);
}

#[test]
fn a_delete_of_a_draft_removes_it_and_reports_it_removed_for_the_undo_offer() {
    let (mut ws, board, _) = setup();
    let d = draft(ItemId::new(), "weg");
    ws.library().save_draft(board, &d).unwrap();
    let w = workshop(&[], true);
    let outcome = ws
        .apply_routed(
            board,
            Intent::Delete { ids: vec![d.id] },
            participant(&w),
            2,
        )
        .unwrap();
    assert_eq!(outcome.changes.removed, vec![d.id]);
    assert!(ws.library().drafts(board).unwrap().is_empty());
    // Bringing it back is saving it again.
    ws.library().save_draft(board, &d).unwrap();
    assert_eq!(ws.library().drafts(board).unwrap(), vec![d]);
}

#[test]
fn a_locked_item_is_refused_and_nothing_changes() {
    let (mut ws, board, note) = setup();
    let w = workshop(&[note], false);
    let result = ws.apply_routed(
        board,
        Intent::SetText {
            id: note,
            text: "x".into(),
        },
        participant(&w),
        2,
    );
    assert!(matches!(result, Err(RouteError::Refused(Refusal::Locked))));
    assert_eq!(
        ws.read_board(board, |b| b.item(note).map(|i| i.text.clone()))
            .unwrap()
            .unwrap(),
        "neu"
    );
}

#[test]
fn a_comment_on_a_locked_item_is_allowed() {
    let (mut ws, board, note) = setup();
    let w = workshop(&[note], false);
    let outcome = ws
        .apply_routed(
            board,
            Intent::AddComment {
                id: note,
                text: "gut".into(),
            },
            participant(&w),
            2,
        )
        .unwrap();
    assert_eq!(outcome.changes.items[0].comments.len(), 1);
}

#[test]
fn a_draft_already_on_the_board_is_treated_as_published() {
    let (mut ws, board, note) = setup();
    ws.library().save_draft(board, &draft(note, "alt")).unwrap();
    let w = workshop(&[], true);
    let outcome = ws
        .apply_routed(
            board,
            Intent::AddTag {
                id: note,
                tag: "x".into(),
            },
            participant(&w),
            2,
        )
        .unwrap();
    assert_eq!(outcome.changes.items[0].tags, vec!["x".to_owned()]);
}
