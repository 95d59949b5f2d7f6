//! Finding boards, folders, revisions and items from what a user typed: an id,
//! a unique id prefix, or a name.

use anyhow::{bail, Result};
use stellwand_board::{Board, ItemId, ItemKind};
use stellwand_store::{BoardFilter, BoardMeta, Folder, Library, RevisionMeta};

fn matches_id(id: &str, query: &str) -> bool {
    query.len() >= 4 && id.starts_with(&query.to_lowercase())
}

fn pick<T>(
    mut found: Vec<T>,
    what: &str,
    query: &str,
    describe: impl Fn(&T) -> String,
) -> Result<T> {
    match found.len() {
        0 => bail!("no {what} matches {query:?}"),
        1 => Ok(found.remove(0)),
        _ => bail!(
            "{query:?} matches several {what}s: {}; use the id",
            found.iter().map(describe).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn find_board(library: &Library, query: &str, filter: &BoardFilter) -> Result<BoardMeta> {
    let boards = library.list_boards(filter)?;
    if let Some(exact) = boards
        .iter()
        .find(|b| b.id.to_string() == query.to_lowercase())
    {
        return Ok(exact.clone());
    }
    let by_title: Vec<BoardMeta> = boards
        .iter()
        .filter(|b| b.title == query)
        .cloned()
        .collect();
    if !by_title.is_empty() {
        return pick(by_title, "board", query, |b| b.id.to_string());
    }
    let by_id: Vec<BoardMeta> = boards
        .into_iter()
        .filter(|b| matches_id(&b.id.to_string(), query))
        .collect();
    pick(by_id, "board", query, |b| format!("{} ({})", b.title, b.id))
}

/// A board that is neither archived nor in the trash... or archived: any live board.
pub fn board(library: &Library, query: &str) -> Result<BoardMeta> {
    find_board(
        library,
        query,
        &BoardFilter {
            include_archived: true,
            ..BoardFilter::default()
        },
    )
}

/// Any board, including those in the trash.
pub fn board_any(library: &Library, query: &str) -> Result<BoardMeta> {
    find_board(library, query, &BoardFilter::everything())
}

pub fn folder(library: &Library, query: &str) -> Result<Folder> {
    let folders = library.list_folders()?;
    let found: Vec<Folder> = folders
        .into_iter()
        .filter(|f| {
            f.name == query
                || f.id.to_string() == query.to_lowercase()
                || matches_id(&f.id.to_string(), query)
        })
        .collect();
    pick(found, "folder", query, |f| format!("{} ({})", f.name, f.id))
}

pub fn revision(
    library: &Library,
    board: stellwand_store::BoardId,
    query: &str,
) -> Result<RevisionMeta> {
    let revisions = library.list_revisions(board)?;
    let exact: Vec<RevisionMeta> = revisions
        .iter()
        .filter(|r| r.name == query)
        .cloned()
        .collect();
    if !exact.is_empty() {
        // The newest of several revisions with one name.
        return exact
            .into_iter()
            .max_by_key(|r| r.created_at)
            .ok_or_else(|| anyhow::anyhow!("no revision matches {query:?}"));
    }
    let found = revisions
        .into_iter()
        .filter(|r| {
            r.id.to_string() == query.to_lowercase() || matches_id(&r.id.to_string(), query)
        })
        .collect();
    pick(found, "revision", query, |r| {
        format!("{} ({})", r.name, r.id)
    })
}

pub fn item(board: &Board, query: &str) -> Result<ItemId> {
    let found: Vec<ItemId> = board
        .items()
        .into_iter()
        .filter(|i| {
            i.id.to_string() == query.to_lowercase() || matches_id(&i.id.to_string(), query)
        })
        .map(|i| i.id)
        .collect();
    pick(found, "item", query, ToString::to_string)
}

pub fn frame(board: &Board, query: &str) -> Result<ItemId> {
    let frames: Vec<_> = board
        .items()
        .into_iter()
        .filter(|i| i.kind == ItemKind::Frame)
        .collect();
    let by_title: Vec<ItemId> = frames
        .iter()
        .filter(|f| f.text == query)
        .map(|f| f.id)
        .collect();
    if !by_title.is_empty() {
        return pick(by_title, "frame", query, ToString::to_string);
    }
    let by_id = frames
        .iter()
        .filter(|f| {
            f.id.to_string() == query.to_lowercase() || matches_id(&f.id.to_string(), query)
        })
        .map(|f| f.id)
        .collect();
    pick(by_id, "frame", query, ToString::to_string)
}
