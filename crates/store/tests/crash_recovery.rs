//! A writer killed with SIGKILL at random moments never loses an acknowledged note.
//!
//! The test binary runs itself as the child process (the `crash_child` test,
//! which only does something when `STELLWAND_CRASH_CHILD` is set): it adds
//! notes in a loop, compacting now and then, and prints `ACK <id>` after each
//! note's update is committed.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use stellwand_board::{Author, ItemId, NewItem};
use stellwand_library::BoardSession;
use stellwand_store::{BoardId, Library};

const CHILD_ENV: &str = "STELLWAND_CRASH_CHILD";

fn author() -> Author {
    Author {
        id: "crash".into(),
        name: "Crash".into(),
    }
}

#[test]
fn crash_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (dir, board) = spec.split_once('|').expect("dir|board");
    let board: BoardId = board.parse().expect("board id");
    let library = Library::open(Path::new(dir)).expect("library opens");
    let mut session = BoardSession::open(&library, board, author()).expect("board opens");
    let mut out = std::io::stdout().lock();
    for n in 0u64.. {
        let id = session
            .edit(&library, n as i64, |e| {
                e.create(NewItem::note(
                    (n % 50) as f64 * 210.0,
                    (n / 50) as f64 * 160.0,
                    format!("Notiz {n}"),
                ))
            })
            .expect("note is saved");
        writeln!(out, "ACK {id}").expect("parent reads");
        out.flush().expect("parent reads");
        if n % 97 == 96 {
            library.compact(board, n as i64).expect("compaction");
        }
    }
}

#[test]
fn reopening_after_kill_keeps_every_acknowledged_note() {
    let seed: u64 = std::env::var("STELLWAND_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    println!("seed {seed} (rerun with STELLWAND_SEED={seed})");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let tmp = tempfile::tempdir().expect("tempdir");
    let board = {
        let library = Library::open(tmp.path()).expect("library");
        let (meta, _) =
            BoardSession::create(&library, "Absturztest", None, author(), 0).expect("board");
        meta.id
    };
    let exe = std::env::current_exe().expect("test binary");
    let mut acknowledged: HashSet<ItemId> = HashSet::new();
    for round in 0..24 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD_ENV, format!("{}|{board}", tmp.path().display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("ACK ") {
                    let _ = tx.send(id.parse::<ItemId>().expect("an id"));
                }
            }
        });
        // Wait for the first acknowledgement, then kill at a random moment.
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("child acknowledges notes");
        acknowledged.insert(first);
        std::thread::sleep(Duration::from_millis(rng.random_range(0..250)));
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("child ends");
        assert!(!status.success(), "the child was killed");
        reader.join().expect("reader");
        let before = acknowledged.len();
        acknowledged.extend(rx.try_iter());

        let library = Library::open(tmp.path()).expect("library opens after a kill");
        let session =
            BoardSession::open(&library, board, author()).expect("board opens after a kill");
        assert!(
            session.load_issues().is_empty(),
            "round {round}: {:?} (seed {seed})",
            session.load_issues()
        );
        let present: HashSet<ItemId> = session.board().items().iter().map(|i| i.id).collect();
        let missing: Vec<_> = acknowledged.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "round {round}: {} acknowledged notes lost (seed {seed})",
            missing.len()
        );
        println!(
            "round {round}: {} new, {} acknowledged in all",
            acknowledged.len() - before,
            acknowledged.len()
        );
    }
    assert!(acknowledged.len() > 24);
}
