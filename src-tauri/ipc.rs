//! How errors cross IPC: `{ code, message }`. The code is a small, stable
//! set the front end switches on to show a German (or English) sentence;
//! the message carries the details for the log.

use serde::Serialize;
use stellwand_library::Error as LibraryError;

use crate::contract::ErrorCode;
use stellwand_store::Error as StoreError;

/// An error as the front end receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// What went wrong, for the front end to show its sentence.
    pub code: ErrorCode,
    /// Details (English), for the log and for support.
    pub message: String,
}

impl IpcError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for IpcError {}

impl From<StoreError> for IpcError {
    fn from(error: StoreError) -> Self {
        let code = match &error {
            StoreError::BoardNotFound { .. }
            | StoreError::FolderNotFound { .. }
            | StoreError::RevisionNotFound { .. } => ErrorCode::NotFound,
            StoreError::Board(stellwand_board::Error::ItemNotFound(_)) => ErrorCode::NotFound,
            StoreError::Board(_) => ErrorCode::Invalid,
            StoreError::EmptyName { .. } => ErrorCode::EmptyName,
            StoreError::FolderExists { .. } => ErrorCode::FolderExists,
            StoreError::FolderNotEmpty { .. } => ErrorCode::FolderNotEmpty,
            StoreError::NotInTrash { .. } => ErrorCode::NotInTrash,
            StoreError::Corrupt { .. } => ErrorCode::LibraryCorrupt,
            StoreError::IncompatibleSchema { .. } => ErrorCode::LibraryTooNew,
            StoreError::ReadOnly { .. } => ErrorCode::ReadOnly,
            StoreError::Io { .. } => ErrorCode::Io,
            StoreError::NotABoardFile { .. } => ErrorCode::NotABoardFile,
            _ => ErrorCode::Storage,
        };
        Self::new(code, error.to_string())
    }
}

impl From<LibraryError> for IpcError {
    fn from(error: LibraryError) -> Self {
        let code = match &error {
            LibraryError::BoardNotFound { .. }
            | LibraryError::FolderNotFound { .. }
            | LibraryError::RevisionNotFound { .. } => ErrorCode::NotFound,
            LibraryError::Board(stellwand_board::Error::ItemNotFound(_)) => ErrorCode::NotFound,
            LibraryError::Board(_) => ErrorCode::Invalid,
            LibraryError::EmptyName { .. } => ErrorCode::EmptyName,
            LibraryError::FolderExists { .. } => ErrorCode::FolderExists,
            LibraryError::FolderNotEmpty { .. } => ErrorCode::FolderNotEmpty,
            LibraryError::NotInTrash { .. } => ErrorCode::NotInTrash,
            LibraryError::Corrupt { .. } => ErrorCode::LibraryCorrupt,
            LibraryError::IncompatibleSchema { .. } => ErrorCode::LibraryTooNew,
            LibraryError::ReadOnly { .. } => ErrorCode::ReadOnly,
            LibraryError::Io { .. } => ErrorCode::Io,
            LibraryError::NotABoardFile { .. } => ErrorCode::NotABoardFile,
            _ => ErrorCode::Storage,
        };
        Self::new(code, error.to_string())
    }
}

impl From<stellwand_export::Error> for IpcError {
    fn from(error: stellwand_export::Error) -> Self {
        use stellwand_export::Error as ExportError;
        let code = match &error {
            // The chosen folder is not writable, full, or the name is taken by a folder.
            ExportError::Io { .. } => ErrorCode::WriteFailed,
            ExportError::Docx(_)
            | ExportError::Pdf(_)
            | ExportError::Image(_)
            | ExportError::Csv(_)
            | ExportError::Xlsx(_) => ErrorCode::ExportFailed,
            ExportError::FrameNotFound(_) => ErrorCode::NotFound,
            // Imports: the file is binary or not UTF-8, broken, or has no note text.
            ExportError::NotText { .. } => ErrorCode::NotText,
            ExportError::InvalidImport { .. } => ErrorCode::InvalidImport,
            ExportError::ColumnNotFound { .. } => ErrorCode::ColumnNotFound,
            ExportError::NoNoteText { .. } => ErrorCode::NoNoteText,
            _ => ErrorCode::Invalid,
        };
        Self::new(code, error.to_string())
    }
}

