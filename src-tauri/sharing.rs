//! Sharing boards live: hosting a board from this laptop ("Board teilen"),
//! joining one by link, presence, and the status line.
//!
//! Hosting starts the sync server of `stellwand-sync` inside the app, on
//! the user's own library (the same SQLite file, through `LibraryStore`),
//! and issues an editor and a viewer link signed with the library's secret;
//! "Links erneuern" revokes the old ones. The host's own board joins its
//! server over loopback like any participant. A joined board is stored in
//! the library under its id and reconnects whenever it is opened, so it can
//! be edited offline and merges when the connection returns.
//!
//! Every live board runs a [`Link`]: received updates go through
//! `Workspace::apply_remote` (validated, stored, then shown through the
//! `sync-remote` event); what the workspace stores goes out through the
//! link. Status and participants arrive as `sync-status` events.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use stellwand_board::Changes;
use stellwand_library::Outcome;
use stellwand_store::Workspace;
use stellwand_store::{BoardId, BoardMeta};
use stellwand_sync::client::{ClientOptions, ClientStatus, ConnectionState};
use stellwand_sync::discovery::{Announcer, Offer, Scope};
use stellwand_sync::library_store::{self, LibraryAuthorizer, LibraryStore};
use stellwand_sync::link::{parse_join_link, Link};
use stellwand_sync::server::ServerConfig;
use stellwand_sync::token::{unix_now, Role};
use stellwand_sync::workshop::Hello;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::ipc::{IpcError, IpcResult};
use crate::state::{now, AppState};

/// The port a host listens on unless the user chose another.
pub const DEFAULT_PORT: u16 = 8737;
/// Orders status reports, see [`SyncStatus::seq`].
static STATUS_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
/// How long join links stay valid.
const LINK_DAYS: u64 = 30;

const SETTING_PORT: &str = "share.port";
const SETTING_BIND: &str = "share.bind";
const SETTING_ADDRESS: &str = "share.address";

fn joined_setting(board: BoardId) -> String {
    format!("sync.link.{board}")
}

/// Live sharing of this app.
pub struct Sharing {
    dir: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    host: Option<Host>,
    live: HashMap<BoardId, Live>,
    /// Boards offered on the local network (mDNS), started on first use.
    announcer: Option<Announcer>,
}

/// The embedded server.
struct Host {
    /// Where it listens.
    bound: SocketAddr,
    /// Boards this laptop hosts.
    boards: HashSet<BoardId>,
    /// Started for a workshop on a board that was not shared: it listens on
    /// 127.0.0.1 only, and "Teilen" restarts it for the network.
    local_only: bool,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

/// One board connected live.
struct Live {
    link: Arc<Link>,
    hosting: bool,
    local_only: bool,
    read_only: bool,
    tasks: Vec<JoinHandle<()>>,
}

impl Sharing {
    /// Sharing for the library in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock_inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Host settings the user can change (shown in the share dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostSettings {
    /// The address others use to reach this laptop (its address in the
    /// local network).
    pub address: String,
    /// The port the server listens on.
    pub port: u16,
    /// The interface it listens on: `0.0.0.0` for every network.
    pub bind: String,
}

/// A QR code as rows of modules (`1` dark, `0` light), drawn by the front
/// end on a canvas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Qr {
    pub size: usize,
    pub modules: String,
}

/// What the share dialog shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareInfo {
    pub settings: HostSettings,
    /// Whether the board is offered on the local network.
    pub offered: bool,
    pub editor_link: String,
    pub viewer_link: String,
    pub editor_qr: Qr,
    pub viewer_qr: Qr,
    pub status: SyncStatus,
    /// The remembered port that another program held when sharing started;
    /// the server then took the free port in `settings` instead.
    pub port_moved_from: Option<u16>,
}

/// One other participant, as the board shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantView {
    pub id: String,
    pub name: String,
    pub color: String,
    pub cursor: Option<Point>,
    pub selection: Vec<String>,
}

/// A board position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The status line of a live board.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub board: BoardId,
    /// Increases with every status report: events and command replies can
    /// arrive in any order, and the front end keeps the newest.
    pub seq: u64,
    /// `connecting`, `syncing`, `connected`, `offline`, `refused`, `closed`.
    pub state: &'static str,
    /// Why the server refused, for `refused`.
    pub reason: Option<String>,
    pub hosting: bool,
    /// Hosted for this computer only (127.0.0.1): nobody else can join.
    pub local_only: bool,
    pub read_only: bool,
    pub participants: Vec<ParticipantView>,
}

