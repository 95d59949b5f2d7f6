//! The typed `workshop` map: what the host writes reads back the same on
//! another peer, whatever a foreign client writes there reads as defaults
//! (never a panic), and the JSON the desktop hands to the window is the JSON
//! the map holds.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Value};
use stellwand_board::workshop::{
    self, Entry, Outcome, Presentation, PrivateWriting, Round, RoundState, Summon, Timer,
    TimerState, Workshop,
};
use stellwand_board::yrs::updates::decoder::Decode;
use stellwand_board::yrs::{Any, Doc, Map, MapPrelim, Out, ReadTxn, StateVector, Transact, Update};

const T0: i64 = 1_795_816_759_254;

fn timer() -> Timer {
    Timer {
        state: TimerState::Running,
        ends_at: T0 + 300_000,
        remaining: 300_000,
        duration: 300_000,
        changed: T0,
    }
}

fn open_round() -> Round {
    Round {
        id: "r2".into(),
        title: "Noch offen".into(),
        scope: Some("frame-1".into()),
        per_person: 3,
        multiple: false,
        anonymous: true,
        started: T0 + 10,
        state: RoundState::Open,
    }
}

fn closed_round() -> Round {
    Round {
        id: "r1".into(),
        title: "Was zuerst?".into(),
        scope: None,
        per_person: 2,
        multiple: true,
        anonymous: false,
        started: T0,
        state: RoundState::Closed(Outcome {
            ended: Some(T0 + 5),
            people: 2,
            results: [("n1".to_owned(), 2), ("n2".to_owned(), 1)].into(),
            voters: Some(
                [
                    ("n1".to_owned(), vec!["Anna".to_owned(), "Ben".to_owned()]),
                    ("n2".to_owned(), vec!["Anna".to_owned()]),
                ]
                .into(),
            ),
        }),
    }
}

fn full_state() -> Workshop {
    Workshop {
        timer: Some(timer()),
        private: Some(PrivateWriting {
            on: true,
            anonymous: false,
            changed: T0 + 1,
        }),
        present: Some(Presentation {
            frame: Some("frame-1".into()),
            seq: 4,
        }),
        summon: Some(Summon {
            x: 120.5,
            y: -40.0,
            zoom: 0.8,
            seq: 5,
        }),
        locks: ["a".to_owned(), "b".to_owned()].into(),
        rounds: vec![closed_round(), open_round()],
        facilitator: Some("Fiona".into()),
    }
}

fn entries(state: &Workshop) -> Vec<Entry> {
    let mut entries = vec![Entry::Timer(state.timer), Entry::Locks(state.locks.clone())];
    entries.extend(state.private.map(Entry::Private));
    entries.extend(state.present.clone().map(Entry::Present));
    entries.extend(state.summon.map(Entry::Summon));
    entries.extend(state.facilitator.clone().map(Entry::Facilitator));
    entries.extend(state.rounds.iter().cloned().map(Entry::Round));
    entries
}

fn write_all(doc: &Doc, entries: &[Entry]) {
    let mut txn = doc.transact_mut();
    for entry in entries {
        workshop::write(&mut txn, entry);
    }
}

fn copy(from: &Doc) -> Doc {
    let to = Doc::new();
    let update = from
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    to.transact_mut()
        .apply_update(Update::decode_v1(&update).unwrap())
        .unwrap();
    to
}

#[test]
fn the_typed_state_round_trips_through_a_yrs_doc() {
    let host = Doc::new();
    let state = full_state();
    write_all(&host, &entries(&state));
    let peer = copy(&host);
    assert_eq!(Workshop::of(&peer), state);
    assert_eq!(workshop::rounds(&peer)[0].id, "r1", "oldest first");
    assert_eq!(Workshop::of(&peer).open_round(), Some(&open_round()));
    assert_eq!(Workshop::of(&peer).seq(), 5);

    // Writing no timer removes the key; other keys stay.
    write_all(&host, &[Entry::Timer(None)]);
    let txn = host.transact();
    let root = txn.get_map(workshop::ROOT).unwrap();
    assert!(root.get(&txn, workshop::TIMER).is_none());
    assert!(root.get(&txn, workshop::LOCKS).is_some());
}

#[test]
fn an_empty_board_reads_as_an_empty_workshop() {
    assert_eq!(Workshop::of(&Doc::new()), Workshop::default());
    let json = serde_json::to_value(Workshop::default()).unwrap();
    assert_eq!(
        json,
        json!({
            "timer": null, "private": null, "present": null, "summon": null,
            "locks": [], "rounds": [], "facilitator": null
        })
    );
}

fn any_map(entries: Vec<(&str, Any)>) -> Any {
    Any::from(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<HashMap<String, Any>>(),
    )
}

