// The overview map in the corner: every item as a small shape, the part of
// the board in view as a red frame, and a click or drag on it moves the
// view there. The items are drawn into a layer only when they changed; each
// frame copies the layer and draws the view's frame on top.

import type { Item, Viewport } from "./backend";
import { centredAt, type Camera, type Size } from "./camera";
import { hex } from "./colors";
import { bounds, type Rect } from "./geometry";

const WIDTH = 220;
const HEIGHT = 140;
/** Board units of empty space around the items. */
const PAD = 200;

/** Board point (x, y) is drawn at ((x - this.x) * scale, (y - this.y) * scale). */
export interface MapTransform {
  x: number;
  y: number;
  scale: number;
}

/** The transform that shows `box` and some space around it, centred, in a map of `width` × `height`. */
export function mapTransform(box: Rect | null, width: number, height: number): MapTransform {
  const b = box ?? { x: 0, y: 0, w: 1, h: 1 };
  const scale = Math.min(width / (b.w + 2 * PAD), height / (b.h + 2 * PAD));
  return {
    scale,
    x: b.x - PAD - (width / scale - b.w - 2 * PAD) / 2,
    y: b.y - PAD - (height / scale - b.h - 2 * PAD) / 2,
  };
}

/** The board point under map point (mx, my). */
export function mapToBoard(m: MapTransform, mx: number, my: number): { x: number; y: number } {
  return { x: mx / m.scale + m.x, y: my / m.scale + m.y };
}

/** The part of the board in view, in map pixels, kept a pixel inside the map; null when it is off the map. */
export function viewOnMap(m: MapTransform, view: Viewport, stage: Size, width: number, height: number): Rect | null {
  const x1 = Math.max(1, (view.x - m.x) * m.scale);
  const y1 = Math.max(1, (view.y - m.y) * m.scale);
  const x2 = Math.min(width - 1, (view.x + stage.width / view.zoom - m.x) * m.scale);
  const y2 = Math.min(height - 1, (view.y + stage.height / view.zoom - m.y) * m.scale);
  return x2 > x1 && y2 > y1 ? { x: x1, y: y1, w: x2 - x1, h: y2 - y1 } : null;
}

export interface MinimapHost {
  readonly camera: Camera;
  size(): Size;
}

export class Minimap {
  readonly element: HTMLCanvasElement;
  private readonly layer: HTMLCanvasElement;
  private transform: MapTransform = { x: 0, y: 0, scale: 1 };
  private dirty = true;
  private dragging = false;

  constructor(private readonly host: MinimapHost) {
    this.element = document.createElement("canvas");
    this.element.className = "minimap";
    this.element.width = WIDTH;
    this.element.height = HEIGHT;
    this.element.setAttribute("aria-hidden", "true");
    this.layer = document.createElement("canvas");
    this.layer.width = WIDTH;
    this.layer.height = HEIGHT;
    this.element.addEventListener("pointerdown", (e) => {
      this.dragging = true;
      try {
        this.element.setPointerCapture(e.pointerId);
      } catch {
        // Synthetic pointers (assistive tools, tests) cannot be captured.
      }
      this.jump(e);
    });
    this.element.addEventListener("pointermove", (e) => {
      if (this.dragging) this.jump(e);
    });
    this.element.addEventListener("pointerup", () => {
      this.dragging = false;
    });
  }

  /** The items changed: the layer is drawn again with the next frame. */
  invalidate(): void {
    this.dirty = true;
  }

  /** Draws the map: `ordered` are the items shown, in draw order. */
  draw(ordered: readonly Item[]): void {
    const ctx = this.element.getContext("2d");
    if (ctx === null) return;
    if (this.dirty) {
      this.dirty = false;
      this.transform = mapTransform(bounds(ordered), WIDTH, HEIGHT);
      this.drawLayer(ordered);
    }
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    ctx.drawImage(this.layer, 0, 0);
    ctx.strokeStyle = "#c01c28";
    ctx.lineWidth = 2;
    const view = viewOnMap(this.transform, this.host.camera.viewport, this.host.size(), WIDTH, HEIGHT);
    if (view !== null) ctx.strokeRect(view.x, view.y, view.w, view.h);
  }

  private drawLayer(ordered: readonly Item[]): void {
    const layer = this.layer.getContext("2d");
    if (layer === null) return;
    const m = this.transform;
    layer.clearRect(0, 0, WIDTH, HEIGHT);
    layer.fillStyle = "#f7f5f0";
    layer.fillRect(0, 0, WIDTH, HEIGHT);
    for (const item of ordered) {
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

  private jump(event: PointerEvent): void {
    const rect = this.element.getBoundingClientRect();
    const p = mapToBoard(this.transform, event.clientX - rect.left, event.clientY - rect.top);
    const camera = this.host.camera;
    camera.set(centredAt(p.x, p.y, camera.viewport.zoom, this.host.size()));
  }
}
