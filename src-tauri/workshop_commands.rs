//! Workshop facilitation in the window: the state the host published, the
//! commands a facilitator or participant sends, and private drafts.
//!
//! The rules live on the host (`stellwand_sync::workshop`); these commands
//! only read its `workshop` map and pass commands over the board's live
//! link. A board that is not shared is hosted on this computer only the
//! first time a workshop command is used, so a facilitator with one laptop
//! and a projector has the same tools.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use stellwand_board::yrs::{self, Map, Out, ReadTxn, Transact};
use stellwand_board::ItemId;
use stellwand_library::drafts::{Draft, Drafts};
use stellwand_store::BoardId;
use stellwand_sync::client::WorkshopStatus;
use stellwand_sync::link::Link;
use stellwand_sync::workshop::{Command, MyVotes, WORKSHOP_ROOT};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::ipc::{IpcError, IpcResult};
use crate::sharing::{self, RemotePayload, Sharing};
use crate::state::{now, AppState};

/// How long a command waits for the host to greet a new connection.
const GREETING_TIMEOUT: Duration = Duration::from_secs(8);

/// A person present on the board, for handing the role on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub client: u64,
    pub name: String,
    pub color: String,
}

/// What the workshop panel shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkshopState {
    /// `facilitator`, `participant` or `viewer`.
    pub role: &'static str,
    /// Connected to a host.
    pub live: bool,
    /// The host's clock minus this computer's, in milliseconds.
    pub clock_offset_ms: i64,
    pub timer: Option<serde_json::Value>,
    pub private: Option<serde_json::Value>,
    pub present: Option<serde_json::Value>,
    pub summon: Option<serde_json::Value>,
    pub locks: Vec<String>,
    /// Voting rounds, oldest first.
    pub rounds: Vec<serde_json::Value>,
    /// Own votes in the open round.
    pub votes: Option<MyVotes>,
    pub facilitator: Option<String>,
    pub participants: Vec<Person>,
    /// Holds a facilitator link but handed the role on: may take it back.
    pub can_take_back: bool,
}

/// The `workshop` map of `doc` as JSON values.
fn read_workshop(doc: &yrs::Doc) -> serde_json::Map<String, serde_json::Value> {
    let txn = doc.transact();
    let mut out = serde_json::Map::new();
    if let Some(root) = txn.get_map(WORKSHOP_ROOT) {
        for (key, value) in root.iter(&txn) {
            if let Out::Any(any) = value {
                if let Ok(json) = serde_json::to_value(&any) {
                    out.insert(key.to_owned(), json);
                }
            }
        }
    }
    out
}

fn state_of(
    mut map: serde_json::Map<String, serde_json::Value>,
    role: &'static str,
    live: bool,
    status: Option<&WorkshopStatus>,
    participants: Vec<Person>,
) -> WorkshopState {
    let mut rounds: Vec<serde_json::Value> = map
        .iter()
        .filter(|(k, v)| k.starts_with("round:") && v.is_object())
        .map(|(_, v)| v.clone())
        .collect();
    rounds.sort_by(|a, b| {
        let t = |v: &serde_json::Value| v.get("started").and_then(serde_json::Value::as_f64);
        t(a).unwrap_or(0.0).total_cmp(&t(b).unwrap_or(0.0))
    });
    let locks = match map.get("locks") {
        Some(serde_json::Value::Object(locks)) => locks.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let object = |v: Option<serde_json::Value>| v.filter(serde_json::Value::is_object);
    WorkshopState {
        role,
        live,
        clock_offset_ms: status.map_or(0, |s| s.clock_offset_ms),
        timer: object(map.remove("timer")),
        private: object(map.remove("private")),
        present: object(map.remove("present")),
        summon: object(map.remove("summon")),
        locks,
        rounds,
        votes: status
            .and_then(|s| s.you.as_ref())
            .and_then(|y| y.votes.clone()),
        facilitator: map
            .remove("facilitator")
            .and_then(|v| v.as_str().map(str::to_owned)),
        participants,
        can_take_back: status
            .and_then(|s| s.you.as_ref())
            .is_some_and(|y| y.can_take_back),
    }
}

fn role_of(status: &WorkshopStatus, hosting: bool, read_only: bool) -> &'static str {
    match status.you.as_ref().map(|y| y.role.as_str()) {
        Some("facilitator") => "facilitator",
        Some("participant") => "participant",
        Some(_) => "viewer",
        // Not greeted yet: what the link grants.
        None if read_only => "viewer",
        None if hosting => "facilitator",
        None => "participant",
    }
}

