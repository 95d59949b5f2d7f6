//! A sans-IO peer session: bytes in through [`PeerSession::receive`], bytes
//! out through a callback. The caller decides whether frames travel over a
//! WebSocket, IPC or a test vector; the server and the client both drive
//! their connections through this type.

use std::panic::{catch_unwind, AssertUnwindSafe};

use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use crate::error::Error;
use crate::protocol::{AwarenessUpdate, Message};
use crate::token::Role;
use crate::validate::{validate_state_vector_v1, validate_update_v1, UpdateSummary};

/// Transaction origin of every update applied on behalf of a remote peer.
/// Observers of the document use it to tell remote changes from local ones
/// (a client must not send a remote update back).
pub const REMOTE_ORIGIN: &str = "stellwand-sync:remote";

/// Default cap on one frame: 16 MiB (a 10,000-note board is about 2.4 MB).
pub const DEFAULT_MAX_FRAME: usize = 16 * 1024 * 1024;

/// Size limits applied to everything a peer sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest frame (one message) accepted, in bytes.
    pub max_frame: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame: DEFAULT_MAX_FRAME,
        }
    }
}

/// What an incoming frame turned out to be, for the caller to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound<'a> {
    /// A SyncStep1; the SyncStep2 answer has been sent.
    Answered,
    /// A validated update (from SyncStep2 or Update). With
    /// [`PeerSession::receive`], the caller persists it and then calls
    /// [`PeerSession::apply`].
    Update {
        /// The update v1 bytes, already validated.
        bytes: &'a [u8],
        /// What it contains.
        summary: UpdateSummary,
        /// Whether it answered our SyncStep1 (the initial sync is complete).
        step2: bool,
    },
    /// A peer with a read-only role sent a non-empty update; it was dropped.
    WriteDropped {
        /// Whether it was a SyncStep2.
        step2: bool,
    },
    /// An awareness update, decoded and checked.
    Awareness(AwarenessUpdate),
    /// A request for all awareness states.
    QueryAwareness,
    /// A workshop message (JSON bytes, see [`crate::workshop`]).
    Workshop(&'a [u8]),
    /// A message Stellwand ignores (auth).
    Ignored,
}

/// Counters of one session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Frames received.
    pub frames_in: u64,
    /// Frames sent.
    pub frames_out: u64,
    /// Bytes received.
    pub bytes_in: u64,
    /// Bytes sent.
    pub bytes_out: u64,
    /// Updates applied to the document.
    pub updates_applied: u64,
    /// Updates dropped because the peer may not write.
    pub writes_dropped: u64,
}

/// One side of a y-protocols conversation about one document.
pub struct PeerSession<F: FnMut(Vec<u8>)> {
    doc: Doc,
    remote_role: Role,
    limits: Limits,
    outgoing: F,
    stats: SessionStats,
}

