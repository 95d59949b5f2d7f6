// The tools on the left of the board (select, note, frame, label,
// connector), the hint shown while connecting, and the zoom controls at
// the bottom.

import { h } from "./dom";
import type { Tool } from "./gestures";
import { t } from "./i18n";

export interface ToolbarHost {
  /** The note tool puts a note in the middle of the view at once. */
  createNote(): void;
  setTool(tool: Tool): void;
  zoomBy(factor: number): void;
  zoomToFit(): void;
}

/** A button with an icon only; `shortcut` is added to its tooltip. */
export function iconButton(id: string, icon: string, label: string, run: () => void, shortcut?: string): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      class: "icon",
      id: `btn-${id}`,
      "aria-label": label,
      title: shortcut === undefined ? label : `${label} (${shortcut})`,
      onclick: run,
    },
    h("span", { "aria-hidden": "true" }, icon),
  );
}

export class Toolbar {
  /** The tools, on the left. */
  readonly tools: HTMLElement;
  /** What to do next while connecting. */
  readonly hint: HTMLElement;
  /** Zoom out, the zoom level, zoom in, show everything. */
  readonly zoom: HTMLElement;
  private readonly zoomLabel: HTMLElement;
  private readonly buttons = new Map<Tool, HTMLButtonElement>();

  /** `extra` goes below the tools (the grouping panel's button). */
  constructor(host: ToolbarHost, extra: HTMLElement) {
    this.hint = h("div", { class: "tool-hint", hidden: true, role: "status" });
    this.zoomLabel = h("span", { class: "zoom-level", id: "zoom-level", "aria-live": "polite" }, "100 %");
    this.tools = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("toolbar"), "aria-orientation": "vertical" });
    const toolDefs: [Tool, string, string, string][] = [
      ["select", "➤", t("toolSelectShort"), "V"],
      ["note", "▢", t("toolNote"), "N"],
      ["frame", "⬚", t("toolFrame"), "F"],
      ["label", "T", t("toolLabel"), "T"],
      ["connect", "↗", t("toolConnect"), "C"],
    ];
    for (const [tool, icon, label, key] of toolDefs) {
      const button = h(
        "button",
        {
          type: "button",
          class: "tool",
          id: `tool-${tool}`,
          "aria-pressed": String(tool === "select"),
          title: `${tool === "select" ? t("toolSelect") : label} (${key})`,
          onclick: () => {
            if (tool === "note") {
              host.createNote();
            } else {
              host.setTool(tool);
            }
          },
        },
        h("span", { class: "tool-icon", "aria-hidden": "true" }, icon),
        h("span", { class: "tool-label" }, label),
      );
      this.buttons.set(tool, button);
      this.tools.append(button);
    }
    this.tools.append(extra);
    this.zoom = h(
      "div",
      { class: "zoom-controls", role: "group", "aria-label": t("zoomLevel") },
      iconButton("zoom-out", "−", t("zoomOut"), () => host.zoomBy(1 / 1.25), "−"),
      this.zoomLabel,
      iconButton("zoom-in", "+", t("zoomIn"), () => host.zoomBy(1.25), "+"),
      h("button", { type: "button", id: "btn-fit", onclick: () => host.zoomToFit(), title: `${t("zoomFit")} (0)` }, t("zoomFit")),
    );
  }

  /** Shows `tool` as the one in use. */
  showTool(tool: Tool): void {
    for (const [name, button] of this.buttons) button.setAttribute("aria-pressed", String(name === tool));
    this.hint.hidden = tool !== "connect";
    this.hint.textContent = tool === "connect" ? t("connectHint") : "";
  }

  /** While connecting: the first end is chosen. */
  showConnectTarget(): void {
    this.hint.textContent = t("connectHintTarget");
  }

  showZoom(zoom: number): void {
    const percent = `${Math.round(zoom * 100)} %`;
    if (this.zoomLabel.textContent !== percent) this.zoomLabel.textContent = percent;
  }
}
