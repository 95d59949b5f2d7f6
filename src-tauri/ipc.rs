//! How errors cross IPC: `{ code, message }`. The code is a small, stable
//! set the front end switches on to show a German (or English) sentence;
//! the message carries the details for the log.

use serde::Serialize;
use stellwand_library::Error as LibraryError;
use stellwand_store::Error as StoreError;

/// An error as the front end receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// One of the codes below; the front end maps it to a sentence.
    pub code: &'static str,
    /// Details (English), for the log and for support.
    pub message: String,
}

impl IpcError {
    /// An error with a code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
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
            | StoreError::RevisionNotFound { .. } => "not_found",
            StoreError::Board(stellwand_board::Error::ItemNotFound(_)) => "not_found",
            StoreError::Board(_) => "invalid",
            StoreError::EmptyName { .. } => "empty_name",
            StoreError::FolderExists { .. } => "folder_exists",
            StoreError::FolderNotEmpty { .. } => "folder_not_empty",
            StoreError::NotInTrash { .. } => "not_in_trash",
            StoreError::Corrupt { .. } => "library_corrupt",
            StoreError::IncompatibleSchema { .. } => "library_too_new",
            StoreError::ReadOnly { .. } => "read_only",
            StoreError::Io { .. } => "io",
            StoreError::NotABoardFile { .. } => "not_a_board_file",
            _ => "storage",
        };
        Self::new(code, error.to_string())
    }
}

impl From<LibraryError> for IpcError {
    fn from(error: LibraryError) -> Self {
        let code = match &error {
            LibraryError::BoardNotFound { .. }
            | LibraryError::FolderNotFound { .. }
            | LibraryError::RevisionNotFound { .. } => "not_found",
            LibraryError::Board(stellwand_board::Error::ItemNotFound(_)) => "not_found",
            LibraryError::Board(_) => "invalid",
            LibraryError::EmptyName { .. } => "empty_name",
            LibraryError::FolderExists { .. } => "folder_exists",
            LibraryError::FolderNotEmpty { .. } => "folder_not_empty",
            LibraryError::NotInTrash { .. } => "not_in_trash",
            LibraryError::Corrupt { .. } => "library_corrupt",
            LibraryError::IncompatibleSchema { .. } => "library_too_new",
            LibraryError::ReadOnly { .. } => "read_only",
            LibraryError::Io { .. } => "io",
            LibraryError::NotABoardFile { .. } => "not_a_board_file",
            _ => "storage",
        };
        Self::new(code, error.to_string())
    }
}

impl From<stellwand_export::Error> for IpcError {
    fn from(error: stellwand_export::Error) -> Self {
        use stellwand_export::Error as ExportError;
        let code = match &error {
            // The chosen folder is not writable, full, or the name is taken by a folder.
            ExportError::Io { .. } => "write_failed",
            ExportError::Docx(_)
            | ExportError::Pdf(_)
            | ExportError::Image(_)
            | ExportError::Csv(_)
            | ExportError::Xlsx(_) => "export_failed",
            ExportError::FrameNotFound(_) => "not_found",
            // Imports: the file is binary or not UTF-8, broken, or has no note text.
            ExportError::NotText { .. } => "not_text",
            ExportError::InvalidImport { .. } => "invalid_import",
            ExportError::ColumnNotFound { .. } => "column_not_found",
            ExportError::NoNoteText { .. } => "no_note_text",
            _ => "invalid",
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
            SharingError::PortInUse { .. } => "port_in_use",
            SharingError::InvalidAddress(_) => "invalid_address",
            SharingError::InvalidLink(_) => "invalid_link",
            SharingError::NotShared => "not_shared",
            SharingError::Offline => "offline",
            SharingError::Refused(refusal) => refusal.code.as_str(),
            SharingError::Network(_) => "network",
            SharingError::Qr(_) => "invalid",
            _ => "storage",
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
        assert_eq!(not_found.code, "not_found");
        let too_new: IpcError = StoreError::IncompatibleSchema {
            found: 9,
            supported: 2,
        }
        .into();
        assert_eq!(too_new.code, "library_too_new");
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
            assert_eq!(IpcError::from(error).code, code);
        }
    }

    #[test]
    fn application_layer_errors_map_to_the_same_codes_as_store_errors() {
        let not_found: IpcError = LibraryError::BoardNotFound {
            board: stellwand_store::BoardId::new(),
        }
        .into();
        assert_eq!(not_found.code, "not_found");
        let too_new: IpcError = LibraryError::from(StoreError::IncompatibleSchema {
            found: 9,
            supported: 2,
        })
        .into();
        assert_eq!(too_new.code, "library_too_new");
    }

    #[test]
    fn a_file_that_cannot_be_written_is_write_failed_with_the_path_in_the_message() {
        let error: IpcError = stellwand_export::Error::Io {
            path: "/nirgends/ergebnis.pdf".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        }
        .into();
        assert_eq!(error.code, "write_failed");
        assert!(error.message.contains("/nirgends/ergebnis.pdf"));
    }
}
