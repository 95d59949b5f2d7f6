// Generated from the Rust types of the IPC contract (src-tauri/contract.rs) by
// `cargo test -p stellwand contract_is_current`. Do not edit: change the Rust
// types and run that test with STELLWAND_WRITE_CONTRACT=1.
/* eslint-disable */

/**
 * What the running application reports about itself over IPC.
 */
export type AppInfo = { 
/**
 * Product name shown to the user.
 */
name: string, 
/**
 * Version of the desktop package.
 */
version: string, 
/**
 * The library folder given on the command line, if any.
 */
dataDir: string | null, 
/**
 * Where exports go without a save dialog (end-to-end tests only).
 */
exportDir: string | null, };

/**
 * Identifies a board, in the library and across machines (it travels in
 * board files and is the document name peers sync on).
 */
export type BoardId = string;

/**
 * What the library knows about a board besides its content.
 */
export type BoardMeta = { 
/**
 * The board's id.
 */
id: BoardId, 
/**
 * The board's title.
 */
title: string, 
/**
 * The folder it is filed in, if any.
 */
folder: FolderId | null, 
/**
 * Creation time, milliseconds since the Unix epoch.
 */
createdAt: number, 
/**
 * Time of the last change to content or metadata.
 */
updatedAt: number, 
/**
 * Archived boards are hidden from the default lists but kept as they
 * are.
 */
archived: boolean, 
/**
 * When the board was moved to the trash; `None` if it is not there.
 */
deletedAt: number | null, 
/**
 * When the board was last opened in the app; `None` if never.
 */
openedAt: number | null, };

/**
 * A board on the start screen.
 */
export type BoardSummary = { 
/**
 * A small SVG of the board's shapes, if one was stored.
 */
preview: string | null, 
/**
 * The board's id.
 */
id: BoardId, 
/**
 * The board's title.
 */
title: string, 
/**
 * The folder it is filed in, if any.
 */
folder: FolderId | null, 
/**
 * Creation time, milliseconds since the Unix epoch.
 */
createdAt: number, 
/**
 * Time of the last change to content or metadata.
 */
updatedAt: number, 
/**
 * Archived boards are hidden from the default lists but kept as they
 * are.
 */
archived: boolean, 
/**
 * When the board was moved to the trash; `None` if it is not there.
 */
deletedAt: number | null, 
/**
 * When the board was last opened in the app; `None` if never.
 */
openedAt: number | null, };

/**
 * An opened board.
 */
export type BoardView = { meta: BoardMeta, items: Array<Item>, viewport: Viewport | null, canUndo: boolean, canRedo: boolean, 
/**
 * Stored changes that could not be read (they are kept, not lost).
 */
loadIssues: Array<string>, };

/**
 * What changed on a board since the last [`Board::take_changes`]: the view
 * delta a user interface applies, for local and remote changes alike.
 */
export type Changes = { 
/**
 * Items created or changed, as they are now.
 */
items: Array<Item>, 
/**
 * Items that are gone (or can no longer be read).
 */
removed: Array<ItemId>, 
/**
 * The new title, if it changed.
 */
title: string | null, };

/**
 * A person whose note was merged into this one.
 */
export type Coauthor = { 
/**
 * Their stable id, or their name for notes without one (imports).
 */
author_id: string, name: string, };

/**
 * What a client asks the host to do.
 */
