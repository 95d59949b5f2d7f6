//! Sharing boards live from an application: hosting a board from this
//! computer, joining one by link, presence, the status line, workshop
//! commands, and offering boards on the local network.
//!
//! [`Sharing`] is the one type the desktop shell, the command line and a
//! browser host use for this. It runs the embedded sync server (see
//! [`host`]) on the user's own library, issues links per role signed with
//! the library's secret, and keeps one [`Link`] per live board. The board's
//! document belongs to an [`Owner`] (the application layer): updates that
//! arrive are handed to it to validate, store and show; what it stores it
//! hands back through the forward sink, and the link sends it. What a
//! window should know arrives as [`News`].
//!
//! A joined board stays in the library under its id, with its link
//! remembered, and reconnects when it is asked for again, so it can be
//! edited offline and merges when the connection returns.

pub mod error;
pub mod host;
mod live;
mod owner;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use stellwand_store::{BoardId, BoardMeta, Library};

pub use self::error::{Error, Result};
use self::host::Host;
pub use self::host::{HostSettings, DEFAULT_PORT};
pub use self::live::{LinkState, SyncStatus};
use self::live::{LiveBoard, Mode};
pub use self::owner::{Forward, News, Owner, Person, Reveal};
use crate::client::{ClientStatus, ConnectionState, WorkshopStatus};
use crate::discovery::{Announcer, Offer, Scope};
use crate::library_store::{self, UNTITLED};
use crate::link::{parse_join_link, Link};
use crate::presence::{Participant, Point, Presence};
use crate::token::Role;
use crate::workshop::{Code, Command, Hello};

/// Longest join link accepted: links are remembered in the library and
/// shown as QR codes; real ones have about 250 characters.
const MAX_LINK_LEN: usize = 4096;
/// How long join links stay valid.
pub const LINK_DAYS: u64 = 30;
/// How long a command waits for the host to greet a new connection.
const GREETING_TIMEOUT: Duration = Duration::from_secs(8);
/// How long joining waits for the board's real title.
const TITLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Where discovery looks: set to anything to search loopback only (tests
/// run the app in a network namespace of their own).
pub const DISCOVERY_LOOPBACK_VAR: &str = "STELLWAND_DISCOVERY_LOOPBACK";

/// A QR code as rows of modules (`1` dark, `0` light).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Qr {
    pub size: usize,
    pub modules: String,
}

impl Qr {
    /// The QR code of `text`.
    ///
    /// # Errors
    /// [`Error::Qr`] for a text too long for a QR code.
    pub fn of(text: &str) -> Result<Qr> {
        let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| Error::Qr(e.to_string()))?;
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
}

/// What a share dialog shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// A board offered on the local network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FoundBoard {
    pub board: String,
    pub title: String,
    pub host: String,
    pub link: String,
}

/// A live board as the workshop panel needs it.
#[derive(Debug, Clone)]
pub struct LiveView {
    pub link: Arc<Link>,
    pub hosting: bool,
    pub read_only: bool,
    /// Connected to the host now.
    pub connected: bool,
    pub participants: Vec<Participant>,
    /// What the host said about this user.
    pub workshop: WorkshopStatus,
}

impl LiveView {
    /// This user's role on the board: what the host said after the
    /// greeting; before it, what the link grants (a read-only link views,
    /// the host of the board facilitates, anyone else takes part).
    #[must_use]
    pub fn role(&self) -> Role {
        match self.workshop.you.as_ref().map(|you| you.role.as_str()) {
            Some("facilitator") => Role::Facilitator,
            Some("participant") => Role::Editor,
            Some(_) => Role::Viewer,
            None if self.read_only => Role::Viewer,
            None if self.hosting => Role::Facilitator,
            None => Role::Editor,
        }
    }
}

