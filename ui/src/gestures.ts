// Pointer and wheel input on the board canvas: panning (middle button,
// space, or dragging the empty board), dragging and resizing items, the
// rubber band (shift + drag), double clicks, and wheel zoom and scroll.
// What a gesture means for the board is decided by the host; this module
// follows the pointer and draws nothing itself.

import type { Intent, Item, Viewport } from "./backend";
import type { Camera } from "./camera";
import type { Rect } from "./geometry";
import { itemsInside, spanned } from "./hit";

export type Tool = "select" | "note" | "frame" | "label" | "connect";

type Gesture =
  | { kind: "pan"; startX: number; startY: number; vx: number; vy: number }
  | { kind: "drag"; startX: number; startY: number; ids: Set<string>; moved: boolean; dx: number; dy: number }
  | { kind: "resize"; id: string; startX: number; startY: number; rect: Rect }
  | { kind: "band"; start: { x: number; y: number }; end: { x: number; y: number }; base: Set<string> };

/** A drag shorter than this (screen pixels) is a click. */
const DRAG_THRESHOLD = 3;

export interface GestureHost {
  readonly canvas: HTMLCanvasElement;
  readonly camera: Camera;
  items(): ReadonlyMap<string, Item>;
  tool(): Tool;
  setTool(tool: Tool): void;
  /** A revision is shown instead of the board: only panning. */
  previewing(): boolean;
  selection(): ReadonlySet<string>;
  setSelection(ids: string[]): void;
  /** Selected items that can be moved. */
  movableSelection(): Set<string>;
  /** The topmost item at a board point. */
  hit(x: number, y: number): Item | null;
  /** The selected item whose resize handle is at a board point. */
  resizeHandle(x: number, y: number): Item | null;
  /** Ends editing in place, if any. */
  commitEdit(): void;
  /** A new item centred at a board point (a click with a tool, a double click on the empty board). */
  createAt(kind: "note" | "frame" | "label", x: number, y: number): void;
  /** A click with the connector tool. */
  connectClick(target: Item | null): void;
  startEdit(id: string): void;
  /** The workshop's turn at a click (a vote); true when it took it. */
  workshopPointer(target: Item | null, p: { x: number; y: number }): boolean;
  /** Clicks on notes are votes now. */
  voting(): boolean;
  send(intent: Intent): void;
  /** Where the pointer is, for the others on a shared board. */
  pointerAt(p: { x: number; y: number }): void;
  requestFrame(): void;
}

/** What a gesture under way shows: items dragged or resized, the rubber band. */
export interface GestureFeedback {
  dragOffset: { dx: number; dy: number; ids: ReadonlySet<string> } | null;
  resizePreview: { id: string; rect: Rect } | null;
  rubberBand: Rect | null;
}

/** The smallest size of an item of `kind` while resizing: [width, height]. */
export function minimumSize(kind: Item["kind"]): [number, number] {
  const min = kind === "frame" ? 160 : 60;
  return [min, kind === "label" ? 24 : min];
}

/**
 * The view after a wheel event: with Ctrl (or a pinch on a touchpad, which
 * arrives as Ctrl + wheel) it zooms around the pointer at (sx, sy); else it
 * scrolls, sideways with Shift. `pageHeight` is what one page of scrolling is.
 */
export function wheelView(
  view: Viewport,
  wheel: { deltaX: number; deltaY: number; deltaMode: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean },
  sx: number,
  sy: number,
  pageHeight: number,
): { zoom: { factor: number; sx: number; sy: number } } | { pan: Viewport } {
  const scale = wheel.deltaMode === 1 ? 16 : wheel.deltaMode === 2 ? pageHeight : 1;
  if (wheel.ctrlKey || wheel.metaKey) return { zoom: { factor: Math.exp((-wheel.deltaY * scale) / 300), sx, sy } };
  const zoom = view.zoom;
  const dx = wheel.shiftKey && wheel.deltaX === 0 ? wheel.deltaY : wheel.deltaX;
  const dy = wheel.shiftKey && wheel.deltaX === 0 ? 0 : wheel.deltaY;
  return { pan: { x: view.x + (dx * scale) / zoom, y: view.y + (dy * scale) / zoom, zoom } };
}