impl From<stellwand_sync::sharing::Error> for IpcError {
    fn from(error: stellwand_sync::sharing::Error) -> Self {
        use stellwand_sync::sharing::Error as SharingError;
        if let SharingError::Store(store) = error {
            return store.into();
        }
        let code = match &error {
            SharingError::PortInUse { .. } => ErrorCode::PortInUse,
            SharingError::InvalidAddress(_) => ErrorCode::InvalidAddress,
            SharingError::InvalidLink(_) => ErrorCode::InvalidLink,
            SharingError::NotShared => ErrorCode::NotShared,
            SharingError::Offline => ErrorCode::Offline,
            SharingError::Refused(refusal) => refusal.code.into(),
            SharingError::Network(_) => ErrorCode::Network,
            SharingError::Qr(_) => ErrorCode::Invalid,
            _ => ErrorCode::Storage,
        };
        Self::new(code, error.to_string())
    }
}

/// The result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_stable_codes() {
        let not_found: IpcError = StoreError::BoardNotFound {
            board: stellwand_store::BoardId::new(),
        }
        .into();
        assert_eq!(not_found.code.as_str(), "not_found");
        let too_new: IpcError = StoreError::IncompatibleSchema {
            found: 9,
            supported: 2,
        }
        .into();
        assert_eq!(too_new.code.as_str(), "library_too_new");
        let json = serde_json::to_value(&too_new).unwrap();
        assert_eq!(json["code"], "library_too_new");
        assert!(json["message"].as_str().unwrap().contains('9'));
    }

    #[test]
    fn sharing_errors_map_to_the_codes_the_window_knows() {
        use stellwand_sync::sharing::Error as SharingError;
        use stellwand_sync::workshop::{Code, Refusal};
        let cases: Vec<(SharingError, &str)> = vec![
            (
                SharingError::PortInUse {
                    address: "0.0.0.0:8737".into(),
                    source: std::io::Error::from(std::io::ErrorKind::AddrInUse),
                },
                "port_in_use",
            ),
            (
                SharingError::InvalidAddress("a b".into()),
                "invalid_address",
            ),
            (SharingError::InvalidLink("x".into()), "invalid_link"),
            (SharingError::NotShared, "not_shared"),
            (SharingError::Offline, "offline"),
            (SharingError::Network("down".into()), "network"),
            (
                SharingError::Refused(Refusal::new(Code::NotAllowed, "nur Moderation")),
                "not-allowed",
            ),
            (
                SharingError::Store(StoreError::BoardNotFound {
                    board: stellwand_store::BoardId::new(),
                }),
                "not_found",
            ),
        ];
        for (error, code) in cases {
            assert_eq!(IpcError::from(error).code.as_str(), code);
        }
    }

    #[test]
    fn application_layer_errors_map_to_the_same_codes_as_store_errors() {
        let not_found: IpcError = LibraryError::BoardNotFound {
            board: stellwand_store::BoardId::new(),
        }
        .into();
        assert_eq!(not_found.code.as_str(), "not_found");
        let too_new: IpcError = LibraryError::from(StoreError::IncompatibleSchema {
            found: 9,
            supported: 2,
        })
        .into();
        assert_eq!(too_new.code.as_str(), "library_too_new");
    }

    #[test]
    fn a_file_that_cannot_be_written_is_write_failed_with_the_path_in_the_message() {
        let error: IpcError = stellwand_export::Error::Io {
            path: "/nirgends/ergebnis.pdf".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        }
        .into();
        assert_eq!(error.code.as_str(), "write_failed");
        assert!(error.message.contains("/nirgends/ergebnis.pdf"));
    }
}