#[test]
fn a_foreign_client_writing_wrong_types_reads_as_defaults_not_a_panic() {
    let doc = Doc::new();
    {
        let root = doc.get_or_insert_map(workshop::ROOT);
        let mut txn = doc.transact_mut();
        root.insert(&mut txn, workshop::TIMER, "forged");
        root.insert(
            &mut txn,
            workshop::PRIVATE,
            any_map(vec![("on", Any::from("yes")), ("changed", Any::Null)]),
        );
        root.insert(
            &mut txn,
            workshop::PRESENT,
            any_map(vec![("frame", Any::from(7.0)), ("seq", Any::from(-3.0))]),
        );
        root.insert(
            &mut txn,
            workshop::SUMMON,
            any_map(vec![("x", Any::from("left")), ("y", Any::from(f64::NAN))]),
        );
        root.insert(&mut txn, workshop::LOCKS, Any::from(vec![Any::from("a")]));
        root.insert(&mut txn, workshop::FACILITATOR, true);
        root.insert(
            &mut txn,
            "round:no-id",
            any_map(vec![("title", Any::from("x"))]),
        );
        root.insert(
            &mut txn,
            "round:odd",
            any_map(vec![
                ("id", Any::from("odd")),
                ("state", Any::from("closed")),
                ("started", Any::from(f64::INFINITY)),
                ("perPerson", Any::from(-1.0)),
                ("people", Any::from(1e12)),
                (
                    "results",
                    any_map(vec![
                        ("n1", Any::from(2.0)),
                        ("n2", Any::from("many")),
                        ("n3", Any::from(-4.0)),
                    ]),
                ),
                ("voters", Any::from("everyone")),
            ]),
        );
        // A nested shared type where a plain value belongs.
        root.insert(&mut txn, "round:nested", MapPrelim::default());
        root.insert(&mut txn, "someNewerKey", 1.0);
    }
    let state = Workshop::of(&doc);
    assert_eq!(state.timer, None);
    assert_eq!(state.private, Some(PrivateWriting::default()));
    assert_eq!(state.present, Some(Presentation::default()));
    assert_eq!(state.summon, None);
    assert_eq!(state.locks, BTreeSet::new());
    assert_eq!(state.facilitator, None);
    assert_eq!(
        state.rounds,
        vec![Round {
            id: "odd".into(),
            title: String::new(),
            scope: None,
            per_person: 0,
            multiple: false,
            anonymous: false,
            started: 0,
            state: RoundState::Closed(Outcome {
                ended: None,
                people: 0,
                results: [("n1".to_owned(), 2)].into(),
                voters: None,
            }),
        }]
    );
    // Serializing what was read never fails either.
    assert!(serde_json::to_string(&state).is_ok());
}

/// Numbers as plain f64, so that `1.0` (how the map stores a count) and `1`
/// (how the typed state prints it) compare equal: the window reads both as
/// the same JavaScript number.
fn normalized(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.into_iter().map(normalized).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, normalized(v))).collect()),
        other => other,
    }
}

#[test]
fn the_json_for_the_window_is_the_json_the_map_holds() {
    let doc = Doc::new();
    write_all(&doc, &entries(&full_state()));
    // How the desktop read the map before it was typed: each plain value as
    // JSON, rounds oldest first, locks as the keys of their object.
    let txn = doc.transact();
    let root = txn.get_map(workshop::ROOT).unwrap();
    let mut raw: BTreeMap<String, Value> = BTreeMap::new();
    for (key, value) in root.iter(&txn) {
        if let Out::Any(any) = value {
            raw.insert(key.to_owned(), serde_json::to_value(&any).unwrap());
        }
    }
    let typed = serde_json::to_value(Workshop::of(&doc)).unwrap();
    for key in ["timer", "private", "present", "summon", "facilitator"] {
        assert_eq!(
            normalized(typed[key].clone()),
            normalized(raw[key].clone()),
            "{key}"
        );
    }
    let raw_locks: Vec<Value> = raw["locks"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| json!(k))
        .collect();
    let mut raw_locks = raw_locks;
    raw_locks.sort_by_key(ToString::to_string);
    assert_eq!(typed["locks"], Value::Array(raw_locks));
    assert_eq!(
        normalized(typed["rounds"].clone()),
        normalized(json!([raw["round:r1"], raw["round:r2"]]))
    );
    // The window relies on these: null for "none", optional fields absent
    // while a round is open.
    let open = &typed["rounds"][1];
    assert_eq!(open["state"], "open");
    assert!(open.get("results").is_none() && open.get("people").is_none());
    assert_eq!(typed["rounds"][0]["scope"], Value::Null);
    assert_eq!(typed["timer"]["endsAt"], json!(T0 + 300_000));
}
