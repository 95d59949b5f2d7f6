//! What a library knows about its boards, folders and revisions besides
//! their content: the records every storage engine keeps and the
//! application layer lists, files and restores.

use serde::{Deserialize, Serialize};

use crate::ids::{BoardId, FolderId, RevisionId};

/// What the library knows about a board besides its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BoardMeta {
    /// The board's id.
    pub id: BoardId,
    /// The board's title.
    pub title: String,
    /// The folder it is filed in, if any.
    pub folder: Option<FolderId>,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Time of the last change to content or metadata.
    pub updated_at: i64,
    /// Archived boards are hidden from the default lists but kept as they
    /// are.
    pub archived: bool,
    /// When the board was moved to the trash; `None` if it is not there.
    pub deleted_at: Option<i64>,
    /// When the board was last opened in the app; `None` if never.
    pub opened_at: Option<i64>,
}

impl BoardMeta {
    /// Whether the board is in the trash.
    #[must_use]
    pub fn is_trashed(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// Which folder a board list looks in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FolderFilter {
    /// Boards in any folder or none.
    #[default]
    Any,
    /// Boards that are in no folder.
    Unfiled,
    /// Boards in this folder.
    In(FolderId),
}

/// Which boards a list holds. The default lists the boards a user works
/// with: every folder, neither archived nor trashed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// Which folder to look in.
    pub folder: FolderFilter,
    /// Also list archived boards.
    pub include_archived: bool,
    /// Also list boards in the trash.
    pub include_deleted: bool,
}

impl BoardFilter {
    /// Every board in the library, archived and trashed ones included.
    #[must_use]
    pub fn everything() -> BoardFilter {
        BoardFilter {
            folder: FolderFilter::Any,
            include_archived: true,
            include_deleted: true,
        }
    }

    /// The boards in one folder, as shown by default.
    #[must_use]
    pub fn in_folder(folder: FolderId) -> BoardFilter {
        BoardFilter {
            folder: FolderFilter::In(folder),
            ..BoardFilter::default()
        }
    }

    /// Whether `meta` belongs in this list.
    #[must_use]
    pub fn matches(&self, meta: &BoardMeta) -> bool {
        let folder = match self.folder {
            FolderFilter::Any => true,
            FolderFilter::Unfiled => meta.folder.is_none(),
            FolderFilter::In(folder) => meta.folder == Some(folder),
        };
        folder
            && (self.include_archived || !meta.archived)
            && (self.include_deleted || !meta.is_trashed())
    }
}

/// A folder of boards, typically one per working group ("AG Technik").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    /// The folder's id.
    pub id: FolderId,
    /// Its name, unique in the library (ignoring ASCII case).
    pub name: String,
    /// When it was created, in milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// A named revision, without its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RevisionMeta {
    /// The revision's id.
    pub id: RevisionId,
    /// The board it belongs to.
    pub board: BoardId,
    /// Its name.
    pub name: String,
    /// When it was taken, milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Size of the stored state in bytes.
    pub size: u64,
}

/// Trims a user-given name and refuses an empty one; every engine names
/// things by the same rule.
///
/// # Errors
/// [`crate::Error::EmptyName`] naming `what`.
pub fn clean_name(name: &str, what: &'static str) -> crate::Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        Err(crate::Error::EmptyName { what })
    } else {
        Ok(trimmed.to_owned())
    }
}

/// The boards among `boards` whose title contains every word of `query`,
/// ignoring case (Unicode-aware, which SQLite's `LIKE` is not). An empty
/// query finds nothing. Every engine's `search_boards` answers with this,
/// so the rule is the same whatever stores the boards.
#[must_use]
pub fn titles_matching(boards: Vec<BoardMeta>, query: &str) -> Vec<BoardMeta> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    boards
        .into_iter()
        .filter(|board| {
            let title = board.title.to_lowercase();
            words.iter().all(|word| title.contains(word.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod search_tests {
    use super::*;

    fn board(title: &str) -> BoardMeta {
        BoardMeta {
            id: crate::BoardId::new(),
            title: title.into(),
            folder: None,
            created_at: 0,
            updated_at: 0,
            archived: false,
            deleted_at: None,
            opened_at: None,
        }
    }

    #[test]
    fn a_title_matches_when_it_holds_every_word_in_any_case() {
        let boards = vec![board("Änderungen im Bürgeramt"), board("Bürgerkonto")];
        let found = titles_matching(boards.clone(), "  ÄNDERUNG  bürger ");
        assert_eq!(found, vec![boards[0].clone()]);
        assert!(titles_matching(boards.clone(), "   ").is_empty());
        assert_eq!(titles_matching(boards, "bürger").len(), 2);
    }
}
