//! An open board: the board document from `stellwand-board` bound to its place
//! in the library, so that every change, local or remote, is saved through one
//! path before it is acknowledged.

use stellwand_board::{
    Author, Board, BoardJson, Changes, Edit, Intent, Item, ItemId, RestoreSummary,
};

use crate::catalogue::{BoardMeta, RevisionMeta};
use crate::error::{Error, Result};
use crate::ids::{BoardId, FolderId, RevisionId};
use crate::storage::{BoardLog, Catalogue};

/// An update of the stored log that could not be read when the board was opened.
/// It stays in the library untouched; everything else was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadIssue {
    /// The update's position in the log (`None` for the snapshot).
    pub seq: Option<u64>,
    /// Why it could not be read.
    pub reason: String,
}

/// A board opened from the library.
///
/// Local edits ([`BoardSession::edit`], undo, redo, restore) and remote updates
/// ([`BoardSession::apply_remote`]) change the document and are appended to
/// the library's update log before the call returns; when that fails the call
/// reports the error and the unsaved updates are kept and written with the
/// next successful save, so nothing shown is ever silently lost.
pub struct BoardSession {
    id: BoardId,
    board: Board,
    unsaved: Vec<Vec<u8>>,
    issues: Vec<LoadIssue>,
    forward: Option<UpdateSink>,
}

/// Receives every update of a board once it is stored in the library, local
/// and remote alike: how a live connection learns what to send. An update
/// reaches it only after it is durable here, so a peer never holds a change
/// this machine could lose.
pub type UpdateSink = std::sync::Arc<dyn Fn(&[u8]) + Send + Sync>;

impl std::fmt::Debug for BoardSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoardSession")
            .field("id", &self.id)
            .field("unsaved", &self.unsaved.len())
            .field("forwarding", &self.forward.is_some())
            .finish_non_exhaustive()
    }
}

impl BoardSession {
    /// Opens a board: its snapshot and then its update log are applied.
    /// Undecodable updates are reported in [`BoardSession::load_issues`].
    ///
    /// # Errors
    /// [`Error::BoardNotFound`], or a database error.
    pub fn open<S: BoardLog + ?Sized>(library: &S, id: BoardId, author: Author) -> Result<Self> {
        let loaded = library.load_board(id)?;
        let snapshot = loaded.snapshot.iter().map(|s| (None, s.as_slice()));
        let log = loaded
            .updates
            .iter()
            .map(|e| (Some(e.seq), e.data.as_slice()));
        let sources: Vec<(Option<u64>, &[u8])> = snapshot.chain(log).collect();
        let (board, problems) = Board::load(author, sources.iter().map(|(_, data)| *data));
        let issues = problems
            .into_iter()
            .map(|(index, err)| LoadIssue {
                seq: sources.get(index).and_then(|(seq, _)| *seq),
                reason: err.to_string(),
            })
            .collect();
        Ok(BoardSession {
            id,
            board,
            unsaved: Vec::new(),
            issues,
            forward: None,
        })
    }

    /// Creates a new board in the library (title also written into the
    /// document, so peers see it) and opens it.
    ///
    /// # Errors
    /// As [`Catalogue::create_board`].
    pub fn create<S: BoardLog + Catalogue + ?Sized>(
        library: &S,
        title: &str,
        folder: Option<FolderId>,
        author: Author,
        now: i64,
    ) -> Result<(BoardMeta, Self)> {
        let meta = library.create_board(title, folder, now)?;
        let mut session = Self::open(library, meta.id, author)?;
        session.edit(library, now, |edit| {
            edit.set_title(&meta.title);
            Ok(())
        })?;
        Ok((meta, session))
    }

    /// Changes who is recorded as the author of new items.
    pub fn set_author(&mut self, author: Author) {
        self.board.set_author(author);
    }

    /// The board's id.
    pub fn id(&self) -> BoardId {
        self.id
    }

    /// The document (read access; change it through the session).
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// Updates of the stored log that could not be read at opening.
    pub fn load_issues(&self) -> &[LoadIssue] {
        &self.issues
    }

    /// Whether changes are waiting for a save that failed before.
    pub fn has_unsaved(&self) -> bool {
        !self.unsaved.is_empty()
    }

