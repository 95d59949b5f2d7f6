//! Board results as documents, images and exchange files, and imports back onto a board.
//!
//! After a workshop, the notes on a board become a document that a municipal
//! office files: Word ([`docx()`]), PDF ([`pdf()`], A4, PDF/A-2b, embedded fonts),
//! Markdown ([`markdown()`]), a spreadsheet table ([`csv()`], [`xlsx()`]), an image of the board
//! ([`svg()`], [`png()`]), and the open JSON Canvas format ([`canvas()`]). The
//! full-fidelity JSON form lives in `stellwand_board::BoardJson`.
//!
//! Every export starts from an [`ExportBoard`]: the items of a board plus what
//! the library knows about it (title, AG folder, date). The crate depends only
//! on the board model, so the desktop app, the command line and tests can all
//! hand it boards however they got them. [`Report`] is the reading-order model
//! (sections, notes, connections) that the document formats share; several
//! boards go into one document with the `*_collection` functions
//! ([`Collection`]).
//!
//! Imports ([`import`]) read CSV, JSON Canvas or plain text into an
//! [`import::ImportPlan`] first, so a file that is not what it claims is
//! refused before anything on the board changes; the plan is then applied
//! inside one [`stellwand_board::Board::edit`] transaction.
//!
//! With the `library` feature, the `library` module builds that input from
//! boards of the user's library, for the command line and the desktop app
//! alike.
//!
//! Fonts: DejaVu Sans (Latin with umlauts and ß, Greek, Cyrillic, Hebrew,
//! Arabic) and Noto Color Emoji are bundled (`assets/fonts/`), so output looks
//! the same on every machine.

pub mod canvas;
mod csv_table;
mod document;
mod docx_file;
mod error;
mod fonts;
mod image;
pub mod import;
#[cfg(feature = "library")]
pub mod library;
mod markdown_file;
mod model;
mod pdf_file;
mod xlsx_table;

use std::path::Path;

pub use canvas::canvas;
pub use csv_table::{csv, CSV_DELIMITER, CSV_HEADER};
pub use docx_file::{docx, docx_collection};
pub use error::{Error, Result};
pub use image::{png, svg, ImageOptions, RenderedImage};
pub use markdown_file::{markdown, markdown_collection};
pub use model::{
    german_date, Collection, Connection, DocumentOptions, ExportBoard, Report, ReportNote, Section,
    CONNECTIONS, FURTHER_NOTES,
};
pub use pdf_file::{pdf, pdf_collection};
pub use xlsx_table::{xlsx, XLSX_SHEET};

/// The formats a single board can be exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Docx,
    Pdf,
    Markdown,
    Csv,
    Xlsx,
    Png,
    Svg,
    Canvas,
    Json,
}

impl Format {
    /// Every format, in the order the user interface offers them.
    pub const ALL: [Format; 9] = [
        Format::Docx,
        Format::Pdf,
        Format::Markdown,
        Format::Csv,
        Format::Xlsx,
        Format::Png,
        Format::Svg,
        Format::Canvas,
        Format::Json,
    ];

    /// Reads a format name as typed on the command line (`docx`, `pdf`, `md`, ...).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "docx" | "word" => Format::Docx,
            "pdf" => Format::Pdf,
            "md" | "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            "xlsx" | "excel" => Format::Xlsx,
            "png" => Format::Png,
            "svg" => Format::Svg,
            "canvas" => Format::Canvas,
            "json" => Format::Json,
            _ => return None,
        })
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Canvas => "canvas",
            Format::Json => "json",
        }
    }

    /// Whether several boards can go into one file of this format.
    pub fn supports_collection(self) -> bool {
        matches!(self, Format::Docx | Format::Pdf | Format::Markdown)
    }
}

/// Exports one board in `format`. JSON is the full-fidelity form
/// (`stellwand_board::BoardJson`) of the board's items.
///
/// # Errors
/// As the function for the format ([`docx()`], [`pdf()`], [`png()`], ...).
pub fn export(
    board: &ExportBoard,
    format: Format,
    document: &DocumentOptions,
    image: &ImageOptions,
) -> Result<Vec<u8>> {
    match format {
        Format::Docx => docx(board, document),
        Format::Pdf => pdf(board, document),
        Format::Markdown => Ok(markdown(board, document).into_bytes()),
        Format::Csv => csv(board),
        Format::Xlsx => xlsx(board, document),
        Format::Png => Ok(png(board, image)?.bytes),
        Format::Svg => Ok(svg(board, image)?.into_bytes()),
        Format::Canvas => Ok(canvas(board).into_bytes()),
        Format::Json => Ok(board.to_json().to_string_pretty().into_bytes()),
    }
}

/// Exports several boards into one document with a table of contents.
///
/// # Errors
/// [`Error::Unsupported`] for formats that hold one board only; otherwise as
/// [`docx_collection`], [`pdf_collection`].
pub fn export_collection(
    collection: &Collection,
    format: Format,
    document: &DocumentOptions,
) -> Result<Vec<u8>> {
    match format {
        Format::Docx => docx_collection(collection, document),
        Format::Pdf => pdf_collection(collection, document),
        Format::Markdown => Ok(markdown_collection(collection, document).into_bytes()),
        other => Err(Error::Unsupported {
            format: other.extension(),
            what: "several boards in one file",
        }),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory, so
/// that a reader never sees half a file and an existing file is only replaced
/// once the new one is complete.
///
/// # Errors
/// [`Error::Io`] with the path.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let temp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(io)
}
