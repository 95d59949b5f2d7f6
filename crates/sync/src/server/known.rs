//! What a room's document already holds, to tell an update that changes
//! the board from one that changes nothing: a copy resent after a
//! reconnect, or the whole delete set every SyncStep2 repeats. Those are
//! neither stored again nor forwarded.
//!
//! An update changes nothing when every struct it carries lies below the
//! document's state vector (so it is integrated) and every range it deletes
//! is already deleted. The state vector is the document's own; the deleted
//! ranges are kept here, seeded once from the loaded document and extended
//! by every committed transaction, because yrs computes a document's delete
//! set only by walking all of its blocks.
//!
//! The answer errs only towards "changes something": structs the document
//! holds as pending (waiting for a missing predecessor), deletes of items
//! it has not seen, and two copies in flight at the same time are all
//! treated as new. Storing and applying those again is harmless, since
//! applying is idempotent; treating new content as old would lose it.

use std::sync::{Arc, Mutex, PoisonError};

use yrs::{Doc, IdSet, ReadTxn, Transact, Update};

/// Observer key of the deletion tracking.
const OBSERVER_KEY: &str = "stellwand-sync:known-deletes";

/// The ranges a room's document has deleted so far.
pub(super) struct Known {
    deleted: Arc<Mutex<IdSet>>,
}

impl Known {
    /// Starts tracking `doc`: reads its delete set once (a walk over the
    /// document, as long as loading it took), then adds what each committed
    /// transaction deletes. Call before the document is shared.
    pub(super) fn track(doc: &Doc) -> Self {
        let deleted = Arc::new(Mutex::new(doc.transact().snapshot().delete_set));
        let sink = deleted.clone();
        let observed = doc.observe_transaction_cleanup(OBSERVER_KEY, move |_, event| {
            if !event.delete_set.is_empty() {
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .merge_with(event.delete_set.clone());
            }
        });
        if let Err(e) = observed {
            // Without the observer the set stays as loaded: later deletes
            // then count as new, which only costs a redundant store.
            tracing::warn!(error = %e, "could not track deletions; resent deletes will be stored again");
        }
        Self { deleted }
    }

    /// Whether `doc` already holds everything `update` carries.
    pub(super) fn holds_all_of(&self, doc: &Doc, update: &Update) -> bool {
        let state = doc.transact().state_vector();
        let structs_known = update.insertions(true).iter().all(|(client, ranges)| {
            ranges
                .iter()
                .next_back()
                .is_none_or(|last| last.end <= state.get(client))
        });
        if !structs_known {
            return false;
        }
        let deletes = update.delete_set();
        if deletes.is_empty() {
            return true;
        }
        let deleted = self.deleted.lock().unwrap_or_else(PoisonError::into_inner);
        let deletes_known =
            deletes.client_ids().all(
                |client| match (deletes.get(&client), deleted.get(&client)) {
                    (Some(new), Some(known)) => new.is_empty() || new.subset_of(known),
                    (Some(new), None) => new.is_empty(),
                    (None, _) => true,
                },
            );
        deletes_known
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::updates::decoder::Decode;
    use yrs::{Map, StateVector, Text};

    fn diff(doc: &Doc, since: &StateVector) -> Vec<u8> {
        doc.transact().encode_state_as_update_v1(since)
    }

    fn held(known: &Known, doc: &Doc, update: &[u8]) -> bool {
        known.holds_all_of(doc, &Update::decode_v1(update).unwrap())
    }

    fn apply(doc: &Doc, update: &[u8]) {
        doc.transact_mut()
            .apply_update(Update::decode_v1(update).unwrap())
            .unwrap();
    }

    #[test]
    fn an_applied_update_is_held_and_a_new_one_is_not() {
        let (author, board) = (Doc::new(), Doc::new());
        let known = Known::track(&board);
        author
            .get_or_insert_text("t")
            .insert(&mut author.transact_mut(), 0, "hello");
        let first = diff(&author, &StateVector::default());
        assert!(!held(&known, &board, &first));
        apply(&board, &first);
        assert!(held(&known, &board, &first));
        assert!(held(&known, &board, Update::EMPTY_V1));

        let before = author.transact().state_vector();
        author
            .get_or_insert_text("t")
            .insert(&mut author.transact_mut(), 5, "!");
        let both = diff(&author, &StateVector::default());
        assert!(!held(&known, &board, &diff(&author, &before)));
        assert!(!held(&known, &board, &both), "partly new is new");
    }

    #[test]
    fn a_pure_delete_is_new_until_applied() {
        let (author, board) = (Doc::new(), Doc::new());
        let known = Known::track(&board);
        let items = author.get_or_insert_map("items");
        items.insert(&mut author.transact_mut(), "a", "note");
        apply(&board, &diff(&author, &StateVector::default()));
        let before = author.transact().state_vector();
        items.remove(&mut author.transact_mut(), "a");
        let delete = diff(&author, &before);
        assert_eq!(author.transact().state_vector(), before);
        assert!(!held(&known, &board, &delete));
        apply(&board, &delete);
        assert!(held(&known, &board, &delete));
        // What a reconnecting peer sends: everything, deletes included.
        assert!(held(
            &known,
            &board,
            &diff(&author, &StateVector::default())
        ));
    }

    #[test]
    fn deletes_of_a_loaded_document_are_known() {
        let board = Doc::new();
        let items = board.get_or_insert_map("items");
        items.insert(&mut board.transact_mut(), "a", "note");
        items.remove(&mut board.transact_mut(), "a");
        let everything = diff(&board, &StateVector::default());
        let known = Known::track(&board);
        assert!(held(&known, &board, &everything));
    }

    #[test]
    fn an_update_beyond_a_gap_is_new() {
        let (author, board) = (Doc::new(), Doc::new());
        let known = Known::track(&board);
        let text = author.get_or_insert_text("t");
        text.insert(&mut author.transact_mut(), 0, "a");
        let first = author.transact().state_vector();
        text.insert(&mut author.transact_mut(), 1, "b");
        let second = diff(&author, &first);
        // Its predecessor never arrived: the board keeps it pending.
        apply(&board, &second);
        assert!(!held(&known, &board, &second));
    }
}
