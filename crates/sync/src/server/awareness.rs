//! A room's awareness table: the latest presence state per client id, who
//! introduced it, and when it was last renewed. Pure bookkeeping; the room
//! relays what this accepts.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use bytes::Bytes;

use super::limits::{MAX_AWARENESS_IDS_PER_CONNECTION, MAX_AWARENESS_STATE_BYTES};
use crate::protocol::{AwarenessEntry, AwarenessUpdate};

pub(super) struct Record {
    clock: u32,
    state: String,
    /// The connection that introduced this client id; only it may change it.
    pub(super) owner: u64,
    /// Last renewal.
    pub(super) updated: Instant,
}

#[derive(Default)]
pub(super) struct AwarenessTable {
    table: Mutex<HashMap<u64, Record>>,
}

impl AwarenessTable {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Record>> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every known state as one awareness frame, for a newcomer or a
    /// query-awareness; `None` if nobody is present.
    pub(super) fn snapshot(&self) -> Option<Bytes> {
        let table = self.lock();
        if table.is_empty() {
            return None;
        }
        let update = AwarenessUpdate {
            entries: table
                .iter()
                .map(|(id, r)| AwarenessEntry {
                    client_id: *id,
                    clock: r.clock,
                    state: r.state.clone(),
                })
                .collect(),
        };
        Some(Bytes::from(update.to_frame()))
    }

    /// Takes what `conn` may publish of `update` at `now` and returns it:
    /// entries of ids another connection introduced, states over
    /// [`MAX_AWARENESS_STATE_BYTES`] and ids beyond
    /// [`MAX_AWARENESS_IDS_PER_CONNECTION`] are left out.
    pub(super) fn apply(
        &self,
        conn: u64,
        update: AwarenessUpdate,
        now: Instant,
    ) -> Vec<AwarenessEntry> {
        let mut accepted = Vec::with_capacity(update.entries.len());
        let mut table = self.lock();
        let mut owned = table.values().filter(|r| r.owner == conn).count();
        for e in update.entries {
            if e.state.len() > MAX_AWARENESS_STATE_BYTES {
                continue;
            }
            match table.get(&e.client_id) {
                Some(r) if r.owner != conn => continue,
                Some(_) => {}
                None if e.is_removal() => {}
                None if owned >= MAX_AWARENESS_IDS_PER_CONNECTION => continue,
                None => owned += 1,
            }
            if e.is_removal() {
                table.remove(&e.client_id);
            } else {
                table.insert(
                    e.client_id,
                    Record {
                        clock: e.clock,
                        state: e.state.clone(),
                        owner: conn,
                        updated: now,
                    },
                );
            }
            accepted.push(e);
        }
        accepted
    }

    /// Removes the entries `pred` picks and returns the removal frame
    /// (state `null`, clock + 1) to relay, if any were removed.
    pub(super) fn remove_where(&self, pred: impl Fn(&Record) -> bool) -> Option<Bytes> {
        let removed: Vec<AwarenessEntry> = {
            let mut table = self.lock();
            let ids: Vec<u64> = table
                .iter()
                .filter(|(_, r)| pred(r))
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter()
                .filter_map(|id| {
                    table.remove(&id).map(|r| AwarenessEntry {
                        client_id: id,
                        clock: r.clock.wrapping_add(1),
                        state: "null".into(),
                    })
                })
                .collect()
        };
        (!removed.is_empty()).then(|| Bytes::from(AwarenessUpdate { entries: removed }.to_frame()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(client_id: u64, state: &str) -> AwarenessEntry {
        AwarenessEntry {
            client_id,
            clock: 1,
            state: state.into(),
        }
    }

    #[test]
    fn a_connection_may_not_change_an_id_another_introduced() {
        let table = AwarenessTable::default();
        let now = Instant::now();
        let mine = AwarenessUpdate {
            entries: vec![entry(7, r#"{"user":{"name":"Ana"}}"#)],
        };
        assert_eq!(table.apply(1, mine, now).len(), 1);
        let theirs = AwarenessUpdate {
            entries: vec![entry(7, r#"{"user":{"name":"Mallory"}}"#), entry(7, "null")],
        };
        assert!(table.apply(2, theirs, now).is_empty());
        assert!(table.remove_where(|r| r.owner == 2).is_none());
        assert!(table.remove_where(|r| r.owner == 1).is_some());
        assert!(table.snapshot().is_none());
    }

    #[test]
    fn a_connection_publishes_a_bounded_number_of_ids() {
        let table = AwarenessTable::default();
        let many = AwarenessUpdate {
            entries: (0..100).map(|id| entry(id, "{}")).collect(),
        };
        let accepted = table.apply(1, many, Instant::now());
        assert_eq!(accepted.len(), MAX_AWARENESS_IDS_PER_CONNECTION);
    }
}
