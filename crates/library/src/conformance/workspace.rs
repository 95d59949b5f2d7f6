//! The workspace, drafts and templates on the engine: the steps a user
//! takes, stored and read back after "restarting" (dropping the workspace
//! and opening the library again).

use stellwand_board::{Author, Intent, ItemId, ItemKind, ItemSpec};

use super::Engine;
use crate::drafts::{Draft, Drafts, MAX_DRAFT_CHARS};
use crate::error::Error;
use crate::ids::BoardId;
use crate::storage::{Catalogue, Settings};
use crate::workspace::{Viewport, Workspace};

fn note(x: f64, text: &str) -> Intent {
    Intent::Create {
        items: vec![ItemSpec {
            kind: ItemKind::Note,
            x,
            y: 0.0,
            w: None,
            h: None,
            color: None,
            text: text.into(),
            tags: Vec::new(),
            parent: None,
            from: None,
            to: None,
            id: None,
            author: None,
        }],
        adopt: false,
    }
}

fn draft(text: &str) -> Draft {
    Draft {
        id: ItemId::new(),
        x: 10.0,
        y: 20.0,
        w: 200.0,
        h: 150.0,
        color: "yellow".into(),
        text: text.into(),
        created: 1,
    }
}

/// A peer's updates are applied, stored and forwarded; an undecodable one
/// is refused alone; local edits are forwarded until the sink is removed;
/// all of it is there after reopening.
pub fn remote_updates_apply_store_forward_and_refuse_garbage_alone<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    // A joined board: known by id, its document still empty.
    let (meta, _) = ws
        .library()
        .ensure_board(BoardId::new(), "Geteilte Wand", None, 1)
        .unwrap();
    let board = meta.id;
    let forwarded = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let sink = std::sync::Arc::clone(&forwarded);
    ws.set_forward(
        board,
        Some(std::sync::Arc::new(move |u: &[u8]| {
            sink.lock().unwrap().push(u.to_vec());
        })),
    );
    // A peer's board with one note and a new title.
    let mut peer = stellwand_board::Board::new(Author::default());
    peer.edit(1, |e| {
        e.set_title("Von Ben");
        e.create(stellwand_board::NewItem::note(0.0, 0.0, "vom Peer"))
    })
    .unwrap();
    let update = peer.encode_state();
    let (outcome, refused) = ws
        .apply_remote(board, &[vec![0xff, 0x01, 0x02], update], 2)
        .unwrap();
    assert_eq!(refused.len(), 1, "garbage refused alone");
    assert_eq!(outcome.changes.items.len(), 1);
    assert_eq!(outcome.changes.items[0].text, "vom Peer");
    assert!(
        !outcome.can_undo,
        "a peer's change is not the local user's to undo"
    );
    assert_eq!(ws.library().board(board).unwrap().title, "Von Ben");
    assert_eq!(forwarded.lock().unwrap().len(), 1, "stored, then forwarded");
    // Local edits are forwarded too, also after closing and reopening.
    ws.close_board(board, 3).unwrap();
    ws.apply(board, note(10.0, "lokal"), 4).unwrap();
    assert_eq!(forwarded.lock().unwrap().len(), 2);
    ws.set_forward(board, None);
    ws.apply(board, note(20.0, "nicht mehr geteilt"), 5)
        .unwrap();
    assert_eq!(forwarded.lock().unwrap().len(), 2);
    drop(ws);
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    assert_eq!(ws.open_board(board, 6).unwrap().items.len(), 3);
}

