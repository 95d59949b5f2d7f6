//! `serve`, `token` and `sync`: the library as a sync server for a working
//! group, its join tokens, and a one-shot headless peer.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use stellwand_board::yrs::updates::decoder::Decode;
use stellwand_board::yrs::updates::encoder::Encode;
use stellwand_board::yrs::{Doc, ReadTxn, StateVector, Transact, Update};
use stellwand_sync::library_store::{self, LibraryAuthorizer, LibraryStore, UNTITLED};
use stellwand_sync::server::ServerConfig;
use stellwand_sync::token::{unix_now, Role};

use crate::{now, resolve, Invocation};

/// Default port of `serve` (unassigned by IANA).
pub const DEFAULT_PORT: u16 = 8737;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for
    /// the local network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: String,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Folder (name or id) for boards that arrive from the network.
    #[arg(long, value_name = "FOLDER")]
    folder: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Issue a join token (and link) for one board and role.
    Issue {
        /// Board id or title (a board id not yet in this library works too).
        board: String,
        /// What the holder may do.
        #[arg(long, value_enum, default_value_t = RoleArg::Editor)]
        role: RoleArg,
        /// Days until the token expires.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3650))]
        days: u64,
        /// The server's address as members reach it, e.g. ws://192.168.1.20:8737;
        /// prints a complete join link.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Revoke every token issued so far for a board and role (running
    /// servers refuse them from the next connection on).
    Revoke {
        /// Board id or title.
        board: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Editor)]
        role: RoleArg,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    /// Runs the workshop: voting rounds, timer, private writing, locks.
    Facilitator,
    /// A participant: reads and changes the board, except locked items.
    #[value(alias = "participant")]
    Editor,
    /// Reads the board only.
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Facilitator => Role::Facilitator,
            RoleArg::Editor => Role::Editor,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Join link: ws://HOST:PORT/b/BOARD-ID?token=TOKEN
    link: String,
    /// Seconds to wait for the server.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the network runtime")
}

/// `stellwand-cli serve`.
pub fn serve(ctx: &Invocation, dir: &Path, args: ServeArgs) -> Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .init();
    let folder = match &args.folder {
        Some(query) => Some(resolve::folder(ctx.library(), query)?.id),
        None => None,
    };
    let store = LibraryStore::open(dir, folder)
        .with_context(|| format!("cannot open the library in {}", dir.display()))?;
    let authorizer = LibraryAuthorizer::open(dir)
        .with_context(|| format!("cannot open the library in {}", dir.display()))?;
    let config = ServerConfig::new(std::sync::Arc::new(authorizer), std::sync::Arc::new(store));
    let rt = runtime()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.bind.as_str(), args.port))
            .await
            .with_context(|| format!("cannot listen on {}:{}", args.bind, args.port))?;
        let addr = listener.local_addr()?;
        let url = format!("ws://{addr}");
        ctx.print(
            json!({"url": url, "port": addr.port(), "library": dir}),
            || {
                format!(
                    "serving the library in {} on {url}; join links: stellwand-cli token issue BOARD --url {url}; stop with Ctrl+C",
                    dir.display()
                )
            },
        )?;
        let shutdown = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = tokio::signal::ctrl_c() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        };
        stellwand_sync::run(listener, config, shutdown)
            .await
            .context("the sync server failed")
    })
}

/// The board a token is for: a board of this library, or any board id.
fn token_board(ctx: &Invocation, query: &str) -> Result<String> {
    match resolve::board(ctx.library(), query) {
        Ok(meta) => Ok(meta.id.to_string()),
        Err(err) => match query.parse::<stellwand_store::BoardId>() {
            Ok(id) => Ok(id.to_string()),
            Err(_) => Err(err),
        },
    }
}

