//! DOCX, PDF and Markdown: what was written is read back with real readers.

mod support;

use std::process::Command;

use stellwand_board::{Board, ItemId};
use stellwand_export::{
    docx, docx_collection, markdown, markdown_collection, pdf, pdf_collection, write_file,
    Collection, DocumentOptions, ExportBoard, Report, CONNECTIONS, FURTHER_NOTES,
};
use support::*;

fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{haystack}"))
}

#[test]
fn sections_follow_reading_order_and_notes_rows_then_columns() {
    let sample = sample_board();
    let report = Report::of(&export_board(&sample.board));
    let titles: Vec<&str> = report.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Ziele", "Risiken", "Nächste Schritte", FURTHER_NOTES]
    );
    let first: Vec<String> = report.sections[0]
        .notes
        .iter()
        .map(|n| n.text.chars().take(2).collect())
        .collect();
    assert_eq!(first, ["A1", "A2", "A3"]);
    assert_eq!(report.sections[2].labels, ["Bis Ende Q2"]);
    assert_eq!(report.sections[3].notes[0].text, "Lose Notiz");
    assert_eq!(report.authors, ["Anna Müller", "Bernd Öztürk"]);
    assert!(report.connections[0].sentence().ends_with("(gefährdet)"));
    assert!(report.connections[0].sentence().contains(" → B1 Sehr gut"));
}

#[test]
fn notes_with_votes_come_first_in_their_section() {
    let sample = sample_board();
    let mut board = export_board(&sample.board);
    board.votes.insert(sample.notes[2], 3); // A3
    board.votes.insert(sample.notes[1], 1); // A2
    let report = Report::of(&board);
    let order: Vec<(String, u32)> = report.sections[0]
        .notes
        .iter()
        .map(|n| (n.text.chars().take(2).collect(), n.votes))
        .collect();
    assert_eq!(
        order,
        [("A3".into(), 3), ("A2".into(), 1), ("A1".into(), 0)]
    );
    let md = markdown(&board, &DocumentOptions::default());
    assert!(md.contains("3 Stimmen"), "{md}");
}