/// Boards start from built-in and own templates; a board saved as a
/// template is kept (also after reopening), an unreadable stored template
/// is left out, and deleting one removes it.
pub fn boards_start_from_templates_and_boards_become_templates<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let list = ws.templates().unwrap();
    assert_eq!(list.len(), 6);
    assert!(list.iter().all(|t| t.builtin));
    let meta = ws
        .create_board_from_template("Sitzung 4", None, "ag-sitzung", 1)
        .unwrap();
    let view = ws.open_board(meta.id, 2).unwrap();
    assert_eq!(view.meta.title, "Sitzung 4");
    assert!(view.items.iter().any(|i| i.text == "Beschlüsse"));
    assert!(matches!(
        ws.create_board_from_template("X", None, "gibt-es-nicht", 3),
        Err(Error::InvalidData(_))
    ));

    let own = ws.save_as_template(meta.id, "  Unsere Sitzung ").unwrap();
    assert_eq!(own.name, "Unsere Sitzung");
    assert!(!own.builtin);
    assert_eq!(own.items, view.items.len());
    let list = ws.templates().unwrap();
    assert_eq!(list.len(), 7);
    let copy = ws
        .create_board_from_template("Sitzung 5", None, &own.id, 4)
        .unwrap();
    assert_eq!(
        ws.open_board(copy.id, 5).unwrap().items.len(),
        view.items.len()
    );
    assert!(matches!(
        ws.save_as_template(meta.id, " "),
        Err(Error::EmptyName { .. })
    ));
    // A stored template that became unreadable is left out, not fatal.
    ws.library()
        .set_setting("template.kaputt", "{nope")
        .unwrap();
    assert_eq!(ws.templates().unwrap().len(), 7);
    drop(ws);
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    assert!(ws.templates().unwrap().iter().any(|t| t.id == own.id));
    assert!(ws.delete_template(&own.id).unwrap());
    assert_eq!(ws.templates().unwrap().len(), 6);
}

/// Content, author and viewport survive a restart without closing; the
/// board is recently opened and gets a preview when closed.
pub fn a_board_reopens_exactly_as_it_was_left<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let board = ws.create_board("Sitzung", None, 1).unwrap().id;
    ws.open_board(board, 2).unwrap();
    let outcome = ws.apply(board, note(10.0, "Idee"), 3).unwrap();
    assert_eq!(outcome.created.len(), 1);
    assert_eq!(outcome.changes.items.len(), 1);
    assert!(outcome.can_undo);
    ws.set_viewport(
        board,
        Viewport {
            x: -50.0,
            y: 20.0,
            zoom: 1.5,
        },
    )
    .unwrap();
    // No close: the process may die at any moment.
    drop(ws);
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let view = ws.open_board(board, 4).unwrap();
    assert_eq!(view.items.len(), 1);
    assert_eq!(view.items[0].author, "Anna");
    assert_eq!(
        view.viewport,
        Some(Viewport {
            x: -50.0,
            y: 20.0,
            zoom: 1.5
        })
    );
    let overview = ws.overview().unwrap();
    assert_eq!(overview.recent, [board]);
    ws.close_board(board, 5).unwrap();
    let overview = ws.overview().unwrap();
    assert!(overview.boards[0]
        .preview
        .as_deref()
        .unwrap_or("")
        .contains("<rect"));
}

/// Undo and redo report what changed; invalid intents and viewports and
/// unknown boards are refused.
pub fn undo_redo_and_refused_intents_report_their_state<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let board = ws.create_board("B", None, 1).unwrap().id;
    let id = ws.apply(board, note(0.0, "a"), 2).unwrap().created[0];
    let undone = ws.undo(board, 3).unwrap();
    assert_eq!(undone.changes.removed, [id]);
    assert!(undone.can_redo);
    let redone = ws.redo(board, 4).unwrap();
    assert_eq!(redone.changes.items.len(), 1);
    let bad = Intent::Recolor {
        ids: vec![id],
        color: "lila".into(),
    };
    assert!(matches!(ws.apply(board, bad, 5), Err(Error::Board(_))));
    assert!(ws
        .set_viewport(
            board,
            Viewport {
                x: f64::NAN,
                y: 0.0,
                zoom: 1.0
            }
        )
        .is_err());
    assert!(ws
        .apply(BoardId::new(), note(0.0, "x"), 6)
        .unwrap_err()
        .is_not_found());
}

/// Search finds titles and note text; a duplicate copies the content and
/// is independent of the original.
pub fn search_finds_titles_and_note_text_duplicates_copy_content<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let a = ws.create_board("Leitbild", None, 1).unwrap().id;
    let b = ws.create_board("Sitzung 3", None, 1).unwrap().id;
    ws.apply(b, note(0.0, "Schnittstellen für Fachverfahren"), 2)
        .unwrap();
    assert_eq!(ws.search("leitbild").unwrap(), [a]);
    assert_eq!(ws.search("fachverfahren schnittstellen").unwrap(), [b]);
    assert!(ws.search("   ").unwrap().is_empty());
    let copy = ws.duplicate_board(b, "Sitzung 3 (Kopie)", 3).unwrap();
    let view = ws.open_board(copy.id, 4).unwrap();
    assert_eq!(view.items.len(), 1);
    assert_eq!(view.meta.title, "Sitzung 3 (Kopie)");
    // The copy is independent.
    ws.apply(copy.id, note(300.0, "nur in der Kopie"), 5)
        .unwrap();
    assert_eq!(ws.open_board(b, 6).unwrap().items.len(), 1);
}

