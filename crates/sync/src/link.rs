//! [`Link`]: a live connection for a board whose document someone else owns,
//! such as the desktop app's board session (which validates, stores and
//! shows every change itself).
//!
//! The link keeps a mirror document that [`client::connect`] syncs with the
//! server. Updates the server sends are handed to the owner through a
//! callback (never applied to the owner's document behind its back); the
//! owner hands its stored updates to [`Link::push_local`], and the client
//! sends them. Offline edits need no queue: the mirror holds them, and the
//! SyncStep1/SyncStep2 exchange on reconnect carries them.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Origin, Transact, Update};

use crate::client::{self, ClientHandle, ClientOptions, ClientStatus, WorkshopStatus};
use crate::error::Error;
use crate::session::REMOTE_ORIGIN;
use crate::workshop::{Code, Command, Hello, Refusal};

/// Origin of the owner's updates applied to the mirror.
const OWNER_ORIGIN: &str = "stellwand-link:owner";

static NEXT_OBSERVER: AtomicU64 = AtomicU64::new(1);

/// A running live connection; dropping it disconnects.
pub struct Link {
    mirror: Doc,
    client: Option<ClientHandle>,
    observer: String,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl Link {
    /// Connects the board at `url`, starting from the owner's full `state`
    /// (one update). `on_remote` receives each update that arrives from the
    /// server; it runs inside the mirror's transaction, so it must only
    /// queue the bytes (e.g. send them on a channel). Must be called on a
    /// tokio runtime.
    ///
    /// # Errors
    /// [`Error::InvalidUrl`]; [`Error::Decode`] or [`Error::Apply`] if `state`
    /// is not an update.
    pub fn start(
        url: &str,
        state: &[u8],
        options: ClientOptions,
        on_remote: impl Fn(Vec<u8>) + Send + Sync + 'static,
    ) -> Result<Link, Error> {
        let mirror = Doc::new();
        apply(&mirror, state, OWNER_ORIGIN)?;
        let remote = Origin::from(REMOTE_ORIGIN);
        let observer = format!(
            "stellwand-link-{}",
            NEXT_OBSERVER.fetch_add(1, Ordering::Relaxed)
        );
        mirror.observe_update_v1(observer.as_str(), move |txn, event| {
            if txn.origin() == Some(&remote) {
                on_remote(event.update.clone());
            }
        })?;
        let client = match client::connect(url, mirror.clone(), options) {
            Ok(client) => client,
            Err(e) => {
                let _ = mirror.unobserve_update_v1(observer.as_str());
                return Err(e);
            }
        };
        Ok(Link {
            mirror,
            client: Some(client),
            observer,
        })
    }

    /// Hands an update the owner stored (a local edit, or a remote one it
    /// applied) to the link; the client sends what the server lacks.
    ///
    /// # Errors
    /// If `update` is not a valid update (nothing changes).
    pub fn push_local(&self, update: &[u8]) -> Result<(), Error> {
        apply(&self.mirror, update, OWNER_ORIGIN)
    }

    /// Connection state, participants.
    #[must_use]
    pub fn status(&self) -> Option<ClientStatus> {
        self.client.as_ref().map(ClientHandle::status)
    }

    /// A receiver that sees every status change.
    #[must_use]
    pub fn watch_status(&self) -> Option<watch::Receiver<ClientStatus>> {
        self.client.as_ref().map(ClientHandle::watch_status)
    }

    /// Publishes this user's presence (JSON), see
    /// [`ClientHandle::set_presence`].
    pub fn set_presence(&self, state: Option<String>) {
        if let Some(client) = &self.client {
            client.set_presence(state);
        }
    }

    /// What the host said about us (role, votes) and the facilitator's view.
    #[must_use]
    pub fn watch_workshop(&self) -> Option<watch::Receiver<WorkshopStatus>> {
        self.client.as_ref().map(ClientHandle::watch_workshop)
    }

    /// Changes the display name the host knows us by, see
    /// [`ClientHandle::set_hello`].
    pub fn set_hello(&self, hello: Hello) {
        if let Some(client) = &self.client {
            client.set_hello(hello);
        }
    }

    /// Sends a workshop command to the host, see [`ClientHandle::command`].
    ///
    /// # Errors
    /// The host's [`Refusal`], or `offline`/`timeout`.
    pub async fn command(&self, cmd: Command) -> Result<(), Refusal> {
        match &self.client {
            Some(client) => client.command(cmd).await,
            None => Err(Refusal {
                code: Code::Offline,
                message: "not connected to the host".into(),
            }),
        }
    }

    /// The board document as this link knows it (the server's state merged
    /// with the owner's), for reading the host's `workshop` map.
    #[must_use]
    pub fn mirror(&self) -> &Doc {
        &self.mirror
    }

    /// Disconnects cleanly (presence withdrawn, close frame sent).
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            client.close().await;
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.mirror.unobserve_update_v1(self.observer.as_str());
    }
}

fn apply(doc: &Doc, update: &[u8], origin: &str) -> Result<(), Error> {
    let update = Update::decode_v1(update)?;
    doc.transact_mut_with(origin).apply_update(update)?;
    Ok(())
}

/// What a join link (`ws://host:port/b/<board>?token=<token>`) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinLink {
    /// The board id: the last path segment.
    pub board: String,
    /// The token, if the link has one.
    pub token: Option<String>,
    /// The role the token claims, read WITHOUT checking its signature (to
    /// tell the user that a link is read-only; the server decides).
    pub role: Option<crate::token::Role>,
}

/// Reads a join link; `None` if it is not a `ws://`/`wss://` URL with a
/// board in its path.
#[must_use]
pub fn parse_join_link(link: &str) -> Option<JoinLink> {
    let link = link.trim();
    if !(link.starts_with("ws://") || link.starts_with("wss://")) {
        return None;
    }
    let (path, query) = match link.split_once('?') {
        Some((path, query)) => (path, Some(query.split('#').next().unwrap_or_default())),
        None => (link.split('#').next().unwrap_or_default(), None),
    };
    let after_scheme = path.split_once("://").map(|(_, rest)| rest)?;
    let (_, path) = after_scheme.split_once('/')?;
    let board = path
        .rsplit('/')
        .next()
        .filter(|b| !b.is_empty())?
        .to_owned();
    let token = query.and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| v.to_owned())
    });
    let role = token
        .as_deref()
        .and_then(crate::token::read_claims_unverified)
        .map(|claims| claims.role);
    Some(JoinLink { board, token, role })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_links_name_their_board_token_and_claimed_role() {
        let claims = crate::token::Claims {
            board: "b1".into(),
            role: crate::token::Role::Viewer,
            issued_at: 1,
            expires_at: 2,
        };
        let token = crate::token::Token::issue(b"secret", &claims).unwrap();
        let link = format!("ws://10.0.0.5:8737/b/b1?token={}", token.as_str());
        let parsed = parse_join_link(&link).unwrap();
        assert_eq!(parsed.board, "b1");
        assert_eq!(parsed.token.as_deref(), Some(token.as_str()));
        assert_eq!(parsed.role, Some(crate::token::Role::Viewer));
        assert_eq!(
            parse_join_link("  wss://h/x/y  ").map(|l| (l.board, l.token)),
            Some(("y".into(), None))
        );
        for bad in ["https://h/b/x", "ws://h", "ws://h/", "x", ""] {
            assert_eq!(parse_join_link(bad), None, "{bad}");
        }
        let garbage = parse_join_link("ws://h/b/x?token=%%%").unwrap();
        assert_eq!(garbage.role, None);
    }
}
