// An open board: the canvas, tools, selection, editing in place, keyboard
// navigation, revisions. The view only shows what the backend confirmed:
// every action is an intent, and the returned changes update the view.

import { looseItem, type Backend, type BoardView, type ExportFormat, type Imported, type Intent, type Item, type ItemKind, type ItemSpec, type Outcome, type RevisionMeta, type SyncStatus, type Viewport } from "./backend";
import { clear, fileName, h, modal, showError, toast } from "./dom";
import { BOARD_FORMATS, exportMenu, runExport } from "./export";
import { chooseImport } from "./import";
import { ClusterTools } from "./cluster";
import { annotationParts, authorLine, CommentPanel } from "./comments";
import { drawParticipants, showShareDialog, SyncIndicator } from "./share";
import { Workshop } from "./workshop";
import { colorName, formatDate, strings, t } from "./i18n";
import {
  FONT,
  FRAME_BAND,
  NOTE_COLORS,
  Renderer,
  bounds,
  connectorLine,
  distanceToSegment,
  drawOrder,
  fitText,
  hex,
  isDark,
  noteInner,
  type DrawState,
  type Rect,
} from "./render";

const MIN_ZOOM = 0.1;
const MAX_ZOOM = 4;
const NOTE_W = 200;
const NOTE_H = 150;

type Tool = "select" | "note" | "frame" | "label" | "connect";

type Gesture =
  | { kind: "pan"; startX: number; startY: number; vx: number; vy: number }
  | { kind: "drag"; startX: number; startY: number; ids: Set<string>; moved: boolean; dx: number; dy: number }
  | { kind: "resize"; id: string; startX: number; startY: number; rect: Rect }
  | { kind: "band"; startX: number; startY: number; base: Set<string> }
  | { kind: "minimap" };

export interface BoardHost {
  backend: Backend;
  leave(): void;
}

export class BoardScreen {
  private readonly items = new Map<string, Item>();
  private ordered: Item[] = [];
  private orderDirty = true;
  private selection = new Set<string>();
  private focused: string | null = null;
  private editing: { id: string; area: HTMLTextAreaElement; original: string } | null = null;
  private viewport: Viewport = { x: 0, y: 0, zoom: 1 };
  private tool: Tool = "select";
  private connectFrom: string | null = null;
  private hover: string | null = null;
  private gesture: Gesture | null = null;
  private spaceDown = false;
  private canUndo = false;
  private canRedo = false;
  private pending = 0;
  private failed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private clipboard: { text: string; specs: ItemSpec[] } | null = null;
  private pasteHandled = false;
  private preview: { revision: RevisionMeta; items: Map<string, Item>; ordered: Item[] } | null = null;
  private frameRequested = false;
  /** Live sharing: status line, listeners, presence. */
  private readonly sync = new SyncIndicator();
  private unlisten: (() => void)[] = [];
  private presenceTimer = 0;
  private presenceCursor: { x: number; y: number } | null = null;
  private viewportTimer = 0;
  private viewportDirty = false;
  private minimapDirty = true;
  private a11yDirty = true;
  private closed = false;
  private title: string;
  private readonly a11yItems = new Map<string, HTMLLIElement>();
  /** Timer, voting, private writing, presenting and locks (docs/workshop.md). */
  private readonly workshop: Workshop;
  private readonly cluster: ClusterTools;
  private readonly comments: CommentPanel;

  private readonly stage: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly renderer: Renderer;
  private readonly minimap: HTMLCanvasElement;
  private readonly minimapLayer: HTMLCanvasElement;
  private minimapTransform = { x: 0, y: 0, scale: 1 };
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly live: HTMLElement;
  private readonly zoomLabel: HTMLElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;
  private readonly toolButtons = new Map<Tool, HTMLButtonElement>();
  private readonly selectionBar: HTMLElement;
  private readonly side: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly resizeObserver: ResizeObserver;
  private readonly onKey = (event: KeyboardEvent): void => this.keydown(event);
  private readonly onKeyUp = (event: KeyboardEvent): void => {
    if (event.key === " ") {
      this.spaceDown = false;
      this.updateCursor();
    }
  };
  private readonly onPaste = (event: ClipboardEvent): void => this.paste(event);
  private readonly onCopy = (event: ClipboardEvent): void => this.copy(event);

  constructor(
    private readonly root: HTMLElement,
    private readonly host: BoardHost,
    private readonly boardId: string,
    view: BoardView,
  ) {
    this.title = view.meta.title;
    for (const item of view.items) this.items.set(item.id, item);
    this.canUndo = view.can_undo;
    this.canRedo = view.can_redo;

    this.canvas = h("canvas", { class: "board-canvas", "aria-hidden": "true" });
    const ctx = this.canvas.getContext("2d", { alpha: true });
    if (ctx === null) throw new Error("canvas 2d unavailable");
    this.renderer = new Renderer(ctx, () => this.requestFrame());
    this.list = h("ul", { class: "item-list", "aria-label": t("itemsList") });
    this.minimap = h("canvas", { class: "minimap", width: 220, height: 140, "aria-hidden": "true" });
    this.minimapLayer = document.createElement("canvas");
    this.minimapLayer.width = 220;
    this.minimapLayer.height = 140;
    this.status = h("span", { class: "save-state", id: "save-state", role: "status" }, t("saved"));
    this.live = h("div", { class: "sr-only", "aria-live": "polite" });
    this.zoomLabel = h("span", { class: "zoom-level", id: "zoom-level", "aria-live": "polite" }, "100 %");
    this.undoButton = this.iconButton("undo", "↶", t("undo"), () => void this.undo(), "Strg+Z");
    this.redoButton = this.iconButton("redo", "↷", t("redo"), () => void this.redo(), "Strg+Umschalt+Z");
    this.selectionBar = h("div", { class: "selection-bar", role: "toolbar", "aria-label": t("selection"), hidden: true });
    this.side = h("aside", { class: "side-panel", id: "revisions-panel", hidden: true, "aria-labelledby": "revisions-title" });
    this.banner = h("div", { class: "preview-banner", hidden: true, role: "region", "aria-label": t("revisions") });
    this.hint = h("div", { class: "tool-hint", hidden: true, role: "status" });
    this.titleEl = h("h1", { class: "board-title", id: "board-title" }, this.title);
    this.workshop = new Workshop({
      backend: host.backend,
      boardId,
      items: () => this.items,
      selection: () => [...this.selection],
      viewport: () => this.viewport,
      size: () => this.size,
      showCenter: (x, y, zoom) => {
        const z = clampZoom(zoom);
        const { width, height } = this.size;
        this.setViewport({ x: x - width / 2 / z, y: y - height / 2 / z, zoom: z });
      },
      showRect: (rect) => this.fitRect(rect),
      applyLocal: (items, removed) =>
        this.applyOutcome({ created: [], changes: { items, removed, title: null }, can_undo: this.canUndo, can_redo: this.canRedo }),
      undoState: () => ({ canUndo: this.canUndo, canRedo: this.canRedo }),
      redraw: () => this.workshopChanged(),
      announce: (message) => this.announce(message),
    });
    this.stage = h(
      "div",
      { class: "stage", id: "stage" },
      this.canvas,
      this.list,
    );

    const annotations = {
      backend: host.backend,
      boardId,
      items: (): ReadonlyMap<string, Item> => this.items,
      send: (intent: Intent): Promise<Outcome | null> => this.send(intent),
      select: (ids: string[]): void => this.setSelection(ids.filter((id) => this.items.has(id))),
      redraw: (): void => this.requestFrame(),
    };
    this.cluster = new ClusterTools(annotations);
    this.comments = new CommentPanel(annotations);

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.build();
    if (view.load_issues.length > 0) toast(t("loadIssues"), undefined, true);
    if (view.viewport !== null) {
      this.viewport = { ...view.viewport, zoom: clampZoom(view.viewport.zoom) };
    }
    this.resize();
    if (view.viewport === null) this.zoomToFit(false);
    this.updateButtons();
    void this.connectSync();
    void this.workshop.start();
  }

  // ---------------------------------------------------------------- sharing

  /** Listens for changes and status of others; connects a joined board. */
  private async connectSync(): Promise<void> {
    const backend = this.host.backend;
    try {
      const remote = await backend.onRemoteChange((change) => {
        if (change.board === this.boardId && !this.closed) this.applyOutcome(change.outcome);
      });
      const status = await backend.onSyncStatus((next) => {
        if (next.board === this.boardId && !this.closed) this.showSync(next);
      });
      if (this.closed) {
        remote();
        status();
        return;
      }
      this.unlisten.push(remote, status);
      const sync = await backend.syncStatus(this.boardId);
      this.showSync(sync);
      // Changes that arrived between opening the board and listening are in
      // the library already: read the board once more for a shared board.
      if (sync !== null && !this.closed) await this.refreshFromLibrary();
    } catch (cause) {
      showError(cause);
    }
  }

