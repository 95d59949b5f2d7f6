//! Running `stellwand-cli` as a script would, for the integration tests.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stellwand-cli"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("STELLWAND_DATA_DIR")
        .output()
        .expect("stellwand-cli runs")
}

pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cli(dir, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

pub fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &all)).expect("valid JSON output")
}

/// Runs a command that must fail; returns its stderr, which must be one line.
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let out = cli(dir, args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should fail with exit code 1"
    );
    let err = String::from_utf8(out.stderr).expect("utf-8 errors");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line on stderr: {err}"
    );
    assert!(err.starts_with("stellwand-cli: error: "), "{err}");
    err
}
