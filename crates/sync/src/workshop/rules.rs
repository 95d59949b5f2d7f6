//! Who may do what in a workshop, as pure functions over the typed state:
//! the `workshop` map's values ([`stellwand_board::workshop`]), the host's
//! [`Private`] record and [`ItemFacts`] about the board's items, with `now`
//! (unix milliseconds of the host's clock) passed in. Nothing here reads the
//! clock, the document or the network, so every rule is tested with fixed
//! times; the [`super::Host`] gathers the facts and writes the results.
//!
//! The file is long because of its tests: the rules themselves are some
//! 600 lines, the second part tests each of them at fixed times.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use stellwand_board::workshop::{
    Outcome, Presentation, PrivateWriting, Round, RoundState, Summon, Timer, TimerState,
};
use stellwand_board::ItemKind;

use super::messages::{Code, Command, Hello, MyVotes, Refusal, TimerAction, View, You};
use super::Member;
use crate::token::Role;

/// Most votes one person may have in a round.
pub const MAX_VOTES_PER_PERSON: u32 = 99;
/// Longest round title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Longest user id accepted in a hello.
pub const MAX_USER_ID_LEN: usize = 64;
/// Most items one lock command may name.
pub const MAX_LOCK_ITEMS: usize = 2_000;
/// Longest timer, in seconds (10 hours).
pub const MAX_TIMER_SECONDS: u32 = 36_000;

/// The open round as the host keeps it (in the store's private record):
/// the ballots never leave the host before the round ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenRound {
    pub id: String,
    pub title: String,
    pub scope: Option<String>,
    pub per_person: u32,
    pub multiple: bool,
    pub anonymous: bool,
    pub started: i64,
    /// user → note → votes.
    pub ballots: BTreeMap<String, BTreeMap<String, u32>>,
    /// user → display name at their last vote.
    pub names: BTreeMap<String, String>,
}

impl OpenRound {
    /// The round as the document shows it while it is open: no counts.
    #[must_use]
    pub fn published(&self) -> Round {
        Round {
            id: self.id.clone(),
            title: self.title.clone(),
            scope: self.scope.clone(),
            per_person: self.per_person,
            multiple: self.multiple,
            anonymous: self.anonymous,
            started: self.started,
            state: RoundState::Open,
        }
    }
}

/// What the host keeps outside the document, durably.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Private {
    #[serde(default)]
    pub(crate) round: Option<OpenRound>,
    /// Roles changed by hand-over: user → role.
    #[serde(default)]
    pub(crate) roles: BTreeMap<String, Role>,
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

/// What the rules need to know about an item of the board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFacts {
    /// `None` for a kind this version does not know.
    pub kind: Option<ItemKind>,
    /// The frame it belongs to.
    pub parent: Option<String>,
}

/// The items of the board as the rules see them: the facts of an id, if
/// the item exists.
pub type Items<'a> = &'a dyn Fn(&str) -> Option<ItemFacts>;

/// What a facilitator asks for when starting a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    pub title: String,
    pub scope: Option<String>,
    pub per_person: u32,
    pub multiple: bool,
    pub anonymous: bool,
}

fn not_allowed(what: &str) -> Refusal {
    Refusal::new(Code::NotAllowed, format!("only the facilitator may {what}"))
}

fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

/// How a role is called on the wire and in the desktop.
#[must_use]
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator",
        Role::Editor => "participant",
        Role::Viewer => "viewer",
    }
}

/// The role granted to someone with `token_role` who said hello as `user`:
/// the token's, changed by a hand-over; a viewer token never gains write
/// access.
#[must_use]
pub fn effective_role(
    token_role: Role,
    user: Option<&str>,
    roles: &BTreeMap<String, Role>,
) -> Role {
    if token_role == Role::Viewer {
        return Role::Viewer;
    }
    user.and_then(|u| roles.get(u))
        .copied()
        .unwrap_or(token_role)
}

