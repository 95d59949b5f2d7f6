// The keyboard shortcuts dialog ("?").

import { h } from "./dom";
import { strings, t } from "./i18n";

/** Shows the shortcuts; focus returns where it was when the dialog closes. */
export function showHelp(): void {
  const dialog = h("dialog", { class: "modal help", "aria-labelledby": "help-title", id: "help" });
  const table = h("table", {}, h("caption", { class: "sr-only" }, t("helpTitle")));
  const body = h("tbody");
  for (const [keys, what] of strings().shortcuts) {
    body.append(h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, keys)), h("td", {}, what)));
  }
  table.append(body);
  const close = h("button", { type: "button", class: "primary", onclick: () => dialog.close() }, t("close"));
  dialog.append(h("h2", { id: "help-title" }, t("helpTitle")), table, h("div", { class: "modal-buttons" }, close));
  const previous = document.activeElement as HTMLElement | null;
  dialog.addEventListener("close", () => {
    dialog.remove();
    previous?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
