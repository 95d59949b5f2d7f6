// The accessible list of the board's items, behind the canvas: one button
// per item with a spoken description, reached with Tab and walked with the
// arrow keys. It is built after the first paint (a big board shows at once)
// and then kept up to date item by item. The end-to-end tests read where
// items are from its data attributes.

import type { Item, ItemKind } from "./backend";
import { annotationParts } from "./comments";
import { h } from "./dom";
import { colorName, t } from "./i18n";

/** The list is built this long after it is first needed, in milliseconds. */
const BUILD_AFTER_MS = 50;

export function kindName(kind: ItemKind): string {
  switch (kind) {
    case "note":
      return t("kindNote");
    case "frame":
      return t("kindFrame");
    case "label":
      return t("kindLabel");
    default:
      return t("kindConnector");
  }
}

/** Where an item is, on its entry in the accessible list (also read by the end-to-end tests). */
export function geometryData(item: Item): Record<string, string> {
  return {
    "data-id": item.id,
    "data-kind": item.kind,
    "data-x": String(item.x),
    "data-y": String(item.y),
    "data-parent": item.parent ?? "",
    "data-text": item.text,
  };
}

/**
 * What a screen reader says for an item: kind and text, colour, `extra`
 * (workshop marks), tags, author, comments and reactions, its frame; for a
 * connector, the texts of its ends.
 */
export function describeItem(item: Item, items: ReadonlyMap<string, Item>, extra: readonly string[]): string {
  const text = item.text.trim() === "" ? t("emptyText") : item.text;
  if (item.kind === "connector") {
    const from = item.from === null ? undefined : items.get(item.from);
    const to = item.to === null ? undefined : items.get(item.to);
    return `${kindName(item.kind)}: ${from?.text ?? ""} → ${to?.text ?? ""}${item.text !== "" ? ` (${item.text})` : ""}`;
  }
  const parts = [t("itemDescription", kindName(item.kind), text)];
  if (item.kind === "note") parts.push(colorName(item.color));
  parts.push(...extra);
  if (item.tags.length > 0) parts.push(item.tags.map((tag) => `#${tag}`).join(" "));
  if (item.author !== "") parts.push(t("author", item.author));
  parts.push(...annotationParts(item));
  const parent = item.parent === null ? undefined : items.get(item.parent);
  if (parent !== undefined) parts.push(t("inFrame", parent.text));
  return parts.join(", ");
}

/** Frames first, then top to bottom, left to right. */
export function listOrder(items: Iterable<Item>): Item[] {
  return [...items].sort((a, b) => (a.kind === "frame" ? 0 : 1) - (b.kind === "frame" ? 0 : 1) || a.y - b.y || a.x - b.x);
}

export interface ItemListHost {
  items(): ReadonlyMap<string, Item>;
  /** The workshop's parts of an item's description. */
  describeExtra(item: Item): string[];
  closed(): boolean;
  /** An entry got the keyboard focus. */
  focused(id: string): void;
  /** The focus left the list. */
  left(): void;
}

export class ItemList {
  readonly element: HTMLUListElement;
  private readonly entries = new Map<string, HTMLLIElement>();
  private dirty = true;
  private timer = 0;

  constructor(private readonly host: ItemListHost) {
    this.element = h("ul", { class: "item-list", "aria-label": t("itemsList") });
    this.element.addEventListener("focusin", (e) => {
      const id = (e.target as HTMLElement).dataset["id"];
      if (id !== undefined) this.host.focused(id);
    });
    this.element.addEventListener("focusout", () => {
      window.setTimeout(() => {
        if (!this.element.contains(document.activeElement)) this.host.left();
      }, 0);
    });
  }

  /** Builds the list soon, if it was not built yet. */
  scheduleBuild(): void {
    if (!this.dirty || this.timer !== 0) return;
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.build();
    }, BUILD_AFTER_MS);
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    this.timer = 0;
  }

  /** The item changed, appeared or went away. */
  update(id: string): void {
    if (this.dirty) return;
    const item = this.host.items().get(id);
    const existing = this.entries.get(id);
    if (item === undefined || item.kind === "connector" && (item.from === null || item.to === null)) {
      existing?.remove();
      this.entries.delete(id);
      return;
    }
    if (existing !== undefined) {
      const button = existing.firstElementChild as HTMLButtonElement | null;
      if (button !== null) {
        button.setAttribute("aria-label", this.describe(item));
        for (const [key, value] of Object.entries(geometryData(item))) button.setAttribute(key, value);
      }
    } else {
      const li = this.entry(item);
      this.entries.set(id, li);
      this.element.append(li);
    }
  }

  /** The descriptions again (the workshop's marks changed). */
  relabel(): void {
    if (this.dirty) return;
    const items = this.host.items();
    for (const [id, li] of this.entries) {
      const item = items.get(id);
      const button = li.firstElementChild;
      if (item === undefined || button === null) continue;
      const label = this.describe(item);
      if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
    }
  }

  private build(): void {
    if (this.host.closed()) return;
    this.dirty = false;
    this.entries.clear();
    const fragment = document.createDocumentFragment();
    for (const item of listOrder(this.host.items().values())) {
      const li = this.entry(item);
      this.entries.set(item.id, li);
      fragment.append(li);
    }
    this.element.replaceChildren(fragment);
    const first = this.element.querySelector("button");
    if (first !== null) first.tabIndex = 0;
  }

  private entry(item: Item): HTMLLIElement {
    return h(
      "li",
      {},
      h("button", { type: "button", tabindex: "-1", "aria-label": this.describe(item), ...geometryData(item) }, kindName(item.kind)),
    );
  }

  private describe(item: Item): string {
    return describeItem(item, this.host.items(), this.host.describeExtra(item));
  }

  private button(id: string): HTMLButtonElement | null {
    return (this.entries.get(id)?.firstElementChild as HTMLButtonElement | null | undefined) ?? null;
  }

  /** Moves the keyboard focus to the item's entry (the list is built first if need be). */
  focus(id: string): void {
    if (this.dirty) this.build();
    const button = this.button(id);
    if (button === null) return;
    for (const other of this.element.querySelectorAll<HTMLButtonElement>('button[tabindex="0"]')) other.tabIndex = -1;
    button.tabIndex = 0;
    button.focus({ preventScroll: true });
  }

  /** The item's entry is the one Tab comes back to. */
  markCurrent(id: string): void {
    for (const other of this.element.querySelectorAll<HTMLButtonElement>('button[tabindex="0"]')) {
      if (other.dataset["id"] !== id) other.tabIndex = -1;
    }
    const button = this.button(id);
    if (button !== null) button.tabIndex = 0;
  }
}
