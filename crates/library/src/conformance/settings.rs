//! [`Settings`]: key/value text, the atomic get-or-insert, prefix lists.

use super::Engine;
use crate::storage::Settings;

/// A value is read back as stored, replaced by the next one, gone after
/// removal (which reports whether there was one), and all of that is kept
/// across reopening.
pub fn settings_are_stored_replaced_removed_and_kept_across_reopening<E: Engine>(engine: &E) {
    let storage = engine.open();
    assert_eq!(storage.get_setting("ui.language").unwrap(), None);
    storage.set_setting("ui.language", "de").unwrap();
    storage.set_setting("ui.language", "en").unwrap();
    storage
        .set_setting("user.name", "Anna Müller {\"json\": 1}")
        .unwrap();
    storage.set_setting("leer", "").unwrap();
    storage.set_setting("weg", "x").unwrap();
    assert!(storage.remove_setting("weg").unwrap());
    assert!(!storage.remove_setting("weg").unwrap());
    assert!(!storage.remove_setting("nie-gesetzt").unwrap());
    drop(storage);

    let storage = engine.open();
    assert_eq!(
        storage.get_setting("ui.language").unwrap().as_deref(),
        Some("en")
    );
    assert_eq!(
        storage.get_setting("user.name").unwrap().as_deref(),
        Some("Anna Müller {\"json\": 1}")
    );
    assert_eq!(
        storage.get_setting("leer").unwrap().as_deref(),
        Some(""),
        "empty is a value"
    );
    assert_eq!(storage.get_setting("weg").unwrap(), None);
}

/// `setting_or_insert` stores the value only when the key has none and
/// otherwise returns what is stored, also through another handle.
pub fn setting_or_insert_keeps_the_value_stored_first<E: Engine>(engine: &E) {
    let storage = engine.open();
    assert_eq!(
        storage.setting_or_insert("user.id", "erster").unwrap(),
        "erster"
    );
    assert_eq!(
        storage.setting_or_insert("user.id", "zweiter").unwrap(),
        "erster"
    );
    let other = engine.open();
    assert_eq!(
        other.setting_or_insert("user.id", "dritter").unwrap(),
        "erster"
    );
    assert_eq!(
        other.get_setting("user.id").unwrap().as_deref(),
        Some("erster")
    );
    // A value set explicitly is what it returns from then on.
    storage.set_setting("user.id", "neu").unwrap();
    assert_eq!(
        other.setting_or_insert("user.id", "vierter").unwrap(),
        "neu"
    );
}

/// Many handles racing to create the same setting (processes opening a new
/// library at once) all get the one value that was stored.
pub fn setting_or_insert_from_many_handles_at_once_agrees_on_one_value<E>(engine: &E)
where
    E: Engine + Sync,
    E::Storage: Send,
{
    let handles: Vec<E::Storage> = (0..8).map(|_| engine.open()).collect();
    let barrier = std::sync::Barrier::new(handles.len());
    let got: Vec<String> = std::thread::scope(|scope| {
        let threads: Vec<_> = handles
            .into_iter()
            .enumerate()
            .map(|(i, storage)| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    storage
                        .setting_or_insert("user.id", &format!("id-{i}"))
                        .unwrap()
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let stored = engine.open().get_setting("user.id").unwrap().unwrap();
    assert!(
        got.iter().all(|value| *value == stored),
        "{got:?} vs stored {stored:?}"
    );
}

/// The prefix list holds exactly the keys starting with the prefix (not
/// merely containing it), taken literally (no wildcards), sorted by key.
pub fn settings_with_prefix_lists_only_keys_starting_with_it_by_key<E: Engine>(engine: &E) {
    let storage = engine.open();
    for (key, value) in [
        ("draft.b.2", "zwei"),
        ("draft.a.1", "eins"),
        ("draft.b.1", "eins-b"),
        ("draftx", "kein Entwurf"),
        ("draft", "kurz"),
        ("Draft.b.3", "groß"),
        ("tmpl_%.x", "prozent"),
        ("tmplab.x", "wildcard-fang"),
        ("alt.draft.b.9", "enthält den Präfix nur"),
    ] {
        storage.set_setting(key, value).unwrap();
    }
    let keys = |prefix: &str| -> Vec<String> {
        storage
            .settings_with_prefix(prefix)
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    };
    assert_eq!(keys("draft.b."), ["draft.b.1", "draft.b.2"]);
    assert_eq!(keys("draft."), ["draft.a.1", "draft.b.1", "draft.b.2"]);
    assert_eq!(keys("tmpl_%"), ["tmpl_%.x"], "_ and % are plain characters");
    assert!(keys("nichts.").is_empty());
    assert_eq!(keys("").len(), 9, "the empty prefix lists everything");
    assert_eq!(
        storage.settings_with_prefix("draft.a.").unwrap(),
        [("draft.a.1".to_owned(), "eins".to_owned())]
    );
}
