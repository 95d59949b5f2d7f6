//! Workshop facilitation in the window: the state the host published, the
//! commands a facilitator or participant sends, and private drafts.
//!
//! The rules live on the host (`stellwand_sync::workshop`); these commands
//! only read its `workshop` map and pass commands over the board's live
//! link. A board that is not shared is hosted on this computer only the
//! first time a workshop command is used, so a facilitator with one laptop
//! and a projector has the same tools.

use serde::Serialize;
use stellwand_board::workshop::Workshop;
use stellwand_board::ItemId;
use stellwand_library::drafts::routing::{Refusal, Role, RouteError};
use stellwand_library::drafts::{Draft, Drafts};
use stellwand_store::{BoardId, Workspace};
use stellwand_sync::client::WorkshopStatus;
use stellwand_sync::sharing::{Reveal, Sharing};
use stellwand_sync::token::Role as TokenRole;
use stellwand_sync::workshop::{Command, MyVotes};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::contract::{ErrorCode, RemoteChange, WorkshopChanged};
use crate::ipc::{IpcError, IpcResult};
use crate::state::{now, AppState};

/// A person present on the board, for handing the role on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub client: u64,
    pub name: String,
    pub color: String,
}

/// What the workshop panel shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkshopState {
    /// `facilitator`, `participant` or `viewer`.
    #[cfg_attr(test, ts(type = r#""facilitator" | "participant" | "viewer""#))]
    pub role: &'static str,
    /// Connected to a host.
    pub live: bool,
    /// The host's clock minus this computer's, in milliseconds.
    pub clock_offset_ms: i64,
    /// What the host published: timer, private writing, slide, summon,
    /// locks, voting rounds (oldest first) and the facilitator's name.
    #[serde(flatten)]
    pub workshop: Workshop,
    /// Own votes in the open round.
    pub votes: Option<MyVotes>,
    pub participants: Vec<Person>,
    /// Holds a facilitator link but handed the role on: may take it back.
    pub can_take_back: bool,
}

fn state_of(
    workshop: Workshop,
    role: &'static str,
    live: bool,
    status: Option<&WorkshopStatus>,
    participants: Vec<Person>,
) -> WorkshopState {
    WorkshopState {
        role,
        live,
        clock_offset_ms: status.map_or(0, |s| s.clock_offset_ms),
        workshop,
        votes: status
            .and_then(|s| s.you.as_ref())
            .and_then(|y| y.votes.clone()),
        participants,
        can_take_back: status
            .and_then(|s| s.you.as_ref())
            .is_some_and(|y| y.can_take_back),
    }
}

/// The role as the workshop panel names it.
fn role_name(role: TokenRole) -> &'static str {
    match role {
        TokenRole::Facilitator => "facilitator",
        TokenRole::Editor => "participant",
        TokenRole::Viewer => "viewer",
    }
}

/// The workshop state of `board` and this user's role, as the routing of
/// intents needs them: what the host published on a live board, otherwise
/// the board's own state with this user as its facilitator (running it alone).
pub(crate) fn workshop_and_role(
    workspace: &mut Workspace,
    sharing: &Sharing,
    board: BoardId,
) -> IpcResult<(Workshop, Role)> {
    if let Some(live) = sharing.live(board) {
        let role = match live.role() {
            TokenRole::Facilitator => Role::Facilitator,
            TokenRole::Editor => Role::Participant,
            TokenRole::Viewer => Role::Viewer,
        };
        return Ok((Workshop::of(live.link.mirror()), role));
    }
    let workshop = workspace.read_board(board, |b| Workshop::of(b.doc()))?;
    Ok((workshop, Role::Facilitator))
}

impl From<RouteError> for IpcError {
    fn from(error: RouteError) -> Self {
        match error {
            RouteError::Library(error) => error.into(),
            RouteError::Refused(refusal) => {
                let code = match refusal {
                    Refusal::Locked => ErrorCode::Locked,
                    Refusal::NotYet => ErrorCode::NotYet,
                    // Not returned as an error (an empty outcome); kept total.
                    Refusal::Silent => ErrorCode::Invalid,
                };
                Self::new(code, error.to_string())
            }
        }
    }
}

/// The workshop state of `board` as this window should show it.
#[tauri::command]
pub fn workshop_state(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
) -> IpcResult<WorkshopState> {
    if let Some(live) = sharing.live(board) {
        let role = role_name(live.role());
        let participants = live
            .participants
            .into_iter()
            .filter_map(|p| {
                Some(Person {
                    client: p.client()?,
                    name: p.name,
                    color: p.color,
                })
            })
            .collect();
        return Ok(state_of(
            Workshop::of(live.link.mirror()),
            role,
            live.connected,
            Some(&live.workshop),
            participants,
        ));
    }
    // Not shared: this user runs the board alone.
    let state = app.state::<AppState>();
    let workshop = state
        .workspace()?
        .read_board(board, |b| Workshop::of(b.doc()))?;
    Ok(state_of(workshop, "facilitator", false, None, Vec::new()))
}

/// Sends a workshop command for `board` to its host (hosting the board on
/// this computer first if it is not shared) and waits for the answer.
#[tauri::command]
pub async fn workshop_command(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
    cmd: Command,
) -> IpcResult<()> {
    let view = matches!(cmd, Command::View { .. });
    sharing.command(board, cmd, now()).await?;
    if !view {
        let _ = app.emit("workshop-changed", WorkshopChanged { board });
    }
    Ok(())
}

/// After the reveal (private writing off), puts this user's drafts of
/// `board` on the board; they travel to the others like any change.
pub(crate) fn publish_drafts(app: &AppHandle, board: BoardId, reveal: Reveal) {
    let state = app.state::<AppState>();
    let published = state
        .workspace()
        .and_then(|mut ws| Ok(ws.publish_drafts(board, reveal.anonymous, now())?));
    match published {
        Ok(Some(outcome)) => {
            let _ = app.emit("sync-remote", RemoteChange { board, outcome });
            let _ = app.emit("workshop-changed", WorkshopChanged { board });
        }
        Ok(None) => {}
        Err(e) => eprintln!("stellwand: private notes could not be put on the board: {e:?}"),
    }
}

/// This user's private drafts of `board`.
#[tauri::command]
pub fn list_drafts(app: AppHandle, board: BoardId) -> IpcResult<Vec<Draft>> {
    let state = app.state::<AppState>();
    let workspace = state.workspace()?;
    Ok(workspace.library().drafts(board)?)
}

/// Stores a private draft (new or changed). If private writing has ended
/// meanwhile, it goes on the board at once.
#[tauri::command]
pub fn save_draft(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
    draft: Draft,
) -> IpcResult<()> {
    {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        workspace.library().board(board)?;
        workspace.library().save_draft(board, &draft)?;
    }
    if let Some(reveal) = sharing.reveal(board) {
        publish_drafts(&app, board, reveal);
    }
    Ok(())
}

/// Deletes a private draft.
#[tauri::command]
pub fn delete_draft(app: AppHandle, board: BoardId, id: ItemId) -> IpcResult<bool> {
    let state = app.state::<AppState>();
    let workspace = state.workspace()?;
    Ok(workspace.library().delete_draft(board, id)?)
}