export type Command = { "op": "startRound", 
/**
 * Shown in the results list.
 */
title: string, 
/**
 * A frame id: only its notes can get votes; `None`: the whole board.
 */
scope: string | null, 
/**
 * Votes per person, 1–99.
 */
perPerson: number, 
/**
 * Whether one person may put several votes on one note.
 */
multiple: boolean, 
/**
 * Whether results leave out who voted for what.
 */
anonymous: boolean, } | { "op": "vote", 
/**
 * The note.
 */
item: string, 
/**
 * +1 or -1.
 */
delta: number, } | { "op": "endRound", } | { "op": "timer", 
/**
 * What to do.
 */
action: TimerAction, 
/**
 * Seconds for `start` and `extend`.
 */
seconds?: number, } | { "op": "private", 
/**
 * On: new notes of participants stay on their devices.
 */
on: boolean, 
/**
 * At the reveal: publish notes without their author.
 */
anonymous: boolean, } | { "op": "lock", 
/**
 * Item ids.
 */
items: Array<string>, 
/**
 * Lock (true) or unlock.
 */
locked: boolean, } | { "op": "present", 
/**
 * The frame, `None` to stop presenting.
 */
frame: string | null, } | { "op": "summon", 
/**
 * Board x of the view's centre.
 */
x: number, 
/**
 * Board y of the view's centre.
 */
y: number, 
/**
 * Zoom factor.
 */
zoom: number, } | { "op": "view", 
/**
 * Board x of the view's centre.
 */
x: number, 
/**
 * Board y of the view's centre.
 */
y: number, 
/**
 * Zoom factor.
 */
zoom: number, } | { "op": "handOver", 
/**
 * Their awareness client id, as the participant list shows it.
 */
client: number, } | { "op": "takeBack", };

/**
 * One comment on a note.
 */
export type Comment = { id: CommentId, 
/**
 * Plain text, never markup.
 */
text: string, author: string, author_id: string, 
/**
 * Milliseconds since the Unix epoch.
 */
created: number, };

/**
 * The id of a comment: a UUID, the key in the note's `comments` map.
 */
export type CommentId = string;

/**
 * The columns a user chose for a CSV file (0-based; `None`: not used).
 */
export type CsvChoice = { text: number, color: number | null, tags: number | null, author: number | null, 
/**
 * The first row holds column names.
 */
header: boolean, };

/**
 * The columns of a CSV file, for a user to choose from: the first row's
 * cells, the next row's as an example, and the columns [`parse_csv`] finds
 * by their names.
 */
export type CsvColumns = { 
/**
 * The first row's cells (the column names when `header` is true).
 */
first: Array<string>, 
/**
 * The next row's cells, as an example of the content.
 */
example: Array<string>, 
/**
 * Number of columns: the wider of the two rows.
 */
count: number, 
/**
 * Whether the first row looks like column names: one of them is a
 * known name, or (with several columns) they are all filled, distinct
 * and not numbers.
 */
header: boolean, 
/**
 * The note text column (0-based) as [`parse_csv`] picks it by name.
 */
text: number, color: number | null, tags: number | null, author: number | null, };

/**
 * A pointer position on a board, as the window sends it with its presence.
 * Its own type (not the awareness [`Point`], which reads peers' states
 * leniently) so that a malformed one from the window is refused.
 */
export type Cursor = { x: number, y: number, };

/**
 * A note written privately.
 */
export type Draft = { 
/**
 * The id the note gets on the board.
 */
id: ItemId, 
/**
 * Board units, top left.
 */
x: number, 
/**
 * Board units, top left.
 */
y: number, 
/**
 * Width.
 */
w: number, 
/**
 * Height.
 */
h: number, 
/**
 * Palette name or `#rrggbb`.
 */
color: string, 
/**
 * The note's text.
 */
text: string, 
/**
 * Unix milliseconds.
 */
created: number, };

/**
 * Every code an error can carry to the window. Serialized exactly as the
 * strings the window has always received (store codes in snake_case, the
 * workshop host's refusal codes in kebab-case), so nothing changes on the
 * wire. The window switches on it and shows [`ErrorCode::sentence_de`] (or
 * its English table); it never shows or matches the message.
 */
