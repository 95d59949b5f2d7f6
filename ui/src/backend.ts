// The one door from the front end to the backend. Every command name that
// crosses the IPC boundary lives in this module; the rest of the UI calls the
// typed functions of a `Backend` and does not know whether it runs inside the
// desktop window (Tauri IPC) or, later, in a browser joined over WebSocket.

import { invoke, isTauri } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";

/** What the running application reports about itself. */
export interface AppInfo {
  name: string;
  version: string;
  /** The library folder given with `--data-dir`, or null for the default. */
  dataDir: string | null;
  /**
   * Where exports go without the save dialog; set only by end-to-end tests
   * (STELLWAND_E2E_SAVE_DIR), because WebDriver cannot operate the native dialog.
   */
  exportDir: string | null;
}

/** What a board can be exported to (names as the CLI's `--format`). */
export type ExportFormat = "docx" | "pdf" | "md" | "csv" | "xlsx" | "png" | "svg" | "canvas" | "json";

/** The file extension of each export format, without the dot. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  docx: "docx",
  pdf: "pdf",
  md: "md",
  csv: "csv",
  xlsx: "xlsx",
  png: "png",
  svg: "svg",
  canvas: "canvas",
  json: "json",
};

/** A finished export. */
export interface Exported {
  /** The file's name without its folder. */
  file: string;
  bytes: number;
}

/** What a file to import is (by its extension). */
export type ImportKind = "csv" | "text" | "canvas";

/** The first rows of a CSV file and the columns found by their names (0-based). */
export interface CsvColumns {
  /** The first row's cells: the column names when `header` is true. */
  first: string[];
  /** The next row's cells, as an example. */
  example: string[];
  count: number;
  header: boolean;
  text: number;
  color: number | null;
  tags: number | null;
  author: number | null;
}

/** The columns a user chose (0-based; null: not used). */
export interface CsvChoice {
  text: number;
  color: number | null;
  tags: number | null;
  author: number | null;
  header: boolean;
}

export interface ImportCounts {
  notes: number;
  frames: number;
  connectors: number;
}

/** A checked file to import. */
export interface ImportSource {
  /** The file's name, for messages. */
  file: string;
  /** The name without extension: the title of the new frame or board. */
  title: string;
  kind: ImportKind;
  csv: CsvColumns | null;
  /** What the import creates (for CSV once the columns are chosen). */
  counts: ImportCounts | null;
}

/** An import into an open board: one undo step. */
export interface Imported extends ImportCounts {
  file: string;
  /** The new frame that holds the import. */
  frame: string | null;
  outcome: Outcome;
}

/**
 * Errors cross the boundary as a stable code plus a message for the log.
 * The UI switches on `code`, never on the message text.
 */
export interface BackendError {
  code: string;
  message: string;
}

export interface Folder {
  id: string;
  name: string;
  created_at: number;
}

export interface BoardMeta {
  id: string;
  title: string;
  folder: string | null;
  created_at: number;
  updated_at: number;
  archived: boolean;
  deleted_at: number | null;
  opened_at: number | null;
}

export interface BoardSummary extends BoardMeta {
  /** A small SVG of the board's shapes (rects and lines only), if stored. */
  preview: string | null;
}

export interface Overview {
  folders: Folder[];
  boards: BoardSummary[];
  trash: BoardSummary[];
  recent: string[];
}

export interface User {
  id: string;
  name: string;
}

export type ItemKind = "note" | "frame" | "label" | "connector";

export interface Item {
  id: string;
  kind: ItemKind;
  x: number;
  y: number;
  w: number;
  h: number;
  z: number;
  color: string;
  text: string;
  tags: string[];
  parent: string | null;
  from: string | null;
  to: string | null;
  author: string;
  author_id: string;
  created: number;
  updated: number;
  /** Comments on a note, oldest first (absent when there are none). */
  comments?: Comment[];
  /** One per emoji and person (absent when there are none). */
  reactions?: Reaction[];
  /** Authors of notes merged into this one. */
  coauthors?: Coauthor[];
  /** Ids of every note merged into this one. */
  merged?: string[];
}

