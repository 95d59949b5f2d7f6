//! The CLI and the desktop app share one application layer: the same user,
//! the same author on new notes, the same boards.

mod support;

use stellwand_store::Workspace;
use support::json;

#[test]
fn notes_from_the_cli_carry_the_desktop_users_id_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let user = {
        let mut desktop = Workspace::open(dir.path(), "Anna").unwrap();
        desktop.set_user_name("Anna Beispiel").unwrap()
    };
    json(dir.path(), &["board", "create", "Sitzung 4"]);
    let note = json(dir.path(), &["note", "add", "Sitzung 4", "Idee"]);
    assert_eq!(note["author"], user.name.as_str());
    assert_eq!(
        note["author_id"],
        user.id.as_str(),
        "one user, not a second one"
    );

    let desktop = Workspace::open(dir.path(), "Anna").unwrap();
    assert_eq!(desktop.user(), user);
}

#[test]
fn an_author_given_on_the_command_line_signs_that_run_only() {
    let dir = tempfile::tempdir().unwrap();
    let user = Workspace::open(dir.path(), "Anna")
        .unwrap()
        .set_user_name("Anna")
        .unwrap();
    json(dir.path(), &["board", "create", "Sitzung 4"]);
    let note = json(
        dir.path(),
        &[
            "--author",
            "Protokoll",
            "note",
            "add",
            "Sitzung 4",
            "Beschluss",
        ],
    );
    assert_eq!(note["author"], "Protokoll");
    assert_eq!(note["author_id"], user.id.as_str());
    let later = json(dir.path(), &["note", "add", "Sitzung 4", "Nachtrag"]);
    assert_eq!(later["author"], "Anna");
    assert_eq!(Workspace::open(dir.path(), "Anna").unwrap().user(), user);
}
