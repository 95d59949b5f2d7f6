//! The board: a yrs document plus per-user undo, and the operations the UI needs.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use yrs::types::text::TextPrelim;
use yrs::types::{Event, PathSegment};
use yrs::undo::Options as UndoOptions;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    Any, ClientID, DeepObservable, Doc, GetString, In, Map, MapPrelim, MapRef, OffsetKind, Options,
    Origin, Out, ReadTxn, StateVector, Text, TextRef, Transact, TransactionMut, UndoManager,
    Update,
};

use crate::item::{read_item, read_number, read_string, Item, ItemKind, MAX_COORD, TAG_PREFIX};
use crate::text::{is_utf16_boundary, minimal_edit, utf16_len};
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

/// Collects every update the document produces into `queue`.
fn observe_updates(doc: &Doc, queue: &Arc<Mutex<Vec<Vec<u8>>>>) {
    let sink = Arc::clone(queue);
    doc.observe_update_v1(UPDATES_OBSERVER, move |_, event| {
        let mut queue = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        queue.push(event.update.clone());
    })
    .expect("no transaction is open between operations");
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
        board.observe_changes();
        board
    }

    /// A board whose item changes are not tracked yet (loading is faster
    /// without; nobody has seen the items before).
    fn unobserved(author: Author, client_id: u64) -> Self {
        let mut options = Options::with_client_id(ClientID::new(client_id & ((1 << 53) - 1)));
        options.offset_kind = OffsetKind::Utf16;
        let doc = Doc::with_options(options);
        let items = doc.get_or_insert_map(ITEMS);
        let meta = doc.get_or_insert_map(META);
        let updates = Arc::new(Mutex::new(Vec::new()));
        observe_updates(&doc, &updates);
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
        let mut board = Self::unobserved(author, ClientID::random().get());
        let mut issues = Vec::new();
        for (index, update) in updates.into_iter().enumerate() {
            if let Err(err) = board.apply_update(update) {
                issues.push((index, err));
            }
        }
        board.take_updates();
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
        // Checked before yrs reads it: counts in a hostile header can make yrs
        // reserve huge amounts of memory, deep nesting can exhaust the stack.
        crate::validate::validate_update_v1(update).map_err(|e| Error::Update(e.to_string()))?;
        let decoded = Update::decode_v1(update).map_err(|e| Error::Update(e.to_string()))?;
        self.top_z = None;
        let queued = self.queue().len();
        let result = self.integrate(decoded);
        // What is handed on is the update as received: the observer only sees
        // the part that could be integrated, and a part waiting for missing
        // predecessors must be saved too.
        let mut queue = self.queue();
        queue.truncate(queued);
        if result.is_ok() {
            queue.push(update.to_vec());
        }
        drop(queue);
        result?;
        self.retry_waiting(update)
    }

    /// Applies an update without collecting its re-encoding: remote updates
    /// are handed on as received, and encoding a large one again would double
    /// the time it takes to open a board.
    fn integrate(&mut self, update: Update) -> Result<()> {
        let _ = self.doc.unobserve_update_v1(UPDATES_OBSERVER);
        // A panic inside yrs on a peer's bytes must not take the app down.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut txn = self.doc.transact_mut_with(REMOTE_ORIGIN);
            txn.apply_update(update)
                .map_err(|e| Error::Update(e.to_string()))
        }))
        .unwrap_or_else(|_| Err(Error::Update("yrs failed on this update".into())));
        observe_updates(&self.doc, &self.updates);
        result
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
        let queued = self.queue().len();
        let waiting = std::mem::take(&mut self.waiting);
        for bytes in &waiting {
            if let Ok(decoded) = Update::decode_v1(bytes) {
                let _ = self.integrate(decoded);
            }
        }
        self.queue().truncate(queued);
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

/// What a restore changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreSummary {
    pub created: usize,
    pub changed: usize,
    pub deleted: usize,
}

