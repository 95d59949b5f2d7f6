//! Workshop facilitation held by the host: roles, dot voting, timer, private
//! writing, presenting, locks.
//!
//! The host (the server a board is shared from) is the only writer of the
//! board's `workshop` root map, whose typed shape lives in
//! [`stellwand_board::workshop`]. Clients ask for changes with [`Command`]s
//! in workshop messages (y-websocket message type
//! [`crate::protocol::MSG_WORKSHOP`], JSON); the host checks the sender's
//! role and the rules, writes the result into the document as its own
//! transaction, and answers. Whatever a client writes into `workshop`
//! itself, and whatever a participant changes on a locked item, the host
//! undoes with a restoring transaction: hiding buttons is not enforcement.
//!
//! Votes of an open round are kept by the host alone (in the store's private
//! record of the board, never in the document), so no participant receives
//! a count before the round ends; each voter is told only their own votes.
//!
//! The module is split by stage:
//! - [`messages`]: the wire ([`FromClient`], [`ToClient`], [`Command`],
//!   [`Refusal`] with its [`Code`]).
//! - [`rules`]: who may do what, pure functions over the typed state, given
//!   `now`.
//! - [`enforcement`]: observers on the document and the restoring
//!   transactions for locked items and the `workshop` map.
//! - here, [`Host`]: one board's members and private record; it gathers
//!   facts from the document, asks the rules and writes their results.
//!
//! [`Host`] is sans-IO and reads no clock: the server feeds it commands with
//! the time they arrived and the changes it observed, and sends what it
//! returns.

pub mod enforcement;
pub mod messages;
pub mod rules;

use std::collections::{HashMap, HashSet};

use stellwand_board::workshop::{Entry, Timer};
use stellwand_board::ItemKind;
use yrs::{Any, Doc, Map, Out, ReadTxn, Transact};

use crate::token::Role;
use enforcement::{item_map, Guard};
use rules::{ItemFacts, NewRound};

pub use enforcement::{observe, peer_origin, Touched, HOST_ORIGIN};
pub use messages::{
    Code, Command, FromClient, Hello, MyVotes, Refusal, TimerAction, ToClient, View, You,
    MAX_MESSAGE_BYTES,
};
pub use rules::{
    Private, MAX_LOCK_ITEMS, MAX_NAME_CHARS, MAX_TIMER_SECONDS, MAX_TITLE_CHARS, MAX_USER_ID_LEN,
    MAX_VOTES_PER_PERSON,
};

/// Name of the root map the host writes.
pub const WORKSHOP_ROOT: &str = stellwand_board::workshop::ROOT;
/// Name of the root map holding the board's items.
pub const ITEMS_ROOT: &str = stellwand_board::ITEMS;

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

/// The host's facilitation state of one board.
#[derive(Debug)]
pub struct Host {
    private: Private,
    members: HashMap<u64, Member>,
    guard: Guard,
    /// The slide/summon counter last written.
    seq: u64,
}

