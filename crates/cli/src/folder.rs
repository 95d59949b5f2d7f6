//! `stellwand-cli folder`: folders, one per working group (AG).

use crate::*;

#[derive(Subcommand, Debug)]
pub(crate) enum FolderCommand {
    /// List folders.
    List,
    /// Create a folder.
    Create { name: String },
    /// Rename a folder.
    Rename { folder: String, name: String },
    /// Delete an empty folder.
    Delete { folder: String },
}

pub(crate) fn folder(ctx: &Invocation, cmd: FolderCommand) -> Result<()> {
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
