//! Stellwand desktop shell: a Tauri 2 window around the web front end in
//! `ui/`, glue over the headless crates under `crates/`.
//!
//! [`run`] parses the command line into [`LaunchOptions`], registers the IPC
//! commands and opens the main window configured in `tauri.conf.json`.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

mod board_commands;
mod cluster_commands;
mod commands;
pub mod contract;
mod export_commands;
mod import_commands;
mod ipc;
mod library_commands;
mod sharing_commands;
mod state;
mod workshop_commands;

/// What the application was started with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// Folder of the user's library, from `--data-dir DIR`; `None` means the
    /// platform's default location.
    pub data_dir: Option<PathBuf>,
    /// Folder that exports are written to without showing the save dialog,
    /// from the environment variable [`EXPORT_DIR_VAR`]. Only end-to-end
    /// tests set it: WebDriver cannot operate the native dialog, and with it
    /// the tests drive the real menu, command and file instead.
    pub export_dir: Option<PathBuf>,
}

/// See [`LaunchOptions::export_dir`].
pub const EXPORT_DIR_VAR: &str = "STELLWAND_E2E_SAVE_DIR";

impl LaunchOptions {
    /// Parses the arguments after the program name.
    ///
    /// `--data-dir DIR` and `--data-dir=DIR` are understood. Other arguments
    /// are ignored, because the system may add its own (WebKitWebDriver adds
    /// `--automation`, for example).
    ///
    /// # Errors
    ///
    /// [`Error::MissingValue`] when `--data-dir` has no folder after it,
    /// [`Error::NotUnicode`] when the folder name is not valid Unicode.
    pub fn from_args<I>(args: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = OsString>,
    {
        let mut options = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg.into_string().map_err(Error::NotUnicode)?;
            if arg == "--data-dir" {
                let dir = args.next().ok_or(Error::MissingValue("--data-dir"))?;
                if dir.is_empty() {
                    return Err(Error::MissingValue("--data-dir"));
                }
                options.data_dir = Some(PathBuf::from(dir));
            } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
                if dir.is_empty() {
                    return Err(Error::MissingValue("--data-dir"));
                }
                options.data_dir = Some(PathBuf::from(dir));
            }
        }
        Ok(options)
    }

    /// Reads [`LaunchOptions::export_dir`] from `value` (the environment
    /// variable's); an empty value counts as unset.
    #[must_use]
    pub fn with_export_dir(mut self, value: Option<OsString>) -> Self {
        self.export_dir = value.filter(|v| !v.is_empty()).map(PathBuf::from);
        self
    }
}

/// What the running application reports about itself over IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Product name shown to the user.
    pub name: &'static str,
    /// Version of the desktop package.
    pub version: &'static str,
    /// The library folder given on the command line, if any.
    pub data_dir: Option<String>,
    /// Where exports go without a save dialog (end-to-end tests only).
    pub export_dir: Option<String>,
}

impl AppInfo {
    /// Describes this build, started with `options`.
    pub fn of(options: &LaunchOptions) -> Self {
        Self {
            name: "Stellwand",
            version: env!("CARGO_PKG_VERSION"),
            data_dir: options
                .data_dir
                .as_ref()
                .map(|dir| dir.display().to_string()),
            export_dir: options
                .export_dir
                .as_ref()
                .map(|dir| dir.display().to_string()),
        }
    }
}

