//! Several peers apply random operations and exchange updates in random order,
//! with duplicates: all end identical.

use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use stellwand_board::{Author, Board, ItemId, ItemKind, NewItem};

fn random_op(board: &mut Board, rng: &mut StdRng, now: i64) {
    let items = board.items();
    let notes: Vec<ItemId> = items
        .iter()
        .filter(|i| i.kind != ItemKind::Connector)
        .map(|i| i.id)
        .collect();
    let frames: Vec<ItemId> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Frame)
        .map(|i| i.id)
        .collect();
    let choice = if notes.is_empty() {
        0
    } else {
        rng.random_range(0..10)
    };
    let pick = |rng: &mut StdRng| *notes.choose(rng).expect("not empty");
    // Ids come from the seeded generator so that a seed replays exactly.
    let new_id = ItemId::from(uuid::Uuid::from_u128(rng.random()));
    let _ = board.edit(now, |e| match choice {
        0 => e
            .create(
                NewItem::note(
                    rng.random_range(0.0..2000.0),
                    rng.random_range(0.0..2000.0),
                    "n",
                )
                .with_id(new_id),
            )
            .map(|_| ()),
        1 => e
            .create(
                NewItem::frame(rng.random_range(0.0..2000.0), 0.0, 600.0, 600.0, "F")
                    .with_id(new_id),
            )
            .map(|_| ()),
        2 => {
            let id = pick(rng);
            let text = e.item(id)?.text;
            let len = stellwand_board::text::utf16_len(&text);
            let at = rng.random_range(0..=len);
            let at = if stellwand_board::text::is_utf16_boundary(&text, at) {
                at
            } else {
                0
            };
            e.edit_text(
                id,
                at,
                0,
                ["ä", "ß", "👋", "x", " "].choose(rng).expect("not empty"),
            )
        }
        3 => {
            let id = pick(rng);
            let text = e.item(id)?.text;
            e.set_text(id, &text.chars().rev().collect::<String>())
        }
        4 => e.move_by(
            &[pick(rng)],
            rng.random_range(-50.0..50.0),
            rng.random_range(-50.0..50.0),
        ),
        5 => e.delete(&[pick(rng)]).map(|_| ()),
        6 => match frames.choose(rng) {
            Some(frame) => {
                let id = pick(rng);
                e.set_parent(id, Some(*frame)).or(Ok(()))
            }
            None => Ok(()),
        },
        7 => e.recolor(
            &[pick(rng)],
            ["yellow", "green", "#123456"]
                .choose(rng)
                .expect("not empty"),
        ),
        8 => e.add_tag(pick(rng), ["a", "b", "c"].choose(rng).expect("not empty")),
        _ => {
            let a = pick(rng);
            let b = pick(rng);
            e.create(NewItem::connector(a, b, "").with_id(new_id))
                .map(|_| ())
        }
    });
}

fn run(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let peers = rng.random_range(3..=5);
    let mut boards: Vec<Board> = (0..peers)
        .map(|i| {
            Board::with_client_id(
                Author {
                    id: format!("u{i}"),
                    name: format!("Peer {i}"),
                },
                100 + i as u64,
            )
        })
        .collect();
    // Every update ever produced, to be delivered to every other peer.
    let mut mailboxes: Vec<Vec<Vec<u8>>> = vec![Vec::new(); peers];
    let mut emitted: Vec<Vec<u8>> = Vec::new();
    for round in 0..40 {
        for (p, board) in boards.iter_mut().enumerate() {
            for _ in 0..rng.random_range(0..4) {
                random_op(board, &mut rng, round);
            }
            if rng.random_bool(0.1) {
                board.undo();
            }
            for update in board.take_updates() {
                emitted.push(update.clone());
                for (q, mailbox) in mailboxes.iter_mut().enumerate() {
                    if q != p {
                        mailbox.push(update.clone());
                        if rng.random_bool(dup_rate()) {
                            mailbox.push(update.clone());
                        }
                    }
                }
            }
        }
        // Deliver part of each mailbox, shuffled.
        for (q, board) in boards.iter_mut().enumerate() {
            mailboxes[q].shuffle(&mut rng);
            let deliver = rng.random_range(0..=mailboxes[q].len());
            for update in mailboxes[q].drain(..deliver).collect::<Vec<_>>() {
                board.apply_update(&update).expect("own updates decode");
            }
            // Remote updates applied here are not forwarded again (the source sends to all).
            board.take_updates();
        }
    }
    for (q, board) in boards.iter_mut().enumerate() {
        mailboxes[q].shuffle(&mut rng);
        for update in std::mem::take(&mut mailboxes[q]) {
            board.apply_update(&update).expect("own updates decode");
        }
    }
    if std::env::var("STELLWAND_DEBUG").is_ok() {
        use stellwand_board::yrs::{ReadTxn, Transact};
        for (p, board) in boards.iter().enumerate() {
            let txn = board.doc().transact();
            eprintln!(
                "peer {p}: missing={} sv={:?}",
                txn.has_missing_updates(),
                txn.state_vector()
            );
        }
        let mut fresh = Board::new(Author::default());
        for u in &emitted {
            fresh.apply_update(u).expect("decodes");
        }
        let txn = fresh.doc().transact();
        eprintln!(
            "all emitted: missing={} sv={:?}",
            txn.has_missing_updates(),
            txn.state_vector()
        );
    }
    let reference = serde_json::to_string(&boards[0].items()).expect("serialises");
    for (p, board) in boards.iter().enumerate().skip(1) {
        let view = serde_json::to_string(&board.items()).expect("serialises");
        assert_eq!(
            view, reference,
            "peer {p} differs from peer 0 (seed {seed})"
        );
    }
}

#[test]
fn random_concurrent_edits_converge_on_every_peer() {
    let base: u64 = std::env::var("STELLWAND_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    let count: u64 = std::env::var("STELLWAND_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    for seed in base..base.saturating_add(count) {
        let result = std::panic::catch_unwind(|| run(seed));
        if result.is_err() {
            panic!("convergence failed; rerun with STELLWAND_SEED={seed}");
        }
    }
}

fn dup_rate() -> f64 {
    std::env::var("STELLWAND_DUP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.2)
}