/// Payload of the `sync-remote` event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RemotePayload {
    pub board: BoardId,
    pub outcome: Outcome,
}

fn status_of(board: BoardId, live: &Live) -> SyncStatus {
    status_from(
        board,
        live.hosting,
        live.local_only,
        live.read_only,
        live.link.status(),
    )
}

fn status_from(
    board: BoardId,
    hosting: bool,
    local_only: bool,
    read_only: bool,
    status: Option<ClientStatus>,
) -> SyncStatus {
    let (state, reason) = match status.as_ref().map(|s| &s.state) {
        Some(ConnectionState::Connecting) => ("connecting", None),
        Some(ConnectionState::Syncing) => ("syncing", None),
        Some(ConnectionState::Connected) => ("connected", None),
        Some(ConnectionState::Offline) => ("offline", None),
        Some(ConnectionState::Refused(reason)) => ("refused", Some(reason.clone())),
        Some(ConnectionState::Closed) | None => ("closed", None),
    };
    let participants = status
        .map(|s| {
            s.participants
                .iter()
                .filter_map(|p| participant(p.client_id, &p.state))
                .collect()
        })
        .unwrap_or_default();
    SyncStatus {
        board,
        seq: STATUS_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        state,
        reason,
        hosting,
        local_only,
        read_only,
        participants,
    }
}

/// Reads a presence state as Stellwand and y-websocket apps publish it
/// (`{"user":{"name","color"},"cursor":{"x","y"},"selection":[..]}`);
/// states without a user are not shown.
fn participant(client_id: u64, state: &str) -> Option<ParticipantView> {
    let value: serde_json::Value = serde_json::from_str(state).ok()?;
    let user = value.get("user")?;
    let name: String = user.get("name")?.as_str()?.chars().take(60).collect();
    let color = user
        .get("color")
        .and_then(|c| c.as_str())
        .filter(|c| stellwand_board::is_valid_color(c) && c.starts_with('#'))
        .unwrap_or("#607d8b")
        .to_owned();
    let cursor = value
        .get("cursor")
        .and_then(|c| Some((c.get("x")?.as_f64()?, c.get("y")?.as_f64()?)))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| Point { x, y });
    let selection = value
        .get("selection")
        .and_then(|s| s.as_array())
        .map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .take(500)
                .collect()
        })
        .unwrap_or_default();
    Some(ParticipantView {
        id: client_id.to_string(),
        name,
        color,
        cursor,
        selection,
    })
}

/// A colour for the user, stable across sessions.
fn user_color(id: &str) -> &'static str {
    const COLORS: [&str; 8] = [
        "#d81b60", "#8e24aa", "#3949ab", "#039be5", "#00897b", "#7cb342", "#f4511e", "#6d4c41",
    ];
    let hash = id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    COLORS[hash as usize % COLORS.len()]
}

/// Selected items announced to others: a presence state above the server's
/// 64 KiB cap would be dropped, and the pointer would stop moving for them.
const MAX_SHARED_SELECTION: usize = 200;

fn presence(workspace: &Workspace, cursor: Option<Point>, selection: &[String]) -> String {
    let user = workspace.user();
    let selection: Vec<&str> = selection
        .iter()
        .take(MAX_SHARED_SELECTION)
        .map(|id| id.get(..64).unwrap_or(id))
        .collect();
    serde_json::json!({
        "user": {"name": user.name.chars().take(60).collect::<String>(), "color": user_color(&user.id)},
        "cursor": cursor.filter(|p| p.x.is_finite() && p.y.is_finite()),
        "selection": selection,
    })
    .to_string()
}

fn qr(text: &str) -> IpcResult<Qr> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| IpcError::new("invalid", format!("no QR code for the link: {e}")))?;
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| if c == qrcode::Color::Dark { '1' } else { '0' })
        .collect();
    Ok(Qr {
        size: code.width(),
        modules,
    })
}

