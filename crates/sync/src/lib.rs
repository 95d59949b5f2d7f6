//! Stellwand's sync layer: boards shared between laptops and servers over the
//! y-websocket protocol, so stock Yjs clients can join too.
//!
//! - [`protocol`]: the y-protocols wire format (sync step 1/2, update,
//!   awareness, query-awareness) as a total, sans-IO codec.
//! - [`validate`]: checks untrusted update bytes before yrs sees them.
//! - [`session`]: [`PeerSession`], one side of a conversation about a
//!   document, driven by bytes in and bytes out.
//! - [`server`]: [`server::run`] serves many boards with token-checked
//!   upgrades, viewer/editor roles, awareness relay and persistence through
//!   a [`BoardStore`].
//! - [`client`]: [`client::connect`] keeps a `yrs::Doc` in sync with
//!   reconnects; [`client::sync_once`] syncs once and returns.
//! - [`discovery`]: offering and finding shared boards on the local
//!   network (mDNS).
//! - [`link`]: [`link::Link`], a live connection for a board whose
//!   document another component owns (the desktop app's board session).
//! - [`sharing`]: [`sharing::Sharing`], hosting a board from an application
//!   and joining one by link, with presence ([`presence`]), the status line
//!   and workshop commands: the one type the desktop shell and other hosts
//!   use for live boards.
//! - [`token`]: HMAC-SHA256 signed join tokens.
//! - [`workshop`]: facilitation held by the host (roles, dot voting, timer,
//!   private writing, presenting, locks), enforced on what it accepts.
//! - [`store`]: the [`BoardStore`] seam plus in-memory and file stores.
//! - [`library_store`]: [`LibraryStore`], the seam on a Stellwand library
//!   (SQLite), used by `stellwand-cli serve`.
//!
//! The wire protocol, URLs, token format, roles, close codes and limits are
//! described in `docs/sync.md`.

pub mod client;
pub mod discovery;
pub mod error;
pub mod library_store;
pub mod link;
pub mod presence;
pub mod protocol;
pub mod server;
pub mod session;
pub mod sharing;
pub mod store;
pub mod token;
pub mod workshop;
/// Checks of untrusted update bytes before yrs sees them (shared with the store).
pub use stellwand_board::validate;

pub use error::{Error, Result};
pub use library_store::LibraryStore;
pub use server::{run, ServerConfig};
pub use session::{Limits, PeerSession};
pub use store::{BoardId, BoardStore, MemoryStore};
pub use token::{Claims, Role, Token};
