//! Behaviour of the board document as users and foreign clients see it.

use stellwand_board::yrs::{self, Any, Map, MapPrelim, ReadTxn, Transact, WriteTxn};
use stellwand_board::{Author, Board, BoardJson, Error, ItemKind, NewItem};

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

#[test]
fn notes_keep_text_position_colour_tags_and_author() {
    let mut board = Board::new(anna());
    let id = board
        .edit(1_000, |e| {
            e.create(
                NewItem::note(10.0, 20.0, "Fachverfahren anbinden")
                    .with_color("blue")
                    .with_tags(["Technik", " ", "Technik"]),
            )
        })
        .unwrap();
    let note = board.item(id).unwrap();
    assert_eq!(note.kind, ItemKind::Note);
    assert_eq!((note.x, note.y, note.w, note.h), (10.0, 20.0, 200.0, 150.0));
    assert_eq!(note.color, "blue");
    assert_eq!(note.tags, vec!["Technik".to_string()]);
    assert_eq!(note.author, "Anna");
    assert_eq!((note.created, note.updated), (1_000, 1_000));

    board
        .edit(2_000, |e| {
            e.set_text(id, "Fachverfahren über XÖV anbinden")?;
            e.resize(id, 300.0, 180.0)?;
            e.add_tag(id, "XÖV")?;
            e.remove_tag(id, "Technik")
        })
        .unwrap();
    let note = board.item(id).unwrap();
    assert_eq!(note.text, "Fachverfahren über XÖV anbinden");
    assert_eq!((note.w, note.h), (300.0, 180.0));
    assert_eq!(note.tags, vec!["XÖV".to_string()]);
    assert_eq!(note.updated, 2_000);
}

#[test]
fn moving_a_frame_carries_its_notes_but_not_others() {
    let mut board = Board::new(anna());
    let (frame, inside, outside) = board
        .edit(0, |e| {
            let frame = e.create(NewItem::frame(0.0, 0.0, 800.0, 600.0, "Hemmnisse"))?;
            let inside = e.create(NewItem::note(1000.0, 50.0, "drin"))?;
            let outside = e.create(NewItem::note(50.0, 50.0, "draußen"))?;
            Ok((frame, inside, outside))
        })
        .unwrap();
    // Moving a note onto the frame and adopting by position makes it a child.
    board
        .edit(1, |e| {
            e.move_to(inside, 100.0, 100.0)?;
            e.adopt_by_position(&[inside])
        })
        .unwrap();
    assert_eq!(board.item(inside).unwrap().parent, Some(frame));
    // Geometry alone does not make `outside` a child.
    board.edit(2, |e| e.move_by(&[frame], 500.0, 10.0)).unwrap();
    assert_eq!(board.item(frame).unwrap().x, 500.0);
    assert_eq!(
        (board.item(inside).unwrap().x, board.item(inside).unwrap().y),
        (600.0, 110.0)
    );
    assert_eq!(board.item(outside).unwrap().x, 50.0);
}

#[test]
fn deleting_a_frame_takes_its_notes_and_attached_connectors() {
    let mut board = Board::new(anna());
    let (frame, child, other) = board
        .edit(0, |e| {
            let frame = e.create(NewItem::frame(0.0, 0.0, 400.0, 400.0, "Lösungsansätze"))?;
            let child = e.create(NewItem::note(10.0, 10.0, "a").in_frame(frame))?;
            let other = e.create(NewItem::note(900.0, 10.0, "b"))?;
            e.create(NewItem::connector(child, other, "führt zu"))?;
            Ok((frame, child, other))
        })
        .unwrap();
    assert_eq!(board.len(), 4);
    let deleted = board.edit(1, |e| e.delete(&[frame])).unwrap();
    assert_eq!(deleted.len(), 3);
    assert!(board.item(child).is_none());
    assert!(board.item(other).is_some());
    assert_eq!(board.len(), 1);
}