/// This laptop's address in the local network: the source address the
/// system would use to reach an outside address. `connect` on a UDP socket
/// only chooses a route; nothing is sent.
fn local_address() -> String {
    let probe = || -> std::io::Result<IpAddr> {
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
        socket.connect(("192.0.2.1", 9))?;
        Ok(socket.local_addr()?.ip())
    };
    match probe() {
        Ok(ip) if !ip.is_unspecified() => ip.to_string(),
        _ => Ipv4Addr::LOCALHOST.to_string(),
    }
}

fn host_settings(workspace: &Workspace) -> IpcResult<HostSettings> {
    let library = workspace.library();
    let port = library
        .get_setting(SETTING_PORT)?
        .and_then(|p| p.parse().ok())
        .unwrap_or(DEFAULT_PORT);
    let bind = library
        .get_setting(SETTING_BIND)?
        .unwrap_or_else(|| Ipv4Addr::UNSPECIFIED.to_string());
    let address = library
        .get_setting(SETTING_ADDRESS)?
        .unwrap_or_else(local_address);
    Ok(HostSettings {
        address,
        port,
        bind,
    })
}

/// Starts a live link for `board` and the tasks that apply what arrives and
/// report the status.
fn start_live(
    app: &AppHandle,
    board: BoardId,
    url: &str,
    hosting: bool,
    local_only: bool,
    read_only: bool,
) -> IpcResult<Live> {
    let state = app.state::<AppState>();
    let mut workspace = state.workspace()?;
    let initial = workspace.board_state(board)?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let user = workspace.user();
    let options = ClientOptions {
        presence: Some(presence(&workspace, None, &[])),
        hello: Some(Hello {
            user: user.id,
            name: user.name,
        }),
        ..ClientOptions::default()
    };
    let link = Link::start(url, &initial, options, move |update| {
        // The receiver ends with the link; nothing to do then.
        let _ = tx.send(update);
    })
    .map_err(|e| IpcError::new("invalid_link", e.to_string()))?;
    let link = Arc::new(link);
    if !read_only {
        let out = Arc::clone(&link);
        workspace.set_forward(
            board,
            Some(Arc::new(move |update: &[u8]| {
                if let Err(e) = out.push_local(update) {
                    eprintln!("stellwand: a stored change could not be queued for sending: {e}");
                }
            })),
        );
    }
    drop(workspace);

    let remote_app = app.clone();
    let remote_link = Arc::clone(&link);
    let mut workshop_seen = crate::workshop_commands::Seen::default();
    let remote = tauri::async_runtime::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while let Ok(more) = rx.try_recv() {
                batch.push(more);
            }
            let state = remote_app.state::<AppState>();
            let applied = state
                .workspace()
                .and_then(|mut ws| Ok(ws.apply_remote(board, &batch, now())?));
            match applied {
                Ok((outcome, refused)) => {
                    for reason in refused {
                        eprintln!("stellwand: refused a change from the network: {reason}");
                    }
                    if outcome.changes != Changes::default() {
                        let _ = remote_app.emit("sync-remote", RemotePayload { board, outcome });
                    }
                    workshop_seen.notice(&remote_app, board, &remote_link);
                }
                Err(e) => eprintln!("stellwand: could not store a change from the network: {e:?}"),
            }
        }
    });

    let mut watch = link
        .watch_status()
        .ok_or_else(|| IpcError::new("storage", "the link has no status"))?;
    let status_app = app.clone();
    let status_task = tauri::async_runtime::spawn(async move {
        loop {
            let status = watch.borrow_and_update().clone();
            let payload = status_from(board, hosting, local_only, read_only, Some(status));
            let _ = status_app.emit("sync-status", payload);
            if watch.changed().await.is_err() {
                break;
            }
        }
    });
    let workshop_task = crate::workshop_commands::watch_workshop(app, board, &link)?;
    Ok(Live {
        link,
        hosting,
        local_only,
        read_only,
        tasks: vec![remote, status_task, workshop_task],
    })
}

