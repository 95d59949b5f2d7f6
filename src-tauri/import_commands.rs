//! Imports in the desktop app: the notes of a CSV table, a text file or a
//! JSON Canvas file, into a new frame on the open board or as a new board.
//!
//! The file is read (at most [`MAX_IMPORT_BYTES`], refused before it is read
//! whole) and checked completely by `stellwand_export::import` on a blocking
//! thread before anything changes. Into an open board the import is one
//! intent (`ImportPlan::intent`): one undo step that reaches the window as an
//! ordinary outcome, placed below everything on the board. A new board gets
//! the file's items with their authors.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use stellwand_board::{Author, ItemId};
use stellwand_export::import::{
    csv_columns, parse_canvas, parse_csv, parse_text, Column, CsvColumns, CsvImport, ImportPlan,
};
use stellwand_library::{BoardSession, Outcome};
use stellwand_store::Workspace;
use stellwand_store::{BoardId, BoardMeta, FolderId};
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use crate::contract::ErrorCode;
use crate::ipc::{IpcError, IpcResult};
use crate::state::{now, AppState};

/// Files above this size are refused before they are read (20 MiB: far more
/// than any workshop's notes, far less than what would stall the window).
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// The extensions the open dialog offers.
pub const IMPORT_EXTENSIONS: [&str; 3] = ["csv", "txt", "canvas"];

/// End-to-end tests only: the open dialog is skipped and answered with the
/// path written in the file this variable names, read at each import.
/// WebDriver cannot operate the native dialog; with this the tests drive the
/// real button, commands and files.
pub const OPEN_CHOICE_VAR: &str = "STELLWAND_E2E_OPEN_CHOICE";

/// What a file to import is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ImportKind"))]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Csv,
    Text,
    Canvas,
}

/// A checked file, before the user chose columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportSource {
    /// The file's name, for messages.
    pub file: String,
    /// The name without its extension: the new frame's or board's title.
    pub title: String,
    pub kind: SourceKind,
    /// For CSV: the columns to choose from, with the detected choice.
    pub csv: Option<CsvColumns>,
    /// What the import will create; for CSV only once columns are chosen.
    pub counts: Option<ImportCounts>,
}

/// What an import creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportCounts {
    pub notes: usize,
    pub frames: usize,
    pub connectors: usize,
}

impl ImportCounts {
    fn of(plan: &ImportPlan) -> Self {
        Self {
            notes: plan.note_count(),
            frames: plan.frame_count(),
            connectors: plan.connector_count(),
        }
    }
}

/// The columns a user chose for a CSV file (0-based; `None`: not used).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CsvChoice {
    pub text: usize,
    pub color: Option<usize>,
    pub tags: Option<usize>,
    pub author: Option<usize>,
    /// The first row holds column names.
    pub header: bool,
}

/// What an import into an open board did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Imported {
    pub file: String,
    /// The new frame that holds the import.
    pub frame: Option<ItemId>,
    pub notes: usize,
    pub frames: usize,
    pub connectors: usize,
    /// The changes for the window (one undo step).
    pub outcome: Outcome,
}

