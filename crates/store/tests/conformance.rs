//! The storage conformance suite of `stellwand-library` on the SQLite
//! engine: every behaviour the application layer relies on, one test each,
//! the same suite the in-memory engine runs. "Reopening" opens a new
//! connection to the same library file, as the next start of the app does.

use stellwand_library::conformance::Engine;
use stellwand_library::OpenStorage;
use stellwand_store::Library;

/// A library in a temporary directory, removed when the test ends.
struct Sqlite(tempfile::TempDir);

impl Sqlite {
    fn new() -> Self {
        Sqlite(tempfile::tempdir().expect("a temporary directory for the library"))
    }
}

impl Engine for Sqlite {
    type Storage = Library;

    fn open(&self) -> Library {
        Library::open_storage(self.0.path()).expect("the library opens")
    }
}

stellwand_library::storage_conformance_tests!(Sqlite::new());
