//! `stellwand-cli`: everything the Stellwand desktop app keeps in its library,
//! on the command line, for scripts and for preparing documentation.
//!
//! Every subcommand works on the same library the desktop app uses (or the one
//! given with `--data-dir`), prints plain lines or, with `--json`, JSON, and
//! exits with 0 only on success; errors are one line on stderr.

mod board;
mod demo;
mod export;
mod folder;
mod note;
mod resolve;
mod revision;
mod sync;
mod template;

use board::{board, board_json, BoardCommand};
use folder::{folder, FolderCommand};
use note::{frame, note, FrameCommand, NoteCommand};
use revision::{revision, RevisionCommand};
use template::{template, TemplateCommand};

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use serde_json::json;
use stellwand_board::{BoardJson, Item, ItemKind, NewItem};
use stellwand_library::{default_user_name, BoardSession, Templates};
use stellwand_store::{BoardFilter, BoardMeta, FolderFilter, Library, Workspace};

/// Stellwand: boards, notes and revisions of the local library, without a window.
#[derive(Parser, Debug)]
#[command(name = "stellwand-cli", version, about, long_about = None)]
struct Cli {
    /// The library directory [default: the desktop app's data directory,
    /// e.g. ~/.local/share/de.stellwand.app].
    #[arg(long, global = true, value_name = "DIR", env = "STELLWAND_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print results as JSON (for scripts).
    #[arg(long, global = true)]
    json: bool,
    /// Name recorded as the author of new notes [default: the library's user name].
    #[arg(long, global = true, value_name = "NAME")]
    author: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Folders, one per working group ("AG Technik").
    #[command(subcommand)]
    Folder(FolderCommand),
    /// Boards: create, list, rename, move, archive, delete, restore.
    #[command(subcommand)]
    Board(BoardCommand),
    /// Sticky notes on a board.
    #[command(subcommand)]
    Note(NoteCommand),
    /// Frames (sections) on a board.
    #[command(subcommand)]
    Frame(FrameCommand),
    /// Named revisions of a board ("Stand nach Sitzung 3").
    #[command(subcommand)]
    Revision(RevisionCommand),
    /// Templates new boards start from (Brainstorming, SWOT, AG-Sitzung, …).
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Serve this library's boards to a working group (y-websocket protocol).
    Serve(sync::ServeArgs),
    /// Join tokens for the boards this library serves.
    #[command(subcommand)]
    Token(sync::TokenCommand),
    /// Bring the local copy of a shared board up to date in both
    /// directions, then exit.
    Sync(sync::SyncArgs),
    /// Save a board as a single .stellwand file.
    Save {
        /// Board id or title.
        board: String,
        /// Where to write the file.
        file: PathBuf,
    },
    /// Open a .stellwand file: adds it to the library as a new board.
    Open {
        /// The board file.
        file: PathBuf,
    },
    /// Export a board: docx, pdf, md, csv, xlsx, png, svg, canvas (JSON Canvas), or
    /// json (every item with every field, see docs/schema.md).
    Export(export::ExportArgs),
    /// Export all boards of a folder (AG), or a selection, into one DOCX, PDF or
    /// Markdown document with a table of contents.
    ExportFolder(export::ExportFolderArgs),
    /// Import a CSV table, a JSON Canvas file or plain text into a board
    /// (adds notes, never changes existing ones).
    Import(export::ImportArgs),
    /// Import plain UTF-8 text into a board, one note per non-empty line.
    ImportText {
        /// Board id or title.
        board: String,
        /// The text file; `-` reads standard input.
        file: PathBuf,
        /// Put the notes into a new frame with this title.
        #[arg(long)]
        frame: Option<String>,
    },
    /// Create a demo library with a realistic AG workshop board (does nothing if it exists).
    Demo,
}

fn main() {
    let cli = Cli::parse();
    if let Err(err) = run(cli) {
        // A reader that closed the pipe early (`| head`) is not an error.
        let closed_pipe = err.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        });
        if closed_pipe {
            std::process::exit(0);
        }
        // One line: the cause chain, outermost first.
        let message = err
            .chain()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ");
        let _ = writeln!(std::io::stderr(), "stellwand-cli: error: {message}");
        std::process::exit(1);
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What every subcommand works with: the user's workspace, the same
/// application layer the desktop app uses (same user, same author, same
/// path for opening and saving boards), and how to print.
struct Invocation {
    workspace: Workspace,
    json: bool,
}