impl<F: FnMut(Vec<u8>)> std::fmt::Debug for PeerSession<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerSession")
            .field("remote_role", &self.remote_role)
            .field("limits", &self.limits)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl<F: FnMut(Vec<u8>)> PeerSession<F> {
    /// A session about `doc` with a peer that has `remote_role`; every frame
    /// to send is passed to `outgoing`, one message per frame.
    pub fn new(doc: Doc, remote_role: Role, limits: Limits, outgoing: F) -> Self {
        Self {
            doc,
            remote_role,
            limits,
            outgoing,
            stats: SessionStats::default(),
        }
    }

    /// The document.
    #[must_use]
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// Counters so far.
    #[must_use]
    pub fn stats(&self) -> SessionStats {
        self.stats
    }

    /// Opens the conversation: sends SyncStep1 with our state vector.
    pub fn start(&mut self) {
        let sv = self.doc.transact().state_vector().encode_v1();
        self.send(Message::SyncStep1(&sv).encode());
    }

    /// Sends one prepared frame.
    pub fn send(&mut self, frame: Vec<u8>) {
        self.stats.frames_out += 1;
        self.stats.bytes_out += frame.len() as u64;
        (self.outgoing)(frame);
    }

    /// Sends a local update (v1) as an Update message.
    pub fn send_update(&mut self, update: &[u8]) {
        self.send(Message::Update(update).encode());
    }

    /// Decodes and checks one frame, answers a SyncStep1 directly, and tells
    /// the caller what else arrived. Updates are validated but not applied:
    /// a server persists them first, then calls [`PeerSession::apply`].
    ///
    /// # Errors
    /// [`Error::Protocol`] for malformed frames, state vectors, awareness
    /// payloads or updates; the connection should then be closed.
    pub fn receive<'a>(&mut self, frame: &'a [u8]) -> Result<Inbound<'a>, Error> {
        self.stats.frames_in += 1;
        self.stats.bytes_in += frame.len() as u64;
        match Message::decode(frame, self.limits.max_frame)? {
            Message::SyncStep1(sv) => {
                validate_state_vector_v1(sv)?;
                let sv = StateVector::decode_v1(sv)?;
                let update = self.doc.transact().encode_state_as_update_v1(&sv);
                self.send(Message::SyncStep2(&update).encode());
                Ok(Inbound::Answered)
            }
            Message::SyncStep2(bytes) => self.inbound_update(bytes, true),
            Message::Update(bytes) => self.inbound_update(bytes, false),
            Message::Awareness(payload) => {
                Ok(Inbound::Awareness(AwarenessUpdate::decode(payload)?))
            }
            Message::QueryAwareness => Ok(Inbound::QueryAwareness),
            Message::Auth { .. } => Ok(Inbound::Ignored),
            Message::Workshop(bytes) => Ok(Inbound::Workshop(bytes)),
        }
    }

    fn inbound_update<'a>(&mut self, bytes: &'a [u8], step2: bool) -> Result<Inbound<'a>, Error> {
        if !self.remote_role.can_write() {
            // A viewer's empty SyncStep2 answer is protocol politeness, not a write.
            if bytes == [0, 0] {
                return Ok(Inbound::Ignored);
            }
            self.stats.writes_dropped += 1;
            return Ok(Inbound::WriteDropped { step2 });
        }
        let summary = validate_update_v1(bytes)?;
        Ok(Inbound::Update {
            bytes,
            summary,
            step2,
        })
    }

    /// Applies an update that [`PeerSession::receive`] returned.
    ///
    /// # Errors
    /// [`Error::Decode`], [`Error::Apply`] or [`Error::ApplyPanicked`] if
    /// yrs refuses it.
    pub fn apply(&mut self, update: &[u8]) -> Result<(), Error> {
        apply_update(&self.doc, update)?;
        self.stats.updates_applied += 1;
        Ok(())
    }

    /// [`PeerSession::apply`] with a transaction origin of the caller's
    /// choice.
    ///
    /// # Errors
    /// As [`PeerSession::apply`].
    pub fn apply_with_origin(&mut self, update: &[u8], origin: &str) -> Result<(), Error> {
        apply_update_with_origin(&self.doc, update, origin)?;
        self.stats.updates_applied += 1;
        Ok(())
    }

    /// [`PeerSession::receive`], applying any update right away (for peers
    /// without a store of their own in the loop).
    ///
    /// # Errors
    /// As [`PeerSession::receive`] and [`PeerSession::apply`].
    pub fn receive_and_apply<'a>(&mut self, frame: &'a [u8]) -> Result<Inbound<'a>, Error> {
        let inbound = self.receive(frame)?;
        if let Inbound::Update { bytes, summary, .. } = &inbound {
            if !summary.is_empty() {
                self.apply(bytes)?;
            }
        }
        Ok(inbound)
    }
}

/// Validates untrusted update bytes and applies them to `doc` with
/// [`REMOTE_ORIGIN`]. A panic inside yrs is caught and reported as an error
/// instead of taking the process down.
///
/// # Errors
/// [`Error::Protocol`] if validation fails; [`Error::Decode`],
/// [`Error::Apply`] or [`Error::ApplyPanicked`] if yrs refuses
/// the update.
pub fn apply_update(doc: &Doc, update: &[u8]) -> Result<(), Error> {
    apply_update_with_origin(doc, update, REMOTE_ORIGIN)
}

