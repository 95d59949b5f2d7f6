//! The freshness check of the generated TypeScript, and tests of the
//! contract's own types.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use ts_rs::{Config, TypeVisitor, TS};

use super::*;

/// Where the generated declarations live, from the workspace root.
const GENERATED: &str = "ui/src/contract/generated.ts";

/// Set to `1` to rewrite [`GENERATED`] instead of comparing it.
const WRITE_VAR: &str = "STELLWAND_WRITE_CONTRACT";

/// Collects the declaration of every type reachable from the roots, once.
struct Declarations {
    cfg: Config,
    seen: HashSet<TypeId>,
    /// By TypeScript name, so the file is sorted and two Rust types with one
    /// TypeScript name are caught.
    decls: BTreeMap<String, (TypeId, String)>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Only declared types (derived ones) have an output path; `Vec<T>`,
        // `Option<T>` and primitives are written inline.
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let name = T::ident(&self.cfg);
        let docs = T::docs().unwrap_or_default();
        let decl = format!("{docs}export {}\n", T::decl(&self.cfg));
        if let Some((other, _)) = self.decls.get(&name) {
            assert_eq!(
                *other,
                TypeId::of::<T>(),
                "two Rust types are called {name} in TypeScript; rename one with #[ts(rename)]"
            );
        }
        self.decls.insert(name, (TypeId::of::<T>(), decl));
        T::visit_dependencies(self);
    }
}

/// Every type that crosses IPC: command arguments and results, event
/// payloads, the error. Their dependencies follow by themselves.
fn roots(d: &mut Declarations) {
    use crate::export_commands::Exported;
    use crate::import_commands::{CsvChoice, ImportSource, Imported};
    use crate::ipc::IpcError;
    use crate::workshop_commands::WorkshopState;
    use crate::AppInfo;

    // Library and app.
    d.visit::<AppInfo>();
    d.visit::<stellwand_library::Overview>();
    d.visit::<stellwand_library::BoardMeta>();
    d.visit::<stellwand_library::Folder>();
    d.visit::<stellwand_library::TemplateInfo>();
    d.visit::<stellwand_library::User>();
    // Boards.
    d.visit::<stellwand_library::BoardView>();
    d.visit::<stellwand_library::Outcome>();
    d.visit::<stellwand_library::Viewport>();
    d.visit::<stellwand_library::RevisionMeta>();
    d.visit::<stellwand_board::Intent>();
    d.visit::<stellwand_board::Item>();
    // Export and import.
    d.visit::<Exported>();
    d.visit::<CsvChoice>();
    d.visit::<ImportSource>();
    d.visit::<Imported>();
    // Live boards and workshops.
    d.visit::<stellwand_sync::sharing::HostSettings>();
    d.visit::<stellwand_sync::sharing::ShareInfo>();
    d.visit::<stellwand_sync::sharing::SyncStatus>();
    d.visit::<stellwand_sync::sharing::FoundBoard>();
    d.visit::<stellwand_sync::token::Role>();
    d.visit::<Cursor>();
    d.visit::<WorkshopState>();
    d.visit::<stellwand_sync::workshop::Command>();
    d.visit::<stellwand_library::Draft>();
    // Events.
    d.visit::<RemoteChange>();
    d.visit::<WorkshopChanged>();
    d.visit::<WorkshopView>();
    // Errors.
    d.visit::<IpcError>();
    d.visit::<ErrorCode>();
}

fn render() -> String {
    let mut d = Declarations {
        // Times (milliseconds) and counters are `i64`/`u64` in Rust and
        // plain numbers in JSON.
        cfg: Config::new().with_large_int("number"),
        seen: HashSet::new(),
        decls: BTreeMap::new(),
    };
    roots(&mut d);
    let mut out = String::from(
        "// Generated from the Rust types of the IPC contract (src-tauri/contract.rs) by\n\
         // `cargo test -p stellwand contract_is_current`. Do not edit: change the Rust\n\
         // types and run that test with STELLWAND_WRITE_CONTRACT=1.\n\
         /* eslint-disable */\n\n",
    );
    for (_, decl) in d.decls.values() {
        out.push_str(decl);
        out.push('\n');
    }
    out.push_str("/** The German sentence for every error code (ErrorCode::sentence_de). */\n");
    out.push_str("export const ERROR_SENTENCES_DE: Record<ErrorCode, string> = {\n");
    for code in ErrorCode::ALL {
        let key = serde_json::to_string(code.as_str()).unwrap();
        let sentence = serde_json::to_string(code.sentence_de()).unwrap();
        out.push_str(&format!("  {key}: {sentence},\n"));
    }
    out.push_str("};\n");
    out
}

#[test]
fn contract_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
    let fresh = render();
    if std::env::var(WRITE_VAR).as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{GENERATED} is not what the Rust types produce; run \
         `{WRITE_VAR}=1 cargo test -p stellwand contract_is_current` and commit the file"
    );
}

#[test]
fn codes_travel_as_their_strings() {
    for code in ErrorCode::ALL {
        let json = serde_json::to_value(code).unwrap();
        assert_eq!(json, serde_json::Value::from(code.as_str()), "{code:?}");
        let back: ErrorCode = serde_json::from_value(json).unwrap();
        assert_eq!(back, code);
    }
}