/// Near duplicates are found, merged and commented, and the merge and the
/// comment are there after reopening.
pub fn near_duplicates_merges_and_comments_are_saved_with_the_board<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let board = ws.create_board("Sitzung 4", None, 1).unwrap().id;
    let a = ws
        .apply(
            board,
            note(0.0, "Fehlende Schnittstellen zwischen Fachverfahren"),
            2,
        )
        .unwrap()
        .created[0];
    let b = ws
        .apply(
            board,
            note(300.0, "Schnittstelle zu den Fachverfahren fehlt"),
            3,
        )
        .unwrap()
        .created[0];
    ws.apply(board, note(600.0, "Budget für Fortbildung"), 4)
        .unwrap();
    assert_eq!(ws.near_duplicates(board).unwrap(), [vec![a, b]]);
    let merged = ws
        .apply(
            board,
            Intent::Merge {
                target: a,
                ids: vec![b],
            },
            5,
        )
        .unwrap();
    assert_eq!(merged.changes.removed, [b]);
    ws.apply(
        board,
        Intent::AddComment {
            id: a,
            text: "Auch Meldewesen".into(),
        },
        6,
    )
    .unwrap();
    ws.close_board(board, 7).unwrap();
    drop(ws);

    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let view = ws.open_board(board, 8).unwrap();
    let note = view.items.iter().find(|i| i.id == a).unwrap();
    assert_eq!(note.merged, [b]);
    assert_eq!(note.comments[0].text, "Auch Meldewesen");
    assert!(ws.near_duplicates(board).unwrap().is_empty());
    assert!(ws
        .near_duplicates(BoardId::new())
        .unwrap_err()
        .is_not_found());
}

/// Drafts are private per board, replaced by id, kept across reopening;
/// bad ones are refused, unreadable stored ones skipped but not deleted.
pub fn drafts_are_kept_per_board_and_bad_ones_refused<E: Engine>(engine: &E) {
    let ws = Workspace::new(engine.open(), "Anna").unwrap();
    let board = BoardId::new();
    let other = BoardId::new();
    let mut first = draft("erste Idee");
    ws.library().save_draft(board, &first).unwrap();
    ws.library().save_draft(other, &draft("woanders")).unwrap();
    first.text = "erste Idee, überarbeitet".into();
    ws.library().save_draft(board, &first).unwrap();
    let drafts = ws.library().drafts(board).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].text, "erste Idee, überarbeitet");

    let refused = |d: Draft| ws.library().save_draft(board, &d).is_err();
    assert!(refused(Draft {
        x: f64::NAN,
        ..draft("a")
    }));
    assert!(refused(Draft {
        w: 0.0,
        ..draft("a")
    }));
    assert!(refused(Draft {
        color: "red;x".into(),
        ..draft("a")
    }));
    assert!(refused(draft(&"x".repeat(MAX_DRAFT_CHARS + 1))));
    // An unreadable stored draft is skipped, not lost.
    ws.library()
        .set_setting(&format!("draft.{board}.broken"), "{not json")
        .unwrap();
    assert_eq!(ws.library().drafts(board).unwrap().len(), 1);
    assert!(ws
        .library()
        .get_setting(&format!("draft.{board}.broken"))
        .unwrap()
        .is_some());
    drop(ws);
    let ws = Workspace::new(engine.open(), "Anna").unwrap();
    let kept = ws.library().drafts(board).unwrap();
    assert_eq!(kept.len(), 1, "drafts survive reopening");
    assert_eq!(kept[0].text, "erste Idee, überarbeitet");
    assert_eq!(ws.library().drafts(other).unwrap().len(), 1);
    assert!(ws.library().delete_draft(board, first.id).unwrap());
    assert!(!ws.library().delete_draft(board, first.id).unwrap());
}

