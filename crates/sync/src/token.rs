//! Signed access tokens for join links.
//!
//! A token is `base64url(claims-json) "." base64url(hmac-sha256(secret, claims-json))`
//! without padding. The claims name one board (or `*` for every board on the
//! server), a [`Role`], the time of issue and an expiry, both in unix
//! seconds. Verification recomputes the MAC and compares it in constant time
//! before looking at the claims; the current time is a parameter.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// Longest token accepted, so a hostile query string costs nothing.
pub const MAX_TOKEN_LEN: usize = 2048;

/// The board wildcard in [`Claims::board`].
pub const ANY_BOARD: &str = "*";

/// What the holder of a token may do on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the workshop: everything a participant may, plus rounds, timer,
    /// private writing, locks and presenting (see [`crate::workshop`]).
    Facilitator,
    /// A participant: reads and writes the board, except locked items.
    #[serde(alias = "participant")]
    Editor,
    /// Reads the board; writes are dropped and counted.
    Viewer,
}

impl Role {
    /// Whether this role may change the board.
    #[must_use]
    pub fn can_write(self) -> bool {
        matches!(self, Role::Facilitator | Role::Editor)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::Facilitator => "facilitator",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        })
    }
}

/// What a token grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Board id, or [`ANY_BOARD`].
    #[serde(rename = "b")]
    pub board: String,
    /// Granted role.
    #[serde(rename = "r")]
    pub role: Role,
    /// Issued at, unix seconds. Lets a server refuse tokens issued before a
    /// revocation.
    #[serde(rename = "iat")]
    pub issued_at: u64,
    /// Expiry, unix seconds; the token is refused from this second on.
    #[serde(rename = "exp")]
    pub expires_at: u64,
}

/// Why a token was refused. Every variant is an expected condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No token in the request.
    #[error("no token given")]
    Missing,
    /// Not two base64url parts, not JSON, or too long.
    #[error("token is malformed")]
    Malformed,
    /// The signature does not match: wrong secret or altered claims.
    #[error("token signature is invalid")]
    BadSignature,
    /// The token expired.
    #[error("token expired at {expired_at}")]
    Expired {
        /// Expiry in unix seconds.
        expired_at: u64,
    },
    /// The token is for another board.
    #[error("token is for board {token_board:?}, not {board:?}")]
    WrongBoard {
        /// Board in the token.
        token_board: String,
        /// Board asked for.
        board: String,
    },
    /// The token was revoked (issued before the board's cut-off).
    #[error("token was revoked")]
    Revoked,
    /// The secret is empty; a server must not run with one.
    #[error("token secret is empty")]
    EmptySecret,
}

impl TokenError {
    /// The HTTP status a server answers with: 401 when no valid credentials
    /// were presented, 403 when valid credentials do not grant access.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            TokenError::WrongBoard { .. } | TokenError::Revoked => 403,
            TokenError::EmptySecret => 500,
            _ => 401,
        }
    }
}

/// A signed token in its textual form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Signs `claims` with `secret`.
    ///
    /// # Errors
    /// [`TokenError::EmptySecret`] for an empty secret.
    pub fn issue(secret: &[u8], claims: &Claims) -> Result<Token, TokenError> {
        let payload = serde_json::to_vec(claims).map_err(|_| TokenError::Malformed)?;
        let mac = sign(secret, &payload)?;
        Ok(Token(format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(mac)
        )))
    }

    /// The token text, safe to put in a query string unescaped.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn sign(secret: &[u8], payload: &[u8]) -> Result<[u8; 32], TokenError> {
    if secret.is_empty() {
        return Err(TokenError::EmptySecret);
    }
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| TokenError::EmptySecret)?;
    mac.update(payload);
    Ok(mac.finalize().into_bytes().into())
}

