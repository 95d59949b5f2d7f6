//! Who may open which board: the [`Authorizer`] seam, the token-checking
//! [`TokenAuthorizer`], and reading board and token from the upgrade
//! target. Everything here runs inside the HTTP upgrade, before any board
//! is loaded.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio_tungstenite::tungstenite::handshake::server::ErrorResponse;
use tokio_tungstenite::tungstenite::http;

use crate::store::BoardId;
use crate::token::{self, Role, TokenError};

/// Decides who may open a board, during the HTTP upgrade.
pub trait Authorizer: Send + Sync + 'static {
    /// The role `token` grants on `board` at unix time `now`.
    ///
    /// # Errors
    /// [`TokenError`] if access is refused; its
    /// [`http_status`](TokenError::http_status) is sent back.
    fn authorize(&self, board: &BoardId, token: Option<&str>, now: u64)
        -> Result<Role, TokenError>;
}

/// Checks HMAC-signed [`crate::token`] tokens against one secret, with
/// per-board revocation: tokens issued before a board's cut-off are refused.
#[derive(Debug)]
pub struct TokenAuthorizer {
    secret: Vec<u8>,
    revoked_before: Mutex<HashMap<BoardId, u64>>,
}

impl TokenAuthorizer {
    /// Uses `secret` to verify tokens.
    #[must_use]
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self {
            secret: secret.into(),
            revoked_before: Mutex::new(HashMap::new()),
        }
    }

    /// Refuses from now on every token for `board` issued before `cutoff`
    /// (unix seconds); issue new links with `issued_at >= cutoff`.
    pub fn revoke_before(&self, board: &BoardId, cutoff: u64) {
        if let Ok(mut map) = self.revoked_before.lock() {
            map.insert(board.clone(), cutoff);
        }
    }
}

impl Authorizer for TokenAuthorizer {
    fn authorize(
        &self,
        board: &BoardId,
        token: Option<&str>,
        now: u64,
    ) -> Result<Role, TokenError> {
        token::admit(&self.secret, token, board.as_str(), now, |_| {
            // Fail closed: a poisoned table refuses every token.
            self.revoked_before
                .lock()
                .map(|m| m.get(board).copied().unwrap_or(0))
                .unwrap_or(u64::MAX)
        })
    }
}

/// Parses `/b/<id>` or `/<id>` and the `token` query parameter.
pub(super) fn parse_target(uri: &http::Uri) -> Option<(BoardId, Option<String>)> {
    let path = uri.path().trim_start_matches('/');
    let path = path.strip_prefix("b/").unwrap_or(path);
    let board = BoardId::new(path).ok()?;
    let token = uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| v.to_owned())
    });
    Some((board, token))
}

/// A plain HTTP refusal of the upgrade with a short text body.
// The error type is fixed by tungstenite's handshake `Callback`.
#[allow(clippy::result_large_err)]
pub(super) fn refusal(status: u16, text: &str) -> ErrorResponse {
    let mut resp = ErrorResponse::new(Some(text.to_owned()));
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::FORBIDDEN);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoking_a_board_refuses_older_tokens_only() {
        use crate::token::{Claims, Token};
        let auth = TokenAuthorizer::new(b"secret".to_vec());
        let board = BoardId::new("b").unwrap();
        let issue = |iat| {
            Token::issue(
                b"secret",
                &Claims {
                    board: "b".into(),
                    role: Role::Viewer,
                    issued_at: iat,
                    expires_at: 1_000,
                },
            )
            .unwrap()
        };
        let (old, new) = (issue(10), issue(20));
        assert_eq!(
            auth.authorize(&board, Some(old.as_str()), 15),
            Ok(Role::Viewer)
        );
        auth.revoke_before(&board, 20);
        assert_eq!(
            auth.authorize(&board, Some(old.as_str()), 21),
            Err(TokenError::Revoked)
        );
        assert_eq!(
            auth.authorize(&board, Some(new.as_str()), 21),
            Ok(Role::Viewer)
        );
        assert_eq!(auth.authorize(&board, None, 21), Err(TokenError::Missing));
    }

    #[test]
    fn board_paths_and_tokens_are_parsed() {
        let uri: http::Uri = "/b/ag-1?x=1&token=abc.def".parse().unwrap();
        let (b, t) = parse_target(&uri).unwrap();
        assert_eq!(b.as_str(), "ag-1");
        assert_eq!(t.as_deref(), Some("abc.def"));
        let uri: http::Uri = "/ag-2".parse().unwrap();
        assert_eq!(parse_target(&uri).unwrap().1, None);
        for bad in ["/", "/b/", "/a/b", "/b/../x"] {
            let uri: http::Uri = bad.parse().unwrap();
            assert!(parse_target(&uri).is_none(), "{bad}");
        }
    }
}
