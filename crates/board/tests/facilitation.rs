//! Clustering, merging, comments and reactions as a workshop uses them:
//! each one an intent, one transaction and one undo step.

use stellwand_board::yrs::{self, Any, Map, MapPrelim, ReadTxn, Transact, WriteTxn};
use stellwand_board::{
    Author, Board, BoardJson, CommentId, Error, Intent, ItemId, ItemKind, NewItem,
    MAX_COMMENT_CHARS,
};

fn anna() -> Author {
    Author {
        id: "u-anna".into(),
        name: "Anna".into(),
    }
}

fn ben() -> Author {
    Author {
        id: "u-ben".into(),
        name: "Ben".into(),
    }
}

fn sync(a: &mut Board, b: &mut Board) {
    let to_b = a.encode_diff(&b.state_vector()).expect("diff for b");
    let to_a = b.encode_diff(&a.state_vector()).expect("diff for a");
    b.apply_update(&to_b).expect("b applies");
    a.apply_update(&to_a).expect("a applies");
}

fn note(board: &mut Board, x: f64, y: f64, text: &str) -> ItemId {
    board
        .edit(1, |e| e.create(NewItem::note(x, y, text)))
        .expect("note")
}

/// Anna's note, Ben's note (synced into Anna's board) and Anna's board.
fn two_authors() -> (Board, Board, ItemId, ItemId) {
    let mut a = Board::new(anna());
    let mut b = Board::new(ben());
    let first = note(
        &mut a,
        0.0,
        0.0,
        "Fehlende Schnittstellen zwischen Fachverfahren",
    );
    let second = note(
        &mut b,
        300.0,
        0.0,
        "Schnittstelle zu den Fachverfahren fehlt",
    );
    sync(&mut a, &mut b);
    (a, b, first, second)
}

#[test]
fn merging_keeps_the_target_with_both_texts_and_the_other_author_as_coauthor() {
    let (mut board, mut ben_board, target, other) = two_authors();
    board
        .edit(2, |e| {
            e.add_tag(target, "Technik")?;
            e.add_tag(other, "XÖV")?;
            e.add_comment(other, "Betrifft auch das Meldewesen")?;
            e.toggle_reaction(other, "💡")?;
            Ok(())
        })
        .unwrap();
    let line_from_other = board
        .edit(3, |e| {
            let label = e.create(NewItem::note(0.0, 400.0, "Ursache"))?;
            let to_other = e.create(NewItem::connector(label, other, ""))?;
            e.create(NewItem::connector(target, other, "gleich"))?;
            Ok(to_other)
        })
        .unwrap();

    board
        .apply_intent(
            10,
            Intent::Merge {
                target,
                ids: vec![target, other, other],
            },
        )
        .unwrap();
    let merged = board.item(target).unwrap();
    assert_eq!(
        merged.text,
        "Fehlende Schnittstellen zwischen Fachverfahren\n\nSchnittstelle zu den Fachverfahren fehlt"
    );
    assert_eq!(merged.author, "Anna");
    assert_eq!(merged.coauthors.len(), 1);
    assert_eq!(
        (
            merged.coauthors[0].author_id.as_str(),
            merged.coauthors[0].name.as_str()
        ),
        ("u-ben", "Ben")
    );
    assert_eq!(merged.merged, vec![other]);
    assert_eq!(merged.tags, vec!["Technik".to_owned(), "XÖV".to_owned()]);
    assert_eq!(merged.comments.len(), 1);
    assert_eq!(merged.comments[0].text, "Betrifft auch das Meldewesen");
    assert_eq!(merged.reactions.len(), 1);
    assert_eq!(merged.reactions[0].emoji, "💡");
    assert!(board.item(other).is_none(), "the merged note is gone");
    let line = board.item(line_from_other).unwrap();
    assert_eq!(
        line.to,
        Some(target),
        "a connector to the merged note ends at the target"
    );
    let connectors: Vec<_> = board
        .items()
        .into_iter()
        .filter(|i| i.kind == ItemKind::Connector)
        .collect();
    assert_eq!(
        connectors.len(),
        1,
        "the connector between the two is dropped"
    );

    // Ben sees the same, and Anna's one undo brings both notes back.
    sync(&mut board, &mut ben_board);
    assert_eq!(ben_board.item(target).unwrap().coauthors.len(), 1);
    assert!(board.undo());
    assert_eq!(
        board.item(target).unwrap().text,
        "Fehlende Schnittstellen zwischen Fachverfahren"
    );
    let back = board.item(other).unwrap();
    assert_eq!(back.author, "Ben");
    assert_eq!(back.comments.len(), 1);
    assert!(board.item(target).unwrap().coauthors.is_empty());
    assert_eq!(
        board
            .items()
            .iter()
            .filter(|i| i.kind == ItemKind::Connector)
            .count(),
        2
    );
}

