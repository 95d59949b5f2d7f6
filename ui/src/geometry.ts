// Board geometry without a canvas: rectangles, the line of a connector,
// distances, bounds, the order items are drawn in, and which areas a change
// repaints. Board units throughout.

import type { Item, Outcome } from "./backend";

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The size of a new note. */
export const NOTE_W = 200;
export const NOTE_H = 150;
/** Height of a frame's title band. */
export const FRAME_BAND = 44;
/** Padding inside a note, around its text and footer. */
export const NOTE_PAD = 14;

/** Where the text of a note or label goes: inside the padding, above a note's footer. */
export function noteInner(item: Item): Rect {
  const footer = item.kind === "note" ? 22 + (item.tags.length > 0 ? 24 : 0) : 0;
  const pad = item.kind === "note" ? NOTE_PAD : 4;
  return { x: item.x + pad, y: item.y + pad, w: Math.max(10, item.w - 2 * pad), h: Math.max(10, item.h - 2 * pad - footer) };
}

/** The segment between the borders of two rectangles, centre to centre. */
export function connectorLine(a: Rect, b: Rect): [number, number, number, number] {
  const ax = a.x + a.w / 2;
  const ay = a.y + a.h / 2;
  const bx = b.x + b.w / 2;
  const by = b.y + b.h / 2;
  const clip = (r: Rect, cx: number, cy: number, tx: number, ty: number): [number, number] => {
    const dx = tx - cx;
    const dy = ty - cy;
    if (dx === 0 && dy === 0) return [cx, cy];
    const sx = dx === 0 ? Infinity : r.w / 2 / Math.abs(dx);
    const sy = dy === 0 ? Infinity : r.h / 2 / Math.abs(dy);
    const s = Math.min(sx, sy, 1);
    return [cx + dx * s, cy + dy * s];
  };
  const [x1, y1] = clip(a, ax, ay, bx, by);
  const [x2, y2] = clip(b, bx, by, ax, ay);
  return [x1, y1, x2, y2];
}

/** The box around a connector's line; null when one of its ends is missing. */
export function connectorBox(item: Item, byId: ReadonlyMap<string, Item>): Rect | null {
  if (item.from === null || item.to === null) return null;
  const a = byId.get(item.from);
  const b = byId.get(item.to);
  if (a === undefined || b === undefined) return null;
  const [x1, y1, x2, y2] = connectorLine(a, b);
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), w: Math.abs(x2 - x1), h: Math.abs(y2 - y1) };
}

/** The point of segment (x1, y1)–(x2, y2) closest to (px, py). */
export function closestOnSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): { x: number; y: number } {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len));
  return { x: x1 + t * dx, y: y1 + t * dy };
}

export function distanceToSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const closest = closestOnSegment(px, py, x1, y1, x2, y2);
  return Math.hypot(px - closest.x, py - closest.y);
}

/** Frames below, then connectors, then notes and labels; each by z. */
export function drawOrder(items: Iterable<Item>): Item[] {
  const rank = (item: Item): number => (item.kind === "frame" ? 0 : item.kind === "connector" ? 1 : 2);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.z - b.z);
}

/** The box around every item but connectors (a frame's title band included); null when there is none. */
export function bounds(items: Iterable<Item>): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const item of items) {
    if (item.kind === "connector") continue;
    minX = Math.min(minX, item.x);
    minY = Math.min(minY, item.y - (item.kind === "frame" ? FRAME_BAND : 0));
    maxX = Math.max(maxX, item.x + item.w);
    maxY = Math.max(maxY, item.y + item.h);
  }
  return minX === Infinity ? null : { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

/**
 * Where `outcome` changes the drawing of `items`, before and after: each
 * changed or removed item where it was and where it is, and every connector
 * that touches one of them (its line moves with its ends).
 */
export function changedAreas(items: ReadonlyMap<string, Item>, outcome: Outcome): Rect[] {
  const changed = new Map(outcome.changes.items.map((item) => [item.id, item]));
  const removed = new Set(outcome.changes.removed);
  const touched = new Set([...changed.keys(), ...removed]);
  const before = (id: string): Item | undefined => items.get(id);
  const after = (id: string): Item | undefined => (removed.has(id) ? undefined : changed.get(id) ?? items.get(id));
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
  for (const item of items.values()) {
    if (item.kind !== "connector" || touched.has(item.id)) continue;
    if ((item.from !== null && touched.has(item.from)) || (item.to !== null && touched.has(item.to))) {
      place(item, before);
      place(item, after);
    }
  }
  return areas;
}

/** The unit step of an arrow key ("ArrowDown" for anything else), times `step`. */
export function arrow(key: string, step: number): [number, number] {
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

/**
 * The candidate nearest to `from` in the direction of an arrow key: centres
 * ahead of it, the distance along the arrow plus twice the distance across.
 */
export function nearestInDirection(from: Rect, candidates: Iterable<Item>, key: string): Item | null {
  const cx = from.x + from.w / 2;
  const cy = from.y + from.h / 2;
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
  return best;
}

/** Frames in reading order: rows from top to bottom, left to right in a row. */
export function readingOrder(items: Iterable<Item>): Item[] {
  const frames = [...items].filter((i) => i.kind === "frame").sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: Item[][] = [];
  for (const frame of frames) {
    const row = rows[rows.length - 1];
    const top = row?.[0];
    // Frames whose tops lie within half a frame's height form one row.
    if (row !== undefined && top !== undefined && frame.y - top.y < Math.min(top.h, frame.h) / 2) row.push(frame);
    else rows.push([frame]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.x - b.x));
}
