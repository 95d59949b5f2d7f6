//! One board connected live: its [`Link`], the tasks that hand what arrives
//! to the board's owner and report the status, and the status line.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::Serialize;
use stellwand_board::workshop::Workshop;
use stellwand_store::BoardId;
use tokio::task::JoinHandle;
use yrs::Doc;

use super::error::{Error, Result};
use super::{News, Owner, Person, Reveal};
use crate::client::{ClientOptions, ClientStatus, ConnectionState};
use crate::link::Link;
use crate::presence::{Participant, Presence};
use crate::workshop::Hello;

/// Orders status reports, see [`SyncStatus::seq`].
static STATUS_SEQ: AtomicU64 = AtomicU64::new(1);

/// Where a live connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LinkState {
    Connecting,
    Syncing,
    Connected,
    Offline,
    Refused,
    Closed,
}

/// The status line of a live board.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub board: BoardId,
    /// Increases with every status report: events and command replies can
    /// arrive in any order, and a window keeps the newest.
    pub seq: u64,
    pub state: LinkState,
    /// Why the server refused, for [`LinkState::Refused`].
    pub reason: Option<String>,
    /// This computer hosts the board.
    pub hosting: bool,
    /// Hosted for this computer only (127.0.0.1): nobody else can join.
    pub local_only: bool,
    pub read_only: bool,
    /// The other people on the board.
    pub participants: Vec<Participant>,
}

/// How a board is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mode {
    pub hosting: bool,
    pub local_only: bool,
    pub read_only: bool,
}

impl Mode {
    /// The status line for `status` of the link.
    pub fn status(self, board: BoardId, status: Option<&ClientStatus>) -> SyncStatus {
        let (state, reason) = match status.map(|s| &s.state) {
            Some(ConnectionState::Connecting) => (LinkState::Connecting, None),
            Some(ConnectionState::Syncing) => (LinkState::Syncing, None),
            Some(ConnectionState::Connected) => (LinkState::Connected, None),
            Some(ConnectionState::Offline) => (LinkState::Offline, None),
            Some(ConnectionState::Refused(reason)) => (LinkState::Refused, Some(reason.clone())),
            Some(ConnectionState::Closed) | None => (LinkState::Closed, None),
        };
        let participants = status
            .map(|s| {
                s.participants
                    .iter()
                    .filter_map(|p| Participant::from_state(p.client_id, &p.state))
                    .collect()
            })
            .unwrap_or_default();
        SyncStatus {
            board,
            seq: STATUS_SEQ.fetch_add(1, Ordering::Relaxed),
            state,
            reason,
            hosting: self.hosting,
            local_only: self.local_only,
            read_only: self.read_only,
            participants,
        }
    }
}

/// A board with a running link.
pub(crate) struct LiveBoard {
    pub link: Arc<Link>,
    pub mode: Mode,
    tasks: Vec<JoinHandle<()>>,
}

impl LiveBoard {
    /// Connects `board` at `url`, starting from the owner's state; what
    /// arrives goes to the owner, what the owner stores goes out (unless
    /// read-only). Must be called on a tokio runtime.
    ///
    /// # Errors
    /// [`Error::InvalidLink`] for a URL the client cannot use, the owner's
    /// error when its state cannot be read.
    pub fn start(
        owner: &Arc<dyn Owner>,
        board: BoardId,
        url: &str,
        mode: Mode,
        person: &Person,
    ) -> Result<LiveBoard> {
        let initial = owner.state(board).map_err(Error::Owner)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
        let options = ClientOptions {
            presence: Some(Presence::of(&person.id, &person.name, None, &[]).to_state()),
            hello: Some(Hello {
                user: person.id.clone(),
                name: person.name.clone(),
            }),
            ..ClientOptions::default()
        };
        let link = Link::start(url, &initial, options, move |update| {
            // The receiver ends with the link; nothing to do then.
            let _ = tx.send(update);
        })
        .map_err(|e| Error::InvalidLink(e.to_string()))?;
        let link = Arc::new(link);
        if !mode.read_only {
            let out = Arc::clone(&link);
            owner.forward(
                board,
                Some(Arc::new(move |update: &[u8]| {
                    if let Err(e) = out.push_local(update) {
                        tracing::warn!("a stored change could not be queued for sending: {e}");
                    }
                })),
            );
        }
        let tasks = vec![
            tokio::spawn(receive(Arc::clone(owner), board, Arc::clone(&link), rx)),
            tokio::spawn(report_status(
                Arc::clone(owner),
                board,
                Arc::clone(&link),
                mode,
            )),
            tokio::spawn(report_workshop(Arc::clone(owner), board, Arc::clone(&link))),
        ];
        Ok(LiveBoard { link, mode, tasks })
    }

    /// The status line now.
    pub fn status(&self, board: BoardId) -> SyncStatus {
        self.mode.status(board, self.link.status().as_ref())
    }

    /// Stops the tasks and closes the link cleanly (presence withdrawn,
    /// close frame sent) once the owner no longer forwards to it.
    pub async fn stop(self, owner: &Arc<dyn Owner>, board: BoardId) {
        owner.forward(board, None);
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
        // With the forwarder and the tasks gone this is the last handle.
        // Otherwise dropping it disconnects.
        if let Ok(link) = Arc::try_unwrap(self.link) {
            link.close().await;
        }
    }
}

/// Hands what arrives to the owner, in batches, and tells it when the
/// host's workshop map changed.
async fn receive(
    owner: Arc<dyn Owner>,
    board: BoardId,
    link: Arc<Link>,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
) {
    let mut seen = None;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        owner.receive(board, batch);
        let now = Workshop::of(link.mirror());
        if seen.as_ref() != Some(&now) {
            seen = Some(now);
            owner.notify(News::Workshop {
                board,
                reveal: reveal(link.mirror()),
            });
        }
    }
}

async fn report_status(owner: Arc<dyn Owner>, board: BoardId, link: Arc<Link>, mode: Mode) {
    let Some(mut watch) = link.watch_status() else {
        return;
    };
    drop(link);
    loop {
        let status = watch.borrow_and_update().clone();
        owner.notify(News::Status(mode.status(board, Some(&status))));
        if watch.changed().await.is_err() {
            break;
        }
    }
}

/// Tells the owner when the host says something new about this user, and
/// passes on each view of the facilitator.
async fn report_workshop(owner: Arc<dyn Owner>, board: BoardId, link: Arc<Link>) {
    let Some(mut watch) = link.watch_workshop() else {
        return;
    };
    let mut views = 0;
    let mut told = None;
    loop {
        let status = watch.borrow_and_update().clone();
        // One wake-up can carry both news about this user and a view.
        let about_us = Some((status.you.clone(), status.clock_offset_ms));
        if told != about_us {
            told = about_us;
            owner.notify(News::Workshop {
                board,
                reveal: reveal(link.mirror()),
            });
        }
        if status.view_seq != views {
            views = status.view_seq;
            if let Some(view) = status.view {
                owner.notify(News::View { board, view });
            }
        }
        if watch.changed().await.is_err() {
            break;
        }
    }
}

/// `Some` when private writing is off: drafts written during it belong on
/// the board now.
pub(crate) fn reveal(doc: &Doc) -> Option<Reveal> {
    let private = Workshop::of(doc).private;
    match private {
        Some(p) if p.on => None,
        _ => Some(Reveal {
            anonymous: private.is_some_and(|p| p.anonymous),
        }),
    }
}
