//! The SQLite engine behind the application layer: [`Library`] implements
//! the storage traits of `stellwand-library`, each method by the inherent
//! one of the same name (so code holding a `Library` keeps its richer
//! results and errors, and the application layer sees only the traits).

use std::path::Path;

use stellwand_library::storage::{BoardFiles, BoardLog, Catalogue, Settings};
use stellwand_library::{OpenStorage, Result};

use crate::error::Error;
use crate::{BoardFilter, BoardId, BoardMeta, Folder, FolderId, Library, LoadedBoard};
use crate::{RevisionId, RevisionMeta};

impl From<Error> for stellwand_library::Error {
    /// Expected conditions keep their meaning across the seam; what only
    /// SQLite knows travels whole as [`stellwand_library::Error::Storage`].
    fn from(error: Error) -> Self {
        use stellwand_library::Error as App;
        match error {
            Error::Io { path, source } => App::Io { path, source },
            Error::ReadOnly { path } => App::ReadOnly {
                location: path.display().to_string(),
            },
            Error::Corrupt { path, reason } => App::Corrupt {
                location: path.display().to_string(),
                reason,
            },
            Error::IncompatibleSchema { found, supported } => {
                App::IncompatibleSchema { found, supported }
            }
            Error::NotABoardFile { path, reason } => App::NotABoardFile { path, reason },
            Error::BoardNotFound { board } => App::BoardNotFound { board },
            Error::FolderNotFound { folder } => App::FolderNotFound { folder },
            Error::RevisionNotFound { revision } => App::RevisionNotFound { revision },
            Error::FolderExists { name } => App::FolderExists { name },
            Error::FolderNotEmpty { folder, boards } => App::FolderNotEmpty { folder, boards },
            Error::NotInTrash { board } => App::NotInTrash { board },
            Error::EmptyName { what } => App::EmptyName { what },
            Error::Board(error) => App::Board(error),
            Error::InvalidData(reason) => App::InvalidData(reason),
            other => App::Storage(Box::new(other)),
        }
    }
}

impl OpenStorage for Library {
    /// The library directory.
    type Location = Path;

    fn open_storage(dir: &Path) -> Result<Self> {
        Ok(Library::open(dir)?)
    }
}

impl BoardLog for Library {
    fn load_board(&self, board: BoardId) -> Result<LoadedBoard> {
        Ok(Library::load_board(self, board)?)
    }

    fn append_updates(&self, board: BoardId, updates: &[Vec<u8>], now: i64) -> Result<u64> {
        Ok(Library::append_updates(self, board, updates, now)?)
    }

    fn compact(&self, board: BoardId, now: i64) -> Result<u64> {
        let report = Library::compact(self, board, now)?;
        Ok(u64::try_from(report.applied).unwrap_or(u64::MAX))
    }
}

impl Settings for Library {
    fn get_setting(&self, key: &str) -> Result<Option<String>> {
        Ok(Library::get_setting(self, key)?)
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        Ok(Library::set_setting(self, key, value)?)
    }

    fn setting_or_insert(&self, key: &str, value: &str) -> Result<String> {
        Ok(Library::setting_or_insert(self, key, value)?)
    }

    fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        Ok(Library::settings_with_prefix(self, prefix)?)
    }

    fn remove_setting(&self, key: &str) -> Result<bool> {
        Ok(Library::remove_setting(self, key)?)
    }
}

impl Catalogue for Library {
    fn create_board(&self, title: &str, folder: Option<FolderId>, now: i64) -> Result<BoardMeta> {
        Ok(Library::create_board(self, title, folder, now)?)
    }

