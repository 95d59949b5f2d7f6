//! `stellwand-cli template` and `board create --template`.

mod support;

use support::{fails, json};

#[test]
fn boards_start_from_shipped_and_own_templates() {
    let dir = tempfile::tempdir().expect("tmp");
    let list = json(dir.path(), &["template", "list"]);
    let ids: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "brainstorming",
            "hemmnisse-loesungen",
            "swot",
            "retrospektive",
            "kanban",
            "ag-sitzung"
        ]
    );
    let board = json(
        dir.path(),
        &[
            "board",
            "create",
            "AG Sitzung 7",
            "--template",
            "ag-sitzung",
        ],
    );
    let shown = json(
        dir.path(),
        &["board", "show", board["id"].as_str().expect("id")],
    );
    let texts: Vec<&str> = shown["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["text"].as_str().expect("text"))
        .collect();
    assert!(texts.contains(&"Tagesordnung"));
    assert!(texts.contains(&"Aufgaben mit Verantwortlichen"));

    let own = json(
        dir.path(),
        &["template", "save", "AG Sitzung 7", "Unsere Sitzung"],
    );
    assert_eq!(own["builtin"], false);
    let own_id = own["id"].as_str().expect("id").to_owned();
    let copy = json(
        dir.path(),
        &["board", "create", "AG Sitzung 8", "--template", &own_id],
    );
    let copied = json(
        dir.path(),
        &["board", "show", copy["id"].as_str().expect("id")],
    );
    assert_eq!(
        copied["items"].as_array().expect("items").len(),
        shown["items"].as_array().expect("items").len()
    );
    json(dir.path(), &["template", "delete", &own_id]);
    assert_eq!(
        json(dir.path(), &["template", "list"])
            .as_array()
            .expect("list")
            .len(),
        6
    );
}

#[test]
fn an_unknown_template_creates_nothing_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let err = fails(
        dir.path(),
        &["board", "create", "X", "--template", "gibt-es-nicht"],
    );
    assert!(err.contains("no template \"gibt-es-nicht\""), "{err}");
    assert_eq!(json(dir.path(), &["board", "list"]), serde_json::json!([]));
    let err = fails(dir.path(), &["template", "delete", "swot"]);
    assert!(err.contains("shipped templates stay"), "{err}");
    json(dir.path(), &["board", "create", "Y"]);
    let err = fails(dir.path(), &["template", "save", "Y", "  "]);
    assert!(err.contains("name"), "{err}");
}
