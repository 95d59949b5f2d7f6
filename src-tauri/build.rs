//! Build script of the desktop shell: reads the root `tauri.conf.json` and
//! `capabilities/`, checks them and embeds them in the binary.

use std::path::Path;

fn main() {
    // `tauri::generate_context!` embeds the built front end; without it the
    // compile fails deep inside a macro, so say plainly what is missing.
    let index = Path::new("ui/dist/index.html");
    println!("cargo:rerun-if-changed=ui/dist");
    assert!(
        index.exists(),
        "ui/dist/index.html is missing: build the front end first \
         (`bash scripts/setup.sh && npm --prefix ui run build`)"
    );
    tauri_build::build();
}