/// Why the desktop application could not start or ended with an error.
#[derive(Debug)]
pub enum Error {
    /// An option that needs a value was last on the command line.
    MissingValue(&'static str),
    /// A command-line argument is not valid Unicode.
    NotUnicode(OsString),
    /// No `--data-dir` was given and the platform knows no data folder.
    NoDataDir,
    /// Tauri failed to build or run the application.
    Tauri(tauri::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingValue(option) => write!(f, "{option} braucht einen Ordner als Wert"),
            Self::NotUnicode(arg) => {
                write!(f, "Argument ist kein gültiger Unicode-Text: {arg:?}")
            }
            Self::NoDataDir => write!(
                f,
                "Für diesen Benutzer ist kein Datenordner bekannt; bitte mit --data-dir ORDNER starten"
            ),
            Self::Tauri(error) => write!(f, "Die Anwendung konnte nicht laufen: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Tauri(error) => Some(error),
            Self::MissingValue(_) | Self::NotUnicode(_) | Self::NoDataDir => None,
        }
    }
}

/// Starts the desktop application with the process's command line and
/// blocks until its last window is closed.
///
/// # Errors
///
/// A malformed command line (see [`LaunchOptions::from_args`]) or a failure
/// of Tauri to create the window or event loop.
pub fn run() -> Result<(), Error> {
    let options = LaunchOptions::from_args(std::env::args_os().skip(1))?
        .with_export_dir(std::env::var_os(EXPORT_DIR_VAR));
    let dir = match &options.data_dir {
        Some(dir) => dir.clone(),
        None => stellwand_store::default_library_dir().ok_or(Error::NoDataDir)?,
    };
    // Warnings of the sync and store layers go to stderr (and from there to
    // the system log when started from the desktop).
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing_subscriber::filter::LevelFilter::WARN)
        .try_init();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(options)
        .manage(state::AppState::open(dir.clone()))
        .setup(move |app| {
            sharing_commands::manage(app.handle(), dir);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            library_commands::library_overview,
            library_commands::search_boards,
            library_commands::create_board,
            library_commands::list_templates,
            library_commands::save_as_template,
            library_commands::rename_board,
            library_commands::duplicate_board,
            library_commands::move_board,
            library_commands::archive_board,
            library_commands::trash_board,
            library_commands::restore_board,
            library_commands::purge_board,
            library_commands::create_folder,
            library_commands::rename_folder,
            library_commands::delete_folder,
            library_commands::save_board_file,
            library_commands::open_board_file,
            library_commands::user,
            library_commands::set_user_name,
            library_commands::language,
            library_commands::set_language,
            board_commands::open_board,
            board_commands::close_board,
            board_commands::apply_intent,
            board_commands::undo,
            board_commands::redo,
            board_commands::set_viewport,
            board_commands::list_revisions,
            board_commands::create_revision,
            board_commands::revision_items,
            board_commands::restore_revision,
            cluster_commands::near_duplicates,
            export_commands::export_board,
            export_commands::export_folder,
            import_commands::choose_import_file,
            import_commands::inspect_import,
            import_commands::import_into_board,
            import_commands::import_as_board,
            sharing_commands::share_board,
            sharing_commands::renew_share_links,
            sharing_commands::stop_sharing,
            sharing_commands::join_board,
            sharing_commands::sync_status,
            sharing_commands::set_presence,
            sharing_commands::offer_on_network,
            sharing_commands::discover_boards,
            workshop_commands::workshop_state,
            workshop_commands::workshop_command,
            workshop_commands::list_drafts,
            workshop_commands::save_draft,
            workshop_commands::delete_draft,
        ])
        .run(tauri::generate_context!())
        .map_err(Error::Tauri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<LaunchOptions, Error> {
        LaunchOptions::from_args(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_mean_the_default_library() {
        assert_eq!(parse(&[]).unwrap(), LaunchOptions::default());
    }

    #[test]
    fn data_dir_is_taken_from_the_next_argument() {
        let options = parse(&["--data-dir", "/tmp/bibliothek"]).unwrap();
        assert_eq!(options.data_dir, Some(PathBuf::from("/tmp/bibliothek")));
    }

    #[test]
    fn data_dir_is_taken_after_an_equals_sign() {
        let options = parse(&["--data-dir=/tmp/bibliothek"]).unwrap();
        assert_eq!(options.data_dir, Some(PathBuf::from("/tmp/bibliothek")));
    }

    #[test]
    fn arguments_added_by_the_system_are_ignored() {
        let options = parse(&["--automation", "--data-dir", "demo"]).unwrap();
        assert_eq!(options.data_dir, Some(PathBuf::from("demo")));
    }

    #[test]
    fn data_dir_without_a_folder_is_refused() {
        assert!(matches!(
            parse(&["--data-dir"]),
            Err(Error::MissingValue("--data-dir"))
        ));
        assert!(matches!(
            parse(&["--data-dir="]),
            Err(Error::MissingValue("--data-dir"))
        ));
    }

    #[test]
    fn app_info_reports_the_library_folder_in_camel_case() {
        let options = parse(&["--data-dir", "/srv/ag"]).unwrap();
        let json = serde_json::to_value(AppInfo::of(&options)).unwrap();
        assert_eq!(json["name"], "Stellwand");
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(json["dataDir"], "/srv/ag");
        assert_eq!(json["exportDir"], serde_json::Value::Null);
    }

    #[test]
    fn the_export_folder_comes_from_the_environment_and_empty_means_unset() {
        let options = parse(&[])
            .unwrap()
            .with_export_dir(Some(OsString::from("/tmp/e2e")));
        assert_eq!(options.export_dir, Some(PathBuf::from("/tmp/e2e")));
        assert_eq!(
            AppInfo::of(&options).export_dir.as_deref(),
            Some("/tmp/e2e")
        );
        let unset = parse(&[]).unwrap().with_export_dir(Some(OsString::new()));
        assert_eq!(unset.export_dir, None);
    }
}