    /// Runs `f` as one change and saves it.
    ///
    /// # Errors
    /// [`Error::Board`] when `f` fails (nothing changed then), or a database
    /// error when saving failed (the change is kept for the next save).
    pub fn edit<R, S: BoardLog + ?Sized>(
        &mut self,
        library: &S,
        now: i64,
        f: impl FnOnce(&mut Edit<'_>) -> stellwand_board::Result<R>,
    ) -> Result<R> {
        let result = self.board.edit(now, f).map_err(Error::from);
        self.save(library, now)?;
        result
    }

    /// Applies a user interface's intent as one change, saves it, and returns
    /// the ids of created items.
    ///
    /// # Errors
    /// [`Error::Board`] when the intent is refused (nothing changed then), or
    /// a database error when saving failed (the change is kept for the next save).
    pub fn apply_intent<S: BoardLog + ?Sized>(
        &mut self,
        library: &S,
        now: i64,
        intent: Intent,
    ) -> Result<Vec<ItemId>> {
        let result = self.board.apply_intent(now, intent).map_err(Error::from);
        self.save(library, now)?;
        result
    }

    /// What changed since the last call (local and remote): the view delta for
    /// a user interface.
    pub fn take_changes(&self) -> Changes {
        self.board.take_changes()
    }

    /// Undoes the local user's last change and saves. Returns whether there was one.
    ///
    /// # Errors
    /// A database error when saving failed (the change is kept for the next save).
    pub fn undo<S: BoardLog + ?Sized>(&mut self, library: &S, now: i64) -> Result<bool> {
        let done = self.board.undo();
        self.save(library, now)?;
        Ok(done)
    }

    /// Redoes the last undone change and saves. Returns whether there was one.
    ///
    /// # Errors
    /// A database error when saving failed (the change is kept for the next save).
    pub fn redo<S: BoardLog + ?Sized>(&mut self, library: &S, now: i64) -> Result<bool> {
        let done = self.board.redo();
        self.save(library, now)?;
        Ok(done)
    }

    /// Applies an update from a peer and saves it.
    ///
    /// # Errors
    /// [`Error::Board`] for bytes that are not an update (nothing changed), or a
    /// database error when saving failed.
    pub fn apply_remote<S: BoardLog + ?Sized>(
        &mut self,
        library: &S,
        update: &[u8],
        now: i64,
    ) -> Result<()> {
        let result = self.board.apply_update(update).map_err(Error::from);
        self.save(library, now)?;
        result
    }

    /// Writes all changes not yet in the library. Returns the last log sequence
    /// written, or `None` when there was nothing to write.
    ///
    /// # Errors
    /// A database error; the changes stay queued for the next call.
    pub fn save<S: BoardLog + ?Sized>(&mut self, library: &S, now: i64) -> Result<Option<u64>> {
        self.unsaved.extend(self.board.take_updates());
        if self.unsaved.is_empty() {
            return Ok(None);
        }
        let seq = library.append_updates(self.id, &self.unsaved, now)?;
        if let Some(forward) = &self.forward {
            for update in &self.unsaved {
                forward(update);
            }
        }
        self.unsaved.clear();
        Ok(Some(seq))
    }

    /// Sends every update stored from now on to `sink` (or stops with
    /// `None`); see [`UpdateSink`].
    pub fn set_forward(&mut self, sink: Option<UpdateSink>) {
        self.forward = sink;
    }

    /// Saves, then stores the current state as a named revision.
    ///
    /// # Errors
    /// A database error, or [`Error::EmptyName`].
    pub fn create_revision<S: BoardLog + Catalogue + ?Sized>(
        &mut self,
        library: &S,
        name: &str,
        now: i64,
    ) -> Result<RevisionMeta> {
        self.save(library, now)?;
        library.create_revision(self.id, name, &self.board.encode_state(), now)
    }

    /// Makes the board look like a revision again, as a new change on top that
    /// can itself be undone; nothing newer is lost.
    ///
    /// # Errors
    /// [`Error::RevisionNotFound`], a revision of another board, an unreadable
    /// revision, or a database error.
    pub fn restore_revision<S: BoardLog + Catalogue + ?Sized>(
        &mut self,
        library: &S,
        revision: RevisionId,
        now: i64,
    ) -> Result<RestoreSummary> {
        let meta = library.revision(revision)?;
        if meta.board != self.id {
            return Err(Error::RevisionNotFound { revision });
        }
        let (items, title) = revision_content(library, revision)?;
        let result = self.board.restore(now, &items, &title).map_err(Error::from);
        self.save(library, now)?;
        result
    }

    /// Stores the start screen's small picture of the board.
    ///
    /// # Errors
    /// A database error.
    pub fn store_preview<S: Catalogue + ?Sized>(&self, library: &S, now: i64) -> Result<()> {
        let svg = stellwand_board::preview_svg(&self.board.items(), 240, 150);
        library.set_preview(self.id, &svg, now)
    }

    /// The full-fidelity JSON form of the board.
    pub fn to_json(&self) -> BoardJson {
        BoardJson::of(&self.board)
    }
}

/// The items and title stored in a revision.
///
/// # Errors
/// [`Error::RevisionNotFound`], or [`Error::InvalidData`] when the stored state
/// cannot be decoded.
pub fn revision_content<S: Catalogue + ?Sized>(
    library: &S,
    revision: RevisionId,
) -> Result<(Vec<Item>, String)> {
    let state = library.revision_state(revision)?;
    let (board, issues) = Board::load(Author::default(), [state.as_slice()]);
    if let Some((_, err)) = issues.into_iter().next() {
        return Err(Error::InvalidData(format!(
            "revision {revision} cannot be read: {err}"
        )));
    }
    Ok((board.items(), board.title()))
}
