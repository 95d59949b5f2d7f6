//! XLSX export read back from the workbook's XML (a zip of sheet1.xml and
//! sharedStrings.xml) and converted by LibreOffice Calc, against the CSV.

mod support;

use std::collections::HashMap;
use std::process::Command;

use stellwand_board::{Board, NewItem};
use stellwand_export::{
    csv, export, write_file, xlsx, DocumentOptions, Format, ImageOptions, CSV_HEADER,
};
use support::*;

/// A cell as the sheet stores it.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> &str {
        match self {
            Cell::Text(text) => text,
            Cell::Number(_) => panic!("{self:?} is a number, not text"),
        }
    }

    fn number(&self) -> f64 {
        match self {
            Cell::Number(n) => *n,
            Cell::Text(_) => panic!("{self:?} is text, not a number"),
        }
    }
}

/// The sheet as rows of cells by column letter, plus the raw XML.
struct Sheet {
    xml: String,
    rows: Vec<HashMap<String, Cell>>,
}

impl Sheet {
    fn read(bytes: &[u8]) -> Sheet {
        let strings = shared_strings(&zip_entry(bytes, "xl/sharedStrings.xml"));
        let xml = zip_entry(bytes, "xl/worksheets/sheet1.xml");
        let mut rows = Vec::new();
        for row in xml.split("<row ").skip(1) {
            let row = row.split("</row>").next().unwrap_or("");
            let mut cells = HashMap::new();
            for cell in row.split("<c ").skip(1) {
                let attributes = format!(" {}", cell.split('>').next().unwrap_or(""));
                let reference = attribute(&attributes, "r").expect("cell reference");
                let column: String = reference
                    .chars()
                    .take_while(char::is_ascii_uppercase)
                    .collect();
                let value = between(cell, "<v>", "</v>");
                let value = match (attribute(&attributes, "t").as_deref(), value) {
                    (Some("s"), Some(index)) => {
                        Cell::Text(strings[index.parse::<usize>().expect("index")].clone())
                    }
                    (None, Some(number)) => Cell::Number(number.parse().expect("number")),
                    // An empty text: a formatted cell without a value.
                    (None, None) => Cell::Text(String::new()),
                    (kind, value) => panic!("unexpected cell {kind:?} {value:?} in {cell}"),
                };
                cells.insert(column, value);
            }
            rows.push(cells);
        }
        Sheet { xml, rows }
    }

    fn cell(&self, row: usize, column: &str) -> &Cell {
        self.rows[row]
            .get(column)
            .unwrap_or_else(|| panic!("no cell {column}{}", row + 1))
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..].split('"').next()?.to_owned())
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    Some(&text[start..start + text[start..].find(close)?])
}

