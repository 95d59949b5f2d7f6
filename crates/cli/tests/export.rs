//! `export`, `export-folder` and `import` as a script would use them.

mod support;

use std::path::Path;

use support::{cli, json, ok};

fn demo(dir: &Path) -> String {
    let created = json(dir, &["demo"]);
    created["created"]
        .as_str()
        .expect("demo board id")
        .to_owned()
}

#[test]
fn a_board_exports_to_every_format() {
    let lib = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let board = demo(lib.path());
    let magic: [(&str, &[u8]); 9] = [
        ("docx", b"PK"),
        ("pdf", b"%PDF"),
        ("md", b"# "),
        ("csv", b"\xEF\xBB\xBFid;section;text"),
        ("xlsx", b"PK"),
        ("png", b"\x89PNG"),
        ("svg", b"<svg"),
        ("canvas", b"{"),
        ("json", b"{"),
    ];
    for (format, start) in magic {
        let file = out.path().join(format!("board.{format}"));
        let file_arg = file.to_str().expect("utf-8 path");
        ok(
            lib.path(),
            &["export", &board, "--format", format, "-o", file_arg],
        );
        let bytes = std::fs::read(&file).expect("written");
        assert!(bytes.starts_with(start), "{format} starts with {start:?}");
    }
    // Text formats go to standard output without -o.
    let md = ok(lib.path(), &["export", &board, "--format", "md"]);
    assert!(md.contains("## Hemmnisse"), "{md}");
    // Binary formats need a file.
    for format in ["pdf", "xlsx"] {
        let out_err = cli(lib.path(), &["export", &board, "--format", format]);
        assert_eq!(out_err.status.code(), Some(1), "{format} needs -o");
    }
}

#[test]
fn one_frame_exports_alone() {
    let lib = tempfile::tempdir().expect("tempdir");
    let board = demo(lib.path());
    let md = ok(
        lib.path(),
        &["export", &board, "--format", "md", "--frame", "Parkplatz"],
    );
    assert!(
        md.contains("## Parkplatz") && !md.contains("## Hemmnisse"),
        "{md}"
    );
    let missing = cli(
        lib.path(),
        &[
            "export",
            &board,
            "--format",
            "md",
            "--frame",
            "Gibt es nicht",
        ],
    );
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn a_folder_becomes_one_document() {
    let lib = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    demo(lib.path());
    let file = out.path().join("ag.md");
    let result = json(
        lib.path(),
        &[
            "export-folder",
            "AG Technik",
            "--format",
            "md",
            "-o",
            file.to_str().expect("path"),
        ],
    );
    assert_eq!(result["boards"].as_array().map(Vec::len), Some(1));
    let md = std::fs::read_to_string(&file).expect("written");
    assert!(
        md.starts_with("# AG Technik\n") && md.contains("## Inhaltsverzeichnis"),
        "{md}"
    );
}

#[test]
fn csv_and_canvas_import_add_notes_and_bad_files_change_nothing() {
    let lib = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    let board = demo(lib.path());
    let before = json(lib.path(), &["export", &board])["items"]
        .as_array()
        .map(Vec::len)
        .expect("items");

    let csv = files.path().join("ideen.csv");
    std::fs::write(
        &csv,
        "Nr;Idee;Farbe\n1;Bürgerkonto nutzen;grün\n2;Formulare entschlacken;gelb\n",
    )
    .expect("csv");
    let imported = json(
        lib.path(),
        &[
            "import",
            &board,
            csv.to_str().expect("path"),
            "--format",
            "csv",
            "--column",
            "Idee",
            "--frame",
            "Import",
        ],
    );
    assert_eq!(imported["notes"].as_array().map(Vec::len), Some(2));
    assert!(imported["frame"].is_string());

    let canvas = files.path().join("board.canvas");
    ok(
        lib.path(),
        &[
            "export",
            &board,
            "--format",
            "canvas",
            "-o",
            canvas.to_str().expect("path"),
        ],
    );
    let copy = json(lib.path(), &["board", "create", "Kopie"]);
    let copy_id = copy["id"].as_str().expect("id");
    let imported = json(
        lib.path(),
        &[
            "import",
            copy_id,
            canvas.to_str().expect("path"),
            "--format",
            "canvas",
        ],
    );
    assert!(imported["frames"].as_array().is_some_and(|f| f.len() >= 4));

    let after = json(lib.path(), &["export", &board])["items"]
        .as_array()
        .map(Vec::len)
        .expect("items");
    assert_eq!(after, before + 3, "two notes and a frame");
    let bad = files.path().join("bild.csv");
    std::fs::write(&bad, [0x89, b'P', b'N', b'G', 0, 0, 0, 13]).expect("bad");
    let out = cli(
        lib.path(),
        &[
            "import",
            &board,
            bad.to_str().expect("path"),
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing was imported") && err.contains("binary"),
        "{err}"
    );
    let unchanged = json(lib.path(), &["export", &board])["items"]
        .as_array()
        .map(Vec::len)
        .expect("items");
    assert_eq!(unchanged, after);
}
