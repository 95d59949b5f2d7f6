//! Group commit: many small appends, few durable transactions.
//!
//! With `synchronous=FULL` every commit waits for the disk, so one
//! transaction per keystroke caps a library at about a thousand edits per
//! second. A [`Committer`] owns a connection on a background thread and
//! writes everything that queued up while the previous commit was syncing in
//! a single transaction. A caller gets a receipt per submission (one update,
//! or several that must commit together) that resolves only after the
//! transaction holding it has committed. The sync server's library store
//! appends through one, so busy boards share durable writes.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{Error, Result, SqlContext};
use crate::ids::BoardId;
use crate::schema::{self, Verify};
use crate::update_log;

/// The most updates written in one transaction; keeps a single commit (and
/// the time the write lock is held) bounded under a flood.
const MAX_BATCH: usize = 8192;

type Callback = Box<dyn FnOnce(Result<u64>) + Send>;

enum Ack {
    Channel(mpsc::SyncSender<Result<u64>>),
    Callback(Callback),
}

impl Ack {
    fn send(self, result: Result<u64>) {
        match self {
            // The submitter may have dropped its receipt; that is its choice.
            Ack::Channel(tx) => {
                let _ = tx.send(result);
            }
            // A panicking callback must not take the commit thread (and
            // every later submission) down with it.
            Ack::Callback(callback) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(result)));
            }
        }
    }
}

/// Updates for one board that commit together (or not at all).
struct Job {
    board: BoardId,
    updates: Vec<Vec<u8>>,
    now: i64,
    ack: Ack,
}

/// Resolves once an update submitted to a [`Committer`] is durably stored
/// (or storing it failed).
#[derive(Debug)]
#[must_use = "an update is only safe once its receipt resolved"]
pub struct CommitReceipt {
    rx: mpsc::Receiver<Result<u64>>,
}

impl CommitReceipt {
    /// Blocks until the update is committed; returns its log seq.
    ///
    /// # Errors
    ///
    /// [`Error::BoardNotFound`] if the board does not exist,
    /// [`Error::Shared`] with the cause if the batch's transaction failed,
    /// [`Error::CommitterStopped`] if the commit thread died.
    pub fn wait(self) -> Result<u64> {
        self.rx.recv().unwrap_or(Err(Error::CommitterStopped))
    }

    /// Like [`CommitReceipt::wait`], but gives up after `timeout` and hands
    /// the receipt back.
    ///
    /// # Errors
    ///
    /// As for [`CommitReceipt::wait`].
    pub fn wait_timeout(self, timeout: Duration) -> Result<Result<u64>, CommitReceipt> {
        match self.rx.recv_timeout(timeout) {
            Ok(result) => Ok(result),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(self),
            Err(mpsc::RecvTimeoutError::Disconnected) => Ok(Err(Error::CommitterStopped)),
        }
    }

    /// The result, if the update's transaction has finished.
    pub fn try_wait(&self) -> Option<Result<u64>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(Error::CommitterStopped)),
        }
    }
}

/// Appends updates to a library's log from a background thread, batching
/// whatever is queued into one transaction.
///
/// `Committer` is `Send + Sync`; share it behind an `Arc`. Dropping it
/// commits everything submitted so far, resolves every receipt, and joins
/// the thread.
pub struct Committer {
    queue: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Committer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Committer").finish_non_exhaustive()
    }
}

