//! `stellwand-cli serve`, `token` and `sync` as separate processes talking
//! over real sockets on 127.0.0.1, with real libraries on disk.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::Value;
use support::{cli, fails, json, ok};

/// A running `stellwand-cli serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    stderr: Option<ChildStderr>,
}

impl Server {
    fn start(dir: &Path, port: u16) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stellwand-cli"))
            .arg("--data-dir")
            .arg(dir)
            .args(["--json", "serve", "--port", &port.to_string()])
            .env_remove("STELLWAND_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut text = String::new();
        let info: Value = loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).expect("serve output") > 0,
                "serve ended before listening: {text}"
            );
            text.push_str(&line);
            if let Ok(value) = serde_json::from_str(&text) {
                break value;
            }
        };
        let port = u16::try_from(info["port"].as_u64().expect("port")).expect("port fits");
        let stderr = child.stderr.take();
        Server {
            child,
            port,
            stderr,
        }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    fn link(&self, dir: &Path, board: &str, role: &str) -> String {
        ok(
            dir,
            &[
                "token",
                "issue",
                board,
                "--role",
                role,
                "--url",
                &self.url(),
            ],
        )
        .trim()
        .to_owned()
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM; returns the exit status and the log.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut log = String::new();
        if let Some(mut err) = self.stderr.take() {
            std::io::Read::read_to_string(&mut err, &mut log).expect("log");
        }
        (status, log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn notes(dir: &Path, board: &str) -> Vec<String> {
    let mut texts: Vec<String> = json(dir, &["note", "list", board])
        .as_array()
        .expect("note list")
        .iter()
        .map(|n| n["text"].as_str().expect("text").to_owned())
        .collect();
    texts.sort();
    texts
}

fn create_board(dir: &Path, title: &str) -> String {
    json(dir, &["board", "create", title])["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn add_note(dir: &Path, board: &str, text: &str) -> String {
    json(dir, &["note", "add", board, text])["id"]
        .as_str()
        .expect("note id")
        .to_owned()
}

/// A server on its own library, a member library `a` holding a new board
/// titled `title`, an editor link to it, and a second member library `b`.
struct Setup {
    tmp: tempfile::TempDir,
    srv: std::path::PathBuf,
    a: std::path::PathBuf,
    b: std::path::PathBuf,
    server: Server,
    board: String,
    link: String,
}

fn setup(title: &str) -> Setup {
    let tmp = tempfile::tempdir().expect("tmp");
    let (srv, a, b) = (
        tmp.path().join("srv"),
        tmp.path().join("a"),
        tmp.path().join("b"),
    );
    let server = Server::start(&srv, 0);
    let board = create_board(&a, title);
    let link = server.link(&srv, &board, "editor");
    Setup {
        tmp,
        srv,
        a,
        b,
        server,
        board,
        link,
    }
}

#[test]
fn a_board_travels_through_the_server_and_the_title_follows() {
    let Setup {
        tmp,
        srv,
        a,
        b,
        server,
        board,
        link,
    } = setup("AG Technik – Sitzung 3");
    add_note(&a, &board, "Hemmnis: Förderlogik 🙂");

    let first = json(&a, &["sync", &link]);
    assert_eq!(first["created"], false);
    assert!(first["sent_bytes"].as_u64().expect("sent") > 100);
    // The server's library holds the board under its id and title, seen by
    // another process while the server runs.
    let listed = json(&srv, &["board", "show", &board]);
    assert_eq!(listed["title"], "AG Technik – Sitzung 3");

    let joined = json(&b, &["sync", &link]);
    assert_eq!(joined["created"], true);
    assert_eq!(joined["title"], "AG Technik – Sitzung 3");
    assert_eq!(notes(&b, &board), ["Hemmnis: Förderlogik 🙂"]);

    add_note(&b, &board, "Antwort aus Kommune B");
    json(&b, &["sync", &link]);
    json(&a, &["sync", &link]);
    assert_eq!(notes(&a, &board), notes(&b, &board));
    assert_eq!(notes(&a, &board).len(), 2);

    let (status, log) = server.terminate();
    assert!(status.success(), "serve exits 0 on SIGTERM: {status}");
    assert!(log.contains("peer joined"), "{log}");
    assert!(log.contains("sync server stopped"), "{log}");
    // Nothing acknowledged was lost in the shutdown.
    let c = tmp.path().join("c");
    let server = Server::start(&srv, 0);
    let link = server.link(&srv, &board, "viewer");
    json(&c, &["sync", &link]);
    assert_eq!(notes(&c, &board), notes(&a, &board));
}

#[test]
fn three_cli_peers_with_offline_edits_converge() {
    let seed: u64 = std::env::var("STELLWAND_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("seed {seed} (STELLWAND_SEED={seed} to replay)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let tmp = tempfile::tempdir().expect("tmp");
    let srv = tmp.path().join("srv");
    let peers: Vec<_> = (0..3).map(|i| tmp.path().join(format!("p{i}"))).collect();
    let server = Server::start(&srv, 0);
    let board = create_board(&peers[0], "Brainstorming");
    let link = server.link(&srv, &board, "editor");
    json(&peers[0], &["sync", &link]);
    let mut known: Vec<Vec<String>> = vec![Vec::new(); 3];
    for round in 0..24 {
        let p = rng.random_range(0..3);
        match rng.random_range(0..4) {
            // Offline work: a new note, or editing/moving one this peer has.
            0 | 1 => {
                if json(&peers[p], &["board", "list"])
                    .as_array()
                    .is_some_and(|b| !b.is_empty())
                {
                    let id = add_note(&peers[p], &board, &format!("p{p} r{round}"));
                    known[p].push(id);
                }
            }
            2 if !known[p].is_empty() => {
                let id = known[p][rng.random_range(0..known[p].len())].clone();
                let x = rng.random_range(0..2000).to_string();
                ok(&peers[p], &["note", "move", &board, &id, &x, "40"]);
                ok(
                    &peers[p],
                    &["note", "edit", &board, &id, &format!("edited r{round}")],
                );
            }
            _ => {
                json(&peers[p], &["sync", &link]);
            }
        }
    }
    // Everyone comes back online: two passes bring every change everywhere.
    for _ in 0..2 {
        for peer in &peers {
            json(peer, &["sync", &link]);
        }
    }
    let first = json(&peers[0], &["note", "list", &board]);
    for peer in &peers[1..] {
        assert_eq!(json(peer, &["note", "list", &board]), first, "seed {seed}");
    }
    drop(server);
}

#[test]
fn a_killed_server_keeps_every_acknowledged_update() {
    let Setup {
        tmp: _tmp,
        srv,
        a,
        b,
        server,
        board,
        link,
    } = setup("Nächste Schritte");
    let port = server.port;
    for i in 0..10 {
        add_note(&a, &board, &format!("Schritt {i}"));
        // A successful sync means the server acknowledged (stored) the note.
        json(&a, &["sync", &link]);
    }
    server.kill();
    // Same port, same link: the restarted server has everything.
    let server = Server::start(&srv, port);
    json(&b, &["sync", &link]);
    assert_eq!(notes(&b, &board).len(), 10);
    assert_eq!(notes(&b, &board), notes(&a, &board));
    drop(server);
}

#[test]
fn bad_links_and_tokens_are_refused_with_a_clear_message_and_change_nothing() {
    let Setup {
        tmp,
        srv,
        a,
        b,
        server,
        board,
        link,
    } = setup("Geheim");
    add_note(&a, &board, "nur für die AG");
    json(&a, &["sync", &link]);

    // A token from another library (wrong secret).
    let other = tmp.path().join("other");
    let forged = ok(&other, &["token", "issue", &board, "--url", &server.url()]);
    let err = fails(&b, &["sync", forged.trim()]);
    assert!(err.contains("401"), "{err}");
    // No token, a garbage token.
    let bare = format!("{}/b/{board}", server.url());
    assert!(fails(&b, &["sync", &bare]).contains("401"));
    assert!(fails(&b, &["sync", &format!("{bare}?token=%00garbage")]).contains("401"));
    // A token for another board.
    let elsewhere = server.link(&srv, &uuid::Uuid::now_v7().to_string(), "editor");
    let swapped = elsewhere.replace(
        elsewhere
            .split("/b/")
            .nth(1)
            .and_then(|rest| rest.split('?').next())
            .expect("board in link"),
        &board,
    );
    assert!(fails(&b, &["sync", &swapped]).contains("403"));
    // Revoked.
    ok(&srv, &["token", "revoke", &board]);
    assert!(fails(&b, &["sync", &link]).contains("revoked"));
    // Not a link at all.
    assert!(fails(&b, &["sync", "https://example.invalid/b/x"]).contains("not a join link"));
    assert!(fails(
        &b,
        &["sync", &format!("{}/b/not-a-board?token=x", server.url())]
    )
    .contains("does not name a Stellwand board"));
    // Nobody listening.
    let closed = link.replace(&server.port.to_string(), "1");
    let err = fails(&b, &["sync", &closed, "--timeout", "5"]);
    assert!(err.contains("syncing failed"), "{err}");
    // b's library holds no placeholder boards from the refused attempts.
    assert_eq!(json(&b, &["board", "list"]), serde_json::json!([]));
    // The server's copy is unchanged.
    let fresh = server.link(&srv, &board, "viewer");
    let c = tmp.path().join("c");
    json(&c, &["sync", &fresh]);
    assert_eq!(notes(&c, &board), ["nur für die AG"]);

    // Token options out of range.
    let out = cli(&srv, &["token", "issue", &board, "--days", "0"]);
    assert!(!out.status.success());
    assert!(fails(&srv, &["token", "issue", &board, "--url", "http://x"]).contains("ws://"));
}

#[test]
fn a_viewer_link_reads_the_board_but_its_changes_never_reach_the_server() {
    let Setup {
        tmp,
        srv,
        a,
        b: v,
        server,
        board,
        link,
    } = setup("Ergebnisse AG 2");
    add_note(&a, &board, "Beschluss 1");
    json(&a, &["sync", &link]);
    let viewer = server.link(&srv, &board, "viewer");
    let out = cli(&v, &["--json", "sync", &viewer]);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["read_only"], true);
    add_note(&v, &board, "vom Lesenden");
    let out = cli(&v, &["sync", &viewer]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only link"));
    let c = tmp.path().join("c");
    json(&c, &["sync", &viewer]);
    assert_eq!(notes(&c, &board), ["Beschluss 1"]);
    // The viewer keeps its own note locally.
    assert_eq!(notes(&v, &board), ["Beschluss 1", "vom Lesenden"]);
}

#[test]
fn serve_refuses_a_port_in_use_with_a_clear_message() {
    let tmp = tempfile::tempdir().expect("tmp");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port().to_string();
    let err = fails(tmp.path(), &["serve", "--port", &port]);
    assert!(err.contains("cannot listen on 127.0.0.1"), "{err}");
}
