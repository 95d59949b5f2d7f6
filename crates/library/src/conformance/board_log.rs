//! [`BoardLog`]: appends come back in order and survive reopening,
//! compaction loses nothing.

use super::{note_updates, stored_texts, Engine};
use crate::error::Error;
use crate::ids::BoardId;
use crate::storage::{BoardLog, Catalogue};

/// Updates load back byte for byte, in the order they were appended, with
/// seqs that only grow; the returned seq is the last entry's, and appending
/// nothing returns the newest seq. All of it survives reopening.
pub fn appended_updates_load_back_in_order_with_growing_seqs<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("Log", None, 1).unwrap().id;
    assert_eq!(storage.load_board(board).unwrap(), Default::default());
    assert_eq!(storage.append_updates(board, &[], 2).unwrap(), 0);

    let updates = note_updates(&["eins", "zwei", "drei"]);
    let (first, rest) = updates.split_at(1);
    let seq_first = storage.append_updates(board, first, 2).unwrap();
    let seq_last = storage.append_updates(board, rest, 3).unwrap();
    assert!(
        seq_last > seq_first,
        "seqs grow: {seq_first} then {seq_last}"
    );
    assert_eq!(storage.append_updates(board, &[], 4).unwrap(), seq_last);

    let check = |loaded: crate::storage::LoadedBoard| {
        assert_eq!(loaded.snapshot, None);
        let data: Vec<Vec<u8>> = loaded.updates.iter().map(|e| e.data.clone()).collect();
        assert_eq!(data, updates, "every update, byte for byte, in order");
        assert!(loaded.updates.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(loaded.updates[0].seq, seq_first);
        assert_eq!(loaded.last_seq(), Some(seq_last));
        assert_eq!(
            stored_texts(&loaded),
            (vec!["drei".into(), "eins".into(), "zwei".into()], 0)
        );
    };
    check(storage.load_board(board).unwrap());
    drop(storage);
    check(engine.open().load_board(board).unwrap());
}

/// Seqs are handed out across the library: two boards written in turn
/// never share one, and each board loads only its own entries.
pub fn seqs_are_unique_across_the_boards_of_a_library<E: Engine>(engine: &E) {
    let storage = engine.open();
    let a = storage.create_board("A", None, 1).unwrap().id;
    let b = storage.create_board("B", None, 1).unwrap().id;
    let mut seqs = Vec::new();
    for (i, update) in note_updates(&["a1", "b1", "a2", "b2"]).iter().enumerate() {
        let board = if i % 2 == 0 { a } else { b };
        seqs.push(
            storage
                .append_updates(board, std::slice::from_ref(update), 2)
                .unwrap(),
        );
    }
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "library-wide order: {seqs:?}"
    );
    let of_a: Vec<u64> = storage
        .load_board(a)
        .unwrap()
        .updates
        .iter()
        .map(|e| e.seq)
        .collect();
    let of_b: Vec<u64> = storage
        .load_board(b)
        .unwrap()
        .updates
        .iter()
        .map(|e| e.seq)
        .collect();
    assert!(!of_a.is_empty() && !of_b.is_empty());
    assert!(of_a.iter().all(|seq| !of_b.contains(seq)));
    assert_eq!(of_a.len() + of_b.len(), seqs.len());
}

/// Appending sets the board's `updated_at` to `now`, but an append with an
/// older clock does not move it back.
pub fn appending_moves_updated_at_forward_and_never_back<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("Zeit", None, 10).unwrap().id;
    let updates = note_updates(&["a", "b"]);
    storage.append_updates(board, &updates[..1], 20).unwrap();
    assert_eq!(storage.board(board).unwrap().updated_at, 20);
    storage.append_updates(board, &updates[1..], 15).unwrap();
    assert_eq!(storage.board(board).unwrap().updated_at, 20);
    assert_eq!(storage.board(board).unwrap().created_at, 10);
}

