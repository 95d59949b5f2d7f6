//! Sharing boards live from the window: hosting ("Teilen"), joining by
//! link, presence and the status line. The work is done by
//! [`stellwand_sync::sharing::Sharing`]; these commands map, and
//! [`Desktop`] is its owner of the boards: the user's workspace, with
//! news passed on to the window as events.

use std::sync::Arc;

use stellwand_board::Changes;
use stellwand_store::{BoardId, BoardMeta};
use stellwand_sync::sharing::{
    Forward, FoundBoard, HostSettings, News, Owner, Person, ShareInfo, Sharing, SyncStatus,
};
use stellwand_sync::token::Role;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::contract::{Cursor, RemoteChange, WorkshopChanged, WorkshopView};
use crate::ipc::IpcResult;
use crate::state::{now, AppState};

/// The desktop as owner of the live boards.
pub struct Desktop {
    pub app: AppHandle,
}

type OwnerResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

impl Owner for Desktop {
    fn state(&self, board: BoardId) -> OwnerResult<Vec<u8>> {
        let state = self.app.state::<AppState>();
        let mut workspace = state.workspace()?;
        Ok(workspace.board_state(board)?)
    }

    fn receive(&self, board: BoardId, updates: Vec<Vec<u8>>) {
        let state = self.app.state::<AppState>();
        let applied = state
            .workspace()
            .and_then(|mut ws| Ok(ws.apply_remote(board, &updates, now())?));
        match applied {
            Ok((outcome, refused)) => {
                for reason in refused {
                    eprintln!("stellwand: refused a change from the network: {reason}");
                }
                if outcome.changes != Changes::default() {
                    let _ = self
                        .app
                        .emit("sync-remote", RemoteChange { board, outcome });
                }
            }
            Err(e) => eprintln!("stellwand: could not store a change from the network: {e:?}"),
        }
    }

    fn forward(&self, board: BoardId, sink: Option<Forward>) {
        if let Ok(mut workspace) = self.app.state::<AppState>().workspace() {
            workspace.set_forward(board, sink);
        }
    }

    fn notify(&self, news: News) {
        match news {
            News::Status(status) => {
                let _ = self.app.emit("sync-status", status);
            }
            News::Workshop { board, reveal } => {
                let _ = self.app.emit("workshop-changed", WorkshopChanged { board });
                if let Some(reveal) = reveal {
                    crate::workshop_commands::publish_drafts(&self.app, board, reveal);
                }
            }
            News::View { board, view } => {
                let _ = self.app.emit(
                    "workshop-view",
                    WorkshopView {
                        board,
                        x: view.x,
                        y: view.y,
                        zoom: view.zoom,
                    },
                );
            }
        }
    }
}

/// This user as others on a board see them.
pub(crate) fn person(user: stellwand_library::User) -> Person {
    Person {
        id: user.id,
        name: user.name,
    }
}

/// "Board teilen": hosts `board` from this laptop and returns the links.
#[tauri::command]
pub async fn share_board(
    sharing: State<'_, Sharing>,
    board: BoardId,
    settings: Option<HostSettings>,
) -> IpcResult<ShareInfo> {
    Ok(sharing.share(board, settings, now()).await?)
}

/// Offers a hosted board on the local network or withdraws the offer.
#[tauri::command]
pub async fn offer_on_network(
    sharing: State<'_, Sharing>,
    board: BoardId,
    offer: bool,
) -> IpcResult<ShareInfo> {
    Ok(sharing.offer(board, offer, now()).await?)
}

/// Looks for boards offered on the local network.
#[tauri::command]
pub async fn discover_boards() -> IpcResult<Vec<FoundBoard>> {
    Ok(Sharing::discover().await?)
}

/// "Links erneuern": revokes every link of `role` and returns new ones.
#[tauri::command]
pub async fn renew_share_links(
    sharing: State<'_, Sharing>,
    board: BoardId,
    role: Role,
) -> IpcResult<ShareInfo> {
    Ok(sharing.renew(board, role, now()).await?)
}

/// Stops hosting or following `board`; it stays in the library.
#[tauri::command]
pub async fn stop_sharing(sharing: State<'_, Sharing>, board: BoardId) -> IpcResult<()> {
    Ok(sharing.stop(board).await?)
}

/// Joins a board by its link; returns it to be opened.
#[tauri::command]
pub async fn join_board(sharing: State<'_, Sharing>, link: String) -> IpcResult<BoardMeta> {
    Ok(sharing.join(&link, now()).await?)
}

/// The status of `board`'s live connection; `None` if it is not shared.
#[tauri::command]
pub async fn sync_status(
    sharing: State<'_, Sharing>,
    board: BoardId,
) -> IpcResult<Option<SyncStatus>> {
    Ok(sharing.status(board).await?)
}

/// Publishes where this user's pointer is and what they selected.
#[tauri::command]
pub fn set_presence(
    sharing: State<'_, Sharing>,
    board: BoardId,
    cursor: Option<Cursor>,
    selection: Vec<String>,
) {
    sharing.set_presence(board, cursor.map(Into::into), &selection);
}

/// Registers [`Sharing`] for the library in `dir` once the window's
/// application handle exists.
pub(crate) fn manage(app: &AppHandle, dir: std::path::PathBuf) {
    let sharing = Sharing::new(dir, Arc::new(Desktop { app: app.clone() }));
    if let Ok(workspace) = app.state::<AppState>().workspace() {
        sharing.introduce(person(workspace.user()));
    }
    app.manage(sharing);
}