#[test]
fn merged_ids_and_coauthors_are_recorded_transitively() {
    let (mut board, _, target, other) = two_authors();
    let mut carl = Board::new(Author {
        id: "u-carl".into(),
        name: "Carl".into(),
    });
    let third = note(&mut carl, 0.0, 300.0, "Schnittstellen fehlen");
    sync(&mut board, &mut carl);
    // Carl's note first takes in Ben's, then goes into Anna's.
    board
        .apply_intent(
            5,
            Intent::Merge {
                target: third,
                ids: vec![other],
            },
        )
        .unwrap();
    board
        .apply_intent(
            6,
            Intent::Merge {
                target,
                ids: vec![third],
            },
        )
        .unwrap();
    let merged = board.item(target).unwrap();
    let mut expected = vec![other, third];
    expected.sort();
    assert_eq!(merged.merged, expected);
    let names: Vec<&str> = merged.coauthors.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["Ben", "Carl"]);
    // Merging a note by the target's own author adds no co-author.
    let own = note(&mut board, 0.0, 600.0, "Noch eine");
    board
        .apply_intent(
            7,
            Intent::Merge {
                target,
                ids: vec![own],
            },
        )
        .unwrap();
    assert_eq!(board.item(target).unwrap().coauthors.len(), 2);
}

#[test]
fn merging_refuses_bad_selections_and_changes_nothing() {
    let (mut board, _, target, other) = two_authors();
    let frame = board
        .edit(2, |e| {
            e.create(NewItem::frame(0.0, 0.0, 500.0, 500.0, "Rahmen"))
        })
        .unwrap();
    let before = board.items();
    let single = board.apply_intent(
        3,
        Intent::Merge {
            target,
            ids: vec![target],
        },
    );
    assert!(
        matches!(single, Err(Error::InvalidValue { .. })),
        "{single:?}"
    );
    let empty = board.apply_intent(
        3,
        Intent::Merge {
            target,
            ids: vec![],
        },
    );
    assert!(matches!(empty, Err(Error::InvalidValue { .. })));
    let unknown = ItemId::new();
    let missing = board.apply_intent(
        3,
        Intent::Merge {
            target,
            ids: vec![other, unknown],
        },
    );
    assert!(matches!(missing, Err(Error::ItemNotFound(id)) if id == unknown));
    let missing_target = board.apply_intent(
        3,
        Intent::Merge {
            target: unknown,
            ids: vec![other],
        },
    );
    assert!(matches!(missing_target, Err(Error::ItemNotFound(_))));
    let into_frame = board.apply_intent(
        3,
        Intent::Merge {
            target: frame,
            ids: vec![other],
        },
    );
    assert!(matches!(into_frame, Err(Error::WrongKind { .. })));
    let a_frame = board.apply_intent(
        3,
        Intent::Merge {
            target,
            ids: vec![other, frame],
        },
    );
    assert!(matches!(a_frame, Err(Error::WrongKind { .. })));
    assert_eq!(board.items(), before);
}

