//! The sync server a laptop runs for the boards it shares: where it listens
//! (remembered in the library's settings), starting it on a port, and
//! stopping it.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use stellwand_store::{BoardId, Library};
use tokio::task::JoinHandle;

use super::error::{Error, Result};
use crate::library_store::{LibraryAuthorizer, LibraryStore};
use crate::server::ServerConfig;

/// The port a host listens on unless the user chose another.
pub const DEFAULT_PORT: u16 = 8737;

/// Longest address accepted (a DNS name's limit).
const MAX_ADDRESS_LEN: usize = 253;

const SETTING_PORT: &str = "share.port";
const SETTING_BIND: &str = "share.bind";
const SETTING_ADDRESS: &str = "share.address";

/// Where the host listens and how others reach it (the share dialog shows
/// and changes these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HostSettings {
    /// The address others use to reach this laptop (its address in the
    /// local network).
    pub address: String,
    /// The port the server listens on.
    pub port: u16,
    /// The interface it listens on: `0.0.0.0` for every network.
    pub bind: String,
}

impl HostSettings {
    /// The remembered settings, or the defaults: every interface, port
    /// [`DEFAULT_PORT`], and this laptop's address in the local network.
    ///
    /// # Errors
    /// A database error.
    pub fn load(library: &Library) -> Result<Self> {
        let port = library
            .get_setting(SETTING_PORT)?
            .and_then(|p| p.parse().ok())
            .unwrap_or(DEFAULT_PORT);
        let bind = library
            .get_setting(SETTING_BIND)?
            .unwrap_or_else(|| Ipv4Addr::UNSPECIFIED.to_string());
        let address = library
            .get_setting(SETTING_ADDRESS)?
            .unwrap_or_else(local_address);
        Ok(HostSettings {
            address,
            port,
            bind,
        })
    }

    /// For this computer alone: 127.0.0.1 and a free port.
    #[must_use]
    pub fn loopback() -> Self {
        HostSettings {
            address: Ipv4Addr::LOCALHOST.to_string(),
            port: 0,
            bind: Ipv4Addr::LOCALHOST.to_string(),
        }
    }

    /// The settings as the user typed them, trimmed, or why they cannot be
    /// used: the address must be a host name or IP address, the port not 0,
    /// the interface an IP address.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`].
    pub fn checked(self) -> Result<Self> {
        let address = self.address.trim();
        // A host name has at most 253 characters; anything longer would end
        // up in every link and QR code.
        let address_ok = !address.is_empty()
            && address.len() <= MAX_ADDRESS_LEN
            && address
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !address_ok {
            return Err(Error::InvalidAddress(self.address));
        }
        if self.port == 0 {
            return Err(Error::InvalidAddress("port 0".into()));
        }
        let bind = self.bind.trim();
        if bind.parse::<IpAddr>().is_err() {
            return Err(Error::InvalidAddress(self.bind));
        }
        Ok(HostSettings {
            address: address.to_owned(),
            port: self.port,
            bind: bind.to_owned(),
        })
    }

    /// Remembers the settings.
    ///
    /// # Errors
    /// A database error.
    pub fn save(&self, library: &Library) -> Result<()> {
        library.set_setting(SETTING_PORT, &self.port.to_string())?;
        library.set_setting(SETTING_BIND, &self.bind)?;
        library.set_setting(SETTING_ADDRESS, &self.address)?;
        Ok(())
    }

    /// Remembers only the port (the server took another one).
    ///
    /// # Errors
    /// A database error.
    pub fn save_port(library: &Library, port: u16) -> Result<()> {
        library.set_setting(SETTING_PORT, &port.to_string())?;
        Ok(())
    }
}

/// This laptop's address in the local network: the source address the
/// system would use to reach an outside address. `connect` on a UDP socket
/// only chooses a route; nothing is sent.
fn local_address() -> String {
    let probe = || -> std::io::Result<IpAddr> {
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
        socket.connect(("192.0.2.1", 9))?;
        Ok(socket.local_addr()?.ip())
    };
    match probe() {
        Ok(ip) if !ip.is_unspecified() => ip.to_string(),
        _ => Ipv4Addr::LOCALHOST.to_string(),
    }
}

