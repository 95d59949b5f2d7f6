//! Opening a library database: file checks, pragmas, migrations.
//!
//! The order matters. Nothing is written before the file has been checked:
//! `user_version` (SQLite refuses a file whose header is not a database's
//! with `SQLITE_NOTADB`) and `PRAGMA quick_check` are read first; only then
//! are the pragmas that may write (`journal_mode=WAL`) set and migrations
//! run. A damaged file or one from a newer Stellwand is therefore refused
//! byte-for-byte untouched.
//!
//! The file is never opened other than through SQLite: closing any other
//! descriptor of a database file releases every POSIX lock this process
//! holds on it, and another process could then delete the write-ahead log
//! under this process's open connections.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result, SqlContext};

/// The migrations, in order. Entry `i` takes the schema from version `i` to
/// version `i + 1`. Append only: a released entry is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_recent_and_previews.sql"),
];

/// The schema version this build creates and understands.
#[allow(clippy::cast_possible_wrap)] // a handful of migrations
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another connection's write lock before
/// giving up with `SQLITE_BUSY`.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How thoroughly to check the file before using it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verify {
    /// Header, schema version and `quick_check`, then migrate.
    Full,
    /// Header and schema version only, which must be exactly
    /// [`SCHEMA_VERSION`]: for a second connection to a library that was
    /// fully opened by this process already.
    Light,
}

/// Opens (creating if needed) the library database at `path`, checks it,
/// sets pragmas and, with [`Verify::Full`], migrates it.
pub(crate) fn open(path: &Path, verify: Verify) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(path, e))?;
    if conn.is_readonly("main").map_err(|e| classify(path, e))? {
        return Err(Error::ReadOnly {
            path: path.to_path_buf(),
        });
    }

    // Read-only checks first: nothing below may touch a file we refuse.
    let found = user_version(&conn).map_err(|e| classify(path, e))?;
    if found > SCHEMA_VERSION {
        return Err(Error::IncompatibleSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    match verify {
        Verify::Full => quick_check(&conn, path)?,
        // A second connection does not migrate; it needs the schema it
        // was written for.
        Verify::Light if found != SCHEMA_VERSION => {
            return Err(Error::IncompatibleSchema {
                found,
                supported: SCHEMA_VERSION,
            })
        }
        Verify::Light => {}
    }

    // Switching a new database to WAL needs an exclusive lock, and SQLite
    // reports a conflict with a concurrent opener as SQLITE_BUSY without
    // consulting the busy handler; wait for it here instead.
    retry_busy(|| set_pragmas(&conn)).map_err(|e| classify(path, e))?;
    if verify == Verify::Full {
        migrate(&conn, path)?;
    }
    Ok(conn)
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let problems = (|| {
        let mut stmt = conn.prepare("PRAGMA quick_check(20)")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
    })()
    .map_err(|e| classify(path, e))?;
    if problems.len() == 1 && problems[0] == "ok" {
        Ok(())
    } else {
        Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("integrity check failed: {}", problems.join("; ")),
        })
    }
}

/// Runs `f` until it does not fail with `SQLITE_BUSY`, for at most
/// [`BUSY_TIMEOUT`].
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(1);
    loop {
        match f() {
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            result => return result,
        }
    }
}

fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    // A file system without shared-memory support answers with another
    // mode; the library then works with a rollback journal, only with less
    // concurrency between readers and the writer.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Runs every migration the file has not seen yet, all in one immediate
/// transaction so that two processes opening a new library at once cannot
/// both run them.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .map_err(|e| classify(path, e))?;
    // Read again under the write lock: another process may have migrated.
    let found = user_version(&tx).map_err(|e| classify(path, e))?;
    if found > SCHEMA_VERSION {
        return Err(Error::IncompatibleSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let start = usize::try_from(found).map_err(|_| Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("negative schema version {found}"),
    })?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(start) {
        tx.execute_batch(sql).context(|| {
            format!(
                "migrating {} to schema version {}",
                path.display(),
                index + 1
            )
        })?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .context(|| format!("recording schema version in {}", path.display()))?;
    tx.commit()
        .context(|| format!("committing migrations of {}", path.display()))?;
    Ok(())
}

/// Maps errors seen while opening to the variants a caller can act on.
fn classify(path: &Path, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::Corrupt {
            path: path.to_path_buf(),
            reason: error.to_string(),
        },
        Some(ErrorCode::ReadOnly) => Error::ReadOnly {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, error.to_string()),
        },
        _ => Error::Sqlite {
            context: format!("opening {}", path.display()),
            source: error,
        },
    }
}

/// Applies only the first `version` migrations to `conn` and records that
/// version. For tests that need a library as an older build left it.
#[cfg(test)]
pub(crate) fn migrate_to(conn: &Connection, version: usize) -> rusqlite::Result<()> {
    for sql in &MIGRATIONS[..version] {
        conn.execute_batch(sql)?;
    }
    conn.pragma_update(None, "user_version", version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every schema object with its SQL, and the recorded version.
    pub(crate) fn schema_of(conn: &Connection) -> (Vec<(String, String, Option<String>)>, i64) {
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        let objects = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (objects, user_version(conn).unwrap())
    }

    #[test]
    fn every_older_schema_upgrades_to_exactly_the_fresh_schema() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = open(&dir.path().join("fresh.sqlite3"), Verify::Full).unwrap();
        let expected = schema_of(&fresh);
        assert_eq!(expected.1, SCHEMA_VERSION);

        for version in 0..=MIGRATIONS.len() {
            let path = dir.path().join(format!("v{version}.sqlite3"));
            {
                let old = Connection::open(&path).unwrap();
                migrate_to(&old, version).unwrap();
            }
            let upgraded = open(&path, Verify::Full).unwrap();
            assert_eq!(schema_of(&upgraded), expected, "upgrading from {version}");
        }
    }

    #[test]
    fn opening_sets_wal_full_sync_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("l.sqlite3"), Verify::Full).unwrap();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    }

    #[test]
    fn every_table_is_strict() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("l.sqlite3"), Verify::Full).unwrap();
        let mut stmt = conn
            .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'")
            .unwrap();
        let tables: Vec<(String, i64)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(tables.len(), 7);
        for (name, strict) in tables {
            assert_eq!(strict, 1, "{name} is not STRICT");
        }
    }
}
