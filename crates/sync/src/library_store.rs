//! [`LibraryStore`]: the server's [`BoardStore`] on a Stellwand library, the
//! same SQLite database the desktop app and `stellwand-cli` use.
//!
//! Board ids in URLs are the library's UUIDs, so a board keeps its id on
//! every machine. A board the library does not hold yet is created on its
//! first accepted update (never on a mere read, so a mistyped link creates
//! nothing); its title is taken from the board document once an update
//! carries one. Appends go through the library's group-commit
//! [`Committer`]: each append is stored all or nothing, appends of several
//! boards that queue up while a commit is syncing share the next SQLite
//! transaction (`synchronous=FULL`), and an append returns only when its
//! transaction has committed, so the updates survive a crash. The server
//! already batches appends per board; the committer batches across boards.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use stellwand_store::{Committer, FolderId, Library};
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, Map, ReadTxn, Transact, Update};

use crate::server::Authorizer;
use crate::store::{BoardId, BoardStore, StoreError};
use crate::token::{Claims, Role, Token, TokenError};

/// Title of a board created from the network before its document names it.
pub const UNTITLED: &str = "Geteilte Wand";

/// A [`BoardStore`] writing to a Stellwand library.
pub struct LibraryStore {
    inner: Mutex<Inner>,
    /// Writes the appends of every board on its own connection; started by
    /// the first append.
    committer: OnceLock<Committer>,
    folder: Option<FolderId>,
}

struct Inner {
    library: Library,
    /// Boards created here whose title is not known yet, with the updates
    /// seen so far (the title may arrive in any of them).
    untitled: HashMap<stellwand_store::BoardId, Doc>,
}

impl std::fmt::Debug for LibraryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibraryStore")
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

impl LibraryStore {
    /// Opens (and creates or upgrades) the library in `dir`; boards that
    /// arrive from the network go into `folder` (or no folder).
    ///
    /// # Errors
    /// As for [`Library::open`]: unreadable, corrupt or newer libraries are
    /// refused untouched.
    pub fn open(dir: &Path, folder: Option<FolderId>) -> stellwand_store::Result<Self> {
        Ok(Self::new(Library::open(dir)?, folder))
    }

    /// Wraps an open library.
    #[must_use]
    pub fn new(library: Library, folder: Option<FolderId>) -> Self {
        Self {
            inner: Mutex::new(Inner {
                library,
                untitled: HashMap::new(),
            }),
            committer: OnceLock::new(),
            folder,
        }
    }

    fn lock(&self, board: &BoardId) -> Result<std::sync::MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError::new(board, "library store lock poisoned"))
    }

    /// The committer, started on first use (it opens a second connection to
    /// the library, which can fail like any open).
    fn committer(&self, board: &BoardId) -> Result<&Committer, StoreError> {
        if let Some(committer) = self.committer.get() {
            return Ok(committer);
        }
        let started = self
            .lock(board)?
            .library
            .committer()
            .map_err(|e| StoreError::new(board, e))?;
        // Two first appends racing: one committer wins, the other stops.
        Ok(self.committer.get_or_init(|| started))
    }
}

/// The library id behind a URL board id.
///
/// # Errors
/// A [`StoreError`] if `board` is not a UUID.
pub fn library_id(board: &BoardId) -> Result<stellwand_store::BoardId, StoreError> {
    board.as_str().parse().map_err(|_| {
        StoreError::new(
            board,
            "not a Stellwand board id (boards on this server are named by their UUID)",
        )
    })
}

/// The board title an update sequence sets, if any, applying `updates` to
/// `scratch` (the updates were validated by the server before).
fn title_from(scratch: &Doc, updates: &[&[u8]]) -> Option<String> {
    {
        let mut txn = scratch.transact_mut();
        for update in updates {
            if let Ok(update) = Update::decode_v1(update) {
                // A failure leaves the scratch document as it was; the title
                // then comes from a later update.
                let _ = txn.apply_update(update);
            }
        }
    }
    let txn = scratch.transact();
    let meta = txn.get_map(stellwand_board::META)?;
    match meta.get(&txn, "title")? {
        yrs::Out::Any(yrs::Any::String(title)) => Some(title.to_string()),
        yrs::Out::YText(text) => Some(text.get_string(&txn)),
        _ => None,
    }
    .filter(|title| !title.trim().is_empty())
}