#[test]
fn a_failing_batch_changes_nothing_and_keeps_the_undo_history() {
    let mut board = Board::new(anna());
    let first = board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "eins")))
        .unwrap();
    let err = board
        .edit(1, |e| {
            e.create(NewItem::note(0.0, 0.0, "zwei"))?;
            e.set_text(first, "geändert")?;
            e.recolor(&[first], "not-a-colour")
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidValue { field: "color", .. }));
    assert_eq!(board.len(), 1);
    assert_eq!(board.item(first).unwrap().text, "eins");
    // The earlier step is still the one that undo reverts.
    assert!(board.undo());
    assert!(board.is_empty());
}

#[test]
fn undo_reverts_only_the_local_users_changes() {
    let mut a = Board::with_client_id(anna(), 1);
    let mut b = Board::with_client_id(ben(), 2);
    let note = a
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "Idee")))
        .unwrap();
    sync(&mut a, &mut b);
    // Concurrently: Anna moves the note, Ben edits its text and adds a note.
    a.edit(1, |e| e.move_to(note, 300.0, 300.0)).unwrap();
    let bens = b
        .edit(1, |e| {
            e.edit_text(note, 4, 0, " von Ben")?;
            e.create(NewItem::note(50.0, 50.0, "Bens Notiz"))
        })
        .unwrap();
    sync(&mut a, &mut b);
    assert!(a.undo());
    sync(&mut a, &mut b);
    for board in [&a, &b] {
        let n = board.item(note).unwrap();
        assert_eq!((n.x, n.y), (0.0, 0.0), "Anna's move is undone");
        assert_eq!(n.text, "Idee von Ben", "Ben's text stays");
        assert!(board.item(bens).is_some(), "Ben's note stays");
    }
    // Undoing Anna's creation removes the note even though Ben edited it.
    assert!(a.undo());
    assert!(a.item(note).is_none());
    assert!(a.redo());
    assert!(a.item(note).is_some());
    // Ben's undo affects only Ben's work.
    assert!(b.undo());
    assert!(b.item(bens).is_none());
    assert!(b.item(note).is_some());
}

#[test]
fn text_positions_count_utf16_units_like_javascript() {
    let mut board = Board::new(anna());
    let id = board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "👋 Grüße")))
        .unwrap();
    // In JavaScript "👋 Grüße".length is 7 and the space is at index 2.
    board
        .edit(1, |e| e.edit_text(id, 2, 1, ", liebe "))
        .unwrap();
    assert_eq!(board.item(id).unwrap().text, "👋, liebe Grüße");
    board.edit(2, |e| e.edit_text(id, 15, 0, "!")).unwrap();
    assert_eq!(board.item(id).unwrap().text, "👋, liebe Grüße!");
    // Inside the surrogate pair, past the end: refused, nothing changed.
    for (index, len) in [(1, 0), (17, 0), (0, 99), (u32::MAX, 1)] {
        let err = board
            .edit(3, |e| e.edit_text(id, index, len, "x"))
            .unwrap_err();
        assert!(
            matches!(err, Error::TextRange { .. }),
            "{index}/{len}: {err}"
        );
    }
    assert_eq!(board.item(id).unwrap().text, "👋, liebe Grüße!");
}

