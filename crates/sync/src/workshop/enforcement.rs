//! Enforcement on the document: observers that note what a peer's
//! transaction touched ([`observe`], [`Touched`]), and the `Guard` that
//! keeps what the host wrote into the `workshop` map and snapshots of
//! locked items, and undoes what a peer was not allowed to change with a
//! restoring transaction of the host. Hiding buttons is not enforcement.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use stellwand_board::workshop::{self, Entry, Workshop};
use yrs::types::{Event, PathSegment};
use yrs::{
    Any, DeepObservable, Doc, GetString, Map, MapPrelim, MapRef, Out, ReadTxn, Text, TextPrelim,
    TextRef, Transact, TransactionMut,
};

use super::ITEMS_ROOT;

/// Transaction origin of the host's own writes.
pub const HOST_ORIGIN: &str = "stellwand-sync:host";

const OBSERVER_KEY: &str = "stellwand-sync:workshop";

/// What observers saw a peer change, collected per transaction.
#[derive(Debug, Default)]
pub struct Touched {
    /// The `workshop` root changed.
    pub workshop: bool,
    /// Items whose content (or existence) changed, apart from comments and
    /// reactions.
    pub items: HashSet<Arc<str>>,
}

/// The transaction origin the server applies a connection's updates with.
#[must_use]
pub fn peer_origin(conn: u64) -> String {
    format!("stellwand-sync:peer:{conn}")
}

/// Whether a key of an item stays open on a locked item: comments,
/// reactions, and the time of the last change they set.
fn is_social_key(key: &str) -> bool {
    key == "comments"
        || key == "updated"
        || key.starts_with("comment:")
        || key.starts_with("react:")
}

/// The origin of a transaction as a string key; `None` for the host's own.
fn origin_key(txn: &TransactionMut) -> Option<String> {
    let origin = txn.origin()?;
    let text = String::from_utf8_lossy(origin.as_ref()).into_owned();
    (text != HOST_ORIGIN).then_some(text)
}

/// Collects what transactions with another origin than the host's changed,
/// by origin, into `sink`. Install once on the board's document.
pub fn observe(doc: &Doc, sink: Arc<Mutex<HashMap<String, Touched>>>) {
    let items = doc.get_or_insert_map(ITEMS_ROOT);
    let root = doc.get_or_insert_map(workshop::ROOT);
    let items_sink = sink.clone();
    items.observe_deep(OBSERVER_KEY, move |txn, events| {
        let Some(origin) = origin_key(txn) else {
            return;
        };
        let mut touched = HashSet::new();
        for event in events.iter() {
            let path = event.path();
            match path.front() {
                None => {
                    if let Event::Map(e) = event {
                        for key in e.keys(txn).keys() {
                            touched.insert(key.clone());
                        }
                    }
                }
                Some(PathSegment::Key(id)) => {
                    let social = match path.get(1) {
                        Some(PathSegment::Key(field)) => is_social_key(field.as_ref()),
                        Some(PathSegment::Index(_)) => false,
                        None => match event {
                            Event::Map(e) => e.keys(txn).keys().all(|k| is_social_key(k)),
                            _ => false,
                        },
                    };
                    if !social {
                        touched.insert(id.clone());
                    }
                }
                Some(PathSegment::Index(_)) => {}
            }
        }
        if let Ok(mut map) = items_sink.lock() {
            map.entry(origin).or_default().items.extend(touched);
        }
    });
    root.observe_deep(OBSERVER_KEY, move |txn, _events| {
        let Some(origin) = origin_key(txn) else {
            return;
        };
        if let Ok(mut map) = sink.lock() {
            map.entry(origin).or_default().workshop = true;
        }
    });
}

/// A locked item as the facilitator left it.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    fields: Vec<(String, Any)>,
    text: Option<String>,
}

/// What the host wrote into the `workshop` map and how locked items must
/// look: the state restoring transactions bring the document back to.
#[derive(Debug)]
pub(crate) struct Guard {
    /// The map as the host last wrote it, value by value (also keys this
    /// version does not interpret, as they were when the host started).
    written: HashMap<String, Any>,
    locked: HashMap<String, Snapshot>,
}

impl Guard {
    /// Takes the map as it is in `doc` as the host's, and snapshots the
    /// items it lists as locked.
    pub(crate) fn new(doc: &Doc) -> Self {
        let txn = doc.transact();
        let mut written = HashMap::new();
        if let Some(root) = txn.get_map(workshop::ROOT) {
            for (key, value) in root.iter(&txn) {
                if let Out::Any(any) = value {
                    written.insert(key.to_owned(), any);
                }
            }
        }
        let mut locked = HashMap::new();
        let locks = Workshop::from_entries(written.iter().map(|(k, v)| (k.as_str(), v))).locks;
        if let Some(items) = txn.get_map(ITEMS_ROOT) {
            for id in locks {
                if let Some(item) = item_map(&items, &txn, &id) {
                    locked.insert(id, snapshot(&item, &txn));
                }
            }
        }
        Self { written, locked }
    }

    /// The typed form of what the host wrote.
    pub(crate) fn workshop(&self) -> Workshop {
        Workshop::from_entries(self.written.iter().map(|(k, v)| (k.as_str(), v)))
    }

    /// Writes `entries` as the host in one transaction and returns its
    /// update.
    pub(crate) fn write(&mut self, doc: &Doc, entries: &[Entry]) -> Vec<u8> {
        let mut txn = doc.transact_mut_with(HOST_ORIGIN);
        for entry in entries {
            match workshop::write(&mut txn, entry) {
                (key, Some(value)) => {
                    self.written.insert(key, value);
                }
                (key, None) => {
                    self.written.remove(&key);
                }
            }
        }
        txn.encode_update_v1()
    }

