//! Boards and readers shared by the export tests.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::Command;

use stellwand_board::{Author, Board, ItemId, NewItem};
use stellwand_export::ExportBoard;

pub const NOW: i64 = 1_795_795_200_000;

pub const UMLAUTS: &str = "Größere Übersicht für Bürger: Straße, Maß, „Anführungszeichen“";
pub const EMOJI: &str = "Sehr gut 👍🏽 🎉";
pub const RTL: &str = "שלום עולם مرحبا";
pub const MARKUP: &str = "<b>fett</b> & *stern* # raute | pipe";

pub fn author(name: &str) -> Author {
    Author {
        id: format!("id-{name}"),
        name: name.to_owned(),
    }
}

/// Ids of the sample board's items, by role.
pub struct Sample {
    pub board: Board,
    pub left: ItemId,
    pub right: ItemId,
    pub lower: ItemId,
    pub notes: Vec<ItemId>,
    pub loose: ItemId,
}

/// Three frames (two side by side, one below), notes in reading order
/// "A1".."A3" / "B1" / "C1", the special texts, a loose note and two connectors.
pub fn sample_board() -> Sample {
    let mut board = Board::new(author("Anna Müller"));
    let mut notes = Vec::new();
    let (left, right, lower) = board
        .edit(NOW, |e| {
            e.set_title("Workshop Digitalisierung & Bürgerservice");
            // Created out of reading order on purpose.
            let lower = e.create(NewItem::frame(
                0.0,
                900.0,
                1200.0,
                700.0,
                "Nächste Schritte",
            ))?;
            let right = e.create(NewItem::frame(900.0, 0.0, 800.0, 800.0, "Risiken"))?;
            let left = e.create(NewItem::frame(0.0, 10.0, 800.0, 800.0, "Ziele"))?;
            let a3 = e.create(NewItem::note(40.0, 330.0, "A3 unten").in_frame(left))?;
            let a2 = e.create(NewItem::note(300.0, 85.0, "A2 rechts").in_frame(left))?;
            let a1 = e.create(
                NewItem::note(40.0, 80.0, format!("A1 {UMLAUTS}"))
                    .in_frame(left)
                    .with_tags(["wichtig", "Verwaltung"])
                    .with_color("orange"),
            )?;
            let b1 = e.create(
                NewItem::note(940.0, 80.0, format!("B1 {EMOJI}"))
                    .in_frame(right)
                    .with_color("green"),
            )?;
            let b2 = e.create(
                NewItem::note(940.0, 330.0, format!("B2 {RTL}"))
                    .in_frame(right)
                    .with_color("blue"),
            )?;
            let c1 = e.create(
                NewItem::note(40.0, 980.0, format!("C1 {MARKUP}"))
                    .in_frame(lower)
                    .with_color("#123456"),
            )?;
            e.create(
                NewItem::new(
                    stellwand_board::ItemKind::Label,
                    400.0,
                    960.0,
                    "Bis Ende Q2",
                )
                .in_frame(lower),
            )?;
            notes.extend([a1, a2, a3, b1, b2, c1]);
            e.create(NewItem::connector(a1, b1, "gefährdet"))?;
            e.create(NewItem::connector(a2, c1, ""))?;
            Ok((left, right, lower))
        })
        .expect("sample board");
    board.set_author(author("Bernd Öztürk"));
    let loose = board
        .edit(NOW + 60_000, |e| {
            e.create(NewItem::note(2000.0, 50.0, "Lose Notiz").with_color("pink"))
        })
        .expect("loose note");
    Sample {
        board,
        left,
        right,
        lower,
        notes,
        loose,
    }
}

pub fn export_board(board: &Board) -> ExportBoard {
    ExportBoard::from_board(board)
        .with_folder("AG Technik")
        .with_date("27.11.2026")
}

/// `count` notes in frames of 25, one note of 5,000 characters among them.
pub fn big_board(count: usize, title: &str) -> Board {
    let mut board = Board::new(author("Clara"));
    board
        .edit(NOW, |e| {
            e.set_title(title);
            let frames = count.div_ceil(25).max(1);
            for f in 0..frames {
                let (fx, fy) = ((f % 4) as f64 * 1300.0, (f / 4) as f64 * 1000.0);
                let frame = e.create(NewItem::frame(
                    fx,
                    fy,
                    1200.0,
                    950.0,
                    format!("Thema {}", f + 1),
                ))?;
                for n in 0..25.min(count - f * 25) {
                    let text = if f == 0 && n == 0 {
                        "Lange Notiz ".repeat(416) + "Ende"
                    } else {
                        format!(
                            "Notiz {} zu Thema {}: Bürgerbüro öffnet länger, Straßenreinigung",
                            f * 25 + n + 1,
                            f + 1
                        )
                    };
                    let (x, y) = (
                        fx + 20.0 + (n % 5) as f64 * 230.0,
                        fy + 70.0 + (n / 5) as f64 * 170.0,
                    );
                    e.create(NewItem::note(x, y, text).in_frame(frame))?;
                }
            }
            Ok(())
        })
        .expect("big board");
    board
}

/// A file inside a zip archive as text.
pub fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut file = archive.by_name(name).expect("entry present");
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8 entry");
    text
}

/// The text of a PDF as poppler's pdftotext reads it.
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from pdftotext")
}

/// Number of pages, from pdfinfo.
pub fn pdf_pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

/// Paragraph texts with their style ids and whether they are list items, from document.xml.
pub struct Paragraph {
    pub style: Option<String>,
    pub list: bool,
    pub text: String,
}

pub fn docx_paragraphs(xml: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(found) = xml[at..].find("<w:p") {
        let pos = at + found;
        if matches!(xml.as_bytes().get(pos + 4), Some(b'>') | Some(b' ')) {
            starts.push(pos);
        }
        at = pos + 4;
    }
    for start in starts {
        let chunk = &xml[start..];
        let body = chunk.split("</w:p>").next().unwrap_or("");
        let style = body
            .split("<w:pStyle w:val=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_owned);
        let list = body.contains("<w:numPr>");
        let mut text = String::new();
        for piece in body.split("<w:t").skip(1) {
            if !piece.starts_with(['>', ' ']) {
                continue;
            }
            let Some(start) = piece.find('>') else {
                continue;
            };
            let piece = &piece[start + 1..];
            if let Some(end) = piece.find("</w:t>") {
                text.push_str(&unescape(&piece[..end]));
            }
        }
        out.push(Paragraph { style, list, text });
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
