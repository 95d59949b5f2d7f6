//! JSON Canvas checked against the format's rules and round-tripped; images
//! rendered and inspected.

mod support;

use std::collections::HashSet;

use serde_json::Value;
use stellwand_board::{Board, ItemKind};
use stellwand_export::import::parse_canvas;
use stellwand_export::{canvas, png, svg, ExportBoard, ImageOptions};
use support::*;

const SIDES: [&str; 4] = ["top", "right", "bottom", "left"];

/// The rules of JSON Canvas 1.0: required fields per node type, unique ids,
/// edges between existing nodes, valid sides/ends/colours, integer geometry.
fn check_canvas_rules(file: &Value) {
    let nodes = file["nodes"].as_array().expect("nodes is an array");
    let edges = file["edges"].as_array().expect("edges is an array");
    let color_ok = |c: &Value| match c.as_str() {
        None => c.is_null(),
        Some(s) => {
            ["1", "2", "3", "4", "5", "6"].contains(&s)
                || (s.len() == 7
                    && s.starts_with('#')
                    && s[1..].chars().all(|c| c.is_ascii_hexdigit()))
        }
    };
    let mut ids = HashSet::new();
    for node in nodes {
        let id = node["id"].as_str().expect("node id is a string");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        for key in ["x", "y", "width", "height"] {
            assert!(node[key].is_i64(), "{key} of {id} is an integer");
        }
        match node["type"].as_str().expect("node type") {
            "text" => assert!(node["text"].is_string(), "text node {id} has text"),
            "group" => assert!(node.get("label").is_none_or(Value::is_string)),
            "file" => assert!(node["file"].is_string()),
            "link" => assert!(node["url"].is_string()),
            other => panic!("unknown node type {other}"),
        }
        if let Some(color) = node.get("color") {
            assert!(color_ok(color), "colour {color} of {id}");
        }
    }
    for edge in edges {
        let id = edge["id"].as_str().expect("edge id");
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
        for end in ["fromNode", "toNode"] {
            let node = edge[end].as_str().expect("edge end");
            assert!(
                nodes.iter().any(|n| n["id"] == node),
                "{end} {node} of {id} exists"
            );
        }
        for side in ["fromSide", "toSide"] {
            if let Some(s) = edge.get(side) {
                assert!(SIDES.contains(&s.as_str().unwrap_or("")));
            }
        }
        for end in ["fromEnd", "toEnd"] {
            if let Some(e) = edge.get(end) {
                assert!(["none", "arrow"].contains(&e.as_str().unwrap_or("")));
            }
        }
        if let Some(color) = edge.get("color") {
            assert!(color_ok(color));
        }
    }
}

#[test]
fn canvas_follows_the_format_rules_and_keeps_z_order() {
    let sample = sample_board();
    let board = export_board(&sample.board);
    let text = canvas(&board);
    let file: Value = serde_json::from_str(&text).expect("JSON");
    check_canvas_rules(&file);
    let nodes = file["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 3 + 7 + 1);
    assert_eq!(file["edges"].as_array().map(Vec::len), Some(2));
    // Groups first, then the rest by z: the loose note was created last.
    assert!(nodes[..3].iter().all(|n| n["type"] == "group"));
    assert_eq!(nodes[nodes.len() - 1]["text"], "Lose Notiz");
    let a1 = nodes
        .iter()
        .find(|n| n["text"].as_str().is_some_and(|t| t.starts_with("A1")))
        .expect("A1");
    assert_eq!(a1["color"], "#ffb74d");
}

#[test]
fn canvas_export_then_import_gives_the_same_notes_frames_and_edges() {
    let sample = sample_board();
    let original = export_board(&sample.board);
    let plan = parse_canvas(canvas(&original).as_bytes()).expect("plan");
    let mut copy = Board::new(author("Import"));
    copy.edit(NOW, |e| plan.apply(e, None)).expect("apply");
    let copy = ExportBoard::from_board(&copy);

    let summary = |board: &ExportBoard| {
        let by_id: std::collections::HashMap<_, _> =
            board.items.iter().map(|i| (i.id, i)).collect();
        let mut notes: Vec<(String, String, i64, i64, Option<String>)> = board
            .items
            .iter()
            .filter(|i| matches!(i.kind, ItemKind::Note | ItemKind::Label))
            .map(|i| {
                let parent = i.parent.and_then(|p| by_id.get(&p)).map(|f| f.text.clone());
                (
                    i.text.clone(),
                    if i.kind == ItemKind::Label {
                        String::new()
                    } else {
                        i.color.clone()
                    },
                    i.x as i64,
                    i.y as i64,
                    parent,
                )
            })
            .collect();
        notes.sort();
        let mut frames: Vec<(String, i64, i64, i64, i64)> = board
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Frame)
            .map(|i| {
                (
                    i.text.clone(),
                    i.x as i64,
                    i.y as i64,
                    i.w as i64,
                    i.h as i64,
                )
            })
            .collect();
        frames.sort();
        let mut edges: Vec<(String, String, String)> = board
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Connector)
            .map(|c| {
                let text = |id: Option<stellwand_board::ItemId>| {
                    id.and_then(|id| by_id.get(&id))
                        .map(|i| i.text.clone())
                        .unwrap_or_default()
                };
                (text(c.from), text(c.to), c.text.clone())
            })
            .collect();
        edges.sort();
        (notes, frames, edges)
    };
    let (notes, frames, edges) = summary(&original);
    let (copied_notes, copied_frames, copied_edges) = summary(&copy);
    // The copy sits where the original was: the target board was empty.
    assert_eq!(copied_frames, frames);
    assert_eq!(copied_edges, edges);
    let strip = |n: Vec<(String, String, i64, i64, Option<String>)>| {
        n.into_iter()
            .map(|(t, c, x, y, p)| (t, if c.is_empty() { None } else { Some(c) }, x, y, p))
            .collect::<Vec<_>>()
    };
    let (notes, copied) = (strip(notes), strip(copied_notes));
    assert_eq!(notes.len(), copied.len());
    for (a, b) in notes.iter().zip(&copied) {
        assert_eq!((&a.0, a.2, a.3, &a.4), (&b.0, b.2, b.3, &b.4));
        if a.0 != "Bis Ende Q2" {
            assert_eq!(a.1, b.1, "colour of {}", a.0);
        }
    }
}

