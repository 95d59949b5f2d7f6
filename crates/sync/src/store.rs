//! The persistence seam: what the server needs from a store of board updates.
//!
//! The server calls [`BoardStore::append`] for every accepted update and
//! waits for it to return before the update is applied, forwarded to peers
//! or answered in a SyncStep2, so an update any peer has seen survives a
//! crash of the server. Calls are batched per board (group commit) and run
//! on tokio's blocking pool, so implementations may block.

use std::collections::HashMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Longest board id accepted.
pub const MAX_BOARD_ID_LEN: usize = 128;

/// A board's id as it appears in a URL: 1 to 128 of `A-Z a-z 0-9 - _ .`,
/// not starting with a dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoardId(String);

impl BoardId {
    /// Checks and wraps a board id.
    ///
    /// # Errors
    /// [`InvalidBoardId`] if it is empty, too long or has other characters.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidBoardId> {
        let id = id.into();
        let ok = !id.is_empty()
            && id.len() <= MAX_BOARD_ID_LEN
            && !id.starts_with('.')
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(Self(id))
        } else {
            Err(InvalidBoardId(id.chars().take(MAX_BOARD_ID_LEN).collect()))
        }
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BoardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A board id that is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid board id {0:?}: use 1-128 of A-Z a-z 0-9 - _ . not starting with a dot")]
pub struct InvalidBoardId(pub String);

/// A store failure, with the board it concerns.
#[derive(Debug, thiserror::Error)]
#[error("store failed for board {board}: {source}")]
pub struct StoreError {
    /// The board.
    pub board: BoardId,
    /// The cause.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    /// Wraps any error for `board`.
    pub fn new(
        board: &BoardId,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            board: board.clone(),
            source: source.into(),
        }
    }
}

/// Durable storage of board updates (update v1 blobs).
pub trait BoardStore: Send + Sync + 'static {
    /// All stored updates of `board`, in any order; empty for a new board.
    ///
    /// # Errors
    /// [`StoreError`] if the board cannot be read.
    fn load(&self, board: &BoardId) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Durably appends `updates` to `board`, all or nothing. When this
    /// returns `Ok`, the updates must survive a crash.
    ///
    /// # Errors
    /// [`StoreError`] if they could not be stored; the server then refuses
    /// the updates and closes the sending connection.
    fn append(&self, board: &BoardId, updates: &[&[u8]]) -> Result<(), StoreError>;

    /// The host's private record of `board` (open voting rounds, handed-over
    /// roles; see [`crate::workshop`]), if one was saved. It never travels
    /// to peers.
    ///
    /// # Errors
    /// [`StoreError`] if it cannot be read.
    fn load_private(&self, board: &BoardId) -> Result<Option<Vec<u8>>, StoreError>;

    /// Durably replaces the host's private record of `board`.
    ///
    /// # Errors
    /// [`StoreError`] if it could not be written.
    fn save_private(&self, board: &BoardId, record: &[u8]) -> Result<(), StoreError>;

    /// Called once on graceful shutdown, after the last append.
    ///
    /// # Errors
    /// [`StoreError`] if buffered data could not be written.
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Keeps updates in memory: for tests, and for a board hosted for the length
/// of one workshop when the desktop app persists through its own store.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    boards: Arc<Mutex<HashMap<BoardId, Vec<Vec<u8>>>>>,
    private: Arc<Mutex<HashMap<BoardId, Vec<u8>>>>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of updates stored for `board`.
    #[must_use]
    pub fn update_count(&self, board: &BoardId) -> usize {
        self.boards
            .lock()
            .map(|b| b.get(board).map_or(0, Vec::len))
            .unwrap_or(0)
    }
}

impl BoardStore for MemoryStore {
    fn load(&self, board: &BoardId) -> Result<Vec<Vec<u8>>, StoreError> {
        let boards = self
            .boards
            .lock()
            .map_err(|_| StoreError::new(board, "memory store lock poisoned"))?;
        Ok(boards.get(board).cloned().unwrap_or_default())
    }

    fn append(&self, board: &BoardId, updates: &[&[u8]]) -> Result<(), StoreError> {
        let mut boards = self
            .boards
            .lock()
            .map_err(|_| StoreError::new(board, "memory store lock poisoned"))?;
        boards
            .entry(board.clone())
            .or_default()
            .extend(updates.iter().map(|u| u.to_vec()));
        Ok(())
    }

