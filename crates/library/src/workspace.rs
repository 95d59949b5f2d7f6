//! The library as the desktop app, the CLI (or a browser front end) works
//! with it: the library, the boards that are open, and the local user.
//! Every method is one step a user takes; the desktop's IPC commands call
//! exactly one.
//!
//! The file is a little over the usual size because it is the one list of
//! those steps; what a step needs beyond a few lines lives in the session,
//! drafts and templates modules.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use stellwand_board::{Author, Board, Changes, Edit, Intent, Item, ItemId};

use crate::catalogue::{clean_name, BoardFilter, BoardMeta, Folder, RevisionMeta};
use crate::error::{Error, Result};
use crate::ids::{BoardId, FolderId, RevisionId};
use crate::session::{revision_content, BoardSession, UpdateSink};
use crate::storage::{BoardFiles, Storage};
use crate::templates::{TemplateInfo, Templates};

/// Settings keys.
const USER_ID: &str = "user.id";
const USER_NAME: &str = "user.name";
const LANGUAGE: &str = "ui.language";

/// How many boards the start screen lists as recently opened.
const RECENT: usize = 8;

/// A board on the start screen.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BoardSummary {
    #[serde(flatten)]
    pub meta: BoardMeta,
    /// A small SVG of the board's shapes, if one was stored.
    pub preview: Option<String>,
}

/// Everything the start screen shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    pub folders: Vec<Folder>,
    /// Boards that are not in the trash, archived ones included.
    pub boards: Vec<BoardSummary>,
    pub trash: Vec<BoardSummary>,
    /// Ids of the recently opened boards, newest first.
    pub recent: Vec<BoardId>,
}

/// The visible part of a board, as the user left it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Viewport {
    /// Board coordinates of the window's top left corner.
    pub x: f64,
    pub y: f64,
    /// 1.0 = 100 %.
    pub zoom: f64,
}

/// An opened board.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BoardView {
    pub meta: BoardMeta,
    pub items: Vec<Item>,
    pub viewport: Option<Viewport>,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Stored changes that could not be read (they are kept, not lost).
    pub load_issues: Vec<String>,
}

/// What a change did, for the user interface to apply.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Ids of items the change created.
    pub created: Vec<ItemId>,
    pub changes: Changes,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// The local user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct User {
    pub id: String,
    pub name: String,
}

/// The user's library with its open boards, on storage engine `S`.
pub struct Workspace<S> {
    pub(crate) library: S,
    pub(crate) author: Author,
    open: HashMap<BoardId, BoardSession>,
    /// Live connections: where each shared board's stored updates go, also
    /// across closing and reopening the board.
    forward: HashMap<BoardId, UpdateSink>,
}

impl<S: std::fmt::Debug> std::fmt::Debug for Workspace<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("library", &self.library)
            .field("open", &self.open.len())
            .finish_non_exhaustive()
    }
}

/// A storage engine that knows how to open a library at a location: a
/// directory for SQLite, a connection string for a database server.
pub trait OpenStorage: Storage + Sized {
    /// Where a library lies.
    type Location: ?Sized;

    /// Opens (and if needed creates) the library at `location`.
    ///
    /// # Errors
    /// The engine's: the library is damaged, too new, read-only, unreachable.
    fn open_storage(location: &Self::Location) -> Result<Self>;
}

/// The name a new user starts with: the login name, else "Stellwand".
#[must_use]
pub fn default_user_name() -> String {
    std::env::var("USER").unwrap_or_else(|_| "Stellwand".into())
}

impl<S: OpenStorage> Workspace<S> {
    /// Opens the library at `location` (created if needed); the local user
    /// is created on first use with `default_name`.
    ///
    /// # Errors
    /// As [`OpenStorage::open_storage`], an engine error.
    pub fn open(location: &S::Location, default_name: &str) -> Result<Self> {
        Self::new(S::open_storage(location)?, default_name)
    }
}