impl BoardStore for LibraryStore {
    fn load(&self, board: &BoardId) -> Result<Vec<Vec<u8>>, StoreError> {
        let id = library_id(board)?;
        let inner = self.lock(board)?;
        match inner.library.load_board(id) {
            Ok(loaded) => Ok(loaded
                .snapshot
                .into_iter()
                .chain(loaded.updates.into_iter().map(|entry| entry.data))
                .collect()),
            Err(stellwand_store::Error::BoardNotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(StoreError::new(board, e)),
        }
    }

    fn append(&self, board: &BoardId, updates: &[&[u8]]) -> Result<(), StoreError> {
        let id = library_id(board)?;
        let now = crate::server::wall_clock_ms();
        let committer = self.committer(board)?;
        let owned = || updates.iter().map(|u| u.to_vec()).collect::<Vec<_>>();
        // The board is created only when the append finds it missing (its
        // first update), then the append is repeated.
        let created = match committer.submit_all(id, owned(), now).wait() {
            Ok(_) => false,
            Err(stellwand_store::Error::BoardNotFound { .. }) => {
                let (_, created) = self
                    .lock(board)?
                    .library
                    .ensure_board(id, UNTITLED, self.folder, now)
                    .map_err(|e| StoreError::new(board, e))?;
                committer
                    .submit_all(id, owned(), now)
                    .wait()
                    .map_err(|e| StoreError::new(board, e))?;
                created
            }
            Err(e) => return Err(StoreError::new(board, e)),
        };
        let mut inner = self.lock(board)?;
        if created {
            inner.untitled.insert(id, Doc::new());
        }
        if let Some(scratch) = inner.untitled.get(&id) {
            if let Some(title) = title_from(scratch, updates) {
                inner.untitled.remove(&id);
                // The updates are stored; a failed rename only leaves the
                // placeholder title, which the next opener corrects.
                if let Err(e) = inner.library.rename_board(id, &title, now) {
                    tracing::warn!(%board, error = %e, "could not store the board title");
                }
            }
        }
        Ok(())
    }

    /// Kept in the library's settings as `workshop.host.<board>` (JSON).
    fn load_private(&self, board: &BoardId) -> Result<Option<Vec<u8>>, StoreError> {
        let inner = self.lock(board)?;
        inner
            .library
            .get_setting(&private_key(board))
            .map(|v| v.map(String::into_bytes))
            .map_err(|e| StoreError::new(board, e))
    }

    fn save_private(&self, board: &BoardId, record: &[u8]) -> Result<(), StoreError> {
        let text = std::str::from_utf8(record).map_err(|e| StoreError::new(board, e))?;
        let inner = self.lock(board)?;
        inner
            .library
            .set_setting(&private_key(board), text)
            .map_err(|e| StoreError::new(board, e))
    }
}

fn private_key(board: &BoardId) -> String {
    format!("workshop.host.{board}")
}

/// Library setting holding the server's token secret (hex).
pub const SECRET_SETTING: &str = "sync.secret";

/// The token secret of the library's server, created (32 random bytes) on
/// first use and kept in the library's settings, so tokens stay valid across
/// restarts and `stellwand-cli token` can issue them while the server runs.
///
/// # Errors
/// A store error if the settings cannot be read or written.
pub fn library_secret(library: &Library) -> stellwand_store::Result<Vec<u8>> {
    let readable = |hex: &str| from_hex(hex).filter(|s| s.len() >= 16);
    if let Some(secret) = library
        .get_setting(SECRET_SETTING)?
        .as_deref()
        .and_then(readable)
    {
        return Ok(secret);
    }
    let fresh: [u8; 32] = rand::random();
    // A server starting while `stellwand-cli token issue` runs on the same
    // library: whichever stores its secret first, both use that one.
    let stored = library.setting_or_insert(SECRET_SETTING, &to_hex(&fresh))?;
    if let Some(secret) = readable(&stored) {
        return Ok(secret);
    }
    tracing::warn!("the stored token secret is unreadable; creating a new one");
    library.set_setting(SECRET_SETTING, &to_hex(&fresh))?;
    Ok(fresh.to_vec())
}

fn revocation_key(board: &str, role: Role) -> String {
    format!("sync.revoked_before.{board}.{role}")
}

/// The unix second before which tokens for `board` and `role` are refused
/// (0: none revoked).
///
/// # Errors
/// A store error if the settings cannot be read.
pub fn revoked_before(library: &Library, board: &str, role: Role) -> stellwand_store::Result<u64> {
    Ok(library
        .get_setting(&revocation_key(board, role))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Revokes every token for `board` and `role` issued up to now; tokens
/// issued afterwards (see [`issue_token`]) are valid. Returns the cut-off.
///
/// # Errors
/// A store error if the setting cannot be written.
pub fn revoke_tokens(
    library: &Library,
    board: &str,
    role: Role,
    now: u64,
) -> stellwand_store::Result<u64> {
    let cutoff = now + 1;
    library.set_setting(&revocation_key(board, role), &cutoff.to_string())?;
    Ok(cutoff)
}

/// Issues a token for `board` and `role`, valid for `valid_for` seconds from
/// `now`, signed with the library's secret. Its issue time is never before
/// the board's revocation cut-off, so a token issued right after a
/// revocation works.
///
/// # Errors
/// A store error for the settings; [`TokenError`] cannot occur with a
/// library secret and is reported as a store error.
pub fn issue_token(
    library: &Library,
    board: &str,
    role: Role,
    now: u64,
    valid_for: u64,
) -> stellwand_store::Result<(Token, Claims)> {
    let secret = library_secret(library)?;
    let issued_at = now.max(revoked_before(library, board, role)?);
    let claims = Claims {
        board: board.to_owned(),
        role,
        issued_at,
        expires_at: now.saturating_add(valid_for),
    };
    let token = Token::issue(&secret, &claims)
        .map_err(|e| stellwand_store::Error::InvalidData(e.to_string()))?;
    Ok((token, claims))
}

/// Checks tokens against a library's secret and its revocations, read at
/// every upgrade, so `stellwand-cli token revoke` takes effect on a running
/// server without a restart.
pub struct LibraryAuthorizer {
    secret: Vec<u8>,
    library: Mutex<Library>,
}

impl std::fmt::Debug for LibraryAuthorizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibraryAuthorizer").finish_non_exhaustive()
    }
}

impl LibraryAuthorizer {
    /// Opens its own connection to the library in `dir`; creates the secret
    /// if there is none.
    ///
    /// # Errors
    /// As for [`Library::open`] and [`library_secret`].
    pub fn open(dir: &Path) -> stellwand_store::Result<Self> {
        let library = Library::open(dir)?;
        let secret = library_secret(&library)?;
        Ok(Self {
            secret,
            library: Mutex::new(library),
        })
    }
}

impl Authorizer for LibraryAuthorizer {
    fn authorize(
        &self,
        board: &BoardId,
        token: Option<&str>,
        now: u64,
    ) -> Result<Role, TokenError> {
        crate::token::admit(&self.secret, token, board.as_str(), now, |role| {
            // Fail closed: if the revocations cannot be read, refuse. A read
            // can meet a moment of contention with the writers (a checkpoint
            // resetting the write-ahead log), so it is tried a few times.
            for attempt in 0..5 {
                let read = match self.library.lock() {
                    Ok(library) => {
                        revoked_before(&library, board.as_str(), role).map_err(|e| e.to_string())
                    }
                    Err(_) => Err("library lock poisoned".to_owned()),
                };
                match read {
                    Ok(cutoff) => return cutoff,
                    Err(e) => {
                        tracing::warn!(%board, attempt, error = %e, "could not read token revocations");
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                }
            }
            u64::MAX
        })
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