#[test]
fn importing_a_canvas_twice_adds_below_and_never_overwrites() {
    let sample = sample_board();
    let text = canvas(&export_board(&sample.board));
    let plan = parse_canvas(text.as_bytes()).expect("plan");
    let mut board = sample.board;
    let before = board.items();
    let bottom = before.iter().map(|i| i.y + i.h).fold(f64::MIN, f64::max);
    board
        .edit(NOW, |e| plan.apply(e, Some("Kopie")))
        .expect("apply");
    let after = board.items();
    for item in &before {
        assert!(after.contains(item), "{} unchanged", item.text);
    }
    assert_eq!(after.len(), before.len() * 2 + 1);
    assert!(after
        .iter()
        .filter(|i| !before.contains(i) && i.kind != ItemKind::Connector)
        .all(|i| i.y > bottom));
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(bytes).expect("a PNG");
    (pixmap.width(), pixmap.height(), pixmap.data().to_vec())
}

#[test]
fn png_has_the_board_size_and_shows_the_notes() {
    let sample = sample_board();
    let board = export_board(&sample.board);
    let image = png(&board, &ImageOptions::default()).expect("png");
    // Items span x 0..2200, y 0..1600; 40 units of margin on each side.
    assert_eq!((image.width, image.height), (2280, 1680));
    let (w, h, data) = decode(&image.bytes);
    assert_eq!((w, h), (image.width, image.height));
    let colors: HashSet<[u8; 3]> = data.chunks(4).map(|p| [p[0], p[1], p[2]]).collect();
    assert!(colors.len() > 50, "not blank: {} colours", colors.len());
    // The orange note's colour is on the image.
    assert!(colors.contains(&[0xff, 0xb7, 0x4d]));
}

#[test]
fn png_of_one_frame_is_cropped_to_it() {
    let sample = sample_board();
    let board = export_board(&sample.board);
    let frame = board.find_frame("Risiken").expect("frame");
    let image = png(
        &board,
        &ImageOptions {
            frame: Some(frame),
            ..ImageOptions::default()
        },
    )
    .expect("png");
    assert_eq!((image.width, image.height), (880, 880));
    let svg = svg(
        &board,
        &ImageOptions {
            frame: Some(frame),
            ..ImageOptions::default()
        },
    )
    .expect("svg");
    assert!(svg.contains("Risiken") && !svg.contains("Ziele"));
}

#[test]
fn huge_boards_are_scaled_down_to_the_pixel_cap() {
    let board = export_board(&big_board(1000, "Groß"));
    let image = png(
        &board,
        &ImageOptions {
            max_pixels: 4_000_000,
            ..ImageOptions::default()
        },
    )
    .expect("png");
    assert!(u64::from(image.width) * u64::from(image.height) <= 4_100_000);
    assert!(image.scale < 1.0);
}

#[test]
fn svg_escapes_markup_and_is_well_formed() {
    let sample = sample_board();
    let svg = svg(&export_board(&sample.board), &ImageOptions::default()).expect("svg");
    assert!(
        svg.contains("&lt;b&gt;fett&lt;/b&gt; &amp;") && svg.contains("*stern* # raute | pipe"),
        "{svg}"
    );
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "{:?}", tree.err());
}

#[test]
fn an_empty_board_still_renders() {
    let board = ExportBoard::from_board(&Board::new(author("A")));
    let image = png(&board, &ImageOptions::default()).expect("png");
    assert_eq!((image.width, image.height), (480, 320));
    let canvas: Value = serde_json::from_str(&canvas(&board)).expect("JSON");
    check_canvas_rules(&canvas);
}

#[test]
fn emoji_sequences_render_wherever_they_stand() {
    let mut board = Board::new(author("A"));
    board
        .edit(NOW, |e| {
            e.create(stellwand_board::NewItem::note(0.0, 0.0, "Sehr gut 👍🏽"))?;
            e.create(stellwand_board::NewItem::note(
                300.0,
                0.0,
                "Familie 👨\u{200D}👩\u{200D}👧",
            ))
        })
        .expect("notes");
    let image = png(&ExportBoard::from_board(&board), &ImageOptions::default()).expect("png");
    let (_, _, data) = decode(&image.bytes);
    // The thumb's skin tone (a brown) is drawn from the colour emoji font.
    let browns = data
        .chunks(4)
        .filter(|p| p[0] > 140 && p[0] < 220 && p[1] > 90 && p[1] < 150 && p[2] < 110)
        .count();
    assert!(browns > 10, "{browns} skin-tone pixels");
}