impl Committer {
    /// Starts a committer on the library database at `path` (see
    /// [`crate::Library::committer`], which is the usual way in). The
    /// database must already be at the current schema version.
    ///
    /// # Errors
    ///
    /// As for [`crate::Library::open`]; [`Error::Io`] if the thread cannot
    /// be spawned.
    pub fn start(path: &Path) -> Result<Committer> {
        let conn = schema::open(path, Verify::Light)?;
        let (queue, jobs) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("stellwand-store-commit".into())
            .spawn(move || run(conn, &jobs))
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Committer {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    /// Queues `update` for the board's log; `now` becomes the board's
    /// `updated_at` (it never goes back). The returned receipt resolves
    /// after the transaction holding the update has committed.
    pub fn submit(&self, board: BoardId, update: Vec<u8>, now: i64) -> CommitReceipt {
        self.submit_all(board, vec![update], now)
    }

    /// Queues `updates` for the board's log, in order, to be committed in
    /// the same transaction: either all are stored or none. The receipt
    /// resolves with the seq of the last one (0 at once for no updates).
    /// Batches of several boards still share transactions.
    pub fn submit_all(&self, board: BoardId, updates: Vec<Vec<u8>>, now: i64) -> CommitReceipt {
        let (tx, rx) = mpsc::sync_channel(1);
        if updates.is_empty() {
            let _ = tx.send(Ok(0));
        } else {
            self.enqueue(Job {
                board,
                updates,
                now,
                ack: Ack::Channel(tx),
            });
        }
        CommitReceipt { rx }
    }

    /// Like [`Committer::submit`], but calls `done` with the result instead
    /// of returning a receipt; `done` runs on the commit thread, so it must
    /// be quick (e.g. send on a channel of the caller's runtime).
    pub fn submit_with(
        &self,
        board: BoardId,
        update: Vec<u8>,
        now: i64,
        done: impl FnOnce(Result<u64>) + Send + 'static,
    ) {
        self.enqueue(Job {
            board,
            updates: vec![update],
            now,
            ack: Ack::Callback(Box::new(done)),
        });
    }

    fn enqueue(&self, job: Job) {
        let Some(queue) = &self.queue else {
            job.ack.send(Err(Error::CommitterStopped));
            return;
        };
        if let Err(mpsc::SendError(job)) = queue.send(job) {
            job.ack.send(Err(Error::CommitterStopped));
        }
    }
}

impl Drop for Committer {
    fn drop(&mut self) {
        // Closing the queue lets the thread drain what is left and stop.
        drop(self.queue.take());
        if let Some(thread) = self.thread.take() {
            // A panic on the commit thread has already failed its waiters
            // (their senders were dropped); nothing more to report here.
            let _ = thread.join();
        }
    }
}

fn run(mut conn: Connection, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut updates = first.updates.len();
        let mut batch = vec![first];
        // A job is never split: its updates commit together.
        while updates < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => {
                    updates += job.updates.len();
                    batch.push(job);
                }
                Err(_) => break,
            }
        }
        commit(&mut conn, batch);
    }
}

/// Writes one batch and resolves its receipts.
fn commit(conn: &mut Connection, batch: Vec<Job>) {
    match write(conn, &batch) {
        Ok(results) => {
            for (job, result) in batch.into_iter().zip(results) {
                job.ack.send(result);
            }
        }
        Err(error) => {
            let error = Arc::new(error);
            for job in batch {
                job.ack.send(Err(Error::Shared(Arc::clone(&error))));
            }
        }
    }
}

