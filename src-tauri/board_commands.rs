//! Commands of an open board: every user action is an intent that comes
//! back as a view delta.

use stellwand_board::{Intent, Item};
use stellwand_library::drafts::routing::Rules;
use stellwand_library::{BoardView, Outcome, Viewport};
use stellwand_store::{BoardId, RevisionId, RevisionMeta};
use stellwand_sync::sharing::Sharing;
use tauri::State;

use crate::ipc::IpcResult;
use crate::state::{now, AppState};
use crate::workshop_commands::workshop_and_role;

#[tauri::command]
pub fn open_board(state: State<'_, AppState>, board: BoardId) -> IpcResult<BoardView> {
    Ok(state.workspace()?.open_board(board, now())?)
}

#[tauri::command]
pub fn close_board(state: State<'_, AppState>, board: BoardId) -> IpcResult<()> {
    Ok(state.workspace()?.close_board(board, now())?)
}

/// One user action, routed past locks and private drafts by the library's
/// rule (`stellwand_library::drafts::routing`); refused with `locked` or
/// `not-yet`.
#[tauri::command]
pub fn apply_intent(
    state: State<'_, AppState>,
    sharing: State<'_, Sharing>,
    board: BoardId,
    intent: Intent,
) -> IpcResult<Outcome> {
    let mut workspace = state.workspace()?;
    let (workshop, role) = workshop_and_role(&mut workspace, &sharing, board)?;
    let rules = Rules {
        workshop: &workshop,
        role,
    };
    Ok(workspace.apply_routed(board, intent, rules, now())?)
}

#[tauri::command]
pub fn undo(state: State<'_, AppState>, board: BoardId) -> IpcResult<Outcome> {
    Ok(state.workspace()?.undo(board, now())?)
}

#[tauri::command]
pub fn redo(state: State<'_, AppState>, board: BoardId) -> IpcResult<Outcome> {
    Ok(state.workspace()?.redo(board, now())?)
}

#[tauri::command]
pub fn set_viewport(
    state: State<'_, AppState>,
    board: BoardId,
    viewport: Viewport,
) -> IpcResult<()> {
    Ok(state.workspace()?.set_viewport(board, viewport)?)
}

#[tauri::command]
pub fn list_revisions(state: State<'_, AppState>, board: BoardId) -> IpcResult<Vec<RevisionMeta>> {
    Ok(state.workspace()?.library().list_revisions(board)?)
}

#[tauri::command]
pub fn create_revision(
    state: State<'_, AppState>,
    board: BoardId,
    name: String,
) -> IpcResult<RevisionMeta> {
    Ok(state.workspace()?.create_revision(board, &name, now())?)
}

#[tauri::command]
pub fn revision_items(state: State<'_, AppState>, revision: RevisionId) -> IpcResult<Vec<Item>> {
    Ok(state.workspace()?.revision_items(revision)?)
}

#[tauri::command]
pub fn restore_revision(
    state: State<'_, AppState>,
    board: BoardId,
    revision: RevisionId,
) -> IpcResult<Outcome> {
    Ok(state
        .workspace()?
        .restore_revision(board, revision, now())?)
}
