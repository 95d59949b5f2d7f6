//! `stellwand-cli`: everything the Stellwand desktop app keeps in its library,
//! on the command line, for scripts and for preparing documentation.
//!
//! Every subcommand works on the same library the desktop app uses (or the one
//! given with `--data-dir`), prints plain lines or, with `--json`, JSON, and
//! exits with 0 only on success; errors are one line on stderr.

mod demo;
mod export;
mod resolve;
mod sync;

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

#[derive(Subcommand, Debug)]
enum FolderCommand {
    /// List folders.
    List,
    /// Create a folder.
    Create { name: String },
    /// Rename a folder.
    Rename { folder: String, name: String },
    /// Delete an empty folder.
    Delete { folder: String },
}

#[derive(Subcommand, Debug)]
enum BoardCommand {
    /// List boards.
    List {
        /// Only boards in this folder.
        #[arg(long)]
        folder: Option<String>,
        /// Include archived boards.
        #[arg(long)]
        archived: bool,
        /// Only boards in the trash.
        #[arg(long)]
        trash: bool,
    },
    /// Create a board.
    Create {
        title: String,
        /// Folder name or id.
        #[arg(long)]
        folder: Option<String>,
        /// Start from a template (id, see `template list`).
        #[arg(long)]
        template: Option<String>,
    },
    /// Show a board's details and items.
    Show { board: String },
    /// Search boards by title and by note text.
    Search { query: String },
    /// Rename a board.
    Rename { board: String, title: String },
    /// Move a board into a folder, or out of any folder with --unfiled.
    Move {
        board: String,
        /// Folder name or id.
        #[arg(long, conflicts_with = "unfiled", required_unless_present = "unfiled")]
        folder: Option<String>,
        #[arg(long)]
        unfiled: bool,
    },
    /// Archive a board (hidden from the list, kept).
    Archive { board: String },
    /// Take a board out of the archive.
    Unarchive { board: String },
    /// Move a board to the trash (it can be restored).
    Delete { board: String },
    /// Restore a board from the trash.
    Restore { board: String },
    /// Delete a board from the trash for good.
    Purge {
        board: String,
        /// Confirm that the board and its history are to be removed for good.
        #[arg(long)]
        yes: bool,
    },
    /// Compact a board's update log into a snapshot.
    Compact { board: String },
}

#[derive(Args, Debug)]
struct Placement {
    /// Position (board units).
    #[arg(long, allow_hyphen_values = true)]
    x: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    y: Option<f64>,
}

#[derive(Subcommand, Debug)]
enum NoteCommand {
    /// List the notes of a board.
    List { board: String },
    /// Add a note.
    Add {
        board: String,
        text: String,
        #[command(flatten)]
        at: Placement,
        /// Colour: yellow, orange, red, pink, purple, blue, cyan, green, grey, white or #rrggbb.
        #[arg(long)]
        color: Option<String>,
        /// Tag (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Frame (id or title) the note belongs to.
        #[arg(long)]
        frame: Option<String>,
    },
    /// Change a note's text (and optionally colour).
    Edit {
        board: String,
        /// Note id (or a unique prefix of it).
        note: String,
        text: Option<String>,
        #[arg(long)]
        color: Option<String>,
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long = "untag")]
        untags: Vec<String>,
    },
    /// Move a note.
    Move {
        board: String,
        note: String,
        #[arg(allow_hyphen_values = true)]
        x: f64,
        #[arg(allow_hyphen_values = true)]
        y: f64,
    },
    /// Delete a note.
    Delete { board: String, note: String },
}

#[derive(Subcommand, Debug)]
enum FrameCommand {
    /// Add a frame.
    Add {
        board: String,
        title: String,
        #[command(flatten)]
        at: Placement,
        #[arg(long, default_value_t = 800.0)]
        width: f64,
        #[arg(long, default_value_t = 600.0)]
        height: f64,
    },
}

#[derive(Subcommand, Debug)]
enum TemplateCommand {
    /// The shipped templates and the library's own.
    List,
    /// Save a board's layout and texts as a template of this library.
    Save { board: String, name: String },
    /// Delete one of the library's own templates.
    Delete { template: String },
}