export class Gestures {
  private gesture: Gesture | null = null;
  private spaceDown = false;
  /** The item under the pointer while connecting. */
  hover: string | null = null;

  constructor(private readonly host: GestureHost) {
    const canvas = host.canvas;
    canvas.addEventListener("pointerdown", (e) => this.pointerDown(e));
    canvas.addEventListener("pointermove", (e) => this.pointerMove(e));
    canvas.addEventListener("pointerup", (e) => this.pointerUp(e));
    canvas.addEventListener("pointercancel", (e) => this.pointerUp(e));
    canvas.addEventListener("dblclick", (e) => this.doubleClick(e));
    canvas.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    canvas.addEventListener("auxclick", (e) => e.preventDefault());
  }

  /** Space held down: dragging pans. */
  setSpace(down: boolean): void {
    this.spaceDown = down;
    this.updateCursor();
  }

  feedback(): GestureFeedback {
    const g = this.gesture;
    return {
      dragOffset: g?.kind === "drag" && g.moved ? { dx: g.dx, dy: g.dy, ids: g.ids } : null,
      resizePreview: g?.kind === "resize" ? { id: g.id, rect: g.rect } : null,
      rubberBand: g?.kind === "band" ? spanned(g.start, g.end) : null,
    };
  }

  updateCursor(): void {
    this.host.canvas.style.cursor =
      this.gesture?.kind === "pan" ? "grabbing" : this.spaceDown ? "grab" : this.host.tool() === "select" ? "" : "crosshair";
  }

  private toBoard(clientX: number, clientY: number): { x: number; y: number } {
    const rect = this.host.canvas.getBoundingClientRect();
    const view = this.host.camera.viewport;
    return {
      x: (clientX - rect.left) / view.zoom + view.x,
      y: (clientY - rect.top) / view.zoom + view.y,
    };
  }

  private startPan(event: PointerEvent): void {
    const view = this.host.camera.viewport;
    this.gesture = { kind: "pan", startX: event.clientX, startY: event.clientY, vx: view.x, vy: view.y };
  }

  private pointerDown(event: PointerEvent): void {
    const host = this.host;
    try {
      host.canvas.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic pointers (assistive tools, tests) cannot be captured.
    }
    host.commitEdit();
    const p = this.toBoard(event.clientX, event.clientY);
    const pan = event.button === 1 || this.spaceDown;
    if (pan) {
      event.preventDefault();
      this.startPan(event);
      this.updateCursor();
      return;
    }
    if (event.button !== 0) return;
    if (host.previewing()) {
      this.startPan(event);
      return;
    }
    const tool = host.tool();
    if (tool === "note" || tool === "frame" || tool === "label") {
      host.setTool("select");
      host.createAt(tool, p.x, p.y);
      return;
    }
    const target = host.hit(p.x, p.y);
    if (tool === "select" && host.workshopPointer(target, p)) return;
    if (tool === "connect") {
      host.connectClick(target);
      return;
    }
    const handle = host.resizeHandle(p.x, p.y);
    if (handle !== null) {
      this.gesture = { kind: "resize", id: handle.id, startX: p.x, startY: p.y, rect: { x: handle.x, y: handle.y, w: handle.w, h: handle.h } };
      return;
    }
    if (target === null) {
      if (event.shiftKey) {
        this.gesture = { kind: "band", start: p, end: p, base: new Set(host.selection()) };
      } else {
        host.setSelection([]);
        this.startPan(event);
        this.updateCursor();
      }
      return;
    }
    const selection = host.selection();
    if (event.shiftKey) {
      const next = new Set(selection);
      if (next.has(target.id)) next.delete(target.id);
      else next.add(target.id);
      host.setSelection([...next]);
    } else if (!selection.has(target.id)) {
      host.setSelection([target.id]);
    }
    if (host.selection().has(target.id)) {
      this.gesture = { kind: "drag", startX: p.x, startY: p.y, ids: host.movableSelection(), moved: false, dx: 0, dy: 0 };
    }
  }

