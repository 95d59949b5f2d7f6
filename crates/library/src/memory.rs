//! A complete storage engine in memory: what the application layer's tests
//! run on, and the proof that the layer needs nothing of SQLite.
//!
//! Clones share one library, as two processes opening the same database
//! would; dropping the last clone forgets it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use stellwand_board::{Author, Board};

use crate::catalogue::{clean_name, titles_matching, BoardFilter, BoardMeta, Folder, RevisionMeta};
use crate::error::{Error, Result};
use crate::ids::{BoardId, FolderId, RevisionId};
use crate::storage::{BoardLog, Catalogue, LoadedBoard, LogEntry, Settings};

/// A library held in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    boards: HashMap<BoardId, StoredBoard>,
    folders: HashMap<FolderId, Folder>,
    revisions: HashMap<RevisionId, (RevisionMeta, Vec<u8>)>,
    settings: BTreeMap<String, String>,
    /// The last seq handed out; seqs are unique across the library.
    seq: u64,
}

#[derive(Debug)]
struct StoredBoard {
    meta: BoardMeta,
    snapshot: Option<Vec<u8>>,
    log: Vec<LogEntry>,
    preview: Option<String>,
}

impl MemoryStorage {
    /// An empty library.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere cannot leave a half-written record behind: every
        // method changes the maps only after all its checks passed.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    fn board_mut(&mut self, board: BoardId) -> Result<&mut StoredBoard> {
        self.boards
            .get_mut(&board)
            .ok_or(Error::BoardNotFound { board })
    }

    fn check_folder(&self, folder: Option<FolderId>) -> Result<()> {
        match folder {
            Some(folder) if !self.folders.contains_key(&folder) => {
                Err(Error::FolderNotFound { folder })
            }
            _ => Ok(()),
        }
    }

    fn name_taken(&self, name: &str, except: Option<FolderId>) -> bool {
        self.folders
            .values()
            .any(|f| Some(f.id) != except && f.name.eq_ignore_ascii_case(name))
    }

    fn insert_board(&mut self, meta: BoardMeta) {
        self.boards.insert(
            meta.id,
            StoredBoard {
                meta,
                snapshot: None,
                log: Vec::new(),
                preview: None,
            },
        );
    }

    /// Changes a board's metadata and moves `updated_at` forward to `now`.
    fn update(
        &mut self,
        board: BoardId,
        now: i64,
        change: impl FnOnce(&mut BoardMeta),
    ) -> Result<BoardMeta> {
        let stored = self.board_mut(board)?;
        change(&mut stored.meta);
        stored.meta.updated_at = stored.meta.updated_at.max(now);
        Ok(stored.meta.clone())
    }

    fn revision(&self, revision: RevisionId) -> Result<&(RevisionMeta, Vec<u8>)> {
        self.revisions
            .get(&revision)
            .ok_or(Error::RevisionNotFound { revision })
    }
}

/// Most recently changed first, then by title and id, as SQLite sorts.
fn sorted(mut boards: Vec<BoardMeta>, key: impl Fn(&BoardMeta) -> i64) -> Vec<BoardMeta> {
    boards.sort_by(|a, b| {
        key(b)
            .cmp(&key(a))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });
    boards
}

impl BoardLog for MemoryStorage {
    fn load_board(&self, board: BoardId) -> Result<LoadedBoard> {
        let inner = self.lock();
        let stored = inner
            .boards
            .get(&board)
            .ok_or(Error::BoardNotFound { board })?;
        Ok(LoadedBoard {
            snapshot: stored.snapshot.clone(),
            updates: stored.log.clone(),
        })
    }

    fn append_updates(&self, board: BoardId, updates: &[Vec<u8>], now: i64) -> Result<u64> {
        let mut inner = self.lock();
        let mut seq = inner.seq;
        let stored = inner.board_mut(board)?;
        stored.meta.updated_at = stored.meta.updated_at.max(now);
        for update in updates {
            seq += 1;
            stored.log.push(LogEntry {
                seq,
                data: update.clone(),
            });
        }
        let last = stored.log.last().map_or(0, |e| e.seq);
        inner.seq = seq;
        Ok(last)
    }

