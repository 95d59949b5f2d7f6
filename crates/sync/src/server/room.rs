//! One board in memory: its document, the connections on it, their
//! awareness, the workshop host, and the store writer every change passes
//! before anyone sees it.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio_util::sync::CancellationToken;
use yrs::{Doc, Transact, Update};

use super::accept::Shared;
use super::awareness::{AwarenessTable, Record};
use super::connection::PeerHandle;
use super::known::Known;
use super::metrics::{bump, Metrics};
use super::persist::{StoreQueue, Stored};
use crate::error::Error;
use crate::protocol::{AwarenessUpdate, Message};
use crate::session::apply_update;
use crate::store::{BoardId, BoardStore};
use crate::token::Role;
use crate::workshop::{self, Host, ToClient, Touched};

pub(super) struct Room {
    pub(super) id: BoardId,
    pub(super) doc: Doc,
    store: Arc<dyn BoardStore>,
    host: Mutex<Host>,
    /// What each connection's last applied update touched, by transaction
    /// origin (filled by [`workshop::observe`]).
    touched: Arc<Mutex<HashMap<String, Touched>>>,
    peers: Mutex<HashMap<u64, PeerHandle>>,
    awareness: AwarenessTable,
    known: Known,
    writer: StoreQueue,
    metrics: Arc<Metrics>,
    awareness_timeout: Duration,
    /// The host's clock, see [`super::ServerConfig::clock`].
    pub(super) clock: fn() -> i64,
}

