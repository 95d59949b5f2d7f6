//! The storage conformance suite: what every engine behind the storage
//! traits must do, as test functions generic over the engine.
//!
//! An engine's test crate implements [`Engine`] (open a fresh library, and
//! open the same library again as a restarted process would) and expands
//! [`storage_conformance_tests!`](crate::storage_conformance_tests) once,
//! which gives one `#[test]` per suite function, named after the behaviour
//! it checks:
//!
//! ```ignore
//! struct Sqlite(tempfile::TempDir);
//! impl stellwand_library::conformance::Engine for Sqlite {
//!     type Storage = stellwand_store::Library;
//!     fn open(&self) -> Self::Storage {
//!         stellwand_store::Library::open(self.0.path()).unwrap()
//!     }
//! }
//! stellwand_library::storage_conformance_tests!(Sqlite(tempfile::tempdir().unwrap()));
//! ```
//!
//! The module is compiled for this crate's own tests (on [`MemoryStorage`](
//! crate::MemoryStorage)) and, behind the cargo feature `conformance`, for
//! other crates' dev-dependencies; release builds do not contain it.
//!
//! The suite functions panic on the first broken expectation, like any
//! test: they are test code even when another crate compiles them, which is
//! why `unwrap` is allowed here.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

pub mod board_log;
pub mod catalogue;
pub mod settings;
pub mod workspace;

pub use board_log::*;
pub use catalogue::*;
pub use settings::*;
pub use workspace::*;

use stellwand_board::{Author, Board, NewItem};

use crate::storage::Storage;

/// A storage engine under test: one library, opened as often as a test
/// needs it.
pub trait Engine {
    /// The engine's handle.
    type Storage: Storage;

    /// Opens the library this value stands for: empty on the first call,
    /// the same library with everything stored so far on every later call
    /// (as another process, or the next start of the app, would open it).
    /// Handles opened earlier may still be alive.
    fn open(&self) -> Self::Storage;
}

/// Updates that create one note per text, in order, from one document (so
/// later ones may depend on earlier ones). An edit may produce more than one
/// update; they are all returned, in order.
#[must_use]
pub fn note_updates(texts: &[&str]) -> Vec<Vec<u8>> {
    let mut board = Board::new(Author::default());
    let mut x = 0.0;
    let mut updates = Vec::new();
    for text in texts {
        board
            .edit(0, |e| e.create(NewItem::note(x, 0.0, *text)))
            .unwrap();
        x += 300.0;
        updates.extend(board.take_updates());
    }
    updates
}

/// The notes' texts, sorted, of the document a stored board rebuilds to
/// (its snapshot, then its log), and how many stored entries did not load.
#[must_use]
pub fn stored_texts(loaded: &crate::storage::LoadedBoard) -> (Vec<String>, usize) {
    let sources = loaded
        .snapshot
        .iter()
        .map(Vec::as_slice)
        .chain(loaded.updates.iter().map(|e| e.data.as_slice()));
    let (board, problems) = Board::load(Author::default(), sources);
    let mut texts: Vec<String> = board.items().into_iter().map(|i| i.text).collect();
    texts.sort();
    (texts, problems.len())
}

/// Expands to one `#[test]` per suite function, each on a fresh engine made
/// by `$engine` (an expression evaluated once per test).
#[macro_export]
macro_rules! storage_conformance_tests {
    ($engine:expr) => {
        $crate::storage_conformance_tests!(@each $engine;
            // The board log
            appended_updates_load_back_in_order_with_growing_seqs,
            seqs_are_unique_across_the_boards_of_a_library,
            appending_moves_updated_at_forward_and_never_back,
            compaction_keeps_every_update_and_leaves_unreadable_ones_in_the_log,
            updates_appended_after_compaction_load_after_the_snapshot,
            board_log_refuses_unknown_boards_as_board_not_found,
            // Settings
            settings_are_stored_replaced_removed_and_kept_across_reopening,
            setting_or_insert_keeps_the_value_stored_first,
            setting_or_insert_from_many_handles_at_once_agrees_on_one_value,
            settings_with_prefix_lists_only_keys_starting_with_it_by_key,
            // The catalogue
            created_boards_get_trimmed_titles_and_are_listed_newest_change_first,
            ensuring_a_board_keeps_its_id_and_creates_it_only_once,
            renaming_moving_and_archiving_change_the_board_and_its_lists,
            trash_and_restore_move_a_board_out_of_and_back_into_the_lists,
            only_trashed_boards_are_purged_with_their_content_and_revisions,
            folders_are_unique_ignoring_case_sorted_by_name_and_deleted_only_when_empty,
            recent_boards_are_the_opened_ones_newest_first_without_the_trash,
            previews_are_stored_replaced_and_kept_per_board,
            search_finds_titles_containing_every_word_ignoring_case_outside_the_trash,
            revisions_keep_their_state_and_are_listed_oldest_first_per_board,
            empty_names_are_refused_as_empty_name_everywhere,
            unknown_ids_are_refused_with_the_matching_not_found_variant,
            the_catalogue_is_kept_across_reopening,
            // The workspace, drafts and templates on the engine
            a_board_reopens_exactly_as_it_was_left,
            remote_updates_apply_store_forward_and_refuse_garbage_alone,
            undo_redo_and_refused_intents_report_their_state,
            search_finds_titles_and_note_text_duplicates_copy_content,
            near_duplicates_merges_and_comments_are_saved_with_the_board,
            revisions_restore_an_earlier_state_as_an_undoable_change,
            boards_start_from_templates_and_boards_become_templates,
            drafts_are_kept_per_board_and_bad_ones_refused,
            publishing_puts_drafts_on_the_board_once_without_author_when_anonymous,
            the_user_stays_the_same_across_reopening,
        );
    };
    (@each $engine:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::conformance::$name(&$engine);
            }
        )*
    };
}
