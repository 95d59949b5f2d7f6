//! CSV tables as notes: the delimiter and the columns found by their names
//! (German and English), colours by name, tags and authors.

use super::*;

/// The delimiter of a CSV text: whichever of `;`, `,` and tab occurs most in
/// the first line (outside quotes); `,` when none does.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(d, _)| *d)
}

const TEXT_NAMES: &[&str] = &[
    "text",
    "inhalt",
    "notiz",
    "note",
    "content",
    "beschreibung",
    "titel",
    "title",
];
const COLOR_NAMES: &[&str] = &["color", "colour", "farbe"];
const TAG_NAMES: &[&str] = &[
    "tags",
    "tag",
    "schlagworte",
    "schlagwort",
    "stichworte",
    "stichwort",
    "labels",
];
const AUTHOR_NAMES: &[&str] = &["author", "autor", "autorin", "von", "creator", "name"];

/// German colour names accepted in CSV files besides the palette names and `#rrggbb`.
const GERMAN_COLORS: &[(&str, &str)] = &[
    ("gelb", "yellow"),
    ("orange", "orange"),
    ("rot", "red"),
    ("rosa", "pink"),
    ("pink", "pink"),
    ("lila", "purple"),
    ("violett", "purple"),
    ("blau", "blue"),
    ("türkis", "cyan"),
    ("grün", "green"),
    ("grau", "grey"),
    ("weiß", "white"),
    ("weiss", "white"),
    ("schwarz", "black"),
];

fn color_value(text: &str) -> Option<String> {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() {
        return None;
    }
    if let Some((_, name)) = GERMAN_COLORS.iter().find(|(de, _)| *de == lower) {
        return Some((*name).to_owned());
    }
    if lower == "gray" {
        return Some("grey".to_owned());
    }
    if is_valid_color(&lower) {
        return Some(lower);
    }
    board_color(&lower)
}

/// A CSV table: one note per row with text.
///
/// # Errors
/// [`Error::InvalidImport`] for binary, non-UTF-8 or malformed files and
/// files without any note text; [`Error::ColumnNotFound`] for a named column
/// the file does not have.
pub fn parse_csv(bytes: &[u8], options: &CsvImport) -> Result<ImportPlan> {
    const KIND: &str = "the CSV file";
    let text = text_of(bytes, KIND)?;
    let delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(!options.no_header)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = if options.no_header {
        Vec::new()
    } else {
        reader
            .headers()
            .map_err(|e| invalid(KIND, format!("the header row cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect()
    };
    let available = || {
        if headers.is_empty() {
            "(no header row)".to_owned()
        } else {
            headers.join(", ")
        }
    };
    let resolve = |column: &Column| -> Result<usize> {
        match column {
            Column::Index(i) => Ok(*i),
            Column::Name(name) => headers
                .iter()
                .position(|h| {
                    h.eq_ignore_ascii_case(name) || h.to_lowercase() == name.to_lowercase()
                })
                .ok_or_else(|| Error::ColumnNotFound {
                    column: format!("{name:?}"),
                    available: available(),
                }),
        }
    };
    let by_name = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_lowercase().as_str()))
    };
    let text_column = match &options.text {
        Some(column) => resolve(column)?,
        None => by_name(TEXT_NAMES).unwrap_or(0),
    };
    let optional = |given: &Option<Column>, names: &[&str]| -> Result<Option<usize>> {
        match given {
            Some(column) => resolve(column).map(Some),
            None if options.no_detect => Ok(None),
            None => Ok(by_name(names).filter(|i| *i != text_column)),
        }
    };
    let color_column = optional(&options.color, COLOR_NAMES)?;
    let tags_column = optional(&options.tags, TAG_NAMES)?;
    let author_column = optional(&options.author, AUTHOR_NAMES)?;

    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let mut widest = 0usize;
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(row + 2, |p| p.line() as usize);
            invalid(KIND, format!("line {line} cannot be read: {e}"))
        })?;
        widest = widest.max(record.len());
        let field = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(|cell| crate::csv_table::from_spreadsheet(cell.trim()))
                .unwrap_or("")
        };
        let text = field(Some(text_column));
        if text.is_empty() {
            continue;
        }
        let mut planned = note(items.len().to_string(), text.to_owned());
        let color = field(color_column);
        if !color.is_empty() {
            planned.color = color_value(color);
            if planned.color.is_none() && warnings.len() < 20 {
                warnings.push(format!(
                    "unknown colour {color:?} in row {}; using the default",
                    row + 1
                ));
            }
        }
        planned.tags = field(tags_column)
            .split([',', ';', '#'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let author = field(author_column);
        if !author.is_empty() {
            planned.author = Some(author.to_owned());
        }
        items.push(planned);
    }
    if let Some(Column::Index(i)) = &options.text {
        if *i >= widest.max(headers.len()) {
            return Err(Error::ColumnNotFound {
                column: format!("number {}", i + 1),
                available: available(),
            });
        }
    }
    if items.is_empty() {
        return Err(Error::NoNoteText { file_kind: KIND });
    }
    Ok(ImportPlan {
        source: "CSV",
        items,
        edges: Vec::new(),
        placement: Placement::Grid,
        warnings,
    })
}

