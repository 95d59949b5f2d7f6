// The bar over the board while something is selected: colours, tags, the
// author, comments and reactions of a single note, grouping, duplicating,
// stacking order, workshop locks and deleting.

import type { Intent, Item, Outcome } from "./backend";
import { NOTE_COLORS, hex } from "./colors";
import { authorLine } from "./comments";
import { clear, h } from "./dom";
import { colorName, t } from "./i18n";

export interface SelectionBarHost {
  send(intent: Intent): Promise<Outcome | null>;
  duplicate(): void;
  deleteSelection(): void;
  /** Comment and reaction controls of a single note. */
  noteControls(note: Item): HTMLElement[];
  /** Grouping buttons (similar notes, clusters). */
  clusterButtons(selected: Item[]): HTMLElement[];
  /** Lock buttons of the workshop. */
  workshopButtons(selected: Item[]): HTMLElement[];
}

export class SelectionBar {
  readonly element: HTMLElement;

  constructor(private readonly host: SelectionBarHost) {
    this.element = h("div", { class: "selection-bar", role: "toolbar", "aria-label": t("selection"), hidden: true });
  }

  /** Shows the controls for `selected`; hidden when nothing is selected or a revision is shown. */
  update(selected: Item[], previewing: boolean): void {
    const bar = this.element;
    const host = this.host;
    if (selected.length === 0 || previewing) {
      bar.hidden = true;
      return;
    }
    bar.hidden = false;
    clear(bar);
    const ids = selected.map((i) => i.id);
    if (selected.length > 1) bar.append(h("span", { class: "bar-text" }, t("selectedCount", selected.length)));
    const colorable = selected.filter((i) => i.kind !== "connector");
    if (colorable.length > 0) {
      const group = h("div", { class: "swatches", role: "group", "aria-label": t("color") });
      for (const color of NOTE_COLORS) {
        const active = colorable.every((i) => i.color === color);
        group.append(
          h("button", {
            type: "button",
            class: "swatch",
            style: `background:${hex(color)}`,
            "data-color": color,
            "aria-label": colorName(color),
            "aria-pressed": String(active),
            title: colorName(color),
            onclick: () => void host.send({ op: "recolor", ids: colorable.map((i) => i.id), color }),
          }),
        );
      }
      bar.append(group);
    }
    const single = selected.length === 1 ? selected[0] : undefined;
    if (single !== undefined && (single.kind === "note" || single.kind === "label" || single.kind === "frame")) {
      bar.append(this.tags(single));
      if (authorLine(single) !== "") bar.append(h("span", { class: "bar-text author" }, t("author", authorLine(single))));
      if (single.kind === "note") bar.append(...host.noteControls(single));
    }
    bar.append(
      ...host.clusterButtons(selected),
      h("button", { type: "button", class: "ghost small", id: "btn-duplicate", onclick: () => host.duplicate() }, t("duplicateSelection")),
      h("button", { type: "button", class: "ghost small", onclick: () => void host.send({ op: "bringToFront", ids }) }, t("bringToFront")),
      h("button", { type: "button", class: "ghost small", onclick: () => void host.send({ op: "sendToBack", ids }) }, t("sendToBack")),
      ...host.workshopButtons(selected),
      h("button", { type: "button", class: "danger small", id: "btn-delete", onclick: () => host.deleteSelection() }, t("deleteSelection")),
    );
  }

  private tags(single: Item): HTMLElement {
    const tags = h("div", { class: "tags", role: "group", "aria-label": t("tags") });
    for (const tag of single.tags) {
      tags.append(
        h(
          "span",
          { class: "tag" },
          `#${tag}`,
          h(
            "button",
            {
              type: "button",
              class: "tag-remove",
              "aria-label": t("removeTag", tag),
              onclick: () => void this.host.send({ op: "removeTag", id: single.id, tag }),
            },
            "×",
          ),
        ),
      );
    }
    const input = h("input", { type: "text", class: "tag-input", id: "tag-input", placeholder: t("addTag"), "aria-label": t("addTag"), size: 12 });
    input.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" && input.value.trim() !== "") {
        const tag = input.value.trim().replace(/^#/, "");
        void this.host.send({ op: "addTag", id: single.id, tag }).then(() => (this.element.querySelector("#tag-input") as HTMLInputElement | null)?.focus());
      } else if (e.key === "Escape") {
        input.blur();
      }
    });
    tags.append(input);
    return tags;
  }
}