/// Asks for a file to import (native open dialog); `None` when cancelled.
#[tauri::command]
pub async fn choose_import_file(
    window: tauri::Window,
    title: String,
    filter_name: String,
) -> IpcResult<Option<PathBuf>> {
    if let Some(choice) = e2e_choice(std::env::var_os(OPEN_CHOICE_VAR))? {
        return Ok(Some(choice));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title(title)
        .add_filter(filter_name, &IMPORT_EXTENSIONS)
        .pick_file(move |path| {
            let _ = tx.send(path);
        });
    let picked = rx.await.map_err(|_| {
        IpcError::new(
            ErrorCode::Internal,
            "the open dialog closed without an answer",
        )
    })?;
    picked
        .map(|path| {
            path.into_path()
                .map_err(|e| IpcError::new(ErrorCode::ReadFailed, format!("not a local file: {e}")))
        })
        .transpose()
}

/// Reads and checks a file: for CSV its columns, and with the columns
/// chosen (`csv`) what the import will create.
#[tauri::command]
pub async fn inspect_import(path: PathBuf, csv: Option<CsvChoice>) -> IpcResult<ImportSource> {
    in_background(move || inspect(&path, csv.as_ref())).await
}

/// Imports a file into a new frame on `board`, below everything on it.
#[tauri::command]
pub async fn import_into_board(
    state: State<'_, AppState>,
    board: BoardId,
    path: PathBuf,
    csv: Option<CsvChoice>,
) -> IpcResult<Imported> {
    let (source, plan) = in_background(move || read_plan(&path, csv.as_ref())).await?;
    into_board(&mut *state.workspace()?, board, &source, &plan, now())
}

/// Adds a file as a new board (titled after the file) in `folder`.
#[tauri::command]
pub async fn import_as_board(
    state: State<'_, AppState>,
    path: PathBuf,
    folder: Option<FolderId>,
    csv: Option<CsvChoice>,
) -> IpcResult<BoardMeta> {
    let (source, plan) = in_background(move || read_plan(&path, csv.as_ref())).await?;
    new_board(&mut *state.workspace()?, &source, folder, &plan, now())
}

/// The path written in the answer file of [`OPEN_CHOICE_VAR`], if it is set.
fn e2e_choice(answer_file: Option<OsString>) -> IpcResult<Option<PathBuf>> {
    let Some(answer_file) = answer_file.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&answer_file).map_err(|e| {
        IpcError::new(
            ErrorCode::ReadFailed,
            format!("cannot read {}: {e}", Path::new(&answer_file).display()),
        )
    })?;
    Ok(Some(PathBuf::from(text.trim_end_matches(['\n', '\r']))))
}

async fn in_background<T: Send + 'static>(
    work: impl FnOnce() -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::new(ErrorCode::Internal, format!("the import stopped: {e}")))?
}

fn kind_of(path: &Path) -> IpcResult<SourceKind> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => Ok(SourceKind::Csv),
        "txt" => Ok(SourceKind::Text),
        "canvas" => Ok(SourceKind::Canvas),
        _ => Err(IpcError::new(
            ErrorCode::UnsupportedFile,
            format!("{} is not a .csv, .txt or .canvas file", path.display()),
        )),
    }
}

