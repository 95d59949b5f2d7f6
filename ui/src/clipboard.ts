// Copy and paste on the board: copied items are kept here as specs relative
// to their top left corner (the system clipboard gets their text); pasting
// them, or lines of text from elsewhere as a grid of notes, creates them
// around the middle of the view as one change.

import { looseItem, type Intent, type Item, type ItemSpec, type Outcome } from "./backend";
import { bounds, NOTE_H, NOTE_W } from "./geometry";
import { t } from "./i18n";

/** At most this many notes come from one pasted text. */
const MAX_PASTED_LINES = 500;
/** Ctrl+V without a paste event (WebKit gives none without text on the system clipboard): after this wait. */
const PASTE_FALLBACK_MS = 150;

export interface Copied {
  /** What goes to the system clipboard: the texts, one a line. */
  text: string;
  /** The items, their positions relative to the top left of all of them. */
  specs: ItemSpec[];
}

/** The items (connectors left out) as specs to paste elsewhere; null when nothing is left. */
export function copyItems(items: readonly Item[]): Copied | null {
  const copied = items.filter((i) => i.kind !== "connector");
  if (copied.length === 0) return null;
  const box = bounds(copied);
  const specs: ItemSpec[] = copied.map((i) => ({
    kind: i.kind,
    x: i.x - (box?.x ?? 0),
    y: i.y - (box?.y ?? 0),
    w: i.w,
    h: i.h,
    color: i.color,
    text: i.text,
    tags: i.tags,
  }));
  return { text: copied.map((i) => i.text).join("\n"), specs };
}

/** Pasted text as notes: one per non-empty line, in a square grid, at most MAX_PASTED_LINES. */
export function notesFromText(text: string): ItemSpec[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0) return [];
  const cols = Math.ceil(Math.sqrt(lines.length));
  return lines.slice(0, MAX_PASTED_LINES).map((line, i) => ({
    kind: "note",
    x: (i % cols) * (NOTE_W + 24),
    y: Math.floor(i / cols) * (NOTE_H + 24),
    w: NOTE_W,
    h: NOTE_H,
    text: line,
  }));
}

/** The specs moved so that they are centred on board point `center`, on whole units. */
export function placeAround(specs: readonly ItemSpec[], center: { x: number; y: number }): ItemSpec[] {
  const box = bounds(specs.map((s) => specItem(s)));
  const cx = center.x - (box?.w ?? 0) / 2;
  const cy = center.y - (box?.h ?? 0) / 2;
  return specs.map((s) => ({ ...s, x: Math.round(s.x + cx), y: Math.round(s.y + cy) }));
}

function specItem(spec: ItemSpec): Item {
  return looseItem({ kind: spec.kind, x: spec.x, y: spec.y, w: spec.w ?? NOTE_W, h: spec.h ?? NOTE_H, color: spec.color ?? "yellow", text: spec.text });
}

export interface ClipboardHost {
  /** The selected items. */
  selected(): Item[];
  previewing(): boolean;
  /** The board point in the middle of the view. */
  center(): { x: number; y: number };
  send(intent: Intent): Promise<Outcome | null>;
  setSelection(ids: string[]): void;
  announce(message: string): void;
}

export class BoardClipboard {
  private copied: Copied | null = null;
  private pasteHandled = false;

  constructor(private readonly host: ClipboardHost) {}

  /** Ctrl+C: the selection is kept to paste. */
  copySelection(): void {
    const copied = copyItems(this.host.selected());
    if (copied !== null) this.copied = copied;
  }

  /** Ctrl+V: pastes what was copied here when no paste event follows. */
  pasteKey(): void {
    this.pasteHandled = false;
    window.setTimeout(() => {
      if (!this.pasteHandled && this.copied !== null) void this.pasteSpecs(this.copied.specs);
    }, PASTE_FALLBACK_MS);
  }

  /** The document's copy event: the selection's text goes to the system clipboard. */
  onCopy(event: ClipboardEvent): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    this.copySelection();
    if (this.copied !== null && event.clipboardData !== null) {
      event.clipboardData.setData("text/plain", this.copied.text);
      event.preventDefault();
    }
  }

  /** The document's paste event: what was copied here, or the lines of other text as notes. */
  onPaste(event: ClipboardEvent): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    if (this.host.previewing()) return;
    this.pasteHandled = true;
    event.preventDefault();
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (this.copied !== null && (text === "" || text === this.copied.text)) {
      void this.pasteSpecs(this.copied.specs);
      return;
    }
    const specs = notesFromText(text);
    if (specs.length === 0) return;
    void this.pasteSpecs(specs);
  }

  private async pasteSpecs(specs: ItemSpec[]): Promise<void> {
    const items = placeAround(specs, this.host.center());
    const outcome = await this.host.send({ op: "create", items, adopt: true });
    if (outcome !== null) {
      this.host.setSelection(outcome.created);
      this.host.announce(t("pasted", outcome.created.length));
    }
  }
}