#[test]
fn values_of_the_wrong_type_from_foreign_clients_are_defaulted_or_skipped() {
    let mut foreign = yrs::Doc::new();
    {
        let mut txn = foreign.transact_mut();
        let items = txn.get_or_insert_map("items");
        let ok_id = "7f0c8a52-7f41-4c39-9d53-2f8c1a8e0001";
        items.insert(
            &mut txn,
            ok_id,
            MapPrelim::from_iter([
                ("type", yrs::In::from("note")),
                ("x", "not a number".into()),
                ("y", f64::NAN.into()),
                ("w", (-5.0).into()),
                ("h", 1e300.into()),
                ("z", true.into()),
                ("color", "javascript:alert(1)".into()),
                ("text", 42.0.into()),
                (
                    "tags",
                    yrs::In::Any(Any::Array(vec![Any::from("a"), Any::from(3.0)].into())),
                ),
                ("parent", "not-a-uuid".into()),
                ("created", "gestern".into()),
            ]),
        );
        items.insert(
            &mut txn,
            "7f0c8a52-7f41-4c39-9d53-2f8c1a8e0002",
            MapPrelim::from_iter([("type", yrs::In::from("hologram"))]),
        );
        items.insert(
            &mut txn,
            "not-a-uuid",
            MapPrelim::from_iter([("type", yrs::In::from("note"))]),
        );
        items.insert(
            &mut txn,
            "7f0c8a52-7f41-4c39-9d53-2f8c1a8e0003",
            "just a string",
        );
        let meta = txn.get_or_insert_map("meta");
        meta.insert(&mut txn, "title", 17.0);
    }
    let update = foreign
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    let _ = &mut foreign;
    let mut board = Board::new(anna());
    board.apply_update(&update).unwrap();
    let items = board.items();
    assert_eq!(items.len(), 1, "only the readable note is shown: {items:?}");
    let note = &items[0];
    assert_eq!((note.x, note.y, note.z), (0.0, 0.0, 0.0));
    assert_eq!((note.w, note.h), (200.0, stellwand_board::MAX_COORD));
    assert_eq!(note.color, "yellow");
    assert_eq!(note.text, "");
    assert_eq!(note.tags, vec!["a".to_string()]);
    assert_eq!(note.parent, None);
    assert_eq!(board.title(), "");
    // Editing such a note repairs it into the documented shape.
    board
        .edit(5, |e| {
            e.set_text(note.id, "repariert")?;
            e.add_tag(note.id, "b")
        })
        .unwrap();
    let note = board.item(note.id).unwrap();
    assert_eq!(note.text, "repariert");
    assert_eq!(note.tags, vec!["a".to_string(), "b".to_string()]);
}

#[test]
fn garbage_updates_are_refused_without_changing_the_board() {
    let mut board = Board::new(anna());
    board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "bleibt")))
        .unwrap();
    for bytes in [&b""[..], &b"\xff\xff\xff\xff"[..], &b"hello world"[..]] {
        assert!(matches!(board.apply_update(bytes), Err(Error::Update(_))));
    }
    assert_eq!(board.items()[0].text, "bleibt");
}

#[test]
fn duplicating_a_frame_copies_its_contents_and_inner_connectors() {
    let mut board = Board::new(anna());
    let frame = board
        .edit(0, |e| {
            let frame = e.create(NewItem::frame(0.0, 0.0, 400.0, 400.0, "SWOT"))?;
            let a = e.create(NewItem::note(10.0, 10.0, "Stärke").in_frame(frame))?;
            let b = e.create(NewItem::note(10.0, 200.0, "Schwäche").in_frame(frame))?;
            e.create(NewItem::connector(a, b, ""))?;
            Ok(frame)
        })
        .unwrap();
    let copies = board
        .edit(1, |e| e.duplicate(&[frame], 500.0, 0.0))
        .unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(board.len(), 8);
    let copy = copies[0];
    let children: Vec<_> = board
        .items()
        .into_iter()
        .filter(|i| i.parent == Some(copy))
        .collect();
    assert_eq!(children.len(), 2);
    assert!(children.iter().all(|c| c.x == 510.0));
}

