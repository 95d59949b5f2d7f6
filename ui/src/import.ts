// Imports from the window: the open dialog, for CSV files the choice of
// columns, and the messages. Board and start screen share it; the backend
// reads and checks the file and creates the items.

import type { Backend, CsvChoice, CsvColumns, ImportCounts, ImportSource } from "./backend";
import { h, showError } from "./dom";
import { t } from "./i18n";

/** A file the user chose and checked, ready to import. */
export interface ImportChoice {
  path: string;
  source: ImportSource;
  /** For CSV: the chosen columns. */
  csv: CsvChoice | null;
  counts: ImportCounts;
}

/** The file's name without its folder. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Asks for a file (nothing happens when the dialog is cancelled), checks it,
 * and for a CSV file asks which columns hold what. A file that cannot be
 * imported is reported by name; null then, and nothing has changed.
 */
export async function chooseImport(backend: Backend): Promise<ImportChoice | null> {
  let path: string | null;
  try {
    path = await backend.chooseImportFile(t("importDialogTitle"), t("importFilter"));
  } catch (cause) {
    showError(cause);
    return null;
  }
  if (path === null) return null;
  let source: ImportSource;
  try {
    source = await backend.inspectImport(path, null);
  } catch (cause) {
    showError(cause, t("importFailed", baseName(path)));
    return null;
  }
  if (source.csv === null) {
    return { path, source, csv: null, counts: source.counts ?? { notes: 0, frames: 0, connectors: 0 } };
  }
  const chosen = await columnsDialog(backend, path, source, source.csv);
  return chosen === null ? null : { path, source, csv: chosen.csv, counts: chosen.counts };
}

/** Shortens an example cell for a list entry. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 32 ? `${line.slice(0, 31)}…` : line;
}

/**
 * Which column holds the note text (and, optionally, colour, tags and
 * author), with the first row as names or as data. The detected choice is
 * preselected; confirming checks the choice with the backend and keeps the
 * dialog open with the message if it does not work.
 */
function columnsDialog(
  backend: Backend,
  path: string,
  source: ImportSource,
  columns: CsvColumns,
): Promise<{ csv: CsvChoice; counts: ImportCounts } | null> {
  return new Promise((resolve) => {
    const previous = document.activeElement as HTMLElement | null;
    const dialog = h("dialog", { class: "modal import-dialog", id: "import-dialog", "aria-labelledby": "import-title" });
    const header = h("input", { type: "checkbox", id: "import-header" });
    header.checked = columns.header;
    const select = (id: string, optional: boolean): HTMLSelectElement => {
      const field = h("select", { id });
      field.dataset["optional"] = String(optional);
      return field;
    };
    const fields = {
      text: select("import-text", false),
      color: select("import-color", true),
      tags: select("import-tags", true),
      author: select("import-author", true),
    };
    const fill = (): void => {
      for (const field of Object.values(fields)) {
        const chosen = field.value;
        field.replaceChildren();
        if (field.dataset["optional"] === "true") field.append(h("option", { value: "" }, t("importNone")));
        for (let i = 0; i < columns.count; i++) {
          const name = header.checked && (columns.first[i] ?? "") !== "" ? (columns.first[i] ?? "") : t("importColumn", i + 1);
          const example = (header.checked ? columns.example[i] : columns.first[i]) ?? "";
          const label = example === "" ? name : `${name} – ${t("importExample", excerpt(example))}`;
          field.append(h("option", { value: String(i) }, label));
        }
        field.value = chosen;
      }
    };
    fill();
    // The detected columns (by their names, so only with a header row).
    const preset = (field: HTMLSelectElement, column: number | null): void => {
      field.value = column === null || !columns.header ? (field === fields.text ? "0" : "") : String(column);
    };
    preset(fields.text, columns.text);
    preset(fields.color, columns.color);
    preset(fields.tags, columns.tags);
    preset(fields.author, columns.author);
    header.addEventListener("change", fill);

    const row = (id: string, label: string, field: HTMLSelectElement): HTMLElement[] => [h("label", { for: id }, label), field];
    const form = h(
      "form",
      { method: "dialog" },
      h("h2", { id: "import-title" }, t("importColumnsTitle", source.file)),
      h("p", { class: "modal-message" }, t("importColumnsIntro")),
      h("label", { class: "check", for: "import-header" }, header, " ", t("importHeader")),
      ...row("import-text", t("importText"), fields.text),
      ...row("import-color", t("importColor"), fields.color),
      ...row("import-tags", t("importTags"), fields.tags),
      ...row("import-author", t("importAuthor"), fields.author),
      h(
        "div",
        { class: "modal-buttons" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, t("cancel")),
        h("button", { type: "submit", class: "primary", id: "import-confirm" }, t("importConfirm")),
      ),
    );
    let result: { csv: CsvChoice; counts: ImportCounts } | null = null;
    const optional = (field: HTMLSelectElement): number | null => (field.value === "" ? null : Number(field.value));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const csv: CsvChoice = {
        text: Number(fields.text.value),
        color: optional(fields.color),
        tags: optional(fields.tags),
        author: optional(fields.author),
        header: header.checked,
      };
      void (async () => {
        try {
          const checked = await backend.inspectImport(path, csv);
          result = { csv, counts: checked.counts ?? { notes: 0, frames: 0, connectors: 0 } };
          dialog.close();
        } catch (cause) {
          // The dialog stays open so that another column can be chosen.
          showError(cause, t("importFailed", source.file));
          fields.text.focus();
        }
      })();
    });
    dialog.append(form);
    dialog.addEventListener("close", () => {
      dialog.remove();
      previous?.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    fields.text.focus();
  });
}
