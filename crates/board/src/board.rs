//! The board: a yrs document plus per-user undo, and the operations the UI needs.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use yrs::types::{Event, PathSegment};
use yrs::undo::Options as UndoOptions;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    ClientID, DeepObservable, Doc, Map, MapRef, OffsetKind, Options, Origin, Out, ReadTxn,
    StateVector, Transact, UndoManager, Update,
};

use crate::edit::{all_items, Edit};
use crate::item::{read_item, read_string, Item};
use crate::restore::RestoreSummary;
use crate::{Error, ItemId, Result};

/// Name of the root map holding all items, keyed by item id.
pub const ITEMS: &str = "items";
/// Name of the root map holding board-wide values such as the title.
pub const META: &str = "meta";

/// Who makes the local changes: stored on the items they create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Author {
    /// A stable id of the user (a UUID chosen once per installation).
    pub id: String,
    /// The display name ("Anna Schmidt").
    pub name: String,
}

/// A board document with its local user's undo history.
///
/// Every change, local or remote, produces binary updates (yrs v1 encoding) that
/// are collected until [`Board::take_updates`] hands them to the store and to peers.
pub struct Board {
    doc: Doc,
    items: MapRef,
    meta: MapRef,
    undo: UndoManager,
    origin: Origin,
    author: Author,
    updates: Arc<Mutex<Vec<Vec<u8>>>>,
    /// Received updates that could not be integrated completely yet.
    waiting: Vec<Vec<u8>>,
    /// Highest z of any item, once known; forgotten whenever others' changes
    /// or undo may have changed it.
    top_z: Option<f64>,
    /// Keys of items touched since the last [`Board::take_changes`], and
    /// whether `meta` changed.
    changes: Arc<Mutex<ChangedKeys>>,
}

#[derive(Default)]
struct ChangedKeys {
    items: HashSet<String>,
    meta: bool,
}

/// What changed on a board since the last [`Board::take_changes`]: the view
/// delta a user interface applies, for local and remote changes alike.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Changes {
    /// Items created or changed, as they are now.
    pub items: Vec<Item>,
    /// Items that are gone (or can no longer be read).
    pub removed: Vec<ItemId>,
    /// The new title, if it changed.
    pub title: Option<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.removed.is_empty() && self.title.is_none()
    }
}

const UPDATES_OBSERVER: &str = "stellwand-updates";

/// Collects every update the document produces into `queue`, except those of
/// received updates: [`Board::apply_update`] hands those on as received.
///
/// This is yrs' update observer with the origin checked first: an update
/// observer would make yrs encode every received update again, whether the
/// callback wants it or not (about a tenth of opening a 10,000-note board
/// from its snapshot, and an 8 MB buffer), and yrs 0.28 keeps encoding for
/// an unsubscribed observer until its next event.
fn observe_updates(doc: &Doc, queue: &Arc<Mutex<Vec<Vec<u8>>>>) {
    let sink = Arc::clone(queue);
    let received = Origin::from(REMOTE_ORIGIN);
    doc.observe_transaction_cleanup(UPDATES_OBSERVER, move |txn, event| {
        if txn.origin() == Some(&received) {
            return;
        }
        // The condition under which yrs emits an update event.
        if event.delete_set.is_empty() && event.after_state == event.before_state {
            return;
        }
        let update = txn.encode_update_v1();
        let mut queue = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        queue.push(update);
    })
    .expect("no transaction is open between operations");
}

/// Decodes a received update (yrs v1), checked first: counts in a hostile
/// header can make yrs reserve huge amounts of memory, deep nesting can
/// exhaust the stack.
fn decode_received(update: &[u8]) -> Result<Update> {
    crate::validate::validate_update_v1(update).map_err(|e| Error::Update(e.to_string()))?;
    Update::decode_v1(update).map_err(|e| Error::Update(e.to_string()))
}

/// How many received updates [`Board::retry_waiting`] keeps offering again.
const MAX_WAITING: usize = 512;
const MAX_WAITING_BYTES: usize = 16 << 20;

/// Origin of updates that come from the store or from peers: never undone locally.
const REMOTE_ORIGIN: &str = "stellwand-remote";

