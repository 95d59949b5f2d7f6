//! Prints how long exports take (not a test): a 1,000-note board to DOCX, PDF,
//! PNG and XLSX, and 42 boards with 1,000 notes in all into one DOCX and one PDF.
//!
//! Run: `cargo bench -p stellwand-export --bench export`.

use std::time::{Duration, Instant};

use stellwand_board::{Author, Board, NewItem};
use stellwand_export::{
    docx, docx_collection, pdf, pdf_collection, png, xlsx, Collection, DocumentOptions,
    ExportBoard, ImageOptions,
};

const NOW: i64 = 1_795_795_200_000;

/// A board of `notes` notes in frames of up to 25, like a workshop board.
fn board(title: &str, notes: usize) -> ExportBoard {
    let mut board = Board::new(Author {
        id: "bench".into(),
        name: "Moderation".into(),
    });
    let result = board.edit(NOW, |e| {
        e.set_title(title);
        let frames = notes.div_ceil(25).max(1);
        for f in 0..frames {
            let (fx, fy) = ((f % 4) as f64 * 1300.0, (f / 4) as f64 * 1000.0);
            let frame = e.create(NewItem::frame(fx, fy, 1200.0, 950.0, format!("Thema {}", f + 1)))?;
            for n in 0..25.min(notes - f * 25) {
                let (x, y) = (fx + 20.0 + (n % 5) as f64 * 230.0, fy + 70.0 + (n / 5) as f64 * 170.0);
                let text = format!(
                    "Notiz {}: Bürgerbüro öffnet samstags, Termine online buchbar, Rückmeldung an die AG",
                    f * 25 + n + 1
                );
                e.create(NewItem::note(x, y, text).in_frame(frame))?;
            }
        }
        Ok(())
    });
    if let Err(err) = result {
        eprintln!("cannot build the benchmark board: {err}");
        std::process::exit(1);
    }
    ExportBoard::from_board(&board)
        .with_folder("AG Technik")
        .with_date("27.11.2026")
}

fn time<T, E: std::fmt::Display>(
    label: &str,
    target: Duration,
    f: impl Fn() -> Result<T, E>,
    size: impl Fn(&T) -> usize,
) {
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..3 {
        let start = Instant::now();
        match f() {
            Ok(out) => bytes = size(&out),
            Err(err) => {
                eprintln!("{label}: failed: {err}");
                return;
            }
        }
        best = best.min(start.elapsed());
    }
    let verdict = if best <= target { "ok" } else { "OVER TARGET" };
    println!(
        "{label:<44} {:>8.1} ms  {:>9} bytes  (target {} s: {verdict})",
        best.as_secs_f64() * 1000.0,
        bytes,
        target.as_secs()
    );
}

fn main() {
    let options = DocumentOptions::default();
    let single = board("Große Tafel", 1000);
    let two = Duration::from_secs(2);
    time(
        "1,000 notes -> DOCX",
        two,
        || docx(&single, &options),
        Vec::len,
    );
    time(
        "1,000 notes -> PDF",
        two,
        || pdf(&single, &options),
        Vec::len,
    );
    time(
        "1,000 notes -> PNG (100 %, capped at 40 Mpx)",
        two,
        || png(&single, &ImageOptions::default()),
        |i| i.bytes.len(),
    );
    time(
        "1,000 notes -> XLSX",
        two,
        || xlsx(&single, &options),
        Vec::len,
    );

    // 42 boards, 1,000 notes in all (24 or 23 each).
    let boards: Vec<ExportBoard> = (0..42)
        .map(|i| {
            board(
                &format!("Thema {}", i + 1),
                1000 / 42 + usize::from(i < 1000 % 42),
            )
        })
        .collect();
    let total: usize = boards
        .iter()
        .map(|b| {
            b.items
                .iter()
                .filter(|i| i.kind == stellwand_board::ItemKind::Note)
                .count()
        })
        .sum();
    assert_eq!(total, 1000);
    let collection = Collection {
        title: "AG Technik".into(),
        date: "27.11.2026".into(),
        boards,
    };
    let five = Duration::from_secs(5);
    time(
        "42 boards, 1,000 notes -> one DOCX",
        five,
        || docx_collection(&collection, &options),
        Vec::len,
    );
    time(
        "42 boards, 1,000 notes -> one PDF",
        five,
        || pdf_collection(&collection, &options),
        Vec::len,
    );
}