/// [`apply_update`] with another transaction origin (the server applies
/// each connection's updates with its own, see
/// [`crate::workshop::peer_origin`]).
///
/// # Errors
/// As [`apply_update`].
pub fn apply_update_with_origin(doc: &Doc, update: &[u8], origin: &str) -> Result<(), Error> {
    validate_update_v1(update)?;
    let decoded = Update::decode_v1(update)?;
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut txn = doc.transact_mut_with(origin);
        txn.apply_update(decoded)
    }));
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Error::Apply(e)),
        Err(_) => Err(Error::ApplyPanicked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use yrs::{GetString, Text};

    type Queue = std::rc::Rc<std::cell::RefCell<VecDeque<Vec<u8>>>>;

    fn session(doc: Doc, role: Role) -> (PeerSession<impl FnMut(Vec<u8>)>, Queue) {
        let q: Queue = Default::default();
        let q2 = q.clone();
        let s = PeerSession::new(doc, role, Limits::default(), move |f| {
            q2.borrow_mut().push_back(f)
        });
        (s, q)
    }

    fn pump(
        a: &mut PeerSession<impl FnMut(Vec<u8>)>,
        qa: &Queue,
        b: &mut PeerSession<impl FnMut(Vec<u8>)>,
        qb: &Queue,
    ) {
        loop {
            let fa = qa.borrow_mut().pop_front();
            let fb = qb.borrow_mut().pop_front();
            if fa.is_none() && fb.is_none() {
                break;
            }
            if let Some(f) = fa {
                b.receive_and_apply(&f).unwrap();
            }
            if let Some(f) = fb {
                a.receive_and_apply(&f).unwrap();
            }
        }
    }

    #[test]
    fn two_sessions_exchange_their_differences() {
        let (da, db) = (Doc::new(), Doc::new());
        da.get_or_insert_text("t")
            .insert(&mut da.transact_mut(), 0, "hello ");
        db.get_or_insert_text("t")
            .insert(&mut db.transact_mut(), 0, "world");
        let (mut a, qa) = session(da.clone(), Role::Editor);
        let (mut b, qb) = session(db.clone(), Role::Editor);
        a.start();
        b.start();
        pump(&mut a, &qa, &mut b, &qb);
        let ta = da.get_or_insert_text("t").get_string(&da.transact());
        let tb = db.get_or_insert_text("t").get_string(&db.transact());
        assert_eq!(ta, tb);
        assert_eq!(ta.len(), 11);
    }

    #[test]
    fn viewer_updates_are_dropped_and_counted() {
        let (dv, ds) = (Doc::new(), Doc::new());
        dv.get_or_insert_text("t")
            .insert(&mut dv.transact_mut(), 0, "mine");
        let (mut server, _) = session(ds.clone(), Role::Viewer);
        let update = dv
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let frame = Message::Update(&update).encode();
        assert_eq!(
            server.receive_and_apply(&frame).unwrap(),
            Inbound::WriteDropped { step2: false }
        );
        assert_eq!(server.stats().writes_dropped, 1);
        assert_eq!(ds.get_or_insert_text("t").get_string(&ds.transact()), "");
    }

    #[test]
    fn mutated_updates_never_take_the_process_down() {
        use rand::{Rng, SeedableRng};
        let source = Doc::new();
        let text = source.get_or_insert_text("t");
        text.insert(&mut source.transact_mut(), 0, "Grüße, Stellwand");
        text.remove_range(&mut source.transact_mut(), 0, 1);
        let map = source.get_or_insert_map("items");
        yrs::Map::insert(&map, &mut source.transact_mut(), "k", 1.5);
        let base = source
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let seed = 11;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        for _ in 0..5_000 {
            let mut bytes = base.clone();
            for _ in 0..rng.random_range(1..4) {
                let i = rng.random_range(0..bytes.len());
                bytes[i] = rng.random();
            }
            // Errors are expected; a panic escaping here fails the test.
            let _ = apply_update(&Doc::new(), &bytes);
        }
    }

    #[test]
    fn the_header_attack_is_refused_before_yrs_sees_it() {
        let (mut s, _) = session(Doc::new(), Role::Editor);
        let frame = Message::Update(&[0x01, 0xff, 0xff, 0xff, 0x0f]).encode();
        assert!(matches!(s.receive(&frame), Err(Error::Protocol(_))));
    }
}
