//! `export`, `export-folder` and `import`: glue between the library and
//! stellwand-export.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;
use stellwand_export::import::{parse_canvas, parse_csv, parse_text, Column, CsvImport};
use stellwand_export::library::{folder_boards, library_board};
use stellwand_export::{
    export, export_collection, german_date, write_file, Collection, DocumentOptions, ExportBoard,
    Format, ImageOptions,
};
use stellwand_store::BoardMeta;

use crate::{now, read_text, resolve, Invocation};

/// `stellwand-cli export BOARD --format ... [-o FILE] [--frame FRAME]`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Board id or title.
    board: String,
    /// Output format: docx, pdf, md, csv, xlsx, png, svg, canvas (JSON Canvas) or
    /// json (every item with every field, see docs/schema.md).
    #[arg(long, default_value = "json", value_parser = ["docx", "pdf", "md", "csv", "xlsx", "png", "svg", "canvas", "json"])]
    format: String,
    /// Output file [default: standard output, for text formats].
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Only this frame (id or title).
    #[arg(long)]
    frame: Option<String>,
    /// PNG: pixels per board unit (1 = 100 % zoom).
    #[arg(long, default_value_t = 1.0)]
    scale: f32,
    /// Documents: leave out the image of the board.
    #[arg(long)]
    no_image: bool,
}

/// `stellwand-cli export-folder FOLDER --format docx|pdf|md -o FILE`.
#[derive(Args, Debug)]
pub struct ExportFolderArgs {
    /// Folder (AG) name or id; omit it with --boards.
    folder: Option<String>,
    /// Instead of a folder: these boards (ids or titles, comma-separated), in this order.
    #[arg(long, value_delimiter = ',', conflicts_with = "folder")]
    boards: Vec<String>,
    /// Output format.
    #[arg(long, value_parser = ["docx", "pdf", "md"])]
    format: String,
    /// Output file.
    #[arg(short, long)]
    output: PathBuf,
    /// Document title [default: the folder name].
    #[arg(long)]
    title: Option<String>,
    /// Leave out the images of the boards.
    #[arg(long)]
    no_image: bool,
}

/// `stellwand-cli import BOARD FILE --format csv|canvas|text`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Board id or title.
    board: String,
    /// The file; `-` reads standard input.
    file: PathBuf,
    /// What the file is.
    #[arg(long, value_parser = ["csv", "canvas", "text"])]
    format: String,
    /// CSV: the column with the note text (header name or 1-based number).
    #[arg(long)]
    column: Option<String>,
    /// CSV: the column with the colour.
    #[arg(long)]
    color_column: Option<String>,
    /// CSV: the column with tags (separated by , or ;).
    #[arg(long)]
    tags_column: Option<String>,
    /// CSV: the column with the author's name.
    #[arg(long)]
    author_column: Option<String>,
    /// CSV: the first row is data, not column names.
    #[arg(long)]
    no_header: bool,
    /// Put everything into a new frame with this title.
    #[arg(long)]
    frame: Option<String>,
}

fn options(no_image: bool) -> DocumentOptions {
    DocumentOptions {
        image: !no_image,
        created_at: now(),
        ..DocumentOptions::default()
    }
}

/// The board with what the library knows about it: folder name, date of the last change.
fn export_board(ctx: &Invocation, meta: &BoardMeta) -> Result<ExportBoard> {
    let session = ctx.open(meta)?;
    library_board(ctx.library(), meta, session.board())
        .with_context(|| format!("cannot read the folder of board {:?}", meta.title))
}