#[test]
fn docx_has_heading_styles_list_items_and_reading_order() {
    let sample = sample_board();
    let bytes = docx(&export_board(&sample.board), &DocumentOptions::default()).expect("docx");
    let xml = zip_entry(&bytes, "word/document.xml");
    let paragraphs = docx_paragraphs(&xml);
    let headings: Vec<(&str, &str)> = paragraphs
        .iter()
        .filter_map(|p| {
            p.style
                .as_deref()
                .filter(|s| s.starts_with("Heading"))
                .map(|s| (s, p.text.as_str()))
        })
        .collect();
    assert_eq!(
        headings,
        [
            ("Heading1", "Workshop Digitalisierung & Bürgerservice"),
            ("Heading2", "Ziele"),
            ("Heading2", "Risiken"),
            ("Heading2", "Nächste Schritte"),
            ("Heading2", FURTHER_NOTES),
            ("Heading2", CONNECTIONS),
        ]
    );
    let items: Vec<&str> = paragraphs
        .iter()
        .filter(|p| p.list)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        items.len(),
        6 + 1 + 2,
        "six notes in frames, one loose, two connections: {items:?}"
    );
    assert!(items[0].contains(UMLAUTS), "{:?}", items[0]);
    assert!(
        items[0].contains("Tags: Verwaltung, wichtig"),
        "{:?}",
        items[0]
    );
    assert!(items[1].contains("A2") && items[2].contains("A3"));
    assert!(items[3].contains(EMOJI) && items[4].contains(RTL) && items[5].contains(MARKUP));
    assert!(paragraphs.iter().any(|p| p.text.contains("AG: AG Technik")));
    assert!(paragraphs
        .iter()
        .any(|p| p.text.contains("Beteiligte: Anna Müller, Bernd Öztürk")));
    let numbering = zip_entry(&bytes, "word/numbering.xml");
    let used = xml
        .split("<w:numId w:val=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("list items have a numbering");
    let abstract_id = numbering
        .split(&format!("<w:num w:numId=\"{used}\">"))
        .nth(1)
        .and_then(|s| s.split("<w:abstractNumId w:val=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .expect("numbering instance");
    let level = numbering
        .split(&format!("<w:abstractNum w:abstractNumId=\"{abstract_id}\""))
        .nth(1)
        .expect("abstract numbering");
    assert!(
        level
            .split("</w:lvl>")
            .next()
            .is_some_and(|l| l.contains("<w:numFmt w:val=\"bullet\"")),
        "a bulleted list"
    );
    let styles = zip_entry(&bytes, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Heading1\"") && styles.contains("w:val=\"heading 1\""));
    assert!(
        styles.contains("<w:outlineLvl w:val=\"0\" />")
            || styles.contains("<w:outlineLvl w:val=\"0\"/>")
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("zip");
    assert!(
        (0..archive.len()).any(|i| archive
            .by_index(i)
            .is_ok_and(|f| f.name().starts_with("word/media/"))),
        "the board image is embedded"
    );
}

#[test]
fn a_folder_becomes_one_docx_with_a_table_of_contents() {
    let sample = sample_board();
    let collection = Collection {
        title: "AG Technik".into(),
        date: "27.11.2026".into(),
        boards: vec![
            export_board(&sample.board),
            export_board(&big_board(30, "Zweite Sitzung")),
        ],
    };
    let bytes = docx_collection(&collection, &DocumentOptions::default()).expect("docx");
    let xml = zip_entry(&bytes, "word/document.xml");
    assert!(
        xml.contains("PAGEREF _Toc1") && xml.contains("w:name=\"_Toc1\""),
        "contents entries refer to bookmarked headings"
    );
    let paragraphs = docx_paragraphs(&xml);
    let toc_entries: Vec<&str> = paragraphs
        .iter()
        .filter(|p| p.style.as_deref() == Some("ToC1"))
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        toc_entries,
        ["Workshop Digitalisierung & Bürgerservice", "Zweite Sitzung"]
    );
    let h1 = xml.rfind("Zweite Sitzung</w:t>").expect("heading");
    assert!(
        h1 > position(&xml, "Lose Notiz"),
        "boards in the given order"
    );
}

#[test]
fn libreoffice_converts_the_docx_to_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = sample_board();
    let path = dir.path().join("ergebnis.docx");
    write_file(
        &path,
        &docx(&export_board(&sample.board), &DocumentOptions::default()).expect("docx"),
    )
    .expect("write");
    let collection = Collection {
        title: "AG Technik".into(),
        date: "27.11.2026".into(),
        boards: vec![
            export_board(&sample.board),
            export_board(&big_board(80, "Zweite Sitzung")),
        ],
    };
    let folder = dir.path().join("ag.docx");
    write_file(
        &folder,
        &docx_collection(&collection, &DocumentOptions::default()).expect("docx"),
    )
    .expect("write");
    let profile = dir.path().join("lo-profile");
    let out = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .arg(&folder)
        .output()
        .expect("libreoffice (libreoffice-writer-nogui) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let converted = dir.path().join("ergebnis.pdf");
    assert!(
        converted.exists(),
        "LibreOffice wrote no PDF: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = pdf_text(&converted);
    assert!(
        text.contains("Nächste Schritte") && text.contains("Straße"),
        "{text}"
    );
    assert!(text.contains("Seite 1 von"), "{text}");
    // The contents of the folder document get their page numbers from LibreOffice.
    let text = pdf_text(&dir.path().join("ag.pdf"));
    let contents = &text[..position(&text, "Seite 1 von")];
    let entry = contents
        .lines()
        .find(|l| l.starts_with("Zweite Sitzung"))
        .unwrap_or_else(|| panic!("no contents entry in:\n{contents}"));
    let page: usize = entry
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .rsplit('.')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(page >= 3, "page number of the second board: {entry:?}");
}

#[test]
fn pdf_text_is_selectable_and_in_reading_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = sample_board();
    let path = dir.path().join("ergebnis.pdf");
    write_file(
        &path,
        &pdf(&export_board(&sample.board), &DocumentOptions::default()).expect("pdf"),
    )
    .expect("write");
    let text = pdf_text(&path);
    let order = [
        "Workshop Digitalisierung",
        "Ziele",
        "A1 Größere Übersicht",
        "A2 rechts",
        "A3 unten",
        "Risiken",
        "B1 Sehr gut",
        "Nächste Schritte",
        "C1 <b>fett</b> & *stern* # raute | pipe",
        FURTHER_NOTES,
        "Lose Notiz",
        CONNECTIONS,
    ];
    let mut last = 0;
    for needle in order {
        let at = position(&text, needle);
        assert!(at >= last, "{needle:?} out of order in:\n{text}");
        last = at;
    }
    assert!(
        text.contains("„Anführungszeichen“") && text.contains("Straße, Maß"),
        "{text}"
    );
    assert!(text.contains("👍"), "emoji keep their text: {text}");
    assert!(
        text.contains("Seite 1 von 1") || text.contains("Seite 1 von 2"),
        "{text}"
    );
    let pdf = std::fs::read(&path).expect("read");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("pdfaid:part") || raw.contains("pdfaid"),
        "PDF/A identification in the XMP metadata"
    );
    assert!(
        raw.contains("/FontFile2") || raw.contains("/FontFile3"),
        "fonts are embedded"
    );
}

