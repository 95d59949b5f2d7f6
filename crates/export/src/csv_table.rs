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

/// The notes of a board as CSV: UTF-8 with a byte order mark (so that Excel
/// reads umlauts correctly), `;`-separated, CRLF line ends, fields quoted where
/// needed. Notes are in reading order; times are UTC, `YYYY-MM-DD HH:MM`.
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
                        section.title.clone(),
                        note.text.clone(),
                        note.color.clone(),
                        note.tags.join(", "),
                        note.author.clone(),
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
