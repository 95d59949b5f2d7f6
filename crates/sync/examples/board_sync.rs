//! Syncs a board once and prints its notes: the Stellwand side of the Yjs
//! interop tests, and a small stand-in for `stellwand-cli sync`.
//!
//! ```text
//! cargo run -p stellwand-sync --example board_sync -- URL [--add-note ID TEXT]...
//! ```
//!
//! Pulls the board at URL into a fresh document, adds the given notes
//! (schema: root map `items`, each note a map with type/x/y/w/h/z/color and
//! `text` as Y.Text), pushes them, and prints the notes as JSON:
//! `{"<id>": {"type": "note", "text": "...", ...}, ...}`.

use std::time::Duration;

use anyhow::{bail, Context};
use stellwand_sync::client::sync_once;
use yrs::{Any, Doc, GetString, Map, MapPrelim, MapRef, Out, TextPrelim, TextRef, Transact};

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .context("usage: board_sync URL [--add-note ID TEXT]...")?;
    let mut notes = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--add-note" => {
                let id = args.next().context("--add-note needs ID and TEXT")?;
                let text = args.next().context("--add-note needs ID and TEXT")?;
                notes.push((id, text));
            }
            other => bail!("unknown argument {other}"),
        }
    }
    let doc = Doc::new();
    let timeout = Duration::from_secs(20);
    sync_once(&url, &doc, timeout)
        .await
        .context("pulling the board")?;
    if !notes.is_empty() {
        let items = doc.get_or_insert_map("items");
        let mut txn = doc.transact_mut();
        for (i, (id, text)) in notes.iter().enumerate() {
            let note: MapRef = items.insert(&mut txn, id.as_str(), MapPrelim::default());
            note.insert(&mut txn, "type", "note");
            note.insert(&mut txn, "x", 40.0 * i as f64);
            note.insert(&mut txn, "y", 40.0);
            note.insert(&mut txn, "w", 160.0);
            note.insert(&mut txn, "h", 120.0);
            note.insert(&mut txn, "z", 1.0);
            note.insert(&mut txn, "color", "#a5d8ff");
            note.insert(&mut txn, "text", TextPrelim::new(text.as_str()));
        }
        drop(txn);
        sync_once(&url, &doc, timeout)
            .await
            .context("pushing the notes")?;
    }
    println!("{}", notes_json(&doc));
    Ok(())
}

fn notes_json(doc: &Doc) -> serde_json::Value {
    let items = doc.get_or_insert_map("items");
    let txn = doc.transact();
    let mut out = serde_json::Map::new();
    for (id, value) in items.iter(&txn) {
        let Out::YMap(note) = value else { continue };
        let mut fields = serde_json::Map::new();
        for (key, v) in note.iter(&txn) {
            let json = match v {
                Out::YText(t) => serde_json::Value::String(TextRef::get_string(&t, &txn)),
                Out::Any(Any::String(s)) => serde_json::Value::String(s.to_string()),
                Out::Any(Any::Number(yrs::any::Number::Float(n))) => serde_json::json!(n),
                Out::Any(Any::Number(yrs::any::Number::Int(n))) => serde_json::json!(n),
                _ => continue,
            };
            fields.insert(key.to_owned(), json);
        }
        out.insert(id.to_owned(), serde_json::Value::Object(fields));
    }
    serde_json::Value::Object(out)
}