/// Starts the embedded server if it is not running.
async fn ensure_host(
    sharing: &Sharing,
    settings: &HostSettings,
    local_only: bool,
) -> IpcResult<SocketAddr> {
    if let Some(host) = &sharing.lock_inner().host {
        return Ok(host.bound);
    }
    let bind: IpAddr = settings.bind.parse().map_err(|_| {
        IpcError::new(
            "invalid_address",
            format!("{:?} is not an IP address", settings.bind),
        )
    })?;
    let listener = tokio::net::TcpListener::bind((bind, settings.port))
        .await
        .map_err(|e| {
            IpcError::new(
                "port_in_use",
                format!("cannot listen on {}:{}: {e}", settings.bind, settings.port),
            )
        })?;
    let bound = listener
        .local_addr()
        .map_err(|e| IpcError::new("port_in_use", e.to_string()))?;
    let store = LibraryStore::open(&sharing.dir, None)?;
    let authorizer = LibraryAuthorizer::open(&sharing.dir)?;
    let config = ServerConfig::new(Arc::new(authorizer), Arc::new(store));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tauri::async_runtime::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = stellwand_sync::run(listener, config, shutdown).await {
            eprintln!("stellwand: the sharing server stopped: {e}");
        }
    });
    let mut inner = sharing.lock_inner();
    if let Some(host) = &inner.host {
        // Started concurrently by another call: keep that one.
        let _ = stop.send(());
        return Ok(host.bound);
    }
    inner.host = Some(Host {
        bound,
        boards: HashSet::new(),
        local_only,
        stop: Some(stop),
        task,
    });
    Ok(bound)
}

fn share_info(
    workspace: &Workspace,
    board: BoardId,
    settings: HostSettings,
    status: SyncStatus,
    offered: bool,
) -> IpcResult<ShareInfo> {
    let id = board.to_string();
    let link = |role| -> IpcResult<String> {
        let (token, _) = library_store::issue_token(
            workspace.library(),
            &id,
            role,
            unix_now(),
            LINK_DAYS * 86_400,
        )?;
        Ok(format!(
            "ws://{}:{}/b/{id}?token={}",
            settings.address,
            settings.port,
            token.as_str()
        ))
    };
    let editor_link = link(Role::Editor)?;
    let viewer_link = link(Role::Viewer)?;
    Ok(ShareInfo {
        editor_qr: qr(&editor_link)?,
        viewer_qr: qr(&viewer_link)?,
        editor_link,
        viewer_link,
        settings,
        offered,
        status,
        port_moved_from: None,
    })
}

/// "Board teilen": hosts `board` from this laptop and returns the links.
/// `settings` (address, port, interface) are remembered; changing the port
/// or interface restarts the server.
#[tauri::command]
pub async fn share_board(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
    settings: Option<HostSettings>,
) -> IpcResult<ShareInfo> {
    let settings_given = settings.is_some();
    let (settings, restart) = {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        workspace.library().board(board)?;
        let current = host_settings(&workspace)?;
        match settings {
            Some(new) => {
                let address_ok = !new.address.trim().is_empty()
                    && new.address.trim().chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
                    });
                if !address_ok {
                    return Err(IpcError::new(
                        "invalid_address",
                        format!("{:?} is not an address", new.address),
                    ));
                }
                if new.port == 0 {
                    return Err(IpcError::new("invalid_address", "port 0"));
                }
                let new = HostSettings {
                    address: new.address.trim().to_owned(),
                    port: new.port,
                    bind: new.bind.trim().to_owned(),
                };
                let library = workspace.library();
                library.set_setting(SETTING_PORT, &new.port.to_string())?;
                library.set_setting(SETTING_BIND, &new.bind)?;
                library.set_setting(SETTING_ADDRESS, &new.address)?;
                let restart = new.port != current.port || new.bind != current.bind;
                (new, restart)
            }
            None => (current, false),
        }
    };
    let local_only = sharing
        .lock_inner()
        .host
        .as_ref()
        .is_some_and(|host| host.local_only);
    if restart || local_only {
        stop_host(&app, &sharing).await;
    }
    let (bound, port_moved_from) = match ensure_host(&sharing, &settings, false).await {
        Ok(bound) => (bound, None),
        // The remembered port is held by another program. A dialog that
        // cannot open would leave no way to choose another one, so the
        // server takes a free port and remembers it: links stay the same
        // from then on. A port just chosen in the dialog is not replaced.
        Err(e) if e.code == "port_in_use" && !settings_given => {
            let free = HostSettings {
                port: 0,
                ..settings.clone()
            };
            let bound = ensure_host(&sharing, &free, false).await?;
            let state = app.state::<AppState>();
            state
                .workspace()?
                .library()
                .set_setting(SETTING_PORT, &bound.port().to_string())?;
            (bound, Some(settings.port))
        }
        Err(e) => return Err(e),
    };
    let settings = HostSettings {
        port: bound.port(),
        ..settings
    };
    let already = sharing
        .lock_inner()
        .live
        .get(&board)
        .is_some_and(|live| live.hosting);
    if !already {
        host_live(&app, &sharing, board, bound).await?;
    }
    let status = current_status(&sharing, board)
        .ok_or_else(|| IpcError::new("storage", "the board is not connected"))?;
    let offered = sharing
        .lock_inner()
        .announcer
        .as_ref()
        .is_some_and(|a| a.is_offered(&board.to_string()));
    let state = app.state::<AppState>();
    let workspace = state.workspace()?;
    let mut info = share_info(&workspace, board, settings, status, offered)?;
    info.port_moved_from = port_moved_from;
    Ok(info)
}

