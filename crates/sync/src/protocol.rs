//! The y-protocols wire format as y-websocket speaks it, as a sans-IO codec.
//!
//! One WebSocket frame carries exactly one message (the JavaScript client
//! reads one message per frame). A message starts with a lib0 var-uint type:
//!
//! | type | name            | body                                              |
//! |------|-----------------|---------------------------------------------------|
//! | 0    | sync            | var-uint subtype, then a var-buffer payload       |
//! | 1    | awareness       | var-buffer holding an awareness update            |
//! | 2    | auth            | var-uint permission, var-string reason            |
//! | 3    | query-awareness | nothing                                           |
//! | 64   | workshop        | var-buffer holding UTF-8 JSON (Stellwand only)    |
//!
//! Sync subtypes: 0 = SyncStep1 (payload: state vector), 1 = SyncStep2
//! (payload: update v1), 2 = Update (payload: update v1).
//!
//! Decoding is total: every malformed input yields a [`ProtocolError`], never
//! a panic, and nothing is allocated in proportion to a count a peer claims.
//! Update payloads are borrowed, not copied; run them through
//! [`crate::validate::validate_update_v1`] before handing them to yrs.

pub use stellwand_board::wire::{write_var_buf, write_var_u64, Reader, WireError as ProtocolError};

/// Message type: document sync.
pub const MSG_SYNC: u64 = 0;
/// Message type: awareness update.
pub const MSG_AWARENESS: u64 = 1;
/// Message type: authentication (unused by Stellwand, decoded for completeness).
pub const MSG_AUTH: u64 = 2;
/// Message type: query awareness.
pub const MSG_QUERY_AWARENESS: u64 = 3;

/// Message type: Stellwand's workshop messages (JSON, see
/// [`crate::workshop`]). The server sends them only to clients that sent
/// one first, so stock y-websocket clients never see the type.
pub const MSG_WORKSHOP: u64 = 64;

/// Sync subtype: state vector of the sender.
pub const SYNC_STEP1: u64 = 0;
/// Sync subtype: the update the receiver of a SyncStep1 lacks.
pub const SYNC_STEP2: u64 = 1;
/// Sync subtype: an incremental document update.
pub const SYNC_UPDATE: u64 = 2;

/// One decoded y-protocols message, borrowing its payload from the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// The sender's state vector (encoded v1); the receiver answers with
    /// SyncStep2.
    SyncStep1(&'a [u8]),
    /// The update (v1) the sender computed against our state vector.
    SyncStep2(&'a [u8]),
    /// An incremental update (v1).
    Update(&'a [u8]),
    /// An awareness update (see [`AwarenessUpdate`]).
    Awareness(&'a [u8]),
    /// An auth message; Stellwand authenticates during the HTTP upgrade and
    /// ignores these.
    Auth {
        /// 0 = denied, 1 = granted.
        permission: u64,
        /// Free text.
        reason: &'a str,
    },
    /// A request to send all known awareness states.
    QueryAwareness,
    /// A workshop message (JSON bytes, not yet parsed).
    Workshop(&'a [u8]),
}

impl<'a> Message<'a> {
    /// Decodes exactly one message from one frame.
    ///
    /// # Errors
    /// Any [`ProtocolError`]: truncated input, unknown types, trailing bytes,
    /// or a frame above `max_frame` bytes.
    pub fn decode(frame: &'a [u8], max_frame: usize) -> Result<Self, ProtocolError> {
        if frame.len() > max_frame {
            return Err(ProtocolError::FrameTooLarge {
                size: frame.len(),
                limit: max_frame,
            });
        }
        if frame.is_empty() {
            return Err(ProtocolError::Empty);
        }
        let mut r = Reader::new(frame);
        let msg = match r.var_u64()? {
            MSG_SYNC => {
                let sub = r.var_u64()?;
                let payload = r.var_buf()?;
                match sub {
                    SYNC_STEP1 => Message::SyncStep1(payload),
                    SYNC_STEP2 => Message::SyncStep2(payload),
                    SYNC_UPDATE => Message::Update(payload),
                    other => return Err(ProtocolError::UnknownSyncType(other)),
                }
            }
            MSG_AWARENESS => Message::Awareness(r.var_buf()?),
            MSG_AUTH => {
                let permission = r.var_u64()?;
                let reason = r.var_str()?;
                Message::Auth { permission, reason }
            }
            MSG_QUERY_AWARENESS => Message::QueryAwareness,
            MSG_WORKSHOP => Message::Workshop(r.var_buf()?),
            other => return Err(ProtocolError::UnknownMessageType(other)),
        };
        r.finish()?;
        Ok(msg)
    }

    /// Encodes this message as one frame.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let payload_len = match self {
            Message::SyncStep1(p) | Message::SyncStep2(p) | Message::Update(p) => p.len(),
            Message::Awareness(p) | Message::Workshop(p) => p.len(),
            Message::Auth { reason, .. } => reason.len(),
            Message::QueryAwareness => 0,
        };
        let mut out = Vec::with_capacity(payload_len + 12);
        match self {
            Message::SyncStep1(p) => encode_sync(&mut out, SYNC_STEP1, p),
            Message::SyncStep2(p) => encode_sync(&mut out, SYNC_STEP2, p),
            Message::Update(p) => encode_sync(&mut out, SYNC_UPDATE, p),
            Message::Awareness(p) => {
                write_var_u64(&mut out, MSG_AWARENESS);
                write_var_buf(&mut out, p);
            }
            Message::Auth { permission, reason } => {
                write_var_u64(&mut out, MSG_AUTH);
                write_var_u64(&mut out, *permission);
                write_var_buf(&mut out, reason.as_bytes());
            }
            Message::QueryAwareness => write_var_u64(&mut out, MSG_QUERY_AWARENESS),
            Message::Workshop(p) => {
                write_var_u64(&mut out, MSG_WORKSHOP);
                write_var_buf(&mut out, p);
            }
        }
        out
    }

    /// A short name for logs and counters.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Message::SyncStep1(_) => "sync-step-1",
            Message::SyncStep2(_) => "sync-step-2",
            Message::Update(_) => "update",
            Message::Awareness(_) => "awareness",
            Message::Auth { .. } => "auth",
            Message::QueryAwareness => "query-awareness",
            Message::Workshop(_) => "workshop",
        }
    }
}

