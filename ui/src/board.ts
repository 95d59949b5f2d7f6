// An open board: puts the canvas, the camera, gestures, the editor, the
// clipboard, the minimap, the accessible list and the panels together, and
// owns what they share: the items, the selection and the tool. The view
// only shows what the backend confirmed: every action is an intent, and the
// returned changes update the view. Most of its length is the wiring of
// those parts (each gets a small host interface); what they do is in their
// own modules.

import type { Backend, BoardView, ExportFormat, Imported, Intent, Item, Outcome } from "./backend";
import { Camera, clampZoom } from "./camera";
import { BoardClipboard } from "./clipboard";
import { ClusterTools } from "./cluster";
import { CommentPanel } from "./comments";
import { clear, fileName, h, showError, toast } from "./dom";
import { TextEditor } from "./editor";
import { BOARD_FORMATS, exportMenu, runExport } from "./export";
import { bounds, changedAreas, drawOrder, nearestInDirection, NOTE_H, NOTE_W } from "./geometry";
import { Gestures, type Tool } from "./gestures";
import { showHelp } from "./help";
import { hitTest, onResizeHandle } from "./hit";
import { t } from "./i18n";
import { chooseImport } from "./import";
import { ItemList } from "./item-list";
import { boardKey, type KeyboardHost } from "./keyboard";
import { LiveBoard } from "./live";
import { Minimap } from "./minimap";
import { Renderer, type DrawState } from "./render";
import { RevisionsPanel } from "./revisions";
import { SelectionBar } from "./selection-bar";
import { drawParticipants, showShareDialog } from "./share";
import { iconButton, Toolbar } from "./toolbar";
import { Workshop } from "./workshop";

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
  private tool: Tool = "select";
  private connectFrom: string | null = null;
  private canUndo = false;
  private canRedo = false;
  private pending = 0;
  private failed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private frameRequested = false;
  /** Live sharing: status line, listeners, presence. */
  private readonly sync: LiveBoard;
  private closed = false;
  private title: string;
  /** Timer, voting, private writing, presenting and locks (docs/workshop.md). */
  private readonly workshop: Workshop;
  private readonly cluster: ClusterTools;
  private readonly comments: CommentPanel;
  private readonly camera: Camera;
  private readonly gestures: Gestures;
  private readonly editor: TextEditor;
  private readonly clipboard: BoardClipboard;
  private readonly minimap: Minimap;
  private readonly list: ItemList;
  private readonly revisions: RevisionsPanel;
  private readonly selectionBar: SelectionBar;

  private readonly stage: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly renderer: Renderer;
  private readonly status: HTMLElement;
  private readonly live: HTMLElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;
  private readonly toolbar: Toolbar;
  private readonly titleEl: HTMLElement;
  private readonly resizeObserver: ResizeObserver;
  private readonly onKey = (event: KeyboardEvent): void => boardKey(event, this.keys);
  private readonly onKeyUp = (event: KeyboardEvent): void => {
    if (event.key === " ") this.gestures.setSpace(false);
  };
  private readonly onPaste = (event: ClipboardEvent): void => this.clipboard.onPaste(event);
  private readonly onCopy = (event: ClipboardEvent): void => this.clipboard.onCopy(event);

  constructor(
    private readonly root: HTMLElement,
    private readonly host: BoardHost,
    private readonly boardId: string,
    view: BoardView,
  ) {
    this.title = view.meta.title;
    for (const item of view.items) this.items.set(item.id, item);
    this.canUndo = view.canUndo;
    this.canRedo = view.canRedo;

    this.canvas = h("canvas", { class: "board-canvas", "aria-hidden": "true" });
    const ctx = this.canvas.getContext("2d", { alpha: true });
    if (ctx === null) throw new Error("canvas 2d unavailable");
    this.renderer = new Renderer(ctx, () => this.requestFrame());
    this.status = h("span", { class: "save-state", id: "save-state", role: "status" }, t("saved"));
    this.live = h("div", { class: "sr-only", "aria-live": "polite" });
    this.undoButton = iconButton("undo", "↶", t("undo"), () => void this.undo(), "Strg+Z");
    this.redoButton = iconButton("redo", "↷", t("redo"), () => void this.redo(), "Strg+Umschalt+Z");
    this.titleEl = h("h1", { class: "board-title", id: "board-title" }, this.title);

    const size = (): { width: number; height: number } => this.size;
    this.sync = new LiveBoard({
      backend: host.backend,
      boardId,
      itemIds: () => this.items.keys(),
      selection: () => [...this.selection],
      closed: () => this.closed,
      apply: (outcome) => this.applyOutcome(outcome),
      statusChanged: (status) => {
        this.root.classList.toggle("read-only", status?.readOnly === true);
        this.requestFrame();
      },
    });
    this.camera = new Camera({
      backend: host.backend,
      boardId,
      size,
      moved: () => {
        this.requestFrame();
        this.workshop.viewChanged();
      },
      redraw: () => this.requestFrame(),
    });
    this.workshop = new Workshop({
      backend: host.backend,
      boardId,
      items: () => this.items,
      selection: () => [...this.selection],
      viewport: () => this.camera.viewport,
      size,
      showCenter: (x, y, zoom) => this.camera.showCenter(x, y, zoom),
      showRect: (rect) => this.camera.fitRect(rect),
      applyLocal: (items, removed) =>
        this.applyOutcome({ created: [], changes: { items, removed, title: null }, canUndo: this.canUndo, canRedo: this.canRedo }),
      undoState: () => ({ canUndo: this.canUndo, canRedo: this.canRedo }),
      redraw: () => this.workshopChanged(),
      announce: (message) => this.announce(message),
    });
    this.list = new ItemList({
      items: () => this.items,
      describeExtra: (item) => this.workshop.describe(item),
      closed: () => this.closed,
      focused: (id) => this.focusItem(id, false),
      left: () => {
        this.focused = null;
        this.requestFrame();
      },
    });
    this.stage = h("div", { class: "stage", id: "stage" }, this.canvas, this.list.element);
    this.editor = new TextEditor({
      stage: this.stage,
      camera: this.camera,
      items: () => this.items,
      size,
      previewing: () => this.previewing,
      lockedForMe: (id) => this.workshop.lockedForMe(id),
      send: (intent) => void this.send(intent),
      focusListItem: (id) => this.list.focus(id),
      requestFrame: () => this.requestFrame(),
    });
    this.gestures = new Gestures({
      canvas: this.canvas,
      camera: this.camera,
      items: () => this.items,
      tool: () => this.tool,
      setTool: (tool) => this.setTool(tool),
      previewing: () => this.previewing,
      selection: () => this.selection,
      setSelection: (ids) => this.setSelection(ids),
      movableSelection: () => this.movableSelection(),
      hit: (x, y) => hitTest(this.order(), this.items, x, y, this.camera.viewport.zoom),
      resizeHandle: (x, y) => this.resizeHandle(x, y),
      commitEdit: () => this.editor.commit(),
      createAt: (kind, x, y) => void this.createAt(kind, x, y),
      connectClick: (target) => void this.connectClick(target),
      startEdit: (id) => this.startEdit(id),
      workshopPointer: (target, p) => this.workshop.pointer(target, p),
      voting: () => this.workshop.voting(),
      send: (intent) => void this.send(intent),
      pointerAt: (p) => this.sync.presence(p),
      requestFrame: () => this.requestFrame(),
    });
    this.clipboard = new BoardClipboard({
      selected: () => [...this.selection].map((id) => this.items.get(id)).filter((i): i is Item => i !== undefined),
      previewing: () => this.previewing,
      center: () => this.camera.center(),
      send: (intent) => this.send(intent),
      setSelection: (ids) => this.setSelection(ids),
      announce: (message) => this.announce(message),
    });
    this.minimap = new Minimap({ camera: this.camera, size });
    this.revisions = new RevisionsPanel({
      backend: host.backend,
      boardId,
      button: () => this.root.querySelector("#btn-revisions"),
      commitEdit: () => this.editor.commit(),
      settled: () => this.queue,
      run: (call) => this.run(call),
      previewChanged: (previewing) => {
        if (previewing) this.setSelection([]);
        this.minimap.invalidate();
        this.stage.classList.toggle("previewing", previewing);
        this.updateButtons();
        this.requestFrame();
      },
    });

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
    this.toolbar = new Toolbar(
      {
        createNote: () => void this.createAtCenter("note"),
        setTool: (tool) => this.setTool(tool),
        zoomBy: (factor) => this.camera.zoomBy(factor),
        zoomToFit: () => this.zoomToFit(true),
      },
      this.cluster.toggle,
    );
    this.selectionBar = new SelectionBar({
      send: (intent) => this.send(intent),
      duplicate: () => void this.duplicate(),
      deleteSelection: () => void this.deleteSelection(),
      noteControls: (note) => this.comments.barControls(note),
      clusterButtons: (selected) => this.cluster.buttons(selected),
      workshopButtons: (selected) => this.workshop.buttons(selected),
    });

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.build();
    if (view.loadIssues.length > 0) toast(t("loadIssues"), undefined, true);
    if (view.viewport !== null) {
      this.camera.place({ ...view.viewport, zoom: clampZoom(view.viewport.zoom) });
    }
    this.resize();
    if (view.viewport === null) this.camera.zoomToFit(bounds(this.visibleItems().values()), false);
    this.updateButtons();
    void this.sync.connect();
    void this.workshop.start();
  }

  // ---------------------------------------------------------------- sharing

  private async share(): Promise<void> {
    this.editor.commit();
    await this.queue.catch(() => undefined);
    await showShareDialog(this.host.backend, this.boardId, (status) => this.sync.show(status));
  }

  /** Dims of the stage in CSS pixels. */
  private get size(): { width: number; height: number } {
    return { width: this.stage.clientWidth, height: this.stage.clientHeight };
  }

  private get previewing(): boolean {
    return this.revisions.preview !== null;
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
    this.editor.commit();
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
    this.editor.commit();
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
      this.sync.indicator.element,
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
        h("button", { type: "button", id: "btn-revisions", "aria-expanded": "false", onclick: () => void this.revisions.toggle() }, t("revisions")),
        h("button", { type: "button", id: "btn-help", "aria-haspopup": "dialog", onclick: () => showHelp() }, "?", h("span", { class: "sr-only" }, ` ${t("help")}`)),
      ),
    );
    const mapBox = h("div", { class: "minimap-box", title: t("overviewMap") }, this.minimap.element);
    const main = h(
      "main",
      { class: "board-main", "aria-label": this.title },
      this.stage,
      this.toolbar.tools,
      this.selectionBar.element,
      this.revisions.banner,
      this.toolbar.hint,
      this.toolbar.zoom,
      mapBox,
      this.workshop.strip,
      this.workshop.panel,
      this.revisions.element,
      this.cluster.element,
      this.comments.element,
      this.live,
    );
    clear(this.root);
    this.root.append(header, main);

    document.addEventListener("keydown", this.onKey);
    document.addEventListener("keyup", this.onKeyUp);
    document.addEventListener("paste", this.onPaste);
    document.addEventListener("copy", this.onCopy);
    this.resizeObserver.observe(this.stage);
  }

  // ---------------------------------------------------------------- lifecycle

  async leave(): Promise<void> {
    if (this.closed) return;
    this.editor.commit();
    await this.queue.catch(() => undefined);
    await this.camera.flush();
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
    this.sync.dispose();
    this.workshop.dispose();
    document.removeEventListener("keydown", this.onKey);
    document.removeEventListener("keyup", this.onKeyUp);
    document.removeEventListener("paste", this.onPaste);
    document.removeEventListener("copy", this.onCopy);
    this.resizeObserver.disconnect();
    this.camera.dispose();
    this.list.dispose();
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
    this.renderer.invalidate(changedAreas(this.items, outcome));
    for (const item of outcome.changes.items) {
      this.items.set(item.id, item);
      this.renderer.forget(item.id);
      this.list.update(item.id);
    }
    for (const id of outcome.changes.removed) {
      this.items.delete(id);
      this.renderer.forget(id);
      this.selection.delete(id);
      this.list.update(id);
      if (this.focused === id) this.focused = null;
    }
    if (outcome.changes.title !== null) {
      this.title = outcome.changes.title;
      this.titleEl.textContent = this.title;
    }
    this.canUndo = outcome.canUndo;
    this.canRedo = outcome.canRedo;
    this.orderDirty = true;
    this.minimap.invalidate();
    this.updateButtons();
    this.updateSelectionBar();
    this.cluster.changed();
    this.comments.refresh();
    this.requestFrame();
  }

  private updateStatus(): void {
    this.status.classList.toggle("busy", this.pending > 0);
    this.status.classList.toggle("failed", this.failed && this.pending === 0);
    this.status.textContent = this.pending > 0 ? t("saving") : this.failed ? t("saveFailed") : t("saved");
  }

  private updateButtons(): void {
    this.undoButton.disabled = !this.canUndo || this.previewing;
    this.redoButton.disabled = !this.canRedo || this.previewing;
  }

  private async undo(): Promise<void> {
    if (this.previewing || !this.canUndo) return;
    this.editor.commit();
    await this.run(() => this.host.backend.undo(this.boardId));
  }

  private async redo(): Promise<void> {
    if (this.previewing || !this.canRedo) return;
    this.editor.commit();
    await this.run(() => this.host.backend.redo(this.boardId));
  }

  // ---------------------------------------------------------------- view

  private visibleItems(): Map<string, Item> {
    return this.revisions.preview?.items ?? this.items;
  }

  private order(): Item[] {
    const preview = this.revisions.preview;
    if (preview !== null) return preview.ordered;
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
    const viewport = this.camera.viewport;
    const state: DrawState = {
      viewport,
      width,
      height,
      dpr: window.devicePixelRatio || 1,
      selection: this.selection,
      focused: this.focused,
      editing: this.editor.id,
      ...this.gestures.feedback(),
      ...(this.previewing ? {} : { decorate: this.workshop.decorate }),
      connectFrom: this.connectFrom,
      hover: this.tool === "connect" ? this.gestures.hover : null,
      outlined: this.cluster.outlined,
    };
    const started = performance.now();
    this.renderer.draw(this.order(), this.visibleItems(), state);
    const others = this.sync.status?.participants ?? [];
    if (others.length > 0) {
      const ctx = this.canvas.getContext("2d");
      if (ctx !== null) {
        ctx.setTransform(state.dpr, 0, 0, state.dpr, 0, 0);
        const { x: vx, y: vy, zoom } = viewport;
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
    const zoom = viewport.zoom;
    const grid = 32 * zoom;
    this.stage.style.backgroundSize = `${grid}px ${grid}px`;
    this.stage.style.backgroundPosition = `${-viewport.x * zoom}px ${-viewport.y * zoom}px`;
    this.stage.dataset["drawn"] = String(this.renderer.lastDrawn);
    this.stage.dataset["tiled"] = this.renderer.lastTiled ? "1" : this.renderer.lastScaled ? "scaled" : "0";
    this.stage.dataset["zoom"] = String(zoom);
    this.stage.dataset["vx"] = String(viewport.x);
    this.stage.dataset["vy"] = String(viewport.y);
    this.toolbar.showZoom(zoom);
    if (this.editor.id !== null) this.editor.place();
    this.minimap.draw(this.order());
    this.list.scheduleBuild();
  }

  private zoomToFit(save: boolean): void {
    this.camera.zoomToFit(bounds(this.visibleItems().values()), save);
  }

  /** The workshop state changed: votes, locks and drafts in the descriptions and the selection bar. */
  private workshopChanged(): void {
    this.list.relabel();
    if (!this.selectionBar.element.contains(document.activeElement)) this.updateSelectionBar();
    this.requestFrame();
  }

  /** The selected item whose resize handle is at (x, y); locked items have none. */
  private resizeHandle(x: number, y: number): Item | null {
    if (this.selection.size !== 1) return null;
    const [id] = this.selection;
    const item = id === undefined ? undefined : this.items.get(id);
    if (item === undefined || item.kind === "connector" || this.workshop.lockedForMe(item.id)) return null;
    return onResizeHandle(item, x, y, this.camera.viewport.zoom) ? item : null;
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
    const selected = [...this.selection].map((id) => this.items.get(id)).filter((i): i is Item => i !== undefined);
    this.selectionBar.update(selected, this.previewing);
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
    this.gestures.hover = null;
    this.toolbar.showTool(tool);
    this.gestures.updateCursor();
    this.requestFrame();
  }

  private async createAtCenter(kind: "note" | "frame" | "label"): Promise<void> {
    const p = this.camera.center();
    // Successive notes from the keyboard do not pile up exactly.
    const offset = ([...this.items.values()].filter((i) => Math.abs(i.x + NOTE_W / 2 - p.x) < 4 && Math.abs(i.y + NOTE_H / 2 - p.y) < 4).length % 8) * 24;
    await this.createAt(kind, p.x + offset, p.y + offset);
  }

  private async createAt(kind: "note" | "frame" | "label", x: number, y: number): Promise<void> {
    if (this.previewing) return;
    const size = kind === "note" ? [NOTE_W, NOTE_H] : kind === "frame" ? [800, 600] : [240, 48];
    const [w = NOTE_W, hgt = NOTE_H] = size;
    const text = kind === "note" ? t("newNoteText") : kind === "frame" ? t("newFrameTitle") : t("newLabelText");
    const outcome = await this.send({ op: "create", items: [{ kind, x: Math.round(x - w / 2), y: Math.round(y - hgt / 2), w, h: hgt, text }], adopt: true });
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
      this.toolbar.showConnectTarget();
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

  /** Opens the item's text for editing in place. */
  startEdit(id: string, selectAll = false): void {
    this.editor.start(id, selectAll);
  }

  // ---------------------------------------------------------------- keyboard

  private readonly keys: KeyboardHost = {
    canvas: () => this.canvas,
    workshopKey: (event) => this.workshop.key(event, this.focused),
    setSpace: (down) => this.gestures.setSpace(down),
    selectionSize: () => this.selection.size,
    undo: () => void this.undo(),
    redo: () => void this.redo(),
    duplicate: () => void this.duplicate(),
    selectAll: () => this.setSelection([...this.items.values()].filter((i) => i.kind !== "connector").map((i) => i.id)),
    copy: () => this.clipboard.copySelection(),
    paste: () => this.clipboard.pasteKey(),
    zoomBy: (factor) => this.camera.zoomBy(factor),
    zoomToFit: () => this.zoomToFit(true),
    moveSelection: (dx, dy) => {
      const ids = [...this.movableSelection()];
      if (ids.length > 0) void this.send({ op: "move", ids, dx, dy, adopt: true });
    },
    deleteSelection: () => void this.deleteSelection(),
    escape: () => {
      if (this.tool !== "select") this.setTool("select");
      else if (this.previewing) this.revisions.endPreview();
      else this.setSelection([]);
    },
    editSelection: () => {
      const [id] = this.selection;
      if (id !== undefined) this.startEdit(id);
    },
    navigate: (key) => this.navigate(key),
    help: () => showHelp(),
    createNote: () => void this.createAtCenter("note"),
    setTool: (tool) => this.setTool(tool),
  };

  /** Arrow keys move focus to the nearest item in that direction. */
  private navigate(key: string): void {
    const current = this.focused === null ? undefined : this.items.get(this.focused);
    const candidates = [...this.items.values()].filter((i) => i.kind !== "connector" && i.id !== current?.id);
    if (current === undefined) {
      const first = candidates[0];
      if (first !== undefined) this.list.focus(first.id);
      return;
    }
    const best = nearestInDirection(current, candidates, key);
    if (best !== null) this.list.focus(best.id);
  }

  private focusItem(id: string, fromPointer: boolean): void {
    const item = this.items.get(id);
    if (item === undefined) return;
    this.focused = id;
    this.list.markCurrent(id);
    if (!fromPointer) {
      if (!this.selection.has(id) || this.selection.size !== 1) this.setSelection([id]);
      if (item.kind !== "connector") this.camera.bringIntoView(item);
    }
    this.requestFrame();
  }

  private announce(message: string): void {
    this.live.textContent = message;
  }
}