impl Board {
    /// An empty board edited by `author`, with a fresh random client id.
    pub fn new(author: Author) -> Self {
        Self::with_client_id(author, ClientID::random().get())
    }

    /// An empty board with a given yrs client id (tests and replays; client ids must
    /// be unique among everyone editing the same board).
    pub fn with_client_id(author: Author, client_id: u64) -> Self {
        let board = Self::unobserved(author, client_id);
        observe_updates(&board.doc, &board.updates);
        board.observe_changes();
        board
    }

    /// A board whose updates and item changes are not tracked yet (loading
    /// is faster without; nobody has seen the items before, and the store
    /// has the updates already).
    fn unobserved(author: Author, client_id: u64) -> Self {
        let mut options = Options::with_client_id(ClientID::new(client_id & ((1 << 53) - 1)));
        options.offset_kind = OffsetKind::Utf16;
        let doc = Doc::with_options(options);
        let items = doc.get_or_insert_map(ITEMS);
        let meta = doc.get_or_insert_map(META);
        let updates = Arc::new(Mutex::new(Vec::new()));
        let origin = Origin::from(format!("stellwand-local-{client_id}").as_str());
        let mut undo = UndoManager::with_options(UndoOptions {
            capture_timeout_millis: 0,
            ..UndoOptions::default()
        });
        undo.include_origin(origin.clone());
        undo.expand_scope(&doc, &items);
        undo.expand_scope(&doc, &meta);
        Board {
            doc,
            items,
            meta,
            undo,
            origin,
            author,
            updates,
            waiting: Vec::new(),
            top_z: None,
            changes: Arc::new(Mutex::new(ChangedKeys::default())),
        }
    }