/// Connects `board` to the embedded server at `bound` as its facilitator
/// (a board joined from elsewhere is not hosted here as well).
async fn host_live(
    app: &AppHandle,
    sharing: &Sharing,
    board: BoardId,
    bound: SocketAddr,
) -> IpcResult<()> {
    stop_live(app, sharing, board).await;
    let own_ip = if bound.ip().is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        bound.ip()
    };
    let (token, _) = {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        library_store::issue_token(
            workspace.library(),
            &board.to_string(),
            Role::Facilitator,
            unix_now(),
            LINK_DAYS * 86_400,
        )?
    };
    let url = format!(
        "ws://{}/b/{board}?token={}",
        SocketAddr::new(own_ip, bound.port()),
        token.as_str()
    );
    let live = start_live(app, board, &url, true, bound.ip().is_loopback(), false)?;
    let mut inner = sharing.lock_inner();
    if let Some(host) = &mut inner.host {
        host.boards.insert(board);
    }
    inner.live.insert(board, live);
    Ok(())
}

/// Makes sure `board` has a live connection for workshop commands: a
/// shared or joined board keeps its own; any other board is hosted on this
/// computer only (127.0.0.1, a free port), with this user as facilitator.
pub(crate) async fn ensure_live(
    app: &AppHandle,
    sharing: &Sharing,
    board: BoardId,
) -> IpcResult<Arc<Link>> {
    if let Some(live) = sharing.lock_inner().live.get(&board) {
        return Ok(Arc::clone(&live.link));
    }
    app.state::<AppState>()
        .workspace()?
        .library()
        .board(board)?;
    if !connect_joined(app, sharing, board)? {
        let local = HostSettings {
            address: Ipv4Addr::LOCALHOST.to_string(),
            port: 0,
            bind: Ipv4Addr::LOCALHOST.to_string(),
        };
        let bound = ensure_host(sharing, &local, true).await?;
        host_live(app, sharing, board, bound).await?;
    }
    sharing
        .lock_inner()
        .live
        .get(&board)
        .map(|live| Arc::clone(&live.link))
        .ok_or_else(|| IpcError::new("storage", "the board is not connected"))
}

/// Tells the hosts of every live board this user's new name (votes and
/// the facilitator's name carry it from then on).
pub(crate) fn introduce_again(sharing: &Sharing, user: &stellwand_library::User) {
    for live in sharing.lock_inner().live.values() {
        live.link.set_hello(Hello {
            user: user.id.clone(),
            name: user.name.clone(),
        });
    }
}

/// The live link of `board`, whether this laptop hosts it, whether it is
/// read-only, and its participants.
pub(crate) fn live_of(
    sharing: &Sharing,
    board: BoardId,
) -> Option<(Arc<Link>, bool, bool, Vec<ParticipantView>)> {
    let inner = sharing.lock_inner();
    let live = inner.live.get(&board)?;
    let participants = status_of(board, live).participants;
    Some((
        Arc::clone(&live.link),
        live.hosting,
        live.read_only,
        participants,
    ))
}

/// Where discovery looks: the local networks, or loopback only when the
/// environment variable [`DISCOVERY_LOOPBACK_VAR`] is set (end-to-end tests
/// run the app in a network namespace of their own).
fn discovery_scope() -> Scope {
    if std::env::var_os(DISCOVERY_LOOPBACK_VAR).is_some_and(|v| !v.is_empty()) {
        Scope::Loopback
    } else {
        Scope::Network
    }
}

