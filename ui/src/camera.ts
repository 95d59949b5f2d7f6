// The camera: which part of the board the stage shows (viewport x, y and
// zoom), moving it, and saving it with the board a moment after it rests.
// The pure functions compute viewports; the Camera class owns the current
// one.

import type { BoardBackend, Viewport } from "./backend";
import { showError } from "./dom";
import { FRAME_BAND, type Rect } from "./geometry";

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 4;
/** The viewport is saved this long after the last move, in milliseconds. */
const SAVE_AFTER_MS = 400;

export interface Size {
  width: number;
  height: number;
}

/** Zoom kept between MIN_ZOOM and MAX_ZOOM; anything not finite becomes 100 %. */
export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number.isFinite(zoom) ? zoom : 1));
}

/** The board point under stage point (sx, sy) (CSS pixels from the stage's top left). */
export function toBoard(view: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: sx / view.zoom + view.x, y: sy / view.zoom + view.y };
}

/** The stage point (CSS pixels) where board point (x, y) is shown. */
export function toScreen(view: Viewport, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.x) * view.zoom, y: (y - view.y) * view.zoom };
}

/** The view zoomed by `factor` around stage point (sx, sy), which stays on the same board point. */
export function zoomAround(view: Viewport, factor: number, sx: number, sy: number): Viewport {
  const zoom = clampZoom(view.zoom * factor);
  const bx = sx / view.zoom + view.x;
  const by = sy / view.zoom + view.y;
  return { x: bx - sx / zoom, y: by - sy / zoom, zoom };
}

/** The view with board point (x, y) in the middle of a stage of `size`. */
export function centredAt(x: number, y: number, zoom: number, size: Size): Viewport {
  return { x: x - size.width / 2 / zoom, y: y - size.height / 2 / zoom, zoom };
}

/**
 * The view that shows all of `box` (at most 150 %), clear of the toolbar on
 * the left and the controls at the bottom; 100 % around the origin when the
 * board is empty.
 */
export function fitAll(box: Rect | null, size: Size): Viewport {
  const { width, height } = size;
  if (box === null) return { x: -width / 2, y: -height / 2, zoom: 1 };
  const left = 130;
  const right = 30;
  const top = 30;
  const bottom = 80;
  const zoom = clampZoom(Math.min((width - left - right) / box.w, (height - top - bottom) / box.h, 1.5));
  return {
    x: box.x + box.w / 2 - (left + (width - left - right) / 2) / zoom,
    y: box.y + box.h / 2 - (top + (height - top - bottom) / 2) / zoom,
    zoom,
  };
}

/** The view that fits a rectangle of the board (a presented frame, with its title band), at most 200 %. */
export function fitRect(box: Rect, size: Size): Viewport {
  const { width, height } = size;
  const margin = 40;
  const zoom = clampZoom(Math.min((width - 2 * margin) / box.w, (height - 2 * margin - FRAME_BAND) / box.h, 2));
  return { x: box.x + box.w / 2 - width / 2 / zoom, y: box.y + box.h / 2 - height / 2 / zoom, zoom };
}

/** The view moved so that `item` is in the middle, or null when it is well inside already. */
export function bringIntoView(view: Viewport, item: Rect, size: Size): Viewport | null {
  const { width, height } = size;
  const { x, y, zoom } = view;
  const margin = 40 / zoom;
  const inside =
    item.x >= x + margin && item.y >= y + margin && item.x + item.w <= x + width / zoom - margin && item.y + item.h <= y + height / zoom - margin;
  if (inside) return null;
  return { x: item.x + item.w / 2 - width / 2 / zoom, y: item.y + item.h / 2 - height / 2 / zoom, zoom };
}

export interface CameraHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  /** The stage's size in CSS pixels. */
  size(): Size;
  /** The view moved by the user or the workshop: redraw, and tell those who follow. */
  moved(): void;
  /** The view was set without being saved (opening, zoom to fit on load): redraw only. */
  redraw(): void;
}

export class Camera {
  private current: Viewport = { x: 0, y: 0, zoom: 1 };
  private saveTimer = 0;
  private dirty = false;

  constructor(private readonly host: CameraHost) {}

  get viewport(): Viewport {
    return this.current;
  }

  /** Moves the view; it is saved with the board once it rests. */
  set(next: Viewport): void {
    this.current = { x: next.x, y: next.y, zoom: clampZoom(next.zoom) };
    this.host.moved();
    this.dirty = true;
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => void this.flush(), SAVE_AFTER_MS);
  }

  /** Shows `next` without saving it (the view the board was opened with). */
  place(next: Viewport): void {
    this.current = next;
    this.host.redraw();
  }

  /** Saves a view that moved and was not saved yet. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    window.clearTimeout(this.saveTimer);
    try {
      await this.host.backend.setViewport(this.host.boardId, this.current);
    } catch (cause) {
      showError(cause);
    }
  }

  dispose(): void {
    window.clearTimeout(this.saveTimer);
  }

  zoomAt(factor: number, sx: number, sy: number): void {
    this.set(zoomAround(this.current, factor, sx, sy));
  }

  /** Zooms around the middle of the stage. */
  zoomBy(factor: number): void {
    const { width, height } = this.host.size();
    this.zoomAt(factor, width / 2, height / 2);
  }

  /** Shows every item; `save` when the user asked for it (not on opening). */
  zoomToFit(box: Rect | null, save: boolean): void {
    const next = fitAll(box, this.host.size());
    // An empty board is shown around the origin without saving.
    if (save && box !== null) this.set(next);
    else this.place(next);
  }

  fitRect(box: Rect): void {
    this.set(fitRect(box, this.host.size()));
  }

  /** Board point (x, y) in the middle at `zoom`. */
  showCenter(x: number, y: number, zoom: number): void {
    const z = clampZoom(zoom);
    this.set(centredAt(x, y, z, this.host.size()));
  }

  /** Moves the view when `item` is not well inside it. */
  bringIntoView(item: Rect): void {
    const next = bringIntoView(this.current, item, this.host.size());
    if (next !== null) this.set(next);
  }

  /** The board point in the middle of the stage. */
  center(): { x: number; y: number } {
    const { width, height } = this.host.size();
    return { x: this.current.x + width / 2 / this.current.zoom, y: this.current.y + height / 2 / this.current.zoom };
  }
}