impl Room {
    /// Loads the board from the store and starts its writer and awareness
    /// expiry on the server's background tasks.
    ///
    /// # Errors
    /// [`Error::Store`] if the board or its host record cannot be read.
    pub(super) async fn load(shared: Arc<Shared>, id: BoardId) -> Result<Arc<Room>, Error> {
        let store = shared.config.store.clone();
        let load_id = id.clone();
        let (doc, known, private) = tokio::task::spawn_blocking(move || -> Result<(Doc, Known, workshop::Private), Error> {
            let updates = store.load(&load_id)?;
            // Text offsets in UTF-16 code units, as JavaScript clients count.
            let doc = Doc::with_options(yrs::Options {
                offset_kind: yrs::OffsetKind::Utf16,
                ..yrs::Options::default()
            });
            let mut skipped = 0usize;
            for u in &updates {
                if let Err(e) = apply_update(&doc, u) {
                    skipped += 1;
                    tracing::warn!(board = %load_id, error = %e, "skipping a stored update that does not apply");
                }
            }
            tracing::info!(board = %load_id, updates = updates.len(), skipped, "board loaded");
            let known = Known::track(&doc);
            let private = match store.load_private(&load_id)? {
                None => workshop::Private::default(),
                Some(bytes) => workshop::Private::from_bytes(&bytes).unwrap_or_else(|e| {
                    tracing::error!(board = %load_id, error = %e, "the host record of this board is unreadable; starting without open rounds");
                    workshop::Private::default()
                }),
            };
            Ok((doc, known, private))
        })
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))??;
        let config = &shared.config;
        bump(&config.metrics.boards_loaded);
        let touched = Arc::new(Mutex::new(HashMap::new()));
        workshop::observe(&doc, touched.clone());
        let host = Host::new(&doc, private);
        let writer = StoreQueue::start(
            config.store.clone(),
            id.clone(),
            config.max_store_batch,
            &shared.background,
        );
        let room = Arc::new(Room {
            id,
            store: config.store.clone(),
            host: Mutex::new(host),
            touched,
            doc,
            peers: Mutex::new(HashMap::new()),
            awareness: AwarenessTable::default(),
            known,
            writer,
            metrics: config.metrics.clone(),
            awareness_timeout: config.awareness_timeout,
            clock: config.clock,
        });
        shared
            .background
            .spawn(expire(Arc::downgrade(&room), shared.cancel.clone()));
        Ok(room)
    }

    fn peers(&self) -> MutexGuard<'_, HashMap<u64, PeerHandle>> {
        self.peers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn host(&self) -> MutexGuard<'_, Host> {
        self.host.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a connection: from now on it receives every update.
    pub(super) fn register(&self, conn: u64, role: Role, peer: PeerHandle) {
        self.peers().insert(conn, peer);
        self.host().join(conn, role);
    }

    /// Forgets a connection and relays the removal of its awareness states.
    pub(super) fn unregister(&self, conn: u64) {
        self.peers().remove(&conn);
        self.host().leave(conn);
        self.remove_awareness_where(|r| r.owner == conn);
    }

    /// What the transaction with `origin` touched, taken out of the record.
    pub(super) fn take_touched(&self, origin: &str) -> Option<Touched> {
        self.touched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(origin)
    }

    /// Whether the document already holds everything in `update`, so that
    /// storing and forwarding it would change nothing (see [`Known`]).
    pub(super) fn holds_all_of(&self, update: &Update) -> bool {
        self.known.holds_all_of(&self.doc, update)
    }

    /// Applies a decoded update (already stored) with `origin`. The update
    /// is decoded once for both the change check and this; a panic inside
    /// yrs is contained as in [`crate::session::apply_update`].
    ///
    /// # Errors
    /// [`Error::Apply`] or [`Error::ApplyPanicked`] if yrs refuses it.
    pub(super) fn apply(&self, update: Update, origin: &str) -> Result<(), Error> {
        let result = catch_unwind(AssertUnwindSafe(|| {
            self.doc.transact_mut_with(origin).apply_update(update)
        }));
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Apply(e)),
            Err(_) => Err(Error::ApplyPanicked),
        }
    }

    /// Stores an update durably (group commit through the store writer).
    pub(super) async fn store(&self, update: Bytes) -> Stored {
        self.writer.store(update).await
    }

    /// Stores the host's private record; a failure is logged (the record in
    /// memory stays the truth and the next save carries it).
    pub(super) fn save_private(&self, host: &Host) {
        let bytes = host.private().to_bytes();
        if let Err(e) = self.store.save_private(&self.id, &bytes) {
            tracing::error!(board = %self.id, error = %e, "could not store the host record");
        }
    }

    /// Carries out what the host decided: its document update is stored and
    /// sent to everyone, then the personal messages go out.
    pub(super) async fn deliver(&self, from: u64, effects: workshop::Effects) -> Stored {
        if let Some(update) = effects.update {
            self.store(Bytes::from(update.clone())).await?;
            self.broadcast(0, &Bytes::from(Message::Update(&update).encode()));
        }
        let peers = self.peers();
        for (conn, msg) in effects.direct {
            if let Some(peer) = peers.get(&conn) {
                peer.push(workshop_frame(&msg), &self.metrics);
            }
        }
        if let Some(msg) = effects.everyone {
            let frame = workshop_frame(&msg);
            for conn in self.host().greeted() {
                if conn != from {
                    if let Some(peer) = peers.get(&conn) {
                        peer.push(frame.clone(), &self.metrics);
                    }
                }
            }
        }
        Ok(())
    }

    /// Queues `frame` to every connection but `from` (0: to all).
    pub(super) fn broadcast(&self, from: u64, frame: &Bytes) {
        let peers = self.peers();
        for (id, peer) in peers.iter() {
            if *id != from {
                peer.push(frame.clone(), &self.metrics);
                bump(&self.metrics.frames_forwarded);
            }
        }
    }

    /// Every known awareness state as one frame, if anyone is present.
    pub(super) fn awareness_snapshot(&self) -> Option<Bytes> {
        self.awareness.snapshot()
    }

    /// Takes what `conn` may publish of `update`, tells the host which
    /// client ids the connection uses, and relays the accepted entries.
    pub(super) fn apply_awareness(&self, conn: u64, update: AwarenessUpdate, now: Instant) {
        let accepted = self.awareness.apply(conn, update, now);
        if accepted.is_empty() {
            return;
        }
        {
            let mut host = self.host();
            for e in accepted.iter().filter(|e| !e.is_removal()) {
                host.saw_client(conn, e.client_id);
            }
        }
        let frame = AwarenessUpdate { entries: accepted }.to_frame();
        self.broadcast(conn, &Bytes::from(frame));
    }

    fn remove_awareness_where(&self, pred: impl Fn(&Record) -> bool) {
        if let Some(frame) = self.awareness.remove_where(pred) {
            self.broadcast(0, &frame);
        }
    }
}

fn workshop_frame(msg: &ToClient) -> Bytes {
    Bytes::from(Message::Workshop(&msg.to_bytes()).encode())
}

/// Removes awareness states not renewed within the room's timeout, until
/// the server stops or the room is unloaded.
async fn expire(room: Weak<Room>, cancel: CancellationToken) {
    let period = match room.upgrade() {
        Some(r) => (r.awareness_timeout / 6).max(Duration::from_millis(100)),
        None => return,
    };
    let mut tick = tokio::time::interval(period);
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = tick.tick() => {}
        }
        let Some(room) = room.upgrade() else { return };
        let now = Instant::now();
        let timeout = room.awareness_timeout;
        room.remove_awareness_where(|r| now.saturating_duration_since(r.updated) >= timeout);
    }
}
