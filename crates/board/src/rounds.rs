//! Voting rounds as the host records them in the `workshop` root map
//! (`round:<id>` keys, see docs/workshop.md): read-only, for exports and
//! views. Reading is total: a malformed round is skipped.

use std::collections::BTreeMap;

use yrs::{Any, Doc, Map, Out, ReadTxn, Transact};

use crate::{Item, ItemId};

/// Name of the root map the host writes.
pub const WORKSHOP: &str = "workshop";

/// A voting round.
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    pub id: String,
    pub title: String,
    /// Still open: no results yet.
    pub open: bool,
    /// Unix milliseconds.
    pub started: i64,
    /// Unix milliseconds, for a closed round.
    pub ended: Option<i64>,
    /// How many people voted.
    pub people: u32,
    /// Votes per note id (as the host counted them).
    pub results: BTreeMap<String, u32>,
}

fn num(map: &std::collections::HashMap<String, Any>, key: &str) -> Option<f64> {
    match map.get(key)? {
        Any::Number(n) => n.as_f64().filter(|v| v.is_finite()),
        _ => None,
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn round_of(map: &std::collections::HashMap<String, Any>) -> Option<Round> {
    let text = |key: &str| match map.get(key) {
        Some(Any::String(s)) => Some(s.to_string()),
        _ => None,
    };
    let id = text("id")?;
    let open = text("state").as_deref() != Some("closed");
    let results = match map.get("results") {
        Some(Any::Map(r)) => r
            .iter()
            .filter_map(|(k, v)| match v {
                Any::Number(n) => n
                    .as_f64()
                    .filter(|v| v.is_finite() && *v >= 0.0 && *v <= 1e6)
                    .map(|v| (k.clone(), v as u32)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    Some(Round {
        id,
        title: text("title").unwrap_or_default(),
        open,
        started: num(map, "started").unwrap_or(0.0) as i64,
        ended: num(map, "ended").map(|v| v as i64),
        people: num(map, "people").unwrap_or(0.0).clamp(0.0, 1e6) as u32,
        results,
    })
}

/// Every voting round of the board, oldest first.
#[must_use]
pub fn rounds(doc: &Doc) -> Vec<Round> {
    let txn = doc.transact();
    let Some(root) = txn.get_map(WORKSHOP) else {
        return Vec::new();
    };
    let mut rounds: Vec<Round> = root
        .iter(&txn)
        .filter(|(key, _)| key.starts_with("round:"))
        .filter_map(|(_, value)| match value {
            Out::Any(Any::Map(map)) => round_of(&map),
            _ => None,
        })
        .collect();
    rounds.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(&b.id)));
    rounds
}

/// The votes of a note in `round`: its own plus those of every note merged
/// into it.
#[must_use]
pub fn votes_of(round: &Round, item: &Item) -> u32 {
    let get = |id: &ItemId| round.results.get(&id.to_string()).copied().unwrap_or(0);
    item.merged
        .iter()
        .fold(get(&item.id), |sum, id| sum.saturating_add(get(id)))
}
