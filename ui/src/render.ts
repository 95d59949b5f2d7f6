// Drawing a board on a 2D canvas: only what is on screen is drawn, text is
// laid out once per item (and only when it becomes visible), and when zoomed
// far out notes become plain coloured rectangles batched per colour.

import type { Item, Viewport } from "./backend";
import { hex, isDark } from "./colors";
import { authorLine, noteBadges } from "./comments";
import { connectorBox, connectorLine, FRAME_BAND, NOTE_PAD, noteInner, type Rect } from "./geometry";
import { fitTextWith, MAX_FONT, REF_SIZE } from "./text-layout";

export const FONT = '"DejaVu Sans", "Noto Sans", system-ui, sans-serif';

interface TextLayout {
  key: string;
  size: number;
  lines: string[];
}

let measureCtx: CanvasRenderingContext2D | null = null;

function measure(): CanvasRenderingContext2D {
  if (measureCtx === null) {
    const ctx = document.createElement("canvas").getContext("2d");
    if (ctx === null) throw new Error("canvas 2d unavailable");
    measureCtx = ctx;
  }
  return measureCtx;
}

/** Text widths are measured once, at REF_SIZE, and scaled: words repeat across notes and sizes. */
const widths = new Map<string, number>();
let measuredFont = "";

function refWidth(text: string, weight: string): number {
  const key = `${weight}\u0000${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    const ctx = measure();
    const font = `${weight} ${REF_SIZE}px ${FONT}`;
    if (measuredFont !== font) {
      ctx.font = font;
      measuredFont = font;
    }
    width = ctx.measureText(text).width;
    if (widths.size > 100_000) widths.clear();
    widths.set(key, width);
  }
  return width;
}

/** The largest font size at which the text fits the box (see fitTextWith), measured on a canvas. */
export function fitText(text: string, width: number, height: number, max = MAX_FONT): { size: number; lines: string[] } {
  return fitTextWith(text, width, height, max, (part) => refWidth(part, "normal"));
}

export function noteFontSize(item: Item): number {
  const inner = noteInner(item);
  return fitText(item.text, inner.w, inner.h).size;
}

/** Edge of a tile in device pixels. */
const TILE = 512;
/** Work done between frames at a time, in milliseconds. */
const WARM_SLICE_MS = 4;
/** Tiles of a new zoom are prepared only after it stayed this long, in milliseconds. */
const WARM_AFTER_ZOOM_MS = 120;
/** Tiles kept (1 MiB each); those out of view go first. */
const MAX_TILES = 48;

/**
 * Whether an item at `r` may paint into `view`: frame titles sit above
 * their frame when zoomed out, shadows below and right of a note.
 */
function reaches(r: Rect, view: Rect): boolean {
  return r.x - 8 < view.x + view.w && r.x + r.w + 8 > view.x && r.y - 2 * FRAME_BAND < view.y + view.h && r.y + r.h + 8 > view.y;
}

/** What a note's bitmap at `zoom` depends on; null when it is drawn directly. */
function spriteKey(item: Item, zoom: number): string | null {
  if (item.w * zoom < 24 || zoom > 2) return null;
  const step = Math.pow(2, Math.ceil(Math.log2(zoom) * 2) / 2);
  return `${step}\u0000${item.text}\u0000${item.w}\u0000${item.h}\u0000${item.color}\u0000${item.tags.join(",")}\u0000${authorLine(item)}\u0000${noteBadges(item)}`;
}

function selectedConnectors(byId: ReadonlyMap<string, Item>, selection: ReadonlySet<string>): string {
  if (selection.size === 0) return "";
  return [...selection].filter((id) => byId.get(id)?.kind === "connector").sort().join(",");
}

function countVisible(ordered: readonly Item[], view: Rect): number {
  let n = 0;
  for (const item of ordered) if (item.kind !== "connector" && reaches(item, view)) n++;
  return n;
}

export interface DrawState {
  viewport: Viewport;
  width: number;
  height: number;
  dpr: number;
  selection: ReadonlySet<string>;
  focused: string | null;
  editing: string | null;
  dragOffset: { dx: number; dy: number; ids: ReadonlySet<string> } | null;
  /** Draws marks over the items (board units; `geometry` follows drags and resizes). */
  decorate?: (ctx: CanvasRenderingContext2D, geometry: (item: Item) => Rect, zoom: number) => void;
  resizePreview: { id: string; rect: Rect } | null;
  rubberBand: Rect | null;
  connectFrom: string | null;
  hover: string | null;
  /** Notes outlined as groups of similar notes → their group's number. */
  outlined?: ReadonlyMap<string, number>;
}

export class Renderer {
  private readonly layouts = new Map<string, TextLayout>();
  private readonly sprites = new Map<string, { key: string; canvas: HTMLCanvasElement }>();
  lastDrawn = 0;
  /** Whether the last frame was copied from tiles (read by tests). */
  lastTiled = false;
  /** Whether the last frame was copied from the tiles of another zoom, scaled. */
  lastScaled = false;
  /** Where the item helpers draw: the canvas, or a tile being drawn. */
  private out: CanvasRenderingContext2D;
  private readonly tiles = new Map<string, HTMLCanvasElement>();
  private readonly tilePool: HTMLCanvasElement[] = [];
  private tileKey: { byId: ReadonlyMap<string, Item>; scale: number; connectors: string } | null = null;
  private lastZoom = Number.NaN;
  private lastDpr = Number.NaN;
  private warmTimer = 0;

  /** `redraw` asks for a frame: when a zoom rests, its sharp drawing replaces scaled tiles. */
  constructor(
    private readonly ctx: CanvasRenderingContext2D,
    private readonly redraw: () => void = () => undefined,
  ) {
    this.out = ctx;
  }

  forget(id: string): void {
    this.layouts.delete(id);
    this.sprites.delete(id);
  }

  private layout(item: Item): TextLayout {
    const key = `${item.text}\u0000${item.w}\u0000${item.h}\u0000${item.tags.length > 0}`;
    const cached = this.layouts.get(item.id);
    if (cached !== undefined && cached.key === key) return cached;
    const inner = noteInner(item);
    const fitted =
      item.kind === "label"
        ? fitText(item.text, inner.w, inner.h, Math.min(40, Math.max(12, inner.h * 0.7)))
        : fitText(item.text, inner.w, inner.h);
    const layout = { key, size: fitted.size, lines: fitted.lines };
    this.layouts.set(item.id, layout);
    return layout;
  }

  draw(ordered: Item[], byId: ReadonlyMap<string, Item>, state: DrawState): void {
    const { ctx } = this;
    const { viewport: vp, dpr } = state;
    const zoom = vp.zoom;
    const scale = dpr * zoom;
    // The view's origin in whole device pixels, so that tiles are copied
    // without resampling and everything drawn on top lines up with them.
    const ox = Math.round(vp.x * scale);
    const oy = Math.round(vp.y * scale);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    const view: Rect = { x: ox / scale, y: oy / scale, w: state.width / zoom, h: state.height / zoom };
    const geometry = (item: Item): Rect => {
      if (state.resizePreview !== null && state.resizePreview.id === item.id) return state.resizePreview.rect;
      const drag = state.dragOffset;
      if (drag !== null && (drag.ids.has(item.id) || (item.parent !== null && drag.ids.has(item.parent)))) {
        return { x: item.x + drag.dx, y: item.y + drag.dy, w: item.w, h: item.h };
      }
      return item;
    };
    // Tiles hold the items as they look without any gesture under way. A
    // frame copies them when every tile under the view is ready; otherwise
    // it draws directly and the missing tiles are prepared between frames
    // (never inside one: a tile holds more than the view shows of it). The
    // tiles of a new zoom are prepared once the zoom has rested a moment.
    const still = state.dragOffset === null && state.resizePreview === null && state.editing === null;
    const steady = zoom === this.lastZoom && dpr === this.lastDpr;
    this.lastZoom = zoom;
    this.lastDpr = dpr;
    this.lastTiled = false;
    // While the zoom changes, the tiles of the zoom before are kept (until
    // the new zoom rests), in case the view comes back to it.
    if (still && steady) this.keepTiles(byId, state.selection, scale);
    const inView = this.tilesInView(ox, oy);
    this.lastScaled = false;
    if (still && this.tilesMatch(byId, state.selection, scale) && this.tilesReady(inView)) {
      this.copyTiles(inView, ox, oy);
      this.lastTiled = true;
      this.lastDrawn = countVisible(ordered, view);
    } else if (still && !steady && this.copyScaledTiles(byId, state.selection, scale, ox, oy)) {
      // During a zoom gesture: the tiles of the zoom before, scaled (softer
      // for a moment); drawn sharp once the zoom rests.
      this.lastScaled = true;
      this.lastDrawn = countVisible(ordered, view);
    } else {
      ctx.setTransform(scale, 0, 0, scale, -ox, -oy);
      this.lastDrawn = this.drawScene(ctx, ordered, byId, view, zoom, geometry, state.selection, state.editing);
    }
    if (still) this.warmAround(ordered, byId, state.selection, zoom, scale, inView, steady ? 0 : WARM_AFTER_ZOOM_MS);
    ctx.setTransform(scale, 0, 0, scale, -ox, -oy);
    state.decorate?.(ctx, geometry, zoom);

    // Selection, focus and tool feedback on top.
    for (const id of state.selection) {
      const item = byId.get(id);
      if (item === undefined || item.kind === "connector") continue;
      const r = geometry(item);
      ctx.lineWidth = 3 / zoom;
      ctx.strokeStyle = "#1a5fb4";
      ctx.strokeRect(r.x - 4 / zoom, r.y - 4 / zoom, r.w + 8 / zoom, r.h + 8 / zoom);
      if (state.selection.size === 1 && state.editing === null) {
        const s = 14 / zoom;
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(r.x + r.w - s / 2, r.y + r.h - s / 2, s, s);
        ctx.lineWidth = 2 / zoom;
        ctx.strokeRect(r.x + r.w - s / 2, r.y + r.h - s / 2, s, s);
      }
    }
    if (state.outlined !== undefined && state.outlined.size > 0) this.drawOutlines(byId, state.outlined, geometry, zoom);
    const marked = state.connectFrom ?? state.hover;
    if (marked !== null) {
      const item = byId.get(marked);
      if (item !== undefined && item.kind !== "connector") {
        ctx.lineWidth = 2 / zoom;
        ctx.setLineDash([8 / zoom, 6 / zoom]);
        ctx.strokeStyle = "#1a5fb4";
        ctx.strokeRect(item.x - 6 / zoom, item.y - 6 / zoom, item.w + 12 / zoom, item.h + 12 / zoom);
        ctx.setLineDash([]);
      }
    }
    if (state.focused !== null && state.editing === null) {
      const item = byId.get(state.focused);
      if (item !== undefined) {
        const r = item.kind === "connector" ? connectorBox(item, byId) : geometry(item);
        if (r !== null) {
          ctx.lineWidth = 4 / zoom;
          ctx.strokeStyle = "#ffffff";
          ctx.strokeRect(r.x - 9 / zoom, r.y - 9 / zoom, r.w + 18 / zoom, r.h + 18 / zoom);
          ctx.lineWidth = 3 / zoom;
          ctx.strokeStyle = "#c01c28";
          ctx.strokeRect(r.x - 9 / zoom, r.y - 9 / zoom, r.w + 18 / zoom, r.h + 18 / zoom);
        }
      }
    }
    if (state.rubberBand !== null) {
      const r = state.rubberBand;
      ctx.fillStyle = "rgba(26, 95, 180, 0.08)";
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.lineWidth = 1.5 / zoom;
      ctx.strokeStyle = "#1a5fb4";
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
  }

  /**
   * Draws the items of `ordered` that reach into `view` onto `out` (whose
   * transform maps board units); returns how many were drawn.
   */
  private drawScene(
    out: CanvasRenderingContext2D,
    ordered: readonly Item[],
    byId: ReadonlyMap<string, Item>,
    view: Rect,
    zoom: number,
    geometry: (item: Item) => Rect,
    selection: ReadonlySet<string>,
    editing: string | null,
  ): number {
    const previous = this.out;
    this.out = out;
    const tiny = zoom < 0.3;
    const batches = new Map<string, number[]>();
    let drawn = 0;
    for (const item of ordered) {
      if (item.kind === "connector") {
        this.drawConnector(item, byId, geometry, zoom, selection.has(item.id), view);
        continue;
      }
      const r = geometry(item);
      if (!reaches(r, view)) continue;
      drawn++;
      if (item.kind === "frame") {
        this.drawFrame(item, r, zoom);
      } else if (tiny && item.kind === "note") {
        const color = hex(item.color);
        let batch = batches.get(color);
        if (batch === undefined) {
          batch = [];
          batches.set(color, batch);
        }
        batch.push(r.x, r.y, r.w, r.h);
      } else if (item.kind === "note") {
        this.drawNote(item, r, zoom, editing === item.id);
      } else {
        this.drawLabel(item, r, zoom, editing === item.id);
      }
    }
    for (const [color, rects] of batches) {
      out.beginPath();
      for (let i = 0; i < rects.length; i += 4) {
        out.rect(rects[i] ?? 0, rects[i + 1] ?? 0, rects[i + 2] ?? 0, rects[i + 3] ?? 0);
      }
      out.fillStyle = color;
      out.fill();
      out.lineWidth = 1 / zoom;
      out.strokeStyle = "rgba(60, 50, 30, 0.35)";
      out.stroke();
    }
    this.out = previous;
    return drawn;
  }

  /**
   * Copies the tiles of another zoom, scaled to this one, if they cover the
   * whole view and the zoom changed by at most half or double; false if not.
   */
  private copyScaledTiles(byId: ReadonlyMap<string, Item>, selection: ReadonlySet<string>, scale: number, ox: number, oy: number): boolean {
    const key = this.tileKey;
    if (key === null || key.byId !== byId || key.connectors !== selectedConnectors(byId, selection)) return false;
    const k = scale / key.scale;
    if (k < 0.5 || k > 2) return false;
    const { width, height } = this.ctx.canvas;
    // The view in device pixels of the tiles' zoom.
    const i0 = Math.floor(ox / k / TILE);
    const i1 = Math.floor((ox + width) / k / TILE - 1e-9);
    const j0 = Math.floor(oy / k / TILE);
    const j1 = Math.floor((oy + height) / k / TILE - 1e-9);
    if (!this.tilesReady({ i0, i1, j0, j1 })) return false;
    const { ctx } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    // Edges rounded the same way for neighbours, so no seam shows between them.
    const edgeX = (i: number): number => Math.round(i * TILE * k - ox);
    const edgeY = (j: number): number => Math.round(j * TILE * k - oy);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const tile = this.tiles.get(`${i},${j}`);
        if (tile !== undefined) ctx.drawImage(tile, edgeX(i), edgeY(j), edgeX(i + 1) - edgeX(i), edgeY(j + 1) - edgeY(j));
      }
    }
    return true;
  }

  private tilesReady(view: { i0: number; i1: number; j0: number; j1: number }): boolean {
    for (let j = view.j0; j <= view.j1; j++) {
      for (let i = view.i0; i <= view.i1; i++) if (!this.tiles.has(`${i},${j}`)) return false;
    }
    return true;
  }

  /** Copies the tiles under the view onto the canvas, at whole device pixels. */
  private copyTiles(view: { i0: number; i1: number; j0: number; j1: number }, ox: number, oy: number): void {
    const { ctx } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (let j = view.j0; j <= view.j1; j++) {
      for (let i = view.i0; i <= view.i1; i++) {
        const tile = this.tiles.get(`${i},${j}`);
        if (tile !== undefined) ctx.drawImage(tile, i * TILE - ox, j * TILE - oy);
      }
    }
    if (this.tiles.size > MAX_TILES) {
      for (const [name, tile] of this.tiles) {
        const [i = 0, j = 0] = name.split(",").map(Number);
        if (i >= view.i0 - 1 && i <= view.i1 + 1 && j >= view.j0 - 1 && j <= view.j1 + 1) continue;
        this.tiles.delete(name);
        this.tilePool.push(tile);
        if (this.tiles.size <= MAX_TILES / 2) break;
      }
    }
  }

  /** Whether the tiles were drawn for these items, zoom and selected connectors. */
  private tilesMatch(byId: ReadonlyMap<string, Item>, selection: ReadonlySet<string>, scale: number): boolean {
    const key = this.tileKey;
    return key !== null && key.byId === byId && key.scale === scale && key.connectors === selectedConnectors(byId, selection);
  }

  /** Keeps the tiles if they match; else starts afresh for these. */
  private keepTiles(byId: ReadonlyMap<string, Item>, selection: ReadonlySet<string>, scale: number): void {
    if (this.tilesMatch(byId, selection, scale)) return;
    this.dropTiles();
    this.tileKey = { byId, scale, connectors: selectedConnectors(byId, selection) };
  }

  private tilesInView(ox: number, oy: number): { i0: number; i1: number; j0: number; j1: number } {
    const { width, height } = this.ctx.canvas;
    return { i0: Math.floor(ox / TILE), i1: Math.floor((ox + width - 1) / TILE), j0: Math.floor(oy / TILE), j1: Math.floor((oy + height - 1) / TILE) };
  }

  /**
   * Prepares, between frames, the tiles in a ring one tile wide around the
   * view: first the bitmaps of their notes (laying out text is the costly
   * part), a few milliseconds at a time, then the tiles. Panning then finds
   * the tiles it reaches ready instead of drawing a tile's worth of notes in
   * one frame.
   */
  private warmAround(
    ordered: readonly Item[],
    byId: ReadonlyMap<string, Item>,
    selection: ReadonlySet<string>,
    zoom: number,
    scale: number,
    view: { i0: number; i1: number; j0: number; j1: number },
    delay = 0,
  ): void {
    const ring = { i0: view.i0 - 1, i1: view.i1 + 1, j0: view.j0 - 1, j1: view.j1 + 1 };
    // Tiles of another zoom (kept while the zoom changed) count as missing.
    const current = this.tilesMatch(byId, selection, scale);
    const missing: Array<[number, number]> = [];
    for (let j = ring.j0; j <= ring.j1; j++) {
      for (let i = ring.i0; i <= ring.i1; i++) if (!current || !this.tiles.has(`${i},${j}`)) missing.push([i, j]);
    }
    window.clearTimeout(this.warmTimer);
    if (missing.length === 0) return;
    // Nearest to the middle of the view first.
    const ci = (view.i0 + view.i1) / 2;
    const cj = (view.j0 + view.j1) / 2;
    missing.sort(([ai, aj], [bi, bj]) => (ai - ci) ** 2 + (aj - cj) ** 2 - ((bi - ci) ** 2 + (bj - cj) ** 2));
    const all: Rect = { x: (ring.i0 * TILE) / scale, y: (ring.j0 * TILE) / scale, w: ((ring.i1 - ring.i0 + 1) * TILE) / scale, h: ((ring.j1 - ring.j0 + 1) * TILE) / scale };
    let candidates: Item[] | null = null;
    const slice = (): void => {
      this.warmTimer = 0;
      // A new zoom has rested: its tiles replace those of the zoom before,
      // and a sharp frame replaces one copied from scaled tiles.
      if (!this.tilesMatch(byId, selection, scale)) {
        this.keepTiles(byId, selection, scale);
        if (this.lastScaled) this.redraw();
      }
      const deadline = performance.now() + WARM_SLICE_MS;
      candidates ??= ordered.filter((item) => item.kind === "connector" || reaches(item, all));
      while (missing.length > 0 && performance.now() < deadline) {
        const [i, j] = missing[0] ?? [0, 0];
        const name = `${i},${j}`;
        if (this.tiles.has(name)) {
          missing.shift();
          continue;
        }
        const area: Rect = { x: (i * TILE) / scale, y: (j * TILE) / scale, w: TILE / scale, h: TILE / scale };
        let ready = true;
        for (const item of candidates) {
          if (item.kind !== "note" || !reaches(item, area)) continue;
          const fresh = this.spriteFresh(item, zoom);
          if (fresh) continue;
          if (performance.now() >= deadline) {
            ready = false;
            break;
          }
          this.noteSprite(item, zoom);
        }
        if (!ready) break;
        const tile = this.renderTile(i, j, scale, zoom, candidates, byId, selection);
        if (tile !== null) this.tiles.set(name, tile);
        missing.shift();
      }
      if (missing.length > 0) this.warmTimer = window.setTimeout(slice, 0);
    };
    this.warmTimer = window.setTimeout(slice, delay);
  }

  /** Whether the note's bitmap for this zoom is drawn already (or none is needed). */
  private spriteFresh(item: Item, zoom: number): boolean {
    const key = spriteKey(item, zoom);
    return key === null || this.sprites.get(item.id)?.key === key;
  }

  private renderTile(i: number, j: number, scale: number, zoom: number, candidates: readonly Item[], byId: ReadonlyMap<string, Item>, selection: ReadonlySet<string>): HTMLCanvasElement | null {
    const tile = this.tilePool.pop() ?? document.createElement("canvas");
    tile.width = TILE;
    tile.height = TILE;
    const tctx = tile.getContext("2d");
    if (tctx === null) return null;
    tctx.setTransform(1, 0, 0, 1, 0, 0);
    tctx.clearRect(0, 0, TILE, TILE);
    tctx.setTransform(scale, 0, 0, scale, -i * TILE, -j * TILE);
    const area: Rect = { x: (i * TILE) / scale, y: (j * TILE) / scale, w: TILE / scale, h: TILE / scale };
    this.drawScene(tctx, candidates, byId, area, zoom, (item) => item, selection, null);
    return tile;
  }

  /**
   * Items changed within `areas` (board units: where they were and where they
   * are now): the tiles those areas reach are drawn again when next in view.
   */
  invalidate(areas: readonly Rect[]): void {
    const scale = this.tileKey?.scale;
    if (scale === undefined || areas.length === 0) return;
    if (areas.length > 400) {
      this.dropTiles();
      return;
    }
    for (const [name, tile] of this.tiles) {
      const [i = 0, j = 0] = name.split(",").map(Number);
      const area: Rect = { x: (i * TILE) / scale, y: (j * TILE) / scale, w: TILE / scale, h: TILE / scale };
      if (areas.some((r) => reaches(r, area))) {
        this.tiles.delete(name);
        this.tilePool.push(tile);
      }
    }
  }

  /** Forgets every tile (another set of items is shown, or everything changed). */
  dropTiles(): void {
    for (const tile of this.tiles.values()) this.tilePool.push(tile);
    this.tiles.clear();
    this.tilePool.length = Math.min(this.tilePool.length, MAX_TILES);
  }

  private drawOutlines(byId: ReadonlyMap<string, Item>, outlined: ReadonlyMap<string, number>, geometry: (item: Item) => Rect, zoom: number): void {
    const { ctx } = this;
    ctx.setLineDash([10 / zoom, 6 / zoom]);
    for (const [id, group] of outlined) {
      const item = byId.get(id);
      if (item === undefined) continue;
      const r = geometry(item);
      const m = 8 / zoom;
      ctx.lineWidth = 3 / zoom;
      ctx.strokeStyle = "#b35900";
      ctx.strokeRect(r.x - m, r.y - m, r.w + 2 * m, r.h + 2 * m);
      const size = 22 / zoom;
      ctx.fillStyle = "#b35900";
      ctx.fillRect(r.x - m - size / 2, r.y - m - size / 2, size, size);
      ctx.fillStyle = "#ffffff";
      ctx.font = `bold ${14 / zoom}px ${FONT}`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(String(group), r.x - m, r.y - m + 1 / zoom);
      ctx.textAlign = "start";
    }
    ctx.setLineDash([]);
  }

  private drawFrame(item: Item, r: Rect, zoom: number): void {
    const ctx = this.out;
    ctx.fillStyle = "rgba(255, 255, 255, 0.55)";
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.fillStyle = hex(item.color);
    ctx.globalAlpha = 0.35;
    ctx.fillRect(r.x, r.y, r.w, FRAME_BAND);
    ctx.globalAlpha = 1;
    ctx.lineWidth = Math.max(1.5, 1 / zoom);
    ctx.strokeStyle = "#8a8476";
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    if (zoom * 24 >= 4) {
      ctx.fillStyle = "#2b2620";
      const size = zoom < 0.4 ? Math.min(FRAME_BAND * 1.6, 13 / zoom) : 24;
      ctx.font = `bold ${size}px ${FONT}`;
      ctx.textBaseline = "middle";
      const text = clipLine(ctx, item.text, r.w - 24);
      ctx.fillText(text, r.x + 14, zoom < 0.4 ? r.y - size * 0.7 : r.y + FRAME_BAND / 2 + 1);
    }
  }

  /**
   * A note at a readable zoom is drawn once into a bitmap for its zoom step
   * and then copied: text is the expensive part of a frame while panning.
   */
  private drawNote(item: Item, r: Rect, zoom: number, editing: boolean): void {
    const sprite = editing ? null : this.noteSprite(item, zoom);
    if (sprite === null) {
      this.paintNote(this.out, item, r, zoom, editing);
      return;
    }
    this.out.drawImage(sprite, r.x, r.y, item.w + 4, item.h + 6);
  }

  /**
   * The bitmap of a note for the zoom step of `zoom`, drawn if it is missing
   * or out of date; null when the note is drawn directly at this zoom.
   */
  private noteSprite(item: Item, zoom: number): HTMLCanvasElement | null {
    const key = spriteKey(item, zoom);
    if (key === null) return null;
    const step = Math.pow(2, Math.ceil(Math.log2(zoom) * 2) / 2);
    const sprite = this.sprites.get(item.id);
    if (sprite !== undefined && sprite.key === key) return sprite.canvas;
    if (this.sprites.size > 3000) this.sprites.clear();
    const canvas = sprite?.canvas ?? document.createElement("canvas");
    canvas.width = Math.ceil((item.w + 4) * step);
    canvas.height = Math.ceil((item.h + 6) * step);
    const sctx = canvas.getContext("2d");
    if (sctx === null) return null;
    sctx.setTransform(step, 0, 0, step, -item.x * step, -item.y * step);
    this.paintNote(sctx, item, item, step, false);
    this.sprites.set(item.id, { key, canvas });
    return canvas;
  }

  private paintNote(ctx: CanvasRenderingContext2D, item: Item, r: Rect, zoom: number, editing: boolean): void {
    const small = r.w * zoom < 24;
    if (!small) {
      ctx.fillStyle = "rgba(40, 30, 10, 0.16)";
      ctx.fillRect(r.x + 2, r.y + 4, r.w, r.h);
    }
    ctx.fillStyle = hex(item.color);
    ctx.fillRect(r.x, r.y, r.w, r.h);
    if (small || editing) return;
    const dark = isDark(item.color);
    const layout = this.layout(item);
    if (layout.size * zoom >= 3.5) {
      ctx.fillStyle = dark ? "#ffffff" : "#1e1b16";
      ctx.font = `${layout.size}px ${FONT}`;
      ctx.textBaseline = "top";
      const dy = r.y - item.y;
      const dx = r.x - item.x;
      const inner = noteInner(item);
      layout.lines.forEach((line, i) => ctx.fillText(line, inner.x + dx, inner.y + dy + i * layout.size * 1.25));
    } else {
      // Far out: grey bars stand in for the lines of text.
      ctx.fillStyle = dark ? "rgba(255,255,255,0.5)" : "rgba(30,27,22,0.35)";
      const inner = noteInner(item);
      const n = Math.min(layout.lines.length, 5);
      for (let i = 0; i < n; i++) ctx.fillRect(inner.x + r.x - item.x, inner.y + r.y - item.y + i * 22, inner.w * 0.85, 9);
    }
    if (zoom >= 0.45) {
      ctx.font = `12px ${FONT}`;
      ctx.textBaseline = "alphabetic";
      ctx.fillStyle = dark ? "#e8e8e8" : "#4a4438";
      const badges = noteBadges(item);
      let badgeWidth = 0;
      if (badges !== "") {
        badgeWidth = Math.min(ctx.measureText(badges).width, r.w * 0.6);
        ctx.fillText(clipLine(ctx, badges, r.w * 0.6), r.x + r.w - NOTE_PAD - badgeWidth, r.y + r.h - 10);
      }
      const authors = authorLine(item);
      if (authors !== "") ctx.fillText(clipLine(ctx, authors, r.w - 28 - badgeWidth), r.x + NOTE_PAD, r.y + r.h - 10);
      if (item.tags.length > 0) {
        let x = r.x + NOTE_PAD;
        const y = r.y + r.h - 50;
        ctx.font = `bold 12px ${FONT}`;
        for (const tag of item.tags) {
          const label = `#${tag}`;
          const w = ctx.measureText(label).width + 12;
          if (x + w > r.x + r.w - 8) break;
          ctx.fillStyle = dark ? "rgba(255,255,255,0.2)" : "rgba(0,0,0,0.1)";
          ctx.fillRect(x, y, w, 20);
          ctx.fillStyle = dark ? "#ffffff" : "#2b2620";
          ctx.fillText(label, x + 6, y + 15);
          x += w + 6;
        }
      }
    }
  }

  private drawLabel(item: Item, r: Rect, zoom: number, editing: boolean): void {
    if (editing) return;
    const ctx = this.out;
    const layout = this.layout(item);
    if (layout.size * zoom < 3) {
      ctx.fillStyle = "rgba(30,27,22,0.4)";
      ctx.fillRect(r.x, r.y + r.h * 0.3, r.w * 0.7, r.h * 0.3);
      return;
    }
    ctx.fillStyle = item.color === "white" ? "#ffffff" : hex(item.color === "black" ? "#1e1b16" : item.color);
    ctx.font = `bold ${layout.size}px ${FONT}`;
    ctx.textBaseline = "top";
    const inner = noteInner(item);
    layout.lines.forEach((line, i) => ctx.fillText(line, inner.x + r.x - item.x, inner.y + r.y - item.y + i * layout.size * 1.25));
  }

  private drawConnector(
    item: Item,
    byId: ReadonlyMap<string, Item>,
    geometry: (item: Item) => Rect,
    zoom: number,
    selected: boolean,
    view: Rect,
  ): void {
    if (item.from === null || item.to === null) return;
    const from = byId.get(item.from);
    const to = byId.get(item.to);
    if (from === undefined || to === undefined) return;
    const a = geometry(from);
    const b = geometry(to);
    const minX = Math.min(a.x, b.x);
    const minY = Math.min(a.y, b.y);
    const maxX = Math.max(a.x + a.w, b.x + b.w);
    const maxY = Math.max(a.y + a.h, b.y + b.h);
    if (maxX < view.x || minX > view.x + view.w || maxY < view.y || minY > view.y + view.h) return;
    const [x1, y1, x2, y2] = connectorLine(a, b);
    const ctx = this.out;
    ctx.strokeStyle = selected ? "#1a5fb4" : "#3d3846";
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = (selected ? 4 : 2.5) / Math.max(zoom, 0.5);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
    const angle = Math.atan2(y2 - y1, x2 - x1);
    const size = 14 / Math.max(zoom, 0.5);
    ctx.beginPath();
    ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - size * Math.cos(angle - 0.4), y2 - size * Math.sin(angle - 0.4));
    ctx.lineTo(x2 - size * Math.cos(angle + 0.4), y2 - size * Math.sin(angle + 0.4));
    ctx.closePath();
    ctx.fill();
    if (item.text !== "" && zoom >= 0.3) {
      ctx.font = `15px ${FONT}`;
      const w = ctx.measureText(item.text).width + 14;
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(mx - w / 2, my - 13, w, 26);
      ctx.strokeStyle = "#9a9996";
      ctx.lineWidth = 1;
      ctx.strokeRect(mx - w / 2, my - 13, w, 26);
      ctx.fillStyle = "#1e1b16";
      ctx.textBaseline = "middle";
      ctx.fillText(item.text, mx - w / 2 + 7, my + 1);
    }
  }
}

function clipLine(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  const first = text.split("\n")[0] ?? "";
  if (ctx.measureText(first).width <= width) return first;
  let s = first;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}
