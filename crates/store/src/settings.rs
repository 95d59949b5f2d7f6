//! The `settings` table: the user's preferences as key/value text.
//!
//! Values are opaque to the store; callers that need structure store JSON.

use rusqlite::{params, OptionalExtension};

use crate::error::{Result, SqlContext};
use crate::Library;

impl Library {
    /// The value stored under `key`, if any.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`].
    pub fn get_setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()
            .context(|| format!("reading setting {key:?}"))
    }

    /// Stores `value` under `key`, replacing any previous value.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`].
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .context(|| format!("saving setting {key:?}"))?;
        Ok(())
    }

    /// The value stored under `key`; if there is none, `value` is stored and
    /// returned. One statement decides, so two processes creating the same
    /// setting at once both get the one that was stored first.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`].
    pub fn setting_or_insert(&self, key: &str, value: &str) -> Result<String> {
        self.conn
            .query_row(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = value \
                 RETURNING value",
                params![key, value],
                |row| row.get(0),
            )
            .context(|| format!("creating setting {key:?}"))
    }

    /// Every setting whose key starts with `prefix`, by key.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`].
    pub fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let what = || format!("reading settings {prefix:?}…");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
            )
            .context(what)?;
        let rows = stmt
            .query_map(params![prefix], |row| Ok((row.get(0)?, row.get(1)?)))
            .context(what)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().context(what)
    }

    /// Removes `key`; returns whether it was set.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Sqlite`].
    pub fn remove_setting(&self, key: &str) -> Result<bool> {
        let removed = self
            .conn
            .execute("DELETE FROM settings WHERE key = ?1", params![key])
            .context(|| format!("removing setting {key:?}"))?;
        Ok(removed > 0)
    }
}

#[cfg(test)]
mod tests {
    use crate::Library;

    #[test]
    fn settings_are_replaced_and_removed_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let library = Library::open(dir.path()).unwrap();
            assert_eq!(library.get_setting("language").unwrap(), None);
            library.set_setting("language", "en").unwrap();
            library.set_setting("language", "de").unwrap();
            library.set_setting("theme", "hell").unwrap();
            assert!(library.remove_setting("theme").unwrap());
            assert!(!library.remove_setting("theme").unwrap());
        }
        let library = Library::open(dir.path()).unwrap();
        assert_eq!(
            library.get_setting("language").unwrap().as_deref(),
            Some("de")
        );
        assert_eq!(library.get_setting("theme").unwrap(), None);
    }

    #[test]
    fn a_setting_created_by_another_handle_first_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = Library::open(dir.path()).unwrap();
        let second = Library::open(dir.path()).unwrap();
        assert_eq!(first.setting_or_insert("key", "erster").unwrap(), "erster");
        assert_eq!(
            second.setting_or_insert("key", "zweiter").unwrap(),
            "erster"
        );
        assert_eq!(first.get_setting("key").unwrap().as_deref(), Some("erster"));
    }
}