export type ErrorCode = "not_found" | "invalid" | "empty_name" | "folder_exists" | "folder_not_empty" | "not_in_trash" | "library_corrupt" | "library_too_new" | "read_only" | "io" | "not_a_board_file" | "storage" | "write_failed" | "export_failed" | "empty_folder" | "not_text" | "invalid_import" | "column_not_found" | "no_note_text" | "file_too_large" | "unsupported_file" | "read_failed" | "network" | "not_shared" | "port_in_use" | "invalid_address" | "invalid_link" | "limit" | "one-per-note" | "not-allowed" | "no-hello" | "no-round" | "round-open" | "out-of-scope" | "no-such-item" | "wrong-kind" | "no-vote" | "no-timer" | "no-such-person" | "bad-request" | "offline" | "timeout" | "locked" | "not-yet" | "refused" | "internal";

/**
 * A finished export.
 */
export type Exported = { 
/**
 * The file's name without its folder, for the message to the user.
 */
file: string, 
/**
 * Size of the file in bytes.
 */
bytes: number, };

/**
 * A folder of boards, typically one per working group ("AG Technik").
 */
export type Folder = { 
/**
 * The folder's id.
 */
id: FolderId, 
/**
 * Its name, unique in the library (ignoring ASCII case).
 */
name: string, 
/**
 * When it was created, in milliseconds since the Unix epoch.
 */
createdAt: number, };

/**
 * Identifies a folder (one per working group) in one library.
 */
export type FolderId = string;

/**
 * A board offered on the local network.
 */
export type FoundBoard = { board: string, title: string, host: string, link: string, };

/**
 * Where the host listens and how others reach it (the share dialog shows
 * and changes these).
 */
export type HostSettings = { 
/**
 * The address others use to reach this laptop (its address in the
 * local network).
 */
address: string, 
/**
 * The port the server listens on.
 */
port: number, 
/**
 * The interface it listens on: `0.0.0.0` for every network.
 */
bind: string, };

/**
 * What an import creates.
 */
export type ImportCounts = { notes: number, frames: number, connectors: number, };

/**
 * What a file to import is.
 */
export type ImportKind = "csv" | "text" | "canvas";

/**
 * A checked file, before the user chose columns.
 */
export type ImportSource = { 
/**
 * The file's name, for messages.
 */
file: string, 
/**
 * The name without its extension: the new frame's or board's title.
 */
title: string, kind: ImportKind, 
/**
 * For CSV: the columns to choose from, with the detected choice.
 */
csv: CsvColumns | null, 
/**
 * What the import will create; for CSV only once columns are chosen.
 */
counts: ImportCounts | null, };

/**
 * What an import into an open board did.
 */
export type Imported = { file: string, 
/**
 * The new frame that holds the import.
 */
frame: ItemId | null, notes: number, frames: number, connectors: number, 
/**
 * The changes for the window (one undo step).
 */
outcome: Outcome, };

/**
 * One thing a user does to a board.
 */
export type Intent = { "op": "create", items: Array<ItemSpec>, adopt: boolean, } | { "op": "setText", id: ItemId, text: string, } | { "op": "editText", id: ItemId, index: number, delete: number, insert: string, } | { "op": "move", ids: Array<ItemId>, dx: number, dy: number, adopt: boolean, } | { "op": "resize", id: ItemId, x: number, y: number, w: number, h: number, } | { "op": "recolor", ids: Array<ItemId>, color: string, } | { "op": "addTag", id: ItemId, tag: string, } | { "op": "removeTag", id: ItemId, tag: string, } | { "op": "setParent", id: ItemId, parent: ItemId | null, } | { "op": "delete", ids: Array<ItemId>, } | { "op": "duplicate", ids: Array<ItemId>, dx: number, dy: number, } | { "op": "bringToFront", ids: Array<ItemId>, } | { "op": "sendToBack", ids: Array<ItemId>, } | { "op": "setTitle", title: string, } | { "op": "merge", target: ItemId, ids: Array<ItemId>, } | { "op": "groupIntoFrame", ids: Array<ItemId>, title: string, } | { "op": "stack", ids: Array<ItemId>, } | { "op": "addComment", id: ItemId, text: string, } | { "op": "deleteComment", id: ItemId, comment: CommentId, } | { "op": "toggleReaction", id: ItemId, emoji: string, };

/**
 * An error as the front end receives it.
 */