  private pointerMove(event: PointerEvent): void {
    const host = this.host;
    const g = this.gesture;
    const p = this.toBoard(event.clientX, event.clientY);
    host.pointerAt(p);
    if (g === null) {
      if (host.tool() === "connect") {
        const target = host.hit(p.x, p.y);
        const id = target === null || target.kind === "connector" ? null : target.id;
        if (id !== this.hover) {
          this.hover = id;
          host.requestFrame();
        }
      } else {
        const handle = host.resizeHandle(p.x, p.y);
        host.canvas.style.cursor = handle !== null ? "nwse-resize" : this.spaceDown ? "grab" : "";
      }
      return;
    }
    if (g.kind === "pan") {
      const zoom = host.camera.viewport.zoom;
      host.camera.set({ x: g.vx - (event.clientX - g.startX) / zoom, y: g.vy - (event.clientY - g.startY) / zoom, zoom });
    } else if (g.kind === "drag") {
      g.dx = p.x - g.startX;
      g.dy = p.y - g.startY;
      if (!g.moved && Math.hypot(g.dx, g.dy) * host.camera.viewport.zoom > DRAG_THRESHOLD) g.moved = true;
      host.requestFrame();
    } else if (g.kind === "resize") {
      const item = host.items().get(g.id);
      if (item === undefined) return;
      const [minW, minH] = minimumSize(item.kind);
      g.rect = { x: item.x, y: item.y, w: Math.max(minW, item.w + p.x - g.startX), h: Math.max(minH, item.h + p.y - g.startY) };
      host.requestFrame();
    } else {
      g.end = p;
      const inside = itemsInside(host.items().values(), spanned(g.start, g.end));
      host.setSelection([...new Set([...g.base, ...inside])]);
    }
  }

  private pointerUp(event: PointerEvent): void {
    const host = this.host;
    const g = this.gesture;
    this.gesture = null;
    if (host.canvas.hasPointerCapture(event.pointerId)) host.canvas.releasePointerCapture(event.pointerId);
    this.updateCursor();
    if (g === null) return;
    if (g.kind === "drag" && g.moved && g.ids.size > 0) {
      host.send({ op: "move", ids: [...g.ids], dx: Math.round(g.dx), dy: Math.round(g.dy), adopt: true });
    } else if (g.kind === "resize") {
      const item = host.items().get(g.id);
      if (item !== undefined && (g.rect.w !== item.w || g.rect.h !== item.h)) {
        host.send({ op: "resize", id: g.id, x: item.x, y: item.y, w: Math.round(g.rect.w), h: Math.round(g.rect.h) });
      }
    }
    host.requestFrame();
  }

  private doubleClick(event: MouseEvent): void {
    const host = this.host;
    if (host.previewing()) return;
    const p = this.toBoard(event.clientX, event.clientY);
    const target = host.hit(p.x, p.y);
    // In voting mode each click of a double click is a vote on the note;
    // it does not open the note for editing.
    if (target?.kind === "note" && host.voting()) return;
    if (target !== null) {
      host.startEdit(target.id);
    } else {
      host.createAt("note", p.x, p.y);
    }
  }

  private wheel(event: WheelEvent): void {
    event.preventDefault();
    const rect = this.host.canvas.getBoundingClientRect();
    const next = wheelView(this.host.camera.viewport, event, event.clientX - rect.left, event.clientY - rect.top, rect.height);
    if ("zoom" in next) this.host.camera.zoomAt(next.zoom.factor, next.zoom.sx, next.zoom.sy);
    else this.host.camera.set(next.pan);
  }
}