#[test]
fn grouping_puts_the_notes_into_a_new_frame_around_them_behind_them() {
    let mut board = Board::new(anna());
    let old_frame = board
        .edit(1, |e| {
            e.create(NewItem::frame(-500.0, -500.0, 2000.0, 2000.0, "Alt"))
        })
        .unwrap();
    let a = note(&mut board, 100.0, 100.0, "A");
    let b = note(&mut board, 400.0, 250.0, "B");
    let label = board
        .edit(1, |e| {
            e.create(NewItem::new(ItemKind::Label, 100.0, 500.0, "Hinweis"))
        })
        .unwrap();
    let outside = note(&mut board, 2000.0, 2000.0, "C");
    let created = board
        .apply_intent(
            2,
            Intent::GroupIntoFrame {
                ids: vec![a, b, label],
                title: "  Gruppe ".into(),
            },
        )
        .unwrap();
    assert_eq!(created.len(), 1);
    let frame = board.item(created[0]).unwrap();
    assert_eq!(frame.kind, ItemKind::Frame);
    assert_eq!(frame.text, "Gruppe");
    assert_eq!((frame.x, frame.y), (60.0, 20.0));
    assert_eq!((frame.w, frame.h), (580.0, 568.0));
    for id in [a, b, label] {
        let item = board.item(id).unwrap();
        assert_eq!(item.parent, Some(frame.id));
        assert!(item.z > frame.z, "the frame lies behind its notes");
        assert!(frame.contains(item.center()));
    }
    assert!(
        frame.z > board.item(old_frame).unwrap().z,
        "but above the old frame"
    );
    assert_eq!(board.item(outside).unwrap().parent, None);
    // One undo step removes the frame and gives the notes back their place.
    assert!(board.undo());
    assert!(board.item(frame.id).is_none());
    assert_eq!(board.item(a).unwrap().parent, None);
    assert_eq!(board.items().len(), 5);

    let empty = board.apply_intent(
        3,
        Intent::GroupIntoFrame {
            ids: vec![],
            title: "X".into(),
        },
    );
    assert!(matches!(empty, Err(Error::InvalidValue { .. })));
    let frames = board.apply_intent(
        3,
        Intent::GroupIntoFrame {
            ids: vec![a, old_frame],
            title: "X".into(),
        },
    );
    assert!(matches!(frames, Err(Error::WrongKind { .. })));
    let unknown = board.apply_intent(
        3,
        Intent::GroupIntoFrame {
            ids: vec![ItemId::new()],
            title: "X".into(),
        },
    );
    assert!(matches!(unknown, Err(Error::ItemNotFound(_))));
    assert_eq!(board.items().len(), 5);
}

#[test]
fn stacking_piles_notes_at_the_top_left_one_each_a_little_lower_and_on_top() {
    let mut board = Board::new(anna());
    let low = note(&mut board, 500.0, 500.0, "unten");
    let first = note(&mut board, 100.0, 80.0, "oben links");
    let middle = note(&mut board, 300.0, 50.0, "Mitte");
    board
        .apply_intent(2, Intent::BringToFront { ids: vec![low] })
        .unwrap();
    board
        .apply_intent(
            3,
            Intent::Stack {
                ids: vec![low, middle, first],
            },
        )
        .unwrap();
    let (f, m, l) = (
        board.item(first).unwrap(),
        board.item(middle).unwrap(),
        board.item(low).unwrap(),
    );
    assert_eq!((f.x, f.y), (100.0, 80.0));
    // The others follow in their stacking order: Mitte was below unten.
    assert_eq!((m.x, m.y), (100.0, 124.0));
    assert_eq!((l.x, l.y), (100.0, 168.0));
    assert!(f.z < m.z && m.z < l.z);
    assert!(board.undo());
    assert_eq!(board.item(low).unwrap().x, 500.0);

    let empty = board.apply_intent(4, Intent::Stack { ids: vec![] });
    assert!(matches!(empty, Err(Error::InvalidValue { .. })));
    let unknown = board.apply_intent(
        4,
        Intent::Stack {
            ids: vec![first, ItemId::new()],
        },
    );
    assert!(matches!(unknown, Err(Error::ItemNotFound(_))));
    assert_eq!(board.item(first).unwrap().y, 80.0);
}

#[test]
fn stacking_into_a_frame_joins_it() {
    let mut board = Board::new(anna());
    let frame = board
        .edit(1, |e| {
            e.create(NewItem::frame(0.0, 0.0, 600.0, 600.0, "Rahmen"))
        })
        .unwrap();
    let inside = note(&mut board, 50.0, 50.0, "drin");
    let outside = note(&mut board, 1000.0, 1000.0, "draußen");
    board
        .apply_intent(
            2,
            Intent::Stack {
                ids: vec![outside, inside],
            },
        )
        .unwrap();
    assert_eq!(board.item(outside).unwrap().parent, Some(frame));
}