  private async refreshFromLibrary(): Promise<void> {
    const view = await this.host.backend.openBoard(this.boardId);
    if (this.closed) return;
    const present = new Set(view.items.map((item) => item.id));
    const removed = [...this.items.keys()].filter((id) => !present.has(id));
    this.applyOutcome({
      created: [],
      changes: { items: view.items, removed, title: view.meta.title },
      can_undo: view.can_undo,
      can_redo: view.can_redo,
    });
  }

  private showSync(status: SyncStatus | null): void {
    const shown = this.sync.status;
    // Events and command replies arrive in any order: keep the newest.
    if (status !== null && shown !== null && status.seq < shown.seq) return;
    this.sync.update(status);
    this.root.classList.toggle("read-only", status?.readOnly === true);
    this.requestFrame();
  }

  private async share(): Promise<void> {
    this.commitEdit();
    await this.queue.catch(() => undefined);
    await showShareDialog(this.host.backend, this.boardId, (status) => this.showSync(status));
  }

  /** Tells the others where this user points and what is selected (at most 10 times a second). */
  private sharePresence(cursor: { x: number; y: number } | null): void {
    this.presenceCursor = cursor;
    if (this.sync.status === null || this.presenceTimer !== 0) return;
    this.presenceTimer = window.setTimeout(() => {
      this.presenceTimer = 0;
      if (this.closed || this.sync.status === null) return;
      void this.host.backend
        .setPresence(this.boardId, this.presenceCursor, [...this.selection])
        .catch(() => undefined);
    }, 100);
  }

  /** Dims of the stage in CSS pixels. */
  private get size(): { width: number; height: number } {
    return { width: this.stage.clientWidth, height: this.stage.clientHeight };
  }

  private iconButton(id: string, icon: string, label: string, run: () => void, shortcut?: string): HTMLButtonElement {
    return h(
      "button",
      {
        type: "button",
        class: "icon",
        id: `btn-${id}`,
        "aria-label": label,
        title: shortcut === undefined ? label : `${label} (${shortcut})`,
        onclick: run,
      },
      h("span", { "aria-hidden": "true" }, icon),
    );
  }

  /** "Exportieren": a menu of formats, then the save dialog. */
  private exportButton(): HTMLButtonElement {
    const button = h(
      "button",
      { type: "button", id: "btn-export", "aria-haspopup": "menu", "aria-expanded": "false" },
      t("exportAction"),
    );
    button.addEventListener("click", () => exportMenu(button, t("exportMenu"), BOARD_FORMATS, (format) => void this.exportAs(format)));
    return button;
  }

  private async exportAs(format: ExportFormat): Promise<void> {
    // The export reads the library: every change on its way is stored first.
    this.commitEdit();
    await this.queue.catch(() => undefined);
    await runExport(this.host.backend, fileName(this.title, t("board")), format, t("exportTitle"), (path) =>
      this.host.backend.exportBoard(this.boardId, format, path),
    );
  }

  /**
   * "Importieren": the notes of a file into a new frame below everything on
   * the board, as one change (one Ctrl+Z removes all of it).
   */
  private async importFile(): Promise<void> {
    this.commitEdit();
    await this.queue.catch(() => undefined);
    const chosen = await chooseImport(this.host.backend);
    if (chosen === null || this.closed) return;
    const result: { done: Imported | null } = { done: null };
    const outcome = await this.run(async () => {
      result.done = await this.host.backend.importIntoBoard(this.boardId, chosen.path, chosen.csv);
      return result.done.outcome;
    });
    const done = result.done;
    if (outcome === null || done === null) return;
    this.zoomToFit(true);
    const title = chosen.source.title;
    toast(
      done.frames + done.connectors > 0
        ? t("importedCanvas", done.file, done.notes, done.frames, done.connectors, title)
        : t("imported", done.notes, done.file, title),
    );
  }