/// Returns one result per job: the seq of its last update, or why that job
/// alone was refused. An `Err` means the transaction failed and nothing was
/// stored.
fn write(conn: &mut Connection, batch: &[Job]) -> Result<Vec<Result<u64>>> {
    let what = || format!("committing {} jobs of updates", batch.len());
    let tx = Transaction::new(conn, TransactionBehavior::Immediate).context(what)?;

    // Touch each board once, with the newest time; an unknown board fails
    // only its own jobs.
    let mut newest: HashMap<BoardId, i64> = HashMap::new();
    for job in batch {
        newest
            .entry(job.board)
            .and_modify(|t| *t = (*t).max(job.now))
            .or_insert(job.now);
    }
    let mut known: HashMap<BoardId, bool> = HashMap::with_capacity(newest.len());
    for (board, now) in newest {
        known.insert(board, update_log::touch_board(&tx, board, now)?);
    }

    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        if known.get(&job.board).copied().unwrap_or(false) {
            let mut last = 0;
            for update in &job.updates {
                last = update_log::insert(&tx, job.board, update)?;
            }
            results.push(Ok(last));
        } else {
            results.push(Err(Error::BoardNotFound { board: job.board }));
        }
    }
    tx.commit().context(what)?;
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Library;

    #[test]
    fn a_receipt_resolves_only_after_the_update_is_readable_from_another_connection() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        let reader = Library::open(dir.path()).unwrap();

        for i in 0..200u32 {
            let seq = committer
                .submit(board.id, i.to_le_bytes().to_vec(), 2)
                .wait()
                .unwrap();
            // Committed means visible to any other connection, right now.
            let loaded = reader.load_board(board.id).unwrap();
            assert_eq!(loaded.last_seq(), Some(seq));
            assert_eq!(loaded.updates.last().unwrap().data, i.to_le_bytes());
        }
    }

    #[test]
    fn pipelined_submissions_are_all_stored_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let a = library.create_board("A", None, 1).unwrap();
        let b = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        let receipts: Vec<_> = (0..5000u32)
            .map(|i| {
                let board = if i % 2 == 0 { a.id } else { b.id };
                committer.submit(board, i.to_le_bytes().to_vec(), i64::from(i))
            })
            .collect();
        let seqs: Vec<u64> = receipts.into_iter().map(|r| r.wait().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]));

        let loaded = library.load_board(a.id).unwrap();
        let expected: Vec<Vec<u8>> = (0..5000u32)
            .filter(|i| i % 2 == 0)
            .map(|i| i.to_le_bytes().to_vec())
            .collect();
        let got: Vec<Vec<u8>> = loaded.updates.into_iter().map(|e| e.data).collect();
        assert_eq!(got, expected);
        assert_eq!(library.board(b.id).unwrap().updated_at, 4999);
    }

    #[test]
    fn an_unknown_board_fails_only_its_own_submissions() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        let good = committer.submit(board.id, b"ok".to_vec(), 2);
        let bad = committer.submit(BoardId::new(), b"lost".to_vec(), 2);
        let good_too = committer.submit(board.id, b"ok too".to_vec(), 2);
        assert!(good.wait().is_ok());
        assert!(bad.wait().unwrap_err().is_not_found());
        assert!(good_too.wait().is_ok());
        assert_eq!(library.load_board(board.id).unwrap().updates.len(), 2);
    }

    #[test]
    fn a_failed_transaction_reaches_every_waiter_of_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        // Make every insert fail inside the transaction.
        library
            .conn
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON updates \
                 BEGIN SELECT RAISE(ABORT, 'disk says no'); END;",
            )
            .unwrap();
        let receipts: Vec<_> = (0..50)
            .map(|_| committer.submit(board.id, b"x".to_vec(), 2))
            .collect();
        for receipt in receipts {
            let err = receipt.wait().unwrap_err();
            assert!(matches!(err, Error::Shared(_)), "{err:?}");
            assert!(
                err.to_string().contains("disk says no")
                    || format!("{err:?}").contains("disk says no")
            );
        }
        assert!(library.load_board(board.id).unwrap().updates.is_empty());
    }

    #[test]
    fn a_submitted_batch_is_stored_in_order_and_resolves_with_its_last_seq() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        let batch: Vec<Vec<u8>> = (0..10u8).map(|i| vec![i]).collect();
        let last = committer
            .submit_all(board.id, batch.clone(), 2)
            .wait()
            .unwrap();
        let loaded = library.load_board(board.id).unwrap();
        assert_eq!(loaded.last_seq(), Some(last));
        let got: Vec<Vec<u8>> = loaded.updates.into_iter().map(|e| e.data).collect();
        assert_eq!(got, batch);
        assert_eq!(
            committer
                .submit_all(board.id, Vec::new(), 3)
                .wait()
                .unwrap(),
            0
        );
    }

    #[test]
    fn a_batch_for_an_unknown_board_stores_none_of_its_updates() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        let lost = committer.submit_all(BoardId::new(), vec![b"a".to_vec(), b"b".to_vec()], 2);
        let kept = committer.submit_all(board.id, vec![b"c".to_vec(), b"d".to_vec()], 2);
        assert!(lost.wait().unwrap_err().is_not_found());
        assert!(kept.wait().is_ok());
        assert_eq!(library.load_board(board.id).unwrap().updates.len(), 2);
    }

    #[test]
    fn a_panicking_callback_does_not_stop_the_committer() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        committer.submit_with(board.id, b"a".to_vec(), 2, |_| panic!("careless callback"));
        assert!(committer.submit(board.id, b"b".to_vec(), 2).wait().is_ok());
        assert_eq!(library.load_board(board.id).unwrap().updates.len(), 2);
    }

    #[test]
    fn dropping_the_committer_flushes_everything_queued() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let board = library.create_board("B", None, 1).unwrap();
        let committer = library.committer().unwrap();
        let (tx, rx) = mpsc::channel();
        for i in 0..3000u32 {
            let tx = tx.clone();
            committer.submit_with(board.id, i.to_le_bytes().to_vec(), 2, move |r| {
                let _ = tx.send(r);
            });
        }
        drop(committer);
        drop(tx);
        let results: Vec<_> = rx.iter().collect();
        assert_eq!(results.len(), 3000);
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(library.load_board(board.id).unwrap().updates.len(), 3000);
    }
}