#[test]
fn comments_form_a_thread_oldest_first_and_can_be_deleted() {
    let (mut board, mut ben_board, target, _) = two_authors();
    board
        .apply_intent(
            20,
            Intent::AddComment {
                id: target,
                text: "  Zweite Meinung  ".into(),
            },
        )
        .unwrap();
    ben_board
        .apply_intent(
            10,
            Intent::AddComment {
                id: target,
                text: "Erste".into(),
            },
        )
        .unwrap();
    sync(&mut board, &mut ben_board);
    let comments = board.item(target).unwrap().comments;
    let texts: Vec<&str> = comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, vec!["Erste", "Zweite Meinung"]);
    assert_eq!(comments[0].author, "Ben");
    assert_eq!(comments[1].author_id, "u-anna");
    assert_eq!(comments[1].created, 20);

    let anna_comment = comments[1].id;
    board
        .apply_intent(
            21,
            Intent::DeleteComment {
                id: target,
                comment: anna_comment,
            },
        )
        .unwrap();
    assert_eq!(board.item(target).unwrap().comments.len(), 1);
    // Already gone (deleted elsewhere meanwhile): no error.
    board
        .apply_intent(
            22,
            Intent::DeleteComment {
                id: target,
                comment: CommentId::new(),
            },
        )
        .unwrap();
    assert!(board.undo());
    assert_eq!(board.item(target).unwrap().comments.len(), 2);
}

#[test]
fn empty_too_long_or_misplaced_comments_are_refused() {
    let (mut board, _, target, _) = two_authors();
    let frame = board
        .edit(2, |e| {
            e.create(NewItem::frame(0.0, 0.0, 500.0, 500.0, "Rahmen"))
        })
        .unwrap();
    for text in ["", "   \n "] {
        let result = board.apply_intent(
            3,
            Intent::AddComment {
                id: target,
                text: text.into(),
            },
        );
        assert!(
            matches!(result, Err(Error::InvalidValue { .. })),
            "{result:?}"
        );
    }
    let long = "ä".repeat(MAX_COMMENT_CHARS + 1);
    let result = board.apply_intent(
        3,
        Intent::AddComment {
            id: target,
            text: long,
        },
    );
    assert!(matches!(result, Err(Error::InvalidValue { .. })));
    let longest = "ä".repeat(MAX_COMMENT_CHARS);
    board
        .apply_intent(
            3,
            Intent::AddComment {
                id: target,
                text: longest,
            },
        )
        .unwrap();
    let result = board.apply_intent(
        3,
        Intent::AddComment {
            id: frame,
            text: "x".into(),
        },
    );
    assert!(matches!(result, Err(Error::WrongKind { .. })));
    let result = board.apply_intent(
        3,
        Intent::AddComment {
            id: ItemId::new(),
            text: "x".into(),
        },
    );
    assert!(matches!(result, Err(Error::ItemNotFound(_))));
    let result = board.apply_intent(
        3,
        Intent::DeleteComment {
            id: ItemId::new(),
            comment: CommentId::new(),
        },
    );
    assert!(matches!(result, Err(Error::ItemNotFound(_))));
    assert_eq!(board.item(target).unwrap().comments.len(), 1);
}

