//! The board's `workshop` root map: the one typed shape of the facilitation
//! state (timer, private writing, the presented slide, "bring everyone here",
//! locks, the facilitator's name and voting rounds with their results).
//!
//! Only the host writes this map (`stellwand_sync::workshop`, through
//! [`write()`]); exports and the desktop read it through [`Workshop::read`].
//! Every value is a plain JSON value (Yjs `ContentAny`) replaced whole, so
//! stock Yjs clients can follow it; docs/workshop.md describes the keys.
//!
//! Reading is total: the map is a shared type any peer can write into before
//! the host undoes it, so a value of the wrong type is skipped, and a field
//! of the wrong type inside a value reads as its default. Nothing here
//! panics on what a peer wrote.
//!
//! The structs serialize (camelCase) to the same JSON the map holds, which
//! is what the desktop hands to the UI.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use yrs::{Any, Doc, Map, Out, ReadTxn, Transact, TransactionMut, WriteTxn};

use crate::{Item, ItemId};

/// Name of the root map the host writes.
pub const ROOT: &str = "workshop";
/// Key of the countdown ([`Timer`]); absent: no timer.
pub const TIMER: &str = "timer";
/// Key of private writing ([`PrivateWriting`]).
pub const PRIVATE: &str = "private";
/// Key of the slide shown to everyone ([`Presentation`]).
pub const PRESENT: &str = "present";
/// Key of "bring everyone here" ([`Summon`]).
pub const SUMMON: &str = "summon";
/// Key of the locked items ([`Workshop::locks`]): `{<item id>: true, …}`.
pub const LOCKS: &str = "locks";
/// Key of the facilitator's display name after a hand-over.
pub const FACILITATOR: &str = "facilitator";
/// Prefix of the keys of voting rounds ([`Round`]): `round:<id>`.
pub const ROUND_PREFIX: &str = "round:";

/// Largest count read from the map (votes, people, votes per person); a
/// larger or negative one is treated as malformed.
const MAX_COUNT: f64 = 1e6;

/// The key of the round with `id`.
#[must_use]
pub fn round_key(id: &str) -> String {
    format!("{ROUND_PREFIX}{id}")
}

/// The whole `workshop` map, typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Workshop {
    /// The countdown, if one is running or paused.
    pub timer: Option<Timer>,
    /// Private writing, once it was switched on or off.
    pub private: Option<PrivateWriting>,
    /// The slide shown to everyone, once presenting was used.
    pub present: Option<Presentation>,
    /// The last "bring everyone here".
    pub summon: Option<Summon>,
    /// Locked item ids.
    pub locks: BTreeSet<String>,
    /// Voting rounds, oldest first.
    pub rounds: Vec<Round>,
    /// Display name of the facilitator after a hand-over.
    pub facilitator: Option<String>,
}

/// Whether a countdown runs or waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum TimerState {
    /// Counting down to `ends_at`.
    Running,
    /// Stopped with `remaining` left.
    Paused,
}

impl TimerState {
    /// The value as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TimerState::Running => "running",
            TimerState::Paused => "paused",
        }
    }
}

/// The countdown. Times are unix milliseconds of the host's clock, spans
/// are milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Timer {
    /// Running or paused.
    pub state: TimerState,
    /// When a running countdown reaches zero (0 while paused).
    pub ends_at: i64,
    /// Left when it was last started, changed or paused.
    pub remaining: i64,
    /// The whole length, extensions included.
    pub duration: i64,
    /// When the facilitator last changed it.
    pub changed: i64,
}

/// Private writing: while `on`, participants' new notes stay on their
/// devices; `on: false` after it was on is the reveal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PrivateWriting {
    /// Notes stay private.
    pub on: bool,
    /// At the reveal, notes are published without their author.
    pub anonymous: bool,
    /// Unix milliseconds of the host's clock.
    pub changed: i64,
}

/// The frame shown to everyone as the current slide.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Presentation {
    /// The frame; `None` (JSON `null`): presenting stopped.
    pub frame: Option<String>,
    /// Counts the host's slide and summon changes, so a client reacts to
    /// each once even when the same frame is shown again.
    pub seq: u64,
}

/// "Bring everyone here": the centre of the view in board units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Summon {
    /// Board x of the view's centre.
    pub x: f64,
    /// Board y of the view's centre.
    pub y: f64,
    /// Zoom factor.
    pub zoom: f64,
    /// Shares its counter with [`Presentation::seq`].
    pub seq: u64,
}

