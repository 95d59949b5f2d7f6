//! The server process is killed with SIGKILL mid-session and restarted:
//! clients reconnect and every update the server acknowledged is still there.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use stellwand_sync::client::{self, ClientOptions, ConnectionState};
use support::{add_note, eventually, note_count};
use yrs::Doc;

/// The `serve` example, built by `cargo test` next to the test binaries.
fn serve_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let bin = dir.join("examples").join("serve");
    assert!(
        bin.exists(),
        "{} missing: run `cargo test -p stellwand-sync` (it builds the examples)",
        bin.display()
    );
    bin
}

struct Serve {
    child: Child,
    port: u16,
    token: String,
}

fn start_serve(data: &std::path::Path, port: u16) -> Serve {
    let mut child = Command::new(serve_binary())
        .args(["--port", &port.to_string(), "--secret", "crash-test"])
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap();
    Serve {
        child,
        port: u16::try_from(info["port"].as_u64().unwrap()).unwrap(),
        token: info["editor_token"].as_str().unwrap().to_owned(),
    }
}

async fn count_on_server(url: &str) -> u32 {
    let probe = Doc::new();
    match client::sync_once(url, &probe, Duration::from_secs(5)).await {
        Ok(_) => note_count(&probe),
        Err(_) => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_sigkill_clients_reconnect_and_every_acknowledged_update_is_kept() {
    let data = tempfile::tempdir().unwrap();
    let mut server = start_serve(data.path(), 0);
    let url = format!(
        "ws://127.0.0.1:{}/b/workshop?token={}",
        server.port, server.token
    );
    let doc = Doc::new();
    let options = ClientOptions {
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(500),
        jitter_seed: Some(4),
        ..ClientOptions::default()
    };
    let c = client::connect(&url, doc.clone(), options).unwrap();
    c.wait_connected().await.unwrap();
    for i in 0..30 {
        add_note(&doc, &format!("before-{i}"), "acknowledged", 0.0);
    }
    // Acknowledged = served to another peer, which happens only after the
    // store has it.
    let mut seen = 0;
    for _ in 0..100 {
        seen = count_on_server(&url).await;
        if seen == 30 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, 30);

    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    assert!(eventually(5, || c.status().state != ConnectionState::Connected).await);
    for i in 0..5 {
        add_note(
            &doc,
            &format!("offline-{i}"),
            "written while the server was down",
            0.0,
        );
    }

    let mut restarted = start_serve(data.path(), server.port);
    assert!(
        eventually(15, || c.status().state == ConnectionState::Connected).await,
        "the client did not reconnect"
    );
    let mut total = 0;
    for _ in 0..100 {
        total = count_on_server(&url).await;
        if total == 35 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(total, 35, "acknowledged or offline updates were lost");
    c.close().await;
    restarted.child.kill().unwrap();
    restarted.child.wait().unwrap();
}
