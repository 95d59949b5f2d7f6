//! Workshop facilitation held by the host: roles, dot voting, timer, private
//! writing, presenting, locks.
//!
//! The host (the server a board is shared from) is the only writer of the
//! board's `workshop` root map. Clients ask for changes with [`Command`]s in
//! workshop messages (y-websocket message type [`crate::protocol::MSG_WORKSHOP`],
//! JSON); the host checks the sender's role and the rules, writes the result
//! into the document as its own transaction, and answers. Whatever a client
//! writes into `workshop` itself, and whatever a participant changes on a
//! locked item, the host undoes with a restoring transaction: hiding buttons
//! is not enforcement.
//!
//! Votes of an open round are kept by the host alone (in the store's private
//! record of the board, never in the document), so no participant receives
//! a count before the round ends; each voter is told only their own votes.
//!
//! [`Host`] is sans-IO: the server feeds it commands and the changes it
//! observed, and sends what it returns.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use yrs::types::{Event, PathSegment};
use yrs::{
    Any, DeepObservable, Doc, GetString, Map, MapPrelim, MapRef, Out, ReadTxn, Text, TextPrelim,
    TextRef, Transact, TransactionMut,
};

use crate::token::Role;

/// Name of the root map the host writes.
pub const WORKSHOP_ROOT: &str = "workshop";
/// Name of the root map holding the board's items.
pub const ITEMS_ROOT: &str = "items";
/// Transaction origin of the host's own writes.
pub const HOST_ORIGIN: &str = "stellwand-sync:host";

/// Most votes one person may have in a round.
pub const MAX_VOTES_PER_PERSON: u32 = 99;
/// Longest round title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Longest user id accepted in a hello.
pub const MAX_USER_ID_LEN: usize = 64;
/// Largest workshop message accepted, in bytes of JSON (a lock of 2,000
/// items takes about 80 KB).
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;
/// Most items one lock command may name.
pub const MAX_LOCK_ITEMS: usize = 2_000;
/// Longest timer, in seconds (10 hours).
pub const MAX_TIMER_SECONDS: u32 = 36_000;

/// A client's hello: who it is. Sent once per connection, before commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hello {
    /// A stable, random id of the person's installation (not shown to others).
    pub user: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
}

/// What a client asks the host to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", deny_unknown_fields)]
pub enum Command {
    /// Starts a dot-voting round (facilitator).
    #[serde(rename_all = "camelCase")]
    StartRound {
        /// Shown in the results list.
        #[serde(default)]
        title: String,
        /// A frame id: only its notes can get votes; `None`: the whole board.
        #[serde(default)]
        scope: Option<String>,
        /// Votes per person, 1–99.
        per_person: u32,
        /// Whether one person may put several votes on one note.
        #[serde(default)]
        multiple: bool,
        /// Whether results leave out who voted for what.
        #[serde(default)]
        anonymous: bool,
    },
    /// Adds (`delta` = 1) or takes back (`delta` = -1) one vote on a note.
    Vote {
        /// The note.
        item: String,
        /// +1 or -1.
        delta: i32,
    },
    /// Ends the open round and publishes its results (facilitator).
    EndRound {},
    /// Controls the countdown (facilitator).
    Timer {
        /// What to do.
        action: TimerAction,
        /// Seconds for `start` and `extend`.
        #[serde(default)]
        seconds: Option<u32>,
    },
    /// Turns private writing on, or off with the reveal (facilitator).
    Private {
        /// On: new notes of participants stay on their devices.
        on: bool,
        /// At the reveal: publish notes without their author.
        #[serde(default)]
        anonymous: bool,
    },
    /// Locks or unlocks items (facilitator).
    Lock {
        /// Item ids.
        items: Vec<String>,
        /// Lock (true) or unlock.
        locked: bool,
    },
    /// Presents a frame as a slide to everyone, or stops (facilitator).
    Present {
        /// The frame, `None` to stop presenting.
        #[serde(default)]
        frame: Option<String>,
    },
    /// Brings everyone's view to this place (facilitator).
    Summon {
        /// Board x of the view's centre.
        x: f64,
        /// Board y of the view's centre.
        y: f64,
        /// Zoom factor.
        zoom: f64,
    },
    /// The facilitator's current view, for those who follow (not stored).
    View {
        /// Board x of the view's centre.
        x: f64,
        /// Board y of the view's centre.
        y: f64,
        /// Zoom factor.
        zoom: f64,
    },
    /// Hands the facilitator role to the person behind an awareness client
    /// id; the sender becomes a participant (facilitator).
    HandOver {
        /// Their awareness client id, as the participant list shows it.
        client: u64,
    },
    /// Takes the facilitator role back after a hand-over: for whoever holds
    /// a facilitator link (the host's owner), so a role handed on is never
    /// lost when its new holder leaves. Everyone else who was made
    /// facilitator by hand-over becomes a participant.
    TakeBack {},
}

/// Timer actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TimerAction {
    /// Starts a countdown of `seconds`.
    Start,
    /// Pauses a running countdown.
    Pause,
    /// Continues a paused countdown.
    Resume,
    /// Adds `seconds` to a running or paused countdown.
    Extend,
    /// Stops and clears the countdown.
    Stop,
}

/// Why the host refused a command, as a stable code (the desktop shows its
/// own sentence for each; docs/workshop.md lists them). `offline` and
/// `timeout` come from the client itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// `not-allowed`
    NotAllowed,
    /// `no-hello`
    NoHello,
    /// `no-round`
    NoRound,
    /// `round-open`
    RoundOpen,
    /// `limit`
    Limit,
    /// `one-per-note`
    OnePerNote,
    /// `out-of-scope`
    OutOfScope,
    /// `no-such-item`
    NoSuchItem,
    /// `wrong-kind`
    WrongKind,
    /// `no-vote`
    NoVote,
    /// `no-timer`
    NoTimer,
    /// `no-such-person`
    NoSuchPerson,
    /// `bad-request`
    BadRequest,
    /// `offline`
    Offline,
    /// `timeout`
    Timeout,
    /// A code this version does not know (from a newer host).
    #[serde(other)]
    Other,
}

