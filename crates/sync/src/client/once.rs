//! [`sync_once`]: brings a document and a board on a server up to date in
//! both directions once, then closes (for `stellwand-cli sync`).

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, Transact};

use super::{check_url, open};
use crate::error::Error;
use crate::protocol::Message;
use crate::session::{Inbound, Limits, PeerSession};
use crate::token::Role;

/// What [`sync_once`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    /// Bytes of update we sent (what the server lacked).
    pub sent_update_bytes: usize,
    /// Bytes of update we received (what we lacked).
    pub received_update_bytes: usize,
    /// Wall time of the exchange.
    pub elapsed: Duration,
}

/// Brings `doc` and the board at `url` up to date in both directions, then
/// closes the connection. Returns once the server has processed what we sent:
/// after our SyncStep2 a second SyncStep1 goes out, and its answer can only
/// come after the server has stored and applied everything before it.
///
/// # Errors
/// [`Error::Refused`] for a refused upgrade, [`Error::Closed`] if the server
/// closes the connection, [`Error::Timeout`] after `timeout`, and transport
/// or protocol errors.
pub async fn sync_once(url: &str, doc: &Doc, timeout: Duration) -> Result<SyncReport, Error> {
    check_url(url)?;
    tokio::time::timeout(timeout, sync_once_inner(url, doc))
        .await
        .map_err(|_| Error::Timeout("syncing with the server"))?
}

async fn sync_once_inner(url: &str, doc: &Doc) -> Result<SyncReport, Error> {
    let started = Instant::now();
    let limits = Limits::default();
    let ws = open(url, limits).await?;
    let (mut sink, mut stream) = ws.split();
    let sv = doc.transact().state_vector().encode_v1();
    sink.send(WsMessage::Binary(Message::SyncStep1(&sv).encode().into()))
        .await?;
    // Done when the server's SyncStep1 is answered, its SyncStep2 applied,
    // and the barrier SyncStep1 (sent after both) answered too.
    let mut answered_server = false;
    let mut step2_received = 0;
    let mut barrier_sent = false;
    let mut report = SyncReport {
        sent_update_bytes: 0,
        received_update_bytes: 0,
        elapsed: Duration::ZERO,
    };
    while !(barrier_sent && step2_received >= 2) {
        let data = match stream.next().await {
            Some(Ok(WsMessage::Binary(data))) => data,
            Some(Ok(WsMessage::Close(frame))) => {
                let (code, reason) = frame
                    .map(|f| (u16::from(f.code), f.reason.to_string()))
                    .unwrap_or((1005, String::new()));
                return Err(Error::Closed { code, reason });
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => {
                return Err(Error::Closed {
                    code: 1006,
                    reason: "connection lost".into(),
                })
            }
        };
        let mut outbox = Vec::new();
        let mut session = PeerSession::new(doc.clone(), Role::Editor, limits, |f| outbox.push(f));
        let inbound = session.receive_and_apply(&data)?;
        drop(session);
        match inbound {
            Inbound::Answered if !answered_server => {
                answered_server = true;
                for f in &outbox {
                    report.sent_update_bytes += f.len();
                }
            }
            Inbound::Update { bytes, step2, .. } => {
                if step2 {
                    step2_received += 1;
                }
                report.received_update_bytes += bytes.len();
            }
            _ => {}
        }
        if answered_server && step2_received >= 1 && !barrier_sent {
            // The barrier: the server answers it only after it has stored
            // and applied our SyncStep2. Sent after the server's SyncStep2
            // arrived, so the answer is small.
            barrier_sent = true;
            let sv = doc.transact().state_vector().encode_v1();
            outbox.push(Message::SyncStep1(&sv).encode());
        }
        for f in outbox {
            sink.send(WsMessage::Binary(f.into())).await?;
        }
    }
    report.elapsed = started.elapsed();
    let _ = sink
        .send(WsMessage::Close(Some(CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        })))
        .await;
    // Wait briefly for the server's close answer so the close is clean.
    let _ = tokio::time::timeout(Duration::from_millis(500), async {
        while let Some(Ok(m)) = stream.next().await {
            if matches!(m, WsMessage::Close(_)) {
                break;
            }
        }
    })
    .await;
    Ok(report)
}