    /// Rebuilds a board from stored updates (a snapshot first, then the log).
    ///
    /// Updates that cannot be decoded are reported by their position and skipped;
    /// everything else is applied. The loaded state is not handed out again by
    /// [`Board::take_updates`], since it is already stored.
    pub fn load<'a>(
        author: Author,
        updates: impl IntoIterator<Item = &'a [u8]>,
    ) -> (Self, Vec<(usize, Error)>) {
        // Observers come after loading: there is nothing to hand on, and
        // each event would copy the loaded state vector and delete set.
        let mut board = Self::unobserved(author, ClientID::random().get());
        let mut issues = Vec::new();
        for (index, update) in updates.into_iter().enumerate() {
            if let Err(err) = board.receive(update) {
                issues.push((index, err));
            }
        }
        observe_updates(&board.doc, &board.updates);
        board.observe_changes();
        (board, issues)
    }

    fn observe_changes(&self) {
        let sink = Arc::clone(&self.changes);
        self.items
            .observe_deep("stellwand-changes", move |txn, events| {
                let mut changes = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                for event in events.iter() {
                    match event.path().front() {
                        Some(PathSegment::Key(key)) => {
                            changes.items.insert(key.to_string());
                        }
                        Some(PathSegment::Index(_)) => {}
                        None => {
                            if let Event::Map(map) = event {
                                changes
                                    .items
                                    .extend(map.keys(txn).keys().map(|k| k.to_string()));
                            }
                        }
                    }
                }
            });
        let sink = Arc::clone(&self.changes);
        self.meta.observe_deep("stellwand-changes", move |_, _| {
            let mut changes = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            changes.meta = true;
        });
    }

    /// The items and title that changed since the last call, local and remote
    /// changes alike.
    pub fn take_changes(&self) -> Changes {
        let keys = {
            let mut changes = self
                .changes
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            std::mem::take(&mut *changes)
        };
        let txn = self.doc.transact();
        let mut result = Changes::default();
        for key in keys.items {
            let Some(id) = ItemId::parse(&key) else {
                continue;
            };
            let item = match self.items.get(&txn, &key) {
                Some(Out::YMap(map)) => read_item(&txn, id, &map),
                _ => None,
            };
            match item {
                Some(item) => result.items.push(item),
                None => result.removed.push(id),
            }
        }
        result
            .items
            .sort_by(|a, b| a.z.total_cmp(&b.z).then(a.id.cmp(&b.id)));
        result.removed.sort();
        if keys.meta {
            result.title = Some(read_string(&txn, &self.meta, "title").unwrap_or_default());
        }
        result
    }

    /// The underlying yrs document (for sync).
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// The local author.
    pub fn author(&self) -> &Author {
        &self.author
    }

    /// Changes the local author (e.g. after the user set their name).
    pub fn set_author(&mut self, author: Author) {
        self.author = author;
    }

    /// Applies an update from a peer or the store. It is not part of the local undo
    /// history.
    ///
    /// # Errors
    /// [`Error::Update`] when the bytes are not a valid yrs v1 update; the board is
    /// unchanged then.
    pub fn apply_update(&mut self, update: &[u8]) -> Result<()> {
        self.receive(update)?;
        // What is handed on is the update as received: a re-encoding would
        // hold only the part that could be integrated, and a part waiting for
        // missing predecessors must be saved too.
        self.queue().push(update.to_vec());
        Ok(())
    }

    /// Applies an update read from the store or received, without handing
    /// it on.
    fn receive(&mut self, update: &[u8]) -> Result<()> {
        let decoded = decode_received(update)?;
        self.top_z = None;
        self.integrate(decoded)?;
        self.retry_waiting(update)
    }

    /// Applies a decoded update as a received one: not undone locally, not
    /// collected by the update observer.
    fn integrate(&mut self, update: Update) -> Result<()> {
        // A panic inside yrs on a peer's bytes must not take the app down.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut txn = self.doc.transact_mut_with(REMOTE_ORIGIN);
            txn.apply_update(update)
                .map_err(|e| Error::Update(e.to_string()))
        }))
        .unwrap_or_else(|_| Err(Error::Update("yrs failed on this update".into())))
    }

    /// Updates that arrive before their predecessors wait inside yrs until the
    /// predecessors come. yrs' own bookkeeping of such waiting updates can lose
    /// track of them when many arrive out of order, so the received bytes are
    /// kept here as well and offered again (yrs skips what it already has)
    /// until nothing is missing any more.
    fn retry_waiting(&mut self, update: &[u8]) -> Result<()> {
        let missing = self.doc.transact().has_missing_updates();
        if !missing {
            self.waiting.clear();
            return Ok(());
        }
        self.waiting.push(update.to_vec());
        // Bounded, so that a peer sending updates that can never be completed
        // cannot make every later update expensive. yrs keeps its own copy.
        let mut total: usize = self.waiting.iter().map(Vec::len).sum();
        while self.waiting.len() > 1
            && (self.waiting.len() > MAX_WAITING || total > MAX_WAITING_BYTES)
        {
            total -= self.waiting.remove(0).len();
        }
        let waiting = std::mem::take(&mut self.waiting);
        for bytes in &waiting {
            if let Ok(decoded) = Update::decode_v1(bytes) {
                let _ = self.integrate(decoded);
            }
        }
        if self.doc.transact().has_missing_updates() {
            self.waiting = waiting;
        }
        Ok(())
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
        self.updates
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes the updates produced since the last call, oldest first.
    pub fn take_updates(&self) -> Vec<Vec<u8>> {
        let mut queue = self
            .updates
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::take(&mut *queue)
    }

    /// The whole state as one update (yrs v1), e.g. for snapshots and revisions.
    pub fn encode_state(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// The state vector (yrs v1), for a peer's sync step 1.
    pub fn state_vector(&self) -> Vec<u8> {
        self.doc.transact().state_vector().encode_v1()
    }

    /// Everything a peer with state vector `remote_sv` is missing.
    ///
    /// # Errors
    /// [`Error::Update`] when `remote_sv` cannot be decoded.
    pub fn encode_diff(&self, remote_sv: &[u8]) -> Result<Vec<u8>> {
        let sv = StateVector::decode_v1(remote_sv).map_err(|e| Error::Update(e.to_string()))?;
        Ok(self.doc.transact().encode_state_as_update_v1(&sv))
    }

    /// All items, bottom to top (by z, then id).
    pub fn items(&self) -> Vec<Item> {
        let txn = self.doc.transact();
        let mut items = all_items(&txn, &self.items);
        items.sort_by(|a, b| a.z.total_cmp(&b.z).then(a.id.cmp(&b.id)));
        items
    }

    /// One item, if it exists and is readable.
    pub fn item(&self, id: ItemId) -> Option<Item> {
        let txn = self.doc.transact();
        match self.items.get(&txn, &id.to_string())? {
            Out::YMap(map) => read_item(&txn, id, &map),
            _ => None,
        }
    }

    /// Number of readable items.
    pub fn len(&self) -> usize {
        self.items().len()
    }

    /// Whether the board has no readable items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The board's title as stored in the document ("" when none was set).
    pub fn title(&self) -> String {
        let txn = self.doc.transact();
        read_string(&txn, &self.meta, "title").unwrap_or_default()
    }

    /// Runs `f` as one transaction and one undo step, stamped with `now`
    /// (milliseconds since the Unix epoch).
    ///
    /// # Errors
    /// The first error of `f`. Changes `f` made before failing are reverted, so a
    /// batch applies entirely or not at all.
    pub fn edit<R>(&mut self, now: i64, f: impl FnOnce(&mut Edit<'_>) -> Result<R>) -> Result<R> {
        let steps_before = self.undo.undo_stack().len();
        self.undo.reset();
        let (result, top) = {
            let mut edit = Edit {
                txn: self.doc.transact_mut_with(self.origin.clone()),
                items: &self.items,
                meta: &self.meta,
                author: &self.author,
                now,
                top: self.top_z,
            };
            let result = f(&mut edit);
            (result, edit.top)
        };
        self.top_z = if result.is_ok() { top } else { None };
        if result.is_err() && self.undo.undo_stack().len() > steps_before {
            self.undo.undo_blocking();
            self.undo.clear_redo();
        }
        self.undo.reset();
        result
    }

    /// Reverts the local user's last change; changes of other users stay.
    /// Returns whether there was something to undo.
    pub fn undo(&mut self) -> bool {
        self.top_z = None;
        let done = self.undo.undo_blocking();
        self.undo.reset();
        done
    }

    /// Re-applies the last undone change. Returns whether there was one.
    pub fn redo(&mut self) -> bool {
        self.top_z = None;
        let done = self.undo.redo_blocking();
        self.undo.reset();
        done
    }

    /// Whether [`Board::undo`] would do something.
    pub fn can_undo(&self) -> bool {
        self.undo.can_undo()
    }

    /// Whether [`Board::redo`] would do something.
    pub fn can_redo(&self) -> bool {
        self.undo.can_redo()
    }

    /// Makes this board look like `target` (e.g. a named revision) through one new,
    /// undoable change: nothing newer is lost, it can be undone like any edit.
    ///
    /// # Errors
    /// Fails only if `target` holds invalid values; the board is unchanged then.
    pub fn restore(&mut self, now: i64, target: &[Item], title: &str) -> Result<RestoreSummary> {
        self.edit(now, |edit| edit.restore(target, title))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewItem;

    fn person(id: &str) -> Author {
        Author {
            id: id.into(),
            name: id.into(),
        }
    }

    #[test]
    fn a_loaded_board_hands_on_local_edits_undo_and_received_updates_as_received() {
        let mut anna = Board::new(person("anna"));
        let id = anna
            .edit(0, |e| e.create(NewItem::note(0.0, 0.0, "eins")))
            .expect("note");
        let stored = anna.take_updates();
        let (mut ben, issues) = Board::load(person("ben"), stored.iter().map(Vec::as_slice));
        assert!(issues.is_empty());
        assert!(ben.take_updates().is_empty(), "the store has them already");

        ben.edit(1, |e| e.set_text(id, "zwei")).expect("edit");
        let edit = ben.take_updates();
        assert_eq!(edit.len(), 1, "a local edit is one update");
        assert!(ben.undo());
        let undo = ben.take_updates();
        assert_eq!(undo.len(), 1, "an undo is handed on like an edit");

        anna.edit(2, |e| e.set_text(id, "drei")).expect("edit");
        let remote = anna.take_updates();
        ben.apply_update(&remote[0]).expect("applies");
        assert_eq!(ben.take_updates(), remote, "handed on byte for byte");

        let mut replica = Board::new(person("carla"));
        for update in stored.iter().chain(&edit).chain(&undo).chain(&remote) {
            replica.apply_update(update).expect("applies");
        }
        assert_eq!(
            replica.items(),
            ben.items(),
            "what was handed on is complete"
        );
    }
}