/// `stellwand-cli token`.
pub fn token(ctx: &Invocation, cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Issue {
            board,
            role,
            days,
            url,
        } => {
            let board = token_board(ctx, &board)?;
            let (token, claims) = library_store::issue_token(
                ctx.library(),
                &board,
                role.into(),
                unix_now(),
                days * 86_400,
            )?;
            let link = match url {
                Some(url) => {
                    if !(url.starts_with("ws://") || url.starts_with("wss://")) {
                        bail!("--url must start with ws:// or wss:// (e.g. ws://192.168.1.20:{DEFAULT_PORT})");
                    }
                    Some(format!(
                        "{}/b/{board}?token={}",
                        url.trim_end_matches('/'),
                        token.as_str()
                    ))
                }
                None => None,
            };
            ctx.print(
                json!({
                    "board": board,
                    "role": claims.role,
                    "expires_at": claims.expires_at,
                    "token": token.as_str(),
                    "link": link,
                }),
                || link.clone().unwrap_or_else(|| token.as_str().to_owned()),
            )
        }
        TokenCommand::Revoke { board, role } => {
            let board = token_board(ctx, &board)?;
            let role: Role = role.into();
            library_store::revoke_tokens(ctx.library(), &board, role, unix_now())?;
            ctx.print(
                json!({"board": board, "role": role, "revoked": true}),
                || format!("revoked every {role} token of board {board} issued so far"),
            )
        }
    }
}

/// The board a join link names, and whether it is read-only.
fn link_board(link: &str) -> Result<(stellwand_store::BoardId, bool)> {
    let usage = "expected a join link like ws://host:8737/b/<board id>?token=<token>";
    let Some(parsed) = stellwand_sync::link::parse_join_link(link) else {
        bail!("{link:?} is not a join link; {usage}");
    };
    let id = parsed
        .board
        .parse()
        .with_context(|| format!("the link does not name a Stellwand board; {usage}"))?;
    Ok((id, parsed.role.is_some_and(|role| !role.can_write())))
}

/// `stellwand-cli sync LINK`.
pub fn sync(ctx: &Invocation, args: SyncArgs) -> Result<()> {
    let (id, read_only) = link_board(&args.link)?;
    // A board this library does not hold yet is created only once the
    // server has answered, so a refused link leaves nothing behind.
    let existing = match ctx.library().board(id) {
        Ok(meta) => Some(ctx.open(&meta)?),
        Err(stellwand_store::Error::BoardNotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let created = existing.is_none();
    // The exchange runs on a scratch document holding the local state; what
    // it receives goes into the library through the session, validated and
    // stored like any remote change.
    let scratch = Doc::new();
    let local_sv = match &existing {
        Some(session) => {
            let update = Update::decode_v1(&session.board().encode_state())
                .context("the local board cannot be encoded")?;
            scratch
                .transact_mut()
                .apply_update(update)
                .context("the local board cannot be copied")?;
            session.board().state_vector()
        }
        None => StateVector::default().encode_v1(),
    };
    let report = runtime()?
        .block_on(stellwand_sync::client::sync_once(
            &args.link,
            &scratch,
            Duration::from_secs(args.timeout),
        ))
        .map_err(|e| match e {
            stellwand_sync::Error::Refused { status: 401 } => anyhow::anyhow!(
                "the server refused the link (401): the token is missing, wrong or expired; ask for a new link"
            ),
            stellwand_sync::Error::Refused { status: 403 } => anyhow::anyhow!(
                "the server refused the link (403): the token was revoked or is for another board; ask for a new link"
            ),
            other => anyhow::Error::new(other).context("syncing failed"),
        })?;
    let mut session = match existing {
        Some(session) => session,
        None => {
            let (meta, _) = ctx.library().ensure_board(id, UNTITLED, None, now())?;
            ctx.open(&meta)?
        }
    };
    let sv = StateVector::decode_v1(&local_sv).context("the local state vector is unreadable")?;
    let received = scratch.transact().encode_state_as_update_v1(&sv);
    session
        .apply_remote(ctx.library(), &received, now())
        .context("the received changes could not be stored")?;
    let title = session.board().title();
    let mut meta = ctx.library().board(id)?;
    if !title.trim().is_empty() && title != meta.title {
        meta = ctx.library().rename_board(id, &title, now())?;
    }
    if let Err(e) = session.store_preview(ctx.library(), now()) {
        eprintln!("warning: the board preview could not be stored: {e}");
    }
    let items = session.board().items().len();
    if read_only {
        eprintln!(
            "note: this is a read-only link; changes made in this library stay here and are not sent"
        );
    }
    ctx.print(
        json!({
            "board": id.to_string(),
            "title": meta.title,
            "created": created,
            "read_only": read_only,
            "items": items,
            "sent_bytes": report.sent_update_bytes,
            "received_bytes": report.received_update_bytes,
        }),
        || {
            format!(
                "synced {:?} ({id}): {items} items; sent {} bytes, received {} bytes",
                meta.title, report.sent_update_bytes, report.received_update_bytes
            )
        },
    )
}
