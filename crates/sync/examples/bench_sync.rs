//! Sync benchmark: Stellwand's server and the reference `@y/websocket-server`
//! under the same load generator. Prints numbers; asserts nothing.
//!
//! ```text
//! cargo build --release -p stellwand-sync --examples
//! (cd tests/interop && npm ci)
//! target/release/examples/bench_sync [--seconds 5] [--clients 10,50,200]
//! ```
//!
//! For each server and client count, a fresh server process is started and
//! N clients join one board; each sends one-character text edits at a fixed
//! rate (200 edits/s in total for 10 clients, 500 for 50, 1000 for 200).
//! Reported: updates delivered to peers per second, edit-to-peer latency
//! (p50/p99, from the sender's clock to the receiver's), the server's CPU
//! time during the measured window and its peak RSS (`/proc/<pid>`). Then
//! the time for a fresh client to receive a 10,000-note board.
//! The load generator runs on the same machine, so the numbers include its
//! contention for the same cores.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark driver, not library code

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use stellwand_sync::client::sync_once;
use stellwand_sync::protocol::{Message, Reader};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::updates::encoder::Encode;
use yrs::{Doc, Map, MapPrelim, MapRef, ReadTxn, Text, TextPrelim, TextRef, Transact};

struct Server {
    name: &'static str,
    child: Child,
    port: u16,
    token: String,
}

impl Server {
    fn url(&self, board: &str) -> String {
        format!(
            "ws://127.0.0.1:{}/b/{board}?token={}",
            self.port, self.token
        )
    }

    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the parenthesised command name; utime and stime are 14 and 15.
        // `rest` starts at field 3 (state), so utime (14) and stime (15)
        // are at indices 11 and 12.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let field = |i: usize| -> u64 {
            rest.split_whitespace()
                .nth(i)
                .and_then(|f| f.parse().ok())
                .unwrap_or(0)
        };
        let ticks = field(11) + field(12);
        Duration::from_millis(ticks * 10)
    }

    fn peak_rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn first_json_line(child: &mut Child) -> serde_json::Value {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad server banner {line:?}: {e}"))
}

