//! XLSX export: the CSV table as an Excel workbook, for offices that file
//! results as spreadsheets and would otherwise have to import the CSV.

use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format as CellFormat, FormatAlign, Workbook, XlsxError,
};

use crate::csv_table::CSV_HEADER;
use crate::model::{DocumentOptions, ExportBoard, Report};
use crate::{Error, Result};

/// Name of the one worksheet.
pub const XLSX_SHEET: &str = "Notizen";

/// Excel's limit for the text of one cell, in UTF-16 code units.
const MAX_CELL: usize = 32_767;

/// Column widths in characters, in the order of [`CSV_HEADER`]: ids are
/// fixed-width UUIDs, the note text gets the most room and wraps.
const WIDTHS: [f64; 9] = [38.0, 24.0, 60.0, 10.0, 22.0, 20.0, 8.0, 17.0, 17.0];

/// Times as the CSV writes them (UTC), but as real date cells that sort and filter.
const TIME_FORMAT: &str = "yyyy-mm-dd hh:mm";

/// The notes of a board as an XLSX workbook: the columns and row order of
/// [`csv()`](crate::csv), one worksheet "Notizen" with a bold, frozen header
/// row and a filter on it, wrapped text, votes as numbers, created/updated as
/// date cells (UTC). Every text is written as a string cell, never as a
/// formula, so a note `=HYPERLINK(…)` stays text (no formula injection) and
/// needs no apostrophe as in the CSV. Text beyond Excel's 32,767 characters
/// per cell is cut with "…".
///
/// # Errors
/// [`Error::Xlsx`] if the workbook cannot be assembled (it is built in memory).
pub fn xlsx(board: &ExportBoard, options: &DocumentOptions) -> Result<Vec<u8>> {
    build(board, options).map_err(|e| Error::Xlsx(e.to_string()))
}

fn build(board: &ExportBoard, options: &DocumentOptions) -> Result<Vec<u8>, XlsxError> {
    let report = Report::of(board);
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new().set_title(cell_text(&report.title).as_ref());
    if let Some(created) = date_time(options.created_at) {
        properties = properties.set_creation_datetime(&created);
    }
    workbook.set_properties(&properties);

    let header = CellFormat::new()
        .set_bold()
        .set_align(FormatAlign::Top)
        .set_background_color("#E8E8E8");
    let text = CellFormat::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let plain = CellFormat::new().set_align(FormatAlign::Top);
    let time = CellFormat::new()
        .set_num_format(TIME_FORMAT)
        .set_align(FormatAlign::Top);

    let sheet = workbook.add_worksheet();
    sheet.set_name(XLSX_SHEET)?;
    for (col, (name, width)) in CSV_HEADER.iter().zip(WIDTHS).enumerate() {
        let col = col as ColNum;
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, *name, &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let mut row = 0u32;
    for section in &report.sections {
        for note in &section.notes {
            row += 1;
            sheet.write_string_with_format(row, 0, note.id.to_string(), &plain)?;
            sheet.write_string_with_format(row, 1, cell_text(&section.title), &text)?;
            sheet.write_string_with_format(row, 2, cell_text(&note.text), &text)?;
            sheet.write_string_with_format(row, 3, note.color.as_str(), &plain)?;
            sheet.write_string_with_format(row, 4, cell_text(&note.tags.join(", ")), &text)?;
            sheet.write_string_with_format(row, 5, cell_text(&note.author), &text)?;
            sheet.write_number_with_format(row, 6, note.votes, &plain)?;
            for (col, at) in [(7, note.created), (8, note.updated)] {
                if let Some(when) = date_time(at) {
                    sheet.write_datetime_with_format(row, col, &when, &time)?;
                }
            }
        }
    }
    sheet.autofilter(0, 0, row, (CSV_HEADER.len() - 1) as ColNum)?;
    workbook.save_to_buffer()
}

/// Milliseconds since the epoch as a date cell, to the minute like the CSV;
/// `None` for an unset time or one outside what Excel can show (1900–9999).
fn date_time(ms: i64) -> Option<ExcelDateTime> {
    if ms <= 0 {
        return None;
    }
    ExcelDateTime::from_timestamp(ms.div_euclid(60_000) * 60).ok()
}

/// `text` within Excel's cell limit: cut at a character boundary with "…".
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_CELL || text.encode_utf16().count() <= MAX_CELL {
        return text.into();
    }
    let mut units = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        // One unit stays free for the ellipsis.
        if units + c.len_utf16() > MAX_CELL - 1 {
            break;
        }
        units += c.len_utf16();
        end = index + c.len_utf8();
    }
    format!("{}…", &text[..end]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_keeps_short_text_and_cuts_long_text_at_excels_limit() {
        assert_eq!(cell_text("Straße 👍🏽"), "Straße 👍🏽");
        let long = "😀".repeat(20_000);
        let cut = cell_text(&long);
        assert!(cut.ends_with('…'));
        assert!(cut.encode_utf16().count() <= MAX_CELL);
        assert!(cut.encode_utf16().count() >= MAX_CELL - 2);
    }

    #[test]
    fn times_are_whole_minutes_and_unset_times_are_empty() {
        assert!(date_time(0).is_none());
        assert!(date_time(1_795_795_200_000 + 59_999).is_some());
    }
}
