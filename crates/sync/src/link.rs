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

use crate::client::{self, ClientHandle, ClientOptions, ClientStatus};
use crate::error::Error;
use crate::session::REMOTE_ORIGIN;

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