    fn load_private(&self, board: &BoardId) -> Result<Option<Vec<u8>>, StoreError> {
        let private = self
            .private
            .lock()
            .map_err(|_| StoreError::new(board, "memory store lock poisoned"))?;
        Ok(private.get(board).cloned())
    }

    fn save_private(&self, board: &BoardId, record: &[u8]) -> Result<(), StoreError> {
        let mut private = self
            .private
            .lock()
            .map_err(|_| StoreError::new(board, "memory store lock poisoned"))?;
        private.insert(board.clone(), record.to_vec());
        Ok(())
    }
}

/// An append-only log per board in a directory (`<dir>/<board>.ylog`):
/// each record is a little-endian u32 length and the update, fsynced before
/// `append` returns. A torn last record (crash mid-write) is ignored on load.
/// Meant for the example server and crash tests; the desktop app and the
/// CLI use the SQLite library store.
#[derive(Debug)]
pub struct FileStore {
    dir: PathBuf,
    open: Mutex<HashMap<BoardId, Arc<Mutex<File>>>>,
}

impl FileStore {
    /// Uses (and creates) `dir`.
    ///
    /// # Errors
    /// [`std::io::Error`] if the directory cannot be created.
    pub fn open(dir: impl AsRef<Path>) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.as_ref())?;
        Ok(Self {
            dir: dir.as_ref().to_path_buf(),
            open: Mutex::new(HashMap::new()),
        })
    }

    fn path(&self, board: &BoardId) -> PathBuf {
        self.dir.join(format!("{board}.ylog"))
    }

    fn file(&self, board: &BoardId) -> Result<Arc<Mutex<File>>, StoreError> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| StoreError::new(board, "file store lock poisoned"))?;
        if let Some(f) = open.get(board) {
            return Ok(f.clone());
        }
        let f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path(board))
            .map_err(|e| StoreError::new(board, e))?;
        let f = Arc::new(Mutex::new(f));
        open.insert(board.clone(), f.clone());
        Ok(f)
    }
}

impl BoardStore for FileStore {
    fn load(&self, board: &BoardId) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut buf = Vec::new();
        match File::open(self.path(board)) {
            Ok(mut f) => {
                f.read_to_end(&mut buf)
                    .map_err(|e| StoreError::new(board, e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::new(board, e)),
        }
        let mut out = Vec::new();
        let mut rest = buf.as_slice();
        while rest.len() >= 4 {
            let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            if rest.len() - 4 < len {
                tracing::warn!(%board, "ignoring a torn record at the end of the board log");
                break;
            }
            out.push(rest[4..4 + len].to_vec());
            rest = &rest[4 + len..];
        }
        Ok(out)
    }

    fn append(&self, board: &BoardId, updates: &[&[u8]]) -> Result<(), StoreError> {
        let mut record = Vec::new();
        for u in updates {
            let len =
                u32::try_from(u.len()).map_err(|_| StoreError::new(board, "update too large"))?;
            record.extend_from_slice(&len.to_le_bytes());
            record.extend_from_slice(u);
        }
        let file = self.file(board)?;
        let mut f = file
            .lock()
            .map_err(|_| StoreError::new(board, "file store lock poisoned"))?;
        f.write_all(&record)
            .map_err(|e| StoreError::new(board, e))?;
        f.sync_data().map_err(|e| StoreError::new(board, e))
    }

    fn load_private(&self, board: &BoardId) -> Result<Option<Vec<u8>>, StoreError> {
        match std::fs::read(self.dir.join(format!("{board}.host"))) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::new(board, e)),
        }
    }

    /// Written to a temporary file, fsynced and renamed over the old one.
    fn save_private(&self, board: &BoardId, record: &[u8]) -> Result<(), StoreError> {
        let path = self.dir.join(format!("{board}.host"));
        let tmp = self.dir.join(format!("{board}.host.tmp"));
        let write = || -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(record)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            File::open(&self.dir)?.sync_all()
        };
        write().map_err(|e| StoreError::new(board, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_ids_are_url_safe() {
        assert!(BoardId::new("ag-1_board.v2").is_ok());
        for bad in ["", ".hidden", "a/b", "a b", "ä", &"x".repeat(129)] {
            assert!(BoardId::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_file_store_keeps_updates_and_ignores_a_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let board = BoardId::new("b").unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        store
            .append(&board, &[b"one".as_slice(), b"two".as_slice()])
            .unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join("b.ylog"))
            .unwrap();
        f.write_all(&[9, 0, 0, 0, 1]).unwrap();
        let again = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            again.load(&board).unwrap(),
            vec![b"one".to_vec(), b"two".to_vec()]
        );
    }
}