/// Checks `token` for access to `board` at unix time `now`, returning its
/// claims.
///
/// # Errors
/// [`TokenError`] saying why access is refused.
pub fn verify(secret: &[u8], token: &str, board: &str, now: u64) -> Result<Claims, TokenError> {
    if token.is_empty() {
        return Err(TokenError::Missing);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let (payload_b64, mac_b64) = token.split_once('.').ok_or(TokenError::Malformed)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| TokenError::Malformed)?;
    let given = URL_SAFE_NO_PAD
        .decode(mac_b64)
        .map_err(|_| TokenError::Malformed)?;
    let expected = sign(secret, &payload)?;
    if !bool::from(expected.as_slice().ct_eq(given.as_slice())) {
        return Err(TokenError::BadSignature);
    }
    let claims: Claims = serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed)?;
    if now >= claims.expires_at {
        return Err(TokenError::Expired {
            expired_at: claims.expires_at,
        });
    }
    if claims.board != ANY_BOARD && claims.board != board {
        return Err(TokenError::WrongBoard {
            token_board: claims.board,
            board: board.to_owned(),
        });
    }
    Ok(claims)
}

/// What a server decides for a presented token: it must be there, verify
/// for `board` at `now`, and not be issued before the cut-off that
/// `revoked_before` gives for its role (unix seconds; `u64::MAX` refuses).
///
/// # Errors
/// [`TokenError`] saying why access is refused.
pub fn admit(
    secret: &[u8],
    token: Option<&str>,
    board: &str,
    now: u64,
    revoked_before: impl FnOnce(Role) -> u64,
) -> Result<Role, TokenError> {
    let token = token.ok_or(TokenError::Missing)?;
    let claims = verify(secret, token, board, now)?;
    if claims.issued_at < revoked_before(claims.role) {
        return Err(TokenError::Revoked);
    }
    Ok(claims.role)
}

/// The claims of `token` WITHOUT checking its signature: for a client to
/// tell its user what a link grants (read-only, expiry). Never use this to
/// grant access; servers call [`verify`].
#[must_use]
pub fn read_claims_unverified(token: &str) -> Option<Claims> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let (payload_b64, _) = token.split_once('.')?;
    let payload = URL_SAFE_NO_PAD.decode(payload_b64).ok()?;
    serde_json::from_slice(&payload).ok()
}

/// The current unix time in seconds (0 if the clock is before 1970).
#[must_use]
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a shared secret of the group server";

    fn claims(board: &str, role: Role, exp: u64) -> Claims {
        Claims {
            board: board.into(),
            role,
            issued_at: 100,
            expires_at: exp,
        }
    }

    #[test]
    fn an_issued_token_verifies_until_it_expires() {
        let t = Token::issue(SECRET, &claims("ag-1", Role::Viewer, 200)).unwrap();
        let c = verify(SECRET, t.as_str(), "ag-1", 199).unwrap();
        assert_eq!(c.role, Role::Viewer);
        assert_eq!(
            verify(SECRET, t.as_str(), "ag-1", 200),
            Err(TokenError::Expired { expired_at: 200 })
        );
    }

    #[test]
    fn wildcard_tokens_open_every_board_and_others_only_theirs() {
        let any = Token::issue(SECRET, &claims(ANY_BOARD, Role::Editor, 200)).unwrap();
        assert!(verify(SECRET, any.as_str(), "x", 1).is_ok());
        let one = Token::issue(SECRET, &claims("a", Role::Editor, 200)).unwrap();
        let err = verify(SECRET, one.as_str(), "b", 1).unwrap_err();
        assert_eq!(err.http_status(), 403);
    }

    #[test]
    fn altered_or_foreign_tokens_are_refused() {
        let t = Token::issue(SECRET, &claims("a", Role::Viewer, 200)).unwrap();
        assert_eq!(
            verify(b"another secret", t.as_str(), "a", 1),
            Err(TokenError::BadSignature)
        );
        let forged = Token::issue(b"x", &claims("a", Role::Editor, 200)).unwrap();
        let (payload, _) = forged.as_str().split_once('.').unwrap();
        let (_, mac) = t.as_str().split_once('.').unwrap();
        assert_eq!(
            verify(SECRET, &format!("{payload}.{mac}"), "a", 1),
            Err(TokenError::BadSignature)
        );
        for junk in ["", "abc", "a.b.c", "!!!.???", &"x".repeat(5000)] {
            let e = verify(SECRET, junk, "a", 1).unwrap_err();
            assert_eq!(e.http_status(), 401, "{junk:?}");
        }
    }

    #[test]
    fn an_empty_secret_is_refused() {
        assert_eq!(
            Token::issue(b"", &claims("a", Role::Editor, 1)),
            Err(TokenError::EmptySecret)
        );
    }
}