impl Host {
    /// The host of a board whose document is `doc`, with the private record
    /// the store kept (default if none).
    #[must_use]
    pub fn new(doc: &Doc, private: Private) -> Self {
        let guard = Guard::new(doc);
        // Continue the counter, so clients that saw the last slide or
        // summon react to the next one after a restart of the host.
        let seq = guard.workshop().seq();
        Self {
            private,
            members: HashMap::new(),
            guard,
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
        rules::effective_role(
            m.token_role,
            m.hello.as_ref().map(|h| h.user.as_str()),
            &self.private.roles,
        )
    }

    /// What `conn` is told about itself at `now` (unix milliseconds).
    #[must_use]
    pub fn you(&self, conn: u64, now: i64) -> You {
        let member = self.members.get(&conn);
        rules::you(
            self.role(conn),
            member.is_some_and(|m| m.token_role == Role::Facilitator),
            member
                .and_then(|m| m.hello.as_ref())
                .map(|h| h.user.as_str()),
            self.private.round.as_ref(),
            now,
        )
    }

    /// A hello arrived at `now` (unix milliseconds); answers with
    /// [`ToClient::You`]. A later hello with the same user changes the
    /// display name (votes given from then on carry it); one with another
    /// user is refused (identity is fixed per connection).
    ///
    /// # Errors
    /// [`Refusal`] with code `bad-request`.
    pub fn hello_at(&mut self, conn: u64, hello: Hello, now: i64) -> Result<Effects, Refusal> {
        let previous = self.members.get(&conn).and_then(|m| m.hello.as_ref());
        let hello = rules::greet(previous, &hello)?;
        let Some(member) = self.members.get_mut(&conn) else {
            return Err(Refusal::new(Code::BadRequest, "unknown connection"));
        };
        member.hello = Some(hello);
        Ok(Effects {
            direct: vec![(conn, ToClient::You(self.you(conn, now)))],
            ..Effects::default()
        })
    }

    /// Runs `cmd` from `conn` on `doc`, arrived at `now` (unix
    /// milliseconds of the host's clock).
    ///
    /// # Errors
    /// [`Refusal`] when the role or the rules do not allow it; nothing
    /// changed then.
    pub fn command_at(
        &mut self,
        doc: &Doc,
        conn: u64,
        cmd: Command,
        now: i64,
    ) -> Result<Effects, Refusal> {
        let role = self.role(conn);
        let (holds_link, hello) = self
            .members
            .get(&conn)
            .and_then(|m| Some((m.token_role == Role::Facilitator, m.hello.clone()?)))
            .ok_or_else(|| Refusal::new(Code::NoHello, "say hello before sending commands"))?;
        rules::may(role, &cmd)?;
        let items = |id: &str| item_facts(doc, id);
        match cmd {
            Command::Vote { item, delta } => {
                let note = item_facts(doc, &item);
                rules::vote(self.private.round.as_mut(), &hello, &item, note, delta)?;
                Ok(Effects {
                    direct: vec![(conn, ToClient::You(self.you(conn, now)))],
                    private_changed: true,
                    ..Effects::default()
                })
            }
            Command::View { x, y, zoom } => Ok(Effects {
                everyone: Some(ToClient::View(rules::view(x, y, zoom)?)),
                ..Effects::default()
            }),
            Command::StartRound {
                title,
                scope,
                per_person,
                multiple,
                anonymous,
            } => {
                let new = NewRound {
                    title,
                    scope,
                    per_person,
                    multiple,
                    anonymous,
                };
                let round =
                    rules::start_round(self.private.round.as_ref(), new, uuid_like(), &items, now)?;
                let entry = Entry::Round(round.published());
                self.private.round = Some(round);
                Ok(self.write_for_everyone(doc, &entry, now))
            }
            Command::EndRound {} => {
                let closed = rules::end_round(self.private.round.as_ref(), now)?;
                self.private.round = None;
                Ok(self.write_for_everyone(doc, &Entry::Round(closed), now))
            }
            Command::Timer { action, seconds } => {
                let current: Option<Timer> = self.guard.workshop().timer;
                let next = rules::timer(current.as_ref(), action, seconds, now)?;
                Ok(self.write(doc, &Entry::Timer(next)))
            }
            Command::Private { on, anonymous } => {
                let private = rules::private_writing(on, anonymous, now);
                Ok(self.write(doc, &Entry::Private(private)))
            }
            Command::Lock { items: ids, locked } => {
                let locks = rules::lock(&self.guard.workshop().locks, &ids, locked, &items)?;
                self.guard.lock(doc, &ids, locked);
                Ok(self.write(doc, &Entry::Locks(locks)))
            }
            Command::Present { frame } => {
                let present = rules::present(frame, &items, self.seq)?;
                self.seq = present.seq;
                Ok(self.write(doc, &Entry::Present(present)))
            }
            Command::Summon { x, y, zoom } => {
                let summon = rules::summon(x, y, zoom, self.seq)?;
                self.seq = summon.seq;
                Ok(self.write(doc, &Entry::Summon(summon)))
            }
            Command::HandOver { client } => {
                let target = self
                    .members
                    .iter()
                    .find(|(_, m)| m.clients.contains(&client))
                    .map(|(c, m)| (*c, m));
                let name = rules::hand_over(&mut self.private.roles, conn, &hello, target)?;
                Ok(self.write_for_everyone(doc, &Entry::Facilitator(name), now))
            }
            Command::TakeBack {} => {
                rules::take_back(&mut self.private.roles, holds_link, &hello.user)?;
                Ok(self.write_for_everyone(doc, &Entry::Facilitator(hello.name), now))
            }
        }
    }

    /// Writes `entry` as the host and returns the update.
    fn write(&mut self, doc: &Doc, entry: &Entry) -> Effects {
        Effects {
            update: Some(self.guard.write(doc, std::slice::from_ref(entry))),
            ..Effects::default()
        }
    }

    /// Writes `entry` after the private record changed (a round or a role),
    /// and tells everyone about themselves again.
    fn write_for_everyone(&mut self, doc: &Doc, entry: &Entry, now: i64) -> Effects {
        let mut effects = self.write(doc, entry);
        effects.private_changed = true;
        effects.direct = self
            .greeted()
            .map(|conn| (conn, ToClient::You(self.you(conn, now))))
            .collect();
        effects
    }

    /// After a peer's update was applied: undoes what `conn` (with its
    /// current role) was not allowed to change. Returns the restoring
    /// update, if one was needed; it must be stored and sent to everyone,
    /// the sender included.
    pub fn enforce(&mut self, doc: &Doc, conn: u64, touched: &Touched) -> Option<Vec<u8>> {
        let facilitator = self.role(conn) == Role::Facilitator;
        self.guard.enforce(doc, conn, facilitator, touched)
    }

    /// Connections that said hello (they understand workshop messages).
    pub fn greeted(&self) -> impl Iterator<Item = u64> + '_ {
        self.members
            .iter()
            .filter(|(_, m)| m.hello.is_some())
            .map(|(c, _)| *c)
    }
}

