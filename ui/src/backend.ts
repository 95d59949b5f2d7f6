// The one door from the front end to the backend. Every command name that
// crosses the IPC boundary lives in this module; the rest of the UI calls the
// typed functions of a `Backend` and does not know whether it runs inside the
// desktop window (Tauri IPC) or, later, in a browser joined over WebSocket.

import { invoke, isTauri } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";

// The types that cross the boundary are generated from the Rust ones
// (src-tauri/contract.rs); only UI-side helpers are written here.
import type {
  AppInfo,
  BoardMeta,
  BoardView,
  Command,
  CsvChoice,
  Draft,
  Exported,
  FoundBoard,
  HostSettings,
  ImportSource,
  Imported,
  IpcError,
  Intent,
  Item,
  LinkState,
  Outcome,
  Overview,
  RemoteChange,
  RevisionMeta,
  ShareInfo,
  SyncStatus,
  TemplateInfo,
  Timer,
  User,
  Viewport,
  WorkshopChanged,
  WorkshopState,
  WorkshopView,
  Folder,
  Cursor,
} from "./contract/generated";

export type {
  AppInfo,
  BoardId,
  BoardMeta,
  BoardSummary,
  BoardView,
  Changes,
  Coauthor,
  Comment,
  CsvChoice,
  CsvColumns,
  Cursor,
  Draft,
  ErrorCode,
  Exported,
  Folder,
  FoundBoard,
  HostSettings,
  ImportCounts,
  ImportKind,
  ImportSource,
  Imported,
  Intent,
  IpcError,
  Item,
  ItemId,
  ItemKind,
  ItemSpec,
  Outcome,
  Overview,
  Participant,
  Qr,
  Reaction,
  RemoteChange,
  RevisionMeta,
  Round,
  ShareInfo,
  SyncStatus,
  TemplateInfo,
  User,
  Viewport,
  WorkshopState,
  WorkshopView,
} from "./contract/generated";

/** How a live board is connected. */
export type SyncState = LinkState;
/** Who one is in a workshop (docs/workshop.md). */
export type WorkshopRole = WorkshopState["role"];
export type WorkshopTimer = Timer;
/** What a facilitator or participant asks the host to do. */
export type WorkshopCommand = Command;

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

/**
 * Errors cross the boundary as a stable code plus a message for the log.
 * The UI switches on `code`, never on the message text.
 */
export type BackendError = IpcError;

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

/** The emoji a note can be reacted to with (crates/board/src/comment.rs). */
export const REACTIONS = ["👍", "❤️", "💡", "❓", "🎉"] as const;

/** Longest comment, in characters. */
export const MAX_COMMENT_CHARS = 1000;

/**
 * What every client of a board needs, on the desktop (Tauri IPC) and in a
 * browser (WebSocket): open and close a board, intents, undo, the viewport,
 * revisions, presence and the live status, the workshop and its drafts.
 */
export interface BoardBackend {
  /** Which transport this backend uses, for diagnostics only. */
  readonly transport: "tauri" | "websocket";
  user(): Promise<User>;
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
  /** The live status, connecting a joined board; null if not shared. */
  syncStatus(board: string): Promise<SyncStatus | null>;
  setPresence(board: string, cursor: Cursor | null, selection: string[]): Promise<void>;
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

/**
 * The desktop application's backend: a board plus the user's library
 * (overview, folders, templates, board files, imports and exports of local
 * files), native dialogs, hosting and discovery, and app settings.
 */
export interface DesktopBackend extends BoardBackend {
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
  setUserName(name: string): Promise<User>;
  language(): Promise<string | null>;
  setLanguage(language: string): Promise<void>;
  /** Hosts the board from this computer; `settings` changes address/port. */
  shareBoard(board: string, settings: HostSettings | null): Promise<ShareInfo>;
  /** Revokes every link of `role` and makes a new one. */
  renewShareLinks(board: string, role: "editor" | "viewer"): Promise<ShareInfo>;
  stopSharing(board: string): Promise<void>;
  /** Adds the board behind a join link to the library and connects it. */
  joinBoard(link: string): Promise<BoardMeta>;
  /** Offers a hosted board on the local network, or withdraws the offer. */
  offerOnNetwork(board: string, offer: boolean): Promise<ShareInfo>;
  /** Boards offered on the local network (takes about three seconds). */
  discoverBoards(): Promise<FoundBoard[]>;
}

/** The desktop backend (the window's screens take the narrowest one they need). */
export type Backend = DesktopBackend;

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

class TauriBackend implements DesktopBackend {
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
  setPresence(board: string, cursor: Cursor | null, selection: string[]): Promise<void> {
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
    return listen<WorkshopChanged>("workshop-changed", (event) => handler(event.payload.board));
  }
  onWorkshopView(handler: (view: WorkshopView) => void): Promise<() => void> {
    return listen<WorkshopView>("workshop-view", (event) => handler(event.payload));
  }
}

/**
 * The backend for this window, or null when the page runs outside the
 * desktop application and no other transport is available yet.
 */
export function connectBackend(): DesktopBackend | null {
  return isTauri() ? new TauriBackend() : null;
}
