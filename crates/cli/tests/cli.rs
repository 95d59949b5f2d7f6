//! The command line as a script would use it: real processes on real library files.

mod support;

use serde_json::Value;
use support::{cli, fails, json, ok};

#[test]
fn a_workshop_can_be_prepared_and_documented_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    json(dir, &["folder", "create", "AG Technik"]);
    let board = json(
        dir,
        &["board", "create", "Sitzung 3", "--folder", "AG Technik"],
    );
    let id = board["id"].as_str().unwrap().to_owned();
    let frame = json(dir, &["frame", "add", &id, "Hemmnisse"]);
    assert_eq!(frame["kind"], "frame");
    let note = json(
        dir,
        &[
            "note",
            "add",
            &id,
            "Keine Schnittstellen",
            "--frame",
            "Hemmnisse",
            "--color",
            "pink",
            "--tag",
            "Technik",
        ],
    );
    assert_eq!(note["parent"], frame["id"]);
    assert_eq!(note["color"], "pink");
    let note_id = note["id"].as_str().unwrap().to_owned();
    json(
        dir,
        &[
            "note",
            "add",
            &id,
            "Zweite Notiz",
            "--x",
            "-500",
            "--y",
            "20",
        ],
    );
    let edited = json(
        dir,
        &[
            "note",
            "edit",
            &id,
            &note_id[..8],
            "Keine offenen Schnittstellen",
            "--untag",
            "Technik",
            "--tag",
            "XÖV",
        ],
    );
    assert_eq!(edited["text"], "Keine offenen Schnittstellen");
    assert_eq!(edited["tags"], serde_json::json!(["XÖV"]));

    let notes = json(dir, &["note", "list", &id]);
    assert_eq!(notes.as_array().unwrap().len(), 2);

    json(dir, &["revision", "create", &id, "Stand nach Sitzung 3"]);
    json(dir, &["note", "delete", &id, &note_id]);
    assert_eq!(
        json(dir, &["note", "list", &id]).as_array().unwrap().len(),
        1
    );
    let restored = json(dir, &["revision", "restore", &id, "Stand nach Sitzung 3"]);
    assert_eq!(restored["created"], 1);
    let notes = json(dir, &["note", "list", &id]);
    assert_eq!(notes.as_array().unwrap().len(), 2);

    // Full-fidelity export.
    let export = json(dir, &["export", &id, "--format", "json"]);
    assert_eq!(export["format"], "stellwand-board");
    assert_eq!(export["title"], "Sitzung 3");
    assert_eq!(export["items"].as_array().unwrap().len(), 3);

    // Import lines into a frame.
    let lines = dir.join("ideen.txt");
    std::fs::write(&lines, "Idee eins\n\nIdee zwei 👋\n").unwrap();
    let imported = json(
        dir,
        &[
            "import-text",
            &id,
            lines.to_str().unwrap(),
            "--frame",
            "Import",
        ],
    );
    assert_eq!(imported["notes"].as_array().unwrap().len(), 2);

    // A board file opens in another library.
    let file = dir.join("sitzung3.stellwand");
    ok(dir, &["save", &id, file.to_str().unwrap()]);
    let other = tempfile::tempdir().unwrap();
    let opened = json(other.path(), &["open", file.to_str().unwrap()]);
    assert_eq!(opened["title"], "Sitzung 3");
    let copy = json(other.path(), &["export", opened["id"].as_str().unwrap()]);
    assert_eq!(copy["items"], json(dir, &["export", &id])["items"]);

    // Rename, move, archive, trash, restore, purge.
    json(dir, &["board", "rename", &id, "Sitzung 3 (final)"]);
    json(dir, &["board", "move", &id, "--unfiled"]);
    json(dir, &["board", "archive", &id]);
    assert_eq!(json(dir, &["board", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(
        json(dir, &["board", "list", "--archived"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    json(dir, &["board", "delete", &id]);
    assert_eq!(
        json(dir, &["board", "list", "--trash"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    json(dir, &["board", "restore", &id]);
    json(dir, &["board", "delete", &id]);
    fails(dir, &["board", "purge", &id]);
    json(dir, &["board", "purge", &id, "--yes"]);
    assert_eq!(
        json(dir, &["board", "list", "--trash"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    json(dir, &["folder", "delete", "AG Technik"]);
}

#[test]
fn search_finds_boards_by_title_and_by_note_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(dir, &["demo"]);
    let found = json(dir, &["board", "search", "Schriftformerfordernisse"]);
    let titles: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["AG Technik – Sitzung 3: Digitale Antragsverfahren"]
    );
    let found = json(dir, &["board", "search", "leitbild"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    // The demo runs once.
    assert_eq!(json(dir, &["demo"])["created"], Value::Null);
}

#[test]
fn the_demo_board_is_a_realistic_workshop() {
    let tmp = tempfile::tempdir().unwrap();
    let created = json(tmp.path(), &["demo"]);
    let id = created["created"].as_str().unwrap();
    let export = json(tmp.path(), &["export", id]);
    let items = export["items"].as_array().unwrap();
    let frames: Vec<&str> = items
        .iter()
        .filter(|i| i["kind"] == "frame")
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    for title in ["Hemmnisse", "Lösungsansätze", "Nächste Schritte"] {
        assert!(frames.contains(&title), "{frames:?}");
    }
    let notes = items.iter().filter(|i| i["kind"] == "note").count();
    assert!((30..=60).contains(&notes), "{notes} notes");
    assert!(items.iter().filter(|i| i["kind"] == "connector").count() >= 3);
}

#[test]
fn a_file_of_random_bytes_as_library_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("library.sqlite3");
    let garbage: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&db, &garbage).unwrap();
    let err = fails(tmp.path(), &["board", "list"]);
    assert!(
        err.contains("damaged") || err.contains("not a database"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

#[test]
fn a_truncated_library_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["demo"]);
    let db = tmp.path().join("library.sqlite3");
    // Make sure everything is in the main file, then cut it in half.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&db).unwrap();
    let half = &bytes[..bytes.len() / 2];
    std::fs::write(&db, half).unwrap();
    let _ = std::fs::remove_file(tmp.path().join("library.sqlite3-wal"));
    fails(tmp.path(), &["board", "list"]);
    assert_eq!(std::fs::read(&db).unwrap(), half);
}

#[test]
fn a_library_from_a_newer_version_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["folder", "list"]);
    let db = tmp.path().join("library.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA user_version = 999; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let err = fails(tmp.path(), &["board", "list"]);
    assert!(err.contains("999"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn an_unusable_data_directory_gives_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let err = fails(&file.join("library"), &["board", "list"]);
    assert!(err.contains("a-file"), "names the path: {err}");
}

#[test]
fn bad_board_files_and_non_utf8_imports_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = json(dir, &["board", "create", "B"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    json(dir, &["note", "add", &id, "bleibt"]);
    let not_a_board = dir.join("x.stellwand");
    std::fs::write(&not_a_board, "PK\x03\x04 this is a zip").unwrap();
    let err = fails(dir, &["open", not_a_board.to_str().unwrap()]);
    assert!(err.contains("not a Stellwand board file"), "{err}");
    // A truncated real board file.
    let real = dir.join("real.stellwand");
    ok(dir, &["save", &id, real.to_str().unwrap()]);
    let bytes = std::fs::read(&real).unwrap();
    std::fs::write(&real, &bytes[..bytes.len() - 10]).unwrap();
    fails(dir, &["open", real.to_str().unwrap()]);
    let latin1 = dir.join("latin1.txt");
    std::fs::write(&latin1, b"Gr\xfc\xdfe\n").unwrap();
    let err = fails(dir, &["import-text", &id, latin1.to_str().unwrap()]);
    assert!(err.contains("not UTF-8"), "{err}");
    assert_eq!(json(dir, &["board", "list"]).as_array().unwrap().len(), 1);
    let notes = json(dir, &["note", "list", &id]);
    assert_eq!(notes.as_array().unwrap().len(), 1);
    // Unknown ids and invalid values.
    fails(dir, &["note", "edit", &id, "ffffffff", "x"]);
    fails(dir, &["note", "add", &id, "x", "--color", "chartreuse"]);
    fails(dir, &["board", "show", "gibt es nicht"]);
}

#[test]
fn an_undecodable_update_in_the_log_is_reported_and_everything_else_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = json(dir, &["board", "create", "B"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    json(dir, &["note", "add", &id, "eins"]);
    let conn = rusqlite::Connection::open(dir.join("library.sqlite3")).unwrap();
    conn.execute(
        "INSERT INTO updates (board_id, data) VALUES (?1, ?2)",
        rusqlite::params![id, b"\x01\x02garbage".to_vec()],
    )
    .unwrap();
    drop(conn);
    json(dir, &["note", "add", &id, "zwei"]);
    let out = cli(dir, &["--json", "note", "list", &id]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be read"), "warns: {stderr}");
    let notes: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(notes.as_array().unwrap().len(), 2);
    // Compaction keeps the bad entry and everything else.
    ok(dir, &["board", "compact", &id]);
    let notes = json(dir, &["note", "list", &id]);
    assert_eq!(notes.as_array().unwrap().len(), 2);
}

#[test]
fn two_processes_writing_the_same_library_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let id = json(&dir, &["board", "create", "Gemeinsam"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let dir = dir.clone();
            let id = id.clone();
            std::thread::spawn(move || {
                for n in 0..15 {
                    let text = format!("Prozess {w} Notiz {n}");
                    let out = cli(&dir, &["note", "add", &id, &text]);
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let notes = json(&dir, &["note", "list", &id]);
    assert_eq!(notes.as_array().unwrap().len(), 30);
}

#[test]
fn every_subcommand_is_documented_in_help() {
    let tmp = tempfile::tempdir().unwrap();
    let help = ok(tmp.path(), &["--help"]);
    for command in [
        "folder",
        "board",
        "note",
        "frame",
        "revision",
        "save",
        "open",
        "export",
        "import-text",
        "demo",
    ] {
        assert!(help.contains(command), "{command} missing in --help");
    }
}