#[test]
fn z_order_changes_keep_the_relative_order_of_a_selection() {
    let mut board = Board::new(anna());
    let ids = board
        .edit(0, |e| {
            (0..4)
                .map(|i| e.create(NewItem::note(0.0, 0.0, format!("{i}"))))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    board
        .edit(1, |e| e.send_to_back(&[ids[3], ids[2]]))
        .unwrap();
    let order: Vec<String> = board.items().into_iter().map(|i| i.text).collect();
    assert_eq!(order, ["2", "3", "0", "1"]);
    board.edit(2, |e| e.bring_to_front(&[ids[0]])).unwrap();
    let order: Vec<String> = board.items().into_iter().map(|i| i.text).collect();
    assert_eq!(order, ["2", "3", "1", "0"]);
}

#[test]
fn restoring_a_revision_is_a_new_undoable_change() {
    let mut board = Board::new(anna());
    let kept = board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "Stand 1")))
        .unwrap();
    board
        .edit(0, |e| {
            e.set_title("AG Technik");
            Ok(())
        })
        .unwrap();
    let revision = board.items();
    board
        .edit(1, |e| {
            e.set_text(kept, "Stand 2")?;
            e.create(NewItem::note(300.0, 0.0, "neu"))
        })
        .unwrap();
    let summary = board.restore(2, &revision, "AG Technik").unwrap();
    assert_eq!(
        (summary.created, summary.changed, summary.deleted),
        (0, 1, 1)
    );
    assert_eq!(board.len(), 1);
    assert_eq!(board.item(kept).unwrap().text, "Stand 1");
    // The newer work is not lost: undo brings it back.
    assert!(board.undo());
    assert_eq!(board.len(), 2);
    assert_eq!(board.item(kept).unwrap().text, "Stand 2");
}

#[test]
fn full_json_round_trips_every_field() {
    let mut board = Board::new(anna());
    board
        .edit(1_700_000_000_000, |e| {
            e.set_title("Workshop <Hemmnisse> & \"Lösungen\"");
            let frame = e.create(NewItem::frame(0.0, 0.0, 500.0, 500.0, "Hemmnisse"))?;
            let a = e.create(
                NewItem::note(10.0, 10.0, "a | b * c # d")
                    .in_frame(frame)
                    .with_tags(["x"]),
            )?;
            let b = e.create(NewItem::new(ItemKind::Label, 600.0, 0.0, "Überschrift"))?;
            e.create(NewItem::connector(a, b, "→"))?;
            Ok(())
        })
        .unwrap();
    let json = BoardJson::of(&board).to_string_pretty();
    let parsed = BoardJson::parse(&json).unwrap();
    let mut copy = Board::new(ben());
    parsed.write_into(&mut copy, 5).unwrap();
    let mut expected = board.items();
    let mut actual = copy.items();
    for item in expected.iter_mut().chain(actual.iter_mut()) {
        item.updated = 0;
    }
    assert_eq!(actual, expected);
    assert_eq!(copy.title(), board.title());
    assert!(
        BoardJson::parse("{\"format\":\"other\",\"version\":1,\"title\":\"\",\"items\":[]}")
            .is_err()
    );
    assert!(BoardJson::parse(
        "{\"format\":\"stellwand-board\",\"version\":99,\"title\":\"\",\"items\":[]}"
    )
    .is_err());
    assert!(BoardJson::parse("nicht json").is_err());
}

#[test]
fn imported_lines_become_notes_below_existing_work_inside_a_new_frame() {
    let mut board = Board::new(anna());
    board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "schon da")))
        .unwrap();
    let ids = board
        .edit(1, |e| {
            e.import_lines("Erste Idee\n\n  Zweite Idee \r\nDritte\n", Some("Import"))
        })
        .unwrap();
    assert_eq!(ids.len(), 3);
    let notes: Vec<_> = ids.iter().map(|id| board.item(*id).unwrap()).collect();
    assert_eq!(notes[1].text, "Zweite Idee");
    let frame = notes[0].parent.expect("notes are inside the new frame");
    assert_eq!(board.item(frame).unwrap().text, "Import");
    assert!(notes.iter().all(|n| n.y > 150.0 && n.parent == Some(frame)));
}