/// Whether `role` may send `cmd` at all. Voting is for everyone but
/// viewers, taking the role back is checked by [`take_back`], everything
/// else is the facilitator's.
///
/// # Errors
/// `not-allowed`.
pub fn may(role: Role, cmd: &Command) -> Result<(), Refusal> {
    let what = match cmd {
        Command::Vote { .. } if role == Role::Viewer => {
            return Err(Refusal::new(Code::NotAllowed, "viewers cannot vote"));
        }
        Command::Vote { .. } | Command::TakeBack {} => return Ok(()),
        Command::View { .. } => "share the view",
        Command::StartRound { .. } => "start a voting round",
        Command::EndRound {} => "end a voting round",
        Command::Timer { .. } => "control the timer",
        Command::Private { .. } => "switch private writing",
        Command::Lock { .. } => "lock items",
        Command::Present { .. } => "present",
        Command::Summon { .. } => "bring everyone to a place",
        Command::HandOver { .. } => "hand over the facilitator role",
    };
    if role == Role::Facilitator {
        Ok(())
    } else {
        Err(not_allowed(what))
    }
}

/// The hello a connection keeps: a user id of letters, digits, `-` and `_`,
/// the name clipped. A later hello (`previous`) may change the name, not
/// the user: identity is fixed per connection.
///
/// # Errors
/// `bad-request`.
pub fn greet(previous: Option<&Hello>, hello: &Hello) -> Result<Hello, Refusal> {
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
    if previous.is_some_and(|h| h.user != user) {
        return Err(Refusal::new(
            Code::BadRequest,
            "a connection keeps the user of its first hello",
        ));
    }
    Ok(Hello {
        user: user.to_owned(),
        name: clip(&hello.name, MAX_NAME_CHARS),
    })
}

/// `user`'s own votes in `round`.
#[must_use]
pub fn my_votes(round: &OpenRound, user: &str) -> MyVotes {
    let mine = round.ballots.get(user).cloned().unwrap_or_default();
    let used: u32 = mine.values().sum();
    MyVotes {
        round: round.id.clone(),
        left: round.per_person.saturating_sub(used),
        mine,
    }
}

/// What a connection is told about itself: its `role`, the host's `now`,
/// its votes in the open round (not for viewers, nor before a hello), and
/// whether it may take the role back (`holds_link`: its token is a
/// facilitator's).
#[must_use]
pub fn you(
    role: Role,
    holds_link: bool,
    user: Option<&str>,
    round: Option<&OpenRound>,
    now: i64,
) -> You {
    let votes = match (round, user) {
        (Some(round), Some(user)) if role != Role::Viewer => Some(my_votes(round, user)),
        _ => None,
    };
    You {
        role: role_name(role).to_owned(),
        now,
        votes,
        can_take_back: role != Role::Facilitator && holds_link,
    }
}

/// A view within the board's range.
///
/// # Errors
/// `bad-request` for a place that is not finite, too far out, or a zoom
/// outside 0.05–8.
pub fn view(x: f64, y: f64, zoom: f64) -> Result<View, Refusal> {
    if !(x.is_finite() && y.is_finite() && zoom.is_finite())
        || x.abs() > 1e7
        || y.abs() > 1e7
        || !(0.05..=8.0).contains(&zoom)
    {
        return Err(Refusal::new(Code::BadRequest, "the view is out of range"));
    }
    Ok(View { x, y, zoom })
}

/// The item `id`, of `kind` if given.
///
/// # Errors
/// `no-such-item`, `wrong-kind`.
pub fn require(items: Items<'_>, id: &str, kind: Option<ItemKind>) -> Result<ItemFacts, Refusal> {
    let facts = items(id)
        .ok_or_else(|| Refusal::new(Code::NoSuchItem, format!("there is no item {id}")))?;
    if let Some(kind) = kind {
        if facts.kind != Some(kind) {
            return Err(Refusal::new(
                Code::WrongKind,
                format!("item {id} is not a {}", kind.as_str()),
            ));
        }
    }
    Ok(facts)
}

