//! Exports from the desktop app: a board, or every board of an AG folder in
//! one document, into the file the user chose in the save dialog.
//!
//! The export input is built by `stellwand_export::library`, the same code
//! the command line uses. The library is locked only while the boards are
//! read; the document is written on a blocking thread, so a large PDF keeps
//! neither the window nor other commands waiting. The file appears complete
//! or not at all (`stellwand_export::write_file`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use stellwand_board::Author;
use stellwand_export::library::{folder_boards, library_board};
use stellwand_export::{
    export, export_collection, german_date, write_file, Collection, DocumentOptions, ExportBoard,
    Format, ImageOptions,
};
use stellwand_library::BoardSession;
use stellwand_store::Workspace;
use stellwand_store::{BoardId, BoardMeta, FolderId};
use tauri::State;

use crate::contract::ErrorCode;
use crate::ipc::{IpcError, IpcResult};
use crate::state::{now, AppState};

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Exported {
    /// The file's name without its folder, for the message to the user.
    pub file: String,
    /// Size of the file in bytes.
    pub bytes: usize,
}

#[tauri::command]
pub async fn export_board(
    state: State<'_, AppState>,
    board: BoardId,
    format: String,
    path: PathBuf,
) -> IpcResult<Exported> {
    let format = parse_format(&format)?;
    let input = board_input(&*state.workspace()?, board)?;
    write_in_background(path, move || board_document(&input, format, now())).await
}

#[tauri::command]
pub async fn export_folder(
    state: State<'_, AppState>,
    folder: FolderId,
    format: String,
    path: PathBuf,
) -> IpcResult<Exported> {
    let format = parse_format(&format)?;
    let collection = folder_input(&*state.workspace()?, folder, now())?;
    write_in_background(path, move || folder_document(&collection, format, now())).await
}

fn parse_format(name: &str) -> IpcResult<Format> {
    Format::parse(name)
        .ok_or_else(|| IpcError::new(ErrorCode::Invalid, format!("unknown format {name:?}")))
}

/// A board as the library holds it. Every change was stored before its
/// command returned, so reading the library gives what the window shows.
fn board_input(workspace: &Workspace, board: BoardId) -> IpcResult<ExportBoard> {
    let meta = workspace.library().board(board)?;
    read_board(workspace, &meta)
}

/// The boards of an AG folder, in the folder document's order.
fn folder_input(workspace: &Workspace, folder: FolderId, now: i64) -> IpcResult<Collection> {
    let library = workspace.library();
    let folder = library.folder(folder)?;
    let metas = folder_boards(library, folder.id)?;
    if metas.is_empty() {
        return Err(IpcError::new(
            ErrorCode::EmptyFolder,
            format!("folder {:?} has no boards to export", folder.name),
        ));
    }
    let boards = metas
        .iter()
        .map(|meta| read_board(workspace, meta))
        .collect::<IpcResult<Vec<_>>>()?;
    Ok(Collection {
        title: folder.name,
        date: german_date(now),
        boards,
    })
}

fn read_board(workspace: &Workspace, meta: &BoardMeta) -> IpcResult<ExportBoard> {
    let user = workspace.user();
    let author = Author {
        id: user.id,
        name: user.name,
    };
    let session = BoardSession::open(workspace.library(), meta.id, author)?;
    Ok(library_board(workspace.library(), meta, session.board())?)
}

fn document_options(now: i64) -> DocumentOptions {
    DocumentOptions {
        created_at: now,
        ..DocumentOptions::default()
    }
}

fn board_document(board: &ExportBoard, format: Format, now: i64) -> IpcResult<Vec<u8>> {
    Ok(export(
        board,
        format,
        &document_options(now),
        &ImageOptions::default(),
    )?)
}

fn folder_document(collection: &Collection, format: Format, now: i64) -> IpcResult<Vec<u8>> {
    Ok(export_collection(
        collection,
        format,
        &document_options(now),
    )?)
}