/// The running server.
pub(crate) struct Host {
    /// Where it listens.
    pub bound: SocketAddr,
    /// Boards this laptop hosts.
    pub boards: HashSet<BoardId>,
    /// Started for a workshop on a board that was not shared: it listens on
    /// 127.0.0.1 only, and sharing restarts it for the network.
    pub local_only: bool,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Host {
    /// Starts a server on the library in `dir`, listening as `settings`
    /// say. Must be called on a tokio runtime.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] for an interface that is not an IP address,
    /// [`Error::PortInUse`] when the port cannot be had, a library error.
    pub async fn start(dir: &Path, settings: &HostSettings, local_only: bool) -> Result<Host> {
        let bind: IpAddr = settings
            .bind
            .parse()
            .map_err(|_| Error::InvalidAddress(settings.bind.clone()))?;
        let listener = tokio::net::TcpListener::bind((bind, settings.port))
            .await
            .map_err(|source| Error::PortInUse {
                address: format!("{}:{}", settings.bind, settings.port),
                source,
            })?;
        let bound = listener.local_addr().map_err(|source| Error::PortInUse {
            address: format!("{}:{}", settings.bind, settings.port),
            source,
        })?;
        let store = LibraryStore::open(dir, None).map_err(|e| Error::Owner(Box::new(e)))?;
        let authorizer = LibraryAuthorizer::open(dir).map_err(|e| Error::Owner(Box::new(e)))?;
        let config = ServerConfig::new(Arc::new(authorizer), Arc::new(store));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = crate::run(listener, config, shutdown).await {
                tracing::warn!("the sharing server stopped: {e}");
            }
        });
        Ok(Host {
            bound,
            boards: HashSet::new(),
            local_only,
            stop: Some(stop),
            task,
        })
    }

    /// The address this computer itself connects to.
    pub fn own_address(&self) -> SocketAddr {
        let ip = if self.bound.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            self.bound.ip()
        };
        SocketAddr::new(ip, self.bound.port())
    }

    /// Stops the server; waits up to five seconds for it to close its
    /// connections.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), &mut self.task).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(address: &str, port: u16, bind: &str) -> HostSettings {
        HostSettings {
            address: address.into(),
            port,
            bind: bind.into(),
        }
    }

    #[test]
    fn settings_the_user_typed_are_trimmed_or_refused() {
        let ok = settings(" 192.168.1.20 ", 9000, " 0.0.0.0 ")
            .checked()
            .unwrap();
        assert_eq!(ok, settings("192.168.1.20", 9000, "0.0.0.0"));
        assert!(settings("laptop-ag.local", 1, "::").checked().is_ok());
        for bad in [
            settings("", 9000, "0.0.0.0"),
            settings("a b", 9000, "0.0.0.0"),
            settings("x\"><script>", 9000, "0.0.0.0"),
            settings("10.0.0.1", 0, "0.0.0.0"),
            settings("10.0.0.1", 9000, "überall"),
            settings(&"a".repeat(254), 9000, "0.0.0.0"),
        ] {
            assert!(
                matches!(bad.clone().checked(), Err(Error::InvalidAddress(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn settings_with_unknown_or_missing_fields_are_refused() {
        let extra = r#"{"address":"a","port":1,"bind":"0.0.0.0","admin":true}"#;
        assert!(serde_json::from_str::<HostSettings>(extra).is_err());
        let missing = r#"{"address":"a","port":1}"#;
        assert!(serde_json::from_str::<HostSettings>(missing).is_err());
    }

    #[test]
    fn settings_are_remembered_in_the_library() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let first = HostSettings::load(&library).unwrap();
        assert_eq!((first.port, first.bind.as_str()), (DEFAULT_PORT, "0.0.0.0"));
        settings("10.1.2.3", 9100, "10.1.2.3")
            .save(&library)
            .unwrap();
        HostSettings::save_port(&library, 9200).unwrap();
        assert_eq!(
            HostSettings::load(&library).unwrap(),
            settings("10.1.2.3", 9200, "10.1.2.3")
        );
    }

    #[tokio::test]
    async fn a_port_another_program_holds_is_reported_as_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let result =
            Host::start(dir.path(), &settings("127.0.0.1", port, "127.0.0.1"), false).await;
        assert!(matches!(result, Err(Error::PortInUse { .. })));
        let host = Host::start(dir.path(), &HostSettings::loopback(), true)
            .await
            .unwrap();
        assert!(host.bound.ip().is_loopback() && host.bound.port() != 0);
        host.stop().await;
    }
}