/// Everything needed to create an item.
#[derive(Clone, Debug, PartialEq)]
pub struct NewItem {
    pub kind: ItemKind,
    pub x: f64,
    pub y: f64,
    /// Size; the kind's default size when `None`.
    pub size: Option<(f64, f64)>,
    /// Colour name or `#rrggbb`; the kind's default when `None`.
    pub color: Option<String>,
    pub text: String,
    pub tags: Vec<String>,
    pub parent: Option<ItemId>,
    /// Ends of a connector.
    pub from: Option<ItemId>,
    pub to: Option<ItemId>,
    /// A given id (imports, restores); a fresh one when `None`.
    pub id: Option<ItemId>,
}

impl NewItem {
    /// A new item of `kind` at (`x`, `y`) with `text`, everything else default.
    pub fn new(kind: ItemKind, x: f64, y: f64, text: impl Into<String>) -> Self {
        NewItem {
            kind,
            x,
            y,
            size: None,
            color: None,
            text: text.into(),
            tags: Vec::new(),
            parent: None,
            from: None,
            to: None,
            id: None,
        }
    }

    /// A sticky note.
    pub fn note(x: f64, y: f64, text: impl Into<String>) -> Self {
        Self::new(ItemKind::Note, x, y, text)
    }

    /// A frame with a title.
    pub fn frame(x: f64, y: f64, w: f64, h: f64, title: impl Into<String>) -> Self {
        Self::new(ItemKind::Frame, x, y, title).with_size(w, h)
    }

    /// A connector from one item to another.
    pub fn connector(from: ItemId, to: ItemId, label: impl Into<String>) -> Self {
        let mut item = Self::new(ItemKind::Connector, 0.0, 0.0, label);
        item.from = Some(from);
        item.to = Some(to);
        item
    }

    /// Sets the size.
    pub fn with_size(mut self, w: f64, h: f64) -> Self {
        self.size = Some((w, h));
        self
    }

    /// Sets the colour.
    pub fn with_color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// Sets the frame the item belongs to.
    pub fn in_frame(mut self, frame: ItemId) -> Self {
        self.parent = Some(frame);
        self
    }

    /// Sets the tags.
    pub fn with_tags(mut self, tags: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Uses a given id.
    pub fn with_id(mut self, id: ItemId) -> Self {
        self.id = Some(id);
        self
    }
}

/// One open transaction on a board; see [`Board::edit`]. Every method validates
/// its input before it changes anything.
pub struct Edit<'a> {
    pub(crate) txn: TransactionMut<'a>,
    pub(crate) items: &'a MapRef,
    meta: &'a MapRef,
    pub(crate) author: &'a Author,
    pub(crate) now: i64,
    /// Highest z on the board, once known in this transaction.
    pub(crate) top: Option<f64>,
}