#[test]
fn reactions_toggle_per_person_and_merge_like_a_set() {
    let (mut board, mut ben_board, target, _) = two_authors();
    board
        .apply_intent(
            2,
            Intent::ToggleReaction {
                id: target,
                emoji: "👍".into(),
            },
        )
        .unwrap();
    ben_board
        .apply_intent(
            2,
            Intent::ToggleReaction {
                id: target,
                emoji: "👍".into(),
            },
        )
        .unwrap();
    ben_board
        .apply_intent(
            2,
            Intent::ToggleReaction {
                id: target,
                emoji: "❤️".into(),
            },
        )
        .unwrap();
    sync(&mut board, &mut ben_board);
    let reactions = board.item(target).unwrap().reactions;
    assert_eq!(reactions.len(), 3);
    assert_eq!(reactions.iter().filter(|r| r.emoji == "👍").count(), 2);
    // Toggling again takes back only Anna's thumb.
    board
        .apply_intent(
            3,
            Intent::ToggleReaction {
                id: target,
                emoji: "👍".into(),
            },
        )
        .unwrap();
    sync(&mut board, &mut ben_board);
    let reactions = ben_board.item(target).unwrap().reactions;
    let thumbs: Vec<&str> = reactions
        .iter()
        .filter(|r| r.emoji == "👍")
        .map(|r| r.author.as_str())
        .collect();
    assert_eq!(thumbs, vec!["Ben"]);
    assert!(board.undo());
    assert_eq!(board.item(target).unwrap().reactions.len(), 3);

    for emoji in ["👎", "", "👍👍", "<b>"] {
        let result = board.apply_intent(
            4,
            Intent::ToggleReaction {
                id: target,
                emoji: emoji.into(),
            },
        );
        assert!(matches!(result, Err(Error::InvalidValue { .. })), "{emoji}");
    }
    let result = board.apply_intent(
        4,
        Intent::ToggleReaction {
            id: ItemId::new(),
            emoji: "👍".into(),
        },
    );
    assert!(matches!(result, Err(Error::ItemNotFound(_))));
}

#[test]
fn comments_and_reactions_of_the_wrong_type_from_foreign_clients_are_skipped() {
    let mut foreign = yrs::Doc::new();
    let id = "7f0c8a52-7f41-4c39-9d53-2f8c1a8e0001";
    let good_comment = "7f0c8a52-7f41-4c39-9d53-2f8c1a8e00c1";
    {
        let mut txn = foreign.transact_mut();
        let items = txn.get_or_insert_map("items");
        let note = items.insert(
            &mut txn,
            id,
            MapPrelim::from_iter([
                ("type", yrs::In::from("note")),
                ("react:👍:u-x", "Xaver".into()),
                ("react:👎:u-x", "Xaver".into()),
                ("react:❤️:u-y", 3.0.into()),
                ("react:🎉:", "niemand".into()),
                ("react:💡", "ohne Person".into()),
                ("coauthor:u-z", "Zoe".into()),
                ("coauthor:u-w", false.into()),
                ("merged:7f0c8a52-7f41-4c39-9d53-2f8c1a8e0002", true.into()),
                ("merged:kein-uuid", true.into()),
                ("merged:7f0c8a52-7f41-4c39-9d53-2f8c1a8e0003", "ja".into()),
            ]),
        );
        let comments = note.insert(&mut txn, "comments", MapPrelim::default());
        comments.insert(
            &mut txn,
            good_comment,
            MapPrelim::from_iter([
                ("text", yrs::In::from("Gut")),
                ("author", 5.0.into()),
                ("created", "gestern".into()),
            ]),
        );
        comments.insert(
            &mut txn,
            "7f0c8a52-7f41-4c39-9d53-2f8c1a8e00c2",
            MapPrelim::from_iter([("text", yrs::In::from(17.0))]),
        );
        comments.insert(
            &mut txn,
            "not-a-uuid",
            MapPrelim::from_iter([("text", yrs::In::from("x"))]),
        );
        comments.insert(&mut txn, "7f0c8a52-7f41-4c39-9d53-2f8c1a8e00c3", "nur Text");
        let other = items.insert(
            &mut txn,
            "7f0c8a52-7f41-4c39-9d53-2f8c1a8e0004",
            MapPrelim::from_iter([("type", yrs::In::from("note"))]),
        );
        other.insert(&mut txn, "comments", Any::from("kein Map"));
    }
    let update = foreign
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    let _ = &mut foreign;
    let mut board = Board::new(anna());
    board.apply_update(&update).unwrap();
    let id = ItemId::parse(id).unwrap();
    let item = board.item(id).unwrap();
    assert_eq!(item.comments.len(), 1);
    assert_eq!(item.comments[0].text, "Gut");
    assert_eq!(
        (item.comments[0].author.as_str(), item.comments[0].created),
        ("", 0)
    );
    assert_eq!(item.reactions.len(), 1);
    assert_eq!(
        (
            item.reactions[0].emoji.as_str(),
            item.reactions[0].author.as_str()
        ),
        ("👍", "Xaver")
    );
    assert_eq!(item.coauthors.len(), 1);
    assert_eq!(item.merged.len(), 1);
    // A note whose `comments` is no map gets a proper one on the first comment.
    let other = ItemId::parse("7f0c8a52-7f41-4c39-9d53-2f8c1a8e0004").unwrap();
    assert!(board.item(other).unwrap().comments.is_empty());
    board
        .apply_intent(
            5,
            Intent::AddComment {
                id: other,
                text: "Neu".into(),
            },
        )
        .unwrap();
    assert_eq!(board.item(other).unwrap().comments.len(), 1);
    // Anna's reaction next to a broken one of her own id is a toggle on.
    board.edit(6, |e| e.toggle_reaction(id, "❤️")).unwrap();
}