/** An item not (yet) on the board, for drawing: what is not given is empty. */
export function looseItem(fields: Pick<Item, "kind" | "x" | "y" | "w" | "h" | "text"> & Partial<Item>): Item {
  return {
    id: "",
    z: 0,
    color: "yellow",
    tags: [],
    parent: null,
    from: null,
    to: null,
    author: "",
    author_id: "",
    created: 0,
    updated: 0,
    ...fields,
  };
}

/** A comment on a note: plain text, never markup. */
export interface Comment {
  id: string;
  text: string;
  author: string;
  author_id: string;
  created: number;
}

export interface Reaction {
  emoji: string;
  author_id: string;
  author: string;
}

export interface Coauthor {
  author_id: string;
  name: string;
}

/** The emoji a note can be reacted to with (crates/board/src/comment.rs). */
export const REACTIONS = ["👍", "❤️", "💡", "❓", "🎉"] as const;

/** Longest comment, in characters. */
export const MAX_COMMENT_CHARS = 1000;

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface BoardView {
  meta: BoardMeta;
  items: Item[];
  viewport: Viewport | null;
  can_undo: boolean;
  can_redo: boolean;
  load_issues: string[];
}

export interface Changes {
  items: Item[];
  removed: string[];
  title: string | null;
}

export interface Outcome {
  created: string[];
  changes: Changes;
  can_undo: boolean;
  can_redo: boolean;
}

export interface RevisionMeta {
  id: string;
  board: string;
  name: string;
  created_at: number;
  size: number;
}

export interface ItemSpec {
  kind: ItemKind;
  x: number;
  y: number;
  w?: number;
  h?: number;
  color?: string;
  text: string;
  tags?: string[];
  parent?: string;
  from?: string;
  to?: string;
}

/** One user action on a board (crates/board/src/intent.rs). */
export type Intent =
  | { op: "create"; items: ItemSpec[]; adopt: boolean }
  | { op: "setText"; id: string; text: string }
  | { op: "editText"; id: string; index: number; delete: number; insert: string }
  | { op: "move"; ids: string[]; dx: number; dy: number; adopt: boolean }
  | { op: "resize"; id: string; x: number; y: number; w: number; h: number }
  | { op: "recolor"; ids: string[]; color: string }
  | { op: "addTag"; id: string; tag: string }
  | { op: "removeTag"; id: string; tag: string }
  | { op: "setParent"; id: string; parent: string | null }
  | { op: "delete"; ids: string[] }
  | { op: "duplicate"; ids: string[]; dx: number; dy: number }
  | { op: "bringToFront"; ids: string[] }
  | { op: "sendToBack"; ids: string[] }
  | { op: "setTitle"; title: string }
  | { op: "merge"; target: string; ids: string[] }
  | { op: "groupIntoFrame"; ids: string[]; title: string }
  | { op: "stack"; ids: string[] }
  | { op: "addComment"; id: string; text: string }
  | { op: "deleteComment"; id: string; comment: string }
  | { op: "toggleReaction"; id: string; emoji: string };

/** Where a hosting laptop can be reached (shown and editable in the share dialog). */
export interface HostSettings {
  address: string;
  port: number;
  /** "0.0.0.0": every network; "127.0.0.1": this computer only. */
  bind: string;
}

/** A QR code: `size` x `size` modules, row by row, "1" dark. */
export interface Qr {
  size: number;
  modules: string;
}

export interface Participant {
  id: string;
  name: string;
  color: string;
  cursor: { x: number; y: number } | null;
  selection: string[];
}

export type SyncState = "connecting" | "syncing" | "connected" | "offline" | "refused" | "closed";

export interface SyncStatus {
  board: string;
  /** Grows with every report; a lower one is older news. */
  seq: number;
  state: SyncState;
  reason: string | null;
  hosting: boolean;
  /** Hosted for this computer only (127.0.0.1): nobody else can join. */
  localOnly: boolean;
  readOnly: boolean;
  participants: Participant[];
}

export interface ShareInfo {
  settings: HostSettings;
  /** Offered on the local network (anyone there can join). */
  offered: boolean;
  editorLink: string;
  viewerLink: string;
  editorQr: Qr;
  viewerQr: Qr;
  status: SyncStatus;
  /** The remembered port another program held; the server took `settings.port` instead. */
  portMovedFrom: number | null;
}

/** A template a new board can start from. */
export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  /** Shipped with Stellwand. */
  builtin: boolean;
  items: number;
}

