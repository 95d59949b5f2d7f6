//! How the application layer's ids go into SQLite and come back: as the
//! hyphenated lowercase UUID text, the form they display and parse in.
//!
//! The ids belong to `stellwand-library`, which knows no SQLite, so they
//! cannot implement rusqlite's traits themselves; [`Id`] carries them
//! across.

use std::fmt::Display;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// An id on its way into or out of SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Id<T>(pub T);

impl<T: Display> ToSql for Id<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.to_string()))
    }
}

impl<T> FromSql for Id<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map(Id)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}