/// Compaction folds the log into one snapshot that rebuilds exactly the
/// same document, keeps an entry that does not decode in the log (reported
/// by the count of folded entries), and the result survives reopening.
pub fn compaction_keeps_every_update_and_leaves_unreadable_ones_in_the_log<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("Wand", None, 1).unwrap().id;
    let mut updates = note_updates(&["a", "b", "c"]);
    let readable = updates.len();
    updates.insert(1, vec![0xff, 0x00]);
    storage.append_updates(board, &updates, 2).unwrap();
    let before = stored_texts(&storage.load_board(board).unwrap());
    assert_eq!(before, (vec!["a".into(), "b".into(), "c".into()], 1));

    let folded = storage.compact(board, 3).unwrap();
    assert_eq!(folded, u64::try_from(readable).unwrap());
    let check = |loaded: crate::storage::LoadedBoard| {
        assert!(loaded.snapshot.is_some(), "the log became a snapshot");
        assert_eq!(loaded.updates.len(), 1, "only the unreadable entry is left");
        assert_eq!(loaded.updates[0].data, [0xff, 0x00]);
        assert_eq!(stored_texts(&loaded), before);
    };
    check(storage.load_board(board).unwrap());
    drop(storage);
    let storage = engine.open();
    check(storage.load_board(board).unwrap());
    // Nothing readable is left to fold; the unreadable entry stays.
    assert_eq!(storage.compact(board, 4).unwrap(), 0);
    check(storage.load_board(board).unwrap());
}

/// After compaction the board is its snapshot followed by the entries
/// appended since, and compacting again folds those in too.
pub fn updates_appended_after_compaction_load_after_the_snapshot<E: Engine>(engine: &E) {
    let storage = engine.open();
    let board = storage.create_board("Wand", None, 1).unwrap().id;
    let updates = note_updates(&["vorher", "nachher"]);
    let split = updates.len() / 2;
    let last_before = storage.append_updates(board, &updates[..split], 2).unwrap();
    storage.compact(board, 3).unwrap();
    let after = updates[split..].to_vec();
    let last_after = storage.append_updates(board, &after, 4).unwrap();
    assert!(
        last_after > last_before,
        "seqs keep growing after compaction"
    );

    let loaded = storage.load_board(board).unwrap();
    assert!(loaded.snapshot.is_some());
    let data: Vec<Vec<u8>> = loaded.updates.iter().map(|e| e.data.clone()).collect();
    assert_eq!(
        data, after,
        "only what came after the snapshot is in the log"
    );
    assert_eq!(
        stored_texts(&loaded),
        (vec!["nachher".into(), "vorher".into()], 0)
    );

    assert_eq!(
        storage.compact(board, 5).unwrap(),
        u64::try_from(after.len()).unwrap()
    );
    let loaded = storage.load_board(board).unwrap();
    assert!(loaded.updates.is_empty());
    assert_eq!(
        stored_texts(&loaded),
        (vec!["nachher".into(), "vorher".into()], 0)
    );
}

/// Loading, appending to and compacting a board the library does not have
/// is `BoardNotFound` naming the board, and stores nothing.
pub fn board_log_refuses_unknown_boards_as_board_not_found<E: Engine>(engine: &E) {
    let storage = engine.open();
    let known = storage.create_board("Da", None, 1).unwrap().id;
    let unknown = BoardId::new();
    let is_unknown = |result: Result<_, Error>| matches!(result, Err(Error::BoardNotFound { board }) if board == unknown);
    assert!(is_unknown(storage.load_board(unknown).map(|_| ())));
    assert!(is_unknown(
        storage
            .append_updates(unknown, &note_updates(&["x"]), 2)
            .map(|_| ())
    ));
    assert!(is_unknown(storage.compact(unknown, 3).map(|_| ())));
    assert!(
        storage.load_board(unknown).is_err(),
        "appending did not create it"
    );
    assert!(storage.load_board(known).unwrap().updates.is_empty());
}