fn start_stellwand() -> Server {
    let exe = std::env::current_exe().unwrap();
    let bin: PathBuf = exe.with_file_name("serve");
    assert!(
        bin.exists(),
        "build the examples first: {} is missing",
        bin.display()
    );
    let mut child = Command::new(bin)
        .args(["--port", "0", "--rate", "100000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let info = first_json_line(&mut child);
    Server {
        name: "stellwand",
        port: u16::try_from(info["port"].as_u64().unwrap()).unwrap(),
        token: info["editor_token"].as_str().unwrap().to_owned(),
        child,
    }
}

fn start_reference() -> Server {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop");
    let mut child = Command::new("node")
        .arg("reference-server.mjs")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is needed for the reference server");
    let info = first_json_line(&mut child);
    Server {
        name: "y-websocket-server",
        port: u16::try_from(info["port"].as_u64().unwrap()).unwrap(),
        token: "unused".into(),
        child,
    }
}

/// How long after the last edit deliveries are still awaited.
const GRACE: Duration = Duration::from_secs(3);

struct LoadResult {
    delivered: u64,
    window: Duration,
    latencies_us: Vec<u64>,
    cpu: Duration,
}

/// Reads client id and clock of the first struct block of an update.
fn update_origin(update: &[u8]) -> Option<(u64, u32)> {
    let mut r = Reader::new(update);
    if r.var_u32().ok()? == 0 {
        return None;
    }
    let _structs = r.var_u32().ok()?;
    let client = r.var_u64().ok()?;
    let clock = r.var_u32().ok()?;
    Some((client, clock))
}

struct Sender {
    base_clock: u32,
    sent_at_us: Vec<AtomicU64>,
}

async fn run_load(server: &Server, clients: usize, total_rate: f64, seconds: u64) -> LoadResult {
    let url = server.url("bench");
    let per_client = Duration::from_secs_f64(clients as f64 / total_rate);
    let edits = (seconds as f64 * total_rate / clients as f64).ceil() as usize + 5;
    let epoch = Instant::now();
    // Each client: its own doc with one note; the edits append to its text.
    let mut docs = Vec::new();
    let mut senders = HashMap::new();
    for i in 0..clients {
        let doc = Doc::new();
        let items = doc.get_or_insert_map("items");
        {
            let mut txn = doc.transact_mut();
            let note: MapRef = items.insert(&mut txn, format!("note-{i}"), MapPrelim::default());
            note.insert(&mut txn, "type", "note");
            note.insert(&mut txn, "text", TextPrelim::new(""));
        }
        let base = doc.transact().state_vector().get(&doc.client_id());
        senders.insert(
            doc.client_id().get(),
            Arc::new(Sender {
                base_clock: base,
                sent_at_us: (0..edits).map(|_| AtomicU64::new(0)).collect(),
            }),
        );
        docs.push(doc);
    }
    let senders = Arc::new(senders);
    let delivered = Arc::new(AtomicU64::new(0));
    let measuring = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let joined = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let start_sending = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let mut tasks = Vec::new();
    for doc in docs {
        let url = url.clone();
        let senders = senders.clone();
        let delivered = delivered.clone();
        let measuring = measuring.clone();
        let joined = joined.clone();
        let start_sending = start_sending.clone();
        tasks.push(tokio::spawn(async move {
            let (ws, _) = tokio_tungstenite::connect_async(url.as_str())
                .await
                .expect("connect");
            let (mut sink, mut stream) = ws.split();
            let full = doc
                .transact()
                .encode_state_as_update_v1(&yrs::StateVector::default());
            let sv = doc.transact().state_vector().encode_v1();
            sink.send(WsMessage::Binary(Message::SyncStep1(&sv).encode().into()))
                .await
                .unwrap();
            sink.send(WsMessage::Binary(Message::Update(&full).encode().into()))
                .await
                .unwrap();
            let mine = doc.client_id().get();
            let me = senders.get(&mine).unwrap().clone();
            let latencies = Arc::new(std::sync::Mutex::new(Vec::new()));
            let samples = latencies.clone();
            let reader = tokio::spawn(async move {
                while let Some(Ok(msg)) = stream.next().await {
                    let WsMessage::Binary(data) = msg else {
                        continue;
                    };
                    let Ok(Message::Update(update)) = Message::decode(&data, usize::MAX) else {
                        continue;
                    };
                    if !measuring.load(Ordering::Relaxed) {
                        continue;
                    }
                    let now = epoch.elapsed().as_micros() as u64;
                    let origin = update_origin(update);
                    // The reference server echoes updates to their sender; not a delivery.
                    if origin.is_some_and(|(client, _)| client == mine) {
                        continue;
                    }
                    delivered.fetch_add(1, Ordering::Relaxed);
                    if let Some((client, clock)) = origin {
                        if let Some(s) = senders.get(&client) {
                            let k = clock.wrapping_sub(s.base_clock) as usize;
                            if let Some(t) = s.sent_at_us.get(k) {
                                let sent = t.load(Ordering::Relaxed);
                                if sent > 0 && now >= sent {
                                    samples.lock().unwrap().push(now - sent);
                                }
                            }
                        }
                    }
                }
            });
            joined.wait().await;
            start_sending.wait().await;
            let text: TextRef = {
                let items = doc.get_or_insert_map("items");
                let txn = doc.transact();
                items
                    .iter(&txn)
                    .find_map(|(_, v)| v.cast::<MapRef>().ok())
                    .and_then(|n| n.get(&txn, "text"))
                    .and_then(|t| t.cast::<TextRef>().ok())
                    .unwrap()
            };
            let mut tick = tokio::time::interval(per_client);
            for k in 0..edits - 5 {
                tick.tick().await;
                let before = doc.transact().state_vector();
                {
                    let mut txn = doc.transact_mut();
                    let len = text.len(&txn);
                    text.insert(&mut txn, len, "x");
                }
                let update = doc.transact().encode_state_as_update_v1(&before);
                me.sent_at_us[k].store(epoch.elapsed().as_micros() as u64, Ordering::Relaxed);
                if sink
                    .send(WsMessage::Binary(Message::Update(&update).encode().into()))
                    .await
                    .is_err()
                {
                    break;
                }
            }
            // Late deliveries still count towards latency during the grace period.
            tokio::time::sleep(GRACE).await;
            reader.abort();
            let _ = sink.send(WsMessage::Close(None)).await;
            let samples = std::mem::take(&mut *latencies.lock().unwrap());
            samples
        }));
    }
    joined.wait().await;
    // Let the initial notes spread before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    measuring.store(true, Ordering::Relaxed);
    let cpu0 = server.cpu();
    let t0 = Instant::now();
    start_sending.wait().await;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let window = t0.elapsed();
    let count = delivered.load(Ordering::Relaxed);
    let cpu = server.cpu().saturating_sub(cpu0);
    let mut latencies_us = Vec::new();
    // Senders stop after `seconds` and wait out GRACE before reporting.
    for t in tasks {
        latencies_us.extend(t.await.unwrap_or_default());
    }
    latencies_us.sort_unstable();
    LoadResult {
        delivered: count,
        window,
        latencies_us,
        cpu,
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn big_board(notes: usize) -> Doc {
    let doc = Doc::new();
    let items = doc.get_or_insert_map("items");
    let mut txn = doc.transact_mut();
    for i in 0..notes {
        let note: MapRef = items.insert(&mut txn, format!("{:08x}-note", i), MapPrelim::default());
        note.insert(&mut txn, "type", "note");
        note.insert(&mut txn, "x", (i % 100) as f64 * 180.0);
        note.insert(&mut txn, "y", (i / 100) as f64 * 140.0);
        note.insert(&mut txn, "w", 160.0);
        note.insert(&mut txn, "h", 120.0);
        note.insert(&mut txn, "z", i as f64);
        note.insert(&mut txn, "color", "#ffe066");
        note.insert(
            &mut txn,
            "text",
            TextPrelim::new(format!("Karte {i}: Ergebnis aus der AG")),
        );
    }
    drop(txn);
    doc
}

#[tokio::main]
async fn main() {
    let mut seconds = 5u64;
    let mut counts = vec![10usize, 50, 200];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).unwrap_or(seconds),
            "--clients" => {
                counts = args
                    .next()
                    .map(|v| v.split(',').filter_map(|n| n.parse().ok()).collect())
                    .unwrap_or(counts)
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let rate_for = |n: usize| match n {
        0..=10 => 200.0,
        11..=50 => 500.0,
        _ => 1000.0,
    };
    println!("server               clients  edits/s  delivered/s   p50 ms   p99 ms  cpu s  cpu %  peak MiB");
    for &n in &counts {
        for start in [start_stellwand as fn() -> Server, start_reference] {
            let server = start();
            tokio::time::sleep(Duration::from_millis(300)).await;
            let r = run_load(&server, n, rate_for(n), seconds).await;
            let secs = r.window.as_secs_f64();
            println!(
                "{:<20} {:>7} {:>8.0} {:>12.0} {:>8.2} {:>8.2} {:>6.2} {:>6.0} {:>9.1}",
                server.name,
                n,
                rate_for(n),
                r.delivered as f64 / secs,
                percentile(&r.latencies_us, 0.50),
                percentile(&r.latencies_us, 0.99),
                r.cpu.as_secs_f64(),
                100.0 * r.cpu.as_secs_f64() / secs,
                server.peak_rss_mib(),
            );
        }
    }
    let board = big_board(10_000);
    let encoded = board
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    println!();
    println!(
        "10,000-note board ({:.1} MiB encoded) to a fresh client:",
        encoded.len() as f64 / 1048576.0
    );
    {
        let t = Instant::now();
        let again = board
            .transact()
            .encode_state_as_update_v1(&yrs::StateVector::default());
        let encode = t.elapsed();
        let t = Instant::now();
        stellwand_sync::validate::validate_update_v1(&again).unwrap();
        let validate = t.elapsed();
        let t = Instant::now();
        stellwand_sync::session::apply_update(&Doc::new(), &again).unwrap();
        let apply = t.elapsed() - validate.min(t.elapsed());
        println!(
            "in-process: encode {:.1} ms, validate {:.1} ms, decode+apply {:.1} ms",
            encode.as_secs_f64() * 1000.0,
            validate.as_secs_f64() * 1000.0,
            apply.as_secs_f64() * 1000.0
        );
    }
    for start in [start_stellwand as fn() -> Server, start_reference] {
        let server = start();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let url = server.url("big");
        sync_once(&url, &board, Duration::from_secs(120))
            .await
            .expect("upload");
        let mut times = Vec::new();
        for _ in 0..5 {
            let fresh = Doc::new();
            let t = Instant::now();
            sync_once(&url, &fresh, Duration::from_secs(120))
                .await
                .expect("download");
            times.push(t.elapsed());
            assert_eq!(
                fresh.get_or_insert_map("items").len(&fresh.transact()),
                10_000
            );
        }
        times.sort();
        println!(
            "{:<20} median {:>7.1} ms  min {:>7.1} ms  max {:>7.1} ms  (peak server RSS {:.1} MiB)",
            server.name,
            times[2].as_secs_f64() * 1000.0,
            times[0].as_secs_f64() * 1000.0,
            times[4].as_secs_f64() * 1000.0,
            server.peak_rss_mib(),
        );
    }
}