/// The columns of a CSV file, for a user to choose from: the first row's
/// cells, the next row's as an example, and the columns [`parse_csv`] finds
/// by their names.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CsvColumns {
    /// The first row's cells (the column names when `header` is true).
    pub first: Vec<String>,
    /// The next row's cells, as an example of the content.
    pub example: Vec<String>,
    /// Number of columns: the wider of the two rows.
    pub count: usize,
    /// Whether the first row looks like column names: one of them is a
    /// known name, or (with several columns) they are all filled, distinct
    /// and not numbers.
    pub header: bool,
    /// The note text column (0-based) as [`parse_csv`] picks it by name.
    pub text: usize,
    pub color: Option<usize>,
    pub tags: Option<usize>,
    pub author: Option<usize>,
}

/// Reads the first two rows of a CSV file; see [`CsvColumns`].
///
/// # Errors
/// [`Error::NotText`] for binary or non-UTF-8 files, [`Error::InvalidImport`]
/// when the first rows cannot be read, [`Error::NoNoteText`] for an empty file.
pub fn csv_columns(bytes: &[u8]) -> Result<CsvColumns> {
    const KIND: &str = "the CSV file";
    let text = text_of(bytes, KIND)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(2) {
        let record =
            record.map_err(|e| invalid(KIND, format!("the first lines cannot be read: {e}")))?;
        rows.push(
            record
                .iter()
                .map(|cell| crate::csv_table::from_spreadsheet(cell.trim()).to_owned())
                .collect::<Vec<String>>(),
        );
    }
    let mut rows = rows.into_iter();
    let first = rows.next().unwrap_or_default();
    let example = rows.next().unwrap_or_default();
    let count = first.len().max(example.len());
    if count == 0 || first.iter().chain(&example).all(String::is_empty) {
        return Err(Error::NoNoteText { file_kind: KIND });
    }
    let lower: Vec<String> = first.iter().map(|c| c.to_lowercase()).collect();
    let by_name = |names: &[&str]| lower.iter().position(|c| names.contains(&c.as_str()));
    let known = [TEXT_NAMES, COLOR_NAMES, TAG_NAMES, AUTHOR_NAMES]
        .iter()
        .any(|names| by_name(names).is_some());
    let distinct: HashSet<&str> = lower.iter().map(String::as_str).collect();
    let header = known
        || (first.len() > 1
            && distinct.len() == first.len()
            && first
                .iter()
                .all(|c| !c.is_empty() && c.replace(',', ".").parse::<f64>().is_err()));
    if !header {
        return Ok(CsvColumns {
            first,
            example,
            count,
            header,
            text: 0,
            color: None,
            tags: None,
            author: None,
        });
    }
    let text = by_name(TEXT_NAMES).unwrap_or(0);
    let optional = |names: &[&str]| by_name(names).filter(|i| *i != text);
    Ok(CsvColumns {
        text,
        color: optional(COLOR_NAMES),
        tags: optional(TAG_NAMES),
        author: optional(AUTHOR_NAMES),
        first,
        example,
        count,
        header,
    })
}