/// What the rules need to know about item `id` of `doc`.
fn item_facts(doc: &Doc, id: &str) -> Option<ItemFacts> {
    let txn = doc.transact();
    let item = item_map(&txn.get_map(ITEMS_ROOT)?, &txn, id)?;
    let text = |key: &str| match item.get(&txn, key)? {
        Out::Any(Any::String(s)) => Some(s.to_string()),
        _ => None,
    };
    Some(ItemFacts {
        kind: text("type").as_deref().and_then(ItemKind::parse),
        parent: text("parent"),
    })
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
    use std::sync::Arc;
    use stellwand_board::workshop::Workshop;
    use yrs::types::ToJson;
    use yrs::updates::decoder::Decode;
    use yrs::Update;
    use yrs::{GetString, MapPrelim, Text, TextPrelim};

    const NOW: i64 = 1_795_816_759_254;

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
        fields.insert("type".into(), Any::from(kind));
        fields.insert("x".into(), Any::from(10.0));
        if let Some(p) = parent {
            fields.insert("parent".into(), Any::from(p));
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
            host.hello_at(
                *conn,
                Hello {
                    user: (*user).into(),
                    name: format!("Name {user}"),
                },
                NOW,
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
        host.command_at(&doc, 1, round(2, false), NOW).unwrap();
        host.command_at(&doc, 2, vote("n1"), NOW).unwrap();
        assert_eq!(
            host.command_at(&doc, 2, vote("n1"), NOW).unwrap_err().code,
            "one-per-note"
        );
        host.command_at(&doc, 2, vote("n2"), NOW).unwrap();
        assert_eq!(
            host.command_at(&doc, 2, vote("n1"), NOW).unwrap_err().code,
            "limit"
        );
        assert_eq!(
            host.command_at(&doc, 3, vote("n1"), NOW).unwrap_err().code,
            "not-allowed"
        );
        assert_eq!(
            host.command_at(&doc, 2, Command::EndRound {}, NOW)
                .unwrap_err()
                .code,
            "not-allowed"
        );
        let json = workshop_text(&doc);
        assert!(!json.contains("results"), "{json}");
        assert_eq!(host.you(2, NOW).votes.unwrap().left, 0);
        host.command_at(&doc, 1, Command::EndRound {}, NOW).unwrap();
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
        host.command_at(
            &host_doc,
            1,
            Command::Lock {
                items: vec!["h".into()],
                locked: true,
            },
            NOW,
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
            ws.insert(&mut txn, "timer", Any::from("forged"));
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
            host.command_at(&doc, 2, Command::HandOver { client: 1 }, NOW)
                .unwrap_err()
                .code,
            "not-allowed"
        );
        host.command_at(&doc, 1, Command::HandOver { client: 77 }, NOW)
            .unwrap();
        assert_eq!(host.role(2), Role::Facilitator);
        assert_eq!(host.role(1), Role::Editor);
        assert_eq!(
            host.command_at(&doc, 1, round(3, true), NOW)
                .unwrap_err()
                .code,
            "not-allowed"
        );
        assert!(host.you(1, NOW).can_take_back);
        assert!(!host.you(2, NOW).can_take_back);
        // Only a facilitator link takes it back.
        assert_eq!(
            host.command_at(&doc, 2, Command::TakeBack {}, NOW)
                .unwrap_err()
                .code,
            "not-allowed"
        );
        host.command_at(&doc, 1, Command::TakeBack {}, NOW).unwrap();
        assert_eq!(host.role(1), Role::Facilitator);
        assert_eq!(host.role(2), Role::Editor);
        assert!(!host.you(1, NOW).can_take_back);
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
            host.command_at(&doc, 1, round(0, false), NOW)
                .unwrap_err()
                .code,
            "bad-request"
        );
        assert_eq!(
            host.command_at(&doc, 1, round(100, false), NOW)
                .unwrap_err()
                .code,
            "bad-request"
        );
        let bad_timer = Command::Timer {
            action: TimerAction::Start,
            seconds: Some(0),
        };
        assert_eq!(
            host.command_at(&doc, 1, bad_timer, NOW).unwrap_err().code,
            "bad-request"
        );
        let bad_view = Command::Summon {
            x: f64::NAN,
            y: 0.0,
            zoom: 1.0,
        };
        assert_eq!(
            host.command_at(&doc, 1, bad_view, NOW).unwrap_err().code,
            "bad-request"
        );
        assert!(host
            .hello_at(
                1,
                Hello {
                    user: "other".into(),
                    name: "X".into()
                },
                NOW
            )
            .is_err());
        host.hello_at(
            1,
            Hello {
                user: "f".into(),
                name: "Fiona Neu".into(),
            },
            NOW,
        )
        .unwrap();
        assert_eq!(host.members[&1].hello.as_ref().unwrap().name, "Fiona Neu");
        host.join(9, Role::Editor);
        assert!(host
            .hello_at(
                9,
                Hello {
                    user: "a b".into(),
                    name: String::new()
                },
                NOW
            )
            .is_err());
        assert_eq!(
            host.command_at(&doc, 9, vote("x"), NOW).unwrap_err().code,
            "no-hello"
        );
    }

    #[test]
    fn commands_write_the_typed_state_at_the_given_now() {
        let doc = doc();
        add_item(&doc, "f1", "frame", None, "Ideen");
        let mut host = host_with(&doc, &[(1, Role::Facilitator, "f")]);
        let start = Command::Timer {
            action: TimerAction::Start,
            seconds: Some(300),
        };
        host.command_at(&doc, 1, start, NOW).unwrap();
        let private = Command::Private {
            on: true,
            anonymous: true,
        };
        host.command_at(&doc, 1, private, NOW + 1).unwrap();
        let present = Command::Present {
            frame: Some("f1".into()),
        };
        host.command_at(&doc, 1, present, NOW + 2).unwrap();
        host.command_at(&doc, 1, round(2, false), NOW + 3).unwrap();
        let state = Workshop::of(&doc);
        let timer = state.timer.unwrap();
        assert_eq!(timer.ends_at, NOW + 300_000);
        assert_eq!(timer.changed, NOW);
        let private = state.private.unwrap();
        assert!(private.on && private.anonymous);
        assert_eq!(private.changed, NOW + 1);
        assert_eq!(state.present.unwrap().frame.as_deref(), Some("f1"));
        assert_eq!(state.rounds.len(), 1);
        assert!(state.rounds[0].is_open());
        assert_eq!(state.rounds[0].started, NOW + 3);
        host.command_at(&doc, 1, Command::EndRound {}, NOW + 60_000)
            .unwrap();
        let ended = Workshop::of(&doc).rounds[0].outcome().unwrap().ended;
        assert_eq!(ended, Some(NOW + 60_000));
    }

    #[test]
    fn the_slide_counter_continues_after_the_host_restarts() {
        let doc = doc();
        add_item(&doc, "f1", "frame", None, "Ideen");
        let present = Command::Present {
            frame: Some("f1".into()),
        };
        let mut host = host_with(&doc, &[(1, Role::Facilitator, "f")]);
        host.command_at(&doc, 1, present.clone(), NOW).unwrap();
        let place = Command::Summon {
            x: 1.0,
            y: 2.0,
            zoom: 1.0,
        };
        host.command_at(&doc, 1, place, NOW).unwrap();
        assert_eq!(Workshop::of(&doc).seq(), 2);
        let mut restarted = host_with(&doc, &[(1, Role::Facilitator, "f")]);
        restarted.command_at(&doc, 1, present, NOW).unwrap();
        assert_eq!(Workshop::of(&doc).present.unwrap().seq, 3);
    }

    #[test]
    fn a_refused_lock_leaves_every_item_open() {
        let doc = doc();
        add_item(&doc, "h", "label", None, "Tagesordnung");
        let mut host = host_with(&doc, &[(1, Role::Facilitator, "f"), (2, Role::Editor, "p")]);
        let lock = Command::Lock {
            items: vec!["h".into(), "gone".into()],
            locked: true,
        };
        assert_eq!(
            host.command_at(&doc, 1, lock, NOW).unwrap_err().code,
            "no-such-item"
        );
        assert!(Workshop::of(&doc).locks.is_empty());
        let touched = Touched {
            workshop: false,
            items: [Arc::from("h")].into(),
        };
        assert_eq!(host.enforce(&doc, 2, &touched), None);
    }
}
