//! Offering and finding boards with mDNS, inside a network namespace the
//! test creates (`unshare --net`, loopback only), so no packet leaves this
//! machine.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;
use std::time::Duration;

use mdns_sd::{IfKind, ServiceDaemon, ServiceInfo};
use stellwand_sync::discovery::{browse, Announcer, Offer, Scope, SERVICE_TYPE};

const CHILD: &str = "STELLWAND_DISCOVERY_CHILD";

/// Runs the test named `name` again inside a fresh network namespace with
/// only a loopback interface (up, multicast on).
fn in_namespace(name: &str) {
    // A machine that forbids network namespaces (some containers) cannot
    // run this test without sending multicast to a real network: say so
    // loudly instead of failing or sending.
    let probe = Command::new("unshare")
        .args(["--net", "--map-root-user", "true"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED {name}: network namespaces are not available here ({:?})",
            probe.map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        );
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let script = format!(
        "ip link set lo up && ip link set lo multicast on && exec '{}' --exact {name} --nocapture --test-threads=1",
        exe.display()
    );
    let output = Command::new("unshare")
        .args(["--net", "--map-root-user", "sh", "-c", &script])
        .env(CHILD, "1")
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        output.status.success(),
        "the test in the network namespace failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1 passed"),
        "the child ran the test: {stdout}"
    );
}

fn offer(board: &str, title: &str) -> Offer {
    Offer {
        board: board.into(),
        title: title.into(),
        host: "Ana Schulz".into(),
        address: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 8737,
        token: "eyJiIjoiYiJ9.c2lnbmF0dXJl".into(),
    }
}

#[test]
fn offered_boards_are_found_with_a_working_link_and_bad_records_are_ignored() {
    if std::env::var(CHILD).is_err() {
        in_namespace("offered_boards_are_found_with_a_working_link_and_bad_records_are_ignored");
        return;
    }
    let board = "01a21e9c-7945-7184-9f4a-56bd909755e8";
    let mut announcer = Announcer::new(Scope::Loopback).unwrap();
    announcer
        .offer(&offer(board, "AG Digitales Rathaus – Sitzung 3 \u{7}"))
        .unwrap();
    assert!(announcer.is_offered(board));
    // A title far longer than a TXT record holds (emoji: 4 bytes each).
    let long_board = "01a21e9c-7945-7184-9f4a-000000000002";
    announcer
        .offer(&offer(long_board, &"🗂️".repeat(100)))
        .unwrap();

    // A hostile record of the same service type: an id with a slash and an
    // oversized token. It is ignored.
    let rogue = ServiceDaemon::new().unwrap();
    rogue.disable_interface(IfKind::All).unwrap();
    rogue.enable_interface(IfKind::LoopbackV4).unwrap();
    let token = "x".repeat(250);
    let bad = ServiceInfo::new(
        SERVICE_TYPE,
        "rogue",
        "rogue.local.",
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        9,
        &[("b", "../etc"), ("t", "böse"), ("k", token.as_str())][..],
    )
    .unwrap();
    rogue.register(bad).unwrap();

    let found = browse(Scope::Loopback, Duration::from_secs(4)).unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    let long = found.iter().find(|o| o.board == long_board).unwrap();
    assert!(
        !long.title.is_empty() && long.title.len() <= 200,
        "{}",
        long.title.len()
    );
    announcer.withdraw(long_board);
    let got = found.iter().find(|o| o.board == board).unwrap();
    assert_eq!(got.board, board);
    assert_eq!(
        got.title, "AG Digitales Rathaus – Sitzung 3 ",
        "control characters dropped"
    );
    assert_eq!(got.host, "Ana Schulz");
    assert_eq!(
        got.link(),
        format!("ws://127.0.0.1:8737/b/{board}?token=eyJiIjoiYiJ9.c2lnbmF0dXJl")
    );
    let parsed = stellwand_sync::link::parse_join_link(&got.link()).unwrap();
    assert_eq!(parsed.board, board);

    // Withdrawn offers are no longer found.
    announcer.withdraw(board);
    assert!(!announcer.is_offered(board));
    let _ = rogue.shutdown();
    std::thread::sleep(Duration::from_millis(500));
    let found = browse(Scope::Loopback, Duration::from_secs(2)).unwrap();
    assert!(found.is_empty(), "{found:?}");
}