    fn compact(&self, board: BoardId, _now: i64) -> Result<u64> {
        let mut inner = self.lock();
        let stored = inner.board_mut(board)?;
        if stored.log.is_empty() {
            return Ok(0);
        }
        let sources = stored
            .snapshot
            .iter()
            .map(Vec::as_slice)
            .chain(stored.log.iter().map(|e| e.data.as_slice()));
        let (rebuilt, problems) = Board::load(Author::default(), sources);
        let offset = usize::from(stored.snapshot.is_some());
        if problems.iter().any(|(index, _)| *index < offset) {
            return Err(Error::InvalidData(format!(
                "the saved state of board {board} cannot be read"
            )));
        }
        // Entries that do not decode stay in the log, as SQLite keeps them.
        let kept: Vec<LogEntry> = problems
            .iter()
            .filter_map(|(index, _)| stored.log.get(index - offset).cloned())
            .collect();
        let folded = stored.log.len() - kept.len();
        stored.snapshot = Some(rebuilt.encode_state());
        stored.log = kept;
        Ok(u64::try_from(folded).unwrap_or(u64::MAX))
    }
}

impl Settings for MemoryStorage {
    fn get_setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.lock().settings.get(key).cloned())
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.lock()
            .settings
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn setting_or_insert(&self, key: &str, value: &str) -> Result<String> {
        Ok(self
            .lock()
            .settings
            .entry(key.to_owned())
            .or_insert_with(|| value.to_owned())
            .clone())
    }

    fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        Ok(self
            .lock()
            .settings
            .range(prefix.to_owned()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn remove_setting(&self, key: &str) -> Result<bool> {
        Ok(self.lock().settings.remove(key).is_some())
    }
}

impl Catalogue for MemoryStorage {
    fn create_board(&self, title: &str, folder: Option<FolderId>, now: i64) -> Result<BoardMeta> {
        let title = clean_name(title, "board title")?;
        let mut inner = self.lock();
        inner.check_folder(folder)?;
        let meta = BoardMeta {
            id: BoardId::new(),
            title,
            folder,
            created_at: now,
            updated_at: now,
            archived: false,
            deleted_at: None,
            opened_at: None,
        };
        inner.insert_board(meta.clone());
        Ok(meta)
    }

    fn ensure_board(
        &self,
        id: BoardId,
        title: &str,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<(BoardMeta, bool)> {
        let title = clean_name(title, "board title")?;
        let mut inner = self.lock();
        if let Some(stored) = inner.boards.get(&id) {
            return Ok((stored.meta.clone(), false));
        }
        inner.check_folder(folder)?;
        let meta = BoardMeta {
            id,
            title,
            folder,
            created_at: now,
            updated_at: now,
            archived: false,
            deleted_at: None,
            opened_at: None,
        };
        inner.insert_board(meta.clone());
        Ok((meta, true))
    }

    fn board(&self, board: BoardId) -> Result<BoardMeta> {
        self.lock()
            .boards
            .get(&board)
            .map(|b| b.meta.clone())
            .ok_or(Error::BoardNotFound { board })
    }

    fn list_boards(&self, filter: &BoardFilter) -> Result<Vec<BoardMeta>> {
        let inner = self.lock();
        let boards = inner
            .boards
            .values()
            .map(|b| &b.meta)
            .filter(|meta| filter.matches(meta))
            .cloned()
            .collect();
        Ok(sorted(boards, |m| m.updated_at))
    }

    fn list_trash(&self) -> Result<Vec<BoardMeta>> {
        let inner = self.lock();
        let boards = inner
            .boards
            .values()
            .map(|b| &b.meta)
            .filter(|meta| meta.is_trashed())
            .cloned()
            .collect();
        Ok(sorted(boards, |m| m.deleted_at.unwrap_or(0)))
    }

    fn search_boards(&self, query: &str) -> Result<Vec<BoardMeta>> {
        if query.trim().is_empty() {
            return Ok(Vec::new());
        }
        let all = self.list_boards(&BoardFilter {
            include_archived: true,
            ..BoardFilter::default()
        })?;
        Ok(titles_matching(all, query))
    }

    fn rename_board(&self, board: BoardId, title: &str, now: i64) -> Result<BoardMeta> {
        let title = clean_name(title, "board title")?;
        self.lock().update(board, now, |m| m.title = title)
    }

    fn move_board(&self, board: BoardId, folder: Option<FolderId>, now: i64) -> Result<BoardMeta> {
        let mut inner = self.lock();
        inner.check_folder(folder)?;
        inner.update(board, now, |m| m.folder = folder)
    }

    fn archive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.lock().update(board, now, |m| m.archived = true)
    }

    fn unarchive_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.lock().update(board, now, |m| m.archived = false)
    }

    fn trash_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.lock()
            .update(board, now, |m| m.deleted_at = m.deleted_at.or(Some(now)))
    }

    fn restore_board(&self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.lock().update(board, now, |m| m.deleted_at = None)
    }

    fn purge_board(&self, board: BoardId) -> Result<()> {
        let mut inner = self.lock();
        if !inner.board_mut(board)?.meta.is_trashed() {
            return Err(Error::NotInTrash { board });
        }
        inner.boards.remove(&board);
        inner.revisions.retain(|_, (meta, _)| meta.board != board);
        Ok(())
    }

    fn mark_opened(&self, board: BoardId, now: i64) -> Result<()> {
        self.lock().board_mut(board)?.meta.opened_at = Some(now);
        Ok(())
    }

    fn recent_boards(&self, limit: usize) -> Result<Vec<BoardMeta>> {
        let inner = self.lock();
        let mut boards: Vec<BoardMeta> = inner
            .boards
            .values()
            .map(|b| &b.meta)
            .filter(|m| m.opened_at.is_some() && !m.is_trashed())
            .cloned()
            .collect();
        boards.sort_by(|a, b| b.opened_at.cmp(&a.opened_at).then(a.id.cmp(&b.id)));
        boards.truncate(limit);
        Ok(boards)
    }

    fn set_preview(&self, board: BoardId, svg: &str, _now: i64) -> Result<()> {
        self.lock().board_mut(board)?.preview = Some(svg.to_owned());
        Ok(())
    }

    fn preview(&self, board: BoardId) -> Result<Option<String>> {
        Ok(self
            .lock()
            .boards
            .get(&board)
            .and_then(|b| b.preview.clone()))
    }

    fn create_folder(&self, name: &str, now: i64) -> Result<Folder> {
        let name = clean_name(name, "folder name")?;
        let mut inner = self.lock();
        if inner.name_taken(&name, None) {
            return Err(Error::FolderExists { name });
        }
        let folder = Folder {
            id: FolderId::new(),
            name,
            created_at: now,
        };
        inner.folders.insert(folder.id, folder.clone());
        Ok(folder)
    }

    fn list_folders(&self) -> Result<Vec<Folder>> {
        let mut folders: Vec<Folder> = self.lock().folders.values().cloned().collect();
        folders.sort_by(|a, b| {
            a.name
                .to_ascii_lowercase()
                .cmp(&b.name.to_ascii_lowercase())
                .then(a.id.cmp(&b.id))
        });
        Ok(folders)
    }

    fn folder(&self, folder: FolderId) -> Result<Folder> {
        self.lock()
            .folders
            .get(&folder)
            .cloned()
            .ok_or(Error::FolderNotFound { folder })
    }

    fn folder_by_name(&self, name: &str) -> Result<Option<Folder>> {
        let name = name.trim();
        Ok(self
            .lock()
            .folders
            .values()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .cloned())
    }

    fn rename_folder(&self, folder: FolderId, name: &str) -> Result<Folder> {
        let name = clean_name(name, "folder name")?;
        let mut inner = self.lock();
        if inner.name_taken(&name, Some(folder)) {
            return Err(Error::FolderExists { name });
        }
        let stored = inner
            .folders
            .get_mut(&folder)
            .ok_or(Error::FolderNotFound { folder })?;
        stored.name = name;
        Ok(stored.clone())
    }

    fn delete_folder(&self, folder: FolderId) -> Result<()> {
        let mut inner = self.lock();
        if !inner.folders.contains_key(&folder) {
            return Err(Error::FolderNotFound { folder });
        }
        let boards = inner
            .boards
            .values()
            .filter(|b| b.meta.folder == Some(folder))
            .count();
        if boards > 0 {
            return Err(Error::FolderNotEmpty {
                folder,
                boards: u64::try_from(boards).unwrap_or(u64::MAX),
            });
        }
        inner.folders.remove(&folder);
        Ok(())
    }

    fn create_revision(
        &self,
        board: BoardId,
        name: &str,
        state: &[u8],
        now: i64,
    ) -> Result<RevisionMeta> {
        let name = clean_name(name, "revision name")?;
        let mut inner = self.lock();
        inner.board_mut(board)?;
        let meta = RevisionMeta {
            id: RevisionId::new(),
            board,
            name,
            created_at: now,
            size: u64::try_from(state.len()).unwrap_or(u64::MAX),
        };
        inner
            .revisions
            .insert(meta.id, (meta.clone(), state.to_vec()));
        Ok(meta)
    }

    fn list_revisions(&self, board: BoardId) -> Result<Vec<RevisionMeta>> {
        let inner = self.lock();
        if !inner.boards.contains_key(&board) {
            return Err(Error::BoardNotFound { board });
        }
        let mut list: Vec<RevisionMeta> = inner
            .revisions
            .values()
            .filter(|(meta, _)| meta.board == board)
            .map(|(meta, _)| meta.clone())
            .collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(list)
    }

    fn revision(&self, revision: RevisionId) -> Result<RevisionMeta> {
        Ok(self.lock().revision(revision)?.0.clone())
    }

    fn revision_state(&self, revision: RevisionId) -> Result<Vec<u8>> {
        Ok(self.lock().revision(revision)?.1.clone())
    }

    fn rename_revision(&self, revision: RevisionId, name: &str) -> Result<RevisionMeta> {
        let name = clean_name(name, "revision name")?;
        let mut inner = self.lock();
        let (meta, _) = inner
            .revisions
            .get_mut(&revision)
            .ok_or(Error::RevisionNotFound { revision })?;
        meta.name = name;
        Ok(meta.clone())
    }

    fn delete_revision(&self, revision: RevisionId) -> Result<()> {
        self.lock()
            .revisions
            .remove(&revision)
            .map(|_| ())
            .ok_or(Error::RevisionNotFound { revision })
    }
}