/// A dot-voting round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Round {
    pub id: String,
    /// Shown in the results list.
    pub title: String,
    /// A frame: only its notes can get votes; `None` (JSON `null`): the
    /// whole board.
    pub scope: Option<String>,
    /// Votes per person.
    pub per_person: u32,
    /// One person may put several votes on one note.
    pub multiple: bool,
    /// Results leave out who voted for what.
    pub anonymous: bool,
    /// Unix milliseconds.
    pub started: i64,
    /// Open, or closed with its outcome (`state` in the map).
    #[serde(flatten)]
    pub state: RoundState,
}

/// Whether a round still takes votes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum RoundState {
    /// Votes are being given; only the host knows them.
    Open,
    /// Ended, with what the host counted.
    Closed(Outcome),
}

/// What a closed round counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", ts(rename = "RoundOutcome"))]
pub struct Outcome {
    /// Unix milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<i64>,
    /// How many people voted.
    pub people: u32,
    /// Votes per note id.
    pub results: BTreeMap<String, u32>,
    /// Names per note id, one per vote; `None` for an anonymous round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voters: Option<BTreeMap<String, Vec<String>>>,
}

impl Round {
    /// Still takes votes.
    #[must_use]
    pub fn is_open(&self) -> bool {
        matches!(self.state, RoundState::Open)
    }

    /// What the round counted, once closed.
    #[must_use]
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.state {
            RoundState::Open => None,
            RoundState::Closed(outcome) => Some(outcome),
        }
    }

    /// The votes of `item` in this round: its own plus those of every note
    /// merged into it (0 while the round is open).
    #[must_use]
    pub fn votes_of(&self, item: &Item) -> u32 {
        let Some(outcome) = self.outcome() else {
            return 0;
        };
        let get = |id: &ItemId| outcome.results.get(&id.to_string()).copied().unwrap_or(0);
        item.merged
            .iter()
            .fold(get(&item.id), |sum, id| sum.saturating_add(get(id)))
    }
}

/// One key of the map with the value the host puts there.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// `None` removes the timer.
    Timer(Option<Timer>),
    Private(PrivateWriting),
    Present(Presentation),
    Summon(Summon),
    /// The whole set of locked ids (the value is replaced whole).
    Locks(BTreeSet<String>),
    Facilitator(String),
    Round(Round),
}

impl Entry {
    /// The key in the map.
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Entry::Timer(_) => TIMER.to_owned(),
            Entry::Private(_) => PRIVATE.to_owned(),
            Entry::Present(_) => PRESENT.to_owned(),
            Entry::Summon(_) => SUMMON.to_owned(),
            Entry::Locks(_) => LOCKS.to_owned(),
            Entry::Facilitator(_) => FACILITATOR.to_owned(),
            Entry::Round(round) => round_key(&round.id),
        }
    }

    /// The stored value; `None`: the key is removed.
    #[must_use]
    pub fn value(&self) -> Option<Any> {
        Some(match self {
            Entry::Timer(timer) => timer.as_ref()?.to_any(),
            Entry::Private(private) => private.to_any(),
            Entry::Present(present) => present.to_any(),
            Entry::Summon(summon) => summon.to_any(),
            Entry::Locks(locks) => Any::from(
                locks
                    .iter()
                    .map(|id| (id.clone(), Any::Bool(true)))
                    .collect::<HashMap<String, Any>>(),
            ),
            Entry::Facilitator(name) => Any::from(name.as_str()),
            Entry::Round(round) => round.to_any(),
        })
    }
}

/// Writes `entry` into the `workshop` map in `txn`. Returns the key and the
/// value it now holds (`None`: removed), for a writer that keeps a record of
/// what it wrote.
pub fn write(txn: &mut TransactionMut, entry: &Entry) -> (String, Option<Any>) {
    let root = txn.get_or_insert_map(ROOT);
    let key = entry.key();
    let value = entry.value();
    match &value {
        Some(v) => {
            root.insert(txn, key.as_str(), v.clone());
        }
        None => {
            root.remove(txn, &key);
        }
    }
    (key, value)
}