/// The file's bytes; a file above [`MAX_IMPORT_BYTES`] is refused before it
/// is read whole (also one that grows while it is read).
fn read_capped(path: &Path, cap: u64) -> IpcResult<Vec<u8>> {
    let failed = |e: std::io::Error| {
        IpcError::new(
            ErrorCode::ReadFailed,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let too_large = || {
        IpcError::new(
            ErrorCode::FileTooLarge,
            format!(
                "{} is larger than {} MB",
                path.display(),
                cap / (1024 * 1024)
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(failed)?;
    let size = file.metadata().map_err(failed)?.len();
    if size > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes).map_err(failed)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

fn source_of(path: &Path) -> IpcResult<(ImportSource, Vec<u8>)> {
    let kind = kind_of(path)?;
    let bytes = read_capped(path, MAX_IMPORT_BYTES)?;
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = path
        .file_stem()
        .map(|n| n.to_string_lossy().trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Import".to_owned());
    Ok((
        ImportSource {
            file,
            title,
            kind,
            csv: None,
            counts: None,
        },
        bytes,
    ))
}

fn inspect(path: &Path, csv: Option<&CsvChoice>) -> IpcResult<ImportSource> {
    let (mut source, bytes) = source_of(path)?;
    if source.kind == SourceKind::Csv {
        source.csv = Some(csv_columns(&bytes)?);
    }
    // Text and canvas files have nothing to choose: they are checked whole
    // right away, so that a broken file is reported before anything else.
    if source.kind != SourceKind::Csv || csv.is_some() {
        source.counts = Some(ImportCounts::of(&plan_of(source.kind, &bytes, csv)?));
    }
    Ok(source)
}

fn read_plan(path: &Path, csv: Option<&CsvChoice>) -> IpcResult<(ImportSource, ImportPlan)> {
    let (source, bytes) = source_of(path)?;
    let plan = plan_of(source.kind, &bytes, csv)?;
    Ok((source, plan))
}

fn plan_of(kind: SourceKind, bytes: &[u8], csv: Option<&CsvChoice>) -> IpcResult<ImportPlan> {
    let plan = match kind {
        SourceKind::Csv => parse_csv(bytes, &csv_options(csv))?,
        SourceKind::Text => parse_text(bytes)?,
        SourceKind::Canvas => parse_canvas(bytes)?,
    };
    if plan.is_empty() {
        return Err(IpcError::new(
            ErrorCode::NoNoteText,
            "the file contains no text for notes",
        ));
    }
    Ok(plan)
}

fn csv_options(choice: Option<&CsvChoice>) -> CsvImport {
    match choice {
        None => CsvImport::default(),
        Some(choice) => CsvImport {
            text: Some(Column::Index(choice.text)),
            color: choice.color.map(Column::Index),
            tags: choice.tags.map(Column::Index),
            author: choice.author.map(Column::Index),
            no_header: !choice.header,
            no_detect: true,
        },
    }
}

fn into_board(
    workspace: &mut Workspace,
    board: BoardId,
    source: &ImportSource,
    plan: &ImportPlan,
    now: i64,
) -> IpcResult<Imported> {
    // Every change was stored before its command returned, so the library
    // holds what the window shows.
    let existing = BoardSession::open(workspace.library(), board, author(workspace))?
        .board()
        .items();
    let (intent, summary) = plan.intent(&existing, Some(&source.title));
    let outcome = workspace.apply(board, intent, now)?;
    Ok(Imported {
        file: source.file.clone(),
        frame: summary.frame,
        notes: summary.notes.len(),
        frames: summary.frames.len(),
        connectors: summary.connectors.len(),
        outcome,
    })
}

fn new_board(
    workspace: &mut Workspace,
    source: &ImportSource,
    folder: Option<FolderId>,
    plan: &ImportPlan,
    now: i64,
) -> IpcResult<BoardMeta> {
    let (meta, mut session) = BoardSession::create(
        workspace.library(),
        &source.title,
        folder,
        author(workspace),
        now,
    )?;
    let library = workspace.library();
    if let Err(error) = session.edit(library, now, |e| plan.apply(e, None)) {
        // Nothing half-imported stays behind.
        drop(session);
        let _ = workspace.trash_board(meta.id, now);
        let _ = workspace.purge_board(meta.id);
        return Err(error.into());
    }
    session.store_preview(library, now)?;
    Ok(meta)
}

fn author(workspace: &Workspace) -> Author {
    let user = workspace.user();
    Author {
        id: user.id,
        name: user.name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(dir: &Path) -> Workspace {
        Workspace::open(dir, "Erika").unwrap()
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn note(text: &str) -> stellwand_board::Intent {
        serde_json::from_value(serde_json::json!({
            "op": "create",
            "items": [{"kind": "note", "x": 0.0, "y": 0.0, "text": text}],
        }))
        .unwrap()
    }

    #[test]
    fn a_csv_choice_with_unknown_or_missing_fields_is_refused() {
        let ok = r#"{"text":0,"color":null,"tags":1,"author":null,"header":true}"#;
        assert!(serde_json::from_str::<CsvChoice>(ok).is_ok());
        let extra = r#"{"text":0,"color":null,"tags":1,"author":null,"header":true,"sep":";"}"#;
        assert!(serde_json::from_str::<CsvChoice>(extra).is_err());
        assert!(serde_json::from_str::<CsvChoice>(r#"{"text":0}"#).is_err());
    }

    #[test]
    fn a_csv_lands_in_a_new_frame_below_the_board_as_one_undo_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let meta = ws.create_board("Sitzung", None, 1).unwrap();
        ws.open_board(meta.id, 2).unwrap();
        ws.apply(meta.id, note("schon da"), 3).unwrap();
        let file = write(
            dir.path(),
            "Ideen Ä.csv",
            "Nr;Idee;Farbe\n1;Bürgerportal 👍🏽;grün\n2;Öffnungszeiten;rot\n".as_bytes(),
        );
        let source = inspect(&file, None).unwrap();
        assert_eq!(source.counts, None, "columns not chosen yet");
        assert_eq!(
            (source.title.as_str(), source.kind),
            ("Ideen Ä", SourceKind::Csv)
        );
        let columns = source.csv.unwrap();
        assert_eq!(columns.first, ["Nr", "Idee", "Farbe"]);
        let choice = CsvChoice {
            text: 1,
            color: columns.color,
            tags: None,
            author: None,
            header: true,
        };
        let counts = inspect(&file, Some(&choice)).unwrap().counts.unwrap();
        assert_eq!((counts.notes, counts.frames, counts.connectors), (2, 0, 0));
        let (source, plan) = read_plan(&file, Some(&choice)).unwrap();
        let done = into_board(&mut ws, meta.id, &source, &plan, 4).unwrap();
        assert_eq!((done.notes, done.frames, done.connectors), (2, 0, 0));
        let items = ws.open_board(meta.id, 5).unwrap().items;
        let frame = items.iter().find(|i| Some(i.id) == done.frame).unwrap();
        assert_eq!(frame.text, "Ideen Ä");
        let old = items.iter().find(|i| i.text == "schon da").unwrap();
        assert!(frame.y > old.y + old.h, "below what was there");
        let green = items.iter().find(|i| i.text == "Bürgerportal 👍🏽").unwrap();
        assert_eq!((green.color.as_str(), green.parent), ("green", done.frame));
        assert!(done.outcome.can_undo);
        ws.undo(meta.id, 6).unwrap();
        let texts: Vec<String> = ws
            .open_board(meta.id, 7)
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.text)
            .collect();
        assert_eq!(texts, ["schon da"], "one undo removes the whole import");
    }

    #[test]
    fn a_text_file_becomes_a_new_board_in_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let folder = ws.library().create_folder("AG Technik", 1).unwrap();
        let file = write(dir.path(), "Protokoll.txt", "Eins\n\n Zwei 🎉\n".as_bytes());
        let (source, plan) = read_plan(&file, None).unwrap();
        let meta = new_board(&mut ws, &source, Some(folder.id), &plan, 2).unwrap();
        assert_eq!(
            (meta.title.as_str(), meta.folder),
            ("Protokoll", Some(folder.id))
        );
        let mut texts: Vec<String> = ws
            .open_board(meta.id, 3)
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.text)
            .collect();
        texts.sort();
        assert_eq!(texts, ["Eins", "Zwei 🎉"]);
    }

    #[test]
    fn files_that_are_not_what_they_claim_are_refused_with_a_code() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], &str); 6] = [
            ("zufall.csv", b"\x00\x9f\x92\x96\xff binary", "not_text"),
            ("latin1.txt", b"Gr\xf6\xdfe\n", "not_text"),
            ("kaputt.canvas", b"{\"nodes\": [", "invalid_import"),
            ("leer.csv", b"Idee;Farbe\n;rot\n", "no_note_text"),
            ("leer.txt", b"\n \n", "no_note_text"),
            ("bild.png", b"\x89PNG", "unsupported_file"),
        ];
        for (name, bytes, code) in cases {
            let path = write(dir.path(), name, bytes);
            let error = match inspect(&path, None) {
                Err(error) => error,
                Ok(_) => read_plan(&path, None).map(|_| ()).unwrap_err(),
            };
            assert_eq!(error.code, code, "{name}: {}", error.message);
        }
        let missing = inspect(&dir.path().join("weg.csv"), None).unwrap_err();
        assert_eq!(missing.code, "read_failed");
    }

    #[test]
    fn a_file_above_the_cap_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "gross.txt", &[b'a'; 2048]);
        assert_eq!(read_capped(&path, 1024).unwrap_err().code, "file_too_large");
        assert_eq!(read_capped(&path, 2048).unwrap().len(), 2048);
    }

    #[test]
    fn the_e2e_answer_file_names_the_chosen_path() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(e2e_choice(None).unwrap(), None);
        assert_eq!(e2e_choice(Some(OsString::new())).unwrap(), None);
        let answer = write(dir.path(), "answer", b"/tmp/Ideen.csv\n");
        assert_eq!(
            e2e_choice(Some(answer.into_os_string())).unwrap(),
            Some(PathBuf::from("/tmp/Ideen.csv"))
        );
    }
}
