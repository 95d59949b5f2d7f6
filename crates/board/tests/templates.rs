//! The shipped templates, new boards from them, and boards saved as templates.

use stellwand_board::template::{builtin, Template, MAX_TEMPLATE_BYTES};
use stellwand_board::{Author, Board, ItemKind};

fn board_from(template: &Template) -> Board {
    let mut board = Board::new(Author::default());
    board
        .apply_intent(1, template.intent())
        .expect("template applies");
    board
}

#[test]
fn the_six_shipped_templates_read_and_build_boards_with_their_frames() {
    let templates = builtin();
    let ids: Vec<&str> = templates.iter().map(|t| t.id.as_str()).collect();
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
    for template in &templates {
        let board = board_from(template);
        let items = board.items();
        assert_eq!(items.len(), template.items.len(), "{}", template.id);
        for item in items.iter().filter(|i| i.kind == ItemKind::Note) {
            let frame = item.parent.and_then(|p| items.iter().find(|f| f.id == p));
            if let Some(frame) = frame {
                assert!(
                    frame.contains(item.center()),
                    "{}: {:?} inside its frame",
                    template.id,
                    item.text
                );
            }
        }
    }
    let meeting = templates
        .iter()
        .find(|t| t.id == "ag-sitzung")
        .expect("AG-Sitzung");
    let frames: Vec<String> = board_from(meeting)
        .items()
        .into_iter()
        .filter(|i| i.kind == ItemKind::Frame)
        .map(|i| i.text)
        .collect();
    assert!(frames.contains(&"Tagesordnung".to_string()));
    assert!(frames.contains(&"Beschlüsse".to_string()));
    assert!(frames.contains(&"Aufgaben mit Verantwortlichen".to_string()));
    let hemmnisse = templates
        .iter()
        .find(|t| t.id == "hemmnisse-loesungen")
        .expect("template");
    assert_eq!(
        board_from(hemmnisse)
            .items()
            .iter()
            .filter(|i| i.kind == ItemKind::Connector)
            .count(),
        1
    );
}

#[test]
fn each_new_board_gets_fresh_ids() {
    let template = &builtin()[0];
    let a: Vec<_> = board_from(template)
        .items()
        .into_iter()
        .map(|i| i.id)
        .collect();
    let b: Vec<_> = board_from(template)
        .items()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert!(a.iter().all(|id| !b.contains(id)));
}

#[test]
fn a_board_saved_as_template_gives_the_same_layout_again() {
    let source = board_from(builtin().iter().find(|t| t.id == "swot").expect("swot"));
    let saved = Template::from_items("mein", "Meine SWOT", "", &source.items());
    let text = serde_json::to_string(&saved).expect("json");
    let again = Template::parse("mein", &text).expect("reads back");
    let copy = board_from(&again);
    let shape = |b: &Board| {
        let mut v: Vec<String> = b
            .items()
            .iter()
            .map(|i| {
                format!(
                    "{:?} {} {} {} {} {} {}",
                    i.kind,
                    i.x,
                    i.y,
                    i.w,
                    i.h,
                    i.text,
                    i.parent.is_some()
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(shape(&copy), shape(&source));
}

#[test]
fn broken_templates_are_refused_with_a_reason() {
    let cases = [
        ("not json", "not a template"),
        (
            r#"{"id":"x","name":"X","items":[{"kind":"note","x":0,"y":0,"parent":"nope"}]}"#,
            "no earlier item",
        ),
        (
            r#"{"id":"x","name":"X","items":[{"key":"a","kind":"frame","x":0,"y":0},{"key":"a","kind":"note","x":0,"y":0}]}"#,
            "used twice",
        ),
        (
            r#"{"id":"x","name":"X","items":[{"kind":"connector","x":0,"y":0}]}"#,
            "needs `from` and `to`",
        ),
        (
            r#"{"id":"x","name":"X","items":[{"kind":"note","x":0,"y":0,"w":-5,"h":10}]}"#,
            "impossible",
        ),
        (
            r#"{"id":"x","name":"X","items":[{"kind":"sticker","x":0,"y":0}]}"#,
            "not a template",
        ),
        (r#"{"id":"","name":"X","items":[]}"#, "must not be empty"),
        (
            r#"{"id":"x","name":"X","items":[],"script":"alert(1)"}"#,
            "not a template",
        ),
    ];
    for (text, expected) in cases {
        let err = Template::parse("kaputt.json", text).expect_err(text);
        assert!(err.to_string().contains(expected), "{text}: {err}");
        assert!(err.to_string().contains("kaputt.json"));
    }
    let huge = format!(
        r#"{{"id":"x","name":"X","description":"{}","items":[]}}"#,
        "a".repeat(MAX_TEMPLATE_BYTES)
    );
    assert!(Template::parse("gross.json", &huge)
        .expect_err("too large")
        .to_string()
        .contains("larger"));
}
