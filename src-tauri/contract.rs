//! The IPC contract between the window and the desktop backend: the error
//! codes ([`ErrorCode`], each with its German sentence), the event payloads,
//! and the list of every type that crosses IPC.
//!
//! The TypeScript side (`ui/src/contract/generated.ts`) is generated from
//! these Rust types by the test `contract_is_current` below, which fails
//! when the committed file differs from what the types produce; run it with
//! `STELLWAND_WRITE_CONTRACT=1` to rewrite the file after changing a type.
//! Types from the crates take part through their feature `ts`.

use serde::{Deserialize, Serialize};
use stellwand_library::{BoardId, Outcome};
use stellwand_sync::presence::Point;
use stellwand_sync::workshop::Code;

/// Every code an error can carry to the window. Serialized exactly as the
/// strings the window has always received (store codes in snake_case, the
/// workshop host's refusal codes in kebab-case), so nothing changes on the
/// wire. The window switches on it and shows [`ErrorCode::sentence_de`] (or
/// its English table); it never shows or matches the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum ErrorCode {
    #[serde(rename = "not_found")]
    NotFound,
    #[serde(rename = "invalid")]
    Invalid,
    #[serde(rename = "empty_name")]
    EmptyName,
    #[serde(rename = "folder_exists")]
    FolderExists,
    #[serde(rename = "folder_not_empty")]
    FolderNotEmpty,
    #[serde(rename = "not_in_trash")]
    NotInTrash,
    #[serde(rename = "library_corrupt")]
    LibraryCorrupt,
    #[serde(rename = "library_too_new")]
    LibraryTooNew,
    #[serde(rename = "read_only")]
    ReadOnly,
    #[serde(rename = "io")]
    Io,
    #[serde(rename = "not_a_board_file")]
    NotABoardFile,
    #[serde(rename = "storage")]
    Storage,
    #[serde(rename = "write_failed")]
    WriteFailed,
    #[serde(rename = "export_failed")]
    ExportFailed,
    #[serde(rename = "empty_folder")]
    EmptyFolder,
    #[serde(rename = "not_text")]
    NotText,
    #[serde(rename = "invalid_import")]
    InvalidImport,
    #[serde(rename = "column_not_found")]
    ColumnNotFound,
    #[serde(rename = "no_note_text")]
    NoNoteText,
    #[serde(rename = "file_too_large")]
    FileTooLarge,
    #[serde(rename = "unsupported_file")]
    UnsupportedFile,
    #[serde(rename = "read_failed")]
    ReadFailed,
    #[serde(rename = "network")]
    Network,
    #[serde(rename = "not_shared")]
    NotShared,
    #[serde(rename = "port_in_use")]
    PortInUse,
    #[serde(rename = "invalid_address")]
    InvalidAddress,
    #[serde(rename = "invalid_link")]
    InvalidLink,
    #[serde(rename = "limit")]
    Limit,
    #[serde(rename = "one-per-note")]
    OnePerNote,
    #[serde(rename = "not-allowed")]
    NotAllowed,
    #[serde(rename = "no-hello")]
    NoHello,
    #[serde(rename = "no-round")]
    NoRound,
    #[serde(rename = "round-open")]
    RoundOpen,
    #[serde(rename = "out-of-scope")]
    OutOfScope,
    #[serde(rename = "no-such-item")]
    NoSuchItem,
    #[serde(rename = "wrong-kind")]
    WrongKind,
    #[serde(rename = "no-vote")]
    NoVote,
    #[serde(rename = "no-timer")]
    NoTimer,
    #[serde(rename = "no-such-person")]
    NoSuchPerson,
    #[serde(rename = "bad-request")]
    BadRequest,
    #[serde(rename = "offline")]
    Offline,
    #[serde(rename = "timeout")]
    Timeout,
    /// The item is locked: only the facilitator may change it.
    #[serde(rename = "locked")]
    Locked,
    /// Private notes cannot undergo this before the reveal.
    #[serde(rename = "not-yet")]
    NotYet,
    /// The host refused with a code this version does not know (a newer host).
    #[serde(rename = "refused")]
    Refused,
    /// Anything else; also what the window uses for a failure without a code.
    #[serde(rename = "internal")]
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the sentence tables.
    pub const ALL: [ErrorCode; 46] = [
        Self::NotFound,
        Self::Invalid,
        Self::EmptyName,
        Self::FolderExists,
        Self::FolderNotEmpty,
        Self::NotInTrash,
        Self::LibraryCorrupt,
        Self::LibraryTooNew,
        Self::ReadOnly,
        Self::Io,
        Self::NotABoardFile,
        Self::Storage,
        Self::WriteFailed,
        Self::ExportFailed,
        Self::EmptyFolder,
        Self::NotText,
        Self::InvalidImport,
        Self::ColumnNotFound,
        Self::NoNoteText,
        Self::FileTooLarge,
        Self::UnsupportedFile,
        Self::ReadFailed,
        Self::Network,
        Self::NotShared,
        Self::PortInUse,
        Self::InvalidAddress,
        Self::InvalidLink,
        Self::Limit,
        Self::OnePerNote,
        Self::NotAllowed,
        Self::NoHello,
        Self::NoRound,
        Self::RoundOpen,
        Self::OutOfScope,
        Self::NoSuchItem,
        Self::WrongKind,
        Self::NoVote,
        Self::NoTimer,
        Self::NoSuchPerson,
        Self::BadRequest,
        Self::Offline,
        Self::Timeout,
        Self::Locked,
        Self::NotYet,
        Self::Refused,
        Self::Internal,
    ];

    /// The sentence a municipal user reads for this code, in German.
    #[must_use]
    pub fn sentence_de(self) -> &'static str {
        match self {
            Self::NotFound => "Das gesuchte Element gibt es nicht mehr. Bitte laden Sie die Übersicht neu.",
            Self::Invalid => "Diese Aktion ist hier nicht möglich.",
            Self::EmptyName => "Bitte geben Sie einen Namen ein.",
            Self::FolderExists => "Eine AG mit diesem Namen gibt es schon.",
            Self::FolderNotEmpty => "Die AG enthält noch Wände. Verschieben oder löschen Sie diese zuerst.",
            Self::NotInTrash => "Die Wand liegt nicht im Papierkorb.",
            Self::LibraryCorrupt => "Die Bibliothek ist beschädigt. Stellwand hat nichts verändert. Bitte wenden Sie sich an Ihre IT-Betreuung.",
            Self::LibraryTooNew => "Die Bibliothek wurde mit einer neueren Stellwand-Version angelegt. Bitte installieren Sie die neueste Version.",
            Self::ReadOnly => "Die Bibliothek ist schreibgeschützt. Änderungen können nicht gespeichert werden.",
            Self::Io => "Die Datei konnte nicht gelesen oder geschrieben werden. Bitte prüfen Sie Speicherort und Rechte.",
            Self::NotABoardFile => "Diese Datei ist keine Stellwand-Datei.",
            Self::Storage => "Die Änderung konnte nicht gespeichert werden. Bitte versuchen Sie es noch einmal.",
            Self::WriteFailed => "Die Datei konnte nicht geschrieben werden. Bitte wählen Sie einen Ordner, in dem Sie speichern dürfen, und prüfen Sie den freien Speicherplatz.",
            Self::ExportFailed => "Das Dokument konnte nicht erstellt werden. Bitte versuchen Sie ein anderes Format.",
            Self::EmptyFolder => "Diese AG enthält keine Wände, die exportiert werden können.",
            Self::NotText => "Die Datei ist keine Textdatei in UTF-8 (z. B. ein Bild, ein Excel-Dokument oder eine andere Zeichenkodierung). Aus Excel bitte als „CSV UTF-8“ speichern. Es wurde nichts geändert.",
            Self::InvalidImport => "Der Inhalt passt nicht zum Dateityp (z. B. ein beschädigtes JSON Canvas oder eine fehlerhafte CSV-Zeile). Es wurde nichts geändert.",
            Self::ColumnNotFound => "Die gewählte Spalte gibt es in der Datei nicht. Es wurde nichts geändert.",
            Self::NoNoteText => "Die Datei (oder die gewählte Spalte) enthält keinen Text für Notizen. Es wurde nichts geändert.",
            Self::FileTooLarge => "Die Datei ist größer als 20 MB und wird nicht importiert.",
            Self::UnsupportedFile => "Importiert werden können CSV-Tabellen (.csv), Textdateien (.txt) und JSON Canvas (.canvas).",
            Self::ReadFailed => "Die Datei konnte nicht gelesen werden. Bitte prüfen Sie, ob es sie noch gibt und ob Sie sie öffnen dürfen.",
            Self::Network => "Das lokale Netz ist gerade nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung.",
            Self::NotShared => "Die Wand wird noch nicht geteilt.",
            Self::PortInUse => "Der Port ist belegt oder nicht erlaubt. Bitte wählen Sie einen anderen Port (z. B. 8738) und übernehmen Sie ihn.",
            Self::InvalidAddress => "Diese Adresse oder dieser Port ist ungültig. Bitte prüfen Sie die Eingabe.",
            Self::InvalidLink => "Das ist kein gültiger Stellwand-Link. Er beginnt mit „ws://“ und enthält „/b/“ und „token=“.",
            Self::Limit => "Alle Ihre Stimmen sind vergeben. Mit „−“ auf einer Notiz nehmen Sie eine Stimme zurück und können sie neu vergeben.",
            Self::OnePerNote => "In dieser Runde gibt es nur eine Stimme pro Notiz.",
            Self::NotAllowed => "Das darf in diesem Workshop nur die Moderation.",
            Self::NoHello => "Die Verbindung zur Moderation ist noch nicht bereit. Bitte versuchen Sie es gleich noch einmal.",
            Self::NoRound => "Gerade läuft keine Abstimmung.",
            Self::RoundOpen => "Es läuft schon eine Abstimmung. Bitte beenden Sie sie zuerst.",
            Self::OutOfScope => "Abgestimmt wird nur über die Notizen im gewählten Rahmen.",
            Self::NoSuchItem => "Diese Notiz gibt es nicht mehr.",
            Self::WrongKind => "Abgestimmt wird nur über Notizen.",
            Self::NoVote => "Auf dieser Notiz haben Sie keine Stimme, die Sie zurücknehmen können.",
            Self::NoTimer => "Es ist kein Timer gestellt.",
            Self::NoSuchPerson => "Diese Person ist nicht mehr verbunden.",
            Self::BadRequest => "Die Eingabe ist ungültig (1 bis 99 Stimmen pro Person, höchstens 600 Minuten).",
            Self::Offline => "Die Moderation ist gerade nicht erreichbar. Bitte prüfen Sie die Verbindung und versuchen Sie es noch einmal.",
            Self::Timeout => "Die Moderation hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es noch einmal.",
            Self::Locked => "Dieses Element ist gesperrt. Nur die Moderation kann es ändern.",
            Self::NotYet => "Das geht mit privaten Notizen erst nach dem Aufdecken.",
            Self::Refused => "Die Moderation hat die Aktion abgelehnt.",
            Self::Internal => "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es noch einmal.",
        }
    }

    /// The code as it travels (`not_found`, `not-allowed`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        // Kept equal to the serde names by `codes_travel_as_their_strings`.
        match self {
            Self::NotFound => "not_found",
            Self::Invalid => "invalid",
            Self::EmptyName => "empty_name",
            Self::FolderExists => "folder_exists",
            Self::FolderNotEmpty => "folder_not_empty",
            Self::NotInTrash => "not_in_trash",
            Self::LibraryCorrupt => "library_corrupt",
            Self::LibraryTooNew => "library_too_new",
            Self::ReadOnly => "read_only",
            Self::Io => "io",
            Self::NotABoardFile => "not_a_board_file",
            Self::Storage => "storage",
            Self::WriteFailed => "write_failed",
            Self::ExportFailed => "export_failed",
            Self::EmptyFolder => "empty_folder",
            Self::NotText => "not_text",
            Self::InvalidImport => "invalid_import",
            Self::ColumnNotFound => "column_not_found",
            Self::NoNoteText => "no_note_text",
            Self::FileTooLarge => "file_too_large",
            Self::UnsupportedFile => "unsupported_file",
            Self::ReadFailed => "read_failed",
            Self::Network => "network",
            Self::NotShared => "not_shared",
            Self::PortInUse => "port_in_use",
            Self::InvalidAddress => "invalid_address",
            Self::InvalidLink => "invalid_link",
            Self::Limit => "limit",
            Self::OnePerNote => "one-per-note",
            Self::NotAllowed => "not-allowed",
            Self::NoHello => "no-hello",
            Self::NoRound => "no-round",
            Self::RoundOpen => "round-open",
            Self::OutOfScope => "out-of-scope",
            Self::NoSuchItem => "no-such-item",
            Self::WrongKind => "wrong-kind",
            Self::NoVote => "no-vote",
            Self::NoTimer => "no-timer",
            Self::NoSuchPerson => "no-such-person",
            Self::BadRequest => "bad-request",
            Self::Offline => "offline",
            Self::Timeout => "timeout",
            Self::Locked => "locked",
            Self::NotYet => "not-yet",
            Self::Refused => "refused",
            Self::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and logs compare a code with the string the window receives.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<Code> for ErrorCode {
    /// The host's refusal codes keep their strings; a code from a newer host
    /// that this version does not know is `refused`.
    fn from(code: Code) -> Self {
        match code {
            Code::NotAllowed => Self::NotAllowed,
            Code::NoHello => Self::NoHello,
            Code::NoRound => Self::NoRound,
            Code::RoundOpen => Self::RoundOpen,
            Code::Limit => Self::Limit,
            Code::OnePerNote => Self::OnePerNote,
            Code::OutOfScope => Self::OutOfScope,
            Code::NoSuchItem => Self::NoSuchItem,
            Code::WrongKind => Self::WrongKind,
            Code::NoVote => Self::NoVote,
            Code::NoTimer => Self::NoTimer,
            Code::NoSuchPerson => Self::NoSuchPerson,
            Code::BadRequest => Self::BadRequest,
            Code::Offline => Self::Offline,
            Code::Timeout => Self::Timeout,
            _ => Self::Refused,
        }
    }
}

/// Payload of the `sync-remote` event: what changed on a board through
/// something other than the window's own intents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RemoteChange {
    pub board: BoardId,
    pub outcome: Outcome,
}

/// Payload of the `workshop-changed` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkshopChanged {
    pub board: BoardId,
}

/// Payload of the `workshop-view` event: the facilitator's view (centre in
/// board units), for those who follow.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WorkshopView {
    pub board: BoardId,
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

/// A pointer position on a board, as the window sends it with its presence.
/// Its own type (not the awareness [`Point`], which reads peers' states
/// leniently) so that a malformed one from the window is refused.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    pub x: f64,
    pub y: f64,
}

impl From<Cursor> for Point {
    fn from(cursor: Cursor) -> Self {
        Point {
            x: cursor.x,
            y: cursor.y,
        }
    }
}

#[cfg(test)]
#[path = "contract_tests.rs"]
mod tests;
