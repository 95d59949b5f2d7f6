// Hit testing: which item is under a board point, the resize handle of the
// selected item, and the items inside a rubber band. Board units; the zoom
// sets how near a thin line or a handle counts as "on" it.

import type { Item } from "./backend";
import { connectorLine, distanceToSegment, FRAME_BAND, type Rect } from "./geometry";

/**
 * The topmost item at (x, y): `order` is the draw order, so the last hit
 * wins. A connector is hit within 8 screen pixels of its line (its ends
 * are looked up in `byId`); a frame only on its title band (and above it,
 * where its title is drawn when zoomed far out).
 */
export function hitTest(order: readonly Item[], byId: ReadonlyMap<string, Item>, x: number, y: number, zoom: number): Item | null {
  const tolerance = 8 / zoom;
  for (let i = order.length - 1; i >= 0; i--) {
    const item = order[i];
    if (item === undefined) continue;
    if (item.kind === "connector") {
      const from = item.from === null ? undefined : byId.get(item.from);
      const to = item.to === null ? undefined : byId.get(item.to);
      if (from === undefined || to === undefined) continue;
      const [x1, y1, x2, y2] = connectorLine(from, to);
      if (distanceToSegment(x, y, x1, y1, x2, y2) <= tolerance) return item;
      continue;
    }
    if (item.kind === "frame") {
      const inBand = x >= item.x && x <= item.x + item.w && y >= item.y - (zoom < 0.4 ? FRAME_BAND : 0) && y <= item.y + FRAME_BAND;
      if (inBand) return item;
      continue;
    }
    if (x >= item.x && x <= item.x + item.w && y >= item.y && y <= item.y + item.h) return item;
  }
  return null;
}

/** Whether (x, y) is on the resize handle at the bottom right corner of `item` (12 screen pixels). */
export function onResizeHandle(item: Rect, x: number, y: number, zoom: number): boolean {
  const s = 12 / zoom;
  return Math.abs(x - (item.x + item.w)) <= s && Math.abs(y - (item.y + item.h)) <= s;
}

/** The rectangle spanned by two corners. */
export function spanned(a: { x: number; y: number }, b: { x: number; y: number }): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
}

/** Ids of the items (not connectors) wholly inside `r`. */
export function itemsInside(items: Iterable<Item>, r: Rect): string[] {
  return [...items]
    .filter((i) => i.kind !== "connector" && i.x >= r.x && i.y >= r.y && i.x + i.w <= r.x + r.w && i.y + i.h <= r.y + r.h)
    .map((i) => i.id);
}