/// The countdown after `action` at `now`; `None`: no timer any more.
///
/// # Errors
/// `bad-request` for seconds outside 1–36,000 (start, extend); `no-timer`
/// when there is nothing to pause, resume or extend.
pub fn timer(
    current: Option<&Timer>,
    action: TimerAction,
    seconds: Option<u32>,
    now: i64,
) -> Result<Option<Timer>, Refusal> {
    let span = || -> Result<i64, Refusal> {
        match seconds {
            Some(s) if (1..=MAX_TIMER_SECONDS).contains(&s) => Ok(i64::from(s) * 1000),
            _ => Err(Refusal::new(
                Code::BadRequest,
                "the timer needs between 1 second and 10 hours",
            )),
        }
    };
    let state = current.map(|t| t.state);
    let at = |state, ends_at, remaining, duration| {
        Ok(Some(Timer {
            state,
            ends_at,
            remaining,
            duration,
            changed: now,
        }))
    };
    match (action, current) {
        (TimerAction::Start, _) => {
            let ms = span()?;
            at(TimerState::Running, now.saturating_add(ms), ms, ms)
        }
        (TimerAction::Pause, Some(t)) if state == Some(TimerState::Running) => {
            let left = t.ends_at.saturating_sub(now).max(0);
            at(TimerState::Paused, 0, left, t.duration)
        }
        (TimerAction::Pause, _) => Err(Refusal::new(Code::NoTimer, "no timer is running")),
        (TimerAction::Resume, Some(t)) if state == Some(TimerState::Paused) => at(
            TimerState::Running,
            now.saturating_add(t.remaining),
            t.remaining,
            t.duration,
        ),
        (TimerAction::Resume, _) => Err(Refusal::new(Code::NoTimer, "no timer is paused")),
        (TimerAction::Extend, current) => {
            let ms = span()?;
            match current {
                Some(t) if t.state == TimerState::Running => {
                    let ends = t.ends_at.max(now).saturating_add(ms);
                    at(
                        TimerState::Running,
                        ends,
                        ends - now,
                        t.duration.saturating_add(ms),
                    )
                }
                Some(t) => at(
                    TimerState::Paused,
                    0,
                    t.remaining.saturating_add(ms),
                    t.duration.saturating_add(ms),
                ),
                None => Err(Refusal::new(Code::NoTimer, "no timer to extend")),
            }
        }
        (TimerAction::Stop, _) => Ok(None),
    }
}

/// Private writing switched at `now`.
#[must_use]
pub fn private_writing(on: bool, anonymous: bool, now: i64) -> PrivateWriting {
    PrivateWriting {
        on,
        anonymous,
        changed: now,
    }
}

/// Presents `frame` (or stops with `None`); `last_seq` is the highest
/// slide/summon counter written so far.
///
/// # Errors
/// `no-such-item`, `wrong-kind` when `frame` is not a frame.
pub fn present(
    frame: Option<String>,
    items: Items<'_>,
    last_seq: u64,
) -> Result<Presentation, Refusal> {
    if let Some(f) = &frame {
        require(items, f, Some(ItemKind::Frame))?;
    }
    Ok(Presentation {
        frame,
        seq: last_seq + 1,
    })
}

/// Brings everyone to a place; `last_seq` as for [`present`].
///
/// # Errors
/// `bad-request` for a place out of range.
pub fn summon(x: f64, y: f64, zoom: f64, last_seq: u64) -> Result<Summon, Refusal> {
    let v = view(x, y, zoom)?;
    Ok(Summon {
        x: v.x,
        y: v.y,
        zoom: v.zoom,
        seq: last_seq + 1,
    })
}

/// The locked ids after locking (`locked`) or unlocking `ids`; only
/// existing items can be locked.
///
/// # Errors
/// `bad-request` for no ids or more than 2,000; `no-such-item`.
pub fn lock(
    locks: &BTreeSet<String>,
    ids: &[String],
    locked: bool,
    items: Items<'_>,
) -> Result<BTreeSet<String>, Refusal> {
    if ids.is_empty() || ids.len() > MAX_LOCK_ITEMS {
        return Err(Refusal::new(
            Code::BadRequest,
            "name between 1 and 2,000 items to lock",
        ));
    }
    let mut next = locks.clone();
    for id in ids {
        if locked {
            require(items, id, None)?;
            next.insert(id.clone());
        } else {
            next.remove(id);
        }
    }
    Ok(next)
}

