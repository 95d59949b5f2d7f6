//! The desktop app's state: the user's workspace, or why it could not be
//! opened (the window still opens and says so).

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use stellwand_store::Workspace;

use crate::ipc::{IpcError, IpcResult};

/// Shared by every command.
pub struct AppState {
    workspace: Result<Mutex<Workspace>, IpcError>,
}

impl AppState {
    /// Opens the workspace in `dir`; a failure is kept and reported to every
    /// command, the library file stays untouched.
    pub fn open(dir: PathBuf) -> Self {
        let workspace = Workspace::open(&dir, &stellwand_library::default_user_name())
            .map(Mutex::new)
            .map_err(IpcError::from);
        Self { workspace }
    }

    /// The workspace, locked for one command.
    ///
    /// # Errors
    /// The error that kept the library from opening.
    pub fn workspace(&self) -> IpcResult<MutexGuard<'_, Workspace>> {
        match &self.workspace {
            Ok(workspace) => Ok(workspace.lock().unwrap_or_else(|p| p.into_inner())),
            Err(error) => Err(error.clone()),
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