fn run(cli: Cli) -> Result<()> {
    let dir = match cli.data_dir {
        Some(dir) => dir,
        None => stellwand_store::default_library_dir()
            .context("no data directory is known for this user; pass --data-dir")?,
    };
    let mut workspace = Workspace::open(&dir, &default_user_name())
        .with_context(|| format!("cannot open the library in {}", dir.display()))?;
    if let Some(name) = &cli.author {
        workspace.sign_as(name);
    }
    let mut ctx = Invocation {
        workspace,
        json: cli.json,
    };
    match cli.command {
        Command::Folder(cmd) => folder(&ctx, cmd),
        Command::Board(cmd) => board(&mut ctx, cmd),
        Command::Note(cmd) => note(&ctx, cmd),
        Command::Frame(cmd) => frame(&ctx, cmd),
        Command::Revision(cmd) => revision(&mut ctx, cmd),
        Command::Template(cmd) => template(&mut ctx, cmd),
        Command::Save { board, file } => {
            let meta = resolve::board(ctx.library(), &board)?;
            let written = ctx
                .library()
                .export_board_file(meta.id, &file, now())
                .with_context(|| format!("cannot save board {:?}", meta.title))?;
            for skipped in &written.skipped {
                eprintln!("warning: {skipped:?} could not be read and is not in the file");
            }
            ctx.print(
                json!({"board": meta.id.to_string(), "file": file, "bytes": written.bytes}),
                || {
                    format!(
                        "saved {:?} to {} ({} bytes)",
                        meta.title,
                        file.display(),
                        written.bytes
                    )
                },
            )
        }
        Command::Open { file } => {
            let board = ctx
                .workspace
                .open_board_file(&file, now())
                .with_context(|| format!("cannot open {}", file.display()))?;
            ctx.print(board_json(&board), || {
                format!("opened {:?} as board {}", board.title, board.id)
            })
        }
        Command::Export(args) => export::board(&ctx, args),
        Command::ExportFolder(args) => export::folder(&ctx, args),
        Command::Import(args) => export::import(&ctx, args),
        Command::ImportText { board, file, frame } => {
            let meta = resolve::board(ctx.library(), &board)?;
            let text = read_text(&file)?;
            let mut session = ctx.open(&meta)?;
            let ids = session.edit(ctx.library(), now(), |e| {
                e.import_lines(&text, frame.as_deref())
            })?;
            ctx.print(json!({"board": meta.id.to_string(), "notes": ids}), || {
                format!("imported {} notes into {:?}", ids.len(), meta.title)
            })
        }
        Command::Serve(args) => sync::serve(&ctx, &dir, args),
        Command::Token(cmd) => sync::token(&ctx, cmd),
        Command::Sync(args) => sync::sync(&ctx, args),
        Command::Demo => {
            let created = demo::create(ctx.library(), ctx.workspace.author(), now())?;
            ctx.print(json!({"created": created}), || match created {
                Some(id) => format!("demo library ready; workshop board {id}"),
                None => "the demo board exists already".into(),
            })
        }
    }
}

impl Invocation {
    /// The SQLite library underneath, for what only the CLI does with it
    /// (compaction, tokens, board files with their warnings).
    fn library(&self) -> &Library {
        self.workspace.library()
    }

    fn print(&self, value: serde_json::Value, text: impl FnOnce() -> String) -> Result<()> {
        let mut out = std::io::stdout().lock();
        if self.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        } else {
            writeln!(out, "{}", text())?;
        }
        Ok(())
    }

    fn open(&self, meta: &BoardMeta) -> Result<BoardSession> {
        let session = BoardSession::open(self.library(), meta.id, self.workspace.author().clone())
            .with_context(|| format!("cannot open board {:?}", meta.title))?;
        for issue in session.load_issues() {
            eprintln!(
                "warning: a stored change of board {:?} (log entry {}) cannot be read and was skipped: {}",
                meta.title,
                issue.seq.map_or("snapshot".to_string(), |s| s.to_string()),
                issue.reason
            );
        }
        Ok(session)
    }
}

fn read_text(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (invalid byte at offset {}); save it as UTF-8 and try again",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
            Ok(())
        }
    }
}