#[cfg(test)]
mod tests {
    //! The storage conformance suite on the memory engine; `stellwand-store`
    //! runs the same suite on SQLite.
    use super::MemoryStorage;
    use crate::conformance::Engine;

    /// One library in memory; every open is a clone sharing it.
    struct Memory(MemoryStorage);

    impl Engine for Memory {
        type Storage = MemoryStorage;

        fn open(&self) -> MemoryStorage {
            self.0.clone()
        }
    }

    crate::storage_conformance_tests!(Memory(MemoryStorage::new()));

    /// An engine that loses everything when a library is opened again: the
    /// suite's persistence checks must notice (a suite that passes on it
    /// would prove nothing about SQLite or PostgreSQL).
    struct Forgetful;

    impl Engine for Forgetful {
        type Storage = MemoryStorage;

        fn open(&self) -> MemoryStorage {
            MemoryStorage::new()
        }
    }

    #[test]
    #[should_panic]
    fn the_suite_notices_an_engine_that_forgets_the_log_on_reopening() {
        crate::conformance::appended_updates_load_back_in_order_with_growing_seqs(&Forgetful);
    }

    #[test]
    #[should_panic]
    fn the_suite_notices_an_engine_that_forgets_settings_on_reopening() {
        crate::conformance::settings_are_stored_replaced_removed_and_kept_across_reopening(
            &Forgetful,
        );
    }

    #[test]
    #[should_panic]
    fn the_suite_notices_an_engine_that_forgets_the_catalogue_on_reopening() {
        crate::conformance::the_catalogue_is_kept_across_reopening(&Forgetful);
    }

    #[test]
    #[should_panic]
    fn the_suite_notices_an_engine_that_forgets_the_user_on_reopening() {
        crate::conformance::the_user_stays_the_same_across_reopening(&Forgetful);
    }
}