fn write(output: Option<&Path>, bytes: &[u8], format: Format) -> Result<()> {
    match output {
        Some(path) if path != Path::new("-") => {
            write_file(path, bytes).with_context(|| format!("cannot export to {}", path.display()))
        }
        _ if matches!(
            format,
            Format::Docx | Format::Pdf | Format::Xlsx | Format::Png
        ) =>
        {
            bail!(
                "{} is a binary format; name a file with -o",
                format.extension()
            )
        }
        _ => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            if !bytes.ends_with(b"\n") {
                out.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

pub fn board(ctx: &Invocation, args: ExportArgs) -> Result<()> {
    let format =
        Format::parse(&args.format).with_context(|| format!("unknown format {:?}", args.format))?;
    let meta = resolve::board(ctx.library(), &args.board)?;
    let mut board = export_board(ctx, &meta)?;
    if let Some(frame) = &args.frame {
        let frame = board.find_frame(frame)?;
        board = board.only_frame(frame)?;
    }
    let image = ImageOptions {
        scale: args.scale,
        ..ImageOptions::default()
    };
    let bytes = export(&board, format, &options(args.no_image), &image)
        .with_context(|| format!("cannot export {:?} as {}", meta.title, format.extension()))?;
    write(args.output.as_deref(), &bytes, format)?;
    if let Some(path) = &args.output {
        if ctx.json {
            ctx.print(
                json!({"board": meta.id.to_string(), "file": path, "bytes": bytes.len()}),
                String::new,
            )?;
        } else {
            eprintln!(
                "exported {:?} to {} ({} bytes)",
                meta.title,
                path.display(),
                bytes.len()
            );
        }
    }
    Ok(())
}

pub fn folder(ctx: &Invocation, args: ExportFolderArgs) -> Result<()> {
    let format =
        Format::parse(&args.format).with_context(|| format!("unknown format {:?}", args.format))?;
    let (title, metas) = match (&args.folder, args.boards.is_empty()) {
        (Some(folder), true) => {
            let folder = resolve::folder(ctx.library(), folder)?;
            (folder.name, folder_boards(ctx.library(), folder.id)?)
        }
        (None, false) => {
            let boards = args
                .boards
                .iter()
                .map(|b| resolve::board(ctx.library(), b.trim()))
                .collect::<Result<Vec<_>>>()?;
            ("Ergebnisse".to_owned(), boards)
        }
        _ => bail!("name a folder or --boards A,B"),
    };
    if metas.is_empty() {
        bail!("{title:?} has no boards to export");
    }
    let boards = metas
        .iter()
        .map(|meta| export_board(ctx, meta))
        .collect::<Result<Vec<_>>>()?;
    let collection = Collection {
        title: args.title.clone().unwrap_or(title),
        date: german_date(now()),
        boards,
    };
    let bytes = export_collection(&collection, format, &options(args.no_image))
        .with_context(|| format!("cannot export {:?}", collection.title))?;
    write_file(&args.output, &bytes)
        .with_context(|| format!("cannot export to {}", args.output.display()))?;
    ctx.print(
        json!({"boards": metas.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(), "file": args.output, "bytes": bytes.len()}),
        || format!("exported {} boards to {} ({} bytes)", metas.len(), args.output.display(), bytes.len()),
    )
}

pub fn import(ctx: &Invocation, args: ImportArgs) -> Result<()> {
    let meta = resolve::board(ctx.library(), &args.board)?;
    let bytes = if args.file == Path::new("-") {
        read_text(&args.file)?.into_bytes()
    } else {
        std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let column = |c: &Option<String>| c.as_deref().map(Column::parse);
    let plan = match args.format.as_str() {
        "csv" => parse_csv(
            &bytes,
            &CsvImport {
                text: column(&args.column),
                color: column(&args.color_column),
                tags: column(&args.tags_column),
                author: column(&args.author_column),
                no_header: args.no_header,
                no_detect: false,
            },
        ),
        "canvas" => parse_canvas(&bytes),
        _ => parse_text(&bytes),
    }
    .with_context(|| format!("nothing was imported from {}", args.file.display()))?;
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
    let mut session = ctx.open(&meta)?;
    let summary = session.edit(ctx.library(), now(), |e| {
        plan.apply(e, args.frame.as_deref())
    })?;
    ctx.print(
        json!({
            "board": meta.id.to_string(),
            "frame": summary.frame.map(|f| f.to_string()),
            "notes": summary.notes,
            "frames": summary.frames,
            "connectors": summary.connectors,
        }),
        || {
            format!(
                "imported {} notes, {} frames and {} connectors into {:?}",
                summary.notes.len(),
                summary.frames.len(),
                summary.connectors.len(),
                meta.title
            )
        },
    )
}
