// Clustering a workshop's notes: group the selection into a new frame, stack
// it, merge it into one note, and the panel of near-duplicate notes (outlined
// on the board, each group mergeable at once).

import "./cluster.css";
import type { BoardBackend, Intent, Item, Outcome } from "./backend";
import { clear, h, showError, toast } from "./dom";
import { t } from "./i18n";

export interface ClusterHost {
  readonly backend: BoardBackend;
  readonly boardId: string;
  items(): ReadonlyMap<string, Item>;
  send(intent: Intent): Promise<Outcome | null>;
  select(ids: string[]): void;
  redraw(): void;
}

const groupable = (item: Item): boolean => item.kind === "note" || item.kind === "label";

export class ClusterTools {
  /** The side panel listing groups of similar notes. */
  readonly element: HTMLElement;
  /** The button in the tool bar that opens and closes the panel. */
  readonly toggle: HTMLButtonElement;
  /** Notes of the shown groups → their group's number (from 1), for the outlines. */
  readonly outlined = new Map<string, number>();
  private groups: string[][] = [];
  private readonly summary: HTMLElement;
  private readonly list: HTMLOListElement;
  private refreshTimer = 0;

  constructor(private readonly host: ClusterHost) {
    this.toggle = h(
      "button",
      { type: "button", class: "tool", id: "btn-similar", "aria-expanded": "false", "aria-controls": "similar-panel", title: t("showSimilar"), onclick: () => void this.toggleSimilar() },
      h("span", { class: "tool-icon", "aria-hidden": "true" }, "≈"),
      h("span", { class: "tool-label" }, t("similarShort")),
    );
    this.summary = h("p", { class: "explain", role: "status", id: "similar-summary" });
    this.list = h("ol", { class: "similar-list", "aria-labelledby": "similar-title" });
    this.element = h(
      "aside",
      { class: "side-panel similar-panel", id: "similar-panel", hidden: true, "aria-labelledby": "similar-title" },
      h(
        "div",
        { class: "side-head" },
        h("h2", { id: "similar-title" }, t("similarTitle")),
        h("button", { type: "button", class: "ghost small", id: "btn-close-similar", onclick: () => this.closeSimilar() }, t("close")),
      ),
      this.summary,
      this.list,
    );
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.closeSimilar();
      }
    });
  }

  /** Buttons for the selection bar: group, stack, merge, show similar. */
  buttons(selected: Item[]): HTMLElement[] {
    const movable = selected.filter(groupable);
    const notes = selected.filter((i) => i.kind === "note");
    const buttons: HTMLElement[] = [];
    if (movable.length > 0) {
      buttons.push(h("button", { type: "button", class: "ghost small", id: "btn-group", onclick: () => void this.group(movable) }, t("groupIntoFrame")));
    }
    if (movable.length > 1) {
      buttons.push(h("button", { type: "button", class: "ghost small", id: "btn-stack", onclick: () => void this.stack(movable) }, t("stack")));
    }
    const target = notes[0];
    if (target !== undefined && notes.length > 1) {
      buttons.push(
        h(
          "button",
          { type: "button", class: "ghost small", id: "btn-merge", title: t("mergeInto", preview(target.text)), onclick: () => void this.merge(notes.map((n) => n.id)) },
          t("merge"),
        ),
      );
    }
    if (notes.length > 1) {
      buttons.push(h("button", { type: "button", class: "ghost small", id: "btn-similar-selection", onclick: () => void this.showSimilar() }, t("showSimilar")));
    }
    return buttons;
  }

  /** Called after every change of the board: the shown groups follow it. */
  changed(): void {
    if (this.element.hidden) return;
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.loadSimilar(false), 400);
  }

  dispose(): void {
    window.clearTimeout(this.refreshTimer);
  }

  private async group(items: Item[]): Promise<void> {
    const outcome = await this.host.send({ op: "groupIntoFrame", ids: items.map((i) => i.id), title: t("groupTitle") });
    const frame = outcome?.created[0];
    if (frame !== undefined) {
      this.host.select([frame]);
      toast(items.length === 1 ? t("groupedOne", t("groupTitle")) : t("grouped", items.length, t("groupTitle")));
    }
  }

  private async stack(items: Item[]): Promise<void> {
    const outcome = await this.host.send({ op: "stack", ids: items.map((i) => i.id) });
    if (outcome !== null) toast(t("stacked", items.length));
  }

  /** Merges notes into the first of them. */
  private async merge(ids: string[]): Promise<void> {
    const [target, ...others] = ids;
    if (target === undefined || others.length === 0) return;
    const outcome = await this.host.send({ op: "merge", target, ids: others });
    if (outcome !== null) {
      this.host.select([target]);
      toast(t("merged", ids.length));
    }
  }

  private async toggleSimilar(): Promise<void> {
    if (this.element.hidden) {
      await this.showSimilar();
    } else {
      this.closeSimilar();
    }
  }

  private async showSimilar(): Promise<void> {
    this.element.hidden = false;
    this.toggle.setAttribute("aria-expanded", "true");
    await this.loadSimilar(true);
  }

  private closeSimilar(): void {
    window.clearTimeout(this.refreshTimer);
    const wasOpen = !this.element.hidden;
    this.element.hidden = true;
    this.toggle.setAttribute("aria-expanded", "false");
    this.groups = [];
    this.outlined.clear();
    this.host.redraw();
    if (wasOpen) this.toggle.focus();
  }

  private async loadSimilar(focus: boolean): Promise<void> {
    try {
      this.groups = await this.host.backend.nearDuplicates(this.host.boardId);
    } catch (cause) {
      showError(cause);
      return;
    }
    if (this.element.hidden) return;
    this.outlined.clear();
    this.groups.forEach((group, index) => {
      for (const id of group) this.outlined.set(id, index + 1);
    });
    this.render();
    this.host.redraw();
    if (focus) (this.list.querySelector("button") ?? this.element.querySelector<HTMLElement>("#btn-close-similar"))?.focus();
  }

  private render(): void {
    const items = this.host.items();
    clear(this.list);
    const count = this.groups.length;
    this.summary.textContent = count === 0 ? t("similarNone") : count === 1 ? t("similarFoundOne") : t("similarFound", count);
    this.groups.forEach((group, index) => {
      const number = index + 1;
      const headingId = `similar-group-${number}`;
      const texts = h("ul", { class: "similar-notes" });
      for (const id of group) {
        const item = items.get(id);
        if (item !== undefined) texts.append(h("li", {}, preview(item.text)));
      }
      this.list.append(
        h(
          "li",
          { class: "similar-group", "data-group": number },
          h("h3", { id: headingId }, h("span", { class: "group-badge", "aria-hidden": "true" }, String(number)), " ", t("similarGroup", number, group.length)),
          texts,
          h(
            "div",
            { class: "revision-actions" },
            h("button", { type: "button", class: "ghost small", "aria-describedby": headingId, onclick: () => this.host.select(group) }, t("selectGroup")),
            h("button", { type: "button", class: "primary small similar-merge", "aria-describedby": headingId, onclick: () => void this.merge(group) }, t("merge")),
          ),
        ),
      );
    });
  }
}

function preview(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  if (line === "") return t("emptyText");
  return line.length > 80 ? `${line.slice(0, 80)} …` : line;
}
