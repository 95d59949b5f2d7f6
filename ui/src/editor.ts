// Editing text in place: a textarea laid over the item being edited (a
// note, a label, a frame's title band, a connector's caption), following
// the view as it moves, sized like the text it covers. When editing ends,
// the change goes to the backend as one splice.

import type { Intent, Item, Viewport } from "./backend";
import type { Camera, Size } from "./camera";
import { centredAt } from "./camera";
import { hex, isDark } from "./colors";
import { h, toast } from "./dom";
import { connectorLine, FRAME_BAND, noteInner, type Rect } from "./geometry";
import { t } from "./i18n";
import { kindName } from "./item-list";
import { fitText, FONT } from "./render";
import { textIntent } from "./text-diff";

/** Below this zoom a note is brought to 100 % for typing. */
const READABLE_ZOOM = 0.8;

export interface EditorHost {
  readonly stage: HTMLElement;
  readonly camera: Camera;
  items(): ReadonlyMap<string, Item>;
  size(): Size;
  /** A revision is shown instead of the board. */
  previewing(): boolean;
  lockedForMe(id: string): boolean;
  send(intent: Intent): void;
  /** Focus goes back to the item's entry in the accessible list. */
  focusListItem(id: string): void;
  requestFrame(): void;
}

/** Where the editor of `item` lies on the board: a connector's caption, a frame's band, the item otherwise. */
export function editorBox(item: Item, items: ReadonlyMap<string, Item>): Rect {
  if (item.kind === "connector") {
    const from = item.from === null ? undefined : items.get(item.from);
    const to = item.to === null ? undefined : items.get(item.to);
    if (from !== undefined && to !== undefined) {
      const [x1, y1, x2, y2] = connectorLine(from, to);
      return { x: (x1 + x2) / 2 - 110, y: (y1 + y2) / 2 - 20, w: 220, h: 40 };
    }
    return item;
  }
  if (item.kind === "frame") return { x: item.x, y: item.y, w: item.w, h: FRAME_BAND };
  return item;
}

export class TextEditor {
  private editing: { id: string; area: HTMLTextAreaElement; original: string } | null = null;

  constructor(private readonly host: EditorHost) {}

  /** The item being edited. */
  get id(): string | null {
    return this.editing?.id ?? null;
  }

  start(id: string, selectAll = false): void {
    const host = this.host;
    if (host.previewing()) return;
    const item = host.items().get(id);
    if (item === undefined) return;
    if (host.lockedForMe(id)) {
      toast(t("lockedRefused"), undefined, true);
      return;
    }
    this.commit();
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
        this.commit(true);
      }
    });
    area.addEventListener("input", () => this.place());
    area.addEventListener("blur", () => {
      if (this.editing?.area === area) this.commit();
    });
    this.editing = { id, area, original: item.text };
    host.stage.append(area);
    if (host.camera.viewport.zoom < READABLE_ZOOM && item.kind !== "frame") {
      // Typing on a note too small to read: bring it to 100 % first.
      host.camera.set(centredAt(item.x + item.w / 2, item.y + item.h / 2, 1, host.size()));
    } else {
      host.camera.bringIntoView(item);
    }
    this.place();
    area.focus();
    if (selectAll) area.select();
    else area.setSelectionRange(area.value.length, area.value.length);
    host.requestFrame();
  }

  /** Lays the editor over its item as the view shows it now. */
  place(): void {
    if (this.editing === null) return;
    const item = this.host.items().get(this.editing.id);
    if (item === undefined) return;
    placeArea(this.editing.area, item, editorBox(item, this.host.items()), this.host.camera.viewport);
  }

  /** Ends editing; the text goes to the backend as one change. */
  commit(refocus = false): void {
    const editing = this.editing;
    if (editing === null) return;
    this.editing = null;
    const text = editing.area.value;
    const hadFocus = document.activeElement === editing.area;
    editing.area.remove();
    if (text !== editing.original && this.host.items().has(editing.id)) {
      this.host.send(textIntent(editing.id, editing.original, text));
    }
    if (refocus || hadFocus) this.host.focusListItem(editing.id);
    this.host.requestFrame();
  }
}

function placeArea(area: HTMLTextAreaElement, item: Item, rect: Rect, view: Viewport): void {
  const { zoom, x, y } = view;
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
