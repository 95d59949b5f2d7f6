//! `stellwand-cli revision`: named revisions of a board.

use crate::*;

#[derive(Subcommand, Debug)]
pub(crate) enum RevisionCommand {
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

pub(crate) fn revision(ctx: &mut Invocation, cmd: RevisionCommand) -> Result<()> {
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
