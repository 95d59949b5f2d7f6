//! The crate's error type.

use std::path::PathBuf;

/// What can go wrong while exporting or importing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `--frame` named a frame the board does not have.
    #[error("the board has no frame {0:?}")]
    FrameNotFound(String),
    /// The format cannot hold what was asked for.
    #[error("{format} cannot hold {what}")]
    Unsupported {
        format: &'static str,
        what: &'static str,
    },
    /// The Word writer failed.
    #[error("the Word document could not be written: {0}")]
    Docx(String),
    /// The PDF writer failed (for example a PDF/A rule that the content breaks).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// The board image could not be rendered.
    #[error("the board image could not be rendered: {0}")]
    Image(String),
    /// Writing the CSV table failed.
    #[error("the CSV table could not be written: {0}")]
    Csv(#[source] csv::Error),
    /// The XLSX workbook could not be assembled.
    #[error("the XLSX workbook could not be written: {0}")]
    Xlsx(String),
    /// An imported file is not what its format says; nothing was changed.
    #[error("{file_kind} cannot be imported: {reason}")]
    InvalidImport {
        file_kind: &'static str,
        reason: String,
    },
    /// An imported file is binary or not UTF-8 text; nothing was changed.
    #[error("{file_kind} cannot be imported: {reason}")]
    NotText {
        file_kind: &'static str,
        reason: String,
    },
    /// An imported table has no row with text for a note (for example an
    /// empty column was chosen); nothing was changed.
    #[error("{file_kind} cannot be imported: it contains no rows with note text")]
    NoNoteText { file_kind: &'static str },
    /// The CSV column to import from does not exist.
    #[error("the CSV file has no column {column}; its columns are: {available}")]
    ColumnNotFound { column: String, available: String },
    /// The board refused a change while applying an import (nothing was changed).
    #[error(transparent)]
    Board(#[from] stellwand_board::Error),
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