/// The workshop state of `board` as this window should show it.
#[tauri::command]
pub fn workshop_state(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
) -> IpcResult<WorkshopState> {
    if let Some((link, hosting, read_only, people)) = sharing::live_of(&sharing, board) {
        let status = link
            .watch_workshop()
            .map(|w| w.borrow().clone())
            .unwrap_or_default();
        let live = link
            .status()
            .is_some_and(|s| matches!(s.state, stellwand_sync::client::ConnectionState::Connected));
        let participants = people
            .into_iter()
            .filter_map(|p| {
                Some(Person {
                    client: p.id.parse().ok()?,
                    name: p.name,
                    color: p.color,
                })
            })
            .collect();
        let role = role_of(&status, hosting, read_only);
        return Ok(state_of(
            read_workshop(link.mirror()),
            role,
            live,
            Some(&status),
            participants,
        ));
    }
    // Not shared: this user runs the board alone.
    let state = app.state::<AppState>();
    let map = state
        .workspace()?
        .read_board(board, |b| read_workshop(b.doc()))?;
    Ok(state_of(map, "facilitator", false, None, Vec::new()))
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
    let link = sharing::ensure_live(&app, &sharing, board).await?;
    wait_greeted(&link).await?;
    let view = matches!(cmd, Command::View { .. });
    link.command(cmd)
        .await
        .map_err(|r| IpcError::new(r.code.as_str(), r.message))?;
    if !view {
        let _ = app.emit("workshop-changed", BoardPayload { board });
    }
    Ok(())
}

/// The host's `workshop` map as a live board last showed it, so that a
/// change to it (timer, private writing, slides, locks, rounds) reaches the
/// window as `workshop-changed` even when no item changed.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    last: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Seen {
    /// Called after remote changes were applied: tells the window if the
    /// map changed, and publishes private drafts after a reveal.
    pub(crate) fn notice(&mut self, app: &AppHandle, board: BoardId, link: &Link) {
        let now = read_workshop(link.mirror());
        if self.last.as_ref() != Some(&now) {
            self.last = Some(now);
            let _ = app.emit("workshop-changed", BoardPayload { board });
            publish_if_revealed(app, board, link);
        }
    }
}

async fn wait_greeted(link: &Link) -> IpcResult<()> {
    let Some(mut watch) = link.watch_workshop() else {
        return Err(IpcError::new("offline", "the board is not connected"));
    };
    let greeted = async {
        loop {
            if watch.borrow_and_update().you.is_some() {
                return true;
            }
            if watch.changed().await.is_err() {
                return false;
            }
        }
    };
    match tokio::time::timeout(GREETING_TIMEOUT, greeted).await {
        Ok(true) => Ok(()),
        _ => Err(IpcError::new(
            "offline",
            "the host of this board cannot be reached",
        )),
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
struct BoardPayload {
    board: BoardId,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewPayload {
    board: BoardId,
    x: f64,
    y: f64,
    zoom: f64,
}

/// Emits `workshop-changed` when the host tells this window something new
/// about itself, and `workshop-view` for each view of the facilitator.
pub(crate) fn watch_workshop(
    app: &AppHandle,
    board: BoardId,
    link: &Arc<Link>,
) -> IpcResult<JoinHandle<()>> {
    let mut watch = link
        .watch_workshop()
        .ok_or_else(|| IpcError::new("storage", "the link has no workshop status"))?;
    let app = app.clone();
    let link = Arc::clone(link);
    Ok(tauri::async_runtime::spawn(async move {
        let mut views = 0;
        let mut told = None;
        loop {
            let status = watch.borrow_and_update().clone();
            // One wake-up can carry both news about this user and a view.
            let about_us = Some((status.you.clone(), status.clock_offset_ms));
            if told != about_us {
                told = about_us;
                let _ = app.emit("workshop-changed", BoardPayload { board });
                publish_if_revealed(&app, board, &link);
            }
            if status.view_seq != views {
                views = status.view_seq;
                if let Some(view) = status.view {
                    let _ = app.emit(
                        "workshop-view",
                        ViewPayload {
                            board,
                            x: view.x,
                            y: view.y,
                            zoom: view.zoom,
                        },
                    );
                }
            }
            if watch.changed().await.is_err() {
                break;
            }
        }
    }))
}

/// After the reveal (private writing off), puts this user's drafts of
/// `board` on the board; they travel to the others like any change.
pub(crate) fn publish_if_revealed(app: &AppHandle, board: BoardId, link: &Link) {
    let private = read_workshop(link.mirror()).remove("private");
    let on = private
        .as_ref()
        .and_then(|p| p.get("on"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    if on {
        return;
    }
    let anonymous = private
        .as_ref()
        .and_then(|p| p.get("anonymous"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let state = app.state::<AppState>();
    let published = state
        .workspace()
        .and_then(|mut ws| Ok(ws.publish_drafts(board, anonymous, now())?));
    match published {
        Ok(Some(outcome)) => {
            let _ = app.emit("sync-remote", RemotePayload { board, outcome });
            let _ = app.emit("workshop-changed", BoardPayload { board });
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
    if let Some((link, ..)) = sharing::live_of(&sharing, board) {
        publish_if_revealed(&app, board, &link);
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