/// See [`discovery_scope`].
pub const DISCOVERY_LOOPBACK_VAR: &str = "STELLWAND_DISCOVERY_LOOPBACK";

/// Offers a hosted board on the local network (everyone there can then
/// join it as editor) or withdraws the offer.
#[tauri::command]
pub async fn offer_on_network(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
    offer: bool,
) -> IpcResult<ShareInfo> {
    let id = board.to_string();
    if offer {
        let port = sharing
            .lock_inner()
            .host
            .as_ref()
            .filter(|host| host.boards.contains(&board))
            .map(|host| host.bound.port())
            .ok_or_else(|| IpcError::new("not_shared", "the board is not hosted here"))?;
        let (title, host, address, token) = {
            let state = app.state::<AppState>();
            let workspace = state.workspace()?;
            let settings = host_settings(&workspace)?;
            let address: IpAddr = settings.address.parse().map_err(|_| {
                IpcError::new(
                    "invalid_address",
                    format!("{:?} is not an IP address", settings.address),
                )
            })?;
            let (token, _) = library_store::issue_token(
                workspace.library(),
                &id,
                Role::Editor,
                unix_now(),
                LINK_DAYS * 86_400,
            )?;
            (
                workspace.library().board(board)?.title,
                workspace.user().name,
                address,
                token,
            )
        };
        let offer = Offer {
            board: id,
            title,
            host,
            address,
            port,
            token: token.as_str().to_owned(),
        };
        let mut inner = sharing.lock_inner();
        if inner.announcer.is_none() {
            inner.announcer = Some(
                Announcer::new(discovery_scope())
                    .map_err(|e| IpcError::new("network", e.to_string()))?,
            );
        }
        if let Some(announcer) = &mut inner.announcer {
            announcer
                .offer(&offer)
                .map_err(|e| IpcError::new("network", e.to_string()))?;
        }
    } else if let Some(announcer) = &mut sharing.lock_inner().announcer {
        announcer.withdraw(&id);
    }
    share_board(app, sharing, board, None).await
}

/// A board offered on the local network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundBoard {
    pub board: String,
    pub title: String,
    pub host: String,
    pub link: String,
}

/// Looks for boards offered on the local network (for about three seconds).
#[tauri::command]
pub async fn discover_boards() -> IpcResult<Vec<FoundBoard>> {
    let scope = discovery_scope();
    let offers = tauri::async_runtime::spawn_blocking(move || {
        stellwand_sync::discovery::browse(scope, Duration::from_secs(3))
    })
    .await
    .map_err(|e| IpcError::new("network", e.to_string()))?
    .map_err(|e| IpcError::new("network", e.to_string()))?;
    Ok(offers
        .into_iter()
        .map(|offer| FoundBoard {
            link: offer.link(),
            board: offer.board,
            title: offer.title,
            host: offer.host,
        })
        .collect())
}

/// "Links erneuern": revokes every link of `role` for `board` (also ones
/// sent around already) and returns new ones.
#[tauri::command]
pub async fn renew_share_links(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
    role: Role,
) -> IpcResult<ShareInfo> {
    {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        library_store::revoke_tokens(workspace.library(), &board.to_string(), role, unix_now())?;
    }
    // The host's own connection keeps running: tokens are checked when a
    // connection opens. Renewing editor links renews its token too, for the
    // next reconnect.
    let offered = role == Role::Editor
        && sharing
            .lock_inner()
            .announcer
            .as_ref()
            .is_some_and(|a| a.is_offered(&board.to_string()));
    if role == Role::Editor {
        stop_live(&app, &sharing, board).await;
    }
    let info = share_board(app.clone(), sharing.clone(), board, None).await?;
    if offered {
        // The offer carried a revoked token: offer again with a new one.
        return offer_on_network(app, sharing, board, true).await;
    }
    Ok(info)
}