#[derive(Subcommand, Debug)]
enum RevisionCommand {
    /// List a board's revisions.
    List { board: String },
    /// Save the board's current state as a named revision.
    Create { board: String, name: String },
    /// Make the board look like a revision again (a new change; newer work stays in the history).
    Restore { board: String, revision: String },
    /// Export a revision as full JSON.
    Export {
        board: String,
        revision: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
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
struct Context_ {
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
    let mut ctx = Context_ {
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

impl Context_ {
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

fn board_json(meta: &BoardMeta) -> serde_json::Value {
    json!({
        "id": meta.id.to_string(),
        "title": meta.title,
        "folder": meta.folder.map(|f| f.to_string()),
        "created_at": meta.created_at,
        "updated_at": meta.updated_at,
        "archived": meta.archived,
        "deleted_at": meta.deleted_at,
    })
}

fn folder(ctx: &Context_, cmd: FolderCommand) -> Result<()> {
    let lib = ctx.library();
    match cmd {
        FolderCommand::List => {
            let folders = lib.list_folders()?;
            let value = json!(folders
                .iter()
                .map(|f| json!({"id": f.id.to_string(), "name": f.name}))
                .collect::<Vec<_>>());
            ctx.print(value, || {
                folders
                    .iter()
                    .map(|f| format!("{}  {}", f.id, f.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        FolderCommand::Create { name } => {
            let f = lib.create_folder(&name, now())?;
            ctx.print(json!({"id": f.id.to_string(), "name": f.name}), || {
                format!("created folder {:?} ({})", f.name, f.id)
            })
        }
        FolderCommand::Rename { folder, name } => {
            let f = resolve::folder(lib, &folder)?;
            let f = lib.rename_folder(f.id, &name)?;
            ctx.print(json!({"id": f.id.to_string(), "name": f.name}), || {
                format!("renamed folder to {:?}", f.name)
            })
        }
        FolderCommand::Delete { folder } => {
            let f = resolve::folder(lib, &folder)?;
            lib.delete_folder(f.id)?;
            ctx.print(json!({"deleted": f.id.to_string()}), || {
                format!("deleted folder {:?}", f.name)
            })
        }
    }
}

/// Prints a list of boards with their folder and whether they are archived
/// or in the trash.
fn list_boards(ctx: &Context_, boards: &[BoardMeta]) -> Result<()> {
    let value = json!(boards.iter().map(board_json).collect::<Vec<_>>());
    let folders = ctx.library().list_folders().unwrap_or_default();
    ctx.print(value, || {
        boards
            .iter()
            .map(|b| {
                let folder = b
                    .folder
                    .and_then(|id| folders.iter().find(|f| f.id == id))
                    .map_or("-", |f| f.name.as_str());
                let flags = match (b.archived, b.deleted_at.is_some()) {
                    (_, true) => "  [trash]",
                    (true, _) => "  [archived]",
                    _ => "",
                };
                format!("{}  {}  ({folder}){flags}", b.id, b.title)
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn board(ctx: &mut Context_, cmd: BoardCommand) -> Result<()> {
    let lib = ctx.library();
    let list = |boards: Vec<BoardMeta>| list_boards(ctx, &boards);
    match cmd {
        BoardCommand::List {
            folder,
            archived,
            trash,
        } => {
            if trash {
                return list(lib.list_trash()?);
            }
            let folder = match folder {
                Some(f) => FolderFilter::In(resolve::folder(lib, &f)?.id),
                None => FolderFilter::Any,
            };
            list(lib.list_boards(&BoardFilter {
                folder,
                include_archived: archived,
                include_deleted: false,
            })?)
        }
        BoardCommand::Create {
            title,
            folder,
            template,
        } => {
            let folder = match folder {
                Some(f) => Some(resolve::folder(lib, &f)?.id),
                None => None,
            };
            // The workspace checks the template before the board exists, so
            // an unknown template creates nothing.
            let meta = match template {
                Some(id) => ctx
                    .workspace
                    .create_board_from_template(&title, folder, &id, now())?,
                None => ctx.workspace.create_board(&title, folder, now())?,
            };
            ctx.print(board_json(&meta), || {
                format!("created board {:?} ({})", meta.title, meta.id)
            })
        }
        BoardCommand::Show { board } => {
            let meta = resolve::board(lib, &board)?;
            let session = ctx.open(&meta)?;
            let items = session.board().items();
            let mut value = board_json(&meta);
            value["items"] = serde_json::to_value(&items)?;
            ctx.print(value, || {
                let mut lines = vec![
                    format!("{}  {}", meta.id, meta.title),
                    format!("{} items", items.len()),
                ];
                lines.extend(items.iter().map(item_line));
                lines.join("\n")
            })
        }
        BoardCommand::Search { query } => {
            let found = ctx.workspace.search(&query)?;
            let found = found
                .into_iter()
                .map(|id| ctx.library().board(id))
                .collect::<Result<Vec<_>, _>>()?;
            list_boards(ctx, &found)
        }
        BoardCommand::Rename { board, title } => {
            let id = resolve::board(lib, &board)?.id;
            let meta = ctx.workspace.rename_board(id, &title, now())?;
            ctx.print(board_json(&meta), || {
                format!("renamed board to {:?}", meta.title)
            })
        }
        BoardCommand::Move {
            board,
            folder,
            unfiled: _,
        } => {
            let meta = resolve::board(lib, &board)?;
            let folder = match folder {
                Some(f) => Some(resolve::folder(lib, &f)?.id),
                None => None,
            };
            let meta = lib.move_board(meta.id, folder, now())?;
            ctx.print(board_json(&meta), || {
                format!("moved board {:?}", meta.title)
            })
        }
        BoardCommand::Archive { board } => {
            let meta = lib.archive_board(resolve::board(lib, &board)?.id, now())?;
            ctx.print(board_json(&meta), || {
                format!("archived board {:?}", meta.title)
            })
        }
        BoardCommand::Unarchive { board } => {
            let meta = resolve::board_any(lib, &board)?;
            let meta = lib.unarchive_board(meta.id, now())?;
            ctx.print(board_json(&meta), || {
                format!("unarchived board {:?}", meta.title)
            })
        }
        BoardCommand::Delete { board } => {
            let id = resolve::board(lib, &board)?.id;
            let meta = ctx.workspace.trash_board(id, now())?;
            ctx.print(board_json(&meta), || {
                format!(
                    "moved board {:?} to the trash (stellwand-cli board restore {} brings it back)",
                    meta.title, meta.id
                )
            })
        }
        BoardCommand::Restore { board } => {
            let meta = resolve::board_any(lib, &board)?;
            let meta = lib.restore_board(meta.id, now())?;
            ctx.print(board_json(&meta), || {
                format!("restored board {:?}", meta.title)
            })
        }
        BoardCommand::Purge { board, yes } => {
            let meta = resolve::board_any(lib, &board)?;
            if !yes {
                bail!(
                    "purging removes {:?} and its whole history for good; add --yes to confirm",
                    meta.title
                );
            }
            lib.purge_board(meta.id)?;
            ctx.print(json!({"purged": meta.id.to_string()}), || {
                format!("purged board {:?}", meta.title)
            })
        }
        BoardCommand::Compact { board } => {
            let meta = resolve::board(lib, &board)?;
            let report = lib.compact(meta.id, now())?;
            for skipped in &report.skipped {
                eprintln!("warning: kept an unreadable log entry: {skipped:?}");
            }
            ctx.print(
                json!({"board": meta.id.to_string(), "applied": report.applied, "bytes_before": report.bytes_before, "bytes_after": report.bytes_after}),
                || {
                    format!(
                        "compacted {} updates: {} -> {} bytes",
                        report.applied, report.bytes_before, report.bytes_after
                    )
                },
            )
        }
    }
}

fn item_line(item: &Item) -> String {
    let text = item.text.replace('\n', " ⏎ ");
    let mut line = format!(
        "{}  {:<9} {:>7.0},{:<7.0} {:<7} {}",
        item.id,
        item.kind.as_str(),
        item.x,
        item.y,
        item.color,
        text
    );
    if !item.tags.is_empty() {
        line.push_str(&format!("  #{}", item.tags.join(" #")));
    }
    line
}

fn template(ctx: &mut Context_, cmd: TemplateCommand) -> Result<()> {
    let lib = ctx.library();
    match cmd {
        TemplateCommand::List => {
            let list = lib.templates()?;
            ctx.print(serde_json::to_value(&list)?, || {
                list.iter()
                    .map(|t| {
                        let origin = if t.builtin { "shipped" } else { "own" };
                        format!("{:<24} {:<32} {origin:<8} {}", t.id, t.name, t.description)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        TemplateCommand::Save { board, name } => {
            let meta = resolve::board(lib, &board)?;
            let info = ctx.workspace.save_as_template(meta.id, &name)?;
            ctx.print(serde_json::to_value(&info)?, || {
                format!(
                    "saved {:?} as template {:?} ({})",
                    meta.title, info.name, info.id
                )
            })
        }
        TemplateCommand::Delete { template } => {
            if !ctx.workspace.delete_template(&template)? {
                bail!("there is no template {template:?} of this library (shipped templates stay)");
            }
            ctx.print(json!({"deleted": template}), || {
                format!("deleted template {template}")
            })
        }
    }
}

fn note(ctx: &Context_, cmd: NoteCommand) -> Result<()> {
    let lib = ctx.library();
    match cmd {
        NoteCommand::List { board } => {
            let meta = resolve::board(lib, &board)?;
            let session = ctx.open(&meta)?;
            let notes: Vec<Item> = session
                .board()
                .items()
                .into_iter()
                .filter(|i| i.kind == ItemKind::Note)
                .collect();
            ctx.print(serde_json::to_value(&notes)?, || {
                notes.iter().map(item_line).collect::<Vec<_>>().join("\n")
            })
        }
        NoteCommand::Add {
            board,
            text,
            at,
            color,
            tags,
            frame,
        } => {
            let meta = resolve::board(lib, &board)?;
            let mut session = ctx.open(&meta)?;
            let frame = match frame {
                Some(f) => Some(resolve::frame(session.board(), &f)?),
                None => None,
            };
            let (x, y) = placement(session.board(), &at, frame);
            let mut spec = NewItem::note(x, y, text).with_tags(tags);
            spec.color = color;
            spec.parent = frame;
            let id = session.edit(lib, now(), |e| e.create(spec))?;
            let item = session
                .board()
                .item(id)
                .context("the new note is missing")?;
            ctx.print(serde_json::to_value(&item)?, || id.to_string())
        }
        NoteCommand::Edit {
            board,
            note,
            text,
            color,
            tags,
            untags,
        } => {
            let meta = resolve::board(lib, &board)?;
            let mut session = ctx.open(&meta)?;
            let id = resolve::item(session.board(), &note)?;
            session.edit(lib, now(), |e| {
                if let Some(text) = &text {
                    e.set_text(id, text)?;
                }
                if let Some(color) = &color {
                    e.recolor(&[id], color)?;
                }
                for tag in &tags {
                    e.add_tag(id, tag)?;
                }
                for tag in &untags {
                    e.remove_tag(id, tag)?;
                }
                Ok(())
            })?;
            let item = session.board().item(id).context("the note is missing")?;
            ctx.print(serde_json::to_value(&item)?, || item_line(&item))
        }
        NoteCommand::Move { board, note, x, y } => {
            let meta = resolve::board(lib, &board)?;
            let mut session = ctx.open(&meta)?;
            let id = resolve::item(session.board(), &note)?;
            session.edit(lib, now(), |e| {
                e.move_to(id, x, y)?;
                e.adopt_by_position(&[id]).map(|_| ())
            })?;
            let item = session.board().item(id).context("the note is missing")?;
            ctx.print(serde_json::to_value(&item)?, || item_line(&item))
        }
        NoteCommand::Delete { board, note } => {
            let meta = resolve::board(lib, &board)?;
            let mut session = ctx.open(&meta)?;
            let id = resolve::item(session.board(), &note)?;
            let deleted = session.edit(lib, now(), |e| e.delete(&[id]))?;
            ctx.print(json!({"deleted": deleted}), || {
                format!("deleted {} item(s)", deleted.len())
            })
        }
    }
}

/// Where a new item goes: the given position, else inside the frame's free
/// area, else to the right of everything.
fn placement(
    board: &stellwand_board::Board,
    at: &Placement,
    frame: Option<stellwand_board::ItemId>,
) -> (f64, f64) {
    if let (Some(x), Some(y)) = (at.x, at.y) {
        return (x, y);
    }
    let items = board.items();
    let (base_x, base_y, siblings) = match frame.and_then(|f| items.iter().find(|i| i.id == f)) {
        Some(frame) => (
            frame.x + 40.0,
            frame.y + 80.0,
            items.iter().filter(|i| i.parent == Some(frame.id)).count(),
        ),
        None => {
            let right = items
                .iter()
                .filter(|i| i.kind != ItemKind::Connector)
                .map(|i| i.x + i.w)
                .fold(f64::NEG_INFINITY, f64::max);
            let x = if right.is_finite() { right + 40.0 } else { 0.0 };
            (x, 0.0, 0)
        }
    };
    let column = (siblings % 3) as f64;
    let row = (siblings / 3) as f64;
    (
        at.x.unwrap_or(base_x + column * 224.0),
        at.y.unwrap_or(base_y + row * 174.0),
    )
}

fn frame(ctx: &Context_, cmd: FrameCommand) -> Result<()> {
    let lib = ctx.library();
    match cmd {
        FrameCommand::Add {
            board,
            title,
            at,
            width,
            height,
        } => {
            let meta = resolve::board(lib, &board)?;
            let mut session = ctx.open(&meta)?;
            let (x, y) = placement(session.board(), &at, None);
            let id = session.edit(lib, now(), |e| {
                e.create(NewItem::frame(x, y, width, height, title))
            })?;
            let item = session
                .board()
                .item(id)
                .context("the new frame is missing")?;
            ctx.print(serde_json::to_value(&item)?, || id.to_string())
        }
    }
}

fn revision(ctx: &mut Context_, cmd: RevisionCommand) -> Result<()> {
    let lib = ctx.library();
    match cmd {
        RevisionCommand::List { board } => {
            let meta = resolve::board(lib, &board)?;
            let revisions = lib.list_revisions(meta.id)?;
            let value = json!(revisions
                .iter()
                .map(|r| json!({"id": r.id.to_string(), "name": r.name, "created_at": r.created_at, "size": r.size}))
                .collect::<Vec<_>>());
            ctx.print(value, || {
                revisions
                    .iter()
                    .map(|r| format!("{}  {}", r.id, r.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        RevisionCommand::Create { board, name } => {
            let meta = resolve::board(lib, &board)?;
            let rev = ctx.workspace.create_revision(meta.id, &name, now())?;
            ctx.print(json!({"id": rev.id.to_string(), "name": rev.name}), || {
                format!("saved revision {:?} ({})", rev.name, rev.id)
            })
        }
        RevisionCommand::Restore { board, revision } => {
            let meta = resolve::board(lib, &board)?;
            let rev = resolve::revision(lib, meta.id, &revision)?;
            let mut session = ctx.open(&meta)?;
            let summary = session.restore_revision(lib, rev.id, now())?;
            ctx.print(
                json!({"revision": rev.id.to_string(), "created": summary.created, "changed": summary.changed, "deleted": summary.deleted}),
                || {
                    format!(
                        "restored {:?}: {} created, {} changed, {} removed (undo brings the newer state back)",
                        rev.name, summary.created, summary.changed, summary.deleted
                    )
                },
            )
        }
        RevisionCommand::Export {
            board,
            revision,
            output,
        } => {
            let meta = resolve::board(lib, &board)?;
            let rev = resolve::revision(lib, meta.id, &revision)?;
            let (items, title) = stellwand_library::session::revision_content(lib, rev.id)?;
            let json = BoardJson {
                format: stellwand_board::JSON_FORMAT.into(),
                version: stellwand_board::JSON_VERSION,
                title,
                items,
            };
            write_output(output.as_deref(), &json.to_string_pretty())
        }
    }
}
