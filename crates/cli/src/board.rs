//! `stellwand-cli board`: boards of the library: list, create, show, search,
//! rename, move, archive, trash, purge, compact.

use crate::*;

#[derive(Subcommand, Debug)]
pub(crate) enum BoardCommand {
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

pub(crate) fn board_json(meta: &BoardMeta) -> serde_json::Value {
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

/// Prints a list of boards with their folder and whether they are archived
/// or in the trash.
pub(crate) fn list_boards(ctx: &Invocation, boards: &[BoardMeta]) -> Result<()> {
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

pub(crate) fn board(ctx: &mut Invocation, cmd: BoardCommand) -> Result<()> {
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

pub(crate) fn item_line(item: &Item) -> String {
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