impl Edit<'_> {
    /// All readable items as they are inside this transaction.
    pub fn items(&self) -> Vec<Item> {
        all_items(&self.txn, self.items)
    }

    /// One item as it is inside this transaction.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn item(&self, id: ItemId) -> Result<Item> {
        let map = self.map(id)?;
        read_item(&self.txn, id, &map).ok_or(Error::ItemNotFound(id))
    }

    /// Sets the board title.
    pub fn set_title(&mut self, title: &str) {
        self.meta.insert(&mut self.txn, "title", title);
    }

    /// Creates an item on top of all others and returns its id.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for non-finite coordinates or an unknown colour,
    /// [`Error::InvalidParent`]/[`Error::ItemNotFound`] for a bad parent or connector end.
    pub fn create(&mut self, spec: NewItem) -> Result<ItemId> {
        let id = spec.id.unwrap_or_default();
        let (w, h) = spec.size.unwrap_or_else(|| spec.kind.default_size());
        check_coord("x", spec.x)?;
        check_coord("y", spec.y)?;
        check_size("w", w)?;
        check_size("h", h)?;
        let color = match spec.color {
            Some(color) => check_color(color)?,
            None => spec.kind.default_color().to_owned(),
        };
        if let Some(parent) = spec.parent {
            self.check_parent(id, spec.kind, parent)?;
        }
        if spec.kind == ItemKind::Connector {
            for end in [spec.from, spec.to] {
                let end = end.ok_or_else(|| Error::InvalidValue {
                    field: "connector",
                    reason: "a connector needs two ends".into(),
                })?;
                let kind = self.item(end)?.kind;
                if kind == ItemKind::Connector {
                    return Err(Error::WrongKind {
                        id: end,
                        kind: kind.as_str(),
                        operation: "being a connector end",
                    });
                }
            }
        }
        let z = self.top_z() + 1.0;
        self.top = Some(z);
        let mut fields: Vec<(&str, In)> = vec![
            ("type", spec.kind.as_str().into()),
            ("x", spec.x.into()),
            ("y", spec.y.into()),
            ("w", w.into()),
            ("h", h.into()),
            ("z", z.into()),
            ("color", color.into()),
            ("text", TextPrelim::new(spec.text).into()),
            ("author", self.author.name.as_str().into()),
            ("authorId", self.author.id.as_str().into()),
            ("created", (self.now as f64).into()),
            ("updated", (self.now as f64).into()),
        ];
        for (key, value) in [
            ("parent", spec.parent),
            ("from", spec.from),
            ("to", spec.to),
        ] {
            if let Some(value) = value {
                fields.push((key, value.to_string().into()));
            }
        }
        let tags: Vec<String> = clean_tags(&spec.tags)
            .into_iter()
            .map(|t| format!("{TAG_PREFIX}{t}"))
            .collect();
        for tag in &tags {
            fields.push((tag.as_str(), true.into()));
        }
        self.items
            .insert(&mut self.txn, id.to_string(), MapPrelim::from_iter(fields));
        Ok(id)
    }

    /// Replaces the whole text of an item through the smallest edit, so that
    /// concurrent edits elsewhere in the same text survive.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn set_text(&mut self, id: ItemId, text: &str) -> Result<()> {
        let map = self.map(id)?;
        match map.get(&self.txn, "text") {
            Some(Out::YText(t)) => {
                let old = t.get_string(&self.txn);
                if let Some((index, delete, insert)) = minimal_edit(&old, text) {
                    apply_text_edit(&mut self.txn, &t, index, delete, insert);
                }
            }
            _ => {
                map.insert(&mut self.txn, "text", TextPrelim::new(text));
            }
        }
        self.touch(&map);
        Ok(())
    }

    /// Deletes `delete` and inserts `insert` at `index` (UTF-16 code units, as in
    /// JavaScript).
    ///
    /// # Errors
    /// [`Error::TextRange`] for positions outside the text or inside a surrogate pair.
    pub fn edit_text(&mut self, id: ItemId, index: u32, delete: u32, insert: &str) -> Result<()> {
        let map = self.map(id)?;
        let text = self.text_ref(&map);
        let current = text.get_string(&self.txn);
        let end = index.checked_add(delete);
        let valid = end.is_some_and(|end| {
            is_utf16_boundary(&current, index) && is_utf16_boundary(&current, end)
        });
        if !valid {
            return Err(Error::TextRange {
                id,
                index,
                len: delete,
                text_len: utf16_len(&current),
            });
        }
        apply_text_edit(&mut self.txn, &text, index, delete, insert);
        self.touch(&map);
        Ok(())
    }

    /// Moves an item's top left corner to (`x`, `y`); a frame takes its contents along.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`].
    pub fn move_to(&mut self, id: ItemId, x: f64, y: f64) -> Result<()> {
        let item = self.item(id)?;
        self.move_by(&[id], x - item.x, y - item.y)
    }

    /// Moves items by (`dx`, `dy`); frames take their contents along.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`].
    pub fn move_by(&mut self, ids: &[ItemId], dx: f64, dy: f64) -> Result<()> {
        check_coord("dx", dx)?;
        check_coord("dy", dy)?;
        let moved = self.with_children(ids)?;
        let mut items = Vec::with_capacity(moved.len());
        for id in moved {
            let item = self.item(id)?;
            if item.kind == ItemKind::Connector {
                continue;
            }
            check_coord("x", item.x + dx)?;
            check_coord("y", item.y + dy)?;
            items.push(item);
        }
        for item in items {
            let map = self.map(item.id)?;
            map.insert(&mut self.txn, "x", item.x + dx);
            map.insert(&mut self.txn, "y", item.y + dy);
            self.touch(&map);
        }
        Ok(())
    }

    /// Sets an item's size.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`] for sizes that are not positive.
    pub fn resize(&mut self, id: ItemId, w: f64, h: f64) -> Result<()> {
        check_size("w", w)?;
        check_size("h", h)?;
        let map = self.map(id)?;
        map.insert(&mut self.txn, "w", w);
        map.insert(&mut self.txn, "h", h);
        self.touch(&map);
        Ok(())
    }

    /// Sets an item's rectangle without moving anything else (resizing by a
    /// left or top handle; a frame's contents stay where they are).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`].
    pub fn set_bounds(&mut self, id: ItemId, x: f64, y: f64, w: f64, h: f64) -> Result<()> {
        check_coord("x", x)?;
        check_coord("y", y)?;
        check_size("w", w)?;
        check_size("h", h)?;
        let map = self.map(id)?;
        map.insert(&mut self.txn, "x", x);
        map.insert(&mut self.txn, "y", y);
        map.insert(&mut self.txn, "w", w);
        map.insert(&mut self.txn, "h", h);
        self.touch(&map);
        Ok(())
    }

    /// Gives items a colour (a palette name or `#rrggbb`).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`] for unknown colours.
    pub fn recolor(&mut self, ids: &[ItemId], color: &str) -> Result<()> {
        let color = check_color(color.to_owned())?;
        let maps = ids
            .iter()
            .map(|id| self.map(*id))
            .collect::<Result<Vec<_>>>()?;
        for map in maps {
            map.insert(&mut self.txn, "color", color.as_str());
            self.touch(&map);
        }
        Ok(())
    }

    /// Adds a tag to an item (tags are a set: adding twice keeps one).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidValue`] for an empty tag.
    pub fn add_tag(&mut self, id: ItemId, tag: &str) -> Result<()> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(Error::InvalidValue {
                field: "tag",
                reason: "a tag needs at least one character".into(),
            });
        }
        let map = self.map(id)?;
        map.insert(&mut self.txn, format!("{TAG_PREFIX}{tag}"), true);
        self.touch(&map);
        Ok(())
    }

    /// Removes a tag from an item; removing a tag it does not have is no error.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn remove_tag(&mut self, id: ItemId, tag: &str) -> Result<()> {
        let map = self.map(id)?;
        self.adopt_foreign_tags(&map);
        if map
            .remove(&mut self.txn, &format!("{TAG_PREFIX}{}", tag.trim()))
            .is_some()
        {
            self.touch(&map);
        }
        Ok(())
    }

    /// Records who wrote an item (imports from other tools, workshop notes typed
    /// in by a facilitator on behalf of a participant).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn set_author(&mut self, id: ItemId, name: &str, author_id: &str) -> Result<()> {
        let map = self.map(id)?;
        map.insert(&mut self.txn, "author", name);
        map.insert(&mut self.txn, "authorId", author_id);
        self.touch(&map);
        Ok(())
    }

    /// Puts a note or label into a frame, or takes it out with `None`.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::InvalidParent`].
    pub fn set_parent(&mut self, id: ItemId, parent: Option<ItemId>) -> Result<()> {
        let item = self.item(id)?;
        let map = self.map(id)?;
        match parent {
            Some(parent) => {
                self.check_parent(id, item.kind, parent)?;
                map.insert(&mut self.txn, "parent", parent.to_string());
            }
            None => {
                map.remove(&mut self.txn, "parent");
            }
        }
        self.touch(&map);
        Ok(())
    }

    /// Sets the parent of notes and labels from where they lie: the topmost frame
    /// that contains their centre, or none. Returns the new parent of each.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn adopt_by_position(&mut self, ids: &[ItemId]) -> Result<Vec<Option<ItemId>>> {
        let mut frames: Vec<Item> = self
            .skeletons()
            .into_iter()
            .filter(|s| s.kind == ItemKind::Frame)
            .filter_map(|s| self.item(s.id).ok())
            .collect();
        frames.sort_by(|a, b| b.z.total_cmp(&a.z));
        let mut result = Vec::with_capacity(ids.len());
        for id in ids {
            let item = self.item(*id)?;
            if !matches!(item.kind, ItemKind::Note | ItemKind::Label) {
                result.push(item.parent);
                continue;
            }
            let parent = frames
                .iter()
                .find(|f| f.contains(item.center()))
                .map(|f| f.id);
            if parent != item.parent {
                self.set_parent(*id, parent)?;
            }
            result.push(parent);
        }
        Ok(result)
    }

    /// Deletes items. A frame takes its contents with it, and connectors attached
    /// to a deleted item go too. Returns every deleted id.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`] when one of `ids` does not exist; nothing is deleted then.
    pub fn delete(&mut self, ids: &[ItemId]) -> Result<Vec<ItemId>> {
        let mut doomed = self.with_children(ids)?;
        for item in &self.skeletons() {
            let attached = [item.from, item.to]
                .iter()
                .flatten()
                .any(|end| doomed.contains(end));
            if item.kind == ItemKind::Connector && attached {
                doomed.insert(item.id);
            }
        }
        for id in &doomed {
            self.items.remove(&mut self.txn, &id.to_string());
        }
        Ok(doomed.into_iter().collect())
    }

    /// Copies items, offset by (`dx`, `dy`): frames with their contents, and
    /// connectors whose both ends are copied. Returns the ids of the copies of `ids`
    /// in the same order.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn duplicate(&mut self, ids: &[ItemId], dx: f64, dy: f64) -> Result<Vec<ItemId>> {
        let mut copied = self.with_children(ids)?;
        let frames: HashSet<ItemId> = self
            .skeletons()
            .into_iter()
            .filter(|s| s.kind == ItemKind::Frame)
            .map(|s| s.id)
            .collect();
        for item in &self.skeletons() {
            let both_ends = matches!((item.from, item.to), (Some(a), Some(b)) if copied.contains(&a) && copied.contains(&b));
            if item.kind == ItemKind::Connector && both_ends {
                copied.insert(item.id);
            }
        }
        let all = copied
            .iter()
            .map(|id| self.item(*id))
            .collect::<Result<Vec<_>>>()?;
        let mut order: Vec<&Item> = all.iter().collect();
        // Frames first so that contents can refer to them, connectors last.
        order.sort_by_key(|i| match i.kind {
            ItemKind::Frame => 0,
            ItemKind::Connector => 2,
            _ => 1,
        });
        let mut new_ids: HashMap<ItemId, ItemId> = HashMap::new();
        for item in order {
            let map_id = |id: Option<ItemId>| id.map(|id| new_ids.get(&id).copied().unwrap_or(id));
            let spec = NewItem {
                kind: item.kind,
                x: item.x + dx,
                y: item.y + dy,
                size: Some((item.w, item.h)),
                color: Some(item.color.clone()),
                text: item.text.clone(),
                tags: item.tags.clone(),
                parent: map_id(item.parent.filter(|p| frames.contains(p))),
                from: map_id(item.from),
                to: map_id(item.to),
                id: None,
            };
            let new_id = self.create(spec)?;
            new_ids.insert(item.id, new_id);
        }
        Ok(ids
            .iter()
            .filter_map(|id| new_ids.get(id).copied())
            .collect())
    }

    /// Puts items above all others, keeping their order among themselves.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn bring_to_front(&mut self, ids: &[ItemId]) -> Result<()> {
        let top = self.top_z();
        self.restack(ids, |rank| top + 1.0 + rank as f64)
    }

    /// Puts items below all others, keeping their order among themselves.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`].
    pub fn send_to_back(&mut self, ids: &[ItemId]) -> Result<()> {
        let bottom = self
            .items()
            .iter()
            .map(|i| i.z)
            .fold(f64::INFINITY, f64::min);
        let bottom = if bottom.is_finite() { bottom } else { 0.0 };
        let count = ids.len() as f64;
        self.restack(ids, |rank| bottom - count + rank as f64)
    }

    /// Makes the board match `target`; see [`Board::restore`].
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for invalid values in `target`.
    pub fn restore(&mut self, target: &[Item], title: &str) -> Result<RestoreSummary> {
        let current: HashMap<ItemId, Item> = self.items().into_iter().map(|i| (i.id, i)).collect();
        let wanted: HashSet<ItemId> = target.iter().map(|i| i.id).collect();
        let mut summary = RestoreSummary::default();
        let gone: Vec<ItemId> = current
            .keys()
            .filter(|id| !wanted.contains(id))
            .copied()
            .collect();
        for id in &gone {
            self.items.remove(&mut self.txn, &id.to_string());
            summary.deleted += 1;
        }
        // Frames first, connectors last, so references resolve.
        let mut order: Vec<&Item> = target.iter().collect();
        order.sort_by_key(|i| match i.kind {
            ItemKind::Frame => 0,
            ItemKind::Connector => 2,
            _ => 1,
        });
        for item in order {
            match current.get(&item.id) {
                Some(now) if now == item => {}
                Some(now) if now.kind == item.kind => {
                    self.overwrite(item)?;
                    summary.changed += 1;
                }
                Some(_) => {
                    self.items.remove(&mut self.txn, &item.id.to_string());
                    self.write_item(item)?;
                    summary.changed += 1;
                }
                None => {
                    self.write_item(item)?;
                    summary.created += 1;
                }
            }
        }
        if read_string(&self.txn, self.meta, "title").unwrap_or_default() != title {
            self.set_title(title);
        }
        Ok(summary)
    }

    /// Places lines of text as notes in a grid below the existing content, one note
    /// per non-empty line; with `frame_title`, inside a new frame. Returns the ids
    /// of the new notes.
    ///
    /// # Errors
    /// Only on internal inconsistencies; plain text is always accepted.
    pub fn import_lines(&mut self, text: &str, frame_title: Option<&str>) -> Result<Vec<ItemId>> {
        const COLUMNS: usize = 5;
        const GAP: f64 = 24.0;
        const MARGIN: f64 = 48.0;
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let all = self.items();
        let (left, top) = if all.is_empty() {
            (0.0, 0.0)
        } else {
            let left = all.iter().map(|i| i.x).fold(f64::INFINITY, f64::min);
            let bottom = all
                .iter()
                .map(|i| i.y + i.h)
                .fold(f64::NEG_INFINITY, f64::max);
            (left, bottom + 2.0 * MARGIN)
        };
        let (nw, nh) = ItemKind::Note.default_size();
        let rows = lines.len().div_ceil(COLUMNS).max(1);
        let columns = lines.len().clamp(1, COLUMNS);
        let frame = match frame_title {
            Some(title) => {
                let w = columns as f64 * (nw + GAP) - GAP + 2.0 * MARGIN;
                let h = rows as f64 * (nh + GAP) - GAP + 2.0 * MARGIN + 40.0;
                Some(self.create(NewItem::frame(left, top, w, h, title))?)
            }
            None => None,
        };
        let (origin_x, origin_y) = match frame {
            Some(_) => (left + MARGIN, top + MARGIN + 40.0),
            None => (left, top),
        };
        let mut ids = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            let x = origin_x + (index % COLUMNS) as f64 * (nw + GAP);
            let y = origin_y + (index / COLUMNS) as f64 * (nh + GAP);
            let mut note = NewItem::note(x, y, *line);
            note.parent = frame;
            ids.push(self.create(note)?);
        }
        Ok(ids)
    }

    pub(crate) fn skeletons(&self) -> Vec<Skeleton> {
        self.items
            .iter(&self.txn)
            .filter_map(|(key, value)| read_skeleton(&self.txn, key, value))
            .collect()
    }

    /// `ids` plus the contents of any frame among them.
    fn with_children(&self, ids: &[ItemId]) -> Result<BTreeSet<ItemId>> {
        let mut set: BTreeSet<ItemId> = BTreeSet::new();
        let mut frames: HashSet<ItemId> = HashSet::new();
        for id in ids {
            let map = self.map(*id)?;
            if read_string(&self.txn, &map, "type").as_deref() == Some("frame") {
                frames.insert(*id);
            }
            set.insert(*id);
        }
        if !frames.is_empty() {
            for item in self.skeletons() {
                if item.parent.is_some_and(|p| frames.contains(&p)) {
                    set.insert(item.id);
                }
            }
        }
        Ok(set)
    }

    pub(crate) fn map(&self, id: ItemId) -> Result<MapRef> {
        match self.items.get(&self.txn, &id.to_string()) {
            Some(Out::YMap(map)) => Ok(map),
            _ => Err(Error::ItemNotFound(id)),
        }
    }

    fn text_ref(&mut self, map: &MapRef) -> TextRef {
        match map.get(&self.txn, "text") {
            Some(Out::YText(text)) => text,
            other => {
                let old = match other {
                    Some(Out::Any(Any::String(s))) => s.to_string(),
                    _ => String::new(),
                };
                map.insert(&mut self.txn, "text", TextPrelim::new(old))
            }
        }
    }

    /// Rewrites tags from a foreign `tags` value as `tag:` keys, so that they
    /// can be removed one by one.
    fn adopt_foreign_tags(&mut self, map: &MapRef) {
        let foreign = crate::item::foreign_tags(&self.txn, map);
        if map.get(&self.txn, "tags").is_none() {
            return;
        }
        for tag in foreign {
            map.insert(&mut self.txn, format!("{TAG_PREFIX}{tag}"), true);
        }
        map.remove(&mut self.txn, "tags");
    }

    pub(crate) fn touch(&mut self, map: &MapRef) {
        map.insert(&mut self.txn, "updated", self.now as f64);
    }

    pub(crate) fn top_z(&mut self) -> f64 {
        if let Some(top) = self.top {
            return top;
        }
        let top = self
            .items
            .iter(&self.txn)
            .filter_map(|(_, value)| match value {
                Out::YMap(map) => read_number(&self.txn, &map, "z"),
                _ => None,
            })
            .map(|z| z.clamp(-MAX_COORD, MAX_COORD))
            .fold(f64::NEG_INFINITY, f64::max);
        let top = if top.is_finite() { top } else { 0.0 };
        self.top = Some(top);
        top
    }

    fn restack(&mut self, ids: &[ItemId], z_for_rank: impl Fn(usize) -> f64) -> Result<()> {
        let mut chosen = ids
            .iter()
            .map(|id| self.item(*id))
            .collect::<Result<Vec<_>>>()?;
        chosen.sort_by(|a, b| a.z.total_cmp(&b.z));
        for (rank, item) in chosen.iter().enumerate() {
            let map = self.map(item.id)?;
            let z = z_for_rank(rank);
            map.insert(&mut self.txn, "z", z);
            self.touch(&map);
            self.top = self.top.map(|top| top.max(z));
        }
        Ok(())
    }

    fn check_parent(&self, child: ItemId, kind: ItemKind, parent: ItemId) -> Result<()> {
        if !matches!(kind, ItemKind::Note | ItemKind::Label) {
            return Err(Error::InvalidParent {
                child,
                parent,
                reason: "only notes and labels can be placed into a frame",
            });
        }
        if child == parent {
            return Err(Error::InvalidParent {
                child,
                parent,
                reason: "an item cannot contain itself",
            });
        }
        if self.item(parent)?.kind != ItemKind::Frame {
            return Err(Error::InvalidParent {
                child,
                parent,
                reason: "the parent is not a frame",
            });
        }
        Ok(())
    }

    /// Writes every field of `item` under its id, replacing what is there.
    fn write_item(&mut self, item: &Item) -> Result<()> {
        let spec = NewItem {
            kind: item.kind,
            x: item.x,
            y: item.y,
            size: Some((item.w, item.h)),
            color: Some(item.color.clone()),
            text: item.text.clone(),
            tags: item.tags.clone(),
            parent: item
                .parent
                .filter(|p| self.item(*p).is_ok_and(|i| i.kind == ItemKind::Frame)),
            from: item.from,
            to: item.to,
            id: Some(item.id),
        };
        if item.kind == ItemKind::Connector && !self.connector_ends_exist(item) {
            return Ok(());
        }
        self.create(spec)?;
        let map = self.map(item.id)?;
        self.write_provenance(&map, item);
        Ok(())
    }

    /// Updates the fields of an existing item of the same kind to those of `item`.
    fn overwrite(&mut self, item: &Item) -> Result<()> {
        check_coord("x", item.x)?;
        check_coord("y", item.y)?;
        let color = check_color(item.color.clone())?;
        let map = self.map(item.id)?;
        map.insert(&mut self.txn, "x", item.x);
        map.insert(&mut self.txn, "y", item.y);
        map.insert(&mut self.txn, "w", item.w);
        map.insert(&mut self.txn, "h", item.h);
        map.insert(&mut self.txn, "z", item.z);
        map.insert(&mut self.txn, "color", color.as_str());
        self.set_text(item.id, &item.text)?;
        let current = self.item(item.id)?;
        for tag in current.tags.iter().filter(|t| !item.tags.contains(t)) {
            self.remove_tag(item.id, tag)?;
        }
        for tag in item.tags.iter().filter(|t| !current.tags.contains(t)) {
            self.add_tag(item.id, tag)?;
        }
        for (key, value) in [
            ("parent", item.parent),
            ("from", item.from),
            ("to", item.to),
        ] {
            match value {
                Some(value) => {
                    map.insert(&mut self.txn, key, value.to_string());
                }
                None => {
                    map.remove(&mut self.txn, key);
                }
            }
        }
        self.write_provenance(&map, item);
        Ok(())
    }

    fn write_provenance(&mut self, map: &MapRef, item: &Item) {
        map.insert(&mut self.txn, "z", item.z);
        self.top = self.top.map(|top| top.max(item.z));
        map.insert(&mut self.txn, "author", item.author.as_str());
        map.insert(&mut self.txn, "authorId", item.author_id.as_str());
        map.insert(&mut self.txn, "created", item.created as f64);
        map.insert(&mut self.txn, "updated", self.now as f64);
        self.write_annotations(map, item);
    }

    fn connector_ends_exist(&self, item: &Item) -> bool {
        [item.from, item.to]
            .iter()
            .all(|end| end.is_some_and(|end| self.map(end).is_ok()))
    }
}