export type IpcError = { 
/**
 * What went wrong, for the front end to show its sentence.
 */
code: ErrorCode, 
/**
 * Details (English), for the log and for support.
 */
message: string, };

/**
 * One item of a board as plain data: what the UI draws and the exports write.
 *
 * Geometry is in board units (1 unit = 1 CSS pixel at 100 % zoom), `x`/`y` the top
 * left corner. Times are milliseconds since the Unix epoch.
 */
export type Item = { id: ItemId, kind: ItemKind, x: number, y: number, w: number, h: number, 
/**
 * Stacking order: higher is drawn on top.
 */
z: number, color: string, 
/**
 * The text of a note or label, the title of a frame, the label of a connector.
 */
text: string, tags: Array<string>, 
/**
 * The frame this note or label belongs to.
 */
parent: ItemId | null, 
/**
 * Start and end of a connector.
 */
from: ItemId | null, to: ItemId | null, author: string, author_id: string, created: number, updated: number, 
/**
 * Comments on a note, oldest first.
 */
comments?: Array<Comment>, 
/**
 * Reactions on a note, one per emoji and person, sorted.
 */
reactions?: Array<Reaction>, 
/**
 * The authors of notes merged into this one, sorted.
 */
coauthors?: Array<Coauthor>, 
/**
 * Every note merged into this one, also those merged into them before.
 */
merged?: Array<ItemId>, };

/**
 * The id of an item (note, frame, label, connector) on a board: a UUID in its
 * hyphenated lower-case form, which is also the key in the document's `items` map.
 */
export type ItemId = string;

/**
 * The kinds of items on a board.
 */
export type ItemKind = "note" | "frame" | "label" | "connector";

/**
 * A new item as a user interface describes it.
 */
export type ItemSpec = { kind: ItemKind, x: number, y: number, w?: number, h?: number, color?: string, text: string, tags?: Array<string>, parent?: ItemId, from?: ItemId, to?: ItemId, 
/**
 * A given id (e.g. pasted items keep none; imports may bring one).
 */
id?: ItemId, 
/**
 * The author's name when it is not the local user (an imported
 * spreadsheet's author column); `None`: the local user.
 */
author?: string, };

/**
 * Where a live connection stands.
 */
export type LinkState = "connecting" | "syncing" | "connected" | "offline" | "refused" | "closed";

/**
 * A person's own state in the open round, sent only to them.
 */
export type MyVotes = { 
/**
 * The round.
 */
round: string, 
/**
 * Votes still to give.
 */
left: number, 
/**
 * Own votes per note.
 */
mine: { [key in string]: number }, };

/**
 * What a change did, for the user interface to apply.
 */
export type Outcome = { 
/**
 * Ids of items the change created.
 */
created: Array<ItemId>, changes: Changes, canUndo: boolean, canRedo: boolean, };

/**
 * Everything the start screen shows.
 */
export type Overview = { folders: Array<Folder>, 
/**
 * Boards that are not in the trash, archived ones included.
 */
boards: Array<BoardSummary>, trash: Array<BoardSummary>, 
/**
 * Ids of the recently opened boards, newest first.
 */
recent: Array<BoardId>, };

/**
 * Another person on the board, as the board shows them.
 */
export type Participant = { 
/**
 * The awareness client id, as text.
 */
id: string, name: string, color: string, cursor: Point | null, selection: Array<string>, };

/**
 * A person present on the board, for handing the role on.
 */
export type Person = { client: number, name: string, color: string, };

/**
 * A board position.
 */
export type Point = { x: number, y: number, };

/**
 * The frame shown to everyone as the current slide.
 */
export type Presentation = { 
/**
 * The frame; `None` (JSON `null`): presenting stopped.
 */
frame: string | null, 
/**
 * Counts the host's slide and summon changes, so a client reacts to
 * each once even when the same frame is shown again.
 */
seq: number, };

/**
 * Private writing: while `on`, participants' new notes stay on their
 * devices; `on: false` after it was on is the reveal.
 */
