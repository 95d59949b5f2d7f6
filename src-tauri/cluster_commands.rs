//! Commands for clustering a workshop's notes. Merging, grouping, stacking,
//! comments and reactions are intents (`apply_intent`); only the search for
//! near-duplicate notes is a query of its own.

use stellwand_board::ItemId;
use stellwand_store::BoardId;
use tauri::State;

use crate::ipc::IpcResult;
use crate::state::AppState;

/// Groups of near-duplicate notes on a board, oldest note first in each.
#[tauri::command]
pub fn near_duplicates(state: State<'_, AppState>, board: BoardId) -> IpcResult<Vec<Vec<ItemId>>> {
    Ok(state.workspace()?.near_duplicates(board)?)
}
