//! Voting rounds the host recorded go into exports: votes per note (a
//! merged note keeps the votes of the notes merged into it) and a ranked
//! list per closed round; open rounds and malformed records are left out.

mod support;

use stellwand_board::yrs::{Any, Map, Transact};
use stellwand_board::Intent;
use stellwand_export::{markdown, DocumentOptions};
use support::*;

fn round(id: &str, title: &str, state: &str, results: &[(String, f64)]) -> Any {
    let results: std::collections::HashMap<String, Any> = results
        .iter()
        .map(|(k, v)| (k.clone(), Any::from(*v)))
        .collect();
    let map: std::collections::HashMap<String, Any> = [
        ("id".to_owned(), Any::from(id)),
        ("title".to_owned(), Any::from(title)),
        ("state".to_owned(), Any::from(state)),
        ("started".to_owned(), Any::from(1_795_000_000_000.0)),
        ("ended".to_owned(), Any::from(1_795_000_600_000.0)),
        ("people".to_owned(), Any::from(4.0)),
        ("results".to_owned(), Any::from(results)),
    ]
    .into_iter()
    .collect();
    Any::from(map)
}

#[test]
fn closed_rounds_give_votes_and_a_ranking_merged_notes_keep_theirs() {
    let sample = sample_board();
    let mut board = sample.board;
    let [a1, a2, a3, ..] = sample.notes[..] else {
        panic!("sample notes")
    };
    let doc = board.doc().clone();
    {
        let root = doc.get_or_insert_map("workshop");
        let mut txn = doc.transact_mut();
        let closed = round(
            "r1",
            "Was zuerst?",
            "closed",
            &[
                (a1.to_string(), 3.0),
                (a2.to_string(), 2.0),
                (a3.to_string(), 1.0),
            ],
        );
        root.insert(&mut txn, "round:r1", closed);
        let open = round("r2", "Noch offen", "open", &[(a3.to_string(), 9.0)]);
        root.insert(&mut txn, "round:r2", open);
        root.insert(&mut txn, "round:bad", "not a round");
    }
    // A3 is merged into A2: A2 now carries 2 + 1 votes.
    board
        .apply_intent(
            NOW + 1,
            Intent::Merge {
                target: a2,
                ids: vec![a3],
            },
        )
        .unwrap();
    let export = export_board(&board);
    assert_eq!(export.votes.get(&a1), Some(&3));
    assert_eq!(export.votes.get(&a2), Some(&3));
    assert_eq!(export.votes.get(&a3), None);
    let md = markdown(&export, &DocumentOptions::default());
    assert!(md.contains("## Abstimmungen"), "{md}");
    assert!(md.contains("Was zuerst? (4 Personen,"), "{md}");
    assert!(md.contains("3 Stimmen"), "{md}");
    assert!(
        !md.contains("Noch offen"),
        "an open round is not reported: {md}"
    );
    assert!(!md.contains("9 Stimmen"));
}

#[test]
fn a_board_without_rounds_has_no_voting_section() {
    let export = export_board(&sample_board().board);
    assert!(export.votes.is_empty());
    let md = markdown(&export, &DocumentOptions::default());
    assert!(!md.contains("Abstimmungen"));
}