/// A round opened at `now` with the id `id`, if none is open.
///
/// # Errors
/// `round-open`; `bad-request` for votes per person outside 1–99;
/// `no-such-item`, `wrong-kind` for a scope that is not a frame.
pub fn start_round(
    open: Option<&OpenRound>,
    new: NewRound,
    id: String,
    items: Items<'_>,
    now: i64,
) -> Result<OpenRound, Refusal> {
    if open.is_some() {
        return Err(Refusal::new(
            Code::RoundOpen,
            "a voting round is already open; end it first",
        ));
    }
    if !(1..=MAX_VOTES_PER_PERSON).contains(&new.per_person) {
        return Err(Refusal::new(
            Code::BadRequest,
            "votes per person must be between 1 and 99",
        ));
    }
    if let Some(frame) = &new.scope {
        require(items, frame, Some(ItemKind::Frame))?;
    }
    Ok(OpenRound {
        id,
        title: clip(&new.title, MAX_TITLE_CHARS),
        scope: new.scope,
        per_person: new.per_person,
        multiple: new.multiple,
        anonymous: new.anonymous,
        started: now,
        ballots: BTreeMap::new(),
        names: BTreeMap::new(),
    })
}

/// Gives (`delta` 1) or takes back (-1) one vote of `voter` on the note
/// `item` (`note`: its facts, if it exists) in the open round.
///
/// # Errors
/// `bad-request`, `no-round`, `no-such-item`, `wrong-kind` (not a note),
/// `out-of-scope`, `limit`, `one-per-note`, `no-vote`.
pub fn vote(
    round: Option<&mut OpenRound>,
    voter: &Hello,
    item: &str,
    note: Option<ItemFacts>,
    delta: i32,
) -> Result<(), Refusal> {
    if delta != 1 && delta != -1 {
        return Err(Refusal::new(Code::BadRequest, "a vote changes by 1 or -1"));
    }
    let Some(round) = round else {
        return Err(Refusal::new(Code::NoRound, "no voting round is open"));
    };
    let note =
        note.ok_or_else(|| Refusal::new(Code::NoSuchItem, format!("there is no note {item}")))?;
    if note.kind != Some(ItemKind::Note) {
        return Err(Refusal::new(Code::WrongKind, "only notes get votes"));
    }
    if let Some(scope) = &round.scope {
        if note.parent.as_deref() != Some(scope.as_str()) {
            return Err(Refusal::new(
                Code::OutOfScope,
                "this round is about the notes of another frame",
            ));
        }
    }
    let mine = round.ballots.entry(voter.user.clone()).or_default();
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
        match on_item {
            0 => {
                return Err(Refusal::new(
                    Code::NoVote,
                    "there is no vote of yours to take back",
                ))
            }
            1 => {
                mine.remove(item);
            }
            n => {
                mine.insert(item.to_owned(), n - 1);
            }
        }
    }
    round.names.insert(voter.user.clone(), voter.name.clone());
    Ok(())
}

/// The open round closed at `now` with its counts: votes per note, how
/// many people voted, and (unless anonymous) who voted for what, one name
/// per vote.
///
/// # Errors
/// `no-round`.
pub fn end_round(open: Option<&OpenRound>, now: i64) -> Result<Round, Refusal> {
    let Some(round) = open else {
        return Err(Refusal::new(Code::NoRound, "no voting round is open"));
    };
    let mut results: BTreeMap<String, u32> = BTreeMap::new();
    let mut voters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (user, ballot) in &round.ballots {
        let name = round.names.get(user).cloned().unwrap_or_default();
        for (item, n) in ballot {
            let total = results.entry(item.clone()).or_default();
            *total = total.saturating_add(*n);
            if !round.anonymous {
                let names = voters.entry(item.clone()).or_default();
                names.extend(std::iter::repeat_n(name.clone(), *n as usize));
            }
        }
    }
    let people = round.ballots.values().filter(|b| !b.is_empty()).count();
    Ok(Round {
        state: RoundState::Closed(Outcome {
            ended: Some(now),
            people: u32::try_from(people).unwrap_or(u32::MAX),
            results,
            voters: (!round.anonymous).then_some(voters),
        }),
        ..round.published()
    })
}