  private build(): void {
    const back = h(
      "button",
      { type: "button", class: "ghost back", id: "back", onclick: () => void this.leave() },
      h("span", { "aria-hidden": "true" }, "← "),
      t("backToLibrary"),
    );
    const header = h(
      "header",
      { class: "board-bar" },
      back,
      this.titleEl,
      this.status,
      this.sync.element,
      h(
        "div",
        { class: "bar-actions" },
        this.undoButton,
        this.redoButton,
        h("button", { type: "button", id: "btn-share", "aria-haspopup": "dialog", onclick: () => void this.share() }, t("share")),
        this.workshop.toggle,
        h(
          "button",
          { type: "button", id: "btn-import", "aria-haspopup": "dialog", title: t("importLabel"), "aria-label": t("importLabel"), onclick: () => void this.importFile() },
          t("importAction"),
        ),
        this.exportButton(),
        h("button", { type: "button", id: "btn-revisions", "aria-expanded": "false", onclick: () => void this.toggleRevisions() }, t("revisions")),
        h("button", { type: "button", id: "btn-help", "aria-haspopup": "dialog", onclick: () => void this.showHelp() }, "?", h("span", { class: "sr-only" }, ` ${t("help")}`)),
      ),
    );
    const tools = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("toolbar"), "aria-orientation": "vertical" });
    const toolDefs: [Tool, string, string, string][] = [
      ["select", "➤", t("toolSelectShort"), "V"],
      ["note", "▢", t("toolNote"), "N"],
      ["frame", "⬚", t("toolFrame"), "F"],
      ["label", "T", t("toolLabel"), "T"],
      ["connect", "↗", t("toolConnect"), "C"],
    ];
    for (const [tool, icon, label, key] of toolDefs) {
      const button = h(
        "button",
        {
          type: "button",
          class: "tool",
          id: `tool-${tool}`,
          "aria-pressed": String(tool === this.tool),
          title: `${tool === "select" ? t("toolSelect") : label} (${key})`,
          onclick: () => {
            if (tool === "note") {
              void this.createAtCenter("note");
            } else {
              this.setTool(tool);
            }
          },
        },
        h("span", { class: "tool-icon", "aria-hidden": "true" }, icon),
        h("span", { class: "tool-label" }, label),
      );
      this.toolButtons.set(tool, button);
      tools.append(button);
    }
    tools.append(this.cluster.toggle);
    const zoom = h(
      "div",
      { class: "zoom-controls", role: "group", "aria-label": t("zoomLevel") },
      this.iconButton("zoom-out", "−", t("zoomOut"), () => this.zoomBy(1 / 1.25), "−"),
      this.zoomLabel,
      this.iconButton("zoom-in", "+", t("zoomIn"), () => this.zoomBy(1.25), "+"),
      h("button", { type: "button", id: "btn-fit", onclick: () => this.zoomToFit(true), title: `${t("zoomFit")} (0)` }, t("zoomFit")),
    );
    const mapBox = h("div", { class: "minimap-box", title: t("overviewMap") }, this.minimap);
    const main = h(
      "main",
      { class: "board-main", "aria-label": this.title },
      this.stage,
      tools,
      this.selectionBar,
      this.banner,
      this.hint,
      zoom,
      mapBox,
      this.workshop.strip,
      this.workshop.panel,
      this.side,
      this.cluster.element,
      this.comments.element,
      this.live,
    );
    clear(this.root);
    this.root.append(header, main);

    this.canvas.addEventListener("pointerdown", (e) => this.pointerDown(e));
    this.canvas.addEventListener("pointermove", (e) => this.pointerMove(e));
    this.canvas.addEventListener("pointerup", (e) => this.pointerUp(e));
    this.canvas.addEventListener("pointercancel", (e) => this.pointerUp(e));
    this.canvas.addEventListener("dblclick", (e) => this.doubleClick(e));
    this.canvas.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    this.canvas.addEventListener("auxclick", (e) => e.preventDefault());
    this.minimap.addEventListener("pointerdown", (e) => {
      this.gesture = { kind: "minimap" };
      try {
        this.minimap.setPointerCapture(e.pointerId);
      } catch {
        // See pointerDown.
      }
      this.minimapJump(e);
    });
    this.minimap.addEventListener("pointermove", (e) => {
      if (this.gesture?.kind === "minimap") this.minimapJump(e);
    });
    this.minimap.addEventListener("pointerup", () => {
      this.gesture = null;
    });
    this.list.addEventListener("focusin", (e) => {
      const id = (e.target as HTMLElement).dataset["id"];
      if (id !== undefined) this.focusItem(id, false);
    });
    this.list.addEventListener("focusout", () => {
      window.setTimeout(() => {
        if (!this.list.contains(document.activeElement)) {
          this.focused = null;
          this.requestFrame();
        }
      }, 0);
    });
    document.addEventListener("keydown", this.onKey);
    document.addEventListener("keyup", this.onKeyUp);
    document.addEventListener("paste", this.onPaste);
    document.addEventListener("copy", this.onCopy);
    this.resizeObserver.observe(this.stage);
  }

  // ---------------------------------------------------------------- lifecycle

  async leave(): Promise<void> {
    if (this.closed) return;
    this.commitEdit();
    await this.queue.catch(() => undefined);
    await this.flushViewport();
    this.closed = true;
    this.dispose();
    try {
      await this.host.backend.closeBoard(this.boardId);
    } catch (cause) {
      showError(cause);
    }
    this.host.leave();
  }

  dispose(): void {
    this.closed = true;
    for (const stop of this.unlisten) stop();
    this.unlisten = [];
    window.clearTimeout(this.presenceTimer);
    this.workshop.dispose();
    document.removeEventListener("keydown", this.onKey);
    document.removeEventListener("keyup", this.onKeyUp);
    document.removeEventListener("paste", this.onPaste);
    document.removeEventListener("copy", this.onCopy);
    this.resizeObserver.disconnect();
    window.clearTimeout(this.viewportTimer);
    this.cluster.dispose();
  }

  /** Focuses the first control, for keyboard users arriving on the board. */
  focusStart(): void {
    (this.root.querySelector("#back") as HTMLElement | null)?.focus();
  }

  // ---------------------------------------------------------------- backend

  /** Sends one intent; the returned changes are what the view shows. */
  private send(intent: Intent): Promise<Outcome | null> {
    // Locked items and private drafts are the workshop's to decide.
    const route = this.workshop.route(intent);
    if (route === "refused") return Promise.resolve(null);
    if (route !== null) return this.run(route);
    return this.run(() => this.host.backend.applyIntent(this.boardId, intent));
  }

  private run(call: () => Promise<Outcome>): Promise<Outcome | null> {
    if (this.sync.status?.readOnly === true) {
      toast(t("readOnlyRefused"));
      return Promise.resolve(null);
    }
    this.pending++;
    this.updateStatus();
    const result = this.queue.then(async () => {
      try {
        const outcome = await call();
        this.failed = false;
        this.applyOutcome(outcome);
        return outcome;
      } catch (cause) {
        this.failed = true;
        showError(cause);
        return null;
      } finally {
        this.pending--;
        this.updateStatus();
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private applyOutcome(outcome: Outcome): void {
    this.renderer.invalidate(this.changedAreas(outcome));
    for (const item of outcome.changes.items) {
      this.items.set(item.id, item);
      this.renderer.forget(item.id);
      this.a11yUpdate(item.id);
    }
    for (const id of outcome.changes.removed) {
      this.items.delete(id);
      this.renderer.forget(id);
      this.selection.delete(id);
      this.a11yUpdate(id);
      if (this.focused === id) this.focused = null;
    }
    if (outcome.changes.title !== null) {
      this.title = outcome.changes.title;
      this.titleEl.textContent = this.title;
    }
    this.canUndo = outcome.can_undo;
    this.canRedo = outcome.can_redo;
    this.orderDirty = true;
    this.minimapDirty = true;
    this.updateButtons();
    this.updateSelectionBar();
    this.cluster.changed();
    this.comments.refresh();
    this.requestFrame();
  }

  /**
   * Where `outcome` changes the drawing, before and after: each changed or
   * removed item where it was and where it is, and every connector that
   * touches one of them (its line moves with its ends).
   */
  private changedAreas(outcome: Outcome): Rect[] {
    const changed = new Map(outcome.changes.items.map((item) => [item.id, item]));
    const removed = new Set(outcome.changes.removed);
    const touched = new Set([...changed.keys(), ...removed]);
    const before = (id: string): Item | undefined => this.items.get(id);
    const after = (id: string): Item | undefined => (removed.has(id) ? undefined : changed.get(id) ?? this.items.get(id));
    const areas: Rect[] = [];
    const place = (item: Item | undefined, lookup: (id: string) => Item | undefined): void => {
      if (item === undefined) return;
      if (item.kind !== "connector") {
        areas.push(item);
        return;
      }
      const a = item.from === null ? undefined : lookup(item.from);
      const b = item.to === null ? undefined : lookup(item.to);
      if (a === undefined || b === undefined) return;
      const x = Math.min(a.x, b.x);
      const y = Math.min(a.y, b.y);
      areas.push({ x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y });
    };
    for (const id of touched) {
      place(before(id), before);
      place(after(id), after);
    }
    for (const item of this.items.values()) {
      if (item.kind !== "connector" || touched.has(item.id)) continue;
      if ((item.from !== null && touched.has(item.from)) || (item.to !== null && touched.has(item.to))) {
        place(item, before);
        place(item, after);
      }
    }
    return areas;
  }

  private updateStatus(): void {
    this.status.classList.toggle("busy", this.pending > 0);
    this.status.classList.toggle("failed", this.failed && this.pending === 0);
    this.status.textContent = this.pending > 0 ? t("saving") : this.failed ? t("saveFailed") : t("saved");
  }

  private updateButtons(): void {
    this.undoButton.disabled = !this.canUndo || this.preview !== null;
    this.redoButton.disabled = !this.canRedo || this.preview !== null;
  }

  private async undo(): Promise<void> {
    if (this.preview !== null || !this.canUndo) return;
    this.commitEdit();
    await this.run(() => this.host.backend.undo(this.boardId));
  }

  private async redo(): Promise<void> {
    if (this.preview !== null || !this.canRedo) return;
    this.commitEdit();
    await this.run(() => this.host.backend.redo(this.boardId));
  }

  // ---------------------------------------------------------------- view

  private visibleItems(): Map<string, Item> {
    return this.preview?.items ?? this.items;
  }

  private order(): Item[] {
    if (this.preview !== null) return this.preview.ordered;
    if (this.orderDirty) {
      this.ordered = drawOrder(this.items.values());
      this.orderDirty = false;
    }
    return this.ordered;
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const { width, height } = this.size;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.requestFrame();
  }

  requestFrame(): void {
    if (this.frameRequested || this.closed) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.closed) this.draw();
    });
  }

  private draw(): void {
    const { width, height } = this.size;
    const drag = this.gesture?.kind === "drag" && this.gesture.moved ? this.gesture : null;
    const resize = this.gesture?.kind === "resize" ? this.gesture : null;
    const band = this.gesture?.kind === "band" ? this.bandRect() : null;
    const state: DrawState = {
      viewport: this.viewport,
      width,
      height,
      dpr: window.devicePixelRatio || 1,
      selection: this.selection,
      focused: this.focused,
      editing: this.editing?.id ?? null,
      dragOffset: drag === null ? null : { dx: drag.dx, dy: drag.dy, ids: drag.ids },
      ...(this.preview === null ? { decorate: this.workshop.decorate } : {}),
      resizePreview: resize === null ? null : { id: resize.id, rect: resize.rect },
      rubberBand: band,
      connectFrom: this.connectFrom,
      hover: this.tool === "connect" ? this.hover : null,
      outlined: this.cluster.outlined,
    };
    const started = performance.now();
    this.renderer.draw(this.order(), this.visibleItems(), state);
    const others = this.sync.status?.participants ?? [];
    if (others.length > 0) {
      const ctx = this.canvas.getContext("2d");
      if (ctx !== null) {
        ctx.setTransform(state.dpr, 0, 0, state.dpr, 0, 0);
        const { x: vx, y: vy, zoom } = this.viewport;
        drawParticipants(
          ctx,
          others,
          (x, y) => ({ x: (x - vx) * zoom, y: (y - vy) * zoom }),
          (id) => this.items.get(id) ?? null,
        );
      }
    }
    const ended = performance.now();
    // Read by tests/e2e/bench-frames.mjs.
    this.stage.dataset["drawMs"] = (ended - started).toFixed(3);
    if (this.stage.dataset["firstPaint"] === undefined) this.stage.dataset["firstPaint"] = String(ended);
    const zoom = this.viewport.zoom;
    const grid = 32 * zoom;
    this.stage.style.backgroundSize = `${grid}px ${grid}px`;
    this.stage.style.backgroundPosition = `${-this.viewport.x * zoom}px ${-this.viewport.y * zoom}px`;
    this.stage.dataset["drawn"] = String(this.renderer.lastDrawn);
    this.stage.dataset["tiled"] = this.renderer.lastTiled ? "1" : this.renderer.lastScaled ? "scaled" : "0";
    this.stage.dataset["zoom"] = String(zoom);
    this.stage.dataset["vx"] = String(this.viewport.x);
    this.stage.dataset["vy"] = String(this.viewport.y);
    const percent = `${Math.round(zoom * 100)} %`;
    if (this.zoomLabel.textContent !== percent) this.zoomLabel.textContent = percent;
    if (this.editing !== null) this.placeEditor();
    this.drawMinimap();
    if (this.a11yDirty) this.scheduleA11y();
  }

  private setViewport(next: Viewport): void {
    this.viewport = { x: next.x, y: next.y, zoom: clampZoom(next.zoom) };
    this.requestFrame();
    this.workshop.viewChanged();
    this.viewportDirty = true;
    window.clearTimeout(this.viewportTimer);
    this.viewportTimer = window.setTimeout(() => void this.flushViewport(), 400);
  }

  private async flushViewport(): Promise<void> {
    if (!this.viewportDirty) return;
    this.viewportDirty = false;
    window.clearTimeout(this.viewportTimer);
    try {
      await this.host.backend.setViewport(this.boardId, this.viewport);
    } catch (cause) {
      showError(cause);
    }
  }

  private toBoard(clientX: number, clientY: number): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: (clientX - rect.left) / this.viewport.zoom + this.viewport.x,
      y: (clientY - rect.top) / this.viewport.zoom + this.viewport.y,
    };
  }

  private zoomAt(factor: number, sx: number, sy: number): void {
    const zoom = clampZoom(this.viewport.zoom * factor);
    const bx = sx / this.viewport.zoom + this.viewport.x;
    const by = sy / this.viewport.zoom + this.viewport.y;
    this.setViewport({ x: bx - sx / zoom, y: by - sy / zoom, zoom });
  }

  private zoomBy(factor: number): void {
    const { width, height } = this.size;
    this.zoomAt(factor, width / 2, height / 2);
  }

  private zoomToFit(save: boolean): void {
    const box = bounds(this.visibleItems().values());
    const { width, height } = this.size;
    if (box === null) {
      this.viewport = { x: -width / 2, y: -height / 2, zoom: 1 };
      this.requestFrame();
      return;
    }
    // Keep clear of the toolbar on the left and the controls at the bottom.
    const left = 130;
    const right = 30;
    const top = 30;
    const bottom = 80;
    const zoom = clampZoom(Math.min((width - left - right) / box.w, (height - top - bottom) / box.h, 1.5));
    const next = {
      x: box.x + box.w / 2 - (left + (width - left - right) / 2) / zoom,
      y: box.y + box.h / 2 - (top + (height - top - bottom) / 2) / zoom,
      zoom,
    };
    if (save) {
      this.setViewport(next);
    } else {
      this.viewport = next;
      this.requestFrame();
    }
  }

  /** Fits a rectangle of the board into the view (a presented frame). */
  private fitRect(box: Rect): void {
    const { width, height } = this.size;
    const margin = 40;
    const zoom = clampZoom(Math.min((width - 2 * margin) / box.w, (height - 2 * margin - FRAME_BAND) / box.h, 2));
    this.setViewport({ x: box.x + box.w / 2 - width / 2 / zoom, y: box.y + box.h / 2 - height / 2 / zoom, zoom });
  }

  /** The workshop state changed: votes, locks and drafts in the descriptions and the selection bar. */
  private workshopChanged(): void {
    if (!this.a11yDirty) {
      for (const [id, li] of this.a11yItems) {
        const item = this.items.get(id);
        const button = li.firstElementChild;
        if (item === undefined || button === null) continue;
        const label = this.describe(item);
        if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
      }
    }
    if (!this.selectionBar.contains(document.activeElement)) this.updateSelectionBar();
    this.requestFrame();
  }

  private centerOn(item: Item): void {
    const { width, height } = this.size;
    const { x, y, zoom } = this.viewport;
    const margin = 40 / zoom;
    const inside =
      item.x >= x + margin && item.y >= y + margin && item.x + item.w <= x + width / zoom - margin && item.y + item.h <= y + height / zoom - margin;
    if (inside) return;
    this.setViewport({ x: item.x + item.w / 2 - width / 2 / zoom, y: item.y + item.h / 2 - height / 2 / zoom, zoom });
  }

  // ---------------------------------------------------------------- minimap

  private drawMinimap(): void {
    const ctx = this.minimap.getContext("2d");
    if (ctx === null) return;
    const W = this.minimap.width;
    const H = this.minimap.height;
    if (this.minimapDirty) {
      this.minimapDirty = false;
      const box = bounds(this.visibleItems().values()) ?? { x: 0, y: 0, w: 1, h: 1 };
      const pad = 200;
      const scale = Math.min(W / (box.w + 2 * pad), H / (box.h + 2 * pad));
      this.minimapTransform = {
        scale,
        x: box.x - pad - (W / scale - box.w - 2 * pad) / 2,
        y: box.y - pad - (H / scale - box.h - 2 * pad) / 2,
      };
      const layer = this.minimapLayer.getContext("2d");
      if (layer !== null) {
        const m = this.minimapTransform;
        layer.clearRect(0, 0, W, H);
        layer.fillStyle = "#f7f5f0";
        layer.fillRect(0, 0, W, H);
        for (const item of this.order()) {
          if (item.kind === "connector") continue;
          const x = (item.x - m.x) * m.scale;
          const y = (item.y - m.y) * m.scale;
          const w = Math.max(1, item.w * m.scale);
          const hgt = Math.max(1, item.h * m.scale);
          if (item.kind === "frame") {
            layer.strokeStyle = "#8a8476";
            layer.strokeRect(x, y, w, hgt);
          } else {
            layer.fillStyle = item.kind === "label" ? "#3d3846" : hex(item.color);
            layer.fillRect(x, y, w, hgt);
          }
        }
      }
    }
    ctx.clearRect(0, 0, W, H);
    ctx.drawImage(this.minimapLayer, 0, 0);
    const m = this.minimapTransform;
    const { width, height } = this.size;
    ctx.strokeStyle = "#c01c28";
    ctx.lineWidth = 2;
    const x1 = Math.max(1, (this.viewport.x - m.x) * m.scale);
    const y1 = Math.max(1, (this.viewport.y - m.y) * m.scale);
    const x2 = Math.min(W - 1, (this.viewport.x + width / this.viewport.zoom - m.x) * m.scale);
    const y2 = Math.min(H - 1, (this.viewport.y + height / this.viewport.zoom - m.y) * m.scale);
    if (x2 > x1 && y2 > y1) ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
  }

  private minimapJump(event: PointerEvent): void {
    const rect = this.minimap.getBoundingClientRect();
    const m = this.minimapTransform;
    const bx = (event.clientX - rect.left) / m.scale + m.x;
    const by = (event.clientY - rect.top) / m.scale + m.y;
    const { width, height } = this.size;
    const zoom = this.viewport.zoom;
    this.setViewport({ x: bx - width / 2 / zoom, y: by - height / 2 / zoom, zoom });
  }

  // ---------------------------------------------------------------- hit tests

  private hit(x: number, y: number): Item | null {
    const order = this.order();
    const tolerance = 8 / this.viewport.zoom;
    for (let i = order.length - 1; i >= 0; i--) {
      const item = order[i];
      if (item === undefined) continue;
      if (item.kind === "connector") {
        const from = item.from === null ? undefined : this.items.get(item.from);
        const to = item.to === null ? undefined : this.items.get(item.to);
        if (from === undefined || to === undefined) continue;
        const [x1, y1, x2, y2] = connectorLine(from, to);
        if (distanceToSegment(x, y, x1, y1, x2, y2) <= tolerance) return item;
        continue;
      }
      if (item.kind === "frame") {
        const inBand = x >= item.x && x <= item.x + item.w && y >= item.y - (this.viewport.zoom < 0.4 ? FRAME_BAND : 0) && y <= item.y + FRAME_BAND;
        if (inBand) return item;
        continue;
      }
      if (x >= item.x && x <= item.x + item.w && y >= item.y && y <= item.y + item.h) return item;
    }
    return null;
  }

  private onResizeHandle(x: number, y: number): Item | null {
    if (this.selection.size !== 1) return null;
    const [id] = this.selection;
    const item = id === undefined ? undefined : this.items.get(id);
    if (item === undefined || item.kind === "connector" || this.workshop.lockedForMe(item.id)) return null;
    const s = 12 / this.viewport.zoom;
    return Math.abs(x - (item.x + item.w)) <= s && Math.abs(y - (item.y + item.h)) <= s ? item : null;
  }

  // ---------------------------------------------------------------- pointer

  private pointerDown(event: PointerEvent): void {
    try {
      this.canvas.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers (assistive tools, tests) cannot be captured.
    }
    if (this.editing !== null) this.commitEdit();
    const p = this.toBoard(event.clientX, event.clientY);
    const pan = event.button === 1 || this.spaceDown;
    if (pan) {
      event.preventDefault();
      this.gesture = { kind: "pan", startX: event.clientX, startY: event.clientY, vx: this.viewport.x, vy: this.viewport.y };
      this.updateCursor();
      return;
    }
    if (event.button !== 0) return;
    if (this.preview !== null) {
      this.gesture = { kind: "pan", startX: event.clientX, startY: event.clientY, vx: this.viewport.x, vy: this.viewport.y };
      return;
    }
    if (this.tool === "note" || this.tool === "frame" || this.tool === "label") {
      const kind = this.tool;
      this.setTool("select");
      void this.createAt(kind, p.x, p.y);
      return;
    }
    const target = this.hit(p.x, p.y);
    if (this.tool === "select" && this.workshop.pointer(target, p)) return;
    if (this.tool === "connect") {
      void this.connectClick(target);
      return;
    }
    const handle = this.onResizeHandle(p.x, p.y);
    if (handle !== null) {
      this.gesture = { kind: "resize", id: handle.id, startX: p.x, startY: p.y, rect: { x: handle.x, y: handle.y, w: handle.w, h: handle.h } };
      return;
    }
    if (target === null) {
      if (event.shiftKey) {
        this.gesture = { kind: "band", startX: p.x, startY: p.y, base: new Set(this.selection) };
        (this.gesture as { endX?: number }).endX = p.x;
      } else {
        this.setSelection([]);
        this.gesture = { kind: "pan", startX: event.clientX, startY: event.clientY, vx: this.viewport.x, vy: this.viewport.y };
        this.updateCursor();
      }
      return;
    }
    if (event.shiftKey) {
      const next = new Set(this.selection);
      if (next.has(target.id)) next.delete(target.id);
      else next.add(target.id);
      this.setSelection([...next]);
    } else if (!this.selection.has(target.id)) {
      this.setSelection([target.id]);
    }
    if (this.selection.has(target.id)) {
      this.gesture = { kind: "drag", startX: p.x, startY: p.y, ids: this.movableSelection(), moved: false, dx: 0, dy: 0 };
    }
  }

  private bandEnd = { x: 0, y: 0 };

  private bandRect(): Rect | null {
    if (this.gesture?.kind !== "band") return null;
    const g = this.gesture;
    return {
      x: Math.min(g.startX, this.bandEnd.x),
      y: Math.min(g.startY, this.bandEnd.y),
      w: Math.abs(this.bandEnd.x - g.startX),
      h: Math.abs(this.bandEnd.y - g.startY),
    };
  }

  private pointerMove(event: PointerEvent): void {
    const g = this.gesture;
    const p = this.toBoard(event.clientX, event.clientY);
    this.sharePresence(p);
    if (g === null) {
      if (this.tool === "connect") {
        const target = this.hit(p.x, p.y);
        const id = target === null || target.kind === "connector" ? null : target.id;
        if (id !== this.hover) {
          this.hover = id;
          this.requestFrame();
        }
      } else {
        const handle = this.onResizeHandle(p.x, p.y);
        this.canvas.style.cursor = handle !== null ? "nwse-resize" : this.spaceDown ? "grab" : "";
      }
      return;
    }
    if (g.kind === "pan") {
      const zoom = this.viewport.zoom;
      this.setViewport({ x: g.vx - (event.clientX - g.startX) / zoom, y: g.vy - (event.clientY - g.startY) / zoom, zoom });
    } else if (g.kind === "drag") {
      g.dx = p.x - g.startX;
      g.dy = p.y - g.startY;
      if (!g.moved && Math.hypot(g.dx, g.dy) * this.viewport.zoom > 3) g.moved = true;
      this.requestFrame();
    } else if (g.kind === "resize") {
      const item = this.items.get(g.id);
      if (item === undefined) return;
      const min = item.kind === "frame" ? 160 : 60;
      g.rect = { x: item.x, y: item.y, w: Math.max(min, item.w + p.x - g.startX), h: Math.max(item.kind === "label" ? 24 : min, item.h + p.y - g.startY) };
      this.requestFrame();
    } else if (g.kind === "band") {
      this.bandEnd = p;
      const r = this.bandRect();
      if (r !== null) {
        const inside = [...this.items.values()]
          .filter((i) => i.kind !== "connector" && i.x >= r.x && i.y >= r.y && i.x + i.w <= r.x + r.w && i.y + i.h <= r.y + r.h)
          .map((i) => i.id);
        this.setSelection([...new Set([...g.base, ...inside])]);
      }
    }
  }

  private pointerUp(event: PointerEvent): void {
    const g = this.gesture;
    this.gesture = null;
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    this.updateCursor();
    if (g === null) return;
    if (g.kind === "drag" && g.moved && g.ids.size > 0) {
      void this.send({ op: "move", ids: [...g.ids], dx: round(g.dx), dy: round(g.dy), adopt: true });
    } else if (g.kind === "resize") {
      const item = this.items.get(g.id);
      if (item !== undefined && (g.rect.w !== item.w || g.rect.h !== item.h)) {
        void this.send({ op: "resize", id: g.id, x: item.x, y: item.y, w: round(g.rect.w), h: round(g.rect.h) });
      }
    }
    this.requestFrame();
  }

  private doubleClick(event: MouseEvent): void {
    if (this.preview !== null) return;
    const p = this.toBoard(event.clientX, event.clientY);
    const target = this.hit(p.x, p.y);
    // In voting mode each click of a double click is a vote on the note;
    // it does not open the note for editing.
    if (target?.kind === "note" && this.workshop.voting()) return;
    if (target !== null) {
      this.startEdit(target.id);
    } else {
      void this.createAt("note", p.x, p.y);
    }
  }

  private wheel(event: WheelEvent): void {
    event.preventDefault();
    const rect = this.canvas.getBoundingClientRect();
    const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? rect.height : 1;
    if (event.ctrlKey || event.metaKey) {
      const factor = Math.exp((-event.deltaY * scale) / 300);
      this.zoomAt(factor, event.clientX - rect.left, event.clientY - rect.top);
    } else {
      const zoom = this.viewport.zoom;
      const dx = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
      const dy = event.shiftKey && event.deltaX === 0 ? 0 : event.deltaY;
      this.setViewport({ x: this.viewport.x + (dx * scale) / zoom, y: this.viewport.y + (dy * scale) / zoom, zoom });
    }
  }

  private updateCursor(): void {
    this.canvas.style.cursor =
      this.gesture?.kind === "pan" ? "grabbing" : this.spaceDown ? "grab" : this.tool === "select" ? "" : "crosshair";
  }

  // ---------------------------------------------------------------- selection

  private setSelection(ids: string[]): void {
    this.selection = new Set(ids);
    this.workshop.selectionChanged();
    this.updateSelectionBar();
    this.requestFrame();
  }

  /** Selected items that can be moved; notes whose frame moves too are left to the frame. */
  private movableSelection(): Set<string> {
    const ids = new Set<string>();
    for (const id of this.selection) {
      const item = this.items.get(id);
      if (item === undefined || item.kind === "connector") continue;
      if (item.parent !== null && this.selection.has(item.parent)) continue;
      if (this.workshop.lockedForMe(id)) continue;
      ids.add(id);
    }
    return ids;
  }

  private updateSelectionBar(): void {
    const bar = this.selectionBar;
    const selected = [...this.selection].map((id) => this.items.get(id)).filter((i): i is Item => i !== undefined);
    if (selected.length === 0 || this.preview !== null) {
      bar.hidden = true;
      return;
    }
    bar.hidden = false;
    clear(bar);
    const ids = selected.map((i) => i.id);
    if (selected.length > 1) bar.append(h("span", { class: "bar-text" }, t("selectedCount", selected.length)));
    const colorable = selected.filter((i) => i.kind !== "connector");
    if (colorable.length > 0) {
      const group = h("div", { class: "swatches", role: "group", "aria-label": t("color") });
      for (const color of NOTE_COLORS) {
        const active = colorable.every((i) => i.color === color);
        group.append(
          h("button", {
            type: "button",
            class: "swatch",
            style: `background:${hex(color)}`,
            "data-color": color,
            "aria-label": colorName(color),
            "aria-pressed": String(active),
            title: colorName(color),
            onclick: () => void this.send({ op: "recolor", ids: colorable.map((i) => i.id), color }),
          }),
        );
      }
      bar.append(group);
    }
    const single = selected.length === 1 ? selected[0] : undefined;
    if (single !== undefined && (single.kind === "note" || single.kind === "label" || single.kind === "frame")) {
      const tags = h("div", { class: "tags", role: "group", "aria-label": t("tags") });
      for (const tag of single.tags) {
        tags.append(
          h(
            "span",
            { class: "tag" },
            `#${tag}`,
            h(
              "button",
              {
                type: "button",
                class: "tag-remove",
                "aria-label": t("removeTag", tag),
                onclick: () => void this.send({ op: "removeTag", id: single.id, tag }),
              },
              "×",
            ),
          ),
        );
      }
      const input = h("input", { type: "text", class: "tag-input", id: "tag-input", placeholder: t("addTag"), "aria-label": t("addTag"), size: 12 });
      input.addEventListener("keydown", (e) => {
        e.stopPropagation();
        if (e.key === "Enter" && input.value.trim() !== "") {
          const tag = input.value.trim().replace(/^#/, "");
          void this.send({ op: "addTag", id: single.id, tag }).then(() => (this.selectionBar.querySelector("#tag-input") as HTMLInputElement | null)?.focus());
        } else if (e.key === "Escape") {
          input.blur();
        }
      });
      tags.append(input);
      bar.append(tags);
      if (authorLine(single) !== "") bar.append(h("span", { class: "bar-text author" }, t("author", authorLine(single))));
      if (single.kind === "note") bar.append(...this.comments.barControls(single));
    }
    bar.append(
      ...this.cluster.buttons(selected),
      h("button", { type: "button", class: "ghost small", id: "btn-duplicate", onclick: () => void this.duplicate() }, t("duplicateSelection")),
      h("button", { type: "button", class: "ghost small", onclick: () => void this.send({ op: "bringToFront", ids }) }, t("bringToFront")),
      h("button", { type: "button", class: "ghost small", onclick: () => void this.send({ op: "sendToBack", ids }) }, t("sendToBack")),
      ...this.workshop.buttons(selected),
      h("button", { type: "button", class: "danger small", id: "btn-delete", onclick: () => void this.deleteSelection() }, t("deleteSelection")),
    );
  }

  private async deleteSelection(): Promise<void> {
    const ids = [...this.selection].filter((id) => this.items.has(id));
    if (ids.length === 0) return;
    this.selection.clear();
    this.updateSelectionBar();
    await this.send({ op: "delete", ids });
  }

  private async duplicate(): Promise<void> {
    const ids = [...this.movableSelection()];
    if (ids.length === 0) return;
    const outcome = await this.send({ op: "duplicate", ids, dx: 30, dy: 30 });
    if (outcome !== null && outcome.created.length > 0) this.setSelection(outcome.created.filter((id) => this.items.get(id)?.kind !== "connector"));
  }

  // ---------------------------------------------------------------- creating

  private setTool(tool: Tool): void {
    this.tool = tool;
    this.connectFrom = null;
    this.hover = null;
    for (const [name, button] of this.toolButtons) button.setAttribute("aria-pressed", String(name === tool));
    this.hint.hidden = tool !== "connect";
    this.hint.textContent = tool === "connect" ? t("connectHint") : "";
    this.updateCursor();
    this.requestFrame();
  }

  private async createAtCenter(kind: "note" | "frame" | "label"): Promise<void> {
    const { width, height } = this.size;
    const p = { x: this.viewport.x + width / 2 / this.viewport.zoom, y: this.viewport.y + height / 2 / this.viewport.zoom };
    // Successive notes from the keyboard do not pile up exactly.
    const offset = ([...this.items.values()].filter((i) => Math.abs(i.x + NOTE_W / 2 - p.x) < 4 && Math.abs(i.y + NOTE_H / 2 - p.y) < 4).length % 8) * 24;
    await this.createAt(kind, p.x + offset, p.y + offset);
  }

  private async createAt(kind: "note" | "frame" | "label", x: number, y: number): Promise<void> {
    if (this.preview !== null) return;
    const size = kind === "note" ? [NOTE_W, NOTE_H] : kind === "frame" ? [800, 600] : [240, 48];
    const [w = NOTE_W, hgt = NOTE_H] = size;
    const text = kind === "note" ? t("newNoteText") : kind === "frame" ? t("newFrameTitle") : t("newLabelText");
    const spec: ItemSpec = { kind, x: round(x - w / 2), y: round(y - hgt / 2), w, h: hgt, text };
    const outcome = await this.send({ op: "create", items: [spec], adopt: true });
    const id = outcome?.created[0];
    if (id !== undefined) {
      this.setSelection([id]);
      this.startEdit(id, true);
    }
  }

  private async connectClick(target: Item | null): Promise<void> {
    if (target === null || target.kind === "connector") {
      this.setTool("select");
      return;
    }
    if (this.connectFrom === null) {
      this.connectFrom = target.id;
      this.hint.textContent = t("connectHintTarget");
      this.requestFrame();
      return;
    }
    if (target.id === this.connectFrom) return;
    const from = this.connectFrom;
    this.setTool("select");
    const outcome = await this.send({ op: "create", items: [{ kind: "connector", x: 0, y: 0, from, to: target.id, text: "" }], adopt: false });
    const id = outcome?.created[0];
    if (id !== undefined) this.setSelection([id]);
  }

  // ---------------------------------------------------------------- editing

  startEdit(id: string, selectAll = false): void {
    if (this.preview !== null) return;
    const item = this.items.get(id);
    if (item === undefined) return;
    if (this.workshop.lockedForMe(id)) {
      toast(t("lockedRefused"), undefined, true);
      return;
    }
    this.commitEdit();
    const area = h("textarea", {
      class: `editor editor-${item.kind}`,
      id: "editor",
      "aria-label": `${kindName(item.kind)}: ${t("editing")}`,
      spellcheck: "true",
    });
    area.value = item.text;
    if (item.kind === "note") {
      area.style.background = hex(item.color);
      area.style.color = isDark(item.color) ? "#ffffff" : "#1e1b16";
    }
    area.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Escape" || (e.key === "Enter" && (e.ctrlKey || item.kind !== "note"))) {
        e.preventDefault();
        this.commitEdit(true);
      }
    });
    area.addEventListener("input", () => this.placeEditor());
    area.addEventListener("blur", () => {
      if (this.editing?.area === area) this.commitEdit();
    });
    this.editing = { id, area, original: item.text };
    this.stage.append(area);
    if (this.viewport.zoom < 0.8 && item.kind !== "frame") {
      // Typing on a note too small to read: bring it to 100 % first.
      const { width, height } = this.size;
      this.setViewport({ x: item.x + item.w / 2 - width / 2, y: item.y + item.h / 2 - height / 2, zoom: 1 });
    } else {
      this.centerOn(item);
    }
    this.placeEditor();
    area.focus();
    if (selectAll) area.select();
    else area.setSelectionRange(area.value.length, area.value.length);
    this.requestFrame();
  }

  private placeEditor(): void {
    if (this.editing === null) return;
    const item = this.items.get(this.editing.id);
    if (item === undefined) return;
    const { zoom, x, y } = this.viewport;
    const area = this.editing.area;
    let rect: Rect = item;
    if (item.kind === "connector") {
      const from = item.from === null ? undefined : this.items.get(item.from);
      const to = item.to === null ? undefined : this.items.get(item.to);
      if (from !== undefined && to !== undefined) {
        const [x1, y1, x2, y2] = connectorLine(from, to);
        rect = { x: (x1 + x2) / 2 - 110, y: (y1 + y2) / 2 - 20, w: 220, h: 40 };
      }
    } else if (item.kind === "frame") {
      rect = { x: item.x, y: item.y, w: item.w, h: FRAME_BAND };
    }
    area.style.left = `${(rect.x - x) * zoom}px`;
    area.style.top = `${(rect.y - y) * zoom}px`;
    area.style.width = `${rect.w * zoom}px`;
    area.style.height = `${rect.h * zoom}px`;
    let size = 18;
    if (item.kind === "note" || item.kind === "label") {
      const inner = noteInner(item);
      size = fitText(area.value, inner.w, inner.h, item.kind === "label" ? Math.min(40, Math.max(12, inner.h * 0.7)) : 22).size;
      area.style.padding = `${(item.kind === "note" ? 14 : 4) * zoom}px`;
    } else if (item.kind === "frame") {
      size = 24;
      area.style.padding = `${4 * zoom}px ${14 * zoom}px`;
    }
    area.style.fontSize = `${size * zoom}px`;
    area.style.lineHeight = "1.25";
    area.style.fontFamily = FONT;
    area.style.fontWeight = item.kind === "note" || item.kind === "connector" ? "normal" : "bold";
  }

  /** Ends editing; the text goes to the backend as one change. */
  private commitEdit(refocus = false): void {
    const editing = this.editing;
    if (editing === null) return;
    this.editing = null;
    const text = editing.area.value;
    const hadFocus = document.activeElement === editing.area;
    editing.area.remove();
    if (text !== editing.original && this.items.has(editing.id)) {
      void this.send(textIntent(editing.id, editing.original, text));
    }
    if (refocus || hadFocus) this.focusListItem(editing.id);
    this.requestFrame();
  }

  // ---------------------------------------------------------------- keyboard

  private keydown(event: KeyboardEvent): void {
    if (document.querySelector("dialog[open]") !== null) return;
    const target = event.target as HTMLElement;
    // Keys in a popup menu belong to the menu, not to the board's shortcuts.
    if (target.closest('[role="menu"]') !== null) return;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
    if (typing) return;
    if (this.workshop.key(event, this.focused)) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (key === " " && !(target instanceof HTMLButtonElement && !target.closest(".item-list"))) {
      this.spaceDown = true;
      this.updateCursor();
      event.preventDefault();
      return;
    }
    if (ctrl && (key === "z" || key === "Z") && !event.shiftKey) {
      event.preventDefault();
      void this.undo();
    } else if (ctrl && ((key === "z" || key === "Z") && event.shiftKey || key === "y" || key === "Y")) {
      event.preventDefault();
      void this.redo();
    } else if (ctrl && (key === "d" || key === "D")) {
      event.preventDefault();
      void this.duplicate();
    } else if (ctrl && (key === "a" || key === "A")) {
      event.preventDefault();
      this.setSelection([...this.items.values()].filter((i) => i.kind !== "connector").map((i) => i.id));
    } else if (ctrl && (key === "c" || key === "C")) {
      this.copySelection();
    } else if (ctrl && (key === "v" || key === "V")) {
      this.pasteHandled = false;
      window.setTimeout(() => {
        if (!this.pasteHandled && this.clipboard !== null) void this.pasteSpecs(this.clipboard.specs);
      }, 150);
    } else if (ctrl && (key === "+" || key === "=")) {
      event.preventDefault();
      this.zoomBy(1.25);
    } else if (ctrl && key === "-") {
      event.preventDefault();
      this.zoomBy(1 / 1.25);
    } else if (ctrl && key.startsWith("Arrow")) {
      event.preventDefault();
      const step = event.shiftKey ? 100 : 20;
      const [dx, dy] = arrow(key, step);
      const ids = [...this.movableSelection()];
      if (ids.length > 0) void this.send({ op: "move", ids, dx, dy, adopt: true });
    } else if (ctrl || event.altKey) {
      return;
    } else if (key === "Delete" || key === "Backspace") {
      if (this.selection.size > 0) {
        event.preventDefault();
        void this.deleteSelection();
      }
    } else if (key === "Escape") {
      if (this.tool !== "select") this.setTool("select");
      else if (this.preview !== null) this.endPreview();
      else this.setSelection([]);
    } else if (key === "Enter" && this.selection.size === 1 && (target === document.body || target.closest(".item-list") !== null || target === this.canvas)) {
      event.preventDefault();
      const [id] = this.selection;
      if (id !== undefined) this.startEdit(id);
    } else if (key.startsWith("Arrow") && target.closest(".item-list") !== null) {
      event.preventDefault();
      this.navigate(key);
    } else if (key === "?") {
      event.preventDefault();
      void this.showHelp();
    } else if (target.closest("button, a") !== null && target.closest(".item-list") === null && key === "Enter") {
      return;
    } else if (key === "n" || key === "N") {
      event.preventDefault();
      void this.createAtCenter("note");
    } else if (key === "f" || key === "F") {
      this.setTool("frame");
    } else if (key === "t" || key === "T") {
      this.setTool("label");
    } else if (key === "c" || key === "C") {
      this.setTool("connect");
    } else if (key === "v" || key === "V") {
      this.setTool("select");
    } else if (key === "+") {
      this.zoomBy(1.25);
    } else if (key === "-") {
      this.zoomBy(1 / 1.25);
    } else if (key === "0") {
      this.zoomToFit(true);
    }
  }

  /** Arrow keys move focus to the nearest item in that direction. */
  private navigate(key: string): void {
    const current = this.focused === null ? undefined : this.items.get(this.focused);
    const candidates = [...this.items.values()].filter((i) => i.kind !== "connector" && i.id !== current?.id);
    if (current === undefined) {
      const first = candidates[0];
      if (first !== undefined) this.focusListItem(first.id);
      return;
    }
    const cx = current.x + current.w / 2;
    const cy = current.y + current.h / 2;
    const [dx, dy] = arrow(key, 1);
    let best: Item | null = null;
    let bestScore = Infinity;
    for (const item of candidates) {
      const ix = item.x + item.w / 2 - cx;
      const iy = item.y + item.h / 2 - cy;
      const along = ix * dx + iy * dy;
      if (along <= 0) continue;
      const across = Math.abs(ix * dy - iy * dx);
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = item;
      }
    }
    if (best !== null) this.focusListItem(best.id);
  }

  // ---------------------------------------------------------------- clipboard

  private copySelection(): void {
    const items = [...this.selection].map((id) => this.items.get(id)).filter((i): i is Item => i !== undefined && i.kind !== "connector");
    if (items.length === 0) return;
    const box = bounds(items);
    const specs: ItemSpec[] = items.map((i) => ({
      kind: i.kind,
      x: i.x - (box?.x ?? 0),
      y: i.y - (box?.y ?? 0),
      w: i.w,
      h: i.h,
      color: i.color,
      text: i.text,
      tags: i.tags,
    }));
    this.clipboard = { text: items.map((i) => i.text).join("\n"), specs };
  }

  private copy(event: ClipboardEvent): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    this.copySelection();
    if (this.clipboard !== null && event.clipboardData !== null) {
      event.clipboardData.setData("text/plain", this.clipboard.text);
      event.preventDefault();
    }
  }

  private paste(event: ClipboardEvent): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    if (this.preview !== null) return;
    this.pasteHandled = true;
    event.preventDefault();
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (this.clipboard !== null && (text === "" || text === this.clipboard.text)) {
      void this.pasteSpecs(this.clipboard.specs);
      return;
    }
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
    if (lines.length === 0) return;
    const cols = Math.ceil(Math.sqrt(lines.length));
    const specs: ItemSpec[] = lines.slice(0, 500).map((line, i) => ({
      kind: "note",
      x: (i % cols) * (NOTE_W + 24),
      y: Math.floor(i / cols) * (NOTE_H + 24),
      w: NOTE_W,
      h: NOTE_H,
      text: line,
    }));
    void this.pasteSpecs(specs);
  }

  private async pasteSpecs(specs: ItemSpec[]): Promise<void> {
    const { width, height } = this.size;
    const box = bounds(specs.map((s) => ({ ...specItem(s) })));
    const cx = this.viewport.x + width / 2 / this.viewport.zoom - (box?.w ?? 0) / 2;
    const cy = this.viewport.y + height / 2 / this.viewport.zoom - (box?.h ?? 0) / 2;
    const items = specs.map((s) => ({ ...s, x: round(s.x + cx), y: round(s.y + cy) }));
    const outcome = await this.send({ op: "create", items, adopt: true });
    if (outcome !== null) {
      this.setSelection(outcome.created);
      this.announce(t("pasted", outcome.created.length));
    }
  }

  // ---------------------------------------------------------------- accessibility

  private a11yTimer = 0;

  private scheduleA11y(): void {
    if (this.a11yTimer !== 0) return;
    // Built after the first paint, so a big board shows at once.
    this.a11yTimer = window.setTimeout(() => {
      this.a11yTimer = 0;
      this.buildA11y();
    }, 50);
  }

  private a11yUpdate(id: string): void {
    if (this.a11yDirty) return;
    const item = this.items.get(id);
    const existing = this.a11yItems.get(id);
    if (item === undefined || item.kind === "connector" && (item.from === null || item.to === null)) {
      existing?.remove();
      this.a11yItems.delete(id);
      return;
    }
    if (existing !== undefined) {
      const button = existing.firstElementChild as HTMLButtonElement | null;
      if (button !== null) {
        button.setAttribute("aria-label", this.describe(item));
        for (const [key, value] of Object.entries(geometryData(item))) button.setAttribute(key, value);
      }
    } else {
      const li = this.a11yEntry(item);
      this.a11yItems.set(id, li);
      this.list.append(li);
    }
  }

  private buildA11y(): void {
    if (this.closed) return;
    this.a11yDirty = false;
    const items = [...this.items.values()].sort((a, b) => (a.kind === "frame" ? 0 : 1) - (b.kind === "frame" ? 0 : 1) || a.y - b.y || a.x - b.x);
    this.a11yItems.clear();
    const fragment = document.createDocumentFragment();
    for (const item of items) {
      const li = this.a11yEntry(item);
      this.a11yItems.set(item.id, li);
      fragment.append(li);
    }
    this.list.replaceChildren(fragment);
    const first = this.list.querySelector("button");
    if (first !== null) first.tabIndex = 0;
  }

  private a11yEntry(item: Item): HTMLLIElement {
    return h(
      "li",
      {},
      h("button", { type: "button", tabindex: "-1", "aria-label": this.describe(item), ...geometryData(item) }, kindName(item.kind)),
    );
  }

  private describe(item: Item): string {
    const text = item.text.trim() === "" ? t("emptyText") : item.text;
    if (item.kind === "connector") {
      const from = item.from === null ? undefined : this.items.get(item.from);
      const to = item.to === null ? undefined : this.items.get(item.to);
      return `${kindName(item.kind)}: ${from?.text ?? ""} → ${to?.text ?? ""}${item.text !== "" ? ` (${item.text})` : ""}`;
    }
    const parts = [t("itemDescription", kindName(item.kind), text)];
    if (item.kind === "note") parts.push(colorName(item.color));
    parts.push(...this.workshop.describe(item));
    if (item.tags.length > 0) parts.push(item.tags.map((tag) => `#${tag}`).join(" "));
    if (item.author !== "") parts.push(t("author", item.author));
    parts.push(...annotationParts(item));
    const parent = item.parent === null ? undefined : this.items.get(item.parent);
    if (parent !== undefined) parts.push(t("inFrame", parent.text));
    return parts.join(", ");
  }

  private focusListItem(id: string): void {
    if (this.a11yDirty) this.buildA11y();
    const button = this.a11yItems.get(id)?.firstElementChild as HTMLButtonElement | null | undefined;
    if (button === null || button === undefined) return;
    for (const other of this.list.querySelectorAll<HTMLButtonElement>('button[tabindex="0"]')) other.tabIndex = -1;
    button.tabIndex = 0;
    button.focus({ preventScroll: true });
  }

  private focusItem(id: string, fromPointer: boolean): void {
    const item = this.items.get(id);
    if (item === undefined) return;
    this.focused = id;
    for (const other of this.list.querySelectorAll<HTMLButtonElement>('button[tabindex="0"]')) {
      if (other.dataset["id"] !== id) other.tabIndex = -1;
    }
    const button = this.a11yItems.get(id)?.firstElementChild as HTMLButtonElement | null | undefined;
    if (button !== null && button !== undefined) button.tabIndex = 0;
    if (!fromPointer) {
      if (!this.selection.has(id) || this.selection.size !== 1) this.setSelection([id]);
      if (item.kind !== "connector") this.centerOn(item);
    }
    this.requestFrame();
  }

  private announce(message: string): void {
    this.live.textContent = message;
  }

  // ---------------------------------------------------------------- panels

  private async showHelp(): Promise<void> {
    const dialog = h("dialog", { class: "modal help", "aria-labelledby": "help-title", id: "help" });
    const table = h("table", {}, h("caption", { class: "sr-only" }, t("helpTitle")));
    const body = h("tbody");
    for (const [keys, what] of strings().shortcuts) {
      body.append(h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, keys)), h("td", {}, what)));
    }
    table.append(body);
    const close = h("button", { type: "button", class: "primary", onclick: () => dialog.close() }, t("close"));
    dialog.append(h("h2", { id: "help-title" }, t("helpTitle")), table, h("div", { class: "modal-buttons" }, close));
    const previous = document.activeElement as HTMLElement | null;
    dialog.addEventListener("close", () => {
      dialog.remove();
      previous?.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
  }

  private async toggleRevisions(): Promise<void> {
    const button = this.root.querySelector("#btn-revisions");
    if (!this.side.hidden) {
      this.side.hidden = true;
      button?.setAttribute("aria-expanded", "false");
      if (this.preview !== null) this.endPreview();
      return;
    }
    this.side.hidden = false;
    button?.setAttribute("aria-expanded", "true");
    await this.renderRevisions();
    (this.side.querySelector("input") as HTMLInputElement | null)?.focus();
  }

  private async renderRevisions(): Promise<void> {
    let revisions: RevisionMeta[] = [];
    try {
      revisions = await this.host.backend.listRevisions(this.boardId);
    } catch (cause) {
      showError(cause);
    }
    const input = h("input", { type: "text", id: "revision-name", placeholder: t("revisionNamePlaceholder") });
    const form = h(
      "form",
      { class: "revision-form" },
      h("label", { for: "revision-name" }, t("revisionName")),
      input,
      h("button", { type: "submit", class: "primary", id: "save-revision" }, t("saveRevision")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = input.value.trim();
      void (async () => {
        try {
          await this.queue;
          await this.host.backend.createRevision(this.boardId, name);
          toast(t("revisionSaved", name));
          await this.renderRevisions();
        } catch (cause) {
          showError(cause);
        }
      })();
    });
    const list = h("ul", { class: "revision-list" });
    for (const revision of revisions) {
      list.append(
        h(
          "li",
          { "data-revision": revision.name },
          h("span", { class: "revision-name" }, revision.name),
          h("span", { class: "card-meta" }, formatDate(revision.created_at)),
          h(
            "div",
            { class: "revision-actions" },
            h("button", { type: "button", class: "small", "aria-label": `${t("preview")}: ${revision.name}`, onclick: () => void this.startPreview(revision) }, t("preview")),
            h(
              "button",
              { type: "button", class: "small", "data-action": "restore", "aria-label": `${t("restore")}: ${revision.name}`, onclick: () => void this.restoreRevision(revision) },
              t("restore"),
            ),
          ),
        ),
      );
    }
    clear(this.side);
    this.side.append(
      h(
        "div",
        { class: "side-head" },
        h("h2", { id: "revisions-title" }, t("revisionsTitle")),
        h("button", { type: "button", class: "icon ghost", "aria-label": t("close"), onclick: () => void this.toggleRevisions() }, "×"),
      ),
      h("p", { class: "explain" }, t("revisionsExplain")),
      form,
      revisions.length === 0 ? h("p", { class: "empty" }, t("noRevisions")) : list,
    );
  }

  private async startPreview(revision: RevisionMeta): Promise<void> {
    this.commitEdit();
    try {
      const items = await this.host.backend.revisionItems(revision.id);
      const map = new Map(items.map((i) => [i.id, i]));
      this.preview = { revision, items: map, ordered: drawOrder(items) };
    } catch (cause) {
      showError(cause);
      return;
    }
    this.setSelection([]);
    this.minimapDirty = true;
    this.stage.classList.add("previewing");
    clear(this.banner);
    this.banner.append(
      h("strong", {}, t("previewBanner", revision.name)),
      h("button", { type: "button", class: "primary small", onclick: () => void this.restoreRevision(revision) }, t("restoreRevision")),
      h("button", { type: "button", class: "small", id: "end-preview", onclick: () => this.endPreview() }, t("endPreview")),
    );
    this.banner.hidden = false;
    this.updateButtons();
    this.requestFrame();
    (this.banner.querySelector("#end-preview") as HTMLElement | null)?.focus();
  }

  private endPreview(): void {
    this.preview = null;
    this.banner.hidden = true;
    this.stage.classList.remove("previewing");
    this.minimapDirty = true;
    this.updateButtons();
    this.requestFrame();
  }

  private async restoreRevision(revision: RevisionMeta): Promise<void> {
    const ok = await modal({ title: t("restoreRevision"), message: t("confirmRestore", revision.name), confirm: t("restore") });
    if (ok === null) return;
    this.endPreview();
    const outcome = await this.run(() => this.host.backend.restoreRevision(this.boardId, revision.id));
    if (outcome !== null) toast(t("revisionRestored", revision.name));
  }
}