export type PrivateWriting = { 
/**
 * Notes stay private.
 */
on: boolean, 
/**
 * At the reveal, notes are published without their author.
 */
anonymous: boolean, 
/**
 * Unix milliseconds of the host's clock.
 */
changed: number, };

/**
 * A QR code as rows of modules (`1` dark, `0` light).
 */
export type Qr = { size: number, modules: string, };

/**
 * One person's reaction with one emoji.
 */
export type Reaction = { 
/**
 * One of [`REACTIONS`].
 */
emoji: string, author_id: string, 
/**
 * The person's name when they reacted.
 */
author: string, };

/**
 * Payload of the `sync-remote` event: what changed on a board through
 * something other than the window's own intents.
 */
export type RemoteChange = { board: BoardId, outcome: Outcome, };

/**
 * Identifies a named revision of a board.
 */
export type RevisionId = string;

/**
 * A named revision, without its state.
 */
export type RevisionMeta = { 
/**
 * The revision's id.
 */
id: RevisionId, 
/**
 * The board it belongs to.
 */
board: BoardId, 
/**
 * Its name.
 */
name: string, 
/**
 * When it was taken, milliseconds since the Unix epoch.
 */
createdAt: number, 
/**
 * Size of the stored state in bytes.
 */
size: number, };

/**
 * What the holder of a token may do on a board.
 */
export type Role = "facilitator" | "editor" | "viewer";

/**
 * A dot-voting round.
 */
export type Round = { id: string, 
/**
 * Shown in the results list.
 */
title: string, 
/**
 * A frame: only its notes can get votes; `None` (JSON `null`): the
 * whole board.
 */
scope: string | null, 
/**
 * Votes per person.
 */
perPerson: number, 
/**
 * One person may put several votes on one note.
 */
multiple: boolean, 
/**
 * Results leave out who voted for what.
 */
anonymous: boolean, 
/**
 * Unix milliseconds.
 */
started: number, } & ({ "state": "open" } | { "state": "closed" } & RoundOutcome);

/**
 * What a closed round counted.
 */
export type RoundOutcome = { 
/**
 * Unix milliseconds.
 */
ended: number | null, 
/**
 * How many people voted.
 */
people: number, 
/**
 * Votes per note id.
 */
results: { [key in string]: number }, 
/**
 * Names per note id, one per vote; `None` for an anonymous round.
 */
voters: { [key in string]: Array<string> } | null, };

/**
 * What a share dialog shows.
 */
export type ShareInfo = { settings: HostSettings, 
/**
 * Whether the board is offered on the local network.
 */
offered: boolean, editorLink: string, viewerLink: string, editorQr: Qr, viewerQr: Qr, status: SyncStatus, 
/**
 * The remembered port that another program held when sharing started;
 * the server then took the free port in `settings` instead.
 */
portMovedFrom: number | null, };

/**
 * "Bring everyone here": the centre of the view in board units.
 */
export type Summon = { 
/**
 * Board x of the view's centre.
 */
x: number, 
/**
 * Board y of the view's centre.
 */
y: number, 
/**
 * Zoom factor.
 */
zoom: number, 
/**
 * Shares its counter with [`Presentation::seq`].
 */
seq: number, };

/**
 * The status line of a live board.
 */
export type SyncStatus = { board: BoardId, 
/**
 * Increases with every status report: events and command replies can
 * arrive in any order, and a window keeps the newest.
 */
seq: number, state: LinkState, 
/**
 * Why the server refused, for [`LinkState::Refused`].
 */
reason: string | null, 
/**
 * This computer hosts the board.
 */
hosting: boolean, 
/**
 * Hosted for this computer only (127.0.0.1): nobody else can join.
 */
localOnly: boolean, readOnly: boolean, 
/**
 * The other people on the board.
 */
participants: Array<Participant>, };

/**
 * A template as a list shows it.
 */