impl<S: Storage> Workspace<S> {
    /// The workspace on an opened library; the local user is created on
    /// first use with `default_name`.
    ///
    /// # Errors
    /// An engine error.
    pub fn new(library: S, default_name: &str) -> Result<Self> {
        // One atomic step: the desktop app and the CLI starting at once on a
        // new library must end up as the same user.
        let id = library.setting_or_insert(USER_ID, &uuid::Uuid::new_v4().to_string())?;
        let name = library
            .get_setting(USER_NAME)?
            .unwrap_or_else(|| default_name.to_owned());
        Ok(Workspace {
            library,
            author: Author { id, name },
            open: HashMap::new(),
            forward: HashMap::new(),
        })
    }

    /// The library underneath.
    pub fn library(&self) -> &S {
        &self.library
    }

    /// The author recorded on the user's new notes.
    pub fn author(&self) -> &Author {
        &self.author
    }

    /// Records `name` on new notes from now on, for this workspace only (the
    /// user's stored name stays): a script acting under another name.
    pub fn sign_as(&mut self, name: &str) {
        self.author.name = name.to_owned();
        for session in self.open.values_mut() {
            session.set_author(self.author.clone());
        }
    }

    /// The local user.
    pub fn user(&self) -> User {
        User {
            id: self.author.id.clone(),
            name: self.author.name.clone(),
        }
    }

    /// Sets the name recorded on the user's new notes.
    ///
    /// # Errors
    /// [`Error::EmptyName`], an engine error.
    pub fn set_user_name(&mut self, name: &str) -> Result<User> {
        let name = clean_name(name, "user name")?;
        self.library.set_setting(USER_NAME, &name)?;
        self.author.name = name;
        for session in self.open.values_mut() {
            session.set_author(self.author.clone());
        }
        Ok(self.user())
    }

    /// The interface language chosen by the user (`None`: not chosen yet).
    ///
    /// # Errors
    /// An engine error.
    pub fn language(&self) -> Result<Option<String>> {
        self.library.get_setting(LANGUAGE)
    }

    /// Stores the interface language.
    ///
    /// # Errors
    /// An engine error.
    pub fn set_language(&self, language: &str) -> Result<()> {
        self.library.set_setting(LANGUAGE, language)
    }

    /// Folders, boards, trash and recently opened boards.
    ///
    /// # Errors
    /// An engine error.
    pub fn overview(&self) -> Result<Overview> {
        let summarize = |meta: BoardMeta| -> Result<BoardSummary> {
            let preview = self.library.preview(meta.id)?;
            Ok(BoardSummary { meta, preview })
        };
        let boards = self
            .library
            .list_boards(&BoardFilter {
                include_archived: true,
                ..BoardFilter::default()
            })?
            .into_iter()
            .map(summarize)
            .collect::<Result<Vec<_>>>()?;
        let trash = self
            .library
            .list_trash()?
            .into_iter()
            .map(summarize)
            .collect::<Result<Vec<_>>>()?;
        let recent = self
            .library
            .recent_boards(RECENT)?
            .into_iter()
            .map(|m| m.id)
            .collect();
        Ok(Overview {
            folders: self.library.list_folders()?,
            boards,
            trash,
            recent,
        })
    }

