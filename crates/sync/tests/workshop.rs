//! Workshop rules enforced by the host, through the real server on
//! 127.0.0.1 with several clients: vote limits, hidden results (checked on
//! the bytes a participant received), viewers, facilitator-only commands,
//! locked items, the host-only workshop map, private drafts, restarts and
//! hostile workshop messages.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use stellwand_board::workshop::Workshop;
use stellwand_board::{Intent, ItemId, ItemSpec, NewItem};
use stellwand_library::drafts::{Draft, Drafts};
use stellwand_store::BoardId;
use stellwand_store::Workspace;
use stellwand_sync::client::{self, ClientHandle, ClientOptions};
use stellwand_sync::link::Link;
use stellwand_sync::protocol::Message;
use stellwand_sync::store::{BoardStore, MemoryStore};
use stellwand_sync::token::Role;
use stellwand_sync::workshop::{Command, Hello, TimerAction, WORKSHOP_ROOT};
use stellwand_sync::BoardId as SyncBoardId;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::{Doc, Map, MapRef, Out, Transact};

fn options(user: &str) -> ClientOptions {
    ClientOptions {
        backoff_initial: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        jitter_seed: Some(3),
        presence: Some(format!(
            r##"{{"user":{{"name":"{user}","color":"#e91e63"}}}}"##
        )),
        hello: Some(Hello {
            user: format!("user-{user}"),
            name: user.to_owned(),
        }),
        ..ClientOptions::default()
    }
}

async fn join(server: &TestServer, board: &str, role: Role, user: &str) -> (Doc, ClientHandle) {
    let doc = Doc::new();
    let handle = client::connect(&server.url(board, role), doc.clone(), options(user)).unwrap();
    handle.wait_connected().await.unwrap();
    let mut watch = handle.watch_workshop();
    tokio::time::timeout(Duration::from_secs(10), async {
        while watch.borrow_and_update().you.is_none() {
            watch.changed().await.unwrap();
        }
    })
    .await
    .expect("the host greets every client that says hello");
    (doc, handle)
}

fn vote(item: &str, delta: i32) -> Command {
    Command::Vote {
        item: item.into(),
        delta,
    }
}

fn workshop_json(doc: &Doc) -> String {
    let root = doc.get_or_insert_map(WORKSHOP_ROOT);
    let txn = doc.transact();
    format!("{:?}", yrs::types::ToJson::to_json(&root, &txn))
}

fn item_x(doc: &Doc, id: &str) -> Option<f64> {
    let items = doc.get_or_insert_map("items");
    let txn = doc.transact();
    let item = items.get(&txn, id)?.cast::<MapRef>().ok()?;
    match item.get(&txn, "x")? {
        Out::Any(yrs::Any::Number(n)) => n.as_f64(),
        _ => None,
    }
}

fn set_x(doc: &Doc, id: &str, x: f64) {
    let items = doc.get_or_insert_map("items");
    let mut txn = doc.transact_mut();
    let item = items.get(&txn, id).unwrap().cast::<MapRef>().unwrap();
    item.insert(&mut txn, "x", x);
}