/// Stops hosting or following `board`; it stays in the library. The server
/// stops when it hosts no board any more.
#[tauri::command]
pub async fn stop_sharing(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
) -> IpcResult<()> {
    stop_live(&app, &sharing, board).await;
    if let Some(announcer) = &mut sharing.lock_inner().announcer {
        announcer.withdraw(&board.to_string());
    }
    {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        workspace.library().remove_setting(&joined_setting(board))?;
    }
    let idle = sharing
        .lock_inner()
        .host
        .as_ref()
        .is_some_and(|host| host.boards.is_empty());
    if idle {
        stop_host(&app, &sharing).await;
    }
    Ok(())
}

async fn stop_live(app: &AppHandle, sharing: &Sharing, board: BoardId) {
    let live = {
        let mut inner = sharing.lock_inner();
        if let Some(host) = &mut inner.host {
            host.boards.remove(&board);
        }
        inner.live.remove(&board)
    };
    if let Some(Live { link, tasks, .. }) = live {
        if let Ok(mut workspace) = app.state::<AppState>().workspace() {
            workspace.set_forward(board, None);
        }
        for task in tasks {
            task.abort();
        }
        // With the forwarder gone this is the last handle: close cleanly
        // (presence withdrawn, close frame sent). Otherwise dropping it
        // disconnects.
        if let Ok(link) = Arc::try_unwrap(link) {
            link.close().await;
        }
    }
}

async fn stop_host(app: &AppHandle, sharing: &Sharing) {
    let host = {
        let mut inner = sharing.lock_inner();
        // Offers name the old address and port.
        inner.announcer = None;
        inner.host.take()
    };
    if let Some(mut host) = host {
        for board in host.boards.drain() {
            stop_live(app, sharing, board).await;
        }
        if let Some(stop) = host.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), &mut host.task).await;
    }
}

fn current_status(sharing: &Sharing, board: BoardId) -> Option<SyncStatus> {
    let inner = sharing.lock_inner();
    inner.live.get(&board).map(|live| status_of(board, live))
}

/// Joins a board by its link: the board is added to the library under its
/// id (or found there) and connected; returns it to be opened.
#[tauri::command]
pub async fn join_board(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    link: String,
) -> IpcResult<BoardMeta> {
    let parsed = parse_join_link(&link)
        .ok_or_else(|| IpcError::new("invalid_link", format!("{link:?} is not a join link")))?;
    let board: BoardId = parsed
        .board
        .parse()
        .map_err(|_| IpcError::new("invalid_link", "the link does not name a Stellwand board"))?;
    if parsed.token.is_none() {
        return Err(IpcError::new("invalid_link", "the link has no token"));
    }
    let read_only = parsed.role.is_some_and(|role| !role.can_write());
    let meta = {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        let (meta, _) =
            workspace
                .library()
                .ensure_board(board, library_store::UNTITLED, None, now())?;
        workspace
            .library()
            .set_setting(&joined_setting(board), link.trim())?;
        meta
    };
    stop_live(&app, &sharing, board).await;
    let live = start_live(&app, board, link.trim(), false, false, read_only)?;
    let watch = live.link.watch_status();
    sharing.lock_inner().live.insert(board, live);
    Ok(wait_for_title(&app, board, watch).await.unwrap_or(meta))
}