#[test]
fn right_to_left_text_reaches_the_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = sample_board();
    let path = dir.path().join("rtl.pdf");
    write_file(
        &path,
        &pdf(&export_board(&sample.board), &DocumentOptions::default()).expect("pdf"),
    )
    .expect("write");
    let text = pdf_text(&path);
    // Readers differ in how they order right-to-left words; the letters must be there.
    for word in ["שלום", "עולם"] {
        let reversed: String = word.chars().rev().collect();
        assert!(
            text.contains(word) || text.contains(&reversed),
            "{word} in:\n{text}"
        );
    }
}

#[test]
fn a_folder_pdf_lists_boards_with_page_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let collection = Collection {
        title: "AG Technik".into(),
        date: "27.11.2026".into(),
        boards: vec![
            export_board(&big_board(60, "Erste Sitzung")),
            export_board(&big_board(10, "Zweite Sitzung")),
        ],
    };
    let path = dir.path().join("ag.pdf");
    write_file(
        &path,
        &pdf_collection(&collection, &DocumentOptions::default()).expect("pdf"),
    )
    .expect("write");
    let pages = pdf_pages(&path);
    assert!(pages >= 4, "{pages} pages");
    let text = pdf_text(&path);
    assert!(text.contains("Inhaltsverzeichnis"));
    assert!(
        text.contains(&format!("Seite {pages} von {pages}")),
        "{text}"
    );
    let contents = &text[..position(&text, "Seite 1 von")];
    assert!(contents.contains("Erste Sitzung") && contents.contains("Zweite Sitzung"));
    assert!(contents.contains("Thema 3"), "sections are listed too");
}

#[test]
fn markdown_keeps_structure_and_escapes_markup() {
    let sample = sample_board();
    let md = markdown(&export_board(&sample.board), &DocumentOptions::default());
    assert!(
        md.starts_with("# Workshop Digitalisierung \\& Bürgerservice\n"),
        "{md}"
    );
    let order = [
        "## Ziele",
        "- A1 Größere",
        "- A2 rechts",
        "- A3 unten",
        "## Risiken",
        "## Nächste Schritte",
        "## Weitere Notizen",
        "## Verbindungen",
    ];
    let mut last = 0;
    for needle in order {
        let at = position(&md, needle);
        assert!(at >= last, "{needle:?} out of order");
        last = at;
    }
    assert!(
        md.contains(r"C1 \<b\>fett\</b\> \& \*stern\* \# raute \| pipe"),
        "{md}"
    );
    assert!(md.contains(EMOJI) && md.contains(RTL));
    let collection = Collection {
        title: "AG Technik".into(),
        date: String::new(),
        boards: vec![export_board(&sample.board)],
    };
    let md = markdown_collection(&collection, &DocumentOptions::default());
    assert!(md.contains("## Inhaltsverzeichnis") && md.contains("- [Workshop Digitalisierung \\& Bürgerservice](#workshop-digitalisierung--bürgerservice)"), "{md}");
}