impl Workshop {
    /// The map as `txn` sees it; an absent map is the default.
    pub fn read<T: ReadTxn>(txn: &T) -> Self {
        let mut workshop = Workshop::default();
        if let Some(root) = txn.get_map(ROOT) {
            for (key, value) in root.iter(txn) {
                // A nested shared type is never what the host writes.
                if let Out::Any(any) = value {
                    workshop.take(key, &any);
                }
            }
        }
        workshop.sort_rounds();
        workshop
    }

    /// The map of `doc`.
    #[must_use]
    pub fn of(doc: &Doc) -> Self {
        Self::read(&doc.transact())
    }

    /// The typed form of key → value pairs as the map holds them (a
    /// writer's record of what it wrote).
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = (&'a str, &'a Any)>) -> Self {
        let mut workshop = Workshop::default();
        for (key, value) in entries {
            workshop.take(key, value);
        }
        workshop.sort_rounds();
        workshop
    }

    /// The open round, if any (the host keeps at most one open).
    #[must_use]
    pub fn open_round(&self) -> Option<&Round> {
        self.rounds.iter().find(|r| r.is_open())
    }

    /// The highest slide/summon counter written so far.
    #[must_use]
    pub fn seq(&self) -> u64 {
        let present = self.present.as_ref().map_or(0, |p| p.seq);
        let summon = self.summon.as_ref().map_or(0, |s| s.seq);
        present.max(summon)
    }

    fn take(&mut self, key: &str, value: &Any) {
        match key {
            TIMER => self.timer = Timer::from_any(value),
            PRIVATE => self.private = PrivateWriting::from_any(value),
            PRESENT => self.present = Presentation::from_any(value),
            SUMMON => self.summon = Summon::from_any(value),
            LOCKS => self.locks = locks_of(value),
            FACILITATOR => {
                self.facilitator = match value {
                    Any::String(s) => Some(s.to_string()),
                    _ => None,
                }
            }
            _ if key.starts_with(ROUND_PREFIX) => {
                if let Some(round) = Round::from_any(value) {
                    self.rounds.push(round);
                }
            }
            // Keys of a newer host: not ours to interpret.
            _ => {}
        }
    }

    fn sort_rounds(&mut self) {
        self.rounds
            .sort_by(|a, b| a.started.cmp(&b.started).then_with(|| a.id.cmp(&b.id)));
    }
}

/// Every voting round of `doc`, oldest first.
#[must_use]
pub fn rounds(doc: &Doc) -> Vec<Round> {
    Workshop::of(doc).rounds
}

impl Timer {
    /// The stored value.
    #[must_use]
    pub fn to_any(&self) -> Any {
        any_map([
            ("state", Any::from(self.state.as_str())),
            ("endsAt", number(self.ends_at)),
            ("remaining", number(self.remaining)),
            ("duration", number(self.duration)),
            ("changed", number(self.changed)),
        ])
    }

    /// Reads a stored value; `None` unless it is a map with a known `state`.
    #[must_use]
    pub fn from_any(any: &Any) -> Option<Self> {
        let f = Fields::of(any)?;
        let state = match f.str("state")? {
            "running" => TimerState::Running,
            "paused" => TimerState::Paused,
            _ => return None,
        };
        Some(Timer {
            state,
            ends_at: f.millis("endsAt").unwrap_or(0),
            remaining: f.millis("remaining").unwrap_or(0),
            duration: f.millis("duration").unwrap_or(0),
            changed: f.millis("changed").unwrap_or(0),
        })
    }
}

impl PrivateWriting {
    /// The stored value.
    #[must_use]
    pub fn to_any(&self) -> Any {
        any_map([
            ("on", Any::Bool(self.on)),
            ("anonymous", Any::Bool(self.anonymous)),
            ("changed", number(self.changed)),
        ])
    }

    /// Reads a stored value; `None` unless it is a map.
    #[must_use]
    pub fn from_any(any: &Any) -> Option<Self> {
        let f = Fields::of(any)?;
        Some(PrivateWriting {
            on: f.bool("on").unwrap_or(false),
            anonymous: f.bool("anonymous").unwrap_or(false),
            changed: f.millis("changed").unwrap_or(0),
        })
    }
}

impl Presentation {
    /// The stored value.
    #[must_use]
    pub fn to_any(&self) -> Any {
        any_map([
            ("frame", self.frame.as_deref().map_or(Any::Null, Any::from)),
            ("seq", count_number(self.seq)),
        ])
    }