/// The board as the library lists it once the first exchange brought its
/// title (a new board carries a placeholder until then); `None` if the host
/// cannot be reached or refuses within a few seconds.
async fn wait_for_title(
    app: &AppHandle,
    board: BoardId,
    status: Option<tokio::sync::watch::Receiver<ClientStatus>>,
) -> Option<BoardMeta> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while tokio::time::Instant::now() < deadline {
        let meta = {
            let state = app.state::<AppState>();
            let workspace = state.workspace().ok()?;
            workspace.library().board(board).ok()?
        };
        if meta.title != library_store::UNTITLED {
            return Some(meta);
        }
        let state = status.as_ref().map(|s| s.borrow().state.clone());
        if matches!(
            state,
            Some(ConnectionState::Refused(_) | ConnectionState::Offline | ConnectionState::Closed)
        ) {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// The status of `board`'s live connection; a joined board not connected
/// yet is connected now. `None` for a board that is not shared.
#[tauri::command]
pub async fn sync_status(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
) -> IpcResult<Option<SyncStatus>> {
    if let Some(status) = current_status(&sharing, board) {
        return Ok(Some(status));
    }
    if !connect_joined(&app, &sharing, board)? {
        return Ok(None);
    }
    Ok(current_status(&sharing, board))
}

/// Connects a board joined earlier by its stored link; `false` if the
/// board was never joined.
fn connect_joined(app: &AppHandle, sharing: &Sharing, board: BoardId) -> IpcResult<bool> {
    let link = {
        let state = app.state::<AppState>();
        let workspace = state.workspace()?;
        workspace.library().get_setting(&joined_setting(board))?
    };
    let Some(link) = link else {
        return Ok(false);
    };
    let read_only = parse_join_link(&link)
        .and_then(|l| l.role)
        .is_some_and(|role| !role.can_write());
    let live = start_live(app, board, &link, false, false, read_only)?;
    sharing.lock_inner().live.insert(board, live);
    Ok(true)
}

/// Publishes where this user's pointer is and what they selected.
#[tauri::command]
pub fn set_presence(
    app: AppHandle,
    sharing: State<'_, Sharing>,
    board: BoardId,
    cursor: Option<Point>,
    selection: Vec<String>,
) -> IpcResult<()> {
    let app_state = app.state::<AppState>();
    let (state, user) = {
        let workspace = app_state.workspace()?;
        (presence(&workspace, cursor, &selection), workspace.user())
    };
    if let Some(live) = sharing.lock_inner().live.get(&board) {
        live.link.set_presence(Some(state));
        // A new name reaches the host too (it is sent only when it changed).
        live.link.set_hello(Hello {
            user: user.id,
            name: user.name,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_of_yjs_apps_is_read_and_bad_values_are_ignored() {
        let p = participant(
            7,
            r##"{"user":{"name":"Ana","color":"#e91e63"},"cursor":{"x":1.5,"y":-2},"selection":["a","b"]}"##,
        )
        .unwrap();
        assert_eq!((p.name.as_str(), p.color.as_str()), ("Ana", "#e91e63"));
        assert_eq!(p.cursor, Some(Point { x: 1.5, y: -2.0 }));
        assert_eq!(p.selection, ["a", "b"]);
        let hostile = participant(
            8,
            r#"{"user":{"name":"<img src=x onerror=alert(1)>","color":"red;background:url(x)"},"cursor":{"x":"a"}}"#,
        )
        .unwrap();
        assert_eq!(hostile.color, "#607d8b", "only #rrggbb colours pass");
        assert_eq!(hostile.cursor, None);
        assert!(
            participant(9, r#"{"cursor":{"x":1,"y":1}}"#).is_none(),
            "no user, not shown"
        );
        assert!(participant(9, "not json").is_none());
    }

    #[test]
    fn a_presence_state_stays_under_the_servers_cap_whatever_is_selected() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = Workspace::open(dir.path(), &"N".repeat(500)).unwrap();
        let selection: Vec<String> = (0..10_000).map(|i| format!("{i:036}")).collect();
        let state = presence(
            &workspace,
            Some(Point {
                x: f64::NAN,
                y: 1.0,
            }),
            &selection,
        );
        assert!(
            state.len() < stellwand_sync::server::MAX_AWARENESS_STATE_BYTES,
            "{}",
            state.len()
        );
        let shown = participant(1, &state).unwrap();
        assert_eq!(shown.selection.len(), MAX_SHARED_SELECTION);
        assert_eq!(shown.cursor, None);
        assert_eq!(shown.name.chars().count(), 60);
    }

    #[test]
    fn qr_codes_encode_a_link() {
        let link = "ws://192.168.1.20:8737/b/01a21e6c-a012-71f1-9e45-dd58c520c2b6?token=eyJiIjoiMDFhMjFlNmMtYTAxMi03MWYxLTllNDUtZGQ1OGM1MjBjMmI2IiwiciI6ImVkaXRvciIsImlhdCI6MTc5NTgwNjc2NSwiZXhwIjoxNzk4Mzk4NzY1fQ._OhGnv815O91jw7I1Y4tuvPyfQksIAEUTBmnMMPs2O4";
        let code = qr(link).unwrap();
        assert_eq!(code.modules.len(), code.size * code.size);
        assert!(code.size >= 21);
        assert!(code.modules.contains('1') && code.modules.contains('0'));
    }

    #[test]
    fn user_colours_are_stable_and_from_the_palette() {
        assert_eq!(user_color("abc"), user_color("abc"));
        assert!(user_color("x").starts_with('#'));
    }
}
