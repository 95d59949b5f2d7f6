//! The `stellwand` desktop binary: everything lives in the library so that
//! the shell can be tested without a window.

// Keep a release build on Windows from opening a console next to the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    match stellwand_app::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("stellwand: {error}");
            ExitCode::FAILURE
        }
    }
}
