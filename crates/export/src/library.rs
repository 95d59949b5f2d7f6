//! Boards of the user's library as export input. The command line and the
//! desktop app both call these, so a board exported from either carries the
//! same title, AG folder and date, and a folder document lists its boards in
//! the same order.

use stellwand_board::Board;
use stellwand_store::{BoardFilter, BoardMeta, FolderId, Library};

use crate::{german_date, ExportBoard};

/// `board` with what the library knows about it: the library's title when
/// the board document has none, the name of its AG folder, and the date of
/// its last change.
///
/// # Errors
/// A database error while reading the folders.
pub fn library_board(
    library: &Library,
    meta: &BoardMeta,
    board: &Board,
) -> stellwand_store::Result<ExportBoard> {
    let mut export = ExportBoard::from_board(board).with_date(german_date(meta.updated_at));
    if export.title.trim().is_empty() {
        export.title = meta.title.clone();
    }
    if let Some(folder) = meta.folder {
        // A folder deleted in the meantime leaves the board without an AG line.
        if let Some(folder) = library.list_folders()?.into_iter().find(|f| f.id == folder) {
            export.folder = Some(folder.name);
        }
    }
    Ok(export)
}

/// The boards of an AG folder in the order a folder document lists them: the
/// oldest first, boards created at the same moment by title. Archived and
/// trashed boards are left out, as on the start screen.
///
/// # Errors
/// A database error.
pub fn folder_boards(
    library: &Library,
    folder: FolderId,
) -> stellwand_store::Result<Vec<BoardMeta>> {
    let mut boards = library.list_boards(&BoardFilter::in_folder(folder))?;
    boards.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.title.cmp(&b.title)));
    Ok(boards)
}

#[cfg(test)]
mod tests {
    use stellwand_board::Author;
    use stellwand_library::BoardSession;

    use super::*;

    fn author() -> Author {
        Author {
            id: "test".into(),
            name: "Test".into(),
        }
    }

    #[test]
    fn a_board_carries_its_folder_name_and_the_date_of_its_last_change() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let folder = library.create_folder("AG Technik", 0).unwrap();
        let meta = library
            .create_board("Sitzung 4", Some(folder.id), 1_795_795_200_000)
            .unwrap();
        let session = BoardSession::open(&library, meta.id, author()).unwrap();
        let board = library_board(&library, &meta, session.board()).unwrap();
        assert_eq!(board.title, "Sitzung 4");
        assert_eq!(board.folder.as_deref(), Some("AG Technik"));
        assert_eq!(board.date, "27.11.2026");
        assert!(board.items.is_empty());
    }

    #[test]
    fn folder_boards_are_listed_oldest_first_without_archived_ones() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let folder = library.create_folder("AG Soziales", 0).unwrap();
        let other = library.create_folder("AG Technik", 0).unwrap();
        library.create_board("Zweite", Some(folder.id), 20).unwrap();
        library.create_board("Erste", Some(folder.id), 10).unwrap();
        library
            .create_board("Auch zweite", Some(folder.id), 20)
            .unwrap();
        let archived = library.create_board("Alt", Some(folder.id), 5).unwrap();
        library.archive_board(archived.id, 30).unwrap();
        library.create_board("Fremd", Some(other.id), 1).unwrap();
        let titles: Vec<String> = folder_boards(&library, folder.id)
            .unwrap()
            .into_iter()
            .map(|b| b.title)
            .collect();
        assert_eq!(titles, ["Erste", "Auch zweite", "Zweite"]);
    }
}