/// Creates items with their ids, authors and times as given (imports of full
/// board JSON). Items whose references do not resolve lose the reference.
pub(crate) fn write_items(edit: &mut Edit<'_>, items: &[Item]) -> Result<()> {
    let mut order: Vec<&Item> = items.iter().collect();
    order.sort_by_key(|i| match i.kind {
        ItemKind::Frame => 0,
        ItemKind::Connector => 2,
        _ => 1,
    });
    for item in order {
        edit.write_item(item)?;
    }
    Ok(())
}

fn apply_text_edit(
    txn: &mut TransactionMut<'_>,
    text: &TextRef,
    index: u32,
    delete: u32,
    insert: &str,
) {
    if delete > 0 {
        text.remove_range(txn, index, delete);
    }
    if !insert.is_empty() {
        text.insert(txn, index, insert);
    }
}

fn all_items<T: ReadTxn>(txn: &T, items: &MapRef) -> Vec<Item> {
    items
        .iter(txn)
        .filter_map(|(key, value)| match value {
            Out::YMap(map) => read_item(txn, ItemId::parse(key)?, &map),
            _ => None,
        })
        .collect()
}

/// The references of an item, read without its text: enough to follow frames
/// and connectors cheaply on large boards.
pub(crate) struct Skeleton {
    pub(crate) id: ItemId,
    pub(crate) kind: ItemKind,
    pub(crate) parent: Option<ItemId>,
    pub(crate) from: Option<ItemId>,
    pub(crate) to: Option<ItemId>,
}

fn read_skeleton<T: ReadTxn>(txn: &T, key: &str, value: Out) -> Option<Skeleton> {
    let Out::YMap(map) = value else { return None };
    let id = ItemId::parse(key)?;
    let kind = ItemKind::parse(&read_string(txn, &map, "type")?)?;
    let reference = |k| read_string(txn, &map, k).and_then(|s| ItemId::parse(&s));
    Some(Skeleton {
        id,
        kind,
        parent: reference("parent").filter(|p| *p != id),
        from: reference("from"),
        to: reference("to"),
    })
}

fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

fn check_coord(field: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value.abs() <= MAX_COORD {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field,
            reason: format!("{value} is not a position on the board"),
        })
    }
}

fn check_size(field: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && (0.0..=MAX_COORD).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field,
            reason: format!("{value} is not a valid size"),
        })
    }
}

fn check_color(color: String) -> Result<String> {
    if crate::item::is_valid_color(&color) {
        Ok(color)
    } else {
        Err(Error::InvalidValue {
            field: "color",
            reason: format!("unknown colour {color:?}"),
        })
    }
}