impl Code {
    /// The code as it travels (`limit`, `one-per-note`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotAllowed => "not-allowed",
            Code::NoHello => "no-hello",
            Code::NoRound => "no-round",
            Code::RoundOpen => "round-open",
            Code::Limit => "limit",
            Code::OnePerNote => "one-per-note",
            Code::OutOfScope => "out-of-scope",
            Code::NoSuchItem => "no-such-item",
            Code::WrongKind => "wrong-kind",
            Code::NoVote => "no-vote",
            Code::NoTimer => "no-timer",
            Code::NoSuchPerson => "no-such-person",
            Code::BadRequest => "bad-request",
            Code::Offline => "offline",
            Code::Timeout => "timeout",
            Code::Other => "refused",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Why a command was refused: a stable code and an English sentence (the
/// desktop shows its own translation of the code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// Stable machine code.
    pub code: Code,
    /// A sentence for people.
    pub message: String,
}

impl Refusal {
    /// A refusal with `code` and a sentence.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

fn not_allowed(what: &str) -> Refusal {
    Refusal::new(Code::NotAllowed, format!("only the facilitator may {what}"))
}

/// A person's own state in the open round, sent only to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MyVotes {
    /// The round.
    pub round: String,
    /// Votes still to give.
    pub left: u32,
    /// Own votes per note.
    pub mine: BTreeMap<String, u32>,
}

/// What the host tells one connection about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct You {
    /// Effective role: `facilitator`, `participant` or `viewer`.
    pub role: String,
    /// The host's clock, unix milliseconds (clients correct the timer by it).
    pub now: i64,
    /// Own votes in the open round, if one is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<MyVotes>,
    /// Holds a facilitator link but handed the role on: may take it back.
    #[serde(default)]
    pub can_take_back: bool,
}

/// The facilitator's view as followers receive it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Board x of the view's centre.
    pub x: f64,
    /// Board y of the view's centre.
    pub y: f64,
    /// Zoom factor.
    pub zoom: f64,
}

/// Messages from the host to a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ToClient {
    /// The answer to command `re`.
    Reply {
        /// The command's id.
        re: u64,
        /// `None`: done.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<Refusal>,
    },
    /// The receiver's role, clock and votes.
    You(You),
    /// The facilitator's view.
    View(View),
}

/// Messages from a client to the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FromClient {
    /// Who the client is.
    Hello(Hello),
    /// A command with the id its reply will carry.
    Do {
        /// Chosen by the client.
        id: u64,
        /// What to do.
        cmd: Command,
    },
}

impl FromClient {
    /// Parses a workshop message; `None` if it is not valid JSON of this shape.
    #[must_use]
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}

impl ToClient {
    /// The JSON bytes.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The open round as the host keeps it (in the store's private record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenRound {
    id: String,
    title: String,
    scope: Option<String>,
    per_person: u32,
    multiple: bool,
    anonymous: bool,
    started: i64,
    /// user → note → votes.
    ballots: BTreeMap<String, BTreeMap<String, u32>>,
    /// user → display name at their last vote.
    names: BTreeMap<String, String>,
}

/// What the host keeps outside the document, durably.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Private {
    #[serde(default)]
    round: Option<OpenRound>,
    /// Roles changed by hand-over: user → role.
    #[serde(default)]
    roles: BTreeMap<String, Role>,
}

impl Private {
    /// Reads the private record; an unreadable one is reported, not guessed.
    ///
    /// # Errors
    /// The JSON error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The JSON bytes.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// One connection as the host sees it.
#[derive(Debug, Clone)]
pub struct Member {
    /// Role granted by the token.
    pub token_role: Role,
    /// From the hello.
    pub hello: Option<Hello>,
    /// Awareness client ids this connection published.
    pub clients: HashSet<u64>,
}

/// What the host did for a command or a restore: a document update to
/// store and send to everyone, personal messages, and whether the private
/// record changed (store it before answering).
#[derive(Debug, Default)]
pub struct Effects {
    /// An update (v1) the host wrote, if any.
    pub update: Option<Vec<u8>>,
    /// Messages for single connections.
    pub direct: Vec<(u64, ToClient)>,
    /// A message for every connection that said hello.
    pub everyone: Option<ToClient>,
    /// The private record changed.
    pub private_changed: bool,
}

/// What observers saw a peer change, collected per transaction.
#[derive(Debug, Default)]
pub struct Touched {
    /// The `workshop` root changed.
    pub workshop: bool,
    /// Items whose content (or existence) changed, apart from comments and
    /// reactions.
    pub items: HashSet<Arc<str>>,
}

/// A locked item as the facilitator left it.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    fields: Vec<(String, Any)>,
    text: Option<String>,
}

/// The host's facilitation state of one board.
#[derive(Debug)]
pub struct Host {
    private: Private,
    members: HashMap<u64, Member>,
    /// What the host last wrote into the `workshop` root.
    written: HashMap<String, Any>,
    locked: HashMap<String, Snapshot>,
    seq: f64,
}

/// Whether a key of an item stays open on a locked item: comments,
/// reactions, and the time of the last change they set.
fn is_social_key(key: &str) -> bool {
    key == "comments"
        || key == "updated"
        || key.starts_with("comment:")
        || key.starts_with("react:")
}