    /// Snapshots `ids` as they are now (`locked`), or forgets them.
    pub(crate) fn lock(&mut self, doc: &Doc, ids: &[String], locked: bool) {
        if !locked {
            for id in ids {
                self.locked.remove(id);
            }
            return;
        }
        let txn = doc.transact();
        let Some(items) = txn.get_map(ITEMS_ROOT) else {
            return;
        };
        for id in ids {
            if let Some(item) = item_map(&items, &txn, id) {
                self.locked.insert(id.clone(), snapshot(&item, &txn));
            }
        }
    }

    /// After a peer's update was applied: undoes what it was not allowed to
    /// change: the `workshop` map always, locked items unless the peer is
    /// the facilitator (whose changes become the new snapshot). Returns the
    /// restoring update, if one was needed.
    pub(crate) fn enforce(
        &mut self,
        doc: &Doc,
        conn: u64,
        facilitator: bool,
        touched: &Touched,
    ) -> Option<Vec<u8>> {
        let locked: Vec<String> = if facilitator {
            Vec::new()
        } else {
            touched
                .items
                .iter()
                .filter(|id| self.locked.contains_key(&***id))
                .map(|id| id.to_string())
                .collect()
        };
        if facilitator {
            // The facilitator may change locked items; keep their new state.
            let txn = doc.transact();
            if let Some(items) = txn.get_map(ITEMS_ROOT) {
                for id in &touched.items {
                    if self.locked.contains_key(&**id) {
                        if let Some(item) = item_map(&items, &txn, id) {
                            self.locked.insert(id.to_string(), snapshot(&item, &txn));
                        }
                    }
                }
            }
        }
        if !touched.workshop && locked.is_empty() {
            return None;
        }
        let root = doc.get_or_insert_map(workshop::ROOT);
        let items = doc.get_or_insert_map(ITEMS_ROOT);
        let mut txn = doc.transact_mut_with(HOST_ORIGIN);
        if touched.workshop {
            restore_workshop(&root, &mut txn, &self.written);
        }
        for id in &locked {
            if let Some(snap) = self.locked.get(id) {
                restore_item(&items, &mut txn, id, snap);
            }
        }
        let update = txn.encode_update_v1();
        drop(txn);
        tracing::info!(
            conn,
            items = locked.len(),
            workshop = touched.workshop,
            "undid a change the peer may not make"
        );
        Some(update)
    }
}

pub(crate) fn item_map<T: ReadTxn>(doc_items: &MapRef, txn: &T, id: &str) -> Option<MapRef> {
    match doc_items.get(txn, id)? {
        Out::YMap(m) => Some(m),
        _ => None,
    }
}

fn snapshot<T: ReadTxn>(item: &MapRef, txn: &T) -> Snapshot {
    let mut fields = Vec::new();
    let mut text = None;
    for (key, value) in item.iter(txn) {
        if is_social_key(key) {
            continue;
        }
        match value {
            Out::Any(any) => fields.push((key.to_owned(), any)),
            Out::YText(t) if key == "text" => text = Some(t.get_string(txn)),
            _ => {}
        }
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Snapshot { fields, text }
}

fn restore_workshop(root: &MapRef, txn: &mut TransactionMut, written: &HashMap<String, Any>) {
    let present: Vec<(String, Option<Any>)> = root
        .iter(txn)
        .map(|(k, v)| {
            (
                k.to_owned(),
                match v {
                    Out::Any(a) => Some(a),
                    _ => None,
                },
            )
        })
        .collect();
    for (key, value) in &present {
        match written.get(key) {
            None => {
                root.remove(txn, key);
            }
            Some(w) if value.as_ref() != Some(w) => {
                root.insert(txn, key.as_str(), w.clone());
            }
            Some(_) => {}
        }
    }
    for (key, value) in written {
        if !present.iter().any(|(k, _)| k == key) {
            root.insert(txn, key.as_str(), value.clone());
        }
    }
}

fn restore_item(items: &MapRef, txn: &mut TransactionMut, id: &str, snap: &Snapshot) {
    let Some(item) = item_map(items, txn, id) else {
        let mut prelim: HashMap<String, Any> = HashMap::new();
        for (k, v) in &snap.fields {
            prelim.insert(k.clone(), v.clone());
        }
        let item = items.insert(txn, id, prelim.into_iter().collect::<MapPrelim>());
        if let Some(text) = &snap.text {
            item.insert(txn, "text", TextPrelim::new(text.as_str()));
        }
        return;
    };
    let current: Vec<(String, Out)> = item.iter(txn).map(|(k, v)| (k.to_owned(), v)).collect();
    for (key, value) in &current {
        if is_social_key(key) || key == "text" {
            continue;
        }
        let wanted = snap.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        match (value, wanted) {
            (Out::Any(a), Some(w)) if a == w => {}
            (_, Some(w)) => {
                item.insert(txn, key.as_str(), w.clone());
            }
            (_, None) => {
                item.remove(txn, key);
            }
        }
    }
    for (key, value) in &snap.fields {
        if !current.iter().any(|(k, _)| k == key) {
            item.insert(txn, key.as_str(), value.clone());
        }
    }
    if let Some(text) = &snap.text {
        match item.get(txn, "text") {
            Some(Out::YText(t)) => restore_text(&t, txn, text),
            _ => {
                item.insert(txn, "text", TextPrelim::new(text.as_str()));
            }
        }
    }
}

fn restore_text(t: &TextRef, txn: &mut TransactionMut, text: &str) {
    if t.get_string(txn) != text {
        let len = t.len(txn);
        t.remove_range(txn, 0, len);
        t.insert(txn, 0, text);
    }
}