/// Renders the document and writes it to `path` on a blocking thread.
async fn write_in_background(
    path: PathBuf,
    render: impl FnOnce() -> IpcResult<Vec<u8>> + Send + 'static,
) -> IpcResult<Exported> {
    tauri::async_runtime::spawn_blocking(move || write_document(&path, render()?))
        .await
        .map_err(|e| IpcError::new(ErrorCode::Internal, format!("the export stopped: {e}")))?
}

fn write_document(path: &Path, bytes: Vec<u8>) -> IpcResult<Exported> {
    write_file(path, &bytes)?;
    Ok(Exported {
        file: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: bytes.len(),
    })
}

#[cfg(test)]
mod tests {
    use stellwand_board::Intent;

    use super::*;

    fn workspace(dir: &Path) -> Workspace {
        Workspace::open(dir, "Erika").unwrap()
    }

    fn note(text: &str) -> Intent {
        serde_json::from_value(serde_json::json!({
            "op": "create",
            "items": [{"kind": "note", "x": 0.0, "y": 0.0, "text": text}],
            "adopt": true,
        }))
        .unwrap()
    }

    #[test]
    fn an_empty_board_exports_to_every_format() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let meta = ws.create_board("Leer", None, 1).unwrap();
        let input = board_input(&ws, meta.id).unwrap();
        assert_eq!(input.title, "Leer");
        for format in Format::ALL {
            let path = dir.path().join(format!("leer.{}", format.extension()));
            let done = write_document(&path, board_document(&input, format, 2).unwrap()).unwrap();
            assert_eq!(done.file, format!("leer.{}", format.extension()));
            assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, done.bytes);
        }
    }

    #[test]
    fn a_note_applied_in_the_window_is_in_the_export() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let meta = ws.create_board("Sitzung", None, 1).unwrap();
        ws.open_board(meta.id, 2).unwrap();
        ws.apply(meta.id, note("Schnittstellen-Katalog"), 3)
            .unwrap();
        let input = board_input(&ws, meta.id).unwrap();
        let markdown = board_document(&input, Format::Markdown, 4).unwrap();
        assert!(String::from_utf8(markdown)
            .unwrap()
            .contains("Schnittstellen-Katalog"));
    }

    #[test]
    fn an_unwritable_target_is_an_io_error_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gibt-es-nicht").join("export.csv");
        let error = write_document(&missing, b"x".to_vec()).unwrap_err();
        assert_eq!(error.code, "write_failed");
        assert!(!missing.parent().unwrap().exists());
        // A folder where the file should go: the rename fails, the folder stays.
        let taken = dir.path().join("ordner.csv");
        std::fs::create_dir(&taken).unwrap();
        let error = write_document(&taken, b"x".to_vec()).unwrap_err();
        assert_eq!(error.code, "write_failed");
        assert!(taken.is_dir());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ordner.csv"], "no temporary file is left behind");
    }

    #[test]
    fn a_folder_without_boards_is_refused_and_a_board_format_is_not_a_folder_format() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let folder = ws.library().create_folder("AG Technik", 1).unwrap();
        let error = folder_input(&ws, folder.id, 2).unwrap_err();
        assert_eq!(error.code, "empty_folder");
        ws.create_board("Sitzung 1", Some(folder.id), 3).unwrap();
        let collection = folder_input(&ws, folder.id, 4).unwrap();
        assert_eq!(collection.title, "AG Technik");
        assert_eq!(collection.boards.len(), 1);
        assert_eq!(collection.boards[0].folder.as_deref(), Some("AG Technik"));
        let error = folder_document(&collection, Format::Csv, 5).unwrap_err();
        assert_eq!(error.code, "invalid");
        assert!(parse_format("odt").is_err());
    }

    #[test]
    fn exported_reports_the_file_name_and_size() {
        let json = serde_json::to_value(Exported {
            file: "a.pdf".into(),
            bytes: 3,
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({"file": "a.pdf", "bytes": 3}));
    }
}
