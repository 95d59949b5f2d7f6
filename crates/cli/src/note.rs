//! `stellwand-cli note` and `frame`: sticky notes and frames on a board.

use crate::board::item_line;
use crate::*;

#[derive(Args, Debug)]
pub(crate) struct Placement {
    /// Position (board units).
    #[arg(long, allow_hyphen_values = true)]
    x: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    y: Option<f64>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum NoteCommand {
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
pub(crate) enum FrameCommand {
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

pub(crate) fn note(ctx: &Invocation, cmd: NoteCommand) -> Result<()> {
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
pub(crate) fn placement(
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

pub(crate) fn frame(ctx: &Invocation, cmd: FrameCommand) -> Result<()> {
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
