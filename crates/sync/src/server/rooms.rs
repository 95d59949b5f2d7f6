//! The boards a server holds in memory: a room is loaded by its first
//! connection (concurrent joiners wait for the same load) and unloaded a
//! while after its last connection left, so a quick rejoin finds it warm.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OnceCell;

use super::accept::Shared;
use super::room::Room;
use crate::error::Error;
use crate::store::BoardId;

/// The rooms of one server, by board.
#[derive(Default)]
pub(super) struct Rooms {
    map: Mutex<HashMap<BoardId, Entry>>,
}

struct Entry {
    cell: Arc<OnceCell<Arc<Room>>>,
    /// Connections that joined and have not left.
    joined: usize,
}

impl Rooms {
    fn lock(&self) -> MutexGuard<'_, HashMap<BoardId, Entry>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops every room (on shutdown, after the last connection ended).
    pub(super) fn clear(&self) {
        self.lock().clear();
    }
}

/// Joins the room of `id`, loading it from the store if needed. Every
/// successful join must be paired with a [`leave`].
///
/// # Errors
/// What [`Room::load`] reports; the join is then already undone.
pub(super) async fn join(shared: &Arc<Shared>, id: &BoardId) -> Result<Arc<Room>, Error> {
    let cell = {
        let mut rooms = shared.rooms.lock();
        let entry = rooms.entry(id.clone()).or_insert_with(|| Entry {
            cell: Arc::new(OnceCell::new()),
            joined: 0,
        });
        entry.joined += 1;
        entry.cell.clone()
    };
    let result = cell
        .get_or_try_init(|| Room::load(shared.clone(), id.clone()))
        .await
        .cloned();
    if result.is_err() {
        leave(shared, id);
    }
    result
}

/// Drops a connection's reference to a room; the last one schedules its
/// unload after [`ServerConfig::board_idle_unload`](super::ServerConfig::board_idle_unload).
pub(super) fn leave(shared: &Arc<Shared>, id: &BoardId) {
    let cell = {
        let mut rooms = shared.rooms.lock();
        let Some(entry) = rooms.get_mut(id) else {
            return;
        };
        entry.joined = entry.joined.saturating_sub(1);
        if entry.joined > 0 {
            return;
        }
        entry.cell.clone()
    };
    let task_shared = shared.clone();
    let id = id.clone();
    let idle = shared.config.board_idle_unload;
    shared.background.spawn(async move {
        tokio::select! {
            () = task_shared.cancel.cancelled() => return,
            () = tokio::time::sleep(idle) => {}
        }
        let mut rooms = task_shared.rooms.lock();
        // Unless someone joined meanwhile (or the room was replaced).
        if rooms
            .get(&id)
            .is_some_and(|e| e.joined == 0 && Arc::ptr_eq(&e.cell, &cell))
        {
            rooms.remove(&id);
            tracing::info!(board = %id, "board unloaded");
        }
    });
}