#[test]
fn every_code_has_a_german_sentence_of_its_own() {
    let mut seen = HashSet::new();
    for code in ErrorCode::ALL {
        let sentence = code.sentence_de();
        assert!(sentence.ends_with('.'), "{code:?}: {sentence}");
        assert!(seen.insert(sentence), "{code:?} repeats a sentence");
    }
    assert_eq!(seen.len(), ErrorCode::ALL.len());
}

#[test]
fn every_refusal_code_of_the_host_keeps_its_string() {
    use stellwand_sync::workshop::Code;
    let codes = [
        Code::NotAllowed,
        Code::NoHello,
        Code::NoRound,
        Code::RoundOpen,
        Code::Limit,
        Code::OnePerNote,
        Code::OutOfScope,
        Code::NoSuchItem,
        Code::WrongKind,
        Code::NoVote,
        Code::NoTimer,
        Code::NoSuchPerson,
        Code::BadRequest,
        Code::Offline,
        Code::Timeout,
        Code::Other,
    ];
    for code in codes {
        assert_eq!(ErrorCode::from(code).as_str(), code.as_str());
    }
}

#[test]
fn a_refusal_code_from_a_newer_host_is_refused() {
    let code: Code = serde_json::from_str("\"some-new-rule\"").unwrap();
    assert_eq!(ErrorCode::from(code), ErrorCode::Refused);
}

#[test]
fn a_cursor_with_unknown_or_missing_fields_is_refused() {
    assert!(serde_json::from_str::<Cursor>(r#"{"x":1,"y":2}"#).is_ok());
    assert!(serde_json::from_str::<Cursor>(r#"{"x":1,"y":2,"z":3}"#).is_err());
    assert!(serde_json::from_str::<Cursor>(r#"{"x":1}"#).is_err());
}

#[test]
fn ui_input_dtos_with_unknown_or_missing_fields_are_refused() {
    use crate::import_commands::CsvChoice;
    use stellwand_library::{Draft, Viewport};
    use stellwand_sync::sharing::HostSettings;
    use stellwand_sync::workshop::Command;

    assert!(serde_json::from_str::<Viewport>(r#"{"x":0,"y":0,"zoom":1}"#).is_ok());
    assert!(serde_json::from_str::<Viewport>(r#"{"x":0,"y":0,"zoom":1,"rotate":9}"#).is_err());
    assert!(serde_json::from_str::<Viewport>(r#"{"x":0,"y":0}"#).is_err());

    let csv = r#"{"text":0,"color":null,"tags":null,"author":null,"header":true}"#;
    assert!(serde_json::from_str::<CsvChoice>(csv).is_ok());
    let extra = r#"{"text":0,"color":null,"tags":null,"author":null,"header":true,"sep":";"}"#;
    assert!(serde_json::from_str::<CsvChoice>(extra).is_err());
    assert!(serde_json::from_str::<CsvChoice>(r#"{"text":0}"#).is_err());

    let host = r#"{"address":"10.0.0.2","port":8737,"bind":"0.0.0.0"}"#;
    assert!(serde_json::from_str::<HostSettings>(host).is_ok());
    let extra = r#"{"address":"10.0.0.2","port":8737,"bind":"0.0.0.0","tls":true}"#;
    assert!(serde_json::from_str::<HostSettings>(extra).is_err());
    assert!(serde_json::from_str::<HostSettings>(r#"{"address":"10.0.0.2"}"#).is_err());

    let draft = r#"{"id":"0190a3a0-0000-7000-8000-000000000001","x":0,"y":0,"w":10,"h":10,"color":"yellow","text":"a","created":1}"#;
    assert!(serde_json::from_str::<Draft>(draft).is_ok());
    let extra = r#"{"id":"0190a3a0-0000-7000-8000-000000000001","x":0,"y":0,"w":10,"h":10,"color":"yellow","text":"a","created":1,"author":"x"}"#;
    assert!(serde_json::from_str::<Draft>(extra).is_err());
    assert!(serde_json::from_str::<Draft>(r#"{"id":"d1"}"#).is_err());

    let intent = r#"{"op":"setText","id":"0190a3a0-0000-7000-8000-000000000000","text":"a"}"#;
    assert!(serde_json::from_str::<stellwand_board::Intent>(intent).is_ok());
    let extra = r#"{"op":"setText","id":"0190a3a0-0000-7000-8000-000000000000","text":"a","x":1}"#;
    assert!(serde_json::from_str::<stellwand_board::Intent>(extra).is_err());
    let missing = r#"{"op":"setText","id":"0190a3a0-0000-7000-8000-000000000000"}"#;
    assert!(serde_json::from_str::<stellwand_board::Intent>(missing).is_err());

    assert!(serde_json::from_str::<Command>(r#"{"op":"endRound"}"#).is_ok());
    assert!(serde_json::from_str::<Command>(r#"{"op":"endRound","now":1}"#).is_err());
    assert!(serde_json::from_str::<Command>(r#"{"op":"vote"}"#).is_err());
}
