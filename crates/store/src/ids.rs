//! The ids of the things the library stores. They are the application
//! layer's (one type each, shared by every engine); SQLite keeps them as
//! their hyphenated text form through [`crate::sql::Id`].

pub use stellwand_library::ids::{BoardId, FolderId, RevisionId};
