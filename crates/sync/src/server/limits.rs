//! What the server allows one peer: message rate, awareness caps, and the
//! close codes that end a connection that oversteps.

use std::time::{Duration, Instant};

use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

use crate::error::Error;
use crate::protocol::ProtocolError;

/// WebSocket close codes the server uses. Codes 4400-4499 are policy
/// violations: y-websocket clients do not reconnect after them.
pub mod close_code {
    /// Garbage, truncated or unknown message.
    pub const MALFORMED: u16 = 4400;
    /// A frame above the size cap.
    pub const FRAME_TOO_LARGE: u16 = 4413;
    /// An update that fails validation (e.g. implausible header counts) or
    /// that the CRDT refuses.
    pub const INVALID_UPDATE: u16 = 4422;
    /// The client did not read fast enough; it may reconnect.
    pub const SLOW_CONSUMER: u16 = 1013;
    /// The store failed; the client may reconnect and resend.
    pub const STORE_FAILURE: u16 = 1011;
    /// The server is shutting down.
    pub const GOING_AWAY: u16 = 1001;
}

/// How many awareness client ids one connection may publish (a browser tab
/// uses one; the cap keeps a peer from filling the table).
pub const MAX_AWARENESS_IDS_PER_CONNECTION: usize = 8;

/// Largest awareness state kept and relayed, in bytes of JSON. Presence
/// (name, colour, cursor, selection) takes a few hundred bytes.
pub const MAX_AWARENESS_STATE_BYTES: usize = 64 * 1024;

/// A token bucket: `per_second` sustained, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained messages per second.
    pub per_second: f64,
    /// Messages allowed in one burst.
    pub burst: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: 1000.0,
            burst: 2000.0,
        }
    }
}

/// The state of one [`RateLimit`] bucket. Time is a parameter.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket at `now`.
    #[must_use]
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            tokens: limit.burst,
            last: now,
        }
    }

    /// Takes one token at `now`. Returns how long the caller must wait
    /// before acting, or `None` to act at once. The token is taken either
    /// way, so waiting callers queue up fairly.
    pub fn take(&mut self, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 || self.limit.per_second <= 0.0 {
            None
        } else {
            Some(Duration::from_secs_f64(
                -self.tokens / self.limit.per_second,
            ))
        }
    }
}

/// Why a connection is being closed: a close code and a reason a person can
/// read.
pub(super) type Violation = (u16, String);

/// Classifies a session error into a close code and a reason.
pub(super) fn close_for(e: &Error) -> Violation {
    match e {
        Error::Protocol(ProtocolError::FrameTooLarge { .. }) => {
            (close_code::FRAME_TOO_LARGE, format!("frame too large: {e}"))
        }
        Error::Protocol(
            p @ (ProtocolError::ImplausibleCount { .. } | ProtocolError::InvalidUpdate(_)),
        ) => (close_code::INVALID_UPDATE, format!("invalid update: {p}")),
        Error::Decode(_) | Error::Apply(_) | Error::ApplyPanicked => {
            (close_code::INVALID_UPDATE, e.to_string())
        }
        Error::Protocol(p) => (close_code::MALFORMED, format!("malformed message: {p}")),
        other => (close_code::MALFORMED, other.to_string()),
    }
}

/// The close frame for `code` and `reason`.
pub(super) fn close_frame(code: u16, reason: &str) -> CloseFrame {
    CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    }
}

/// `reason` cut to fit a close frame (123 bytes on the wire), on a
/// character boundary.
pub(super) fn close_reason(reason: &str) -> String {
    let mut end = reason.len().min(120);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_allows_a_burst_then_paces() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(
            RateLimit {
                per_second: 10.0,
                burst: 3.0,
            },
            t0,
        );
        assert!(b.take(t0).is_none());
        assert!(b.take(t0).is_none());
        assert!(b.take(t0).is_none());
        let wait = b.take(t0).unwrap();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9);
        assert!(b.take(t0 + Duration::from_secs(1)).is_none());
    }

    #[test]
    fn close_reasons_are_cut_on_a_character_boundary() {
        let long = "ä".repeat(100);
        let cut = close_reason(&long);
        assert!(cut.len() <= 120);
        assert!(long.starts_with(&cut));
        assert_eq!(close_reason("short"), "short");
    }
}
