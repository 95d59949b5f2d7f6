//! The `folders` table: one folder per working group.

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row};

use crate::error::{Error, Result, SqlContext};
use crate::ids::FolderId;
use crate::sql::Id;
use crate::Folder;
use crate::{clean_name, Library};

fn folder_from_row(row: &Row<'_>) -> rusqlite::Result<Folder> {
    Ok(Folder {
        id: row.get::<_, Id<FolderId>>("id")?.0,
        name: row.get("name")?,
        created_at: row.get("created_at")?,
    })
}

const COLUMNS: &str = "id, name, created_at";

impl Library {
    /// Creates a folder named `name` (trimmed).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`] for a blank name, [`Error::FolderExists`] if a
    /// folder of that name (ignoring ASCII case) exists, [`Error::Sqlite`] on
    /// database failure.
    pub fn create_folder(&self, name: &str, now: i64) -> Result<Folder> {
        let name = clean_name(name, "folder name")?;
        let folder = Folder {
            id: FolderId::new(),
            name,
            created_at: now,
        };
        self.conn
            .execute(
                "INSERT INTO folders (id, name, created_at) VALUES (?1, ?2, ?3)",
                params![Id(folder.id), folder.name, folder.created_at],
            )
            .map_err(|e| name_taken(e, &folder.name))?;
        Ok(folder)
    }

    /// All folders, sorted by name.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`] on database failure.
    pub fn list_folders(&self) -> Result<Vec<Folder>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM folders ORDER BY name COLLATE NOCASE, id"
            ))
            .context(|| "listing folders".into())?;
        let rows = stmt
            .query_map([], folder_from_row)
            .context(|| "listing folders".into())?;
        rows.collect::<rusqlite::Result<_>>()
            .context(|| "listing folders".into())
    }

    /// The folder with this id.
    ///
    /// # Errors
    ///
    /// [`Error::FolderNotFound`] if there is none, [`Error::Sqlite`] on
    /// database failure.
    pub fn folder(&self, folder: FolderId) -> Result<Folder> {
        get(&self.conn, folder)?.ok_or(Error::FolderNotFound { folder })
    }

    /// The folder with this name (ignoring ASCII case), if any.
    ///
    /// # Errors
    ///
    /// [`Error::Sqlite`] on database failure.
    pub fn folder_by_name(&self, name: &str) -> Result<Option<Folder>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM folders WHERE name = ?1"),
                params![name.trim()],
                folder_from_row,
            )
            .optional()
            .context(|| format!("looking up folder {name:?}"))
    }

    /// Renames a folder.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyName`], [`Error::FolderExists`] if another folder has
    /// the name, [`Error::FolderNotFound`], [`Error::Sqlite`].
    pub fn rename_folder(&self, folder: FolderId, name: &str) -> Result<Folder> {
        let name = clean_name(name, "folder name")?;
        let changed = self
            .conn
            .execute(
                "UPDATE folders SET name = ?2 WHERE id = ?1",
                params![Id(folder), name],
            )
            .map_err(|e| name_taken(e, &name))?;
        if changed == 0 {
            return Err(Error::FolderNotFound { folder });
        }
        self.folder(folder)
    }

    /// Deletes an empty folder.
    ///
    /// # Errors
    ///
    /// [`Error::FolderNotEmpty`] if any board (archived and trashed ones
    /// included) is still in it, [`Error::FolderNotFound`],
    /// [`Error::Sqlite`].
    pub fn delete_folder(&self, folder: FolderId) -> Result<()> {
        let tx = self.write_tx(|| format!("deleting folder {folder}"))?;
        let boards: i64 = tx
            .query_row(
                "SELECT count(*) FROM boards WHERE folder_id = ?1",
                params![Id(folder)],
                |row| row.get(0),
            )
            .context(|| format!("counting boards in folder {folder}"))?;
        if boards > 0 {
            return Err(Error::FolderNotEmpty {
                folder,
                boards: u64::try_from(boards).unwrap_or(0),
            });
        }
        let deleted = tx
            .execute("DELETE FROM folders WHERE id = ?1", params![Id(folder)])
            .context(|| format!("deleting folder {folder}"))?;
        if deleted == 0 {
            return Err(Error::FolderNotFound { folder });
        }
        tx.commit().context(|| format!("deleting folder {folder}"))
    }
}

pub(crate) fn get(conn: &Connection, folder: FolderId) -> Result<Option<Folder>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM folders WHERE id = ?1"),
        params![Id(folder)],
        folder_from_row,
    )
    .optional()
    .context(|| format!("reading folder {folder}"))
}

/// Turns a unique-constraint failure into [`Error::FolderExists`].
fn name_taken(error: rusqlite::Error, name: &str) -> Error {
    if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
        Error::FolderExists {
            name: name.to_owned(),
        }
    } else {
        Error::Sqlite {
            context: format!("saving folder {name:?}"),
            source: error,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{BoardFilter, Error, Library};

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        (dir, library)
    }

    #[test]
    fn folders_are_listed_by_name() {
        let (_dir, library) = library();
        library.create_folder("AG Technik", 1).unwrap();
        library.create_folder("AG Strategie", 2).unwrap();
        let names: Vec<_> = library
            .list_folders()
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["AG Strategie", "AG Technik"]);
    }

    #[test]
    fn folder_names_are_unique_ignoring_case_and_spaces() {
        let (_dir, library) = library();
        library.create_folder("AG Technik", 1).unwrap();
        let err = library.create_folder("  ag technik ", 2).unwrap_err();
        assert!(matches!(err, Error::FolderExists { .. }), "{err:?}");
        let other = library.create_folder("AG Recht", 3).unwrap();
        let err = library.rename_folder(other.id, "AG TECHNIK").unwrap_err();
        assert!(matches!(err, Error::FolderExists { .. }), "{err:?}");
    }

    #[test]
    fn blank_folder_names_are_refused() {
        let (_dir, library) = library();
        assert!(matches!(
            library.create_folder("   ", 1),
            Err(Error::EmptyName { .. })
        ));
    }

    #[test]
    fn renaming_a_folder_keeps_its_boards() {
        let (_dir, library) = library();
        let folder = library.create_folder("AG Technik", 1).unwrap();
        let board = library
            .create_board("Sitzung 1", Some(folder.id), 2)
            .unwrap();
        let renamed = library.rename_folder(folder.id, "AG Technik & IT").unwrap();
        assert_eq!(renamed.name, "AG Technik & IT");
        assert_eq!(library.board(board.id).unwrap().folder, Some(folder.id));
    }

    #[test]
    fn a_folder_with_boards_cannot_be_deleted_even_if_they_are_in_the_trash() {
        let (_dir, library) = library();
        let folder = library.create_folder("AG Technik", 1).unwrap();
        let board = library
            .create_board("Sitzung 1", Some(folder.id), 2)
            .unwrap();
        library.trash_board(board.id, 3).unwrap();
        let err = library.delete_folder(folder.id).unwrap_err();
        assert!(
            matches!(err, Error::FolderNotEmpty { boards: 1, .. }),
            "{err:?}"
        );

        library.purge_board(board.id).unwrap();
        library.delete_folder(folder.id).unwrap();
        assert!(library.list_folders().unwrap().is_empty());
        assert!(library
            .list_boards(&BoardFilter::everything())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unknown_folders_are_reported_as_not_found() {
        let (_dir, library) = library();
        let id = crate::FolderId::new();
        assert!(library.folder(id).unwrap_err().is_not_found());
        assert!(library.delete_folder(id).unwrap_err().is_not_found());
        assert!(library.rename_folder(id, "x").unwrap_err().is_not_found());
    }
}