    /// Reads a stored value; `None` unless it is a map.
    #[must_use]
    pub fn from_any(any: &Any) -> Option<Self> {
        let f = Fields::of(any)?;
        Some(Presentation {
            frame: f.str("frame").map(str::to_owned),
            seq: f.seq("seq"),
        })
    }
}

impl Summon {
    /// The stored value.
    #[must_use]
    pub fn to_any(&self) -> Any {
        any_map([
            ("x", Any::from(self.x)),
            ("y", Any::from(self.y)),
            ("zoom", Any::from(self.zoom)),
            ("seq", count_number(self.seq)),
        ])
    }

    /// Reads a stored value; `None` unless it is a map with a finite place
    /// (a summon without a place has nothing to show).
    #[must_use]
    pub fn from_any(any: &Any) -> Option<Self> {
        let f = Fields::of(any)?;
        Some(Summon {
            x: f.num("x")?,
            y: f.num("y")?,
            zoom: f.num("zoom").filter(|z| *z > 0.0)?,
            seq: f.seq("seq"),
        })
    }
}

impl Round {
    /// The stored value.
    #[must_use]
    pub fn to_any(&self) -> Any {
        let mut entries = vec![
            ("id", Any::from(self.id.as_str())),
            ("title", Any::from(self.title.as_str())),
            ("scope", self.scope.as_deref().map_or(Any::Null, Any::from)),
            ("perPerson", Any::from(f64::from(self.per_person))),
            ("multiple", Any::Bool(self.multiple)),
            ("anonymous", Any::Bool(self.anonymous)),
            ("started", number(self.started)),
        ];
        match &self.state {
            RoundState::Open => entries.push(("state", Any::from("open"))),
            RoundState::Closed(outcome) => {
                entries.push(("state", Any::from("closed")));
                if let Some(ended) = outcome.ended {
                    entries.push(("ended", number(ended)));
                }
                entries.push(("people", Any::from(f64::from(outcome.people))));
                let results: HashMap<String, Any> = outcome
                    .results
                    .iter()
                    .map(|(id, n)| (id.clone(), Any::from(f64::from(*n))))
                    .collect();
                entries.push(("results", Any::from(results)));
                if let Some(voters) = &outcome.voters {
                    let voters: HashMap<String, Any> = voters
                        .iter()
                        .map(|(id, names)| {
                            let names: Vec<Any> =
                                names.iter().map(|n| Any::from(n.as_str())).collect();
                            (id.clone(), Any::from(names))
                        })
                        .collect();
                    entries.push(("voters", Any::from(voters)));
                }
            }
        }
        any_map(entries)
    }

    /// Reads a stored value; `None` unless it is a map with a string `id`.
    #[must_use]
    pub fn from_any(any: &Any) -> Option<Self> {
        let f = Fields::of(any)?;
        let id = f.str("id")?.to_owned();
        let state = if f.str("state") == Some("closed") {
            RoundState::Closed(Outcome {
                ended: f.millis("ended"),
                people: f.count("people").unwrap_or(0),
                results: match f.get("results") {
                    Some(Any::Map(results)) => results
                        .iter()
                        .filter_map(|(id, n)| Some((id.clone(), count_of(n)?)))
                        .collect(),
                    _ => BTreeMap::new(),
                },
                voters: match f.get("voters") {
                    Some(Any::Map(voters)) => Some(
                        voters
                            .iter()
                            .filter_map(|(id, names)| match names {
                                Any::Array(names) => Some((
                                    id.clone(),
                                    names
                                        .iter()
                                        .filter_map(|n| match n {
                                            Any::String(s) => Some(s.to_string()),
                                            _ => None,
                                        })
                                        .collect(),
                                )),
                                _ => None,
                            })
                            .collect(),
                    ),
                    _ => None,
                },
            })
        } else {
            RoundState::Open
        };
        Some(Round {
            id,
            title: f.str("title").unwrap_or_default().to_owned(),
            scope: f.str("scope").map(str::to_owned),
            per_person: f.count("perPerson").unwrap_or(0),
            multiple: f.bool("multiple").unwrap_or(false),
            anonymous: f.bool("anonymous").unwrap_or(false),
            started: f.millis("started").unwrap_or(0),
            state,
        })
    }
}