    fn ensure_board(
        &self,
        id: BoardId,
        title: &str,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<(BoardMeta, bool)> {
        Ok(Library::ensure_board(self, id, title, folder, now)?)
    }

    fn board(&self, board: BoardId) -> Result<BoardMeta> {
        Ok(Library::board(self, board)?)
    }

    fn list_boards(&self, filter: &BoardFilter) -> Result<Vec<BoardMeta>> {
        Ok(Library::list_boards(self, filter)?)
    }

    fn list_trash(&self) -> Result<Vec<BoardMeta>> {
        Ok(Library::list_trash(self)?)
    }

    fn search_boards(&self, query: &str) -> Result<Vec<BoardMeta>> {
        Ok(Library::search_boards(self, query)?)
    }

    fn rename_board(&self, board: BoardId, title: &str, now: i64) -> Result<BoardMeta> {
        Ok(Library::rename_board(self, board, title, now)?)
    }

    fn move_board(&self, board: BoardId, folder: Option<FolderId>, now: i64) -> Result<BoardMeta> {
        Ok(Library::move_board(self, board, folder, now)?)
    }

    fn archive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        Ok(Library::archive_board(self, board, now)?)
    }

    fn unarchive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        Ok(Library::unarchive_board(self, board, now)?)
    }

    fn trash_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        Ok(Library::trash_board(self, board, now)?)
    }

    fn restore_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        Ok(Library::restore_board(self, board, now)?)
    }

    fn purge_board(&self, board: BoardId) -> Result<()> {
        Ok(Library::purge_board(self, board)?)
    }

    fn mark_opened(&self, board: BoardId, now: i64) -> Result<()> {
        Ok(Library::mark_opened(self, board, now)?)
    }

    fn recent_boards(&self, limit: usize) -> Result<Vec<BoardMeta>> {
        Ok(Library::recent_boards(self, limit)?)
    }

    fn set_preview(&self, board: BoardId, svg: &str, now: i64) -> Result<()> {
        Ok(Library::set_preview(self, board, svg, now)?)
    }

    fn preview(&self, board: BoardId) -> Result<Option<String>> {
        Ok(Library::preview(self, board)?)
    }

    fn create_folder(&self, name: &str, now: i64) -> Result<Folder> {
        Ok(Library::create_folder(self, name, now)?)
    }

    fn list_folders(&self) -> Result<Vec<Folder>> {
        Ok(Library::list_folders(self)?)
    }

    fn folder(&self, folder: FolderId) -> Result<Folder> {
        Ok(Library::folder(self, folder)?)
    }

    fn folder_by_name(&self, name: &str) -> Result<Option<Folder>> {
        Ok(Library::folder_by_name(self, name)?)
    }

    fn rename_folder(&self, folder: FolderId, name: &str) -> Result<Folder> {
        Ok(Library::rename_folder(self, folder, name)?)
    }

    fn delete_folder(&self, folder: FolderId) -> Result<()> {
        Ok(Library::delete_folder(self, folder)?)
    }

    fn create_revision(
        &self,
        board: BoardId,
        name: &str,
        state: &[u8],
        now: i64,
    ) -> Result<RevisionMeta> {
        Ok(Library::create_revision(self, board, name, state, now)?)
    }

    fn list_revisions(&self, board: BoardId) -> Result<Vec<RevisionMeta>> {
        Ok(Library::list_revisions(self, board)?)
    }

    fn revision(&self, revision: RevisionId) -> Result<RevisionMeta> {
        Ok(Library::revision(self, revision)?)
    }

    fn revision_state(&self, revision: RevisionId) -> Result<Vec<u8>> {
        Ok(Library::revision_state(self, revision)?)
    }

    fn rename_revision(&self, revision: RevisionId, name: &str) -> Result<RevisionMeta> {
        Ok(Library::rename_revision(self, revision, name)?)
    }

    fn delete_revision(&self, revision: RevisionId) -> Result<()> {
        Ok(Library::delete_revision(self, revision)?)
    }
}

impl BoardFiles for Library {
    fn export_board_file(&self, board: BoardId, path: &Path, now: i64) -> Result<u64> {
        Ok(Library::export_board_file(self, board, path, now)?.bytes)
    }

    fn import_board_file(&self, path: &Path, now: i64) -> Result<BoardMeta> {
        Ok(Library::import_board_file(self, path, now)?.board)
    }
}