export type TemplateInfo = { id: string, name: string, description: string, 
/**
 * Shipped with Stellwand (cannot be deleted).
 */
builtin: boolean, items: number, };

/**
 * The countdown. Times are unix milliseconds of the host's clock, spans
 * are milliseconds.
 */
export type Timer = { 
/**
 * Running or paused.
 */
state: TimerState, 
/**
 * When a running countdown reaches zero (0 while paused).
 */
endsAt: number, 
/**
 * Left when it was last started, changed or paused.
 */
remaining: number, 
/**
 * The whole length, extensions included.
 */
duration: number, 
/**
 * When the facilitator last changed it.
 */
changed: number, };

/**
 * Timer actions.
 */
export type TimerAction = "start" | "pause" | "resume" | "extend" | "stop";

/**
 * Whether a countdown runs or waits.
 */
export type TimerState = "running" | "paused";

/**
 * The local user.
 */
export type User = { id: string, name: string, };

/**
 * The visible part of a board, as the user left it.
 */
export type Viewport = { 
/**
 * Board coordinates of the window's top left corner.
 */
x: number, y: number, 
/**
 * 1.0 = 100 %.
 */
zoom: number, };

/**
 * Payload of the `workshop-changed` event.
 */
export type WorkshopChanged = { board: BoardId, };

/**
 * What the workshop panel shows.
 */
export type WorkshopState = { 
/**
 * `facilitator`, `participant` or `viewer`.
 */
role: "facilitator" | "participant" | "viewer", 
/**
 * Connected to a host.
 */
live: boolean, 
/**
 * The host's clock minus this computer's, in milliseconds.
 */
clockOffsetMs: number, 
/**
 * Own votes in the open round.
 */
votes: MyVotes | null, participants: Array<Person>, 
/**
 * Holds a facilitator link but handed the role on: may take it back.
 */
canTakeBack: boolean, 
/**
 * The countdown, if one is running or paused.
 */
timer: Timer | null, 
/**
 * Private writing, once it was switched on or off.
 */
private: PrivateWriting | null, 
/**
 * The slide shown to everyone, once presenting was used.
 */
present: Presentation | null, 
/**
 * The last "bring everyone here".
 */
summon: Summon | null, 
/**
 * Locked item ids.
 */
locks: Array<string>, 
/**
 * Voting rounds, oldest first.
 */
rounds: Array<Round>, 
/**
 * Display name of the facilitator after a hand-over.
 */
facilitator: string | null, };

/**
 * Payload of the `workshop-view` event: the facilitator's view (centre in
 * board units), for those who follow.
 */
export type WorkshopView = { board: BoardId, x: number, y: number, zoom: number, };