/** A board offered on the local network. */
export interface FoundBoard {
  board: string;
  title: string;
  host: string;
  link: string;
}

/** A change that arrived from another participant. */
export interface RemoteChange {
  board: string;
  outcome: Outcome;
}

/** Who one is in a workshop (docs/workshop.md). */
export type WorkshopRole = "facilitator" | "participant" | "viewer";

/** A dot-voting round as the host published it. */
export interface Round {
  id: string;
  title: string;
  /** A frame: only its notes can get votes; null: the whole board. */
  scope: string | null;
  perPerson: number;
  multiple: boolean;
  anonymous: boolean;
  state: "open" | "closed";
  started: number;
  ended?: number;
  /** How many people voted (closed rounds). */
  people?: number;
  /** Votes per note id (closed rounds). */
  results?: Record<string, number>;
  /** Names per note id, one per vote (closed rounds that are not anonymous). */
  voters?: Record<string, string[]>;
}

export interface WorkshopTimer {
  state: "running" | "paused";
  /** Host clock, milliseconds (running). */
  endsAt: number;
  /** Milliseconds (paused). */
  remaining: number;
  duration: number;
}

/** The workshop of a board as this window should show it. */
export interface WorkshopState {
  /** "facilitator" for a board that is not shared. */
  role: WorkshopRole;
  /** Connected to a host. */
  live: boolean;
  /** Host clock minus local clock: host now = Date.now() + clockOffsetMs. */
  clockOffsetMs: number;
  timer: WorkshopTimer | null;
  private: { on: boolean; anonymous: boolean } | null;
  present: { frame: string | null; seq: number } | null;
  /** Centre of the view in board units. */
  summon: { x: number; y: number; zoom: number; seq: number } | null;
  locks: string[];
  /** Oldest first. */
  rounds: Round[];
  /** Own votes in the open round. */
  votes: { round: string; left: number; mine: Record<string, number> } | null;
  /** Name of the facilitator after a hand-over. */
  facilitator: string | null;
  /** People present, for handing the role on. */
  participants: { client: number; name: string; color: string }[];
  /** Holds a facilitator link but handed the role on: may take it back. */
  canTakeBack: boolean;
}

/** What a facilitator or participant asks the host to do. */
export type WorkshopCommand =
  | { op: "startRound"; title: string; scope: string | null; perPerson: number; multiple: boolean; anonymous: boolean }
  | { op: "vote"; item: string; delta: 1 | -1 }
  | { op: "endRound" }
  | { op: "timer"; action: "start" | "pause" | "resume" | "extend" | "stop"; seconds?: number }
  | { op: "private"; on: boolean; anonymous: boolean }
  | { op: "lock"; items: string[]; locked: boolean }
  | { op: "present"; frame: string | null }
  | { op: "summon"; x: number; y: number; zoom: number }
  | { op: "view"; x: number; y: number; zoom: number }
  | { op: "handOver"; client: number }
  | { op: "takeBack" };

/** A note written during private writing, kept on this device until the reveal. */
export interface Draft {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  text: string;
  created: number;
}

/** The facilitator's view (centre in board units), for those who follow. */
export interface WorkshopView {
  board: string;
  x: number;
  y: number;
  zoom: number;
}

export interface Backend {
  /** Which transport this backend uses, for diagnostics only. */
  readonly transport: "tauri";
  appInfo(): Promise<AppInfo>;