/// Publishing moves drafts onto the board once, anonymously without the
/// author, named with the user's name.
pub fn publishing_puts_drafts_on_the_board_once_without_author_when_anonymous<E: Engine>(
    engine: &E,
) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let meta = ws.create_board("Wand", None, 1).unwrap();
    let d = draft("privat geschrieben");
    ws.library().save_draft(meta.id, &d).unwrap();
    let outcome = ws.publish_drafts(meta.id, true, 2).unwrap().unwrap();
    assert_eq!(outcome.created, [d.id]);
    let view = ws.open_board(meta.id, 3).unwrap();
    let note = view.items.iter().find(|i| i.id == d.id).unwrap();
    assert_eq!(note.text, "privat geschrieben");
    assert_eq!(note.author, "");
    assert!(ws.library().drafts(meta.id).unwrap().is_empty());
    assert!(ws.publish_drafts(meta.id, true, 4).unwrap().is_none());
    // Named, with the user's name; the anonymous author did not stick.
    let named = draft("mit Namen");
    ws.library().save_draft(meta.id, &named).unwrap();
    ws.publish_drafts(meta.id, false, 5).unwrap();
    let view = ws.open_board(meta.id, 6).unwrap();
    let note = view.items.iter().find(|i| i.id == named.id).unwrap();
    assert_eq!(note.author, "Anna");
}

/// A saved revision holds the board as it was; restoring it is one more
/// change (undoable), and the revision is there after reopening.
pub fn revisions_restore_an_earlier_state_as_an_undoable_change<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let board = ws.create_board("Sitzung", None, 1).unwrap().id;
    ws.apply(board, note(0.0, "vor der Sitzung"), 2).unwrap();
    let revision = ws.create_revision(board, " Stand 1 ", 3).unwrap();
    assert_eq!(revision.name, "Stand 1");
    assert!(matches!(
        ws.create_revision(board, "  ", 3),
        Err(Error::EmptyName { .. })
    ));
    ws.apply(board, note(300.0, "in der Sitzung"), 4).unwrap();
    drop(ws);

    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    assert_eq!(
        ws.library().list_revisions(board).unwrap(),
        std::slice::from_ref(&revision)
    );
    let items = ws.revision_items(revision.id).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].text, "vor der Sitzung");
    let restored = ws.restore_revision(board, revision.id, 5).unwrap();
    assert!(restored.can_undo);
    let texts = |ws: &mut Workspace<E::Storage>| -> Vec<String> {
        let mut texts: Vec<String> = ws
            .open_board(board, 6)
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.text)
            .collect();
        texts.sort();
        texts
    };
    assert_eq!(texts(&mut ws), ["vor der Sitzung"]);
    ws.undo(board, 7).unwrap();
    assert_eq!(texts(&mut ws), ["in der Sitzung", "vor der Sitzung"]);
    ws.redo(board, 8).unwrap();
    drop(ws);
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    assert_eq!(
        texts(&mut ws),
        ["vor der Sitzung"],
        "the restore was stored"
    );
    assert!(ws
        .revision_items(crate::ids::RevisionId::new())
        .unwrap_err()
        .is_not_found());
}

/// The user's id is created once and kept, whatever name a later start
/// offers; a name the user set and the language are kept too.
pub fn the_user_stays_the_same_across_reopening<E: Engine>(engine: &E) {
    let mut ws = Workspace::new(engine.open(), "Anna").unwrap();
    let first = ws.user();
    assert_eq!(first.name, "Anna");
    assert!(!first.id.is_empty());
    // Another process opening the same library now is the same user.
    let other = Workspace::new(engine.open(), "Ben").unwrap();
    assert_eq!(other.user().id, first.id);
    drop(other);
    assert!(matches!(
        ws.set_user_name("  "),
        Err(Error::EmptyName { .. })
    ));
    ws.set_user_name(" Anna Müller ").unwrap();
    ws.set_language("de").unwrap();
    drop(ws);

    let ws = Workspace::new(engine.open(), "Ben").unwrap();
    assert_eq!(ws.user().id, first.id);
    assert_eq!(ws.user().name, "Anna Müller");
    assert_eq!(ws.language().unwrap().as_deref(), Some("de"));
}