/// Collects what transactions with another origin than the host's changed,
/// by origin, into `sink`. Install once on the board's document.
pub fn observe(doc: &Doc, sink: Arc<std::sync::Mutex<HashMap<String, Touched>>>) {
    let items = doc.get_or_insert_map(ITEMS_ROOT);
    let workshop = doc.get_or_insert_map(WORKSHOP_ROOT);
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
    workshop.observe_deep(OBSERVER_KEY, move |txn, _events| {
        let Some(origin) = origin_key(txn) else {
            return;
        };
        if let Ok(mut map) = sink.lock() {
            map.entry(origin).or_default().workshop = true;
        }
    });
}

const OBSERVER_KEY: &str = "stellwand-sync:workshop";

/// The origin of a transaction as a string key; `None` for the host's own.
fn origin_key(txn: &TransactionMut) -> Option<String> {
    let origin = txn.origin()?;
    let text = String::from_utf8_lossy(origin.as_ref()).into_owned();
    (text != HOST_ORIGIN).then_some(text)
}

/// The transaction origin the server applies a connection's updates with.
#[must_use]
pub fn peer_origin(conn: u64) -> String {
    format!("stellwand-sync:peer:{conn}")
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

fn any_map(entries: Vec<(&str, Any)>) -> Any {
    Any::from(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<HashMap<String, Any>>(),
    )
}

fn any_str(s: &str) -> Any {
    Any::from(s.to_owned())
}

#[allow(clippy::cast_precision_loss)]
fn any_num(n: i64) -> Any {
    Any::from(n as f64)
}

fn map_get_str<T: ReadTxn>(map: &MapRef, txn: &T, key: &str) -> Option<String> {
    match map.get(txn, key)? {
        Out::Any(Any::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

fn item_map<T: ReadTxn>(doc_items: &MapRef, txn: &T, id: &str) -> Option<MapRef> {
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

impl Host {
    /// The host of a board whose document is `doc`, with the private record
    /// the store kept (default if none).
    #[must_use]
    pub fn new(doc: &Doc, private: Private) -> Self {
        let txn = doc.transact();
        let mut written = HashMap::new();
        let mut locked = HashMap::new();
        if let Some(root) = txn.get_map(WORKSHOP_ROOT) {
            for (key, value) in root.iter(&txn) {
                if let Out::Any(any) = value {
                    written.insert(key.to_owned(), any);
                }
            }
        }
        if let (Some(Any::Map(locks)), Some(items)) =
            (written.get("locks"), txn.get_map(ITEMS_ROOT))
        {
            for id in locks.keys() {
                if let Some(item) = item_map(&items, &txn, id) {
                    locked.insert(id.clone(), snapshot(&item, &txn));
                }
            }
        }
        let seq = match written.get("seq") {
            Some(Any::Number(n)) => n.as_f64().unwrap_or(0.0),
            _ => 0.0,
        };
        Self {
            private,
            members: HashMap::new(),
            written,
            locked,
            seq,
        }
    }

    /// The private record to store.
    #[must_use]
    pub fn private(&self) -> &Private {
        &self.private
    }

    /// A connection joined with the role its token grants.
    pub fn join(&mut self, conn: u64, token_role: Role) {
        self.members.insert(
            conn,
            Member {
                token_role,
                hello: None,
                clients: HashSet::new(),
            },
        );
    }

    /// A connection left.
    pub fn leave(&mut self, conn: u64) {
        self.members.remove(&conn);
    }

    /// A connection published awareness for `client`.
    pub fn saw_client(&mut self, conn: u64, client: u64) {
        if let Some(m) = self.members.get_mut(&conn) {
            if m.clients.len() < 16 {
                m.clients.insert(client);
            }
        }
    }

    /// The role the host grants `conn` now (token role, changed by
    /// hand-over; a viewer token never gains write access).
    #[must_use]
    pub fn role(&self, conn: u64) -> Role {
        let Some(m) = self.members.get(&conn) else {
            return Role::Viewer;
        };
        if m.token_role == Role::Viewer {
            return Role::Viewer;
        }
        m.hello
            .as_ref()
            .and_then(|h| self.private.roles.get(&h.user))
            .copied()
            .unwrap_or(m.token_role)
    }

    fn role_name(role: Role) -> &'static str {
        match role {
            Role::Facilitator => "facilitator",
            Role::Editor => "participant",
            Role::Viewer => "viewer",
        }
    }

    /// What `conn` is told about itself.
    #[must_use]
    pub fn you(&self, conn: u64) -> You {
        let votes = self.private.round.as_ref().and_then(|round| {
            let user = &self.members.get(&conn)?.hello.as_ref()?.user;
            if self.role(conn) == Role::Viewer {
                return None;
            }
            let mine = round.ballots.get(user).cloned().unwrap_or_default();
            let used: u32 = mine.values().sum();
            Some(MyVotes {
                round: round.id.clone(),
                left: round.per_person.saturating_sub(used),
                mine,
            })
        });
        let role = self.role(conn);
        let can_take_back = role != Role::Facilitator
            && self
                .members
                .get(&conn)
                .is_some_and(|m| m.token_role == Role::Facilitator);
        You {
            role: Self::role_name(role).to_owned(),
            now: now_ms(),
            votes,
            can_take_back,
        }
    }

    /// A hello arrived; answers with [`ToClient::You`]. A later hello with
    /// the same user changes the display name (votes given from then on
    /// carry it); one with another user is refused (identity is fixed per
    /// connection).
    ///
    /// # Errors
    /// [`Refusal`] with code `bad-request`.
    pub fn hello(&mut self, conn: u64, hello: Hello) -> Result<Effects, Refusal> {
        let user = hello.user.trim();
        if user.is_empty()
            || user.len() > MAX_USER_ID_LEN
            || !user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Refusal::new(
                Code::BadRequest,
                "a hello needs a user id of up to 64 letters, digits, '-' or '_'",
            ));
        }
        let Some(member) = self.members.get_mut(&conn) else {
            return Err(Refusal::new(Code::BadRequest, "unknown connection"));
        };
        if member.hello.as_ref().is_some_and(|h| h.user != user) {
            return Err(Refusal::new(
                Code::BadRequest,
                "a connection keeps the user of its first hello",
            ));
        }
        member.hello = Some(Hello {
            user: user.to_owned(),
            name: clip(&hello.name, MAX_NAME_CHARS),
        });
        Ok(Effects {
            direct: vec![(conn, ToClient::You(self.you(conn)))],
            ..Effects::default()
        })
    }

    /// Runs `cmd` from `conn` on `doc`.
    ///
    /// # Errors
    /// [`Refusal`] when the role or the rules do not allow it; nothing
    /// changed then.
    pub fn command(&mut self, doc: &Doc, conn: u64, cmd: Command) -> Result<Effects, Refusal> {
        let role = self.role(conn);
        let hello = self
            .members
            .get(&conn)
            .and_then(|m| m.hello.clone())
            .ok_or_else(|| Refusal::new(Code::NoHello, "say hello before sending commands"))?;
        let facilitator = role == Role::Facilitator;
        let need = |what: &str| {
            if facilitator {
                Ok(())
            } else {
                Err(not_allowed(what))
            }
        };
        match cmd {
            Command::Vote { item, delta } => self.vote(doc, conn, role, &hello, &item, delta),
            Command::View { x, y, zoom } => {
                need("share the view")?;
                let view = finite_view(x, y, zoom)?;
                Ok(Effects {
                    everyone: Some(ToClient::View(view)),
                    ..Effects::default()
                })
            }
            Command::StartRound {
                title,
                scope,
                per_person,
                multiple,
                anonymous,
            } => {
                need("start a voting round")?;
                self.start_round(doc, title, scope, per_person, multiple, anonymous)
            }
            Command::EndRound {} => {
                need("end a voting round")?;
                self.end_round(doc)
            }
            Command::Timer { action, seconds } => {
                need("control the timer")?;
                self.timer(doc, action, seconds)
            }
            Command::Private { on, anonymous } => {
                need("switch private writing")?;
                let value = any_map(vec![
                    ("on", Any::Bool(on)),
                    ("anonymous", Any::Bool(anonymous)),
                    ("changed", any_num(now_ms())),
                ]);
                Ok(self.write(doc, vec![("private".into(), Some(value))]))
            }
            Command::Lock { items, locked } => {
                need("lock items")?;
                self.lock(doc, &items, locked)
            }
            Command::Present { frame } => {
                need("present")?;
                if let Some(f) = &frame {
                    self.require_item(doc, f, Some("frame"))?;
                }
                self.seq += 1.0;
                let value = any_map(vec![
                    ("frame", frame.map_or(Any::Null, |f| any_str(&f))),
                    ("seq", Any::from(self.seq)),
                ]);
                Ok(self.write(doc, vec![("present".into(), Some(value))]))
            }
            Command::Summon { x, y, zoom } => {
                need("bring everyone to a place")?;
                let v = finite_view(x, y, zoom)?;
                self.seq += 1.0;
                let value = any_map(vec![
                    ("x", Any::from(v.x)),
                    ("y", Any::from(v.y)),
                    ("zoom", Any::from(v.zoom)),
                    ("seq", Any::from(self.seq)),
                ]);
                Ok(self.write(doc, vec![("summon".into(), Some(value))]))
            }
            Command::HandOver { client } => {
                need("hand over the facilitator role")?;
                self.hand_over(doc, conn, &hello, client)
            }
            Command::TakeBack {} => self.take_back(doc, conn, &hello),
        }
    }

    fn require_item(&self, doc: &Doc, id: &str, kind: Option<&str>) -> Result<MapRef, Refusal> {
        let txn = doc.transact();
        let item = txn
            .get_map(ITEMS_ROOT)
            .and_then(|items| item_map(&items, &txn, id))
            .ok_or_else(|| Refusal::new(Code::NoSuchItem, format!("there is no item {id}")))?;
        if let Some(kind) = kind {
            if map_get_str(&item, &txn, "type").as_deref() != Some(kind) {
                return Err(Refusal::new(
                    Code::WrongKind,
                    format!("item {id} is not a {kind}"),
                ));
            }
        }
        Ok(item)
    }

    /// Writes workshop keys as the host (`None` removes) and returns the update.
    fn write(&mut self, doc: &Doc, entries: Vec<(String, Option<Any>)>) -> Effects {
        let root = doc.get_or_insert_map(WORKSHOP_ROOT);
        let mut txn = doc.transact_mut_with(HOST_ORIGIN);
        for (key, value) in entries {
            match value {
                Some(v) => {
                    root.insert(&mut txn, key.as_str(), v.clone());
                    self.written.insert(key, v);
                }
                None => {
                    root.remove(&mut txn, key.as_str());
                    self.written.remove(&key);
                }
            }
        }
        let update = txn.encode_update_v1();
        drop(txn);
        Effects {
            update: Some(update),
            ..Effects::default()
        }
    }

    fn start_round(
        &mut self,
        doc: &Doc,
        title: String,
        scope: Option<String>,
        per_person: u32,
        multiple: bool,
        anonymous: bool,
    ) -> Result<Effects, Refusal> {
        if self.private.round.is_some() {
            return Err(Refusal::new(
                Code::RoundOpen,
                "a voting round is already open; end it first",
            ));
        }
        if !(1..=MAX_VOTES_PER_PERSON).contains(&per_person) {
            return Err(Refusal::new(
                Code::BadRequest,
                "votes per person must be between 1 and 99",
            ));
        }
        if let Some(frame) = &scope {
            self.require_item(doc, frame, Some("frame"))?;
        }
        let round = OpenRound {
            id: uuid_like(),
            title: clip(&title, MAX_TITLE_CHARS),
            scope,
            per_person,
            multiple,
            anonymous,
            started: now_ms(),
            ballots: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        let value = round_value(&round, None);
        let key = format!("round:{}", round.id);
        self.private.round = Some(round);
        let mut effects = self.write(doc, vec![(key, Some(value))]);
        effects.private_changed = true;
        effects.direct = self.everyone_you();
        Ok(effects)
    }

    fn everyone_you(&self) -> Vec<(u64, ToClient)> {
        self.members
            .iter()
            .filter(|(_, m)| m.hello.is_some())
            .map(|(conn, _)| (*conn, ToClient::You(self.you(*conn))))
            .collect()
    }

    fn vote(
        &mut self,
        doc: &Doc,
        conn: u64,
        role: Role,
        hello: &Hello,
        item: &str,
        delta: i32,
    ) -> Result<Effects, Refusal> {
        if role == Role::Viewer {
            return Err(Refusal::new(Code::NotAllowed, "viewers cannot vote"));
        }
        if delta != 1 && delta != -1 {
            return Err(Refusal::new(Code::BadRequest, "a vote changes by 1 or -1"));
        }
        let Some(round) = self.private.round.as_mut() else {
            return Err(Refusal::new(Code::NoRound, "no voting round is open"));
        };
        {
            let txn = doc.transact();
            let note = txn
                .get_map(ITEMS_ROOT)
                .and_then(|items| item_map(&items, &txn, item))
                .ok_or_else(|| {
                    Refusal::new(Code::NoSuchItem, format!("there is no note {item}"))
                })?;
            if map_get_str(&note, &txn, "type").as_deref() != Some("note") {
                return Err(Refusal::new(Code::WrongKind, "only notes get votes"));
            }
            if let Some(scope) = &round.scope {
                if map_get_str(&note, &txn, "parent").as_deref() != Some(scope.as_str()) {
                    return Err(Refusal::new(
                        Code::OutOfScope,
                        "this round is about the notes of another frame",
                    ));
                }
            }
        }
        let mine = round.ballots.entry(hello.user.clone()).or_default();
        let used: u32 = mine.values().sum();
        let on_item = mine.get(item).copied().unwrap_or(0);
        if delta > 0 {
            if used >= round.per_person {
                return Err(Refusal::new(
                    Code::Limit,
                    format!("all {} votes are given", round.per_person),
                ));
            }
            if !round.multiple && on_item > 0 {
                return Err(Refusal::new(
                    Code::OnePerNote,
                    "only one vote per note in this round",
                ));
            }
            mine.insert(item.to_owned(), on_item + 1);
        } else {
            if on_item == 0 {
                return Err(Refusal::new(
                    Code::NoVote,
                    "there is no vote of yours to take back",
                ));
            }
            if on_item == 1 {
                mine.remove(item);
            } else {
                mine.insert(item.to_owned(), on_item - 1);
            }
        }
        round.names.insert(hello.user.clone(), hello.name.clone());
        Ok(Effects {
            direct: vec![(conn, ToClient::You(self.you(conn)))],
            private_changed: true,
            ..Effects::default()
        })
    }

    fn end_round(&mut self, doc: &Doc) -> Result<Effects, Refusal> {
        let Some(round) = self.private.round.take() else {
            return Err(Refusal::new(Code::NoRound, "no voting round is open"));
        };
        let mut totals: BTreeMap<String, u32> = BTreeMap::new();
        let mut voters: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (user, ballot) in &round.ballots {
            let name = round.names.get(user).cloned().unwrap_or_default();
            for (item, n) in ballot {
                *totals.entry(item.clone()).or_default() += n;
                if !round.anonymous {
                    for _ in 0..*n {
                        voters.entry(item.clone()).or_default().push(name.clone());
                    }
                }
            }
        }
        let people = round.ballots.values().filter(|b| !b.is_empty()).count();
        let results = Results {
            totals,
            voters,
            people,
        };
        let key = format!("round:{}", round.id);
        let value = round_value(&round, Some(&results));
        let mut effects = self.write(doc, vec![(key, Some(value))]);
        effects.private_changed = true;
        effects.direct = self.everyone_you();
        Ok(effects)
    }

    fn timer(
        &mut self,
        doc: &Doc,
        action: TimerAction,
        seconds: Option<u32>,
    ) -> Result<Effects, Refusal> {
        let now = now_ms();
        let current = match self.written.get("timer") {
            Some(Any::Map(m)) => Some(m.clone()),
            _ => None,
        };
        let num = |key: &str| -> f64 {
            current
                .as_ref()
                .and_then(|m| match m.get(key) {
                    Some(Any::Number(n)) => n.as_f64(),
                    _ => None,
                })
                .unwrap_or(0.0)
        };
        let state = current
            .as_ref()
            .and_then(|m| match m.get("state") {
                Some(Any::String(s)) => Some(s.to_string()),
                _ => None,
            })
            .unwrap_or_default();
        let secs = || -> Result<f64, Refusal> {
            match seconds {
                Some(s) if (1..=MAX_TIMER_SECONDS).contains(&s) => Ok(f64::from(s) * 1000.0),
                _ => Err(Refusal::new(
                    Code::BadRequest,
                    "the timer needs between 1 second and 10 hours",
                )),
            }
        };
        #[allow(clippy::cast_precision_loss)]
        let now_f = now as f64;
        let (new_state, ends_at, remaining, duration) = match action {
            TimerAction::Start => {
                let ms = secs()?;
                ("running", now_f + ms, ms, ms)
            }
            TimerAction::Pause => {
                if state != "running" {
                    return Err(Refusal::new(Code::NoTimer, "no timer is running"));
                }
                let left = (num("endsAt") - now_f).max(0.0);
                ("paused", 0.0, left, num("duration"))
            }
            TimerAction::Resume => {
                if state != "paused" {
                    return Err(Refusal::new(Code::NoTimer, "no timer is paused"));
                }
                let left = num("remaining");
                ("running", now_f + left, left, num("duration"))
            }
            TimerAction::Extend => {
                let ms = secs()?;
                match state.as_str() {
                    "running" => {
                        let ends = num("endsAt").max(now_f) + ms;
                        ("running", ends, ends - now_f, num("duration") + ms)
                    }
                    "paused" => ("paused", 0.0, num("remaining") + ms, num("duration") + ms),
                    _ => return Err(Refusal::new(Code::NoTimer, "no timer to extend")),
                }
            }
            TimerAction::Stop => {
                return Ok(self.write(doc, vec![("timer".into(), None)]));
            }
        };
        let value = any_map(vec![
            ("state", any_str(new_state)),
            ("endsAt", Any::from(ends_at)),
            ("remaining", Any::from(remaining)),
            ("duration", Any::from(duration)),
            ("changed", any_num(now)),
        ]);
        Ok(self.write(doc, vec![("timer".into(), Some(value))]))
    }

    fn lock(&mut self, doc: &Doc, items: &[String], locked: bool) -> Result<Effects, Refusal> {
        if items.is_empty() || items.len() > MAX_LOCK_ITEMS {
            return Err(Refusal::new(
                Code::BadRequest,
                "name between 1 and 2,000 items to lock",
            ));
        }
        let mut locks: HashMap<String, Any> = match self.written.get("locks") {
            Some(Any::Map(m)) => (**m).clone(),
            _ => HashMap::new(),
        };
        {
            let txn = doc.transact();
            let doc_items = txn.get_map(ITEMS_ROOT);
            for id in items {
                if locked {
                    let item = doc_items
                        .as_ref()
                        .and_then(|m| item_map(m, &txn, id))
                        .ok_or_else(|| {
                            Refusal::new(Code::NoSuchItem, format!("there is no item {id}"))
                        })?;
                    self.locked.insert(id.clone(), snapshot(&item, &txn));
                    locks.insert(id.clone(), Any::Bool(true));
                } else {
                    self.locked.remove(id);
                    locks.remove(id);
                }
            }
        }
        Ok(self.write(doc, vec![("locks".into(), Some(Any::from(locks)))]))
    }

    fn hand_over(
        &mut self,
        doc: &Doc,
        conn: u64,
        hello: &Hello,
        client: u64,
    ) -> Result<Effects, Refusal> {
        let target = self
            .members
            .iter()
            .find(|(_, m)| m.clients.contains(&client))
            .map(|(c, m)| (*c, m.clone()))
            .ok_or_else(|| {
                Refusal::new(Code::NoSuchPerson, "that person is not connected any more")
            })?;
        let (target_conn, member) = target;
        let Some(target_hello) = member.hello else {
            return Err(Refusal::new(
                Code::NoSuchPerson,
                "that participant's app cannot take the role",
            ));
        };
        if member.token_role == Role::Viewer {
            return Err(Refusal::new(
                Code::NotAllowed,
                "a viewer cannot become facilitator",
            ));
        }
        if target_conn == conn || target_hello.user == hello.user {
            return Err(Refusal::new(
                Code::BadRequest,
                "you are the facilitator already",
            ));
        }
        self.private
            .roles
            .insert(target_hello.user.clone(), Role::Facilitator);
        self.private.roles.insert(hello.user.clone(), Role::Editor);
        let mut effects = self.write(
            doc,
            vec![("facilitator".into(), Some(any_str(&target_hello.name)))],
        );
        effects.private_changed = true;
        effects.direct = self.everyone_you();
        Ok(effects)
    }

    fn take_back(&mut self, doc: &Doc, conn: u64, hello: &Hello) -> Result<Effects, Refusal> {
        let holds_link = self
            .members
            .get(&conn)
            .is_some_and(|m| m.token_role == Role::Facilitator);
        if !holds_link {
            return Err(Refusal::new(
                Code::NotAllowed,
                "only the holder of a facilitator link may take the role back",
            ));
        }
        self.private.roles.remove(&hello.user);
        for role in self.private.roles.values_mut() {
            if *role == Role::Facilitator {
                *role = Role::Editor;
            }
        }
        let mut effects = self.write(
            doc,
            vec![("facilitator".into(), Some(any_str(&hello.name)))],
        );
        effects.private_changed = true;
        effects.direct = self.everyone_you();
        Ok(effects)
    }

    /// After a peer's update was applied: undoes what `conn` (with its
    /// current role) was not allowed to change. Returns the restoring
    /// update, if one was needed; it must be stored and sent to everyone,
    /// the sender included.
    pub fn enforce(&mut self, doc: &Doc, conn: u64, touched: &Touched) -> Option<Vec<u8>> {
        let facilitator = self.role(conn) == Role::Facilitator;
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
        let root = doc.get_or_insert_map(WORKSHOP_ROOT);
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

    /// Connections that said hello (they understand workshop messages).
    pub fn greeted(&self) -> impl Iterator<Item = u64> + '_ {
        self.members
            .iter()
            .filter(|(_, m)| m.hello.is_some())
            .map(|(c, _)| *c)
    }
}

fn finite_view(x: f64, y: f64, zoom: f64) -> Result<View, Refusal> {
    if !(x.is_finite() && y.is_finite() && zoom.is_finite())
        || x.abs() > 1e7
        || y.abs() > 1e7
        || !(0.05..=8.0).contains(&zoom)
    {
        return Err(Refusal::new(Code::BadRequest, "the view is out of range"));
    }
    Ok(View { x, y, zoom })
}

struct Results {
    totals: BTreeMap<String, u32>,
    voters: BTreeMap<String, Vec<String>>,
    people: usize,
}

fn round_value(round: &OpenRound, results: Option<&Results>) -> Any {
    let mut entries = vec![
        ("id", any_str(&round.id)),
        ("title", any_str(&round.title)),
        ("scope", round.scope.as_deref().map_or(Any::Null, any_str)),
        ("perPerson", Any::from(f64::from(round.per_person))),
        ("multiple", Any::Bool(round.multiple)),
        ("anonymous", Any::Bool(round.anonymous)),
        ("started", any_num(round.started)),
    ];
    match results {
        None => entries.push(("state", any_str("open"))),
        Some(r) => {
            entries.push(("state", any_str("closed")));
            entries.push(("ended", any_num(now_ms())));
            #[allow(clippy::cast_precision_loss)]
            entries.push(("people", Any::from(r.people as f64)));
            let totals: HashMap<String, Any> = r
                .totals
                .iter()
                .map(|(k, v)| (k.clone(), Any::from(f64::from(*v))))
                .collect();
            entries.push(("results", Any::from(totals)));
            if !round.anonymous {
                let voters: HashMap<String, Any> = r
                    .voters
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            Any::from(v.iter().map(|n| any_str(n)).collect::<Vec<_>>()),
                        )
                    })
                    .collect();
                entries.push(("voters", Any::from(voters)));
            }
        }
    }
    any_map(entries)
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

/// A random id in UUID v4 form.
fn uuid_like() -> String {
    let bytes: [u8; 16] = rand::random();
    let mut b = bytes;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::types::ToJson;
    use yrs::updates::decoder::Decode;
    use yrs::Update;

    fn doc() -> Doc {
        Doc::with_options(yrs::Options {
            offset_kind: yrs::OffsetKind::Utf16,
            ..yrs::Options::default()
        })
    }

    fn add_item(doc: &Doc, id: &str, kind: &str, parent: Option<&str>, text: &str) {
        let items = doc.get_or_insert_map(ITEMS_ROOT);
        let mut txn = doc.transact_mut();
        let mut fields: HashMap<String, Any> = HashMap::new();
        fields.insert("type".into(), any_str(kind));
        fields.insert("x".into(), Any::from(10.0));
        if let Some(p) = parent {
            fields.insert("parent".into(), any_str(p));
        }
        let item = items.insert(&mut txn, id, fields.into_iter().collect::<MapPrelim>());
        item.insert(&mut txn, "text", TextPrelim::new(text));
    }

    fn workshop_text(doc: &Doc) -> String {
        let txn = doc.transact();
        txn.get_map(WORKSHOP_ROOT)
            .unwrap()
            .to_json(&txn)
            .to_string()
    }

    fn host_with(doc: &Doc, members: &[(u64, Role, &str)]) -> Host {
        let mut host = Host::new(doc, Private::default());
        for (conn, role, user) in members {
            host.join(*conn, *role);
            host.hello(
                *conn,
                Hello {
                    user: (*user).into(),
                    name: format!("Name {user}"),
                },
            )
            .unwrap();
        }
        host
    }

    fn round(per_person: u32, multiple: bool) -> Command {
        Command::StartRound {
            title: "Prioritäten".into(),
            scope: None,
            per_person,
            multiple,
            anonymous: false,
        }
    }

    fn vote(item: &str) -> Command {
        Command::Vote {
            item: item.into(),
            delta: 1,
        }
    }

    #[test]
    fn votes_are_limited_per_person_and_hidden_until_the_end() {
        let doc = doc();
        add_item(&doc, "n1", "note", None, "A");
        add_item(&doc, "n2", "note", None, "B");
        let mut host = host_with(
            &doc,
            &[
                (1, Role::Facilitator, "f"),
                (2, Role::Editor, "p"),
                (3, Role::Viewer, "v"),
            ],
        );
        host.command(&doc, 1, round(2, false)).unwrap();
        host.command(&doc, 2, vote("n1")).unwrap();
        assert_eq!(
            host.command(&doc, 2, vote("n1")).unwrap_err().code,
            "one-per-note"
        );
        host.command(&doc, 2, vote("n2")).unwrap();
        assert_eq!(host.command(&doc, 2, vote("n1")).unwrap_err().code, "limit");
        assert_eq!(
            host.command(&doc, 3, vote("n1")).unwrap_err().code,
            "not-allowed"
        );
        assert_eq!(
            host.command(&doc, 2, Command::EndRound {})
                .unwrap_err()
                .code,
            "not-allowed"
        );
        let json = workshop_text(&doc);
        assert!(!json.contains("results"), "{json}");
        assert_eq!(host.you(2).votes.unwrap().left, 0);
        host.command(&doc, 1, Command::EndRound {}).unwrap();
        let json = workshop_text(&doc);
        assert!(json.contains("results: {n"), "{json}");
        assert!(json.contains("Name p"), "{json}");
    }

    #[test]
    fn a_participant_change_to_a_locked_item_or_the_workshop_is_undone() {
        let host_doc = doc();
        add_item(&host_doc, "h", "label", None, "Tagesordnung");
        add_item(&host_doc, "n", "note", None, "frei");
        let sink = Arc::new(std::sync::Mutex::new(HashMap::new()));
        observe(&host_doc, sink.clone());
        let mut host = host_with(
            &host_doc,
            &[(1, Role::Facilitator, "f"), (2, Role::Editor, "p")],
        );
        host.command(
            &host_doc,
            1,
            Command::Lock {
                items: vec!["h".into()],
                locked: true,
            },
        )
        .unwrap();
        // The participant's copy: move the heading, rewrite it, touch the
        // free note, and forge a timer.
        let peer = doc();
        {
            let state = host_doc
                .transact()
                .encode_state_as_update_v1(&yrs::StateVector::default());
            peer.transact_mut()
                .apply_update(Update::decode_v1(&state).unwrap())
                .unwrap();
        }
        let before = peer.transact().state_vector();
        {
            let items = peer.get_or_insert_map(ITEMS_ROOT);
            let ws = peer.get_or_insert_map(WORKSHOP_ROOT);
            let mut txn = peer.transact_mut();
            let h = item_map(&items, &txn, "h").unwrap();
            h.insert(&mut txn, "x", 999.0);
            if let Some(Out::YText(t)) = h.get(&txn, "text") {
                t.insert(&mut txn, 0, "X");
            }
            let n = item_map(&items, &txn, "n").unwrap();
            n.insert(&mut txn, "x", 555.0);
            ws.insert(&mut txn, "timer", any_str("forged"));
        }
        let update = peer.transact().encode_state_as_update_v1(&before);
        {
            let mut txn = host_doc.transact_mut_with(peer_origin(2).as_str());
            txn.apply_update(Update::decode_v1(&update).unwrap())
                .unwrap();
        }
        let touched = sink.lock().unwrap().remove(&peer_origin(2)).unwrap();
        assert!(touched.workshop);
        let restore = host.enforce(&host_doc, 2, &touched).expect("a restore");
        peer.transact_mut()
            .apply_update(Update::decode_v1(&restore).unwrap())
            .unwrap();
        for d in [&host_doc, &peer] {
            let txn = d.transact();
            let items = txn.get_map(ITEMS_ROOT).unwrap();
            let h = item_map(&items, &txn, "h").unwrap();
            assert_eq!(h.get(&txn, "x"), Some(Out::Any(Any::from(10.0))));
            match h.get(&txn, "text") {
                Some(Out::YText(t)) => assert_eq!(t.get_string(&txn), "Tagesordnung"),
                other => panic!("{other:?}"),
            }
            let n = item_map(&items, &txn, "n").unwrap();
            assert_eq!(n.get(&txn, "x"), Some(Out::Any(Any::from(555.0))));
            assert!(txn
                .get_map(WORKSHOP_ROOT)
                .unwrap()
                .get(&txn, "timer")
                .is_none());
        }
    }

    #[test]
    fn hand_over_makes_the_other_person_facilitator() {
        let doc = doc();
        let mut host = host_with(&doc, &[(1, Role::Facilitator, "f"), (2, Role::Editor, "p")]);
        host.saw_client(2, 77);
        assert_eq!(
            host.command(&doc, 2, Command::HandOver { client: 1 })
                .unwrap_err()
                .code,
            "not-allowed"
        );
        host.command(&doc, 1, Command::HandOver { client: 77 })
            .unwrap();
        assert_eq!(host.role(2), Role::Facilitator);
        assert_eq!(host.role(1), Role::Editor);
        assert_eq!(
            host.command(&doc, 1, round(3, true)).unwrap_err().code,
            "not-allowed"
        );
        assert!(host.you(1).can_take_back);
        assert!(!host.you(2).can_take_back);
        // Only a facilitator link takes it back.
        assert_eq!(
            host.command(&doc, 2, Command::TakeBack {})
                .unwrap_err()
                .code,
            "not-allowed"
        );
        host.command(&doc, 1, Command::TakeBack {}).unwrap();
        assert_eq!(host.role(1), Role::Facilitator);
        assert_eq!(host.role(2), Role::Editor);
        assert!(!host.you(1).can_take_back);
    }

    #[test]
    fn malformed_commands_are_refused() {
        assert!(FromClient::parse(b"{\"do\":{\"id\":1,\"cmd\":{\"op\":\"vote\"}}}").is_none());
        assert!(FromClient::parse(b"not json").is_none());
        assert!(
            FromClient::parse(b"{\"do\":{\"id\":1,\"cmd\":{\"op\":\"endRound\",\"x\":1}}}")
                .is_none()
        );
        let doc = doc();
        let mut host = host_with(&doc, &[(1, Role::Facilitator, "f")]);
        assert_eq!(
            host.command(&doc, 1, round(0, false)).unwrap_err().code,
            "bad-request"
        );
        assert_eq!(
            host.command(&doc, 1, round(100, false)).unwrap_err().code,
            "bad-request"
        );
        let bad_timer = Command::Timer {
            action: TimerAction::Start,
            seconds: Some(0),
        };
        assert_eq!(
            host.command(&doc, 1, bad_timer).unwrap_err().code,
            "bad-request"
        );
        let bad_view = Command::Summon {
            x: f64::NAN,
            y: 0.0,
            zoom: 1.0,
        };
        assert_eq!(
            host.command(&doc, 1, bad_view).unwrap_err().code,
            "bad-request"
        );
        assert!(host
            .hello(
                1,
                Hello {
                    user: "other".into(),
                    name: "X".into()
                }
            )
            .is_err());
        host.hello(
            1,
            Hello {
                user: "f".into(),
                name: "Fiona Neu".into(),
            },
        )
        .unwrap();
        assert_eq!(host.members[&1].hello.as_ref().unwrap().name, "Fiona Neu");
        host.join(9, Role::Editor);
        assert!(host
            .hello(
                9,
                Hello {
                    user: "a b".into(),
                    name: String::new()
                }
            )
            .is_err());
        assert_eq!(
            host.command(&doc, 9, vote("x")).unwrap_err().code,
            "no-hello"
        );
    }
}