  overview(): Promise<Overview>;
  searchBoards(query: string): Promise<string[]>;
  /** A new board, empty or laid out like a template. */
  createBoard(title: string, folder: string | null, template?: string | null): Promise<BoardMeta>;
  templates(): Promise<TemplateInfo[]>;
  /** Keeps the board's layout and texts as a template of this library. */
  saveAsTemplate(board: string, name: string): Promise<TemplateInfo>;
  renameBoard(board: string, title: string): Promise<BoardMeta>;
  duplicateBoard(board: string, title: string): Promise<BoardMeta>;
  moveBoard(board: string, folder: string | null): Promise<BoardMeta>;
  archiveBoard(board: string, archived: boolean): Promise<BoardMeta>;
  trashBoard(board: string): Promise<BoardMeta>;
  restoreBoard(board: string): Promise<BoardMeta>;
  purgeBoard(board: string): Promise<void>;
  createFolder(name: string): Promise<Folder>;
  renameFolder(folder: string, name: string): Promise<Folder>;
  deleteFolder(folder: string): Promise<void>;
  /** Asks where to save (native dialog) and saves; false when cancelled. */
  saveBoardFile(board: string, suggestedName: string, dialogTitle: string): Promise<boolean>;
  /**
   * Asks where to save an export (native dialog, filtered to the format's
   * extension, `suggestedName` plus extension as the default); null when cancelled.
   */
  chooseExportPath(suggestedName: string, format: ExportFormat, dialogTitle: string, filterName: string): Promise<string | null>;
  /** Writes a board to `path` (complete or not at all). */
  exportBoard(board: string, format: ExportFormat, path: string): Promise<Exported>;
  /** Writes every board of an AG folder into one document at `path` (docx, pdf, md). */
  exportFolder(folder: string, format: ExportFormat, path: string): Promise<Exported>;
  /** Asks for a file (native dialog) and adds it; null when cancelled. */
  openBoardFile(dialogTitle: string, filterName: string): Promise<BoardMeta | null>;
  /** Asks for a .csv, .txt or .canvas file to import; null when cancelled. */
  chooseImportFile(dialogTitle: string, filterName: string): Promise<string | null>;
  /** Reads and checks a file to import; with `csv`, also what it creates. */
  inspectImport(path: string, csv: CsvChoice | null): Promise<ImportSource>;
  /** Imports a file into a new frame on the board, below everything on it. */
  importIntoBoard(board: string, path: string, csv: CsvChoice | null): Promise<Imported>;
  /** Adds a file as a new board (titled after the file) in `folder`. */
  importAsBoard(path: string, folder: string | null, csv: CsvChoice | null): Promise<BoardMeta>;
  user(): Promise<User>;
  setUserName(name: string): Promise<User>;
  language(): Promise<string | null>;
  setLanguage(language: string): Promise<void>;

  openBoard(board: string): Promise<BoardView>;
  closeBoard(board: string): Promise<void>;
  applyIntent(board: string, intent: Intent): Promise<Outcome>;
  undo(board: string): Promise<Outcome>;
  redo(board: string): Promise<Outcome>;
  setViewport(board: string, viewport: Viewport): Promise<void>;
  listRevisions(board: string): Promise<RevisionMeta[]>;
  createRevision(board: string, name: string): Promise<RevisionMeta>;
  revisionItems(revision: string): Promise<Item[]>;
  restoreRevision(board: string, revision: string): Promise<Outcome>;
  /** Groups of near-duplicate notes, oldest note first in each. */
  nearDuplicates(board: string): Promise<string[][]>;

  /** Hosts the board from this computer; `settings` changes address/port. */
  shareBoard(board: string, settings: HostSettings | null): Promise<ShareInfo>;
  /** Revokes every link of `role` and makes a new one. */
  renewShareLinks(board: string, role: "editor" | "viewer"): Promise<ShareInfo>;
  stopSharing(board: string): Promise<void>;
  /** Adds the board behind a join link to the library and connects it. */
  joinBoard(link: string): Promise<BoardMeta>;
  /** The live status, connecting a joined board; null if not shared. */
  syncStatus(board: string): Promise<SyncStatus | null>;
  setPresence(board: string, cursor: { x: number; y: number } | null, selection: string[]): Promise<void>;
  /** Offers a hosted board on the local network, or withdraws the offer. */
  offerOnNetwork(board: string, offer: boolean): Promise<ShareInfo>;
  /** Boards offered on the local network (takes about three seconds). */
  discoverBoards(): Promise<FoundBoard[]>;
  /** Calls `handler` for each change from others; returns the unsubscribe. */
  onRemoteChange(handler: (change: RemoteChange) => void): Promise<() => void>;
  onSyncStatus(handler: (status: SyncStatus) => void): Promise<() => void>;

  /** The workshop state of a board (hosting it here is left to the first command). */
  workshopState(board: string): Promise<WorkshopState>;
  /** Sends a workshop command to the board's host; rejects with its refusal code. */
  workshopCommand(board: string, cmd: WorkshopCommand): Promise<void>;
  listDrafts(board: string): Promise<Draft[]>;
  saveDraft(board: string, draft: Draft): Promise<void>;
  deleteDraft(board: string, id: string): Promise<void>;
  /** Calls `handler` with the board whenever its workshop state may have changed. */
  onWorkshopChanged(handler: (board: string) => void): Promise<() => void>;
  onWorkshopView(handler: (view: WorkshopView) => void): Promise<() => void>;
}

