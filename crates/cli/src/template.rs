//! `stellwand-cli template`: the templates new boards start from.

use crate::*;

#[derive(Subcommand, Debug)]
pub(crate) enum TemplateCommand {
    /// The shipped templates and the library's own.
    List,
    /// Save a board's layout and texts as a template of this library.
    Save { board: String, name: String },
    /// Delete one of the library's own templates.
    Delete { template: String },
}

pub(crate) fn template(ctx: &mut Invocation, cmd: TemplateCommand) -> Result<()> {
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