#[test]
fn an_empty_board_gives_short_valid_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let board = ExportBoard::from_board(&Board::new(author("A")));
    let md = markdown(&board, &DocumentOptions::default());
    assert!(
        md.contains("# Ohne Titel") && md.contains("Diese Tafel ist leer."),
        "{md}"
    );
    let xml = zip_entry(
        &docx(&board, &DocumentOptions::default()).expect("docx"),
        "word/document.xml",
    );
    assert!(xml.contains("Diese Tafel ist leer."));
    let path = dir.path().join("leer.pdf");
    write_file(
        &path,
        &pdf(&board, &DocumentOptions::default()).expect("pdf"),
    )
    .expect("write");
    assert_eq!(pdf_pages(&path), 1);
    assert!(pdf_text(&path).contains("Diese Tafel ist leer."));
}

#[test]
fn a_thousand_notes_and_a_long_note_fit_in_every_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let board = export_board(&big_board(1000, "Große Tafel"));
    let path = dir.path().join("gross.pdf");
    write_file(
        &path,
        &pdf(&board, &DocumentOptions::default()).expect("pdf"),
    )
    .expect("write");
    let text = pdf_text(&path);
    assert!(text.contains("Notiz 1000 zu Thema 40"));
    assert!(
        text.contains("Ende"),
        "the end of the 5,000-character note is printed"
    );
    let xml = zip_entry(
        &docx(&board, &DocumentOptions::default()).expect("docx"),
        "word/document.xml",
    );
    let items = docx_paragraphs(&xml).into_iter().filter(|p| p.list).count();
    assert_eq!(items, 1000);
    let md = markdown(&board, &DocumentOptions::default());
    assert_eq!(md.lines().filter(|l| l.starts_with("- ")).count(), 1000);
    let ids: Vec<ItemId> = board.items.iter().map(|i| i.id).collect();
    assert_eq!(ids.len(), 1000 + 40);
}

#[test]
fn comments_reactions_and_coauthors_appear_under_their_note() {
    use stellwand_board::{Intent, NewItem};
    let mut board = Board::new(author("Anna"));
    let target = board
        .edit(1, |e| {
            e.create(NewItem::note(0.0, 0.0, "Schnittstellen fehlen"))
        })
        .expect("note");
    let mut ben = Board::new(author("Ben"));
    ben.apply_update(&board.encode_state()).expect("sync");
    let other = ben
        .edit(2, |e| {
            e.create(NewItem::note(300.0, 0.0, "Fehlende Schnittstelle"))
        })
        .expect("note");
    ben.apply_intent(
        3,
        Intent::AddComment {
            id: target,
            text: "Auch <b>Meldewesen</b>".into(),
        },
    )
    .expect("comment");
    ben.apply_intent(
        4,
        Intent::ToggleReaction {
            id: target,
            emoji: "💡".into(),
        },
    )
    .expect("reaction");
    board.apply_update(&ben.encode_state()).expect("sync");
    board
        .apply_intent(
            5,
            Intent::Merge {
                target,
                ids: vec![other],
            },
        )
        .expect("merge");
    let export = export_board(&board);

    let md = markdown(&export, &DocumentOptions::default());
    let note = position(&md, "- Schnittstellen fehlen");
    assert!(
        position(&md, "von Anna, Ben · Reaktionen: Idee 1") > note,
        "{md}"
    );
    assert!(
        md.contains(r"Kommentar von Ben: Auch \<b\>Meldewesen\</b\>"),
        "{md}"
    );

    let bytes = docx(&export, &DocumentOptions::default()).expect("docx");
    let xml = zip_entry(&bytes, "word/document.xml");
    assert!(
        xml.contains("Kommentar von Ben: Auch &lt;b&gt;Meldewesen&lt;/b&gt;"),
        "{xml}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kommentare.pdf");
    let options = DocumentOptions {
        authors: false,
        ..DocumentOptions::default()
    };
    write_file(&path, &pdf(&export, &options).expect("pdf")).expect("write");
    let text = pdf_text(&path);
    assert!(text.contains("Kommentar: Auch <b>Meldewesen</b>"), "{text}");
    assert!(
        text.contains("Reaktionen: Idee 1") && !text.contains("Anna, Ben"),
        "{text}"
    );
}