export function isBackendError(value: unknown): value is BackendError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

function toBackendError(cause: unknown): BackendError {
  if (isBackendError(cause)) {
    return cause;
  }
  return { code: "internal", message: String(cause) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (cause) {
    throw toBackendError(cause);
  }
}

const FILE_EXTENSION = "stellwand";

class TauriBackend implements Backend {
  readonly transport = "tauri" as const;
  private info: Promise<AppInfo> | null = null;

  appInfo(): Promise<AppInfo> {
    this.info ??= call<AppInfo>("app_info");
    return this.info;
  }
  overview(): Promise<Overview> {
    return call("library_overview");
  }
  searchBoards(query: string): Promise<string[]> {
    return call("search_boards", { query });
  }
  templates(): Promise<TemplateInfo[]> {
    return call("list_templates");
  }
  saveAsTemplate(board: string, name: string): Promise<TemplateInfo> {
    return call("save_as_template", { board, name });
  }
  createBoard(title: string, folder: string | null, template: string | null = null): Promise<BoardMeta> {
    return call("create_board", { title, folder, template });
  }
  renameBoard(board: string, title: string): Promise<BoardMeta> {
    return call("rename_board", { board, title });
  }
  duplicateBoard(board: string, title: string): Promise<BoardMeta> {
    return call("duplicate_board", { board, title });
  }
  moveBoard(board: string, folder: string | null): Promise<BoardMeta> {
    return call("move_board", { board, folder });
  }
  archiveBoard(board: string, archived: boolean): Promise<BoardMeta> {
    return call("archive_board", { board, archived });
  }
  trashBoard(board: string): Promise<BoardMeta> {
    return call("trash_board", { board });
  }
  restoreBoard(board: string): Promise<BoardMeta> {
    return call("restore_board", { board });
  }
  purgeBoard(board: string): Promise<void> {
    return call("purge_board", { board });
  }
  createFolder(name: string): Promise<Folder> {
    return call("create_folder", { name });
  }
  renameFolder(folder: string, name: string): Promise<Folder> {
    return call("rename_folder", { folder, name });
  }
  deleteFolder(folder: string): Promise<void> {
    return call("delete_folder", { folder });
  }
  async saveBoardFile(board: string, suggestedName: string, dialogTitle: string): Promise<boolean> {
    const path = await saveDialog({
      title: dialogTitle,
      defaultPath: `${suggestedName}.${FILE_EXTENSION}`,
      filters: [{ name: "Stellwand", extensions: [FILE_EXTENSION] }],
    });
    if (path === null) return false;
    await call<void>("save_board_file", { board, path });
    return true;
  }
  async chooseExportPath(suggestedName: string, format: ExportFormat, dialogTitle: string, filterName: string): Promise<string | null> {
    const extension = EXPORT_EXTENSIONS[format];
    const defaultName = `${suggestedName}.${extension}`;
    const { exportDir } = await this.appInfo();
    if (exportDir !== null) return `${exportDir}/${defaultName}`;
    return saveDialog({
      title: dialogTitle,
      defaultPath: defaultName,
      filters: [{ name: filterName, extensions: [extension] }],
    });
  }
  exportBoard(board: string, format: ExportFormat, path: string): Promise<Exported> {
    return call("export_board", { board, format, path });
  }
  exportFolder(folder: string, format: ExportFormat, path: string): Promise<Exported> {
    return call("export_folder", { folder, format, path });
  }
  /** The dialog is opened by the backend, which skips it in end-to-end tests. */
  chooseImportFile(dialogTitle: string, filterName: string): Promise<string | null> {
    return call("choose_import_file", { title: dialogTitle, filterName });
  }
  inspectImport(path: string, csv: CsvChoice | null): Promise<ImportSource> {
    return call("inspect_import", { path, csv });
  }
  importIntoBoard(board: string, path: string, csv: CsvChoice | null): Promise<Imported> {
    return call("import_into_board", { board, path, csv });
  }
  importAsBoard(path: string, folder: string | null, csv: CsvChoice | null): Promise<BoardMeta> {
    return call("import_as_board", { path, folder, csv });
  }
  async openBoardFile(dialogTitle: string, filterName: string): Promise<BoardMeta | null> {
    const path = await openDialog({
      title: dialogTitle,
      multiple: false,
      directory: false,
      filters: [{ name: filterName, extensions: [FILE_EXTENSION] }],
    });
    if (path === null) return null;
    return call("open_board_file", { path });
  }
  user(): Promise<User> {
    return call("user");
  }
  setUserName(name: string): Promise<User> {
    return call("set_user_name", { name });
  }
  language(): Promise<string | null> {
    return call("language");
  }
  setLanguage(language: string): Promise<void> {
    return call("set_language", { language });
  }
  openBoard(board: string): Promise<BoardView> {
    return call("open_board", { board });
  }
  closeBoard(board: string): Promise<void> {
    return call("close_board", { board });
  }
  applyIntent(board: string, intent: Intent): Promise<Outcome> {
    return call("apply_intent", { board, intent });
  }
  undo(board: string): Promise<Outcome> {
    return call("undo", { board });
  }
  redo(board: string): Promise<Outcome> {
    return call("redo", { board });
  }
  setViewport(board: string, viewport: Viewport): Promise<void> {
    return call("set_viewport", { board, viewport });
  }
  listRevisions(board: string): Promise<RevisionMeta[]> {
    return call("list_revisions", { board });
  }
  createRevision(board: string, name: string): Promise<RevisionMeta> {
    return call("create_revision", { board, name });
  }
  revisionItems(revision: string): Promise<Item[]> {
    return call("revision_items", { revision });
  }
  restoreRevision(board: string, revision: string): Promise<Outcome> {
    return call("restore_revision", { board, revision });
  }
  nearDuplicates(board: string): Promise<string[][]> {
    return call("near_duplicates", { board });
  }
  shareBoard(board: string, settings: HostSettings | null): Promise<ShareInfo> {
    return call("share_board", { board, settings });
  }
  renewShareLinks(board: string, role: "editor" | "viewer"): Promise<ShareInfo> {
    return call("renew_share_links", { board, role });
  }
  stopSharing(board: string): Promise<void> {
    return call("stop_sharing", { board });
  }
  joinBoard(link: string): Promise<BoardMeta> {
    return call("join_board", { link });
  }
  syncStatus(board: string): Promise<SyncStatus | null> {
    return call("sync_status", { board });
  }
  setPresence(board: string, cursor: { x: number; y: number } | null, selection: string[]): Promise<void> {
    return call("set_presence", { board, cursor, selection });
  }
  offerOnNetwork(board: string, offer: boolean): Promise<ShareInfo> {
    return call("offer_on_network", { board, offer });
  }
  discoverBoards(): Promise<FoundBoard[]> {
    return call("discover_boards");
  }
  onRemoteChange(handler: (change: RemoteChange) => void): Promise<() => void> {
    return listen<RemoteChange>("sync-remote", (event) => handler(event.payload));
  }
  onSyncStatus(handler: (status: SyncStatus) => void): Promise<() => void> {
    return listen<SyncStatus>("sync-status", (event) => handler(event.payload));
  }
  workshopState(board: string): Promise<WorkshopState> {
    return call("workshop_state", { board });
  }
  workshopCommand(board: string, cmd: WorkshopCommand): Promise<void> {
    return call("workshop_command", { board, cmd });
  }
  listDrafts(board: string): Promise<Draft[]> {
    return call("list_drafts", { board });
  }
  saveDraft(board: string, draft: Draft): Promise<void> {
    return call("save_draft", { board, draft });
  }
  async deleteDraft(board: string, id: string): Promise<void> {
    await call<boolean>("delete_draft", { board, id });
  }
  onWorkshopChanged(handler: (board: string) => void): Promise<() => void> {
    return listen<{ board: string }>("workshop-changed", (event) => handler(event.payload.board));
  }
  onWorkshopView(handler: (view: WorkshopView) => void): Promise<() => void> {
    return listen<WorkshopView>("workshop-view", (event) => handler(event.payload));
  }
}

/**
 * The backend for this window, or null when the page runs outside the
 * desktop application and no other transport is available yet.
 */
export function connectBackend(): Backend | null {
  return isTauri() ? new TauriBackend() : null;
}