/// A participant speaking the wire protocol by hand, recording every byte
/// it receives.
struct Recorder {
    tx: tokio::sync::mpsc::UnboundedSender<Vec<u8>>,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Recorder {
    async fn start(url: &str, user: &str) -> Self {
        let ws = raw(url).await;
        let (mut sink, mut stream) = ws.split();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            while let Some(Ok(msg)) = stream.next().await {
                if let WsMessage::Binary(data) = msg {
                    log.lock().unwrap().push(data.to_vec());
                }
            }
        });
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
        tokio::spawn(async move {
            use futures_util::SinkExt;
            while let Some(frame) = rx.recv().await {
                if sink.send(WsMessage::Binary(frame.into())).await.is_err() {
                    break;
                }
            }
        });
        let recorder = Self { tx, received };
        recorder.send(Message::SyncStep1(&[0]).encode());
        recorder.workshop(&format!(r#"{{"hello":{{"user":"{user}","name":"Rec"}}}}"#));
        recorder
    }

    fn send(&self, frame: Vec<u8>) {
        self.tx.send(frame).unwrap();
    }

    fn workshop(&self, json: &str) {
        self.send(Message::Workshop(json.as_bytes()).encode());
    }

    fn bytes(&self) -> Vec<u8> {
        self.received.lock().unwrap().concat()
    }

    /// The JSON of every workshop message received.
    fn workshop_messages(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter_map(|f| match Message::decode(f, usize::MAX) {
                Ok(Message::Workshop(b)) => Some(String::from_utf8_lossy(b).into_owned()),
                _ => None,
            })
            .collect()
    }
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_are_limited_hidden_until_the_end_and_refused_to_viewers() {
    let server = TestServer::start(|_| {}).await;
    let board = "ag-vote";
    let (fac_doc, fac) = join(&server, board, Role::Facilitator, "Fiona").await;
    add_note(&fac_doc, "n1", "Schnittstellen", 0.0);
    add_note(&fac_doc, "n2", "Fachverfahren", 200.0);
    add_note(&fac_doc, "n3", "Schulungen", 400.0);
    let (p_doc, p) = join(&server, board, Role::Editor, "Paul").await;
    let (_v_doc, v) = join(&server, board, Role::Viewer, "Vera").await;
    assert!(eventually(10, || note_count(&p_doc) == 3).await);
    let rec = Recorder::start(&server.url(board, Role::Editor), "user-rec").await;

    fac.command(Command::StartRound {
        title: "Was zuerst?".into(),
        scope: None,
        per_person: 2,
        multiple: false,
        anonymous: false,
    })
    .await
    .unwrap();
    // A new name reaches the host: the vote carries it.
    let mut greeted = p.watch_workshop();
    greeted.borrow_and_update();
    p.set_hello(Hello {
        user: "user-Paul".into(),
        name: "Paul Neumann".into(),
    });
    tokio::time::timeout(Duration::from_secs(10), greeted.changed())
        .await
        .unwrap()
        .unwrap();
    p.command(vote("n1", 1)).await.unwrap();
    assert_eq!(
        p.command(vote("n1", 1)).await.unwrap_err().code,
        "one-per-note"
    );
    p.command(vote("n2", 1)).await.unwrap();
    assert_eq!(p.command(vote("n3", 1)).await.unwrap_err().code, "limit");
    assert_eq!(
        p.command(vote("zz", 1)).await.unwrap_err().code,
        "no-such-item"
    );
    assert_eq!(
        v.command(vote("n3", 1)).await.unwrap_err().code,
        "not-allowed"
    );
    assert_eq!(
        p.command(Command::EndRound {}).await.unwrap_err().code,
        "not-allowed"
    );
    let mine = p
        .watch_workshop()
        .borrow()
        .you
        .clone()
        .unwrap()
        .votes
        .unwrap();
    assert_eq!(mine.left, 0);
    assert_eq!(mine.mine.len(), 2);

    rec.workshop(r#"{"do":{"id":1,"cmd":{"op":"vote","item":"n1","delta":1}}}"#);
    assert!(
        eventually(10, || rec
            .workshop_messages()
            .iter()
            .any(|m| m.contains(r#""re":1"#)))
        .await
    );
    // Before the end the participant received no count of anyone: no
    // results in the document, and their own votes only.
    let before = rec.bytes();
    assert!(
        !contains(&before, "results"),
        "results leaked before the end"
    );
    assert!(!contains(&before, "voters"));
    assert!(
        !contains(&before, "user-Paul"),
        "another person's id leaked"
    );
    for m in rec.workshop_messages() {
        if m.contains("\"mine\"") {
            assert!(!m.contains("n2"), "someone else's vote leaked: {m}");
        }
    }
    assert!(!workshop_json(&p_doc).contains("results"));

    fac.command(Command::EndRound {}).await.unwrap();
    assert!(eventually(10, || contains(&rec.bytes(), "results")).await);
    assert!(eventually(10, || workshop_json(&p_doc).contains("results")).await);
    let json = workshop_json(&p_doc);
    assert!(json.contains(r#""n1": Number(Float(2.0))"#), "{json}");
    assert!(json.contains(r#""n2": Number(Float(1.0))"#), "{json}");
    assert!(
        json.contains("Paul Neumann"),
        "named round lists voters: {json}"
    );
    assert!(json.contains("people"), "{json}");
    // After the end, voting is refused.
    assert_eq!(p.command(vote("n3", 1)).await.unwrap_err().code, "no-round");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_undoes_participant_changes_to_locked_items_and_the_workshop_map() {
    let server = TestServer::start(|_| {}).await;
    let board = "ag-lock";
    let (fac_doc, fac) = join(&server, board, Role::Facilitator, "Fiona").await;
    add_note(&fac_doc, "agenda", "Tagesordnung", 0.0);
    add_note(&fac_doc, "free", "frei", 300.0);
    let (p_doc, p) = join(&server, board, Role::Editor, "Paul").await;
    assert!(eventually(10, || note_count(&p_doc) == 2).await);
    assert_eq!(
        p.command(Command::Lock {
            items: vec!["agenda".into()],
            locked: true
        })
        .await
        .unwrap_err()
        .code,
        "not-allowed"
    );
    fac.command(Command::Lock {
        items: vec!["agenda".into()],
        locked: true,
    })
    .await
    .unwrap();
    assert!(eventually(10, || workshop_json(&p_doc).contains("agenda")).await);

    // A modified client moves the locked item, edits the free one and
    // forges a timer in the host's map.
    set_x(&p_doc, "agenda", 999.0);
    set_x(&p_doc, "free", 555.0);
    {
        let root = p_doc.get_or_insert_map(WORKSHOP_ROOT);
        let mut txn = p_doc.transact_mut();
        root.insert(&mut txn, "timer", "forged");
    }
    assert!(
        eventually(10, || item_x(&p_doc, "agenda") == Some(0.0)
            && item_x(&fac_doc, "agenda") == Some(0.0)
            && item_x(&fac_doc, "free") == Some(555.0)
            && !workshop_json(&p_doc).contains("forged")
            && !workshop_json(&fac_doc).contains("forged"))
        .await,
        "participant: {:?}, facilitator: {:?}",
        item_x(&p_doc, "agenda"),
        item_x(&fac_doc, "agenda")
    );
    let undone = server.metrics.snapshot().writes_undone;
    assert!(undone >= 1);
    // Comments and reactions stay open on a locked item (with the time of
    // the change they set).
    {
        let items = p_doc.get_or_insert_map("items");
        let mut txn = p_doc.transact_mut();
        let item = items.get(&txn, "agenda").unwrap().cast::<MapRef>().unwrap();
        let comments: MapRef = item.insert(&mut txn, "comments", yrs::MapPrelim::default());
        comments.insert(&mut txn, "c1", "Bitte Punkt 3 vorziehen");
        let own: MapRef = item.insert(
            &mut txn,
            "comment:3f2b9c1e-0d6a-4a8e-9b61-5c2f7e8d9a10",
            yrs::MapPrelim::default(),
        );
        own.insert(&mut txn, "text", "Einverstanden");
        item.insert(&mut txn, "react:👍:user-Paul", "Paul");
        item.insert(&mut txn, "updated", 42.0);
    }
    assert!(
        eventually(10, || {
            let items = fac_doc.get_or_insert_map("items");
            let txn = fac_doc.transact();
            items
                .get(&txn, "agenda")
                .and_then(|v| v.cast::<MapRef>().ok())
                .is_some_and(|item| item.get(&txn, "comments").is_some())
        })
        .await
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.metrics.snapshot().writes_undone, undone);
    // Deleting it comes back too.
    {
        let items = p_doc.get_or_insert_map("items");
        let mut txn = p_doc.transact_mut();
        items.remove(&mut txn, "agenda");
    }
    assert!(eventually(10, || item_x(&p_doc, "agenda") == Some(0.0)).await);
    // The facilitator may move it; the move stays.
    set_x(&fac_doc, "agenda", 50.0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(eventually(10, || item_x(&p_doc, "agenda") == Some(50.0)).await);
    assert_eq!(item_x(&fac_doc, "agenda"), Some(50.0));
    // Unlocked, the participant may move it.
    fac.command(Command::Lock {
        items: vec!["agenda".into()],
        locked: false,
    })
    .await
    .unwrap();
    set_x(&p_doc, "agenda", 70.0);
    assert!(eventually(10, || item_x(&fac_doc, "agenda") == Some(70.0)).await);
    drop(p);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timer_hand_over_and_an_open_round_survive_as_the_host_says() {
    let store = Arc::new(MemoryStore::new());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let addr = server.addr;
    let board = "ag-timer";
    let (fac_doc, fac) = join(&server, board, Role::Facilitator, "Fiona").await;
    add_note(&fac_doc, "n1", "A", 0.0);
    let (p_doc, p) = join(&server, board, Role::Editor, "Paul").await;
    assert!(eventually(10, || note_count(&p_doc) == 1).await);
    assert_eq!(
        p.command(Command::Timer {
            action: TimerAction::Start,
            seconds: Some(300)
        })
        .await
        .unwrap_err()
        .code,
        "not-allowed"
    );
    fac.command(Command::Timer {
        action: TimerAction::Start,
        seconds: Some(300),
    })
    .await
    .unwrap();
    assert!(eventually(10, || workshop_json(&p_doc).contains("running")).await);
    fac.command(Command::Timer {
        action: TimerAction::Pause,
        seconds: None,
    })
    .await
    .unwrap();
    assert!(eventually(10, || workshop_json(&p_doc).contains("paused")).await);
    fac.command(Command::StartRound {
        title: String::new(),
        scope: None,
        per_person: 3,
        multiple: true,
        anonymous: true,
    })
    .await
    .unwrap();
    p.command(vote("n1", 1)).await.unwrap();
    p.command(vote("n1", 1)).await.unwrap();

    // The host restarts: the open round and Paul's two votes are still there.
    drop((fac, p));
    server.shutdown().await;
    let server = TestServer::start_on(addr, store.clone(), |_| {}).await;
    let (_p_doc2, p) = join(&server, board, Role::Editor, "Paul").await;
    let you = p.watch_workshop().borrow().you.clone().unwrap();
    assert_eq!(you.votes.unwrap().left, 1);

    // Hand-over: Fiona gives the role to Paul and becomes a participant.
    let (_f_doc2, fac) = join(&server, board, Role::Facilitator, "Fiona").await;
    let paul_client = {
        let mut watch = fac.watch_status();
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let found = watch
                    .borrow_and_update()
                    .participants
                    .iter()
                    .find(|x| x.state.contains("Paul"))
                    .map(|x| x.client_id);
                if let Some(id) = found {
                    return id;
                }
                watch.changed().await.unwrap();
            }
        })
        .await
        .unwrap()
    };
    fac.command(Command::HandOver {
        client: paul_client,
    })
    .await
    .unwrap();
    assert!(
        eventually(10, || p
            .watch_workshop()
            .borrow()
            .you
            .as_ref()
            .is_some_and(|y| y.role == "facilitator"))
        .await
    );
    assert_eq!(
        fac.command(Command::EndRound {}).await.unwrap_err().code,
        "not-allowed"
    );
    p.command(Command::EndRound {}).await.unwrap();
    server.shutdown().await;
    let stored = store
        .load(&SyncBoardId::new(board).unwrap())
        .unwrap()
        .concat();
    assert!(contains(&stored, "results"));
    assert!(
        !contains(&stored, "voters"),
        "an anonymous round names nobody"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_workshop_messages_are_refused() {
    let server = TestServer::start(|_| {}).await;
    let url = server.url("ag-bad", Role::Editor);
    // A command before the hello.
    let mut ws = raw(&url).await;
    send(
        &mut ws,
        Message::Workshop(br#"{"do":{"id":5,"cmd":{"op":"endRound"}}}"#).encode(),
    )
    .await;
    let reply = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(msg)) = ws.next().await {
            if let WsMessage::Binary(data) = msg {
                if let Ok(Message::Workshop(b)) = Message::decode(&data, usize::MAX) {
                    return String::from_utf8_lossy(b).into_owned();
                }
            }
        }
        String::new()
    })
    .await
    .unwrap();
    assert!(reply.contains("no-hello"), "{reply}");
    // A second hello, a bad user id.
    send(
        &mut ws,
        Message::Workshop(br#"{"hello":{"user":"a"}}"#).encode(),
    )
    .await;
    send(
        &mut ws,
        Message::Workshop(br#"{"hello":{"user":"b"}}"#).encode(),
    )
    .await;
    round_trip(&mut ws).await;
    // Not JSON: closed as malformed.
    send(&mut ws, Message::Workshop(b"{not json").encode()).await;
    let (code, reason) = read_until_close(&mut ws).await;
    assert_eq!(code, 4400, "{reason}");
    let mut ws = raw(&url).await;
    send(
        &mut ws,
        Message::Workshop(br#"{"hello":{"user":"../../etc"}}"#).encode(),
    )
    .await;
    send(
        &mut ws,
        Message::Workshop(br#"{"do":{"id":1,"cmd":{"op":"vote","item":"x","delta":5}}}"#).encode(),
    )
    .await;
    round_trip(&mut ws).await;
    // Oversized: closed before it is parsed.
    let mut ws = raw(&url).await;
    let huge = format!(
        r#"{{"hello":{{"user":"u","name":"{}"}}}}"#,
        "x".repeat(300 * 1024)
    );
    send(&mut ws, Message::Workshop(huge.as_bytes()).encode()).await;
    let (code, reason) = read_until_close(&mut ws).await;
    assert_eq!(code, 4413, "{reason}");
    server.shutdown().await;
}

/// A desktop-like member: a real library and a link, the board session as
/// the only writer.
struct Member {
    _dir: tempfile::TempDir,
    workspace: Workspace,
    link: Arc<Link>,
    remote: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    board: BoardId,
}

fn member(url: &str, board: BoardId, name: &str) -> Member {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = Workspace::open(dir.path(), name).unwrap();
    workspace
        .library()
        .ensure_board(board, "Wand", None, 1)
        .unwrap();
    let state = workspace.board_state(board).unwrap();
    let (tx, remote) = tokio::sync::mpsc::unbounded_channel();
    let link = Arc::new(
        Link::start(url, &state, options(name), move |u| {
            let _ = tx.send(u);
        })
        .unwrap(),
    );
    let forward = Arc::clone(&link);
    workspace.set_forward(
        board,
        Some(Arc::new(move |u: &[u8]| forward.push_local(u).unwrap())),
    );
    Member {
        _dir: dir,
        workspace,
        link,
        remote,
        board,
    }
}

impl Member {
    fn pump(&mut self) {
        let mut batch = Vec::new();
        while let Ok(u) = self.remote.try_recv() {
            batch.push(u);
        }
        if !batch.is_empty() {
            self.workspace.apply_remote(self.board, &batch, 2).unwrap();
        }
    }

    fn texts(&self) -> Vec<String> {
        self.workspace
            .library()
            .drafts(self.board)
            .unwrap()
            .into_iter()
            .map(|d| d.text)
            .collect()
    }

    fn board_texts(&mut self) -> Vec<(String, String)> {
        let view = self.workspace.open_board(self.board, 1).unwrap();
        view.items.into_iter().map(|i| (i.text, i.author)).collect()
    }

    fn private_on(&self) -> bool {
        Workshop::of(self.link.mirror())
            .private
            .is_some_and(|p| p.on)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_notes_stay_on_the_device_until_the_reveal() {
    let store = Arc::new(MemoryStore::new());
    let server = TestServer::start_with_store(store.clone(), |_| {}).await;
    let board = BoardId::new();
    let id = board.to_string();
    let mut fac = member(&server.url(&id, Role::Facilitator), board, "Fiona");
    let mut anna = member(&server.url(&id, Role::Editor), board, "Anna");
    let mut ben = member(&server.url(&id, Role::Editor), board, "Ben");
    for m in [&fac, &anna, &ben] {
        let mut w = m.link.watch_workshop().unwrap();
        tokio::time::timeout(Duration::from_secs(10), async {
            while w.borrow_and_update().you.is_none() {
                w.changed().await.unwrap();
            }
        })
        .await
        .unwrap();
    }
    fac.link
        .command(Command::Private {
            on: true,
            anonymous: true,
        })
        .await
        .unwrap();
    assert!(eventually(10, || anna.private_on()).await);

    let secret = "Geheime Idee: Portalverbund zuerst";
    let draft = Draft {
        id: ItemId::new(),
        x: 10.0,
        y: 20.0,
        w: 200.0,
        h: 150.0,
        color: "yellow".into(),
        text: secret.into(),
        created: 5,
    };
    anna.workspace.library().save_draft(board, &draft).unwrap();
    // Anna makes a public change meanwhile; it travels, the draft does not.
    anna.workspace
        .apply(
            board,
            Intent::Create {
                items: vec![ItemSpec::from(NewItem::note(0.0, 0.0, "öffentlich"))],
                adopt: false,
            },
            3,
        )
        .unwrap();
    assert!(
        eventually(10, || {
            ben.pump();
            ben.board_texts().iter().any(|(t, _)| t == "öffentlich")
        })
        .await
    );
    let sid = SyncBoardId::new(&id).unwrap();
    let stored = store.load(&sid).unwrap().concat();
    assert!(
        !contains(&stored, secret),
        "the host's store holds a private note"
    );
    assert!(!ben.board_texts().iter().any(|(t, _)| t == secret));
    fac.pump();
    assert!(!fac.board_texts().iter().any(|(t, _)| t == secret));
    assert_eq!(anna.texts(), [secret]);

    // The reveal: Anna's device publishes when it sees private writing end.
    fac.link
        .command(Command::Private {
            on: false,
            anonymous: true,
        })
        .await
        .unwrap();
    assert!(eventually(10, || !anna.private_on()).await);
    anna.pump();
    anna.workspace
        .publish_drafts(board, true, 9)
        .unwrap()
        .unwrap();
    assert!(anna.texts().is_empty());
    assert!(
        eventually(10, || {
            ben.pump();
            ben.board_texts()
                .iter()
                .any(|(t, a)| t == secret && a.is_empty())
        })
        .await,
        "the revealed note arrives without author"
    );
    let stored = store.load(&sid).unwrap().concat();
    assert!(contains(&stored, secret));
    // Publishing twice changes nothing.
    assert!(anna
        .workspace
        .publish_drafts(board, true, 10)
        .unwrap()
        .is_none());
    server.shutdown().await;
}
