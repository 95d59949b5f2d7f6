//! Commands of the start screen: folders, boards, search, trash, files.
//! Each takes state and plain values, calls one workspace function and maps
//! the error.

use std::path::PathBuf;

use stellwand_library::{Overview, TemplateInfo, User};
use stellwand_store::{BoardId, BoardMeta, Folder, FolderId};
use tauri::State;

use crate::ipc::IpcResult;
use crate::state::{now, AppState};

#[tauri::command]
pub fn library_overview(state: State<'_, AppState>) -> IpcResult<Overview> {
    Ok(state.workspace()?.overview()?)
}

#[tauri::command]
pub fn search_boards(state: State<'_, AppState>, query: String) -> IpcResult<Vec<BoardId>> {
    Ok(state.workspace()?.search(&query)?)
}

#[tauri::command]
pub fn create_board(
    state: State<'_, AppState>,
    title: String,
    folder: Option<FolderId>,
    template: Option<String>,
) -> IpcResult<BoardMeta> {
    let mut workspace = state.workspace()?;
    Ok(match template {
        Some(template) => workspace.create_board_from_template(&title, folder, &template, now())?,
        None => workspace.create_board(&title, folder, now())?,
    })
}

#[tauri::command]
pub fn list_templates(state: State<'_, AppState>) -> IpcResult<Vec<TemplateInfo>> {
    Ok(state.workspace()?.templates()?)
}

#[tauri::command]
pub fn save_as_template(
    state: State<'_, AppState>,
    board: BoardId,
    name: String,
) -> IpcResult<TemplateInfo> {
    Ok(state.workspace()?.save_as_template(board, &name)?)
}

#[tauri::command]
pub fn rename_board(
    state: State<'_, AppState>,
    board: BoardId,
    title: String,
) -> IpcResult<BoardMeta> {
    Ok(state.workspace()?.rename_board(board, &title, now())?)
}

#[tauri::command]
pub fn duplicate_board(
    state: State<'_, AppState>,
    board: BoardId,
    title: String,
) -> IpcResult<BoardMeta> {
    Ok(state.workspace()?.duplicate_board(board, &title, now())?)
}

#[tauri::command]
pub fn move_board(
    state: State<'_, AppState>,
    board: BoardId,
    folder: Option<FolderId>,
) -> IpcResult<BoardMeta> {
    Ok(state
        .workspace()?
        .library()
        .move_board(board, folder, now())?)
}

#[tauri::command]
pub fn archive_board(
    state: State<'_, AppState>,
    board: BoardId,
    archived: bool,
) -> IpcResult<BoardMeta> {
    let workspace = state.workspace()?;
    let library = workspace.library();
    Ok(if archived {
        library.archive_board(board, now())?
    } else {
        library.unarchive_board(board, now())?
    })
}

#[tauri::command]
pub fn trash_board(state: State<'_, AppState>, board: BoardId) -> IpcResult<BoardMeta> {
    Ok(state.workspace()?.trash_board(board, now())?)
}

#[tauri::command]
pub fn restore_board(state: State<'_, AppState>, board: BoardId) -> IpcResult<BoardMeta> {
    Ok(state.workspace()?.library().restore_board(board, now())?)
}

#[tauri::command]
pub fn purge_board(state: State<'_, AppState>, board: BoardId) -> IpcResult<()> {
    Ok(state.workspace()?.purge_board(board)?)
}

#[tauri::command]
pub fn create_folder(state: State<'_, AppState>, name: String) -> IpcResult<Folder> {
    Ok(state.workspace()?.library().create_folder(&name, now())?)
}

#[tauri::command]
pub fn rename_folder(
    state: State<'_, AppState>,
    folder: FolderId,
    name: String,
) -> IpcResult<Folder> {
    Ok(state.workspace()?.library().rename_folder(folder, &name)?)
}

#[tauri::command]
pub fn delete_folder(state: State<'_, AppState>, folder: FolderId) -> IpcResult<()> {
    Ok(state.workspace()?.library().delete_folder(folder)?)
}

#[tauri::command]
pub fn save_board_file(state: State<'_, AppState>, board: BoardId, path: PathBuf) -> IpcResult<()> {
    Ok(state.workspace()?.save_board_file(board, &path, now())?)
}

#[tauri::command]
pub fn open_board_file(state: State<'_, AppState>, path: PathBuf) -> IpcResult<BoardMeta> {
    Ok(state.workspace()?.open_board_file(&path, now())?)
}

#[tauri::command]
pub fn user(state: State<'_, AppState>) -> IpcResult<User> {
    Ok(state.workspace()?.user())
}

#[tauri::command]
pub fn set_user_name(
    state: State<'_, AppState>,
    sharing: State<'_, stellwand_sync::sharing::Sharing>,
    name: String,
) -> IpcResult<User> {
    let user = state.workspace()?.set_user_name(&name)?;
    sharing.introduce(crate::sharing_commands::person(user.clone()));
    Ok(user)
}

#[tauri::command]
pub fn language(state: State<'_, AppState>) -> IpcResult<Option<String>> {
    Ok(state.workspace()?.language()?)
}

#[tauri::command]
pub fn set_language(state: State<'_, AppState>, language: String) -> IpcResult<()> {
    Ok(state.workspace()?.set_language(&language)?)
}
