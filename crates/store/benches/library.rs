//! Library benchmark: prints numbers, asserts nothing.
//!
//! `cargo bench -p stellwand-store --bench library` reports
//! - creating 10,000 notes (one transaction, and one transaction each),
//! - opening a 10,000-note board from SQLite in a fresh process: read,
//!   decode, build the view (from a compacted snapshot and from a log of
//!   10,000 updates), with the process's resident memory,
//! - the sustained rate of durable single-note edits (acknowledged after
//!   commit, synchronous=FULL): one commit per edit, and group commit,
//! - compacting a log of 10,000 updates.
//!
//! `cargo bench -p stellwand-store --bench library -- open` stops after the
//! opening measurements (each open repeated five times, median reported):
//! quick enough to compare two builds back to back on a busy machine.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use stellwand_board::{Author, Board, ItemId, NewItem};
use stellwand_library::BoardSession;
use stellwand_store::{BoardId, Library};

const NOTES: usize = 10_000;
const CHILD: &str = "STELLWAND_BENCH_OPEN";
/// Fresh processes per measured open; the median is reported.
const OPENS: usize = 5;

fn author() -> Author {
    Author {
        id: "bench".into(),
        name: "Bench".into(),
    }
}

fn note(n: usize) -> NewItem {
    // One note in ten carries a tag, as on real workshop boards.
    let tags: &[&str] = if n % 10 == 0 { &["AG Technik"] } else { &[] };
    NewItem::note(
        (n % 100) as f64 * 220.0,
        (n / 100) as f64 * 170.0,
        format!("Notiz {n}: Fachverfahren über XÖV anbinden, Schnittstellen prüfen"),
    )
    .with_tags(tags.iter().copied())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Child: open the board the way the app does and report time and memory.
fn open_child(dir: &str, board: &str) {
    let (rss_before, _) = rss_kib();
    let start = Instant::now();
    let library = Library::open(Path::new(dir)).expect("library");
    let board: BoardId = board.parse().expect("board id");
    let opened = Instant::now();
    let session = BoardSession::open(&library, board, author()).expect("board");
    let decoded = Instant::now();
    let items = session.board().items();
    let viewed = Instant::now();
    let (rss, hwm) = rss_kib();
    // What `open_board` sends over IPC is dominated by the items as JSON.
    let json = serde_json::to_vec(&items).expect("items serialize");
    let serialized = Instant::now();
    println!(
        "{} {:.1} {:.1} {:.1} {} {} {} {} {:.1}",
        items.len(),
        ms(opened - start),
        ms(decoded - opened),
        ms(viewed - decoded),
        rss_before,
        rss,
        hwm,
        json.len(),
        ms(serialized - viewed)
    );
}

fn open_in_fresh_process(dir: &Path, board: BoardId, label: &str) {
    let exe = std::env::current_exe().expect("bench binary");
    let mut runs: Vec<Vec<f64>> = Vec::new();
    for _ in 0..OPENS {
        let out = Command::new(&exe)
            .env(CHILD, format!("{}|{board}", dir.display()))
            .output()
            .expect("child runs");
        let line = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<f64> = line
            .split_whitespace()
            .map(|f| f.parse().unwrap_or(0.0))
            .collect();
        if fields.len() < 9 {
            println!(
                "  {label}: child failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        runs.push(fields);
    }
    // Median of each column on its own: the runs differ mostly by the load
    // other processes put on the machine.
    let median = |column: usize| {
        let mut values: Vec<f64> = runs.iter().map(|r| r[column]).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let totals: Vec<f64> = {
        let mut t: Vec<f64> = runs.iter().map(|r| r[1] + r[2] + r[3]).collect();
        t.sort_by(f64::total_cmp);
        t
    };
    let mib = |kib: f64| kib / 1024.0;
    println!(
        "  {label}: {} items in {:.1} ms (median of {OPENS}; open library {:.1} ms, read+decode {:.1} ms, view {:.1} ms); resident {:.1} MiB (process start {:.1} MiB, peak {:.1} MiB); items as JSON {:.2} MB in {:.1} ms",
        median(0),
        totals[totals.len() / 2],
        median(1),
        median(2),
        median(3),
        mib(median(5)),
        mib(median(4)),
        mib(median(6)),
        median(7) / 1e6,
        median(8)
    );
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        let (dir, board) = spec.split_once('|').expect("dir|board");
        open_child(dir, board);
        return;
    }
    // `cargo bench` passes --bench; a further `open` stops after opening.
    let open_only = std::env::args().skip(1).any(|a| a == "open");
    // STELLWAND_BENCH_DIR keeps the library there, to profile one open
    // alone with STELLWAND_BENCH_OPEN=dir|board; by default it is removed.
    let keep = std::env::var_os("STELLWAND_BENCH_DIR");
    let tmp = match &keep {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("tempdir");
    let (dir, _removed_at_end) = if keep.is_some() {
        (tmp.keep(), None)
    } else {
        (tmp.path().to_path_buf(), Some(tmp))
    };
    let library = Library::open(&dir).expect("library");
    println!("Stellwand library benchmark ({NOTES} notes, SQLite WAL, synchronous=FULL)");

    // 1. Creating notes.
    let mut board = Board::new(author());
    let start = Instant::now();
    board
        .edit(0, |e| {
            for n in 0..NOTES {
                e.create(note(n))?;
            }
            Ok(())
        })
        .expect("notes");
    let batch = start.elapsed();
    let state = board.encode_state();
    println!(
        "create {NOTES} notes in one transaction: {:.0} ms ({:.1} us/note); state {:.2} MB (v1)",
        ms(batch),
        batch.as_secs_f64() * 1e6 / NOTES as f64,
        state.len() as f64 / 1e6
    );
    let mut single = Board::new(author());
    let start = Instant::now();
    for n in 0..NOTES {
        single.edit(0, |e| e.create(note(n))).expect("note");
    }
    let each = start.elapsed();
    let log: Vec<Vec<u8>> = single.take_updates();
    println!(
        "create {NOTES} notes, one transaction (undo step, update) each: {:.0} ms ({:.1} us/note)",
        ms(each),
        each.as_secs_f64() * 1e6 / NOTES as f64
    );

    // 2. Opening from SQLite in a fresh process.
    let compacted = library.create_board("Snapshot", None, 0).expect("board").id;
    library
        .append_updates(compacted, &[state.as_slice()], 0)
        .expect("append");
    library.compact(compacted, 0).expect("compact");
    let logged = library.create_board("Log", None, 0).expect("board").id;
    library.append_updates(logged, &log, 0).expect("append");
    println!("open a {NOTES}-note board in a fresh process (page cache warm):");
    open_in_fresh_process(&dir, compacted, "from a compacted snapshot");
    if keep.is_some() {
        println!(
            "  library kept in {}: snapshot board {compacted}, log board {logged}",
            dir.display()
        );
    }
    open_in_fresh_process(
        &dir,
        logged,
        &format!("from a log of {} updates", log.len()),
    );
    if open_only {
        return;
    }

    // 3. Durable edits.
    let mut session = BoardSession::open(&library, compacted, author()).expect("open");
    let ids: Vec<ItemId> = session.board().items().iter().map(|i| i.id).collect();
    let edits = 2_000;
    let start = Instant::now();
    for n in 0..edits {
        let id = ids[(n * 7919) % ids.len()];
        session
            .edit(&library, n as i64, |e| e.edit_text(id, 0, 0, "x"))
            .expect("durable edit");
    }
    let elapsed = start.elapsed();
    println!(
        "durable single-note edits, one commit each: {:.0} edits/s ({:.2} ms each)",
        edits as f64 / elapsed.as_secs_f64(),
        ms(elapsed) / edits as f64
    );

    let committer = library.committer().expect("committer");
    let (mut board, _) = Board::load(author(), [state.as_slice()]);
    let edits = 100_000;
    let window = 4_096;
    let mut receipts = std::collections::VecDeque::with_capacity(window);
    let mut latencies: Vec<Duration> = Vec::with_capacity(edits);
    let start = Instant::now();
    for n in 0..edits {
        let id = ids[(n * 7919) % ids.len()];
        board
            .edit(n as i64, |e| e.edit_text(id, 0, 0, "y"))
            .expect("edit");
        for update in board.take_updates() {
            receipts.push_back((
                Instant::now(),
                committer.submit(compacted, update, n as i64),
            ));
        }
        while receipts.len() >= window {
            let (t, r) = receipts.pop_front().expect("not empty");
            r.wait().expect("committed");
            latencies.push(t.elapsed());
        }
    }
    for (t, r) in receipts {
        r.wait().expect("committed");
        latencies.push(t.elapsed());
    }
    let elapsed = start.elapsed();
    latencies.sort();
    println!(
        "durable single-note edits, group commit ({window} in flight): {:.0} edits/s; ack latency p50 {:.1} ms, p99 {:.1} ms",
        edits as f64 / elapsed.as_secs_f64(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 99 / 100])
    );
    drop(committer);

    // 4. Compaction of a 10,000-update log.
    let target = library
        .create_board("Compaction", None, 0)
        .expect("board")
        .id;
    library.append_updates(target, &log, 0).expect("append");
    let start = Instant::now();
    let report = library.compact(target, 0).expect("compact");
    println!(
        "compact a log of {} updates: {:.0} ms ({:.2} MB -> {:.2} MB)",
        report.applied,
        ms(start.elapsed()),
        report.bytes_before as f64 / 1e6,
        report.bytes_after as f64 / 1e6
    );
}
