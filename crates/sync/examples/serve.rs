//! A standalone Stellwand sync server for interop tests and benchmarks.
//!
//! ```text
//! cargo run -p stellwand-sync --example serve -- [--port 0] [--host 127.0.0.1]
//!     [--secret TEXT] [--data DIR] [--max-frame BYTES] [--rate MSGS_PER_S]
//! ```
//!
//! Prints one JSON line to stdout once listening:
//! `{"port":..,"facilitator_token":"..","editor_token":"..","viewer_token":".."}` (tokens for every
//! board, valid for a day), then serves until SIGTERM or Ctrl-C. With
//! `--data` updates go to an append-only file per board, otherwise memory.

use std::sync::Arc;

use anyhow::{bail, Context};
use stellwand_sync::server::{RateLimit, ServerConfig, TokenAuthorizer};
use stellwand_sync::store::{BoardStore, FileStore, MemoryStore};
use stellwand_sync::token::{unix_now, Claims, Role, Token, ANY_BOARD};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut port = 0u16;
    let mut host = "127.0.0.1".to_owned();
    let mut secret = "stellwand-dev-secret".to_owned();
    let mut data: Option<String> = None;
    let mut max_frame: Option<usize> = None;
    let mut rate: Option<f64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => port = value()?.parse().context("--port")?,
            "--host" => host = value()?,
            "--secret" => secret = value()?,
            "--data" => data = Some(value()?),
            "--max-frame" => max_frame = Some(value()?.parse().context("--max-frame")?),
            "--rate" => rate = Some(value()?.parse().context("--rate")?),
            other => bail!("unknown argument {other}"),
        }
    }
    let store: Arc<dyn BoardStore> = match &data {
        Some(dir) => Arc::new(FileStore::open(dir).with_context(|| format!("opening {dir}"))?),
        None => Arc::new(MemoryStore::new()),
    };
    let mut config = ServerConfig::new(Arc::new(TokenAuthorizer::new(secret.as_bytes())), store);
    if let Some(max) = max_frame {
        config.limits.max_frame = max;
    }
    if let Some(per_second) = rate {
        config.message_rate = RateLimit {
            per_second,
            burst: per_second * 2.0,
        };
    }
    let listener = tokio::net::TcpListener::bind((host.as_str(), port))
        .await
        .with_context(|| format!("binding {host}:{port}"))?;
    let port = listener.local_addr()?.port();
    let now = unix_now();
    let token = |role| {
        Token::issue(
            secret.as_bytes(),
            &Claims {
                board: ANY_BOARD.into(),
                role,
                issued_at: now,
                expires_at: now + 86_400,
            },
        )
        .context("issuing a token")
    };
    println!(
        "{}",
        serde_json::json!({
            "port": port,
            "facilitator_token": token(Role::Facilitator)?.as_str(),
            "editor_token": token(Role::Editor)?.as_str(),
            "viewer_token": token(Role::Viewer)?.as_str(),
        })
    );
    let shutdown = async {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    };
    stellwand_sync::run(listener, config, shutdown)
        .await
        .context("sync server failed")
}
