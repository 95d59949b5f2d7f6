//! The workshop wire: what a client sends the host ([`FromClient`]: a
//! [`Hello`], then [`Command`]s) and what the host answers ([`ToClient`]),
//! as JSON in y-websocket message type [`crate::protocol::MSG_WORKSHOP`].
//! Refusals carry a stable [`Code`]; docs/workshop.md lists the shapes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Largest workshop message accepted, in bytes of JSON (a lock of 2,000
/// items takes about 80 KB).
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
        #[cfg_attr(feature = "ts", ts(optional))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// A person's own state in the open round, sent only to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
