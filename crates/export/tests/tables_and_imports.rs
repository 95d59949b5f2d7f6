//! CSV export read back by a CSV parser; CSV and text imports, and imports
//! that refuse files which are not what they claim.

mod support;

use stellwand_board::{Board, ItemKind};
use stellwand_export::import::{
    csv_columns, parse_canvas, parse_csv, parse_text, Column, CsvImport,
};
use stellwand_export::{csv, Error, CSV_HEADER};
use support::*;

#[test]
fn csv_has_a_bom_semicolons_and_one_row_per_note() {
    let sample = sample_board();
    let mut board = export_board(&sample.board);
    board.votes.insert(sample.notes[0], 2);
    let bytes = csv(&board).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    assert!(text.contains("\r\n"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers, CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(&rows[0][1], "Ziele");
    assert_eq!(&rows[0][2], format!("A1 {UMLAUTS}"));
    assert_eq!(&rows[0][3], "orange");
    assert_eq!(&rows[0][4], "Verwaltung, wichtig");
    assert_eq!(&rows[0][5], "Anna Müller");
    assert_eq!(&rows[0][6], "2");
    assert_eq!(&rows[0][7], "2026-11-27 16:00");
    assert_eq!(&rows[5][2], format!("C1 {MARKUP}"));
    assert_eq!(&rows[6][1], "Weitere Notizen");
    assert!(rows.iter().any(|r| r[2] == format!("B2 {RTL}")));
}

#[test]
fn csv_of_long_and_multiline_notes_reads_back_unchanged() {
    let mut board = Board::new(author("A"));
    let long = "x".repeat(5000);
    let multi = "Zeile 1\nZeile 2; mit \"Anführung\"";
    board
        .edit(NOW, |e| {
            e.create(stellwand_board::NewItem::note(0.0, 0.0, long.clone()))?;
            e.create(stellwand_board::NewItem::note(0.0, 300.0, multi))
        })
        .expect("notes");
    let bytes = csv(&export_board(&board)).expect("csv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[2].to_owned())
        .collect();
    assert_eq!(texts, [long, multi.to_owned()]);
}

#[test]
fn cells_that_start_like_a_formula_are_shown_as_text_and_import_back_unchanged() {
    let texts = [
        "=HYPERLINK(\"http://example.invalid\";\"klick\")",
        "- Punkt auf der Liste",
        "+49 30 1234",
        "@Anna bitte prüfen",
        "\tEingerückt",
        "ganz normal = gut",
        "'schon mit Apostroph",
    ];
    let mut board = Board::new(author("A"));
    board
        .edit(NOW, |e| {
            for (i, text) in texts.iter().enumerate() {
                e.create(stellwand_board::NewItem::note(i as f64 * 300.0, 0.0, *text))?;
            }
            Ok(())
        })
        .expect("notes");
    let bytes = csv(&export_board(&board)).expect("csv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[2].to_owned())
        .collect();
    assert_eq!(cells.len(), texts.len());
    for (cell, text) in cells.iter().zip(texts) {
        let dangerous = text.starts_with(['=', '+', '-', '@', '\t']);
        if dangerous {
            assert_eq!(cell, &format!("'{text}"), "neutralised");
        } else {
            assert_eq!(cell, text, "left alone");
        }
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t']), "{cell:?}");
    }
    let plan = parse_csv(&bytes, &CsvImport::default()).expect("plan");
    let mut target = Board::new(author("Import"));
    target.edit(NOW, |e| plan.apply(e, None)).expect("import");
    let mut imported: Vec<String> = target.items().into_iter().map(|i| i.text).collect();
    let mut expected: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
    imported.sort();
    expected.sort();
    assert_eq!(imported, expected);
}

#[test]
fn exported_csv_imports_into_a_new_frame() {
    let sample = sample_board();
    let bytes = csv(&export_board(&sample.board)).expect("csv");
    let plan = parse_csv(&bytes, &CsvImport::default()).expect("plan");
    assert_eq!(plan.note_count(), 7);
    let mut target = Board::new(author("Import"));
    let summary = target
        .edit(NOW, |e| plan.apply(e, Some("Import")))
        .expect("import");
    assert_eq!(summary.notes.len(), 7);
    let items = target.items();
    let frame = items
        .iter()
        .find(|i| i.kind == ItemKind::Frame)
        .expect("frame");
    assert_eq!(frame.text, "Import");
    let a1 = items.iter().find(|i| i.text.starts_with("A1")).expect("A1");
    assert_eq!(a1.color, "orange");
    assert_eq!(a1.tags, ["Verwaltung", "wichtig"]);
    assert_eq!(a1.author, "Anna Müller");
    assert_eq!(a1.parent, Some(frame.id));
    assert!(items
        .iter()
        .filter(|i| i.kind == ItemKind::Note)
        .all(|n| frame.contains(n.center())));
}

#[test]
fn a_comma_separated_spreadsheet_with_chosen_columns_imports() {
    let file = "Nr,Idee,Farbe,Stichworte\n1,\"Bürgerportal, mobil\",grün,\"App;Web\"\n2,Öffnungszeiten,#ff0000,\n3,,gelb,\n";
    let options = CsvImport {
        text: Some(Column::parse("Idee")),
        tags: Some(Column::parse("4")),
        ..CsvImport::default()
    };
    let plan = parse_csv(file.as_bytes(), &options).expect("plan");
    assert_eq!(plan.note_count(), 2, "the row without text is skipped");
    let mut board = Board::new(author("A"));
    board.edit(NOW, |e| plan.apply(e, None)).expect("apply");
    let items = board.items();
    let first = items
        .iter()
        .find(|i| i.text == "Bürgerportal, mobil")
        .expect("note");
    assert_eq!(first.color, "green");
    assert_eq!(first.tags, ["App", "Web"]);
    assert!(items
        .iter()
        .any(|i| i.text == "Öffnungszeiten" && i.color == "#ff0000"));
}

#[test]
fn a_missing_column_names_the_columns_there_are() {
    let err = parse_csv(
        b"Titel;Farbe\nA;gelb\n",
        &CsvImport {
            text: Some(Column::parse("Text")),
            ..CsvImport::default()
        },
    )
    .expect_err("no such column");
    match err {
        Error::ColumnNotFound { available, .. } => assert_eq!(available, "Titel, Farbe"),
        other => panic!("{other}"),
    }
}

#[test]
fn files_that_are_not_what_they_claim_change_nothing() {
    let mut board = Board::new(author("A"));
    board
        .edit(NOW, |e| {
            e.create(stellwand_board::NewItem::note(0.0, 0.0, "schon da"))
        })
        .expect("note");
    let before = board.items();
    let png = include_bytes!("../../../assets/icons/32x32.png");
    let latin1 = b"Notiz;Farbe\nGr\xf6\xdfe;gelb\n";
    let attempts: Vec<(&str, stellwand_export::Result<stellwand_export::import::ImportPlan>)> = vec![
        ("png as csv", parse_csv(png, &CsvImport::default())),
        ("latin-1 csv", parse_csv(latin1, &CsvImport::default())),
        ("header only", parse_csv(b"text;color\n", &CsvImport::default())),
        ("png as canvas", parse_canvas(png)),
        ("csv as canvas", parse_canvas(b"text;color\nA;gelb\n")),
        ("json but not a canvas", parse_canvas(br#"{"title": "x"}"#)),
        ("edge to nowhere", parse_canvas(br#"{"nodes":[{"id":"a","type":"text","text":"A","x":0,"y":0,"width":10,"height":10}],"edges":[{"id":"e","fromNode":"a","toNode":"b"}]}"#)),
        ("duplicate ids", parse_canvas(br#"{"nodes":[{"id":"a","type":"text","text":"A","x":0,"y":0,"width":10,"height":10},{"id":"a","type":"text","text":"B","x":0,"y":0,"width":10,"height":10}]}"#)),
        ("missing width", parse_canvas(br#"{"nodes":[{"id":"a","type":"text","text":"A","x":0,"y":0,"height":10}]}"#)),
        ("png as text", parse_text(png)),
    ];
    for (what, result) in attempts {
        match result {
            Err(Error::InvalidImport { reason, .. } | Error::NotText { reason, .. }) => {
                assert!(!reason.is_empty(), "{what}")
            }
            Err(Error::NoNoteText { .. }) => assert_eq!(what, "header only"),
            Err(other) => panic!("{what}: unexpected error {other}"),
            Ok(_) => panic!("{what} was accepted"),
        }
    }
    assert_eq!(board.items(), before);
    let latin1 = parse_csv(latin1, &CsvImport::default()).expect_err("latin-1");
    assert!(matches!(latin1, Error::NotText { .. }), "{latin1}");
    assert!(latin1.to_string().contains("UTF-8"), "{latin1}");
    for binary in [parse_csv(png, &CsvImport::default()), parse_text(png)] {
        assert!(matches!(binary, Err(Error::NotText { .. })));
    }
    assert!(matches!(csv_columns(png), Err(Error::NotText { .. })));
    assert!(matches!(csv_columns(b""), Err(Error::NoNoteText { .. })));
}

#[test]
fn csv_columns_show_the_header_and_the_columns_found_by_name() {
    let file = "\u{feff}Nr;Idee;Farbe;Stichworte;Von\n1;Bürgerportal 👍🏽;grün;App;Anna\n";
    let columns = csv_columns(file.as_bytes()).expect("columns");
    assert!(columns.header);
    assert_eq!(columns.first, ["Nr", "Idee", "Farbe", "Stichworte", "Von"]);
    assert_eq!(columns.example[1], "Bürgerportal 👍🏽");
    assert_eq!(columns.count, 5);
    // No column is called "text": the first one is, as parse_csv does.
    assert_eq!(columns.text, 0);
    assert_eq!(
        (columns.color, columns.tags, columns.author),
        (Some(2), Some(3), Some(4))
    );
    let exported = csv(&export_board(&sample_board().board)).expect("csv");
    let columns = csv_columns(&exported).expect("columns");
    assert_eq!(columns.first, CSV_HEADER);
    assert_eq!((columns.text, columns.color), (2, Some(3)));
    // Data in the first row: no header, the first column.
    let columns = csv_columns(b"1;2,5;3\n4;5;6\n").expect("columns");
    assert!(!columns.header);
    assert_eq!((columns.text, columns.color), (0, None));
    let single = csv_columns("Erste Idee\nZweite Idee\n".as_bytes()).expect("columns");
    assert!(!single.header, "one column of notes, no name");
}

#[test]
fn chosen_columns_without_detection_leave_the_others_unused() {
    let file = "Idee;Farbe;Autor\nA;rot;Anna\n";
    let options = CsvImport {
        text: Some(Column::Index(0)),
        no_detect: true,
        ..CsvImport::default()
    };
    let plan = parse_csv(file.as_bytes(), &options).expect("plan");
    let mut board = Board::new(author("Import"));
    board.edit(NOW, |e| plan.apply(e, None)).expect("apply");
    let note = board.items().pop().expect("note");
    assert_eq!(note.text, "A");
    assert_eq!(note.color, "yellow", "the colour column was not chosen");
    assert_eq!(note.author, "Import");
    let empty = CsvImport {
        text: Some(Column::Index(1)),
        ..CsvImport::default()
    };
    let error = parse_csv(b"Idee;Leer\nA;\nB;\n", &empty).expect_err("empty column");
    assert!(matches!(error, Error::NoNoteText { .. }), "{error}");
}

#[test]
fn an_import_as_one_intent_creates_what_apply_creates_in_one_undo_step() {
    let sample = sample_board();
    let exported = stellwand_export::canvas(&export_board(&sample.board));
    let plan = parse_canvas(exported.as_bytes()).expect("plan");

    let mut applied = sample.board;
    let before = applied.items();
    let by_apply = applied
        .edit(NOW, |e| plan.apply(e, Some("Import")))
        .expect("apply");

    let mut target = sample_board().board;
    let existing = target.items();
    let (intent, summary) = plan.intent(&existing, Some("Import"));
    let created = target.apply_intent(NOW, intent).expect("intent");
    assert_eq!(
        created.len(),
        1 + 3 + 8 + 2,
        "frame, frames, notes and labels, connectors"
    );
    assert_eq!(Some(created[0]), summary.frame);
    assert_eq!(summary.frames.len(), by_apply.frames.len());
    assert_eq!(summary.notes.len(), by_apply.notes.len());
    assert_eq!(summary.connectors.len(), by_apply.connectors.len());

    // The same places, sizes, texts and frames as apply gives.
    let shape = |board: &Board| {
        let items = board.items();
        let title = |id: Option<stellwand_board::ItemId>| {
            id.and_then(|id| items.iter().find(|i| i.id == id))
                .map(|i| i.text.clone())
        };
        let mut shapes: Vec<String> = items
            .iter()
            .filter(|i| i.kind != ItemKind::Connector)
            .map(|i| {
                format!(
                    "{:?} {} {} {} {} {:?} {:?} {}",
                    i.kind,
                    i.x,
                    i.y,
                    i.w,
                    i.h,
                    i.text,
                    title(i.parent),
                    i.color
                )
            })
            .collect();
        shapes.sort();
        shapes
    };
    assert_eq!(shape(&target), shape(&applied));
    // Nothing overlaps what was there: everything new is below it.
    let bottom = existing.iter().map(|i| i.y + i.h).fold(0.0, f64::max);
    let new: Vec<_> = target
        .items()
        .into_iter()
        .filter(|i| i.kind != ItemKind::Connector && !existing.iter().any(|e| e.id == i.id))
        .collect();
    assert!(new.iter().all(|i| i.y > bottom));

    // One undo removes the whole import.
    assert!(target.undo());
    assert_eq!(target.items(), existing);
    assert_eq!(applied.items().len(), before.len() + created.len());
}

#[test]
fn plain_text_imports_one_note_per_line() {
    let plan = parse_text("\u{feff}Erste Idee\n\n  Zweite Idee 🎉\r\n".as_bytes()).expect("plan");
    let mut board = Board::new(author("A"));
    let summary = board.edit(NOW, |e| plan.apply(e, None)).expect("apply");
    assert_eq!(summary.notes.len(), 2);
    let mut texts: Vec<String> = board.items().into_iter().map(|i| i.text).collect();
    texts.sort();
    assert_eq!(texts, ["Erste Idee", "Zweite Idee 🎉"]);
}

#[test]
fn a_csv_imported_into_a_board_as_one_intent_keeps_its_authors() {
    let file = "Idee;Autor\nOnline-Termine;Anna Müller\nOhne Autor;\n";
    let plan = parse_csv(file.as_bytes(), &CsvImport::default()).expect("plan");
    let mut board = Board::new(author("Moderation"));
    let (intent, _) = plan.intent(&board.items(), Some("Import"));
    board.apply_intent(NOW, intent).expect("intent");
    let items = board.items();
    let by_text = |text: &str| {
        items
            .iter()
            .find(|i| i.text == text)
            .expect(text)
            .author
            .clone()
    };
    assert_eq!(by_text("Online-Termine"), "Anna Müller");
    assert_eq!(
        by_text("Ohne Autor"),
        "Moderation",
        "no author in the file: the importing user"
    );
}
