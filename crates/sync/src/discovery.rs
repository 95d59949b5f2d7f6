//! Finding shared boards on the local network (mDNS / DNS-SD).
//!
//! A host that chooses to offer a board announces the service type
//! [`SERVICE_TYPE`] with TXT records `b` (board id), `t` (title), `h` (host's
//! user name) and `k` (a join token): offering a board on the network means
//! that anyone in that network can join it, which is why the app does it
//! only when the facilitator asks for it. A browser resolves the offers into
//! ready join links. Nothing is sent unless an [`Announcer`] or a
//! [`browse`] call runs; records from the network are checked like any other
//! untrusted input (lengths, board id, token size) and bad ones are ignored.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent, ServiceInfo};

use crate::store::BoardId;
use crate::token::MAX_TOKEN_LEN;

/// The DNS-SD service type of a shared Stellwand board.
pub const SERVICE_TYPE: &str = "_stellwand._tcp.local.";

/// Longest title and host name kept from a record, in characters.
const MAX_TEXT: usize = 80;

/// Which interfaces mDNS uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The local networks of this machine (not loopback): what the app uses.
    Network,
    /// Loopback only: for tests inside a network namespace.
    Loopback,
}

/// Why discovery failed.
#[derive(Debug, thiserror::Error)]
#[error("local network discovery failed: {0}")]
pub struct DiscoveryError(String);

impl From<mdns_sd::Error> for DiscoveryError {
    fn from(e: mdns_sd::Error) -> Self {
        Self(e.to_string())
    }
}

/// A board as offered on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Board id.
    pub board: String,
    /// Board title.
    pub title: String,
    /// Name of the person hosting.
    pub host: String,
    /// The address members reach the host at.
    pub address: IpAddr,
    /// The sync server's port.
    pub port: u16,
    /// A join token for the board.
    pub token: String,
}

impl Offer {
    /// The join link of this offer.
    #[must_use]
    pub fn link(&self) -> String {
        let host = match self.address {
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        };
        format!(
            "ws://{host}:{}/b/{}?token={}",
            self.port, self.board, self.token
        )
    }
}

fn daemon(scope: Scope) -> Result<ServiceDaemon, DiscoveryError> {
    let daemon = ServiceDaemon::new()?;
    match scope {
        Scope::Network => daemon.disable_interface(IfKind::IPv6)?,
        Scope::Loopback => {
            daemon.disable_interface(IfKind::All)?;
            daemon.enable_interface(IfKind::LoopbackV4)?;
        }
    }
    Ok(daemon)
}

/// Longest title or host name in a record, in bytes: a TXT string holds at
/// most 255 bytes, key and `=` included.
const MAX_TEXT_BYTES: usize = 200;

/// Most offers one browse keeps (a flood of records stays bounded).
const MAX_OFFERS: usize = 200;

fn clip(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().filter(|c| !c.is_control()).take(MAX_TEXT) {
        if out.len() + c.len_utf8() > MAX_TEXT_BYTES {
            break;
        }
        out.push(c);
    }
    out
}

/// Announces offers while it lives.
pub struct Announcer {
    daemon: ServiceDaemon,
    offered: HashMap<String, String>,
}

impl std::fmt::Debug for Announcer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Announcer")
            .field("offered", &self.offered.len())
            .finish_non_exhaustive()
    }
}

impl Announcer {
    /// Starts the mDNS responder on `scope`.
    ///
    /// # Errors
    /// If the mDNS socket cannot be opened.
    pub fn new(scope: Scope) -> Result<Self, DiscoveryError> {
        Ok(Self {
            daemon: daemon(scope)?,
            offered: HashMap::new(),
        })
    }

    /// Offers a board (replacing an earlier offer of it).
    ///
    /// # Errors
    /// If the offer cannot be encoded (a token too long for a TXT record) or
    /// the responder stopped.
    pub fn offer(&mut self, offer: &Offer) -> Result<(), DiscoveryError> {
        self.withdraw(&offer.board);
        // The whole id: boards created in the same minute share a long
        // prefix (time-ordered UUIDs), and equal instance names replace
        // each other. 32 characters fit a DNS label's 63.
        let short: String = offer
            .board
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(40)
            .collect();
        let instance = format!("Stellwand {short}");
        let host_name = format!("stellwand-{short}.local.");
        let txt = [
            ("b", offer.board.as_str()),
            ("t", &clip(&offer.title)),
            ("h", &clip(&offer.host)),
            ("k", offer.token.as_str()),
        ];
        let info = ServiceInfo::new(
            SERVICE_TYPE,
            &instance,
            &host_name,
            offer.address,
            offer.port,
            &txt[..],
        )?;
        let fullname = info.get_fullname().to_owned();
        self.daemon.register(info)?;
        self.offered.insert(offer.board.clone(), fullname);
        Ok(())
    }

    /// Stops offering `board` (a goodbye is sent).
    pub fn withdraw(&mut self, board: &str) {
        if let Some(fullname) = self.offered.remove(board) {
            // A daemon that stopped has nothing to withdraw.
            let _ = self.daemon.unregister(&fullname);
        }
    }

    /// Whether `board` is offered.
    #[must_use]
    pub fn is_offered(&self, board: &str) -> bool {
        self.offered.contains_key(board)
    }
}

impl Drop for Announcer {
    fn drop(&mut self) {
        let boards: Vec<String> = self.offered.keys().cloned().collect();
        for board in boards {
            self.withdraw(&board);
        }
        let _ = self.daemon.shutdown();
    }
}

/// Reads an offer from a resolved record; `None` for records that are not
/// well-formed Stellwand offers.
fn offer_of(info: &ServiceInfo) -> Option<Offer> {
    let board = info.get_property_val_str("b")?;
    BoardId::new(board).ok()?;
    let token = info.get_property_val_str("k")?;
    if token.is_empty()
        || token.len() > MAX_TOKEN_LEN
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return None;
    }
    let address = info
        .get_addresses_v4()
        .into_iter()
        .min()
        .map(|v4| IpAddr::V4(*v4))?;
    let port = info.get_port();
    if port == 0 {
        return None;
    }
    Some(Offer {
        board: board.to_owned(),
        title: clip(info.get_property_val_str("t").unwrap_or_default()),
        host: clip(info.get_property_val_str("h").unwrap_or_default()),
        address,
        port,
        token: token.to_owned(),
    })
}

/// Listens for offers for `wait` and returns those found, one per board,
/// sorted by title.
///
/// # Errors
/// If the mDNS socket cannot be opened.
pub fn browse(scope: Scope, wait: Duration) -> Result<Vec<Offer>, DiscoveryError> {
    let daemon = daemon(scope)?;
    let events = daemon.browse(SERVICE_TYPE)?;
    let deadline = Instant::now() + wait;
    let mut found: HashMap<String, Offer> = HashMap::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match events.recv_timeout(left) {
            Ok(ServiceEvent::ServiceResolved(info)) => {
                if let Some(offer) = offer_of(&info) {
                    if found.len() < MAX_OFFERS || found.contains_key(&offer.board) {
                        found.insert(offer.board.clone(), offer);
                    }
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let _ = daemon.stop_browse(SERVICE_TYPE);
    let _ = daemon.shutdown();
    let mut offers: Vec<Offer> = found.into_values().collect();
    offers.sort_by(|a, b| a.title.cmp(&b.title).then(a.board.cmp(&b.board)));
    Ok(offers)
}
