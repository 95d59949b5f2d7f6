//! CSV export: one row per note, for spreadsheets.

use crate::model::{iso_time, ExportBoard, Report};
use crate::{Error, Result};

/// The delimiter: German spreadsheet programs (Excel with a German locale,
/// LibreOffice Calc) expect `;` because `,` is the decimal separator there;
/// with `;` a double click on the file opens it in columns.
pub const CSV_DELIMITER: u8 = b';';

/// The header row.
pub const CSV_HEADER: [&str; 9] = [
    "id", "section", "text", "color", "tags", "author", "votes", "created", "updated",
];

/// Characters that make a spreadsheet read a cell as a formula when they
/// come first (`=SUMME(...)`, `+49 …`, `-Punkt`, `@Anna`), plus tab and
/// carriage return, which some programs strip before looking.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a spreadsheet must show it: text starting like a formula gets
/// a leading apostrophe, so `=HYPERLINK(...)` in a note is shown as text and
/// never evaluated, and `- Punkt` does not become `#NAME?`. The CSV import
/// removes the apostrophe again.
#[must_use]
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Undoes [`spreadsheet_safe`] for a cell read back.
#[must_use]
pub fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// The notes of a board as CSV: UTF-8 with a byte order mark (so that Excel
/// reads umlauts correctly), `;`-separated, CRLF line ends, fields quoted where
/// needed. Notes are in reading order; times are UTC, `YYYY-MM-DD HH:MM`.
/// Text cells that start like a formula are neutralised, see
/// `spreadsheet_safe`.
///
/// # Errors
/// [`Error::Csv`] (only if the in-memory writer fails).
pub fn csv(board: &ExportBoard) -> Result<Vec<u8>> {
    let report = Report::of(board);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(CSV_DELIMITER)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut bytes);
        writer.write_record(CSV_HEADER).map_err(Error::Csv)?;
        for section in &report.sections {
            for note in &section.notes {
                writer
                    .write_record([
                        note.id.to_string(),
                        spreadsheet_safe(&section.title).into_owned(),
                        spreadsheet_safe(&note.text).into_owned(),
                        note.color.clone(),
                        spreadsheet_safe(&note.tags.join(", ")).into_owned(),
                        spreadsheet_safe(&note.author).into_owned(),
                        note.votes.to_string(),
                        iso_time(note.created),
                        iso_time(note.updated),
                    ])
                    .map_err(Error::Csv)?;
            }
        }
        writer.flush().map_err(|e| Error::Csv(e.into()))?;
    }
    Ok(bytes)
}