#[test]
fn comments_reactions_and_merges_survive_the_json_form_and_restores() {
    let (mut board, _, target, other) = two_authors();
    board
        .apply_intent(
            2,
            Intent::AddComment {
                id: target,
                text: "Kommentar".into(),
            },
        )
        .unwrap();
    board
        .apply_intent(
            3,
            Intent::ToggleReaction {
                id: target,
                emoji: "🎉".into(),
            },
        )
        .unwrap();
    board
        .apply_intent(
            4,
            Intent::Merge {
                target,
                ids: vec![other],
            },
        )
        .unwrap();
    let json = BoardJson::of(&board);
    let text = serde_json::to_string(&json).unwrap();
    let mut copy = Board::new(anna());
    BoardJson::parse(&text)
        .unwrap()
        .write_into(&mut copy, 5)
        .unwrap();
    let (mut copied, mut original) = (copy.item(target).unwrap(), board.item(target).unwrap());
    copied.updated = 0;
    original.updated = 0;
    assert_eq!(copied, original);

    let saved = board.items();
    board
        .apply_intent(
            6,
            Intent::ToggleReaction {
                id: target,
                emoji: "🎉".into(),
            },
        )
        .unwrap();
    board
        .apply_intent(
            7,
            Intent::AddComment {
                id: target,
                text: "Später".into(),
            },
        )
        .unwrap();
    board.restore(8, &saved, "").unwrap();
    let restored = board.item(target).unwrap();
    let original = saved.iter().find(|i| i.id == target).unwrap();
    assert_eq!(restored.comments, original.comments);
    assert_eq!(restored.reactions, original.reactions);
    assert_eq!(restored.coauthors, original.coauthors);
    assert_eq!(restored.merged, original.merged);
}

#[test]
fn intents_for_workshops_arrive_as_json() {
    let (mut board, _, target, other) = two_authors();
    let intent: Intent = serde_json::from_str(&format!(
        r#"{{"op":"merge","target":"{target}","ids":["{other}"]}}"#
    ))
    .unwrap();
    board.apply_intent(2, intent).unwrap();
    let intent: Intent = serde_json::from_str(&format!(
        r#"{{"op":"toggleReaction","id":"{target}","emoji":"❓"}}"#
    ))
    .unwrap();
    board.apply_intent(3, intent).unwrap();
    let intent: Intent = serde_json::from_str(&format!(
        r#"{{"op":"groupIntoFrame","ids":["{target}"],"title":"Gruppe"}}"#
    ))
    .unwrap();
    assert_eq!(board.apply_intent(4, intent).unwrap().len(), 1);
    assert!(serde_json::from_str::<Intent>(&format!(
        r#"{{"op":"deleteComment","id":"{target}","comment":"nope"}}"#
    ))
    .is_err());
}

#[test]
fn near_duplicates_on_a_board_come_oldest_first() {
    let mut board = Board::new(anna());
    let older = board
        .edit(1, |e| {
            e.create(NewItem::note(
                0.0,
                0.0,
                "Schnittstelle zu den Fachverfahren fehlt",
            ))
        })
        .unwrap();
    let newer = board
        .edit(2, |e| {
            e.create(NewItem::note(
                300.0,
                0.0,
                "Fehlende Schnittstellen zwischen Fachverfahren",
            ))
        })
        .unwrap();
    note(&mut board, 0.0, 900.0, "Budget für Fortbildung");
    assert_eq!(board.near_duplicates(), vec![vec![older, newer]]);
}