/** The German sentence for every error code (ErrorCode::sentence_de). */
export const ERROR_SENTENCES_DE: Record<ErrorCode, string> = {
  "not_found": "Das gesuchte Element gibt es nicht mehr. Bitte laden Sie die Übersicht neu.",
  "invalid": "Diese Aktion ist hier nicht möglich.",
  "empty_name": "Bitte geben Sie einen Namen ein.",
  "folder_exists": "Eine AG mit diesem Namen gibt es schon.",
  "folder_not_empty": "Die AG enthält noch Wände. Verschieben oder löschen Sie diese zuerst.",
  "not_in_trash": "Die Wand liegt nicht im Papierkorb.",
  "library_corrupt": "Die Bibliothek ist beschädigt. Stellwand hat nichts verändert. Bitte wenden Sie sich an Ihre IT-Betreuung.",
  "library_too_new": "Die Bibliothek wurde mit einer neueren Stellwand-Version angelegt. Bitte installieren Sie die neueste Version.",
  "read_only": "Die Bibliothek ist schreibgeschützt. Änderungen können nicht gespeichert werden.",
  "io": "Die Datei konnte nicht gelesen oder geschrieben werden. Bitte prüfen Sie Speicherort und Rechte.",
  "not_a_board_file": "Diese Datei ist keine Stellwand-Datei.",
  "storage": "Die Änderung konnte nicht gespeichert werden. Bitte versuchen Sie es noch einmal.",
  "write_failed": "Die Datei konnte nicht geschrieben werden. Bitte wählen Sie einen Ordner, in dem Sie speichern dürfen, und prüfen Sie den freien Speicherplatz.",
  "export_failed": "Das Dokument konnte nicht erstellt werden. Bitte versuchen Sie ein anderes Format.",
  "empty_folder": "Diese AG enthält keine Wände, die exportiert werden können.",
  "not_text": "Die Datei ist keine Textdatei in UTF-8 (z. B. ein Bild, ein Excel-Dokument oder eine andere Zeichenkodierung). Aus Excel bitte als „CSV UTF-8“ speichern. Es wurde nichts geändert.",
  "invalid_import": "Der Inhalt passt nicht zum Dateityp (z. B. ein beschädigtes JSON Canvas oder eine fehlerhafte CSV-Zeile). Es wurde nichts geändert.",
  "column_not_found": "Die gewählte Spalte gibt es in der Datei nicht. Es wurde nichts geändert.",
  "no_note_text": "Die Datei (oder die gewählte Spalte) enthält keinen Text für Notizen. Es wurde nichts geändert.",
  "file_too_large": "Die Datei ist größer als 20 MB und wird nicht importiert.",
  "unsupported_file": "Importiert werden können CSV-Tabellen (.csv), Textdateien (.txt) und JSON Canvas (.canvas).",
  "read_failed": "Die Datei konnte nicht gelesen werden. Bitte prüfen Sie, ob es sie noch gibt und ob Sie sie öffnen dürfen.",
  "network": "Das lokale Netz ist gerade nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung.",
  "not_shared": "Die Wand wird noch nicht geteilt.",
  "port_in_use": "Der Port ist belegt oder nicht erlaubt. Bitte wählen Sie einen anderen Port (z. B. 8738) und übernehmen Sie ihn.",
  "invalid_address": "Diese Adresse oder dieser Port ist ungültig. Bitte prüfen Sie die Eingabe.",
  "invalid_link": "Das ist kein gültiger Stellwand-Link. Er beginnt mit „ws://“ und enthält „/b/“ und „token=“.",
  "limit": "Alle Ihre Stimmen sind vergeben. Mit „−“ auf einer Notiz nehmen Sie eine Stimme zurück und können sie neu vergeben.",
  "one-per-note": "In dieser Runde gibt es nur eine Stimme pro Notiz.",
  "not-allowed": "Das darf in diesem Workshop nur die Moderation.",
  "no-hello": "Die Verbindung zur Moderation ist noch nicht bereit. Bitte versuchen Sie es gleich noch einmal.",
  "no-round": "Gerade läuft keine Abstimmung.",
  "round-open": "Es läuft schon eine Abstimmung. Bitte beenden Sie sie zuerst.",
  "out-of-scope": "Abgestimmt wird nur über die Notizen im gewählten Rahmen.",
  "no-such-item": "Diese Notiz gibt es nicht mehr.",
  "wrong-kind": "Abgestimmt wird nur über Notizen.",
  "no-vote": "Auf dieser Notiz haben Sie keine Stimme, die Sie zurücknehmen können.",
  "no-timer": "Es ist kein Timer gestellt.",
  "no-such-person": "Diese Person ist nicht mehr verbunden.",
  "bad-request": "Die Eingabe ist ungültig (1 bis 99 Stimmen pro Person, höchstens 600 Minuten).",
  "offline": "Die Moderation ist gerade nicht erreichbar. Bitte prüfen Sie die Verbindung und versuchen Sie es noch einmal.",
  "timeout": "Die Moderation hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es noch einmal.",
  "locked": "Dieses Element ist gesperrt. Nur die Moderation kann es ändern.",
  "not-yet": "Das geht mit privaten Notizen erst nach dem Aufdecken.",
  "refused": "Die Moderation hat die Aktion abgelehnt.",
  "internal": "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es noch einmal.",
};