/// The texts of sharedStrings.xml, unescaped (including Excel's `_xHHHH_`).
fn shared_strings(xml: &str) -> Vec<String> {
    xml.split("<si>")
        .skip(1)
        .map(|si| {
            let si = si.split("</si>").next().unwrap_or("");
            let t = si.split("<t").nth(1).expect("a <t> element");
            let t = &t[t.find('>').expect("end of <t>") + 1..];
            unescape(t.split("</t>").next().unwrap_or(""))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 2..at + 6);
        let decoded = code
            .filter(|_| rest.get(at + 6..at + 7) == Some("_"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[at + 7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Days since 1899-12-30, as Excel counts, for a time in ms since the epoch.
fn excel_days(ms: i64) -> f64 {
    ms as f64 / 86_400_000.0 + 25_569.0
}

fn csv_rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .records()
        .map(|r| r.expect("row"))
        .collect()
}

const COLUMNS: [&str; 9] = ["A", "B", "C", "D", "E", "F", "G", "H", "I"];

#[test]
fn xlsx_has_the_csv_columns_and_rows_with_a_bold_frozen_header() {
    let sample = sample_board();
    let mut board = export_board(&sample.board);
    board.votes.insert(sample.notes[0], 2);
    let bytes = xlsx(&board, &DocumentOptions::default()).expect("xlsx");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    let sheet = Sheet::read(&bytes);
    let header: Vec<&str> = COLUMNS.iter().map(|c| sheet.cell(0, c).text()).collect();
    assert_eq!(header, CSV_HEADER);

    let rows = csv_rows(&csv(&board).expect("csv"));
    assert_eq!(sheet.rows.len(), rows.len() + 1, "one row per note");
    for (index, row) in rows.iter().enumerate() {
        let at = index + 1;
        for (column, letter) in COLUMNS.iter().enumerate().take(6) {
            assert_eq!(sheet.cell(at, letter).text(), &row[column], "{letter}{at}");
        }
        assert_eq!(
            sheet.cell(at, "G").number(),
            row[6].parse::<f64>().expect("votes"),
            "votes are numbers"
        );
    }
    assert_eq!(sheet.cell(1, "C").text(), format!("A1 {UMLAUTS}"));
    assert_eq!(sheet.cell(1, "G").number(), 2.0);
    // Created and updated are date cells: Excel's day count, to the minute.
    let created = sheet.cell(1, "H").number();
    assert!(
        (created - excel_days(NOW)).abs() < 1e-6,
        "{created} vs {}",
        excel_days(NOW)
    );
    assert!(
        sheet.cell(7, "I").number() > created,
        "the loose note is newer"
    );

    // Frozen, bold header; widths set; text wraps; a filter on the header.
    assert!(
        sheet.xml.contains(r#"ySplit="1""#) && sheet.xml.contains(r#"state="frozen""#),
        "frozen header row"
    );
    assert!(sheet.xml.contains("<autoFilter "), "filter on the header");
    assert!(sheet.xml.contains("<cols>") && sheet.xml.contains(r#"width="60.7"#));
    let styles = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "a bold font");
    assert!(styles.contains(r#"wrapText="1""#), "wrapped text");
    assert!(styles.contains("yyyy-mm-dd hh:mm"), "a date format");
    let workbook = zip_entry(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"name="Notizen""#), "{workbook}");
}

#[test]
fn texts_stay_texts_long_special_and_formula_like_alike() {
    let long = "Lange Notiz ".repeat(417) + "Ende";
    assert!(long.chars().count() >= 5000);
    let texts = [
        format!("{UMLAUTS} {EMOJI}"),
        MARKUP.to_owned(),
        RTL.to_owned(),
        long.clone(),
        "=HYPERLINK(\"http://example.invalid\";\"klick\")".to_owned(),
        "+49 30 1234".to_owned(),
        "- Punkt".to_owned(),
        "@Anna".to_owned(),
        "Zeile 1\nZeile 2\t_x0041_ bleibt".to_owned(),
    ];
    let mut board = Board::new(author("Zoë 👩🏽‍💻"));
    board
        .edit(NOW, |e| {
            for (i, text) in texts.iter().enumerate() {
                e.create(
                    NewItem::note((i % 3) as f64 * 300.0, (i / 3) as f64 * 300.0, text.clone())
                        .with_tags(["=1+1", "Bürger"]),
                )?;
            }
            Ok(())
        })
        .expect("notes");
    let bytes = export(
        &export_board(&board),
        Format::Xlsx,
        &DocumentOptions::default(),
        &ImageOptions::default(),
    )
    .expect("xlsx");
    let sheet = Sheet::read(&bytes);
    assert!(!sheet.xml.contains("<f>"), "no formulas at all");
    let mut found: Vec<String> = (1..sheet.rows.len())
        .map(|row| sheet.cell(row, "C").text().to_owned())
        .collect();
    let mut expected = texts.to_vec();
    found.sort();
    expected.sort();
    assert_eq!(found, expected, "every text exactly as written");
    for row in 1..sheet.rows.len() {
        assert_eq!(sheet.cell(row, "E").text(), "=1+1, Bürger");
        assert_eq!(sheet.cell(row, "F").text(), "Zoë 👩🏽‍💻");
        assert_eq!(sheet.cell(row, "G").number(), 0.0);
    }
}

#[test]
fn an_empty_board_and_a_thousand_notes_give_valid_workbooks() {
    let empty = xlsx(
        &export_board(&Board::new(author("A"))),
        &DocumentOptions::default(),
    )
    .expect("empty");
    let sheet = Sheet::read(&empty);
    assert_eq!(sheet.rows.len(), 1, "the header only");
    let big = xlsx(
        &export_board(&big_board(1000, "Große Tafel")),
        &DocumentOptions::default(),
    )
    .expect("big");
    let sheet = Sheet::read(&big);
    assert_eq!(sheet.rows.len(), 1001);
}

#[test]
fn libreoffice_reads_the_workbook_as_the_csv_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = sample_board();
    let board = export_board(&sample.board);
    let path = dir.path().join("notizen.xlsx");
    write_file(
        &path,
        &xlsx(&board, &DocumentOptions::default()).expect("xlsx"),
    )
    .expect("write");
    let profile = dir.path().join("lo-profile");
    let out = match Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        // `;`-separated, `"` quotes, UTF-8 (76), as the CSV export writes.
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&path)
        .output()
    {
        Ok(out) => out,
        Err(err) => {
            println!("skipped: libreoffice is not installed ({err}); scripts/setup.sh installs it");
            return;
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let converted = dir.path().join("notizen.csv");
    assert!(
        converted.exists(),
        "LibreOffice wrote no CSV (Calc needs libreoffice-calc-nogui): {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let from_calc = csv_rows(&std::fs::read(&converted).expect("read"));
    let from_csv = csv_rows(&csv(&board).expect("csv"));
    assert_eq!(from_calc.len(), from_csv.len());
    for (calc, ours) in from_calc.iter().zip(&from_csv) {
        let calc: Vec<&str> = calc.iter().collect();
        let ours: Vec<&str> = ours.iter().collect();
        assert_eq!(calc, ours, "the same cells, dates shown as in the CSV");
    }
}