fn encode_sync(out: &mut Vec<u8>, sub: u64, payload: &[u8]) {
    write_var_u64(out, MSG_SYNC);
    write_var_u64(out, sub);
    write_var_buf(out, payload);
}

/// One client's entry in an awareness update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwarenessEntry {
    /// The Yjs client id the state belongs to.
    pub client_id: u64,
    /// Monotonic clock of this client's awareness state.
    pub clock: u32,
    /// JSON text of the state; `"null"` means the client went away.
    pub state: String,
}

impl AwarenessEntry {
    /// Whether this entry removes the client's state.
    #[must_use]
    pub fn is_removal(&self) -> bool {
        self.state == "null"
    }
}

/// An awareness update: a list of client states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwarenessUpdate {
    /// The entries in wire order.
    pub entries: Vec<AwarenessEntry>,
}

impl AwarenessUpdate {
    /// Decodes the payload of an awareness message.
    ///
    /// # Errors
    /// Any [`ProtocolError`]; a count larger than the bytes could hold is
    /// refused before anything is allocated.
    pub fn decode(payload: &[u8]) -> Result<Self, ProtocolError> {
        let mut r = Reader::new(payload);
        // client id, clock, and string length take at least one byte each.
        let n = r.count("awareness entries", 3)?;
        let mut entries = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let client_id = r.var_u64()?;
            let clock = r.var_u32()?;
            let state = r.var_str()?.to_owned();
            entries.push(AwarenessEntry {
                client_id,
                clock,
                state,
            });
        }
        r.finish()?;
        Ok(Self { entries })
    }

    /// Encodes this update as an awareness message payload.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_var_u64(&mut out, self.entries.len() as u64);
        for e in &self.entries {
            write_var_u64(&mut out, e.client_id);
            write_var_u64(&mut out, u64::from(e.clock));
            write_var_buf(&mut out, e.state.as_bytes());
        }
        out
    }

    /// Encodes this update as a complete awareness frame.
    #[must_use]
    pub fn to_frame(&self) -> Vec<u8> {
        Message::Awareness(&self.encode()).encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_round_trips() {
        let msgs = [
            Message::SyncStep1(&[0]),
            Message::SyncStep2(&[1, 2, 3]),
            Message::Update(&[0, 0]),
            Message::Awareness(&[0]),
            Message::Auth {
                permission: 1,
                reason: "ok",
            },
            Message::QueryAwareness,
            Message::Workshop(br#"{"hello":{"user":"u"}}"#),
        ];
        for m in msgs {
            let bytes = m.encode();
            assert_eq!(Message::decode(&bytes, 1024).unwrap(), m);
        }
    }

    #[test]
    fn every_prefix_of_a_message_is_refused_without_panic() {
        let bytes = Message::Update(&[1, 2, 3, 4, 5, 6]).encode();
        for n in 0..bytes.len() {
            assert!(Message::decode(&bytes[..n], 1024).is_err());
        }
    }

    #[test]
    fn oversized_frames_and_unknown_types_are_refused() {
        let bytes = Message::Update(&[0u8; 100]).encode();
        assert!(matches!(
            Message::decode(&bytes, 50),
            Err(ProtocolError::FrameTooLarge { .. })
        ));
        assert_eq!(
            Message::decode(&[7], 10),
            Err(ProtocolError::UnknownMessageType(7))
        );
        assert_eq!(
            Message::decode(&[0, 9, 0], 10),
            Err(ProtocolError::UnknownSyncType(9))
        );
        assert!(matches!(
            Message::decode(&[3, 0], 10),
            Err(ProtocolError::TrailingBytes { extra: 1 })
        ));
    }

    #[test]
    fn overlong_varints_are_refused() {
        let mut r = Reader::new(&[0xff; 11]);
        assert!(matches!(
            r.var_u64(),
            Err(ProtocolError::IntegerOutOfRange { .. })
        ));
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]);
        assert!(r.var_u32().is_err());
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(r.var_u32().unwrap(), u32::MAX);
    }

    #[test]
    fn awareness_with_a_huge_count_is_refused_before_allocating() {
        // count = 2^32-1 in five bytes, then nothing.
        let payload = [0xff, 0xff, 0xff, 0xff, 0x0f];
        assert!(matches!(
            AwarenessUpdate::decode(&payload),
            Err(ProtocolError::ImplausibleCount { .. })
        ));
    }

    #[test]
    fn awareness_round_trips() {
        let u = AwarenessUpdate {
            entries: vec![AwarenessEntry {
                client_id: 1 << 40,
                clock: 3,
                state: r#"{"user":{"name":"Ana"}}"#.into(),
            }],
        };
        assert_eq!(AwarenessUpdate::decode(&u.encode()).unwrap(), u);
    }
}