    /// Boards whose title or note text contains every word of `query`
    /// (ignoring case), archived ones included.
    ///
    /// # Errors
    /// An engine error.
    pub fn search(&self, query: &str) -> Result<Vec<BoardId>> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut found: Vec<BoardId> = self
            .library
            .search_boards(query)?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let all = self.library.list_boards(&BoardFilter {
            include_archived: true,
            ..BoardFilter::default()
        })?;
        for meta in all {
            if found.contains(&meta.id) {
                continue;
            }
            let items = match self.open.get(&meta.id) {
                Some(session) => session.board().items(),
                None => BoardSession::open(&self.library, meta.id, Author::default())?
                    .board()
                    .items(),
            };
            let text: String = items
                .iter()
                .map(|i| i.text.to_lowercase())
                .collect::<Vec<_>>()
                .join("\n");
            if words.iter().all(|w| text.contains(w.as_str())) {
                found.push(meta.id);
            }
        }
        Ok(found)
    }

    /// Creates a board (its title also goes into the document).
    ///
    /// # Errors
    /// [`Error::EmptyName`], [`Error::FolderNotFound`], an engine error.
    pub fn create_board(
        &mut self,
        title: &str,
        folder: Option<FolderId>,
        now: i64,
    ) -> Result<BoardMeta> {
        let (meta, session) =
            BoardSession::create(&self.library, title, folder, self.author.clone(), now)?;
        session.store_preview(&self.library, now)?;
        Ok(meta)
    }

    /// The templates a new board can start from.
    ///
    /// # Errors
    /// An engine error.
    pub fn templates(&self) -> Result<Vec<TemplateInfo>> {
        self.library.templates()
    }

    /// Creates a board laid out like template `template` (one undo step on
    /// the new board).
    ///
    /// # Errors
    /// [`Error::InvalidData`] for an unknown template, [`Error::EmptyName`],
    /// [`Error::FolderNotFound`], an engine error.
    pub fn create_board_from_template(
        &mut self,
        title: &str,
        folder: Option<FolderId>,
        template: &str,
        now: i64,
    ) -> Result<BoardMeta> {
        let template = self.library.template(template)?;
        let (meta, mut session) =
            BoardSession::create(&self.library, title, folder, self.author.clone(), now)?;
        session.apply_intent(&self.library, now, template.intent())?;
        session.store_preview(&self.library, now)?;
        Ok(meta)
    }

    /// Saves the board's layout and texts as a template of the user's
    /// ("Als Vorlage speichern").
    ///
    /// # Errors
    /// [`Error::EmptyName`], [`Error::BoardNotFound`], an engine error.
    pub fn save_as_template(&mut self, board: BoardId, name: &str) -> Result<TemplateInfo> {
        let (library, session) = self.session(board)?;
        library.save_items_as_template(name, &session.board().items())
    }

    /// Deletes one of the user's templates (shipped ones stay).
    ///
    /// # Errors
    /// An engine error.
    pub fn delete_template(&mut self, id: &str) -> Result<bool> {
        self.library.delete_template(id)
    }

    /// Copies a board with all its content into a new board "… (Kopie)" in
    /// the same folder.
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], an engine error.
    pub fn duplicate_board(&mut self, board: BoardId, title: &str, now: i64) -> Result<BoardMeta> {
        self.save_open(board, now)?;
        let source = self.library.board(board)?;
        let state = BoardSession::open(&self.library, board, self.author.clone())?
            .board()
            .encode_state();
        let meta = self.library.create_board(title, source.folder, now)?;
        self.library.append_updates(meta.id, &[state], now)?;
        let mut copy = BoardSession::open(&self.library, meta.id, self.author.clone())?;
        copy.edit(&self.library, now, |e| {
            e.set_title(&meta.title);
            Ok(())
        })?;
        copy.store_preview(&self.library, now)?;
        Ok(meta)
    }

    /// Renames a board, in the library and in the document.
    ///
    /// # Errors
    /// [`Error::EmptyName`], [`Error::BoardNotFound`], an engine error.
    pub fn rename_board(&mut self, board: BoardId, title: &str, now: i64) -> Result<BoardMeta> {
        let meta = self.library.rename_board(board, title, now)?;
        let (library, session) = self.session(board)?;
        session.edit(library, now, |e| {
            e.set_title(&meta.title);
            Ok(())
        })?;
        Ok(meta)
    }

    /// Opens a board: its items, the viewport the user left it at, undo state.
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], an engine error.
    pub fn open_board(&mut self, board: BoardId, now: i64) -> Result<BoardView> {
        let meta = self.library.board(board)?;
        self.library.mark_opened(board, now)?;
        let viewport = self.viewport(board)?;
        let (_, session) = self.session(board)?;
        // The view is complete: pending deltas are part of it.
        session.take_changes();
        let board_ref = session.board();
        Ok(BoardView {
            meta,
            items: board_ref.items(),
            viewport,
            can_undo: board_ref.can_undo(),
            can_redo: board_ref.can_redo(),
            load_issues: session
                .load_issues()
                .iter()
                .map(|issue| issue.reason.clone())
                .collect(),
        })
    }

    /// Saves what is unsaved, stores the preview and closes the board.
    ///
    /// # Errors
    /// An engine error (the board stays open then, nothing is lost).
    pub fn close_board(&mut self, board: BoardId, now: i64) -> Result<()> {
        if let Some(session) = self.open.get_mut(&board) {
            session.save(&self.library, now)?;
            session.store_preview(&self.library, now)?;
        }
        self.open.remove(&board);
        Ok(())
    }

    /// Applies one user action to an open (or openable) board and saves it.
    ///
    /// # Errors
    /// [`Error::Board`] for a refused action (nothing changed), an engine error.
    pub fn apply(&mut self, board: BoardId, intent: Intent, now: i64) -> Result<Outcome> {
        let (library, session) = self.session(board)?;
        let created = session.apply_intent(library, now, intent)?;
        Ok(outcome(session, created))
    }

    /// Groups of near-duplicate notes on a board, oldest note first in each
    /// (see [`stellwand_board::similar`]).
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], an engine error while opening the board.
    pub fn near_duplicates(&mut self, board: BoardId) -> Result<Vec<Vec<ItemId>>> {
        let (_, session) = self.session(board)?;
        Ok(session.board().near_duplicates())
    }

    /// Undoes the user's last change on a board.
    ///
    /// # Errors
    /// An engine error.
    pub fn undo(&mut self, board: BoardId, now: i64) -> Result<Outcome> {
        let (library, session) = self.session(board)?;
        session.undo(library, now)?;
        Ok(outcome(session, Vec::new()))
    }

    /// Redoes the user's last undone change on a board.
    ///
    /// # Errors
    /// An engine error.
    pub fn redo(&mut self, board: BoardId, now: i64) -> Result<Outcome> {
        let (library, session) = self.session(board)?;
        session.redo(library, now)?;
        Ok(outcome(session, Vec::new()))
    }

    /// Remembers where the user looks at a board.
    ///
    /// # Errors
    /// [`Error::InvalidData`] for a viewport that is not finite, an engine error.
    pub fn set_viewport(&self, board: BoardId, viewport: Viewport) -> Result<()> {
        let finite = viewport.x.is_finite() && viewport.y.is_finite() && viewport.zoom.is_finite();
        if !finite || viewport.zoom <= 0.0 {
            return Err(Error::InvalidData(format!("viewport {viewport:?}")));
        }
        let json =
            serde_json::to_string(&viewport).map_err(|e| Error::InvalidData(e.to_string()))?;
        self.library
            .set_setting(&format!("viewport.{board}"), &json)
    }

    fn viewport(&self, board: BoardId) -> Result<Option<Viewport>> {
        Ok(self
            .library
            .get_setting(&format!("viewport.{board}"))?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// Saves a named revision of a board.
    ///
    /// # Errors
    /// [`Error::EmptyName`], an engine error.
    pub fn create_revision(
        &mut self,
        board: BoardId,
        name: &str,
        now: i64,
    ) -> Result<RevisionMeta> {
        let (library, session) = self.session(board)?;
        session.create_revision(library, name, now)
    }

    /// The items of a revision, to preview it.
    ///
    /// # Errors
    /// [`Error::RevisionNotFound`], an engine error.
    pub fn revision_items(&self, revision: RevisionId) -> Result<Vec<Item>> {
        revision_content(&self.library, revision).map(|(items, _)| items)
    }

    /// Makes a board look like a revision again (undoable).
    ///
    /// # Errors
    /// [`Error::RevisionNotFound`], an engine error.
    pub fn restore_revision(
        &mut self,
        board: BoardId,
        revision: RevisionId,
        now: i64,
    ) -> Result<Outcome> {
        let (library, session) = self.session(board)?;
        session.restore_revision(library, revision, now)?;
        Ok(outcome(session, Vec::new()))
    }

    /// Moves a board to the trash (it can be restored); closes it.
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], an engine error.
    pub fn trash_board(&mut self, board: BoardId, now: i64) -> Result<BoardMeta> {
        self.close_board(board, now)?;
        self.library.trash_board(board, now)
    }

    /// Removes a board from the trash for good.
    ///
    /// # Errors
    /// [`Error::NotInTrash`], an engine error.
    pub fn purge_board(&mut self, board: BoardId) -> Result<()> {
        self.open.remove(&board);
        self.library.purge_board(board)
    }

    /// Runs `f` as one change of `board` (opening it if needed) and saves
    /// it: the path scripts take for what has no [`Intent`].
    ///
    /// # Errors
    /// [`Error::Board`] when `f` fails (nothing changed), [`Error::BoardNotFound`],
    /// an engine error (the change is kept for the next save).
    pub fn edit<R>(
        &mut self,
        board: BoardId,
        now: i64,
        f: impl FnOnce(&mut Edit<'_>) -> stellwand_board::Result<R>,
    ) -> Result<R> {
        let (library, session) = self.session(board)?;
        session.edit(library, now, f)
    }

    fn save_open(&mut self, board: BoardId, now: i64) -> Result<()> {
        if let Some(session) = self.open.get_mut(&board) {
            session.save(&self.library, now)?;
        }
        Ok(())
    }

    /// The library and the board's session, opening it if needed.
    pub(crate) fn session(&mut self, board: BoardId) -> Result<(&S, &mut BoardSession)> {
        let Workspace {
            library,
            author,
            open,
            forward,
        } = self;
        let session = match open.entry(board) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                let mut session = BoardSession::open(library, board, author.clone())?;
                session.set_forward(forward.get(&board).cloned());
                entry.insert(session)
            }
        };
        Ok((library, session))
    }

    /// Sends every update of `board` stored from now on to `sink` (a live
    /// connection), or stops with `None`. Holds across closing and
    /// reopening the board.
    pub fn set_forward(&mut self, board: BoardId, sink: Option<UpdateSink>) {
        match &sink {
            Some(sink) => self.forward.insert(board, sink.clone()),
            None => self.forward.remove(&board),
        };
        if let Some(session) = self.open.get_mut(&board) {
            session.set_forward(sink);
        }
    }

    /// Applies updates that arrived from a peer to `board` (opening it if
    /// needed), stores them, and returns what changed for the view, plus
    /// why any update was refused (it changed nothing; the others apply).
    ///
    /// # Errors
    /// An engine error (what was applied stays queued and is written with
    /// the next save).
    pub fn apply_remote<U: AsRef<[u8]>>(
        &mut self,
        board: BoardId,
        updates: &[U],
        now: i64,
    ) -> Result<(Outcome, Vec<String>)> {
        let (library, session) = self.session(board)?;
        let mut refused = Vec::new();
        for update in updates {
            match session.apply_remote(library, update.as_ref(), now) {
                Ok(()) => {}
                Err(Error::Board(e)) => refused.push(e.to_string()),
                Err(e) => return Err(e),
            }
        }
        let title = session.board().title();
        let outcome = outcome(session, Vec::new());
        // The library lists the board under the title its document carries.
        if !title.trim().is_empty() && self.library.board(board)?.title != title {
            self.library.rename_board(board, &title, now)?;
        }
        Ok((outcome, refused))
    }

    /// The whole state of `board` as one update (to seed a live connection).
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], an engine error.
    pub fn board_state(&mut self, board: BoardId) -> Result<Vec<u8>> {
        let (_, session) = self.session(board)?;
        Ok(session.board().encode_state())
    }

    /// Reads an open (or openable) board without copying it, e.g. a root
    /// map other components own (the host's `workshop` map).
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], an engine error.
    pub fn read_board<R>(&mut self, board: BoardId, read: impl FnOnce(&Board) -> R) -> Result<R> {
        let (_, session) = self.session(board)?;
        Ok(read(session.board()))
    }
}

impl<S: Storage + BoardFiles> Workspace<S> {
    /// Saves a board as a `.stellwand` file.
    ///
    /// # Errors
    /// [`Error::Io`], an engine error.
    pub fn save_board_file(&mut self, board: BoardId, path: &Path, now: i64) -> Result<()> {
        self.save_open(board, now)?;
        self.library.export_board_file(board, path, now).map(|_| ())
    }

    /// Adds a `.stellwand` file as a new board.
    ///
    /// # Errors
    /// [`Error::NotABoardFile`], [`Error::Io`], an engine error.
    pub fn open_board_file(&mut self, path: &Path, now: i64) -> Result<BoardMeta> {
        let imported = self.library.import_board_file(path, now)?;
        let session = BoardSession::open(&self.library, imported.id, self.author.clone())?;
        session.store_preview(&self.library, now)?;
        Ok(imported)
    }
}

pub(crate) fn outcome(session: &BoardSession, created: Vec<ItemId>) -> Outcome {
    Outcome {
        created,
        changes: session.take_changes(),
        can_undo: session.board().can_undo(),
        can_redo: session.board().can_redo(),
    }
}