/** Where an item is, on its entry in the accessible list (also read by the end-to-end tests). */
function geometryData(item: Item): Record<string, string> {
  return {
    "data-id": item.id,
    "data-kind": item.kind,
    "data-x": String(item.x),
    "data-y": String(item.y),
    "data-parent": item.parent ?? "",
    "data-text": item.text,
  };
}

function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number.isFinite(zoom) ? zoom : 1));
}

function round(value: number): number {
  return Math.round(value);
}

function arrow(key: string, step: number): [number, number] {
  switch (key) {
    case "ArrowLeft":
      return [-step, 0];
    case "ArrowRight":
      return [step, 0];
    case "ArrowUp":
      return [0, -step];
    default:
      return [0, step];
  }
}

function kindName(kind: ItemKind): string {
  switch (kind) {
    case "note":
      return t("kindNote");
    case "frame":
      return t("kindFrame");
    case "label":
      return t("kindLabel");
    default:
      return t("kindConnector");
  }
}

function specItem(spec: ItemSpec): Item {
  return looseItem({ kind: spec.kind, x: spec.x, y: spec.y, w: spec.w ?? NOTE_W, h: spec.h ?? NOTE_H, color: spec.color ?? "yellow", text: spec.text });
}

/**
 * The smallest splice from `before` to `after` in UTF-16 offsets, as an
 * editText intent, so concurrent edits by others merge; setText otherwise.
 */
export function textIntent(id: string, before: string, after: string): Intent {
  let start = 0;
  while (start < before.length && start < after.length && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  // Never split a surrogate pair.
  const isLow = (s: string, i: number): boolean => i > 0 && i < s.length && (s.charCodeAt(i) & 0xfc00) === 0xdc00;
  if (isLow(before, start) || isLow(after, start)) start--;
  if (isLow(before, endB) || isLow(after, endA)) {
    endB++;
    endA++;
  }
  if (start < 0 || endB > before.length || endA > after.length) return { op: "setText", id, text: after };
  return { op: "editText", id, index: start, delete: endB - start, insert: after.slice(start, endA) };
}
