// What the workshop draws on the board, over the items: notes outside the
// round's frame veiled, private drafts dashed with a marker, padlocks on
// locked items, this user's vote dots with a "−" to take one back, and the
// totals of the last round. Board units; `px` is one screen pixel.

import type { Item } from "./backend";
import { FRAME_BAND, type Rect } from "./geometry";
import { t } from "./i18n";
import { FONT } from "./render";
import { votesFor } from "./workshop-results";

/** What the marks show, read from the workshop state. */
export interface Marks {
  items: ReadonlyMap<string, Item>;
  /** The frame the open round is limited to (notes outside it are veiled); null for none. */
  scope: string | null;
  /** This device's drafts as the board shows them. */
  drafts: readonly Item[];
  locks: ReadonlySet<string>;
  /** This user's votes per note while voting; empty otherwise. */
  myVotes: Readonly<Record<string, number>>;
  /** Totals of the last round, shown while no round is open; null for none. */
  results: Readonly<Record<string, number>> | null;
}

/** The "−" button on a note with own votes (board units). */
export function minusButton(item: { x: number; y: number }, zoom: number): { x: number; y: number; r: number } {
  const r = 12 / zoom;
  return { x: item.x + r + 6 / zoom, y: item.y, r };
}

/** Draws the marks; `geometry` gives where an item is drawn now (it follows drags and resizes). */
export function drawMarks(ctx: CanvasRenderingContext2D, geometry: (item: Item) => Rect, zoom: number, marks: Marks): void {
  const { items } = marks;
  const px = 1 / zoom;
  ctx.save();
  if (marks.scope !== null) {
    // Notes outside the round's frame are veiled.
    ctx.fillStyle = "rgba(247, 245, 240, 0.6)";
    for (const item of items.values()) {
      if (item.kind === "note" && item.parent !== marks.scope) {
        const r = geometry(item);
        ctx.fillRect(r.x, r.y, r.w, r.h);
      }
    }
  }
  for (const item of marks.drafts) {
    const r = geometry(item);
    ctx.setLineDash([8 * px, 5 * px]);
    ctx.lineWidth = 2.5 * px;
    ctx.strokeStyle = "#3d3846";
    ctx.strokeRect(r.x - 3 * px, r.y - 3 * px, r.w + 6 * px, r.h + 6 * px);
    ctx.setLineDash([]);
    // Where the author stands on a public note.
    if (zoom >= 0.3) pill(ctx, t("privateMarker"), r.x + 10 * px, r.y + r.h - 6 * px, px, "#3d3846");
  }
  for (const id of marks.locks) {
    const item = items.get(id);
    if (item === undefined || item.kind === "connector") continue;
    const r = geometry(item);
    const size = 18 * px;
    const x = r.x + r.w - size - 6 * px;
    const y = item.kind === "frame" ? r.y + (FRAME_BAND - size) / 2 : r.y + r.h - size - 6 * px;
    padlock(ctx, x, y, size, px);
  }
  for (const [id, count] of Object.entries(marks.myVotes)) {
    const item = items.get(id);
    if (item === undefined || count <= 0) continue;
    const r = geometry(item);
    const dot = 7 * px;
    const shown = Math.min(count, 5);
    for (let i = 0; i < shown; i++) {
      disc(ctx, r.x + r.w - 14 * px - i * (dot * 2 + 3 * px), r.y, dot, "#1a5fb4", "#ffffff", 1.5 * px);
    }
    if (count > shown) pill(ctx, `×${count}`, r.x + r.w - 14 * px - shown * (dot * 2 + 3 * px) - 30 * px, r.y + 9 * px, px, "#1a5fb4");
    const minus = minusButton({ ...item, x: r.x, y: r.y }, zoom);
    disc(ctx, minus.x, minus.y, minus.r, "#ffffff", "#1a5fb4", 2 * px);
    ctx.fillStyle = "#1a5fb4";
    ctx.fillRect(minus.x - minus.r * 0.5, minus.y - 1.25 * px, minus.r, 2.5 * px);
  }
  const results = marks.results;
  if (results !== null && zoom >= 0.15) {
    for (const item of items.values()) {
      if (item.kind !== "note") continue;
      const total = votesFor(results, item);
      if (total <= 0) continue;
      const r = geometry(item);
      const radius = 16 * px;
      const cx = r.x + r.w - radius * 0.4;
      const cy = r.y + radius * 0.4;
      disc(ctx, cx, cy, radius, "#144a8c", "#ffffff", 2 * px);
      ctx.fillStyle = "#ffffff";
      ctx.font = `bold ${15 * px}px ${FONT}`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(String(total), cx, cy + px);
      ctx.textAlign = "start";
    }
  }
  ctx.restore();
}

/** A small label with a dark background, its bottom left at (x, y). */
function pill(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, px: number, color: string): void {
  ctx.font = `bold ${12 * px}px ${FONT}`;
  const w = ctx.measureText(text).width + 12 * px;
  const hgt = 18 * px;
  ctx.fillStyle = color;
  ctx.fillRect(x, y - hgt, w, hgt);
  ctx.fillStyle = "#ffffff";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x + 6 * px, y - hgt / 2 + px);
}

/** A filled circle with an outline (vote dots, the "−" button, result badges). */
function disc(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, stroke: string, lineWidth: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

function padlock(ctx: CanvasRenderingContext2D, x: number, y: number, size: number, px: number): void {
  ctx.fillStyle = "rgba(255, 255, 255, 0.9)";
  ctx.fillRect(x - 3 * px, y - 3 * px, size + 6 * px, size + 6 * px);
  ctx.strokeStyle = "#3d3846";
  ctx.lineWidth = 2.2 * px;
  ctx.beginPath();
  ctx.arc(x + size / 2, y + size * 0.42, size * 0.26, Math.PI, 0);
  ctx.stroke();
  ctx.fillStyle = "#3d3846";
  ctx.fillRect(x + size * 0.14, y + size * 0.42, size * 0.72, size * 0.54);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(x + size / 2 - px, y + size * 0.58, 2 * px, size * 0.2);
}