/// Live sharing of one library.
pub struct Sharing {
    dir: PathBuf,
    owner: Arc<dyn Owner>,
    library: Mutex<Option<Library>>,
    inner: Mutex<Inner>,
    /// Serializes starting and stopping, which await in between.
    life: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Inner {
    host: Option<Host>,
    live: HashMap<BoardId, LiveBoard>,
    /// Boards offered on the local network (mDNS), started on first use.
    announcer: Option<Announcer>,
    person: Option<Person>,
}

fn joined_setting(board: BoardId) -> String {
    format!("sync.link.{board}")
}

fn seconds(now_ms: i64) -> u64 {
    u64::try_from(now_ms / 1000).unwrap_or(0)
}

impl Sharing {
    /// Sharing for the library in `dir`, whose boards `owner` holds.
    pub fn new(dir: PathBuf, owner: Arc<dyn Owner>) -> Self {
        Sharing {
            dir,
            owner,
            library: Mutex::new(None),
            inner: Mutex::new(Inner::default()),
            life: tokio::sync::Mutex::new(()),
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on this module's handle of the library (opened on first use).
    fn with_library<R>(&self, f: impl FnOnce(&Library) -> Result<R>) -> Result<R> {
        let mut slot = self.library.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(Library::open(&self.dir)?);
        }
        match slot.as_ref() {
            Some(library) => f(library),
            None => Err(Error::NotConnected),
        }
    }

    /// Who this user is to others; tells the hosts of every live board when
    /// the name changed (votes and the facilitator's name carry it).
    pub fn introduce(&self, person: Person) {
        let mut inner = self.inner();
        for live in inner.live.values() {
            live.link.set_hello(Hello {
                user: person.id.clone(),
                name: person.name.clone(),
            });
        }
        inner.person = Some(person);
    }

    fn person(&self) -> Person {
        self.inner().person.clone().unwrap_or(Person {
            id: String::new(),
            name: "Stellwand".into(),
        })
    }

    /// Hosts `board` from this computer and returns its links. `settings`
    /// (address, port, interface) are checked and remembered; a changed port
    /// or interface restarts the server. Without `settings`, a remembered
    /// port that another program holds is replaced by a free one (named in
    /// [`ShareInfo::port_moved_from`] and remembered).
    ///
    /// # Errors
    /// [`Error::InvalidAddress`], [`Error::PortInUse`] for a port the user
    /// chose, a library error ([`stellwand_store::Error::BoardNotFound`]).
    pub async fn share(
        &self,
        board: BoardId,
        settings: Option<HostSettings>,
        now_ms: i64,
    ) -> Result<ShareInfo> {
        let _life = self.life.lock().await;
        let given = settings.is_some();
        let settings = settings.map(HostSettings::checked).transpose()?;
        let (settings, restart) = self.with_library(|library| {
            library.board(board)?;
            let current = HostSettings::load(library)?;
            Ok(match settings {
                Some(new) => {
                    new.save(library)?;
                    let restart = new.port != current.port || new.bind != current.bind;
                    (new, restart)
                }
                None => (current, false),
            })
        })?;
        let local_only = self.inner().host.as_ref().is_some_and(|h| h.local_only);
        if restart || local_only {
            self.stop_host().await;
        }
        let (bound, port_moved_from) = match self.ensure_host(&settings, false).await {
            Ok(bound) => (bound, None),
            // A dialog that cannot open would leave no way to choose another
            // port, so the server takes a free one and remembers it: links
            // stay the same from then on. A port just chosen is not replaced.
            Err(Error::PortInUse { .. }) if !given => {
                let free = HostSettings {
                    port: 0,
                    ..settings.clone()
                };
                let bound = self.ensure_host(&free, false).await?;
                self.with_library(|library| HostSettings::save_port(library, bound.port()))?;
                (bound, Some(settings.port))
            }
            Err(e) => return Err(e),
        };
        let settings = HostSettings {
            port: bound.port(),
            ..settings
        };
        let hosting = self
            .inner()
            .live
            .get(&board)
            .is_some_and(|l| l.mode.hosting);
        if !hosting {
            self.host_live(board, now_ms).await?;
        }
        let mut info = self.share_info(board, settings, now_ms)?;
        info.port_moved_from = port_moved_from;
        Ok(info)
    }

    fn share_info(&self, board: BoardId, settings: HostSettings, now_ms: i64) -> Result<ShareInfo> {
        let id = board.to_string();
        let (editor_link, viewer_link) = self.with_library(|library| {
            let link = |role| -> Result<String> {
                let (token, _) = library_store::issue_token(
                    library,
                    &id,
                    role,
                    seconds(now_ms),
                    LINK_DAYS * 86_400,
                )?;
                Ok(format!(
                    "ws://{}:{}/b/{id}?token={}",
                    settings.address,
                    settings.port,
                    token.as_str()
                ))
            };
            Ok((link(Role::Editor)?, link(Role::Viewer)?))
        })?;
        let inner = self.inner();
        let status = inner
            .live
            .get(&board)
            .map(|live| live.status(board))
            .ok_or(Error::NotConnected)?;
        let offered = inner.announcer.as_ref().is_some_and(|a| a.is_offered(&id));
        drop(inner);
        Ok(ShareInfo {
            editor_qr: Qr::of(&editor_link)?,
            viewer_qr: Qr::of(&viewer_link)?,
            editor_link,
            viewer_link,
            settings,
            offered,
            status,
            port_moved_from: None,
        })
    }

    /// Starts the embedded server if it is not running; returns where it
    /// listens.
    async fn ensure_host(
        &self,
        settings: &HostSettings,
        local_only: bool,
    ) -> Result<std::net::SocketAddr> {
        if let Some(host) = &self.inner().host {
            return Ok(host.bound);
        }
        let host = Host::start(&self.dir, settings, local_only).await?;
        let bound = host.bound;
        self.inner().host = Some(host);
        Ok(bound)
    }

    /// Connects `board` to the embedded server as its facilitator.
    async fn host_live(&self, board: BoardId, now_ms: i64) -> Result<()> {
        self.stop_live(board).await;
        let Some((own, local_only)) = self
            .inner()
            .host
            .as_ref()
            .map(|h| (h.own_address(), h.bound.ip().is_loopback()))
        else {
            return Err(Error::NotShared);
        };
        let (token, _) = self.with_library(|library| {
            Ok(library_store::issue_token(
                library,
                &board.to_string(),
                Role::Facilitator,
                seconds(now_ms),
                LINK_DAYS * 86_400,
            )?)
        })?;
        let url = format!("ws://{own}/b/{board}?token={}", token.as_str());
        let mode = Mode {
            hosting: true,
            local_only,
            read_only: false,
        };
        let live = LiveBoard::start(&self.owner, board, &url, mode, &self.person())?;
        let mut inner = self.inner();
        if let Some(host) = &mut inner.host {
            host.boards.insert(board);
        }
        inner.live.insert(board, live);
        Ok(())
    }

    /// Makes sure `board` is live for workshop commands: a shared or joined
    /// board keeps its connection; any other board is hosted on this
    /// computer only (127.0.0.1, a free port), with this user as facilitator.
    ///
    /// # Errors
    /// A library error ([`stellwand_store::Error::BoardNotFound`]), or the
    /// server could not start.
    pub async fn ensure_live(&self, board: BoardId, now_ms: i64) -> Result<Arc<Link>> {
        let _life = self.life.lock().await;
        if let Some(live) = self.inner().live.get(&board) {
            return Ok(Arc::clone(&live.link));
        }
        self.with_library(|library| Ok(library.board(board)?))?;
        if !self.connect_joined(board)? {
            self.ensure_host(&HostSettings::loopback(), true).await?;
            self.host_live(board, now_ms).await?;
        }
        self.inner()
            .live
            .get(&board)
            .map(|live| Arc::clone(&live.link))
            .ok_or(Error::NotConnected)
    }

    /// Offers a hosted board on the local network (everyone there can then
    /// join it as editor) or withdraws the offer; returns the dialog's view.
    ///
    /// # Errors
    /// [`Error::NotShared`] for a board not hosted here, [`Error::Network`].
    pub async fn offer(&self, board: BoardId, offer: bool, now_ms: i64) -> Result<ShareInfo> {
        let id = board.to_string();
        if offer {
            let port = self
                .inner()
                .host
                .as_ref()
                .filter(|host| host.boards.contains(&board))
                .map(|host| host.bound.port())
                .ok_or(Error::NotShared)?;
            let (title, address, token) = self.with_library(|library| {
                let settings = HostSettings::load(library)?;
                let address: IpAddr = settings
                    .address
                    .parse()
                    .map_err(|_| Error::InvalidAddress(settings.address.clone()))?;
                let (token, _) = library_store::issue_token(
                    library,
                    &id,
                    Role::Editor,
                    seconds(now_ms),
                    LINK_DAYS * 86_400,
                )?;
                Ok((library.board(board)?.title, address, token))
            })?;
            let offer = Offer {
                board: id,
                title,
                host: self.person().name,
                address,
                port,
                token: token.as_str().to_owned(),
            };
            let mut inner = self.inner();
            if inner.announcer.is_none() {
                inner.announcer = Some(
                    Announcer::new(discovery_scope()).map_err(|e| Error::Network(e.to_string()))?,
                );
            }
            if let Some(announcer) = &mut inner.announcer {
                announcer
                    .offer(&offer)
                    .map_err(|e| Error::Network(e.to_string()))?;
            }
        } else if let Some(announcer) = &mut self.inner().announcer {
            announcer.withdraw(&id);
        }
        self.share(board, None, now_ms).await
    }

    /// Looks for boards offered on the local network (for about three
    /// seconds).
    ///
    /// # Errors
    /// [`Error::Network`].
    pub async fn discover() -> Result<Vec<FoundBoard>> {
        let scope = discovery_scope();
        let offers = tokio::task::spawn_blocking(move || {
            crate::discovery::browse(scope, Duration::from_secs(3))
        })
        .await
        .map_err(|e| Error::Network(e.to_string()))?
        .map_err(|e| Error::Network(e.to_string()))?;
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

    /// Revokes every link of `role` for `board` (also ones sent around
    /// already) and returns new ones. Renewing editor links reconnects this
    /// computer with a new token too, and offers the board again if it was
    /// offered.
    ///
    /// # Errors
    /// As [`Sharing::share`].
    pub async fn renew(&self, board: BoardId, role: Role, now_ms: i64) -> Result<ShareInfo> {
        self.with_library(|library| {
            library_store::revoke_tokens(library, &board.to_string(), role, seconds(now_ms))?;
            Ok(())
        })?;
        let offered = role == Role::Editor
            && self
                .inner()
                .announcer
                .as_ref()
                .is_some_and(|a| a.is_offered(&board.to_string()));
        if role == Role::Editor {
            let _life = self.life.lock().await;
            self.stop_live(board).await;
        }
        let info = self.share(board, None, now_ms).await?;
        if offered {
            // The offer carried a revoked token: offer again with a new one.
            return self.offer(board, true, now_ms).await;
        }
        Ok(info)
    }

    /// Stops hosting or following `board`; it stays in the library. The
    /// server stops when it hosts no board any more.
    ///
    /// # Errors
    /// A library error.
    pub async fn stop(&self, board: BoardId) -> Result<()> {
        let _life = self.life.lock().await;
        self.stop_live(board).await;
        if let Some(announcer) = &mut self.inner().announcer {
            announcer.withdraw(&board.to_string());
        }
        self.with_library(|library| {
            library.remove_setting(&joined_setting(board))?;
            Ok(())
        })?;
        let idle = self
            .inner()
            .host
            .as_ref()
            .is_some_and(|host| host.boards.is_empty());
        if idle {
            self.stop_host().await;
        }
        Ok(())
    }

    /// Stops every live board and the server (the application is closing).
    pub async fn shut_down(&self) {
        let _life = self.life.lock().await;
        let boards: Vec<BoardId> = self.inner().live.keys().copied().collect();
        for board in boards {
            self.stop_live(board).await;
        }
        self.stop_host().await;
    }

    async fn stop_live(&self, board: BoardId) {
        let live = {
            let mut inner = self.inner();
            if let Some(host) = &mut inner.host {
                host.boards.remove(&board);
            }
            inner.live.remove(&board)
        };
        if let Some(live) = live {
            live.stop(&self.owner, board).await;
        }
    }

    async fn stop_host(&self) {
        let host = {
            let mut inner = self.inner();
            // Offers name the old address and port.
            inner.announcer = None;
            inner.host.take()
        };
        if let Some(host) = host {
            for board in host.boards.iter().copied().collect::<Vec<_>>() {
                self.stop_live(board).await;
            }
            host.stop().await;
        }
    }

    /// Joins a board by its link: the board is added to the library under
    /// its id (or found there), the link is remembered, and the board is
    /// connected. Returns the board once the first exchange brought its
    /// title, or as the library lists it if the host cannot be reached
    /// within a few seconds.
    ///
    /// # Errors
    /// [`Error::InvalidLink`] for a link that does not name a Stellwand
    /// board or has no token; a library error.
    pub async fn join(&self, link: &str, now_ms: i64) -> Result<BoardMeta> {
        let link = link.trim();
        if link.len() > MAX_LINK_LEN {
            return Err(Error::InvalidLink(format!(
                "a join link has at most {MAX_LINK_LEN} characters, this one {}",
                link.len()
            )));
        }
        let parsed = parse_join_link(link)
            .ok_or_else(|| Error::InvalidLink(format!("{link:?} is not a join link")))?;
        let board: BoardId = parsed
            .board
            .parse()
            .map_err(|_| Error::InvalidLink("the link does not name a Stellwand board".into()))?;
        if parsed.token.is_none() {
            return Err(Error::InvalidLink("the link has no token".into()));
        }
        let read_only = parsed.role.is_some_and(|role| !role.can_write());
        let meta = self.with_library(|library| {
            let (meta, _) = library.ensure_board(board, UNTITLED, None, now_ms)?;
            library.set_setting(&joined_setting(board), link)?;
            Ok(meta)
        })?;
        let watch = {
            let _life = self.life.lock().await;
            self.stop_live(board).await;
            let mode = Mode {
                hosting: false,
                local_only: false,
                read_only,
            };
            let live = LiveBoard::start(&self.owner, board, link, mode, &self.person())?;
            let watch = live.link.watch_status();
            self.inner().live.insert(board, live);
            watch
        };
        Ok(self.wait_for_title(board, watch).await.unwrap_or(meta))
    }

    async fn wait_for_title(
        &self,
        board: BoardId,
        status: Option<tokio::sync::watch::Receiver<ClientStatus>>,
    ) -> Option<BoardMeta> {
        let deadline = tokio::time::Instant::now() + TITLE_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            let meta = self.with_library(|l| Ok(l.board(board)?)).ok()?;
            if meta.title != UNTITLED {
                return Some(meta);
            }
            let state = status.as_ref().map(|s| s.borrow().state.clone());
            if matches!(
                state,
                Some(
                    ConnectionState::Refused(_)
                        | ConnectionState::Offline
                        | ConnectionState::Closed
                )
            ) {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// The status of `board`'s live connection; a board joined earlier and
    /// not connected yet is connected now. `None` for a board that is not
    /// shared.
    ///
    /// # Errors
    /// A library error, or the remembered link cannot be used.
    pub async fn status(&self, board: BoardId) -> Result<Option<SyncStatus>> {
        let _life = self.life.lock().await;
        if let Some(live) = self.inner().live.get(&board) {
            return Ok(Some(live.status(board)));
        }
        if !self.connect_joined(board)? {
            return Ok(None);
        }
        Ok(self.inner().live.get(&board).map(|l| l.status(board)))
    }

    /// Connects a board joined earlier by its remembered link; `false` if
    /// the board was never joined.
    fn connect_joined(&self, board: BoardId) -> Result<bool> {
        let link = self.with_library(|library| Ok(library.get_setting(&joined_setting(board))?))?;
        let Some(link) = link else {
            return Ok(false);
        };
        let read_only = parse_join_link(&link)
            .and_then(|l| l.role)
            .is_some_and(|role| !role.can_write());
        let mode = Mode {
            hosting: false,
            local_only: false,
            read_only,
        };
        let live = LiveBoard::start(&self.owner, board, &link, mode, &self.person())?;
        self.inner().live.insert(board, live);
        Ok(true)
    }

    /// Publishes where this user's pointer is and what they selected, and
    /// the user's name (sent to the host only when it changed).
    pub fn set_presence(&self, board: BoardId, cursor: Option<Point>, selection: &[String]) {
        let person = self.person();
        if let Some(live) = self.inner().live.get(&board) {
            let presence = Presence::of(&person.id, &person.name, cursor, selection);
            live.link.set_presence(Some(presence.to_state()));
            live.link.set_hello(Hello {
                user: person.id,
                name: person.name,
            });
        }
    }

    /// A live board as the workshop panel needs it; `None` if `board` is
    /// not live.
    #[must_use]
    pub fn live(&self, board: BoardId) -> Option<LiveView> {
        let inner = self.inner();
        let live = inner.live.get(&board)?;
        let status = live.link.status();
        Some(LiveView {
            link: Arc::clone(&live.link),
            hosting: live.mode.hosting,
            read_only: live.mode.read_only,
            connected: status
                .as_ref()
                .is_some_and(|s| s.state == ConnectionState::Connected),
            participants: live.mode.status(board, status.as_ref()).participants,
            workshop: live
                .link
                .watch_workshop()
                .map(|w| w.borrow().clone())
                .unwrap_or_default(),
        })
    }

    /// `Some` when `board` is live and private writing on it is off, so
    /// this user's drafts belong on the board.
    #[must_use]
    pub fn reveal(&self, board: BoardId) -> Option<Reveal> {
        let link = self.inner().live.get(&board).map(|l| Arc::clone(&l.link))?;
        live::reveal(link.mirror())
    }

    /// Sends a workshop command for `board` to its host (hosting the board
    /// on this computer first if it is not live) and waits for the answer.
    ///
    /// # Errors
    /// [`Error::Refused`] with the host's reason, [`Error::Offline`] when the
    /// host does not greet this connection in time.
    pub async fn command(&self, board: BoardId, cmd: Command, now_ms: i64) -> Result<()> {
        let link = self.ensure_live(board, now_ms).await?;
        wait_greeted(&link).await?;
        link.command(cmd)
            .await
            .map_err(|refusal| match refusal.code {
                Code::Offline => Error::Offline,
                _ => Error::Refused(refusal),
            })
    }
}

async fn wait_greeted(link: &Link) -> Result<()> {
    let Some(mut watch) = link.watch_workshop() else {
        return Err(Error::Offline);
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
        _ => Err(Error::Offline),
    }
}

/// The local networks, or loopback only when [`DISCOVERY_LOOPBACK_VAR`] is
/// set.
fn discovery_scope() -> Scope {
    if std::env::var_os(DISCOVERY_LOOPBACK_VAR).is_some_and(|v| !v.is_empty()) {
        Scope::Loopback
    } else {
        Scope::Network
    }
}