/// The locked ids of a stored `locks` value (keys whose value is `true`).
fn locks_of(any: &Any) -> BTreeSet<String> {
    match any {
        Any::Map(map) => map
            .iter()
            .filter(|(_, v)| matches!(v, Any::Bool(true)))
            .map(|(id, _)| id.clone())
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// The fields of a stored map value, read by type.
struct Fields<'a>(&'a HashMap<String, Any>);

impl<'a> Fields<'a> {
    fn of(any: &'a Any) -> Option<Self> {
        match any {
            Any::Map(map) => Some(Fields(map)),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&'a Any> {
        self.0.get(key)
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        match self.0.get(key)? {
            Any::String(s) => Some(s),
            _ => None,
        }
    }

    fn bool(&self, key: &str) -> Option<bool> {
        match self.0.get(key)? {
            Any::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn num(&self, key: &str) -> Option<f64> {
        number_of(self.0.get(key)?)
    }

    /// Milliseconds (a time or a span); out of ±2^53 is malformed.
    #[allow(clippy::cast_possible_truncation)]
    fn millis(&self, key: &str) -> Option<i64> {
        const SAFE: f64 = 9_007_199_254_740_991.0;
        self.num(key)
            .filter(|v| v.abs() <= SAFE)
            .map(|v| v.round() as i64)
    }

    fn count(&self, key: &str) -> Option<u32> {
        count_of(self.0.get(key)?)
    }

    /// A counter: malformed reads as 0, so the writer starts afresh.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn seq(&self, key: &str) -> u64 {
        const SAFE: f64 = 9_007_199_254_740_991.0;
        self.num(key)
            .filter(|v| (0.0..=SAFE).contains(v))
            .map_or(0, |v| v as u64)
    }
}

fn number_of(any: &Any) -> Option<f64> {
    match any {
        Any::Number(n) => n.as_f64().filter(|v| v.is_finite()),
        _ => None,
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn count_of(any: &Any) -> Option<u32> {
    number_of(any)
        .filter(|v| (0.0..=MAX_COUNT).contains(v))
        .map(|v| v as u32)
}

/// Numbers are stored as floats, as the host always wrote them (and as a
/// JavaScript client would).
#[allow(clippy::cast_precision_loss)]
fn number(n: i64) -> Any {
    Any::from(n as f64)
}

#[allow(clippy::cast_precision_loss)]
fn count_number(n: u64) -> Any {
    Any::from(n as f64)
}

fn any_map<'a>(entries: impl IntoIterator<Item = (&'a str, Any)>) -> Any {
    Any::from(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<HashMap<String, Any>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed_round() -> Round {
        Round {
            id: "r1".into(),
            title: "Prioritäten".into(),
            scope: Some("f1".into()),
            per_person: 3,
            multiple: true,
            anonymous: false,
            started: 1_795_816_000_000,
            state: RoundState::Closed(Outcome {
                ended: Some(1_795_816_600_000),
                people: 2,
                results: [("n1".to_owned(), 3), ("n2".to_owned(), 1)].into(),
                voters: Some(
                    [
                        (
                            "n1".to_owned(),
                            vec!["Anna".into(), "Anna".into(), "Ben".into()],
                        ),
                        ("n2".to_owned(), vec!["Ben".into()]),
                    ]
                    .into(),
                ),
            }),
        }
    }

    #[test]
    fn each_value_reads_back_as_it_was_written() {
        let timer = Timer {
            state: TimerState::Paused,
            ends_at: 0,
            remaining: 90_000,
            duration: 300_000,
            changed: 1_795_816_759_254,
        };
        assert_eq!(Timer::from_any(&timer.to_any()), Some(timer));
        let round = closed_round();
        assert_eq!(Round::from_any(&round.to_any()), Some(round));
        let summon = Summon {
            x: -12.5,
            y: 400.0,
            zoom: 0.8,
            seq: 7,
        };
        assert_eq!(Summon::from_any(&summon.to_any()), Some(summon));
    }

    #[test]
    fn a_closed_round_serializes_like_the_map_holds_it() {
        let json = serde_json::to_value(closed_round()).unwrap_or_default();
        assert_eq!(json["state"], "closed");
        assert_eq!(json["perPerson"], 3);
        assert_eq!(json["results"]["n1"], 3);
        assert_eq!(json["voters"]["n2"][0], "Ben");
        let open = Round {
            state: RoundState::Open,
            scope: None,
            ..closed_round()
        };
        let json = serde_json::to_value(open).unwrap_or_default();
        assert_eq!(json["state"], "open");
        assert!(json["scope"].is_null());
        assert!(json.get("results").is_none() && json.get("ended").is_none());
    }
}
