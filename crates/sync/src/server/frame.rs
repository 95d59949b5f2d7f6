//! What the server does with one frame a peer sent: answer it, store and
//! forward an update, run a workshop command, or relay awareness. An error
//! is the close code and reason that end the connection.
//!
//! The durability contract lives in `update`: an update is stored before
//! it is applied, and applied before it is forwarded, so nobody ever sees
//! an update the store does not hold. An update that changes nothing is
//! neither stored nor forwarded.

use std::time::Instant;

use bytes::Bytes;
use yrs::updates::decoder::Decode;
use yrs::Update;

use super::connection::PeerHandle;
use super::limits::{close_code, close_for, Violation};
use super::metrics::{bump, Metrics};
use super::room::Room;
use crate::error::Error;
use crate::protocol::Message;
use crate::session::{Inbound, PeerSession};
use crate::token::Role;
use crate::workshop::{self, FromClient, ToClient};

/// The connection a frame came from.
pub(super) struct Peer<'a> {
    pub(super) conn: u64,
    pub(super) role: Role,
    pub(super) handle: &'a PeerHandle,
}

/// Handles one frame of `peer` on `room`.
///
/// # Errors
/// The close code and reason if the connection must end.
pub(super) async fn handle<F: FnMut(Vec<u8>)>(
    room: &Room,
    peer: &Peer<'_>,
    session: &mut PeerSession<F>,
    data: &[u8],
    metrics: &Metrics,
) -> Result<(), Violation> {
    let inbound = session.receive(data).map_err(|e| {
        bump(&metrics.protocol_violations);
        close_for(&e)
    })?;
    match inbound {
        Inbound::Answered | Inbound::Ignored => Ok(()),
        Inbound::WriteDropped { .. } => {
            bump(&metrics.viewer_writes_dropped);
            tracing::debug!(board = %room.id, conn = peer.conn, role = %peer.role, "dropped a write from a viewer");
            Ok(())
        }
        Inbound::Update { bytes, summary, .. } => {
            if summary.is_empty() {
                return Ok(());
            }
            update(room, peer.conn, bytes, metrics).await
        }
        Inbound::Workshop(bytes) => workshop_message(room, peer.conn, bytes, metrics).await,
        Inbound::Awareness(update) => {
            room.apply_awareness(peer.conn, update, Instant::now());
            Ok(())
        }
        Inbound::QueryAwareness => {
            if let Some(frame) = room.awareness_snapshot() {
                peer.handle.push(frame, metrics);
            }
            Ok(())
        }
    }
}

fn store_failure(what: &str) -> Violation {
    (
        close_code::STORE_FAILURE,
        format!("the {what} could not be stored"),
    )
}

/// A validated, non-empty update from `conn`: stored, applied, forwarded,
/// then checked by the host (which may undo part of it). It is decoded once,
/// before anything else, so an undecodable update is never stored.
async fn update(room: &Room, conn: u64, bytes: &[u8], metrics: &Metrics) -> Result<(), Violation> {
    let decoded = Update::decode_v1(bytes).map_err(|e| {
        bump(&metrics.protocol_violations);
        close_for(&Error::Decode(e))
    })?;
    if room.holds_all_of(&decoded) {
        bump(&metrics.updates_unchanged);
        tracing::debug!(board = %room.id, conn, "an update that changes nothing was skipped");
        return Ok(());
    }
    if let Err(e) = room.store(Bytes::copy_from_slice(bytes)).await {
        bump(&metrics.store_failures);
        tracing::error!(board = %room.id, error = %e, "update not stored");
        return Err(store_failure("update"));
    }
    let origin = workshop::peer_origin(conn);
    let applied = room.apply(decoded, &origin);
    let touched = room.take_touched(&origin);
    applied.map_err(|e| {
        bump(&metrics.protocol_violations);
        close_for(&e)
    })?;
    bump(&metrics.updates_applied);
    room.broadcast(conn, &Bytes::from(Message::Update(bytes).encode()));
    let restore = touched.and_then(|t| room.host().enforce(&room.doc, conn, &t));
    if let Some(restore) = restore {
        bump(&metrics.writes_undone);
        let effects = workshop::Effects {
            update: Some(restore),
            ..workshop::Effects::default()
        };
        room.deliver(conn, effects).await.map_err(|e| {
            bump(&metrics.store_failures);
            tracing::error!(board = %room.id, error = %e, "restore not stored");
            store_failure("update")
        })?;
    }
    Ok(())
}

/// A workshop message from `conn`: parsed, handed to the host, and its
/// effects delivered (document changes stored first).
async fn workshop_message(
    room: &Room,
    conn: u64,
    bytes: &[u8],
    metrics: &Metrics,
) -> Result<(), Violation> {
    if bytes.len() > workshop::MAX_MESSAGE_BYTES {
        bump(&metrics.protocol_violations);
        return Err((
            close_code::FRAME_TOO_LARGE,
            format!(
                "workshop message too large: {} bytes, limit {}",
                bytes.len(),
                workshop::MAX_MESSAGE_BYTES
            ),
        ));
    }
    let Some(message) = FromClient::parse(bytes) else {
        bump(&metrics.protocol_violations);
        return Err((
            close_code::MALFORMED,
            "malformed message: not a workshop message".to_owned(),
        ));
    };
    let effects = {
        let mut host = room.host();
        let (re, result) = match message {
            FromClient::Hello(hello) => (0, host.hello_at(conn, hello, (room.clock)())),
            FromClient::Do { id, cmd } => {
                (id, host.command_at(&room.doc, conn, cmd, (room.clock)()))
            }
        };
        match result {
            Ok(mut effects) => {
                if effects.private_changed {
                    room.save_private(&host);
                }
                if re != 0 {
                    effects
                        .direct
                        .push((conn, ToClient::Reply { re, error: None }));
                }
                effects
            }
            Err(refusal) => {
                tracing::info!(board = %room.id, conn, code = %refusal.code, "workshop command refused");
                workshop::Effects {
                    direct: vec![(
                        conn,
                        ToClient::Reply {
                            re,
                            error: Some(refusal),
                        },
                    )],
                    ..workshop::Effects::default()
                }
            }
        }
    };
    room.deliver(conn, effects).await.map_err(|e| {
        bump(&metrics.store_failures);
        tracing::error!(board = %room.id, error = %e, "workshop change not stored");
        store_failure("change")
    })
}
