//! A room's store writer: the one place where its updates reach the
//! [`BoardStore`]. Updates queued while an append is running go into the
//! next one (group commit), so a busy board costs one durable write per
//! batch instead of one per keystroke. The caller waits for its update's
//! append before anyone sees the update.

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::task::TaskTracker;

use crate::store::{BoardId, BoardStore, StoreError};

/// The outcome of one append, shared by every update of its batch.
pub(super) type Stored = Result<(), Arc<StoreError>>;

struct Job {
    update: Bytes,
    done: oneshot::Sender<Stored>,
}

/// The queue into a room's store writer; the writer stops once the queue
/// is dropped and what was queued is written.
pub(super) struct StoreQueue {
    board: BoardId,
    jobs: mpsc::Sender<Job>,
}

impl StoreQueue {
    /// Starts the writer of `board` on `tasks`; it hands at most
    /// `max_batch` updates to one append.
    pub(super) fn start(
        store: Arc<dyn BoardStore>,
        board: BoardId,
        max_batch: usize,
        tasks: &TaskTracker,
    ) -> Self {
        let max_batch = max_batch.max(1);
        let (jobs, queue) = mpsc::channel(max_batch * 2);
        tasks.spawn(write(store, board.clone(), queue, max_batch));
        Self { board, jobs }
    }

    /// Stores `update` durably; returns once the append holding it
    /// returned.
    ///
    /// # Errors
    /// The store's error, or one saying the writer stopped.
    pub(super) async fn store(&self, update: Bytes) -> Stored {
        let stopped = || Arc::new(StoreError::new(&self.board, "store writer stopped"));
        let (done, wait) = oneshot::channel();
        self.jobs
            .send(Job { update, done })
            .await
            .map_err(|_| stopped())?;
        wait.await.map_err(|_| stopped())?
    }
}

async fn write(
    store: Arc<dyn BoardStore>,
    board: BoardId,
    mut jobs: mpsc::Receiver<Job>,
    max_batch: usize,
) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let updates: Vec<Bytes> = batch.iter().map(|j| j.update.clone()).collect();
        let store = store.clone();
        let id = board.clone();
        let result = tokio::task::spawn_blocking(move || {
            let slices: Vec<&[u8]> = updates.iter().map(AsRef::as_ref).collect();
            store.append(&id, &slices)
        })
        .await
        .map_err(|e| StoreError::new(&board, e))
        .and_then(|r| r)
        .map_err(Arc::new);
        if let Err(e) = &result {
            tracing::error!(%board, error = %e, "could not store updates");
        }
        for job in batch {
            // A sender that gave up waiting (its connection ended) is fine.
            let _ = job.done.send(result.clone());
        }
    }
}