#[test]
fn loading_skips_undecodable_updates_and_reports_them() {
    let mut board = Board::new(anna());
    board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "eins")))
        .unwrap();
    board
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "zwei")))
        .unwrap();
    let mut log = board.take_updates();
    log.insert(1, b"kaputt".to_vec());
    let (loaded, issues) = Board::load(ben(), log.iter().map(Vec::as_slice));
    assert_eq!(loaded.len(), 2);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].0, 1);
    assert!(
        loaded.take_updates().is_empty(),
        "loaded state is not handed out again"
    );
}

#[test]
fn updates_that_arrive_before_their_predecessors_are_kept_and_handed_on() {
    let mut source = Board::new(anna());
    let id = source
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "eins")))
        .unwrap();
    let first = source.take_updates();
    source.edit(1, |e| e.set_text(id, "eins, zwei")).unwrap();
    let second = source.take_updates();
    let mut late = Board::new(ben());
    late.apply_update(&second[0]).unwrap();
    assert!(late.item(id).is_none(), "waits for its predecessor");
    // The waiting update is handed on (to the store), not dropped.
    let handed_on = late.take_updates();
    assert_eq!(handed_on, second);
    late.apply_update(&first[0]).unwrap();
    assert_eq!(late.item(id).unwrap().text, "eins, zwei");
    // A board rebuilt from what was handed on, in that order, is complete.
    let mut log = handed_on;
    log.extend(late.take_updates());
    let (rebuilt, issues) = Board::load(ben(), log.iter().map(Vec::as_slice));
    assert!(issues.is_empty());
    assert_eq!(rebuilt.item(id).unwrap().text, "eins, zwei");
}

#[test]
fn concurrent_tags_merge_like_a_set() {
    let mut a = Board::with_client_id(anna(), 11);
    let mut b = Board::with_client_id(ben(), 12);
    let id = a
        .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "n")))
        .unwrap();
    sync(&mut a, &mut b);
    a.edit(1, |e| e.add_tag(id, "Technik")).unwrap();
    b.edit(1, |e| {
        e.add_tag(id, "Recht")?;
        e.add_tag(id, "Technik")
    })
    .unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.item(id).unwrap().tags, ["Recht", "Technik"]);
    b.edit(2, |e| e.remove_tag(id, "Technik")).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.item(id).unwrap().tags, ["Recht"]);
    assert_eq!(b.item(id).unwrap().tags, ["Recht"]);
}

#[test]
fn changes_report_what_local_and_remote_edits_touched() {
    let mut a = Board::with_client_id(anna(), 21);
    let mut b = Board::with_client_id(ben(), 22);
    let (one, two) = a
        .edit(0, |e| {
            let one = e.create(NewItem::note(0.0, 0.0, "eins"))?;
            let two = e.create(NewItem::note(0.0, 0.0, "zwei"))?;
            e.set_title("Titel");
            Ok((one, two))
        })
        .unwrap();
    let changes = a.take_changes();
    assert_eq!(changes.items.len(), 2);
    assert_eq!(changes.title.as_deref(), Some("Titel"));
    assert!(a.take_changes().is_empty());
    sync(&mut a, &mut b);
    assert_eq!(b.take_changes().items.len(), 2);
    // A text edit deep inside one note reports only that note.
    b.edit(1, |e| e.edit_text(one, 4, 0, "!")).unwrap();
    let changes = b.take_changes();
    assert_eq!(
        changes.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [one]
    );
    assert_eq!(changes.items[0].text, "eins!");
    sync(&mut a, &mut b);
    let remote = a.take_changes();
    assert_eq!(remote.items.len(), 1);
    assert_eq!(remote.items[0].text, "eins!");
    a.edit(2, |e| e.delete(&[two])).unwrap();
    let changes = a.take_changes();
    assert_eq!(changes.removed, [two]);
    assert!(changes.items.is_empty());
    // Undo brings it back as a change.
    a.undo();
    assert_eq!(a.take_changes().items.len(), 1);
    // A loaded board starts with no pending changes.
    let (loaded, _) = Board::load(ben(), [a.encode_state().as_slice()]);
    assert!(loaded.take_changes().is_empty());
}