/// Hands the facilitator role from `giver` (on connection `giver_conn`) to
/// `target`, the connection that published the chosen awareness client (if
/// it is still there). Returns the new facilitator's display name.
///
/// # Errors
/// `no-such-person`; `not-allowed` for a viewer; `bad-request` for
/// oneself.
pub fn hand_over(
    roles: &mut BTreeMap<String, Role>,
    giver_conn: u64,
    giver: &Hello,
    target: Option<(u64, &Member)>,
) -> Result<String, Refusal> {
    let (target_conn, member) = target
        .ok_or_else(|| Refusal::new(Code::NoSuchPerson, "that person is not connected any more"))?;
    let Some(target_hello) = &member.hello else {
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
    if target_conn == giver_conn || target_hello.user == giver.user {
        return Err(Refusal::new(
            Code::BadRequest,
            "you are the facilitator already",
        ));
    }
    roles.insert(target_hello.user.clone(), Role::Facilitator);
    roles.insert(giver.user.clone(), Role::Editor);
    Ok(target_hello.name.clone())
}

/// Takes the role back for `user`, who holds a facilitator link
/// (`holds_link`); whoever was made facilitator by hand-over becomes a
/// participant.
///
/// # Errors
/// `not-allowed` without a facilitator link.
pub fn take_back(
    roles: &mut BTreeMap<String, Role>,
    holds_link: bool,
    user: &str,
) -> Result<(), Refusal> {
    if !holds_link {
        return Err(Refusal::new(
            Code::NotAllowed,
            "only the holder of a facilitator link may take the role back",
        ));
    }
    roles.remove(user);
    for role in roles.values_mut() {
        if *role == Role::Facilitator {
            *role = Role::Editor;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const T0: i64 = 1_795_816_000_000;

    fn running(ends_at: i64, duration: i64) -> Timer {
        Timer {
            state: TimerState::Running,
            ends_at,
            remaining: duration,
            duration,
            changed: T0,
        }
    }

    fn board() -> impl Fn(&str) -> Option<ItemFacts> {
        |id: &str| match id {
            "f1" => Some(ItemFacts {
                kind: Some(ItemKind::Frame),
                parent: None,
            }),
            "n1" | "n2" => Some(ItemFacts {
                kind: Some(ItemKind::Note),
                parent: Some("f1".into()),
            }),
            "n3" => Some(ItemFacts {
                kind: Some(ItemKind::Note),
                parent: None,
            }),
            _ => None,
        }
    }

    fn hello(user: &str, name: &str) -> Hello {
        Hello {
            user: user.into(),
            name: name.into(),
        }
    }

    fn new_round(per_person: u32, multiple: bool, anonymous: bool) -> NewRound {
        NewRound {
            title: "  Was zuerst?  ".into(),
            scope: None,
            per_person,
            multiple,
            anonymous,
        }
    }

    fn code(result: Result<impl std::fmt::Debug, Refusal>) -> Code {
        match result {
            Ok(v) => panic!("expected a refusal, got {v:?}"),
            Err(r) => r.code,
        }
    }

    #[test]
    fn a_timer_started_at_now_ends_its_seconds_later() {
        let timer = timer(None, TimerAction::Start, Some(300), T0).unwrap();
        assert_eq!(
            timer,
            Some(Timer {
                state: TimerState::Running,
                ends_at: T0 + 300_000,
                remaining: 300_000,
                duration: 300_000,
                changed: T0,
            })
        );
    }

    #[test]
    fn pausing_keeps_what_is_left_and_resuming_counts_from_the_new_now() {
        let t = running(T0 + 300_000, 300_000);
        let paused = timer(Some(&t), TimerAction::Pause, None, T0 + 120_000)
            .unwrap()
            .unwrap();
        assert_eq!(paused.state, TimerState::Paused);
        assert_eq!(paused.remaining, 180_000);
        assert_eq!(paused.changed, T0 + 120_000);
        let resumed = timer(Some(&paused), TimerAction::Resume, None, T0 + 600_000)
            .unwrap()
            .unwrap();
        assert_eq!(resumed.state, TimerState::Running);
        assert_eq!(resumed.ends_at, T0 + 780_000);
        assert_eq!(resumed.duration, 300_000);
        // Paused after the end: nothing is left, never less.
        let late = timer(Some(&t), TimerAction::Pause, None, T0 + 999_000)
            .unwrap()
            .unwrap();
        assert_eq!(late.remaining, 0);
    }

    #[test]
    fn extending_an_elapsed_timer_counts_from_now() {
        let t = running(T0 + 60_000, 60_000);
        let extended = timer(Some(&t), TimerAction::Extend, Some(60), T0 + 90_000)
            .unwrap()
            .unwrap();
        assert_eq!(extended.ends_at, T0 + 150_000);
        assert_eq!(extended.remaining, 60_000);
        assert_eq!(extended.duration, 120_000);
        let still_running = timer(Some(&t), TimerAction::Extend, Some(60), T0 + 30_000)
            .unwrap()
            .unwrap();
        assert_eq!(still_running.ends_at, T0 + 120_000);
    }

    #[test]
    fn timer_actions_without_a_timer_or_with_bad_seconds_are_refused() {
        assert_eq!(
            code(timer(None, TimerAction::Pause, None, T0)),
            Code::NoTimer
        );
        assert_eq!(
            code(timer(None, TimerAction::Extend, Some(60), T0)),
            Code::NoTimer
        );
        let t = running(T0 + 60_000, 60_000);
        assert_eq!(
            code(timer(Some(&t), TimerAction::Resume, None, T0)),
            Code::NoTimer
        );
        for seconds in [None, Some(0), Some(MAX_TIMER_SECONDS + 1)] {
            assert_eq!(
                code(timer(None, TimerAction::Start, seconds, T0)),
                Code::BadRequest
            );
        }
        assert_eq!(timer(Some(&t), TimerAction::Stop, None, T0), Ok(None));
    }

    #[test]
    fn only_the_facilitator_runs_the_workshop_and_viewers_do_not_vote() {
        let end = Command::EndRound {};
        let vote = Command::Vote {
            item: "n1".into(),
            delta: 1,
        };
        assert!(may(Role::Facilitator, &end).is_ok());
        assert_eq!(code(may(Role::Editor, &end)), Code::NotAllowed);
        assert!(may(Role::Editor, &vote).is_ok());
        assert_eq!(code(may(Role::Viewer, &vote)), Code::NotAllowed);
        assert!(may(Role::Viewer, &Command::TakeBack {}).is_ok());
    }

    #[test]
    fn a_hand_over_changes_the_role_but_never_lifts_a_viewer_token() {
        let roles: BTreeMap<String, Role> = [
            ("anna".to_owned(), Role::Facilitator),
            ("vera".to_owned(), Role::Facilitator),
        ]
        .into();
        assert_eq!(
            effective_role(Role::Editor, Some("anna"), &roles),
            Role::Facilitator
        );
        assert_eq!(effective_role(Role::Editor, None, &roles), Role::Editor);
        assert_eq!(
            effective_role(Role::Viewer, Some("vera"), &roles),
            Role::Viewer
        );
    }

    #[test]
    fn a_round_started_at_now_is_open_with_a_clipped_title() {
        let round =
            start_round(None, new_round(3, false, false), "r1".into(), &board(), T0).unwrap();
        assert_eq!(round.started, T0);
        assert_eq!(round.title, "Was zuerst?");
        assert!(round.published().is_open());
        assert_eq!(
            code(start_round(
                Some(&round),
                new_round(3, false, false),
                "r2".into(),
                &board(),
                T0
            )),
            Code::RoundOpen
        );
        let scoped = NewRound {
            scope: Some("n1".into()),
            ..new_round(3, false, false)
        };
        assert_eq!(
            code(start_round(None, scoped, "r3".into(), &board(), T0)),
            Code::WrongKind
        );
    }

    #[test]
    fn votes_respect_the_limit_one_per_note_and_the_scope() {
        let items = board();
        let mut round = OpenRound {
            scope: Some("f1".into()),
            ..start_round(None, new_round(2, false, false), "r".into(), &items, T0).unwrap()
        };
        let anna = hello("anna", "Anna");
        let mut give = |item: &str, delta| vote(Some(&mut round), &anna, item, items(item), delta);
        give("n1", 1).unwrap();
        assert_eq!(code(give("n1", 1)), Code::OnePerNote);
        assert_eq!(code(give("n3", 1)), Code::OutOfScope);
        assert_eq!(code(give("f1", 1)), Code::WrongKind);
        assert_eq!(code(give("gone", 1)), Code::NoSuchItem);
        assert_eq!(code(give("n1", 2)), Code::BadRequest);
        give("n2", 1).unwrap();
        give("n2", -1).unwrap();
        assert_eq!(code(give("n2", -1)), Code::NoVote);
        give("n2", 1).unwrap();
        assert_eq!(code(give("n2", 1)), Code::Limit);
        assert_eq!(my_votes(&round, "anna").left, 0);
        assert_eq!(code(vote(None, &anna, "n1", items("n1"), 1)), Code::NoRound);
    }

    #[test]
    fn ending_a_round_at_now_counts_votes_people_and_names() {
        let items = board();
        let mut round =
            start_round(None, new_round(3, true, false), "r".into(), &items, T0).unwrap();
        for (user, name, item) in [
            ("anna", "Anna", "n1"),
            ("anna", "Anna", "n1"),
            ("ben", "Ben", "n1"),
            ("ben", "Ben", "n2"),
        ] {
            vote(Some(&mut round), &hello(user, name), item, items(item), 1).unwrap();
        }
        // Someone who took their only vote back did not vote.
        let carl = hello("carl", "Carl");
        vote(Some(&mut round), &carl, "n3", items("n3"), 1).unwrap();
        vote(Some(&mut round), &carl, "n3", items("n3"), -1).unwrap();
        let closed = end_round(Some(&round), T0 + 600_000).unwrap();
        let outcome = closed.outcome().unwrap();
        assert_eq!(outcome.ended, Some(T0 + 600_000));
        assert_eq!(outcome.people, 2);
        assert_eq!(outcome.results, [("n1".into(), 3), ("n2".into(), 1)].into());
        let voters = outcome.voters.as_ref().unwrap();
        assert_eq!(voters["n1"], ["Anna", "Anna", "Ben"]);
        assert_eq!(code(end_round(None, T0)), Code::NoRound);
    }

    #[test]
    fn an_anonymous_round_publishes_no_names() {
        let items = board();
        let mut round =
            start_round(None, new_round(1, false, true), "r".into(), &items, T0).unwrap();
        vote(
            Some(&mut round),
            &hello("anna", "Anna"),
            "n1",
            items("n1"),
            1,
        )
        .unwrap();
        let closed = end_round(Some(&round), T0 + 1).unwrap();
        assert_eq!(closed.outcome().unwrap().voters, None);
        assert!(!format!("{:?}", closed.to_any()).contains("Anna"));
    }

    #[test]
    fn you_carries_the_given_now_and_own_votes_but_not_for_viewers() {
        let items = board();
        let mut round =
            start_round(None, new_round(3, false, false), "r".into(), &items, T0).unwrap();
        vote(
            Some(&mut round),
            &hello("anna", "Anna"),
            "n1",
            items("n1"),
            1,
        )
        .unwrap();
        let me = you(Role::Editor, true, Some("anna"), Some(&round), T0 + 5);
        assert_eq!(me.now, T0 + 5);
        assert_eq!(me.role, "participant");
        assert!(me.can_take_back);
        assert_eq!(me.votes.unwrap().left, 2);
        let viewer = you(Role::Viewer, false, Some("vera"), Some(&round), T0);
        assert_eq!(viewer.votes, None);
        assert!(!you(Role::Facilitator, true, None, None, T0).can_take_back);
    }

    #[test]
    fn a_lock_names_existing_items_and_a_refused_one_changes_nothing() {
        let items = board();
        let none = BTreeSet::new();
        let locked = lock(&none, &["n1".into(), "f1".into()], true, &items).unwrap();
        assert_eq!(locked.len(), 2);
        assert_eq!(
            code(lock(&locked, &["n2".into(), "gone".into()], true, &items)),
            Code::NoSuchItem
        );
        let unlocked = lock(&locked, &["n1".into(), "gone".into()], false, &items).unwrap();
        assert_eq!(unlocked, ["f1".to_owned()].into());
        assert_eq!(code(lock(&none, &[], true, &items)), Code::BadRequest);
    }

    #[test]
    fn slides_and_summons_share_one_counter() {
        let items = board();
        let slide = present(Some("f1".into()), &items, 4).unwrap();
        assert_eq!(slide.seq, 5);
        let place = summon(10.0, 20.0, 1.5, slide.seq).unwrap();
        assert_eq!(place.seq, 6);
        assert_eq!(code(present(Some("n1".into()), &items, 0)), Code::WrongKind);
        assert_eq!(code(summon(0.0, 0.0, 100.0, 0)), Code::BadRequest);
    }

    #[test]
    fn a_hand_over_goes_to_a_greeted_participant_and_taking_back_undoes_it() {
        let giver = hello("fiona", "Fiona");
        let member = |role, user: Option<&str>| Member {
            token_role: role,
            hello: user.map(|u| hello(u, "Paul")),
            clients: HashSet::new(),
        };
        let mut roles = BTreeMap::new();
        let paul = member(Role::Editor, Some("paul"));
        let viewer = member(Role::Viewer, Some("vera"));
        let silent = member(Role::Editor, None);
        assert_eq!(
            code(hand_over(&mut roles, 1, &giver, None)),
            Code::NoSuchPerson
        );
        assert_eq!(
            code(hand_over(&mut roles, 1, &giver, Some((3, &silent)))),
            Code::NoSuchPerson
        );
        assert_eq!(
            code(hand_over(&mut roles, 1, &giver, Some((4, &viewer)))),
            Code::NotAllowed
        );
        assert_eq!(
            code(hand_over(&mut roles, 2, &giver, Some((2, &paul)))),
            Code::BadRequest
        );
        assert!(roles.is_empty(), "a refused hand-over changes no role");
        assert_eq!(
            hand_over(&mut roles, 1, &giver, Some((2, &paul))),
            Ok("Paul".to_owned())
        );
        assert_eq!(roles["paul"], Role::Facilitator);
        assert_eq!(roles["fiona"], Role::Editor);
        assert_eq!(code(take_back(&mut roles, false, "paul")), Code::NotAllowed);
        take_back(&mut roles, true, "fiona").unwrap();
        assert_eq!(roles.get("fiona"), None);
        assert_eq!(roles["paul"], Role::Editor);
    }

    #[test]
    fn a_hello_keeps_its_user_and_clips_the_name() {
        let first = greet(None, &hello(" anna ", &"A".repeat(100))).unwrap();
        assert_eq!(first.user, "anna");
        assert_eq!(first.name.chars().count(), MAX_NAME_CHARS);
        assert!(greet(Some(&first), &hello("anna", "Anna B.")).is_ok());
        assert_eq!(
            code(greet(Some(&first), &hello("other", "X"))),
            Code::BadRequest
        );
        assert_eq!(code(greet(None, &hello("a b", ""))), Code::BadRequest);
        assert_eq!(code(greet(None, &hello("", ""))), Code::BadRequest);
    }
}
