//! Commands about the application itself. Commands stay thin: take state,
//! call one function, map the error.

use crate::{AppInfo, LaunchOptions};

/// Name, version and library folder of the running application.
#[tauri::command]
pub fn app_info(options: tauri::State<'_, LaunchOptions>) -> AppInfo {
    AppInfo::of(&options)
}
